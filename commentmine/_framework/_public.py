"""The evaluator's framework matrix: cases x themes with the evidence, and the range of views.

UK evaluators analyse interviews with the Framework method (NatCen; Ritchie and Spencer): one
row per case (an interviewee, an organisation, a network), one column per theme, and in each
cell that case's evidence on the theme, summarised, with verbatim references. Each theme's
section is then written from the range of views across the cases. :func:`framework` fills
such a matrix from a tags table:

- **cells**: every tagged segment of a case on a theme (never an interviewer's turn), verbatim
  and redacted, with its reference (source file, turn or question, character offsets into the
  original comment), plus an extractive summary: the one or two segments of the cell that are
  surest to be about the theme (tag score; among equal scores, the most central: cosine to the
  cell's centroid), picked deterministically, see :data:`SUMMARY_WEIGHT`;
- **views**: within each theme group (a top-level theme and its sub-themes), the main positions.
  Sub-themes are the views where the codebook has them ("collaboration" vs "competition");
  otherwise the group's segments are clustered into 2-4 views (agglomerative clustering of their
  embeddings, the number of views chosen by a deterministic rule, see :data:`N_VIEWS_RULE`).
  Each view has a polarity (positive / negative / mixed / neutral, from the VADER lexicon,
  :data:`POLARITY_CUT`), the cases holding it, and one quote;
- **cases**: one row per case with its metadata (date, role, organisation ...).

>>> import commentmine as cm
>>> comments = cm.read("corpora/interviews")                        # doctest: +SKIP
>>> tags = cm.tag(comments, codebook="vcse-pcc")                     # doctest: +SKIP
>>> fw = cm.framework(tags, comments, "vcse-pcc")                    # doctest: +SKIP
>>> fw.matrix().loc["network_lead_north", "funding_barriers"]        # doctest: +SKIP
'Short-term pots. [network_lead_north.txt, turn 6, 0-16] ...'

``commentmine.export.write_framework`` writes ``framework.xlsx`` (one sheet per theme group,
wrapped cells, a case sheet), a Word/HTML appendix and a REFI-QDA project with the same codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from commentmine import errors

# The defaults and the table columns, each documented where it is defined (_framework/_base.py)
from commentmine._framework._base import CELL_COLUMNS as CELL_COLUMNS
from commentmine._framework._base import EVIDENCE_COLUMNS as EVIDENCE_COLUMNS
from commentmine._framework._base import MAX_CLUSTERED as MAX_CLUSTERED
from commentmine._framework._base import MIN_SEGMENTS_TO_CLUSTER as MIN_SEGMENTS_TO_CLUSTER
from commentmine._framework._base import MIN_VIEW_SIZE as MIN_VIEW_SIZE
from commentmine._framework._base import (
    N_VIEWS_RULE,
    POLARITY_CUT,
    POLARITY_WEIGHT,
    SUMMARY_WEIGHT,
    VIEW_MARGIN,
)
from commentmine._framework._base import NEAR_DUPLICATE as NEAR_DUPLICATE
from commentmine._framework._base import NOT_FOR_QUOTATION as NOT_FOR_QUOTATION
from commentmine._framework._base import REDACTION_COLUMNS as REDACTION_COLUMNS
from commentmine._framework._base import SEED_SHARE as SEED_SHARE
from commentmine._framework._base import VIEW_COLUMNS as VIEW_COLUMNS
from commentmine._framework._build import build
from commentmine._framework._evidence import check_inputs
from commentmine._framework._polarity import polarity_scores
from commentmine._framework._polarity import segment_polarity as segment_polarity
from commentmine._framework._polarity import view_polarity as view_polarity
from commentmine._framework._views import choose_views as choose_views
from commentmine._framework._views import polar_phrase, polarity_views, view_phrase
from commentmine._framework._views import view_features as view_features

__all__ = [
    "Framework",
    "framework",
    "polarity_scores",
    "polarity_views",
    "POLARITY_CUT",
    "VIEW_MARGIN",
    "N_VIEWS_RULE",
    "POLARITY_WEIGHT",
    "SUMMARY_WEIGHT",
]


@dataclass
class Framework:
    """A framework matrix: cases x themes with the evidence, and the range of views.

    Made by :func:`framework`; written by :func:`commentmine.export.write_framework`.

    Attributes
    ----------
    cells : DataFrame
        One row per case x theme that has evidence: ``case, group, theme, label, n_segments,
        n_comments, summary`` (the cell's 1-2 surest segments, redacted, each followed by its
        reference in brackets), ``summary_refs``, ``evidence`` (every segment of the cell with
        its reference, one per line, in source order) and ``segment_ids`` (``|``-joined).
    evidence : DataFrame
        One row per segment x theme x case: ``case, group, theme, view, segment_id,
        comment_id, source, turn`` (interview turn number, "" for surveys), ``speaker,
        question, start, end`` (offsets into the ORIGINAL comment text), ``ref`` ("file, turn
        6, 0-16"), ``text`` (the segment, redacted unless ``redact=False``), ``score`` (tag
        score), ``sentiment`` (VADER compound in [-1, 1]), ``polarity`` (positive / negative /
        neutral), ``centrality`` (cosine to the cell's centroid) and ``summary_rank`` (1 or 2
        when the segment is in the cell's summary, else 0).
    views : DataFrame
        One row per view: ``group, view, label, kind`` (``sub-theme``, ``cluster`` or
        ``all``), ``polarity`` (positive / negative / mixed / neutral), ``positive`` and
        ``negative`` (shares of its segments), ``n_segments, n_cases, cases`` (``; ``-joined),
        ``quote`` (its segment with the best mean of tag score and centrality in the view,
        redacted), ``quote_case``, ``quote_ref`` and ``quote_segment`` (its segment id).
    cases : DataFrame
        One row per case: ``case, n_comments`` (answered turns or answers, interviewer turns
        excluded), ``n_segments`` (evidence rows), ``sources`` and the metadata columns (a value
        per case; several distinct values are ``; ``-joined). When redacting, the interview
        header fields ``interviewee`` and ``organisation`` become ``[NAME]`` / ``[ORG]``; other
        metadata (role, date, region ...) is shown as given, as in report attributions.
    themes : DataFrame
        One row per theme with evidence, in codebook order: ``theme, label, group,
        group_label, level`` (1 for a top-level theme, 2 for a sub-theme).
    case_col : str
        The column that defines the cases.
    codebook : Codebook or None
    settings : dict
        The options the matrix was made with (for the manifest and the appendix).
    comments : DataFrame or None
        The comments table the matrix was made from (the REFI-QDA export's sources).
    redactions : DataFrame
        One row per redaction in the evidence segments (:data:`REDACTION_COLUMNS`):
        ``segment_id, placeholder, type, reason`` and, for the analyst's check only, the
        ``original`` words with the ``original_segment`` and ``redacted_segment``.
    """

    cells: pd.DataFrame
    evidence: pd.DataFrame
    views: pd.DataFrame
    cases: pd.DataFrame
    themes: pd.DataFrame
    case_col: str
    codebook: Any = None
    settings: dict[str, Any] = field(default_factory=dict)
    comments: pd.DataFrame | None = field(default=None, repr=False)
    redactions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=REDACTION_COLUMNS), repr=False
    )

    @property
    def groups(self) -> list[str]:
        """Theme group ids in codebook order."""
        return list(dict.fromkeys(self.themes["group"].astype(str)))

    def group_label(self, group: str) -> str:
        """The label of a theme group."""
        rows = self.themes[self.themes["group"] == group]
        return str(rows["group_label"].iloc[0]) if len(rows) else group

    def matrix(self, what: str = "evidence") -> pd.DataFrame:
        """The matrix as a wide table: one row per case, one column per theme.

        Parameters
        ----------
        what : {"evidence", "summary", "n_segments"}, default "evidence"
            What a cell shows. Cells without evidence are "" (0 for ``n_segments``).

        Returns
        -------
        DataFrame
            Indexed by case (every case, in :attr:`cases` order), columns theme ids in
            codebook order.
        """
        if what not in ("evidence", "summary", "n_segments"):
            raise errors.bad_argument(
                f"what={what!r}: choose 'evidence', 'summary' or 'n_segments'."
            )
        fill: Any = 0 if what == "n_segments" else ""
        wide = self.cells.pivot(index="case", columns="theme", values=what)
        wide = wide.reindex(index=self.cases["case"], columns=self.themes["theme"])
        wide = wide.fillna(fill)
        if what == "n_segments":
            wide = wide.astype(int)
        wide.index.name = self.case_col
        wide.columns.name = None
        return wide

    def range_of_views(self, group: str) -> str:
        """One paragraph on the range of views in a theme group, built from the counts.

        >>> fw.range_of_views("funding_barriers")                          # doctest: +SKIP
        '6 cases gave evidence on Funding barriers. View 1 (grants, short-term, ...), mostly
        negative, was held by 5 of the 6 (...); view 2 (...) ...'
        """
        v = self.views[self.views["group"] == group]
        if v.empty:
            return ""
        holders = self.cells.loc[self.cells["group"] == group, "case"].nunique()
        label = self.group_label(group)
        noun = "case" if holders == 1 else "cases"
        head = f"{holders} {noun} gave evidence on {label}."
        if len(v) == 1:
            r = v.iloc[0]
            return f"{head} It reads as one view, {polar_phrase(str(r['polarity']))}."
        parts = []
        for i, r in enumerate(v.itertuples(index=False)):
            name = view_phrase(str(r.label))
            name = name[:1].upper() + name[1:] if i == 0 else name
            share = f"all {holders}" if r.n_cases == holders else f"{r.n_cases} of the {holders}"
            verb = "was held by " if i == 0 else "by "
            who = str(r.cases).replace("; ", ", ")
            parts.append(f"{name}, {polar_phrase(str(r.polarity))}, {verb}{share} ({who})")
        return f"{head} " + "; ".join(parts) + ". A case can hold more than one view."


def framework(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any = None,
    *,
    case_col: str | None = None,
    redact: bool | str = True,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    allow: Sequence[str] = (),
    embedder: Any = None,
    n_views: str | int = N_VIEWS_RULE,
    polarity_cut: float = POLARITY_CUT,
    view_margin: float = VIEW_MARGIN,
    summary_weight: float = SUMMARY_WEIGHT,
    min_score: float = 0.0,
    polarity_weight: float = POLARITY_WEIGHT,
    consent_col: str | bool | None = None,
) -> Framework:
    """Build the framework matrix: cases x themes with the evidence, and the range of views.

    Parameters
    ----------
    tags : DataFrame
        Segment-level tags table (:func:`commentmine.tag`, possibly edited by an analyst):
        needs ``comment_id, segment_id, start, end, theme`` (``score`` defaults to 1).
    comments : DataFrame
        The comments table the tags came from (:func:`commentmine.read`): the source of every
        segment's text (cells are sliced from it, so they are verbatim), of the cases and of
        their metadata. Interviewer turns (``is_interviewer``) are never evidence.
    codebook : Codebook or str, optional
        Theme labels, order and sub-themes (theme groups; sub-themes are a group's views).
        Without one, every theme in the tags is its own group.
    case_col : str, optional
        Column of ``comments`` that defines the cases (``"organisation"``, ``"role"``, a
        survey's ``"org_type"`` ...). Default ``respondent_id``: one case per survey
        respondent or per interview file (a group interview is one case; give
        ``case_col="speaker"`` for one case per speaker label). Case labels are the column's
        values as given, never redacted (they name the matrix's rows): use a column of roles
        or pseudonyms for a matrix that leaves the team.
    redact : bool or str, default True
        Redact every text that leaves the function (segments, quotes, speaker labels) with
        :func:`commentmine._redact._public.redact_many`, and the ``interviewee`` / ``organisation``
        case metadata: True for the default level (``"names"``), a level (``"identifiers"``,
        ``"names"``, ``"strict"``), or False. Every redaction is listed in ``redactions``.
    names, orgs : sequence of str
        Extra names and organisations to redact.
    allow : sequence of str
        Phrases never to redact, beside the allow-list.
    embedder : Embedder or str, optional
        For centrality and clustering (default: :func:`commentmine.select_embedder`'s
        default, as the tagger's, so the vectors usually come from the cache).
    n_views : int, "silhouette" or "polarity", default :data:`N_VIEWS_RULE`
        Views per theme group without sub-themes (see :func:`choose_views`); "polarity" cuts
        each theme in two positions seeded by the lexicon (:func:`polarity_views`).
    polarity_cut : float, default :data:`POLARITY_CUT`
        VADER compound cut-off of a positive / negative segment.
    view_margin : float, default :data:`VIEW_MARGIN`
        Lean a view needs to be called positive or negative rather than mixed.
    summary_weight : float, default :data:`SUMMARY_WEIGHT`
        Weight of the tag score in the summary ranking (the rest: centrality in the cell;
        ties go to the more central segment).
    min_score : float, default 0
        Leave out tags scoring below this.
    consent_col : str, False or None
        Column saying whether a respondent may be quoted (no / false / 0 / "do not quote" in
        any of their rows bars them, as in :func:`commentmine.quotes`). Their segments still
        count (cells, views, cases) but every text of theirs reads ``[not for quotation]``
        and no view is quoted from them. None (default) refuses (E406) when a column looks
        like consent to quote; False shows everyone's text, knowingly.
    polarity_weight : float, default :data:`POLARITY_WEIGHT`
        Weight of the VADER score beside the embedding when clustering views (0: content
        only; larger: views split more by polarity). See :func:`view_features`.

    Returns
    -------
    Framework
        ``cells``, ``evidence``, ``views``, ``cases`` and ``themes`` tables (see
        :class:`Framework`).

    Raises
    ------
    InputError
        E405 when ``tags`` is not a tags table, E001 when ``case_col`` is not a column of
        ``comments``, E301 when a tag's offsets do not match its comment's text, E406 when a
        column looks like consent to quote and ``consent_col`` is None.
    """
    check_inputs(tags, comments, summary_weight)
    parts = build(
        tags,
        comments,
        codebook,
        case_col=case_col,
        redact=redact,
        names=names,
        orgs=orgs,
        allow=allow,
        embedder=embedder,
        n_views=n_views,
        polarity_cut=polarity_cut,
        view_margin=view_margin,
        summary_weight=summary_weight,
        min_score=min_score,
        polarity_weight=polarity_weight,
        consent_col=consent_col,
    )
    return Framework(**parts)
