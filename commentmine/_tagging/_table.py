"""The tables a tagger hands back, and the comment accounting: shared by the codebook tagger
(:func:`commentmine.tag`), the theme models (:func:`commentmine.train`) and the chunked and Dask
paths (:mod:`commentmine.scale`), so that each builds them the same way.

* the tags table: one row per segment x theme reached, or one ``uncoded`` row (columns
  ``commentmine._tables.TAG_COLUMNS``, then the segments' other columns);
* the comment-level table: one row per comment with ``status``, ``themes`` and ``scores``;
* the accounting (:class:`Accounting`): ``comments_in == tagged + uncoded +
  sum(skipped.values())``, added up across chunks with ``+``; :func:`accounting` counts it
  from the tables alone;
* a whole run (:class:`TagRun`): its table with the accounting, the codebook's name, the
  themes and the warnings (what the package's own callers, the CLI and the scaled paths, read;
  the tables themselves carry no ``attrs``).

:func:`tables` builds the table and its accounting from a tags table; :func:`finish` (a whole
input) and :func:`commentmine._tagging._run.tag_chunk` (one chunk of it) both call it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from commentmine import _tables as T


def carried(columns: Sequence[str]) -> list[str]:
    """The segments' columns a tags table carries after its own."""
    own = set(T.TAG_COLUMNS) | {"lemmas", "n"}
    return [c for c in columns if c not in own]


def empty_tags(segs: pd.DataFrame) -> pd.DataFrame:
    """A tags table with no rows (and the columns ``segs`` would give)."""
    cols = T.TAG_COLUMNS + carried(list(segs.columns))
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


def tags_frame(
    segs: pd.DataFrame,
    rows: np.ndarray,
    themes: Sequence[str],
    scores: Any,
    evidence: Sequence[str],
) -> pd.DataFrame:
    """The tags table: for each tag row, segment ``segs.iloc[rows[i]]``, its theme, score and
    evidence; then every carried column of the segments."""
    base = segs.iloc[rows].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "comment_id": base["comment_id"].astype(str).to_numpy(),
            "segment_id": base["segment_id"].astype(str).to_numpy(),
            "start": base["start"].to_numpy(),
            "end": base["end"].to_numpy(),
            # object dtype: a lone surrogate (kept verbatim) has no Arrow encoding
            "text": pd.Series(base["text"].to_numpy(), dtype=object),
            "theme": themes,
            "score": scores,
            "evidence": evidence,
        }
    )
    for col in carried(segs.columns):
        out[col] = base[col].to_numpy()
    return out


def comments_from_segments(segs: pd.DataFrame) -> pd.DataFrame:
    """The comments table a segments table stands for (one row per comment, status ``ok``)."""
    cols = ["comment_id"] + [
        c for c in ("respondent_id", "question", "source", "is_interviewer") if c in segs.columns
    ]
    first = segs[cols].drop_duplicates("comment_id", keep="first").reset_index(drop=True)
    first["comment_id"] = first["comment_id"].astype(str)
    first["status"] = T.STATUS_OK
    return first


