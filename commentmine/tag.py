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
6. **Decisions per comment** (:mod:`commentmine._decide`), so that a comment's sentences do not
   each add their guesses: a comment is judged on its best sentence, or on the mean of its
   sentences when it has more than ``long_comment`` (a narrative's thrust, not its asides),
   averaged with its whole text scored as one piece (``whole_comment``). Its best theme is
   tagged when it reaches ``fallback`` (0.45); further themes only when they reach their own
   threshold and score at least ``relative`` (0.75) of the best; at most ``max_themes``. A
   chosen theme sits on the sentences that reach its threshold, or on its best sentence; the
   comment's other sentences are ``uncoded``. In interview notes, a sentence of fewer than
   three content words and no codebook term ("He rings me.") carries no theme.

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

For a trained theme model (``commentmine train``): after ``fit``, ``Tagger._features(segments)``
returns the classifier's CSR feature matrix ``[embedding_scale * embedding | TF-IDF 1-2 grams
of lemmas]`` (vocabulary in ``tfidf_``), and ``coef_`` / ``intercept_`` / ``trained_`` hold the
per-theme logistic regressions over it (``sigmoid(X @ coef_.T + intercept_)``, columns
``themes_``); replacing them with supervised fits reuses the rest of the scoring unchanged.

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
``interviewer``. ``df.attrs["accounting"]`` always holds ``comments_in``, ``tagged``,
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

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from commentmine import _tables as T
from commentmine._blas import rowwise_dot

__all__ = ["Tagger", "tag", "rollup"]

# Words of codebook prose that say nothing about a theme's topic.
_PROSE_STOP = frozenset(
    [
        "comment",
        "comments",
        "include",
        "includes",
        "including",
        "incorporate",
        "incorporates",
        "reference",
        "references",
        "referencing",
        "relate",
        "relates",
        "related",
        "relating",
        "regard",
        "regarding",
        "mention",
        "mentions",
        "mentioned",
        "specific",
        "specifically",
        "general",
        "generally",
        "category",
        "categories",
        "sub",
        "subcategory",
        "theme",
        "themes",
        "e.g",
        "eg",
        "etc",
        "ie",
        "i.e",
        "example",
        "examples",
        "data",
        "thin",
        "information",
        "intend",
        "intended",
        "provide",
        "provided",
        "detail",
        "detailed",
        "way",
        "ways",
        "thing",
        "things",
        "people",
        "person",
        "use",
        "used",
        "using",
        "describe",
        "description",
        "descriptions",
        "highlight",
        "highlighting",
        "highlights",
        "refer",
        "refers",
        "issue",
        "issues",
        "whether",
        "also",
    ]
)
# Predicate negators (deny the claim); absence words (no, without, lack) are deliberately absent.
_NEGATORS = frozenset({"not", "n't", "never", "nothing", "hardly", "barely", "neither", "nor"})
_CLAUSE_BREAK = frozenset({"but", "however", "although", "though"})
# More scored themes than this: the many-theme defaults (see the module docs).
MANY_THEMES = 20
# Rows of classifier features built at a time when scoring (bounds predict's memory).
_FEATURE_ROWS = 8192
_TOKEN_OK = re.compile(r"^[a-z][a-z0-9'\-]*\*?$|^\*[a-z0-9'\-]+\*?$")


def _stopwords() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _PROSE_STOP


# --------------------------------------------------------------------------------------------
# lexicon and matching
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    patterns: tuple[str, ...]  # lemma tokens; a token containing "*" is a wildcard
    display: str


