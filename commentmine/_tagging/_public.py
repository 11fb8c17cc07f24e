"""Codebook tagging: every segment scored against every theme, multi-label, with evidence.

comments -> segments -> **tags**. The method (see ``../shared/notes/zero-shot-tagging.md``):

1. **Lexical evidence.** Each theme gets weighted terms: the lemmas of its label (weight
   ``label_weight``), its keywords (``keyword_weight``; phrases and ``*`` wildcards, matched on
   lemmas) and the content lemmas of its description (``description_weight``). A term shared by
   several themes is down-weighted (``log(1 + T/m) / log(1 + T)`` for ``m`` of ``T`` themes) and
   terms common in the corpus count less (BM25 over segment lemmas, IDF learned in :meth:`fit`).
   The raw BM25 sum is squashed into [0, 1] as ``raw / (raw + c)`` with ``c`` the median
   non-zero raw score seen in ``fit``.
2. **Semantic evidence.** Cosine of the segment embedding to the theme's anchors: the text
   ``"label: description"``, and (when the codebook has them) the closest keyword and the
   closest example; the anchors present are averaged.
3. **Seed score** = semantic + ``lexical_weight`` x lexical, vetoed by exclusions.
4. **Self-training** (``self_train=True``): each theme's most confident segments (largest lead of
   its seed score over the runner-up) become pseudo-labels; a one-vs-rest logistic regression
   on ``[embedding | TF-IDF 1-2 grams of lemmas]`` learns the corpus' own vocabulary; its
   probability is fused with the seed score.
5. **Per-theme thresholds.** Each theme's threshold is set so that, on the fit sample, it tags
   about as many segments as the fused score ranks it first for (its estimated count); scores
   are rescaled per theme so that this threshold sits at 0.5 (or the codebook's
   ``Theme.threshold``, or the global ``threshold`` argument, on the same scale).
6. **Decisions per comment** (:mod:`commentmine._tagging._decide`), so that a comment's
   sentences do not each add their guesses: a comment is judged on its best sentence, or on
   the mean of its sentences when it has more than ``long_comment`` (a narrative's thrust,
   not its asides), averaged with its whole text scored as one piece (``whole_comment``). Its
   best theme is tagged when its best sentence reaches ``fallback``; further themes only when
   they reach their own threshold and score at least ``relative`` of the best; at most
   ``max_themes`` (the values: :class:`Tagger`'s signature). A chosen theme sits on the
   sentences that reach its threshold, or on its best sentence; the comment's other sentences
   are ``uncoded``. In interview notes, a sentence of fewer than three content words and no
   codebook term ("He rings me.") carries no theme.

Defaults. The embedder (full MiniLM through onnxruntime) and the decision settings were chosen
leave-one-corpus-out on six human-coded corpora (``benchmarks/bench_calibration.py``,
``benchmarks/results/calibration.md``): each corpus scored with the setting best on the other
five, the shipped setting the best over all six. The warnings of :mod:`commentmine._checks`
flag outputs that look unreliable.

Codebook size. With many themes (more than ``MANY_THEMES`` = 20 scored themes), themes are more
confusable: the segments a theme ranks first are a noisier sample of it, and the count of them
overstates it. The defaults then take a purer share of pseudo-labels (``pseudo_frac`` 0.3
instead of 0.5) and no multi-label allowance on the counts (``count_factor`` 1.0 instead of
1.3). Passing either parameter explicitly overrides this.

The lexical, semantic and self-training settings were chosen earlier on the restaurants train
split and one seeded half of the NHS corpus (``benchmarks/bench_tagging.py`` reports the other
rows separately).

For a trained theme model (``commentmine train``): after ``fit``, ``Tagger.features(segments)``
returns the classifier's CSR feature matrix ``[embedding_scale * embedding | TF-IDF 1-2 grams
of lemmas]`` (vocabulary in ``tfidf_``), and ``coef_`` / ``intercept_`` / ``trained_`` hold the
per-theme logistic regressions over it (``sigmoid(X @ coef_.T + intercept_)``, columns
``themes_``); replacing them with supervised fits reuses the rest of the scoring unchanged.
``Tagger.get_state()`` / ``Tagger.from_state()`` save and rebuild a fitted Tagger without
pickle.

The parts (:mod:`commentmine._tagging`): the lexicon, the anchors (one definition of a theme's
text), the scores (:class:`~commentmine._tagging._scores.ScoreParts`), self-training, the
decisions, the evidence and the tables; :class:`Tagger` runs them in order.

Negation. Topic evidence is not sentiment: "no funding" and "lack of volunteers" are *about*
funding and capacity, so absence words (``no``, ``without``, ``lack of``, ``none``) never
reduce a match. Predicate negation (``not``, ``n't``, ``never``, ``nothing``, ``hardly``,
``neither``/``nor``) within ``negation_window`` lemmas before a keyword ("not a problem", "wasn't
rude", "never late") multiplies that match by ``negation_weight`` (default 0.3): the keyword is
mentioned but its claim is denied. Lookback stops at "but". A keyword that itself contains a
negator ("not enough staff") is matched literally at full weight. Exclusions are literal: any
match of a theme's ``exclude`` phrase vetoes that theme for the segment (score 0).

Sub-themes. Only leaf themes are scored; a child inherits its parent's lexical terms at half
weight. The output names the child; :func:`rollup` maps tags to root themes for counting.

Interviewer turns. With ``include_interviewer=False`` (default) segments of interviewer turns
are not scored and do not appear in the tags table; at comment level their status is
``interviewer``. :func:`accounting` counts a run from its tables: ``comments_in``, ``tagged``,
``uncoded`` and ``skipped`` (by reason: ``empty``, ``non_answer``, ``interviewer``), with
``comments_in == tagged + uncoded + sum(skipped.values())``.

Non-answer sentences. A segment that is itself a non-answer ("Nothing.", "No.", "N/A" inside a
longer comment; :func:`commentmine.ingest.answer_status`) carries no theme: it stays in the tags
table as ``uncoded`` with score 0, is left out of the fit, and is never a comment's fallback.
"Nothing. Great caring staff." is about the staff, not about "nothing".

Scale. ``fit`` learns only from a seeded sample of ``fit_sample`` segments; ``score`` and
``predict`` are row-wise transforms, so ``Tagger(...).fit(sample)`` then ``predict(chunk)`` per
chunk gives the same rows as one call to :func:`tag`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from commentmine import _tables as T
from commentmine._checks import warn
from commentmine._options import renamed
from commentmine._tagging._rows import MIN_TURN_WORDS as MIN_TURN_WORDS
from commentmine._tagging._run import tag_frame
from commentmine._tagging._table import Accounting, TagRun, accounting
from commentmine._tagging._table import comment_level as comment_level
from commentmine._tagging._tagger import MANY_THEMES as MANY_THEMES
from commentmine._tagging._tagger import Tagger

__all__ = ["Accounting", "Tagger", "accounting", "tag", "rollup"]
# Also public here: comment_level (the comment-level table of a tags table), MANY_THEMES and
# MIN_TURN_WORDS (see the module docstring and commentmine._tagging._rows).


def rollup(tags: pd.DataFrame, codebook: Any) -> pd.DataFrame:
    """Map each tag's theme to its root theme (sub-themes counted under their parent).

    Rows of the same segment that roll up to one root keep the highest score; ``uncoded``
    rows are kept as they are.
    """
    from commentmine.codebook import load_codebook

    cb = load_codebook(codebook)
    out = tags.copy()
    out["theme"] = [t if t == T.UNCODED else cb.root(t) for t in out["theme"]]
    out = out.sort_values(
        ["segment_id", "theme", "score"], ascending=[True, True, False], kind="stable"
    )
    out = out.drop_duplicates(["segment_id", "theme"], keep="first")
    return out.sort_index(kind="stable")


# --------------------------------------------------------------------------------------------
# function form
# --------------------------------------------------------------------------------------------


@renamed(chunk_size="chunk_rows")
def tag(
    comments: pd.DataFrame,
    codebook: Any,
    *,
    embedder: Any = None,
    level: str = "segment",
    threshold: float | None = None,
    seed: int = 0,
    include_interviewer: bool = False,
    self_train: bool = True,
    fit_sample: int = 20000,
    chunk_rows: int = 50000,
    **options: Any,
) -> pd.DataFrame:
    """Tag a pandas comments (or segments) table with a codebook's themes: the core stage.

    ``commentmine.tag`` (the package's function, :func:`commentmine._api.tag`) is the one to
    call: it takes a Dask DataFrame or a trained model too, and hands them to the layers
    above this one. Parameters are documented there.

    Returns
    -------
    DataFrame
        Tags table or comment-level table (see ``commentmine._tables``).
    """
    run = tag_run(
        comments,
        codebook,
        level=level,
        chunk_rows=chunk_rows,
        embedder=embedder,
        threshold=threshold,
        seed=seed,
        include_interviewer=include_interviewer,
        self_train=self_train,
        fit_sample=fit_sample,
        **options,
    )
    warn(run.warnings)  # here, so that a warning points at tag()'s caller
    return run.table


def tag_run(
    comments: pd.DataFrame,
    codebook: Any,
    *,
    level: str = "segment",
    chunk_rows: int = 50000,
    **settings: Any,
) -> TagRun:
    """:func:`tag` as a :class:`~commentmine._tagging._table.TagRun` (the table, its
    accounting, the codebook's name, the themes and the warnings, not issued): for the
    package's own callers (the CLI). ``settings``: the :class:`Tagger` parameters."""
    from commentmine.errors import bad_argument

    check_call(level, codebook)
    if not isinstance(comments, pd.DataFrame):
        hint = " (a Dask DataFrame: call commentmine.tag)" if _is_dask(comments) else ""
        raise bad_argument(f"expected a pandas DataFrame, got {type(comments).__name__}{hint}.")
    if int(chunk_rows) < 1:
        raise bad_argument(f"chunk_rows must be >= 1, got {chunk_rows!r}.")
    tagger = Tagger(codebook, **settings)
    return tag_frame(tagger, comments, level=level, chunk_rows=int(chunk_rows))


def check_level(level: str) -> None:
    """``level`` is "segment" or "comment" (E301 otherwise)."""
    from commentmine.errors import bad_argument

    if level not in ("segment", "comment"):
        raise bad_argument(f"level must be 'segment' or 'comment', got {level!r}.")


def check_call(level: str, codebook: Any) -> None:
    """The arguments every way of tagging with a codebook needs (E301 otherwise)."""
    from commentmine.errors import bad_argument

    check_level(level)
    if codebook is None:
        raise bad_argument(
            "give a codebook (a file or a built-in name such as 'vcse-pcc') or model= "
            "(a theme model from commentmine._training._public)."
        )


def _is_dask(obj: Any) -> bool:
    """A Dask collection (checked by module name: dask is an optional extra)."""
    return type(obj).__module__.startswith("dask")