def comments_and_segments(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(comments, segments)`` of a comments table (segmented here, interviewer turns kept)
    or of a segments table (has ``segment_id``)."""
    if "segment_id" in table.columns:
        return comments_from_segments(table), table
    from commentmine._segment import segment
    from commentmine.errors import missing_column

    for col in ("comment_id", "text"):
        if col not in table.columns:
            raise missing_column(col, table.columns, what="comments column")
    if "status" not in table.columns:
        table = table.assign(status=T.STATUS_OK)
    return table, segment(table, include_interviewer=True)


def comment_status(
    comments: pd.DataFrame, tags: pd.DataFrame, *, include_interviewer: bool = False
) -> list[str]:
    """Per comment: ``empty``, ``non_answer``, ``interviewer``, ``tagged`` or ``uncoded``."""
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


SKIP_REASONS = ("empty", "non_answer", "interviewer")


def _no_skips() -> dict[str, int]:
    return dict.fromkeys(SKIP_REASONS, 0)


@dataclass(frozen=True)
class Accounting:
    """What happened to the comments of a table or a chunk (or of several, added with ``+``).

    Attributes
    ----------
    comments_in : int
        Comments read.
    tagged : int
        Comments with at least one theme.
    uncoded : int
        Answered comments with no theme.
    skipped : dict of str to int
        Comments not tagged, by reason (``empty``, ``non_answer``, ``interviewer``).
    """

    comments_in: int = 0
    tagged: int = 0
    uncoded: int = 0
    skipped: dict[str, int] = field(default_factory=_no_skips)

    @classmethod
    def of(cls, statuses: Sequence[str]) -> Accounting:
        """The counts of comments with these statuses (:func:`comment_status`'s, per comment)."""
        c = Counter(statuses)
        return cls(
            int(len(statuses)),
            int(c.get(T.STATUS_TAGGED, 0)),
            int(c.get(T.STATUS_UNCODED, 0)),
            {k: int(c.get(k, 0)) for k in SKIP_REASONS},
        )

    def __add__(self, other: Accounting) -> Accounting:
        keys = dict.fromkeys([*self.skipped, *other.skipped])
        return Accounting(
            self.comments_in + other.comments_in,
            self.tagged + other.tagged,
            self.uncoded + other.uncoded,
            {k: self.skipped.get(k, 0) + other.skipped.get(k, 0) for k in keys},
        )

    def as_dict(self) -> dict[str, Any]:
        """As JSON: the run manifests' ``data.accounting`` and the scaled paths' summaries."""
        return {
            "comments_in": int(self.comments_in),
            "tagged": int(self.tagged),
            "uncoded": int(self.uncoded),
            "skipped": {k: int(v) for k, v in self.skipped.items()},
        }


def accounting(
    table: pd.DataFrame,
    comments: pd.DataFrame | None = None,
    *,
    include_interviewer: bool | None = None,
) -> Accounting:
    """What happened to each comment of a tagging run, counted from its tables.

    The counts :func:`commentmine.tag` makes of a run (the CLI prints them and writes them to
    the run manifest), from the tables alone, so that they hold for a table read back from a
    file too.

    Parameters
    ----------
    table : DataFrame
        A comment-level table (``tag(..., level="comment")``: counted from its ``status``
        column) or a tags table (needs ``comments``).
    comments : DataFrame, optional
        The comments (or segments) table that was tagged; required with a tags table.
    include_interviewer : bool, optional
        Whether the run tagged interviewer turns (default: it did when ``table`` has a row of
        an interviewer's comment, as only such a run gives them rows). Ignored for a
        comment-level table.

    Returns
    -------
    Accounting
        ``comments_in == tagged + uncoded + sum(skipped.values())``; ``skipped`` by reason
        (``empty``, ``non_answer``, ``interviewer``). ``as_dict()`` gives it as JSON.

    Raises
    ------
    InputError
        E301 for a tags table without ``comments``, E001 for a table with neither ``theme``
        nor ``status``.

    Examples
    --------
    >>> import commentmine as cm
    >>> comments = cm.read("corpora/vcse_pcc_survey.csv", id_col="respondent_id")  # doctest: +SKIP
    >>> tags = cm.tag(comments, "vcse-pcc")                                        # doctest: +SKIP
    >>> cm.accounting(tags, comments).as_dict()                                    # doctest: +SKIP
    """
    from commentmine.errors import bad_argument, missing_column

    if "theme" not in table.columns:
        if "status" not in table.columns:
            raise missing_column("theme", table.columns, what="tags column")
        return Accounting.of(table["status"].astype(str).tolist())
    if comments is None:
        raise bad_argument(
            "give the comments that were tagged: a tags table holds no row for an empty or "
            "skipped comment, so it cannot be counted alone."
        )
    if "segment_id" in comments.columns:
        comments = comments_from_segments(comments)
    if include_interviewer is None:  # only a run that tags interviewer turns gives them rows
        include_interviewer = "is_interviewer" in comments.columns and not set(
            comments.loc[comments["is_interviewer"].astype(bool), "comment_id"].astype(str)
        ).isdisjoint(table["comment_id"].astype(str))
    return Accounting.of(comment_status(comments, table, include_interviewer=include_interviewer))


def comment_level(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    themes_order: Sequence[str],
    *,
    include_interviewer: bool = False,
) -> pd.DataFrame:
    """One row per comment: status, ``|``-joined themes (codebook order) and scores."""
    statuses = comment_status(comments, tags, include_interviewer=include_interviewer)
    return _comment_table(tags, comments, themes_order, statuses)


def _comment_table(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    themes_order: Sequence[str],
    status_col: Sequence[str],
) -> pd.DataFrame:
    order = {t: i for i, t in enumerate(themes_order)}
    real = tags[tags["theme"] != T.UNCODED]
    best: dict[str, dict[str, float]] = {}
    for cid, th, sc in zip(real["comment_id"], real["theme"], real["score"], strict=True):
        d = best.setdefault(str(cid), {})
        if sc > d.get(th, -1.0):
            d[th] = float(sc)
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


def tables(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    themes: Sequence[str],
    *,
    level: str,
    include_interviewer: bool,
) -> tuple[pd.DataFrame, Accounting]:
    """The tags table or (``level="comment"``) the comment-level table of ``comments``, and
    their :class:`Accounting`."""
    statuses = comment_status(comments, tags, include_interviewer=include_interviewer)
    out = _comment_table(tags, comments, themes, statuses) if level == "comment" else tags
    return out, Accounting.of(statuses)


@dataclass(frozen=True)
class TagRun:
    """A tagging run: its table and what is known of the run beyond the table.

    What the package's own callers need (the CLI's summary and manifest, the scaled paths);
    :func:`commentmine.tag` hands back only ``table`` and issues ``warnings``.

    Attributes
    ----------
    table : DataFrame
        The tags table, or the comment-level table.
    accounting : Accounting
        What happened to each comment (as :func:`accounting` counts it from the tables).
    codebook : str
        The codebook's name.
    themes : tuple of str
        The themes scored, in codebook order.
    warnings : tuple of str
        The signs that the tags look unreliable (:func:`commentmine._checks.tagging_warnings`),
        one line each; empty when none were looked for.
    """

    table: pd.DataFrame
    accounting: Accounting
    codebook: str
    themes: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def finish(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    themes: Sequence[str],
    *,
    level: str,
    include_interviewer: bool,
    codebook: str,
    warnings: Sequence[str] = (),
) -> TagRun:
    """:func:`tables` as a :class:`TagRun`, with the codebook's name, the themes and the
    warnings."""
    out, acc = tables(tags, comments, themes, level=level, include_interviewer=include_interviewer)
    return TagRun(out, acc, codebook, tuple(themes), tuple(warnings))