class _Matcher:
    """Find term occurrences in space-joined lemma strings (phrases, ``*`` wildcards)."""

    def __init__(self, terms: Sequence[_Term]) -> None:
        self.terms = list(terms)
        self._exact: dict[str, list[int]] = {}
        self._wild: list[tuple[re.Pattern[str], int]] = []
        self._rx: dict[str, re.Pattern[str]] = {}
        for ti, term in enumerate(self.terms):
            first = term.patterns[0]
            if "*" in first:
                self._wild.append((self._regex(first), ti))
            else:
                self._exact.setdefault(first, []).append(ti)
        self._cand_cache: dict[str, tuple[int, ...]] = {}

    def _regex(self, pattern: str) -> re.Pattern[str]:
        rx = self._rx.get(pattern)
        if rx is None:
            rx = re.compile("^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$")
            self._rx[pattern] = rx
        return rx

    def _cands(self, tok: str) -> tuple[int, ...]:
        hit = self._cand_cache.get(tok)
        if hit is None:
            ids = list(self._exact.get(tok, ()))
            ids.extend(ti for rx, ti in self._wild if rx.match(tok))
            hit = tuple(sorted(ids))
            self._cand_cache[tok] = hit
        return hit

    def _tok_eq(self, pattern: str, tok: str) -> bool:
        if "*" in pattern:
            return bool(self._regex(pattern).match(tok))
        return pattern == tok

    def match(
        self,
        lemma_strings: Sequence[str],
        *,
        negation_window: int = 0,
        negation_weight: float = 1.0,
    ) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Return (weighted term counts as CSR (n, n_terms), token counts per string)."""
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        lengths = np.zeros(len(lemma_strings), dtype=np.float64)
        cands_of = self._cand_cache.get
        terms = self.terms
        # Terms a preceding negator can deny (one that itself contains a negator cannot).
        negatable = [not (_NEGATORS & set(t.patterns)) for t in terms] if negation_window else None
        for row, s in enumerate(lemma_strings):
            toks = s.split()
            n = len(toks)
            lengths[row] = n
            cs = list(map(cands_of, toks))
            if None in cs:  # a word form not seen before
                cs = [self._cands(t) if c is None else c for c, t in zip(cs, toks, strict=True)]
            found: dict[int, float] = {}
            for i in compress(range(n), cs):  # the tokens that start some term
                for ti in cs[i]:
                    pats = terms[ti].patterns
                    L = len(pats)
                    if i + L > n:
                        continue
                    if L > 1 and not all(self._tok_eq(pats[j], toks[i + j]) for j in range(1, L)):
                        continue
                    w = 1.0
                    if negatable is not None and negatable[ti]:
                        for j in range(i - 1, max(-1, i - 1 - negation_window), -1):
                            if toks[j] in _CLAUSE_BREAK:
                                break
                            if toks[j] in _NEGATORS:
                                w = negation_weight
                                break
                    found[ti] = found.get(ti, 0.0) + w
            for ti in sorted(found):
                indices.append(ti)
                data.append(found[ti])
            indptr.append(len(indices))
        mat = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(lemma_strings), len(self.terms)),
        )
        return mat, lengths


def _phrase_tokens(lemmatized: str) -> tuple[str, ...]:
    return tuple(t for t in lemmatized.split() if t)


def _lemmatize(texts: list[str]) -> list[str]:
    if not texts:
        return []
    from commentmine.segment import lemmatize

    return [str(x) for x in lemmatize(texts)]


def _lemmatize_keywords(keywords: list[str]) -> list[tuple[str, ...]]:
    """Lemma tokens of keyword phrases, as the codebook compiles them (``*`` kept as written)."""
    if not keywords:
        return []
    from commentmine.codebook import compile_keywords
    from commentmine.segment import lemmatize

    return [tuple(p.lemmas.split()) for p in compile_keywords(keywords, lemmatize=lemmatize)]


# --------------------------------------------------------------------------------------------
# the estimator
# --------------------------------------------------------------------------------------------


class Tagger:
    """Score segments against a codebook's themes; learn corpus-level evidence in ``fit``.

    Parameters
    ----------
    codebook : Codebook or str or Path
        The codebook (anything :func:`commentmine.load_codebook` accepts).
    embedder : Embedder or str, optional
        Embedding backend (see :func:`commentmine.select_embedder`); default
        :data:`commentmine.embed.DEFAULT_EMBEDDER`, the full MiniLM through onnxruntime
        (``"static"``, the bundled static model, is about ten times faster to embed).
    threshold : float, optional
        Global decision threshold on the [0, 1] score; overrides every theme's own. Default
        None: each theme's ``Theme.threshold`` if set, else 0.5 (the learned per-theme point).
    seed : int, default 0
        Seed for the fit sample and the classifiers.
    include_interviewer : bool, default False
        Score interviewer turns too.
    self_train : bool, default True
        Learn a pseudo-labelled classifier on the corpus (step 4 above).
    fit_sample : int, default 20000
        ``fit`` learns from at most this many segments (a seeded sample).
    label_weight, keyword_weight, description_weight : float
        Weights of the lexical term sources.
    lexical_weight : float, default 0.5
        Weight of the [0, 1] lexical score added to the cosine in the seed score.
    negation_window : int, default 3
        Lemmas looked back for a predicate negator.
    negation_weight : float, default 0.3
        Factor applied to a negated keyword match.
    pseudo_frac : float, optional
        Share of each theme's first-ranked segments (by lead) used as pseudo-labels. Default
        None: 0.5, or 0.3 for a codebook of more than ``MANY_THEMES`` scored themes.
    pseudo_max : int, default 300
        At most this many pseudo-labels per theme.
    classifier_weight : float, default 0.5
        Weight of the classifier probability in the fused score (rest: the seed score).
    count_factor : float, optional
        Multiplies each theme's estimated count when setting its threshold (> 1 tags more).
        Default None: 1.3, or 1.0 for a codebook of more than ``MANY_THEMES`` scored themes.
    fallback : float or None, default 0.45
        A comment's best theme is tagged when its score reaches this, even below the theme's
        threshold (None: only at the threshold); a comment whose best theme scores less stays
        ``uncoded``. Segments are grouped by ``comment_id`` within one :meth:`predict` call.
    long_comment : int or None, default 3
        A comment with more scored segments than this is judged on the mean of its segments'
        scores (its thrust), a shorter one on its best segment (None: always the best).
    relative : float, default 0.75
        A comment's further themes must reach their own threshold and score at least this
        fraction of its best theme's (raw) score.
    max_themes : int, default 3
        At most this many themes per comment.
    whole_comment : float, default 0.5
        Weight of a multi-segment comment's own text, scored as one piece, beside its
        segments' evidence (0: segments only).
    floor_on_best : bool, default False
        Judge ``fallback`` on the comment's best segment for its best theme rather than on the
        comment's evidence (the mean, for a long comment).
    self_train_rounds : int, default 1
        Rounds of self-training; rounds after the first take pseudo-labels from the fused
        score of the previous round.
    embedding_scale : float, default 0.5
        Scale of the (unit-norm) embedding block against the (unit-norm) TF-IDF block.
    balanced : bool, default True
        Weight pseudo-label classes inversely to their frequency in each classifier.
    max_iter : int, default 100
        Iteration cap of each logistic regression (liblinear, dual, tol 1e-3).
    negative_ratio : int, default 5
        Each theme's classifier sees at most this many negatives (other themes'
        pseudo-labels, a seeded sample) per positive; 0 keeps all.
    C : float, default 1.0
        Inverse regularisation of the logistic regressions.
    max_features : int, default 30000
        Vocabulary size of the TF-IDF block.

    Attributes
    ----------
    codebook_ : Codebook
    themes_ : list[str]
        Ids of the scored (leaf) themes, in codebook order; columns of :meth:`score`.
    embedder_ : Embedder
    terms_ : list of _Term
        Lexicon; ``term_weights_`` (n_terms, n_themes) and ``idf_`` (n_terms,) weight it.
    lex_scale_ : float
    tfidf_ : TfidfVectorizer or None
    coef_, intercept_ : ndarray or None
        Per-theme logistic regression over :meth:`_features` (``(n_themes, n_features)``).
    thresholds_ : ndarray
        Raw fused-score point mapped to 0.5, per theme.
    n_fit_ : int
        Segments the fit used.
    """

    def __init__(
        self,
        codebook: Any,
        *,
        embedder: Any = None,
        threshold: float | None = None,
        seed: int = 0,
        include_interviewer: bool = False,
        self_train: bool = True,
        fit_sample: int = 20000,
        label_weight: float = 3.0,
        keyword_weight: float = 2.0,
        description_weight: float = 1.0,
        lexical_weight: float = 0.5,
        negation_window: int = 3,
        negation_weight: float = 0.3,
        pseudo_frac: float | None = None,
        pseudo_max: int = 300,
        classifier_weight: float = 0.5,
        count_factor: float | None = None,
        fallback: float | None = 0.45,
        long_comment: int | None = 3,
        relative: float = 0.75,
        max_themes: int = 3,
        whole_comment: float = 0.5,
        floor_on_best: bool = False,
        self_train_rounds: int = 1,
        embedding_scale: float = 0.5,
        balanced: bool = True,
        max_iter: int = 100,
        negative_ratio: int = 5,
        C: float = 1.0,
        max_features: int = 30000,
    ) -> None:
        self.codebook = codebook
        self.embedder = embedder
        self.threshold = threshold
        self.seed = seed
        self.include_interviewer = include_interviewer
        self.self_train = self_train
        self.fit_sample = fit_sample
        self.label_weight = label_weight
        self.keyword_weight = keyword_weight
        self.description_weight = description_weight
        self.lexical_weight = lexical_weight
        self.negation_window = negation_window
        self.negation_weight = negation_weight
        self.pseudo_frac = pseudo_frac
        self.pseudo_max = pseudo_max
        self.classifier_weight = classifier_weight
        self.count_factor = count_factor
        self.fallback = fallback
        self.long_comment = long_comment
        self.relative = relative
        self.max_themes = max_themes
        self.whole_comment = whole_comment
        self.floor_on_best = floor_on_best
        self.self_train_rounds = self_train_rounds
        self.embedding_scale = embedding_scale
        self.balanced = balanced
        self.max_iter = max_iter
        self.negative_ratio = negative_ratio
        self.C = C
        self.max_features = max_features

    # ---------------------------------------------------------------- validation / set-up

    def _validate(self) -> None:
        from commentmine.errors import bad_argument

        if self.threshold is not None and not (0.0 <= float(self.threshold) <= 1.0):
            raise bad_argument(f"threshold must be in [0, 1], got {self.threshold!r}.")
        if int(self.fit_sample) < 1:
            raise bad_argument(f"fit_sample must be >= 1, got {self.fit_sample!r}.")
        if not 0.0 <= float(self.classifier_weight) <= 1.0:
            raise bad_argument(
                f"classifier_weight must be in [0, 1], got {self.classifier_weight}."
            )
        if not 0.0 <= float(self.negation_weight) <= 1.0:
            raise bad_argument(f"negation_weight must be in [0, 1], got {self.negation_weight}.")

    def _build_lexicon(self) -> None:
        cb = self.codebook_
        themes = [cb.theme(t) for t in self.themes_]
        stop = _stopwords()
        # Collect every string to lemmatize in one call.
        labels = [t.label or str(t.id) for t in themes]
        descs = [t.description or "" for t in themes]
        parents = [cb.theme(t.parent) if getattr(t, "parent", None) else None for t in themes]
        plabels = [p.label or str(p.id) if p else "" for p in parents]
        pdescs = [p.description or "" if p else "" for p in parents]
        lem = _lemmatize(labels + descs + plabels + pdescs)
        n = len(themes)
        lab_l, desc_l, plab_l, pdesc_l = lem[:n], lem[n : 2 * n], lem[2 * n : 3 * n], lem[3 * n :]
        kw_all: list[str] = []
        kw_owner: list[tuple[int, float]] = []
        ex_all: list[str] = []
        ex_owner: list[int] = []
        for k, t in enumerate(themes):
            for kw in t.keywords:
                kw_all.append(kw)
                kw_owner.append((k, 1.0))
            for ex in t.exclude:
                ex_all.append(ex)
                ex_owner.append(k)
            p = parents[k]
            if p is not None:
                for kw in p.keywords:
                    kw_all.append(kw)
                    kw_owner.append((k, 0.5))
        kw_toks = _lemmatize_keywords(kw_all)
        ex_toks = _lemmatize_keywords(ex_all)

        weights: dict[tuple[str, ...], dict[int, float]] = {}
        display: dict[tuple[str, ...], str] = {}

        def add(toks: tuple[str, ...], k: int, w: float, shown: str) -> None:
            if not toks:
                return
            slot = weights.setdefault(toks, {})
            slot[k] = max(slot.get(k, 0.0), w)
            display.setdefault(toks, shown)

        def content(lemmas: str) -> list[str]:
            return [
                t
                for t in lemmas.split()
                if _TOKEN_OK.match(t) and t not in stop and len(t.strip("*")) > 2
            ]

        for k in range(n):
            for tok in content(desc_l[k]):
                add((tok,), k, self.description_weight, tok)
            for tok in content(lab_l[k]):
                add((tok,), k, self.label_weight, tok)
            if parents[k] is not None:
                for tok in content(pdesc_l[k]):
                    add((tok,), k, 0.5 * self.description_weight, tok)
                for tok in content(plab_l[k]):
                    add((tok,), k, 0.5 * self.label_weight, tok)
        for (k, factor), toks, raw in zip(kw_owner, kw_toks, kw_all, strict=True):
            add(toks, k, factor * self.keyword_weight, raw.strip())
        keys = sorted(weights)
        self.terms_ = [_Term(key, display[key]) for key in keys]
        W = np.zeros((len(keys), n), dtype=np.float64)
        for i, key in enumerate(keys):
            for k, w in weights[key].items():
                W[i, k] = w
        # Down-weight terms shared by several themes.
        m = (W > 0).sum(axis=1)
        share = np.log1p(n / np.maximum(m, 1)) / np.log1p(n) if n > 1 else np.ones(len(keys))
        self.term_weights_ = W * share[:, None]
        self._matcher = _Matcher(self.terms_)
        ex_terms = [_Term(toks, raw) for toks, raw in zip(ex_toks, ex_all, strict=True) if toks]
        ex_own = [k for toks, k in zip(ex_toks, ex_owner, strict=True) if toks]
        self._ex_matcher = _Matcher(ex_terms)
        E = np.zeros((len(ex_terms), n), dtype=np.float64)
        for i, k in enumerate(ex_own):
            E[i, k] = 1.0
        self.exclude_map_ = E

    def _build_anchors(self) -> None:
        cb = self.codebook_
        texts: list[str] = []
        owner: list[tuple[int, str]] = []
        self.examples_: list[list[str]] = []
        for k, tid in enumerate(self.themes_):
            t = cb.theme(tid)
            label = t.label or str(t.id)
            texts.append(f"{label}: {t.description}" if t.description else label)
            owner.append((k, "desc"))
            for kw in t.keywords:
                texts.append(kw.replace("*", ""))
                owner.append((k, "kw"))
            for ex in t.examples:
                texts.append(ex)
                owner.append((k, "ex"))
            self.examples_.append(list(t.examples))
        vecs = np.asarray(self.embedder_.embed(texts), dtype=np.float32)
        self._anchor_vecs = vecs
        self._anchor_owner = owner

    # ------------------------------------------------------------------------------ fit

    def fit(self, segments: pd.DataFrame) -> Tagger:
        """Learn corpus statistics (and the self-trained classifier) from ``segments``.

        Parameters
        ----------
        segments : DataFrame
            Segments table (columns ``segment_id``, ``text``, ``lemmas``; see ``_tables``).
            At most ``fit_sample`` rows (seeded) are used.

        Returns
        -------
        Tagger
            ``self``.
        """
        self._validate()
        segs = self._scored_rows(_check_segments(segments))
        self._set_up()

        if len(segs) > int(self.fit_sample):
            rng = np.random.default_rng(self.seed)
            pick = np.sort(rng.choice(len(segs), size=int(self.fit_sample), replace=False))
            segs = segs.iloc[pick]
        self.n_fit_ = len(segs)
        lemmas = segs["lemmas"].astype(str).tolist()
        pre = self._unfitted_parts(segs, lemmas)
        tf, lengths = pre["tf"], pre["lengths"]
        N = max(len(lemmas), 1)
        df = np.asarray((tf > 0).sum(axis=0)).ravel()
        self.idf_ = np.log1p((N - df + 0.5) / (df + 0.5))
        self.avgdl_ = float(lengths.mean()) if len(lengths) else 1.0
        self.lex_scale_ = 1.0
        raw = self._lexical_raw(tf, lengths)
        nz = raw[raw > 0]
        self.lex_scale_ = float(np.median(nz)) if nz.size else 1.0

        emb = pre["emb"]
        parts = self._seed_parts(tf, lengths, emb, lemmas, pre["ex_tf"])
        seed01 = parts["seed01"]
        self.tfidf_ = None
        self.coef_ = None
        self.intercept_ = None
        self.trained_ = np.zeros(len(self.themes_), dtype=bool)
        fused = seed01
        X = None
        if self.self_train and len(segs) >= 2 and len(self.themes_) >= 2:
            try:
                X = self._fit_tfidf(segs, emb)
            except ValueError:  # no n-gram survives on a tiny sample: seed scores alone
                self.tfidf_ = None
        if X is not None:
            anchor = np.where(parts["veto"], -1.0, parts["seed"])
            for _ in range(max(1, int(self.self_train_rounds))):
                self._fit_classifier(X, anchor)
                proba = self._proba(X, seed01)
                fused = self._fuse(proba, seed01)
                anchor = np.where(parts["veto"], -1.0, fused)
        self.thresholds_ = self._count_thresholds(fused, parts["veto"])
        return self

    def _set_up(self) -> None:
        """Load the codebook and the embedder and :meth:`_setup` from them."""
        from commentmine.codebook import load_codebook
        from commentmine.embed import DEFAULT_EMBEDDER, select_embedder

        spec = DEFAULT_EMBEDDER if self.embedder is None else self.embedder
        self._setup(load_codebook(self.codebook), select_embedder(spec))

    def _setup(self, codebook: Any, embedder: Any) -> None:
        """What :meth:`fit` derives from the codebook and the embedder alone: the scored (leaf)
        themes, the codebook-size defaults, the lexicon and the anchors.

        A saved theme model (``commentmine.train``) calls this to rebuild a fitted Tagger.
        """
        self.codebook_ = codebook
        parents = {t.parent for t in codebook.themes if getattr(t, "parent", None)}
        self.themes_ = [t.id for t in codebook.themes if t.id not in parents]
        self.embedder_ = embedder
        many = len(self.themes_) > MANY_THEMES
        self.pseudo_frac_ = float(
            self.pseudo_frac if self.pseudo_frac is not None else (0.3 if many else 0.5)
        )
        self.count_factor_ = float(
            self.count_factor if self.count_factor is not None else (1.0 if many else 1.3)
        )
        self._build_lexicon()
        self._build_anchors()

    def _scored_rows(self, segs: pd.DataFrame) -> pd.DataFrame:
        """The rows ``fit`` learns from: not interviewer turns, not non-answer segments."""
        return segs[self._keep_mask(segs) & ~_non_answers(segs)]

    def _match(self, lemmas: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        return self._matcher.match(
            lemmas, negation_window=int(self.negation_window), negation_weight=self.negation_weight
        )

    def _lexical_raw(self, tf: sparse.csr_matrix, lengths: np.ndarray) -> np.ndarray:
        k1, b = 1.2, 0.75
        tf = tf.tocsr(copy=True)
        denom_row = k1 * (1 - b + b * lengths / max(self.avgdl_, 1e-9))
        rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        tf.data = tf.data * (k1 + 1) / (tf.data + denom_row[rows])
        raw = tf @ (self.term_weights_ * self.idf_[:, None])
        return np.asarray(raw, dtype=np.float64)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._anchor_vecs.shape[1]), dtype=np.float32)
        return np.asarray(self.embedder_.embed(texts), dtype=np.float32)

    def _seed_parts(
        self,
        tf: sparse.csr_matrix,
        lengths: np.ndarray,
        emb: np.ndarray,
        lemmas: list[str],
        ex_tf: sparse.csr_matrix | None = None,
    ) -> dict[str, np.ndarray]:
        n, K = emb.shape[0], len(self.themes_)
        raw = self._lexical_raw(tf, lengths)
        lex = raw / (raw + self.lex_scale_)
        sims = rowwise_dot(emb, self._anchor_vecs)  # (n, n_anchors); rows batch-independent
        sem = np.zeros((n, K), dtype=np.float64)
        nearest = np.full((n, K), -1, dtype=np.int64)
        for k in range(K):
            cols = [i for i, (o, _) in enumerate(self._anchor_owner) if o == k]
            kinds = [self._anchor_owner[i][1] for i in cols]
            parts = [sims[:, cols[kinds.index("desc")]]]
            kw_cols = [c for c, kind in zip(cols, kinds, strict=True) if kind == "kw"]
            ex_cols = [c for c, kind in zip(cols, kinds, strict=True) if kind == "ex"]
            if kw_cols:
                parts.append(sims[:, kw_cols].max(axis=1))
            if ex_cols:
                ex_s = sims[:, ex_cols]
                parts.append(ex_s.max(axis=1))
                nearest[:, k] = ex_s.argmax(axis=1)
            sem[:, k] = np.mean(parts, axis=0)
        if self.exclude_map_.shape[0]:
            if ex_tf is None:
                ex_tf, _ = self._ex_matcher.match(lemmas)
            veto = np.asarray((ex_tf @ self.exclude_map_) > 0)
        else:
            veto = np.zeros((n, K), dtype=bool)
        seed = sem + self.lexical_weight * lex
        seed = np.where(veto, -1.0, seed)
        seed01 = np.clip(seed / (1.0 + self.lexical_weight), 0.0, 1.0)
        return {
            "sem": sem,
            "lex": lex,
            "seed": seed,
            "seed01": seed01,
            "veto": veto,
            "nearest": nearest,
            "tf": tf,
        }

    # ------------------------------------------------------------------ self-training

    def _features(self, segments: pd.DataFrame, *, emb: np.ndarray | None = None) -> Any:
        """Classifier features ``[embedding | TF-IDF 1-2 grams of lemmas]`` (CSR matrix).

        Fitted state (the TF-IDF vocabulary) comes from :meth:`fit`; a trained theme model can
        reuse these features with ``coef_``/``intercept_`` (``sigmoid(X @ coef_.T +
        intercept_)``).
        """
        if emb is None:
            emb = self._embed(_texts(segments["text"]))
        return self._feature_matrix(segments["lemmas"].astype(str).tolist(), emb)

    def _feature_matrix(self, lemmas: list[str], emb: np.ndarray) -> sparse.csr_matrix:
        """:meth:`_features` of lemma strings and their embeddings.

        The same CSR arrays as ``sparse.hstack([csr_matrix(e), tfidf_.transform(lemmas)],
        format="csr")``, assembled directly: going through COO and hstack cost a third of
        ``predict`` (tests/test_tag.py checks the arrays are equal).
        """
        X_t = _tfidf_transform(self.tfidf_, lemmas)
        e = emb.astype(np.float64) * float(self.embedding_scale)
        n, d = e.shape
        nz = e != 0
        dense = bool(nz.all())
        n_e = np.full(n, d, dtype=np.int64) if dense else nz.sum(axis=1)
        t_ptr = X_t.indptr.astype(np.int64)
        n_t = np.diff(t_ptr)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(n_e + n_t, out=indptr[1:])
        nnz = int(indptr[-1])
        idx_dtype = np.int32 if max(nnz, d + X_t.shape[1]) < np.iinfo(np.int32).max else np.int64
        data = np.empty(nnz, dtype=np.float64)
        indices = np.empty(nnz, dtype=idx_dtype)
        # Each row: its non-zero embedding values (columns 0..d-1), then its TF-IDF entries.
        t_rows = np.repeat(np.arange(n), n_t)
        pos_t = (indptr[:-1] + n_e - t_ptr[:-1])[t_rows] + np.arange(t_rows.size)
        is_e = np.ones(nnz, dtype=bool)
        is_e[pos_t] = False
        if dense:
            data[is_e] = e.ravel()
            indices[is_e] = np.tile(np.arange(d, dtype=idx_dtype), n)
        else:
            data[is_e] = e[nz]
            indices[is_e] = np.nonzero(nz)[1]
        data[pos_t] = X_t.data
        indices[pos_t] = X_t.indices + d
        return sparse.csr_matrix(
            (data, indices, indptr.astype(idx_dtype)), shape=(n, d + X_t.shape[1])
        )

    def _fit_tfidf(self, segs: pd.DataFrame, emb: np.ndarray) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.tfidf_ = TfidfVectorizer(
            tokenizer=str.split,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, 2),
            min_df=2 if len(segs) >= 50 else 1,
            max_features=int(self.max_features),
            sublinear_tf=True,
            dtype=np.float64,
        )
        self.tfidf_.fit(segs["lemmas"].astype(str).tolist())
        return self._features(segs, emb=emb)

    def _fit_classifier(self, X: Any, seed: np.ndarray) -> None:
        from sklearn.linear_model import LogisticRegression

        n, K = seed.shape
        labels = self._pseudo_labels(seed)
        self.pseudo_counts_ = np.bincount(labels[labels >= 0], minlength=K)
        rows = np.flatnonzero(labels >= 0)
        coef = np.zeros((K, X.shape[1]), dtype=np.float64)
        intercept = np.zeros(K, dtype=np.float64)
        trained = np.zeros(K, dtype=bool)
        Xp = X[rows]
        yp = labels[rows]
        rng = np.random.default_rng(self.seed)
        for k in range(K):
            y = (yp == k).astype(int)
            if y.sum() < 2 or y.sum() == len(y):
                continue
            pos = np.flatnonzero(y == 1)
            neg = np.flatnonzero(y == 0)
            cap = int(self.negative_ratio) * len(pos)
            if self.negative_ratio and len(neg) > cap:
                # Seeded subsample of the other themes' pseudo-labels (speed; classes are
                # re-balanced by class_weight anyway).
                neg = np.sort(rng.choice(neg, size=cap, replace=False))
            sub = np.concatenate([pos, neg])
            sub.sort(kind="stable")
            clf = LogisticRegression(
                C=float(self.C),
                solver="liblinear",
                dual=True,
                class_weight="balanced" if self.balanced else None,
                random_state=int(self.seed),
                max_iter=int(self.max_iter),
                tol=1e-3,
            )
            clf.fit(Xp[sub], y[sub])
            coef[k] = clf.coef_[0]
            intercept[k] = clf.intercept_[0]
            trained[k] = True
        self.coef_, self.intercept_, self.trained_ = coef, intercept, trained

    def _pseudo_labels(self, seed: np.ndarray) -> np.ndarray:
        n, K = seed.shape
        labels = np.full(n, -1, dtype=np.int64)
        if K < 2:
            return labels
        order = np.argsort(-seed, axis=1, kind="stable")
        top, second = order[:, 0], order[:, 1]
        lead = seed[np.arange(n), top] - seed[np.arange(n), second]
        for k in range(K):
            cand = np.flatnonzero((top == k) & (seed[:, k] > -1.0))
            if cand.size == 0:
                continue
            take = int(min(self.pseudo_max, max(3, math.ceil(self.pseudo_frac_ * cand.size))))
            ranked = cand[np.argsort(-lead[cand], kind="stable")][:take]
            labels[ranked] = k
        return labels

    def _proba(self, X: Any, seed01: np.ndarray) -> np.ndarray:
        return self._sigmoid(np.asarray(X @ self.coef_.T), seed01)

    def _proba_rows(self, lemmas: list[str], emb: np.ndarray, seed01: np.ndarray) -> np.ndarray:
        """:meth:`_proba` of :meth:`_feature_matrix`, built ``_FEATURE_ROWS`` rows at a time (a
        row's product does not depend on the others, so the values are the same; the feature
        matrix of a whole in-memory input never exists at once)."""
        z = np.empty((len(lemmas), self.coef_.shape[0]), dtype=np.float64)
        for i in range(0, len(lemmas), _FEATURE_ROWS):
            X = self._feature_matrix(lemmas[i : i + _FEATURE_ROWS], emb[i : i + _FEATURE_ROWS])
            z[i : i + _FEATURE_ROWS] = np.asarray(X @ self.coef_.T)
        return self._sigmoid(z, seed01)

    def _sigmoid(self, xw: np.ndarray, seed01: np.ndarray) -> np.ndarray:
        z = xw + self.intercept_
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return np.where(self.trained_[None, :], p, seed01)

    def _fuse(self, proba: np.ndarray, seed01: np.ndarray) -> np.ndarray:
        w = float(self.classifier_weight)
        return w * proba + (1.0 - w) * seed01

    def _count_thresholds(self, fused: np.ndarray, veto: np.ndarray) -> np.ndarray:
        n, K = fused.shape
        th = np.ones(K, dtype=np.float64)
        if n == 0:
            return th
        f = np.where(veto, -1.0, fused)
        top = np.argmax(f, axis=1)
        counts = np.bincount(top, minlength=K) * float(self.count_factor_)
        for k in range(K):
            c = int(round(counts[k]))
            if c <= 0:
                th[k] = min(1.0, float(f[:, k].max()) + 1e-9)
                continue
            srt = np.sort(f[:, k])[::-1]
            # Midway between the c-th and (c+1)-th value, so no fitted row sits exactly on the
            # threshold (chunked and one-shot scoring then agree despite float rounding).
            c = min(c, n)
            cut = srt[c - 1] if c == n else 0.5 * (srt[c - 1] + srt[c])
            th[k] = float(np.clip(cut, 1e-6, 1.0 - 1e-6))
        self.estimated_counts_ = counts
        return th

    # ------------------------------------------------------------------ scoring / predict

    def _check_fitted(self) -> None:
        if not hasattr(self, "thresholds_"):
            from commentmine.errors import bad_argument

            raise bad_argument("this Tagger is not fitted yet; call fit(segments) first.")

    def _parts(
        self, segs: pd.DataFrame, pre: dict[str, Any] | None = None
    ) -> dict[str, np.ndarray]:
        lemmas = segs["lemmas"].astype(str).tolist()
        if pre is None:
            pre = self._unfitted_parts(segs, lemmas)
        tf, lengths, emb = pre["tf"], pre["lengths"], pre["emb"]
        parts = self._seed_parts(tf, lengths, emb, lemmas, pre.get("ex_tf"))
        if self.coef_ is not None and len(segs):
            parts["proba"] = self._proba_rows(lemmas, emb, parts["seed01"])
            fused = self._fuse(parts["proba"], parts["seed01"])
        else:
            parts["proba"] = np.full_like(parts["seed01"], np.nan)
            fused = parts["seed01"]
        parts["fused"] = fused
        t = self.thresholds_[None, :]
        score = np.where(
            fused <= t, 0.5 * fused / t, 0.5 + 0.5 * (fused - t) / np.maximum(1.0 - t, 1e-9)
        )
        score = np.clip(score, 0.0, 1.0)
        parts["score"] = np.where(parts["veto"], 0.0, score)
        return parts

    def _unfitted_parts(self, segs: pd.DataFrame, lemmas: list[str]) -> dict[str, Any]:
        """What scoring ``segs`` needs from the codebook and the embedder alone (not from the
        fit): keyword matches, lengths, exclusion matches and embeddings."""
        tf, lengths = self._match(lemmas)
        ex_tf = self._ex_matcher.match(lemmas)[0] if self.exclude_map_.shape[0] else None
        return {
            "tf": tf,
            "lengths": lengths,
            "ex_tf": ex_tf,
            "emb": self._embed(_texts(segs["text"])),
        }

    def prepare(self, segments: pd.DataFrame) -> dict[str, Any]:
        """The fit-independent part of :meth:`predict` for ``segments``, for
        ``predict(segments, prepared=...)``: the same table, sooner after the fit.

        Needs only the codebook and the embedder, which an unfitted Tagger sets up here on
        its first call, so it can run while the Tagger is still being fitted elsewhere
        (``commentmine.scale.tag_dask``).
        """
        if not hasattr(self, "codebook_"):  # neither fitted nor set up yet
            self._validate()
            self._set_up()
        segs = _check_segments(segments)
        segs = segs[self._keep_mask(segs)]
        pre = self._unfitted_parts(segs, segs["lemmas"].astype(str).tolist()) if len(segs) else {}
        pre["rows"] = len(segs)
        return pre

    def score(self, segments: pd.DataFrame) -> np.ndarray:
        """Scores in [0, 1], shape ``(n_segments, n_themes)``, columns ``themes_``.

        Interviewer segments (when not included) and non-answer segments score 0 for every
        theme.
        """
        self._check_fitted()
        segs = _check_segments(segments)
        out = np.zeros((len(segs), len(self.themes_)), dtype=np.float64)
        keep = self._keep_mask(segs)
        if keep.any():
            out[keep] = self._parts(segs[keep])["score"]
        out[_non_answers(segs)] = 0.0
        return out

    def _keep_mask(self, segs: pd.DataFrame) -> np.ndarray:
        if self.include_interviewer or "is_interviewer" not in segs.columns:
            return np.ones(len(segs), dtype=bool)
        return ~segs["is_interviewer"].astype(bool).to_numpy()

    def _theme_thresholds(self) -> np.ndarray:
        if self.threshold is not None:
            return np.full(len(self.themes_), float(self.threshold))
        out = np.full(len(self.themes_), 0.5)
        for k, tid in enumerate(self.themes_):
            th = getattr(self.codebook_.theme(tid), "threshold", None)
            if th is not None:
                out[k] = float(th)
        return out

    def _decide(
        self, segs: pd.DataFrame, parts: dict[str, np.ndarray], na: np.ndarray
    ) -> np.ndarray:
        """Which theme each segment carries (``commentmine._decide``): decided per comment."""
        from commentmine._decide import Decisions, comment_codes, decide

        th = self._theme_thresholds()
        codes, uniq = comment_codes(segs["comment_id"].to_numpy())
        valid = ~na & ~_back_channel(segs, parts["lex"])
        fused = np.where(parts["veto"], -1.0, parts["fused"])
        whole_f = whole_s = None
        rules = Decisions(
            long_comment=None if self.long_comment is None else int(self.long_comment),
            relative=float(self.relative),
            floor=float(self.fallback) if self.fallback is not None else float(th.min()),
            max_themes=int(self.max_themes),
            whole_weight=float(self.whole_comment),
            floor_on_best=bool(self.floor_on_best),
        )
        if rules.whole_weight > 0:
            whole_f, whole_s = self._whole_scores(segs, codes, len(uniq), valid)
        hit = decide(
            fused,
            parts["score"],
            th,
            codes,
            len(uniq),
            valid,
            rules,
            whole_fused=whole_f,
            whole_score=whole_s,
        )
        return hit & ~parts["veto"]

    def _whole_scores(
        self, segs: pd.DataFrame, codes: np.ndarray, n: int, valid: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Raw and rescaled scores of each multi-segment comment's text as one piece (its
        valid segments joined, in order); NaN rows for the others."""
        K = len(self.themes_)
        fused = np.full((n, K), np.nan)
        score = np.full((n, K), np.nan)
        counts = np.bincount(codes[valid], minlength=n)
        many = np.flatnonzero(counts > 1)
        if not many.size:
            return fused, score
        texts: dict[int, list[str]] = {}
        lemmas: dict[int, list[str]] = {}
        for c, ok, t, lem in zip(
            codes.tolist(),
            valid.tolist(),
            segs["text"].astype(str).tolist(),
            segs["lemmas"].astype(str).tolist(),
            strict=True,
        ):
            if ok and counts[c] > 1:
                texts.setdefault(c, []).append(t)
                lemmas.setdefault(c, []).append(lem)
        whole = pd.DataFrame(
            {
                "text": [" ".join(texts[c]) for c in many.tolist()],
                "lemmas": [" ".join(lemmas[c]) for c in many.tolist()],
            }
        )
        wp = self._parts(whole)
        fused[many] = np.where(wp["veto"], -1.0, wp["fused"])
        score[many] = wp["score"]
        return fused, score

    def predict(
        self, segments: pd.DataFrame, *, prepared: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        """Tags table for ``segments`` (one row per segment x theme reached, else ``uncoded``).

        Interviewer segments (when not included) are left out; see the module docs.
        ``prepared``: :meth:`prepare` of the same ``segments`` (by a Tagger of the same
        codebook, options and embedder), so as not to compute that part again.
        """
        self._check_fitted()
        segs = _check_segments(segments)
        segs = segs[self._keep_mask(segs)]
        if prepared is not None and prepared.get("rows") != len(segs):
            from commentmine.errors import bad_argument

            raise bad_argument("prepared= was made for other segments than these.")
        if len(segs) == 0:
            return _empty_tags(segs)
        parts = self._parts(segs, prepared)
        score = parts["score"]
        na = _non_answers(segs)
        score[na] = 0.0
        hit = self._decide(segs, parts, na)
        seg_idx, kk, uncoded = _hit_rows(hit, score)
        themes_arr = np.asarray(self.themes_, dtype=object)
        themes = np.where(uncoded, T.UNCODED, themes_arr[kk]).tolist()
        scores = score[seg_idx, kk]
        evid = self._evidence_json(parts, seg_idx, kk, uncoded)
        base = segs.iloc[seg_idx].reset_index(drop=True)
        out = pd.DataFrame(
            {
                "comment_id": base["comment_id"].astype(str).to_numpy(),
                "segment_id": base["segment_id"].astype(str).to_numpy(),
                "start": base["start"].to_numpy(),
                "end": base["end"].to_numpy(),
                # object dtype: a lone surrogate (kept verbatim) has no Arrow encoding
                "text": pd.Series(base["text"].to_numpy(), dtype=object),
                "theme": themes,
                "score": np.round(scores.astype(np.float64), 6),
                "evidence": evid,
            }
        )
        for col in _carried(segs.columns):
            out[col] = base[col].to_numpy()
        return out

    transform = predict

    def _evidence_json(
        self, parts: dict[str, np.ndarray], rows: np.ndarray, ks: np.ndarray, uncoded: np.ndarray
    ) -> list[str]:
        """The evidence column, one compact sorted-key JSON object per tag row.

        Keys: ``best`` (uncoded rows only: the best theme), ``classifier``, ``keywords`` (the
        matched terms of the row's theme), ``lexical``, ``nearest_example`` (cut to 80
        characters) and ``semantic``, numbers rounded to 3 places. Assembled from cached JSON
        fragments (a row's keyword list, a nearest example, a theme id) and Python's own
        ``round``/``repr`` of the numbers; tests/test_tag_evidence.py checks it byte for byte
        against ``json.dumps`` of the same dicts.
        """
        tf = parts["tf"].tocsr()
        W = self.term_weights_ > 0
        indptr, indices = tf.indptr.tolist(), tf.indices.tolist()
        classifier = _rounded_json(parts["proba"][rows, ks], nan_null=True)
        lexical = _rounded_json(parts["lex"][rows, ks])
        semantic = _rounded_json(parts["sem"][rows, ks])
        nearest = parts["nearest"][rows, ks].tolist()
        kw_cache: dict[tuple[tuple[int, ...], int], str] = {}
        ex_cache: dict[tuple[int, int], str] = {}
        heads = ['{"best":' + _dumps(t) + ',"classifier":' for t in self.themes_]
        out: list[str] = []
        append = out.append
        for i, k, ne, unc, c, lx, se in zip(
            rows.tolist(),
            ks.tolist(),
            nearest,
            uncoded.tolist(),
            classifier,
            lexical,
            semantic,
            strict=True,
        ):
            terms = tuple(indices[indptr[i] : indptr[i + 1]])
            kw = kw_cache.get((terms, k))
            if kw is None:
                kw = kw_cache[(terms, k)] = _dumps(
                    sorted({self.terms_[j].display for j in terms if W[j, k]})
                )
            ex = ex_cache.get((k, ne))
            if ex is None:
                text = self.examples_[k][ne] if ne >= 0 else None
                if text is not None and len(text) > 80:
                    text = text[:77] + "..."
                ex = ex_cache[(k, ne)] = _dumps(text)
            head = heads[k] if unc else '{"classifier":'
            append(
                f'{head}{c},"keywords":{kw},"lexical":{lx},"nearest_example":{ex},"semantic":{se}}}'
            )
        return out

    def fit_predict(self, segments: pd.DataFrame) -> pd.DataFrame:
        """``fit(segments).predict(segments)``."""
        return self.fit(segments).predict(segments)


_FAST_TFIDF = {
    "input": "content",
    "analyzer": "word",
    "lowercase": False,
    "preprocessor": None,
    "strip_accents": None,
    "stop_words": None,
    "ngram_range": (1, 2),
    "binary": False,
    "norm": "l2",
    "use_idf": True,
    "dtype": np.float64,
}


def _tfidf_transform(vec: Any, docs: list[str]) -> sparse.csr_matrix:
    """``vec.transform(docs)`` for the tagger's vectoriser (``str.split`` tokens, 1-2 grams).

    The n-gram counting is sklearn's ``CountVectorizer._count_vocab`` without its per-document
    analyser calls (half the time of the transform); the counts then go through the same
    sublinear TF, IDF and ``normalize`` steps as ``TfidfTransformer.transform``, so the matrix is
    the same to the bit (tests/test_tag.py). Another configuration is handed to ``vec``.
    """
    params = vec.get_params()
    vocab = getattr(vec, "vocabulary_", None)
    if (
        vocab is None
        or params["tokenizer"] is not str.split
        or any(params[k] != v for k, v in _FAST_TFIDF.items())
    ):
        return vec.transform(docs)
    from sklearn.preprocessing import normalize

    get = vocab.get
    cols: list[int] = []
    counts = np.zeros(len(docs) + 1, dtype=np.int64)
    for i, doc in enumerate(docs):
        toks = doc.split()
        found = [j for j in map(get, toks) if j is not None]
        pairs = map(" ".join, zip(toks, toks[1:], strict=False))
        found += [j for j in map(get, pairs) if j is not None]
        counts[i + 1] = len(found)
        cols += found
    rows = np.repeat(np.arange(len(docs)), counts[1:])
    X = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float64), (rows, np.asarray(cols, dtype=np.int64))),
        shape=(len(docs), len(vocab)),
    )
    X.sum_duplicates()  # sorted indices, one entry per term with its count
    if params["sublinear_tf"]:
        np.log(X.data, X.data)
        X.data += 1.0
    X.data *= vec.idf_[X.indices]
    return normalize(X, norm="l2", copy=False)


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _rounded_json(values: np.ndarray, *, nan_null: bool = False) -> list[str]:
    """``_dumps(round(float(v), 3))`` for each value, as JSON text (``null`` for NaN if
    ``nan_null``). ``json`` writes a finite float as its ``repr``."""
    vals = values.tolist()
    if np.isfinite(values).all():
        return [repr(round(v, 3)) for v in vals]
    return [
        repr(round(v, 3))
        if v - v == 0.0  # finite
        else ("null" if nan_null and v != v else _dumps(round(v, 3)))
        for v in vals
    ]


def _hit_rows(hit: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tag rows in output order: (segment row, theme column, is-uncoded) per row.

    Each segment gives one row per theme it reached (theme order), or one ``uncoded`` row
    whose column is its best-scoring theme.
    """
    n, K = score.shape
    any_hit = hit.any(axis=1)
    best = np.argmax(score, axis=1) if K else np.zeros(n, dtype=np.int64)
    mask = hit.copy()
    if K:
        lone = np.flatnonzero(~any_hit)
        mask[lone, best[lone]] = True
    rows, ks = np.nonzero(mask)  # row-major: by segment, then theme
    return rows, ks, ~any_hit[rows]


def _carried(columns: Sequence[str]) -> list[str]:
    own = set(T.TAG_COLUMNS) | {"lemmas", "n"}
    return [c for c in columns if c not in own]


def _empty_tags(segs: pd.DataFrame) -> pd.DataFrame:
    cols = T.TAG_COLUMNS + _carried(list(segs.columns))
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


def _check_segments(segments: Any) -> pd.DataFrame:
    from commentmine.errors import missing_column

    if not isinstance(segments, pd.DataFrame):
        from commentmine.errors import bad_argument

        raise bad_argument(f"expected a segments DataFrame, got {type(segments).__name__}.")
    for col in ("segment_id", "comment_id", "start", "end", "text", "lemmas"):
        if col not in segments.columns:
            raise missing_column(col, segments.columns, what="segments column")
    return segments


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


def comment_level(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    themes_order: Sequence[str],
    *,
    include_interviewer: bool = False,
) -> pd.DataFrame:
    """One row per comment: status, ``|``-joined themes (codebook order) and scores."""
    order = {t: i for i, t in enumerate(themes_order)}
    real = tags[tags["theme"] != T.UNCODED]
    best: dict[str, dict[str, float]] = {}
    for cid, th, sc in zip(real["comment_id"], real["theme"], real["score"], strict=True):
        d = best.setdefault(str(cid), {})
        if sc > d.get(th, -1.0):
            d[th] = float(sc)
    status_col = _comment_status(comments, tags, include_interviewer=include_interviewer)
    themes_out, scores_out = [], []
    for cid, st in zip(comments["comment_id"].astype(str), status_col, strict=True):
        if st == T.STATUS_TAGGED:
            d = best[cid]
            ths = sorted(d, key=lambda t: order.get(t, len(order)))
            themes_out.append("|".join(ths))
            scores_out.append("|".join(f"{d[t]:.3f}" for t in ths))
        else:
            themes_out.append("")
            scores_out.append("")
    out = pd.DataFrame(
        {
            "comment_id": comments["comment_id"].astype(str).to_numpy(),
            "status": status_col,
            "themes": themes_out,
            "scores": scores_out,
        }
    )
    drop = set(T.COMMENT_TAG_COLUMNS) | {"text", "speaker", "is_interviewer"}
    for col in comments.columns:
        if col not in drop:
            out[col] = comments[col].to_numpy()
    return out


def _comment_status(
    comments: pd.DataFrame, tags: pd.DataFrame, *, include_interviewer: bool = False
) -> list[str]:
    tagged = set(tags.loc[tags["theme"] != T.UNCODED, "comment_id"].astype(str))
    status = (
        comments["status"].astype(str).tolist()
        if "status" in comments.columns
        else [T.STATUS_OK] * len(comments)
    )
    inter = (
        comments["is_interviewer"].astype(bool).tolist()
        if "is_interviewer" in comments.columns
        else [False] * len(comments)
    )
    out = []
    for cid, st, iv in zip(comments["comment_id"].astype(str), status, inter, strict=True):
        if st in (T.STATUS_EMPTY, T.STATUS_NON_ANSWER):
            out.append(st)
        elif iv and not include_interviewer:
            out.append("interviewer")
        elif cid in tagged:
            out.append(T.STATUS_TAGGED)
        else:
            out.append(T.STATUS_UNCODED)
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def _non_answers(segs: pd.DataFrame) -> np.ndarray:
    """Rows whose segment text is a non-answer on its own ("Nothing.", "No.", "N/A")."""
    from commentmine.ingest import STATUS_NON_ANSWER, answer_status

    return np.fromiter(
        (answer_status(t) == STATUS_NON_ANSWER for t in segs["text"].tolist()),
        dtype=bool,
        count=len(segs),
    )


#: An interview turn's sentence needs this many content words (or a codebook term) to carry a
#: theme: "He rings me." and "Right, yes." are conversation, not evidence.
MIN_TURN_WORDS = 3


def _back_channel(segs: pd.DataFrame, lexical: np.ndarray) -> np.ndarray:
    """Sentences of interview turns (a ``speaker`` is set) with fewer than
    :data:`MIN_TURN_WORDS` content words and no codebook term. Survey answers are exempt: a
    short answer there ("Very good.") answers the question."""
    if "speaker" not in segs.columns or not len(segs):
        return np.zeros(len(segs), dtype=bool)
    turn = segs["speaker"].fillna("").astype(str).str.strip().ne("").to_numpy()
    if not turn.any():
        return turn
    stop = _stopwords()
    words = np.fromiter(
        (
            sum(1 for w in lem.split() if _TOKEN_OK.match(w) and w not in stop and len(w) > 2)
            for lem in segs["lemmas"].astype(str).tolist()
        ),
        dtype=np.int64,
        count=len(segs),
    )
    no_term = ~(np.asarray(lexical) > 0).any(axis=1) if lexical.size else np.ones(len(segs), bool)
    return turn & (words < MIN_TURN_WORDS) & no_term


def _texts(column: pd.Series) -> list[str]:
    """Texts to embed; lone surrogates (which no encoder accepts) become U+FFFD."""
    return [_SURROGATE.sub("\ufffd", str(t)) for t in column.tolist()]


def _accounting(statuses: Sequence[str]) -> dict[str, Any]:
    from collections import Counter

    c = Counter(statuses)
    skipped = {k: int(c.get(k, 0)) for k in ("empty", "non_answer", "interviewer")}
    return {
        "comments_in": int(len(statuses)),
        "tagged": int(c.get(T.STATUS_TAGGED, 0)),
        "uncoded": int(c.get(T.STATUS_UNCODED, 0)),
        "skipped": skipped,
    }


# --------------------------------------------------------------------------------------------
# function form
# --------------------------------------------------------------------------------------------


def tag(
    comments: pd.DataFrame,
    codebook: Any = None,
    *,
    model: Any = None,
    embedder: Any = None,
    level: str = "segment",
    threshold: float | None = None,
    seed: int = 0,
    include_interviewer: bool = False,
    self_train: bool = True,
    fit_sample: int = 20000,
    chunk_size: int = 50000,
    **options: Any,
) -> pd.DataFrame:
    """Tag comments (or segments) with a codebook's themes.

    Parameters
    ----------
    comments : DataFrame
        A comments table (from :func:`commentmine.read`; it is segmented here) or a segments
        table (has ``segment_id``). A Dask DataFrame holding a comments table is tagged on
        Dask by :func:`commentmine.scale.tag_dask` (a local cluster; same rows, in order).
    codebook : Codebook or str or Path, optional
        A codebook, file or built-in name such as ``"vcse-pcc"``. Give this or ``model``.
    model : ThemeModel or str or Path, optional
        A theme model trained from coded examples (:func:`commentmine.train`, or the folder
        ``commentmine train`` / :meth:`ThemeModel.save` wrote) to tag with instead of the
        codebook tagger; it carries its own codebook. Only ``level``, ``include_interviewer``
        and, for a folder, ``embedder`` apply.
    embedder : Embedder or str, optional
        Backend name, model folder or object (default: full MiniLM through onnxruntime,
        ``"minilm-onnx"``; ``"static"`` for the bundled static model, about ten times faster
        to embed; with a trained model folder, the one it was trained with).
    level : {"segment", "comment"}, default "segment"
        ``"segment"``: the tags table; ``"comment"``: one row per comment with ``status``,
        ``themes`` and ``scores``.
    threshold : float, optional
        Global threshold on the [0, 1] score (default: per theme, 0.5 unless the theme sets one).
    seed : int, default 0
        Seed of the fit sample and classifiers.
    include_interviewer : bool, default False
        Also tag interviewer turns (otherwise they are skipped and counted as such).
    self_train : bool, default True
        Learn a pseudo-labelled classifier on the corpus.
    fit_sample : int, default 20000
        Segments used by the fit pass (a seeded sample when there are more).
    chunk_size : int, default 50000
        Segments scored per chunk in the apply pass.
    **options
        Further :class:`Tagger` parameters.

    Returns
    -------
    DataFrame
        Tags table or comment-level table (see ``commentmine._tables``);
        ``attrs["accounting"]`` holds the comment accounting, ``attrs["codebook"]`` its name,
        ``attrs["warnings"]`` the signs that the tags look unreliable (one line each, also
        issued as :class:`commentmine._checks.TaggingWarning`; see that module).

    Examples
    --------
    >>> import commentmine as cm
    >>> comments = cm.read("corpora/vcse_pcc_survey.csv")   # doctest: +SKIP
    >>> tags = cm.tag(comments, "vcse-pcc")                  # doctest: +SKIP
    >>> tags = cm.tag(comments, model="my-model/")           # doctest: +SKIP
    """
    from commentmine.errors import bad_argument

    if level not in ("segment", "comment"):
        raise bad_argument(f"level must be 'segment' or 'comment', got {level!r}.")
    if model is not None:
        return _tag_with_model(
            comments,
            model,
            codebook=codebook,
            embedder=embedder,
            level=level,
            include_interviewer=include_interviewer,
            threshold=threshold,
            options=options,
        )
    if codebook is None:
        raise bad_argument(
            "give a codebook (a file or a built-in name such as 'vcse-pcc') or model= "
            "(a theme model from commentmine.train)."
        )
    if type(comments).__module__.startswith("dask"):  # a Dask DataFrame: run on the cluster
        from commentmine.scale import tag_dask

        return tag_dask(
            comments,
            codebook,
            embedder=embedder,
            level=level,
            threshold=threshold,
            seed=seed,
            include_interviewer=include_interviewer,
            self_train=self_train,
            fit_sample=fit_sample,
            progress=False,
            **options,
        )
    if not isinstance(comments, pd.DataFrame):
        raise bad_argument(f"expected a DataFrame, got {type(comments).__name__}.")
    if int(chunk_size) < 1:
        raise bad_argument(f"chunk_size must be >= 1, got {chunk_size!r}.")
    if "segment_id" in comments.columns:
        segs = comments
        comment_table = _comments_from_segments(segs)
    else:
        from commentmine.errors import missing_column
        from commentmine.segment import segment

        for col in ("comment_id", "text"):
            if col not in comments.columns:
                raise missing_column(col, comments.columns, what="comments column")
        comment_table = comments
        if "status" not in comment_table.columns:
            comment_table = comment_table.assign(status=T.STATUS_OK)
        segs = segment(comment_table, include_interviewer=True)
    tagger = Tagger(
        codebook,
        embedder=embedder,
        threshold=threshold,
        seed=seed,
        include_interviewer=include_interviewer,
        self_train=self_train,
        fit_sample=fit_sample,
        **options,
    )
    tagger.fit(segs)
    chunks = [tagger.predict(segs.iloc[a:b]) for a, b in _comment_chunks(segs, int(chunk_size))]
    chunks = [c for c in chunks if len(c)] or [_empty_tags(segs)]
    tags = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    statuses = _comment_status(comment_table, tags, include_interviewer=include_interviewer)
    from commentmine._checks import tagging_warnings, warn

    notes = tagging_warnings(tags, tagger.themes_, tagger._theme_thresholds().tolist())
    warn(notes)
    if level == "comment":
        out = comment_level(
            tags, comment_table, tagger.themes_, include_interviewer=include_interviewer
        )
    else:
        out = tags
    out.attrs["accounting"] = _accounting(statuses)
    out.attrs["codebook"] = str(getattr(tagger.codebook_, "name", ""))
    out.attrs["themes"] = list(tagger.themes_)
    out.attrs["warnings"] = notes
    return out


def _comment_chunks(segs: pd.DataFrame, size: int) -> list[tuple[int, int]]:
    """Row ranges of about ``size`` segments that never split a comment (a comment's themes
    are decided from all of its segments in one :meth:`Tagger.predict` call)."""
    n = len(segs)
    if n <= size:
        return [(0, max(n, 1))]
    ids = segs["comment_id"].astype(str).to_numpy()
    starts = np.r_[np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]), n]  # run starts, then n
    out, a = [], 0
    while a < n:
        # the last comment start at or before a + size; past it when one comment is longer
        b = int(starts[np.searchsorted(starts, a + size, side="right") - 1])
        if b <= a:
            b = int(starts[np.searchsorted(starts, a, side="right")])
        out.append((a, b))
        a = b
    return out


def _tag_with_model(
    comments: pd.DataFrame,
    model: Any,
    *,
    codebook: Any,
    embedder: Any,
    level: str,
    include_interviewer: bool,
    threshold: float | None,
    options: dict[str, Any],
) -> pd.DataFrame:
    """:func:`tag` with a trained :class:`commentmine.train.ThemeModel` (object or folder)."""
    from commentmine.errors import bad_argument
    from commentmine.train import ThemeModel, load_theme_model

    if codebook is not None:
        raise bad_argument(
            "give codebook or model, not both: a trained model carries its own codebook."
        )
    if threshold is not None or options:
        given = ["threshold"] * (threshold is not None) + sorted(options)
        raise bad_argument(
            f"{', '.join(given)} do not apply to a trained model, which has its own "
            "per-theme thresholds; drop them or tag with a codebook."
        )
    if not isinstance(comments, pd.DataFrame):
        raise bad_argument(
            f"a trained model tags a pandas DataFrame, got {type(comments).__name__}."
        )
    if isinstance(model, ThemeModel):
        if embedder is not None:
            raise bad_argument(
                "embedder applies to a model folder; a ThemeModel object keeps its own."
            )
        tm = model
    else:
        tm = load_theme_model(model, embedder=embedder)
    return tm.tag(comments, level=level, include_interviewer=include_interviewer)


def _comments_from_segments(segs: pd.DataFrame) -> pd.DataFrame:
    cols = ["comment_id"] + [
        c for c in ("respondent_id", "question", "source", "is_interviewer") if c in segs.columns
    ]
    first = segs[cols].drop_duplicates("comment_id", keep="first").reset_index(drop=True)
    first["comment_id"] = first["comment_id"].astype(str)
    first["status"] = T.STATUS_OK
    return first
