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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._tables import STATUS_OK, UNCODED

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

#: A segment is positive when its VADER compound score is at least this (and above 0), negative
#: when at most minus this (and below 0), else neutral. Chosen leave-one-corpus-out on the three
#: dev corpora with polarity or stance labels: 0 (the sign) won every fold, by 0.1-1 point
#: over VADER's usual 0.05 (benchmarks/bench_framework.py -> benchmarks/results/framework.md).
POLARITY_CUT = 0.0
#: A view is positive (negative) when its positive members outnumber its negative ones by at
#: least this share of its polar members ((pos - neg) / (pos + neg) >= margin); a view with polar
#: members on both sides and a smaller lean is "mixed"; one with none is "neutral".
VIEW_MARGIN = 0.2
#: How many views a theme group without sub-themes is cut into: an int fixes it (fewer when the
#: group is small, see :func:`choose_views`); ``"silhouette"`` takes the number in 2..4 with the
#: best silhouette (cosine), the smallest on ties. 3 was chosen leave-one-corpus-out (picked,
#: with :data:`POLARITY_WEIGHT` 1, in 4 of 6 folds; the silhouette rule in none).
N_VIEWS_RULE: str | int = 3
#: Weight of the VADER score beside the unit embedding when clustering views
#: (:func:`view_features`); chosen with :data:`N_VIEWS_RULE` leave-one-corpus-out over 0, 1, 2
#: (benchmarks/results/framework.md): 1 lifts views-vs-human-labels ARI on NHS, restaurants,
#: ArgKP and CFPB and lowers it on banking77 and the educator survey.
POLARITY_WEIGHT = 1.0
#: Summary ranking: ``w x tag score + (1 - w) x centrality`` (cosine to the cell's centroid),
#: ties by centrality, then source order. Chosen leave-one-corpus-out over 0, 0.25 .. 1 on the
#: six dev corpora (benchmarks/results/framework.md): 1 was picked in 5 of 6 folds (0.75 in the
#: sixth); centrality alone picked the least precise summaries. With 1, centrality decides
#: among equal scores (an analyst's hand-made tags, all scored 1).
SUMMARY_WEIGHT = 1.0
#: Fewer distinct segments than this in a theme group: one view, not clustered.
MIN_SEGMENTS_TO_CLUSTER = 6
#: A fixed number of views is lowered so that views hold this many segments on average.
MIN_VIEW_SIZE = 3
#: Clustering cost grows with the square of the segments: above this many, the views are
#: fitted on an evenly spaced subset and the rest join the nearest view.
MAX_CLUSTERED = 2000
#: What a do-not-quote respondent's segment reads (``consent_col``).
NOT_FOR_QUOTATION = "[not for quotation]"
#: Two summary segments whose cosine reaches this are near-duplicates: the second is dropped.
NEAR_DUPLICATE = 0.95

EVIDENCE_COLUMNS = [
    "case",
    "group",
    "theme",
    "view",
    "segment_id",
    "comment_id",
    "source",
    "turn",
    "speaker",
    "question",
    "start",
    "end",
    "ref",
    "text",
    "score",
    "sentiment",
    "polarity",
    "centrality",
    "summary_rank",
]
CELL_COLUMNS = [
    "case",
    "group",
    "theme",
    "label",
    "n_segments",
    "n_comments",
    "summary",
    "summary_refs",
    "evidence",
    "segment_ids",
]
VIEW_COLUMNS = [
    "group",
    "view",
    "label",
    "kind",
    "polarity",
    "positive",
    "negative",
    "n_segments",
    "n_cases",
    "cases",
    "quote",
    "quote_case",
    "quote_ref",
    "quote_segment",
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
            return f"{head} It reads as one view, {_polar_phrase(str(r['polarity']))}."
        parts = []
        for i, r in enumerate(v.itertuples(index=False)):
            name = _view_phrase(str(r.label))
            name = name[:1].upper() + name[1:] if i == 0 else name
            share = f"all {holders}" if r.n_cases == holders else f"{r.n_cases} of the {holders}"
            verb = "was held by " if i == 0 else "by "
            who = str(r.cases).replace("; ", ", ")
            parts.append(f"{name}, {_polar_phrase(str(r.polarity))}, {verb}{share} ({who})")
        return f"{head} " + "; ".join(parts) + ". A case can hold more than one view."


def _view_phrase(label: str) -> str:
    """ "View 2: pots, short-term" -> "view 2 (pots, short-term)"; a sub-theme's label as is."""
    m = re.match(r"View (\d+): (.*)$", label)
    if m:
        return f"view {m.group(1)} ({m.group(2)})"
    return _lower(label)


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _polar_phrase(polarity: str) -> str:
    return {
        "positive": "mostly positive",
        "negative": "mostly negative",
        "mixed": "mixed",
        "neutral": "neutral",
    }.get(polarity, polarity)


# --- polarity --------------------------------------------------------------------------------


def polarity_scores(texts: Sequence[str]) -> np.ndarray:
    """VADER compound sentiment of each text, in [-1, 1].

    VADER (Hutto and Gilbert, 2014) is a lexicon and rules for short social-media text; the
    ``vaderSentiment`` package ships its lexicon, so nothing is downloaded.

    Parameters
    ----------
    texts : sequence of str

    Returns
    -------
    ndarray of float, shape (n,)

    Examples
    --------
    >>> from commentmine.framework import polarity_scores
    >>> polarity_scores(["The PCC has been really supportive.", "We had no access at all."])
    array([ 0.4754, -0.296 ])
    """
    analyzer = _vader()
    return np.array(
        [float(analyzer.polarity_scores(str(t))["compound"]) for t in texts], dtype=float
    )


def _vader() -> Any:
    global _VADER
    if _VADER is None:
        try:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise errors.missing_extra(
                "the framework's polarity", "vaderSentiment", "vaderSentiment"
            ) from exc
        _VADER = SentimentIntensityAnalyzer()
    return _VADER


_VADER: Any = None


def segment_polarity(sentiment: np.ndarray, cut: float = POLARITY_CUT) -> np.ndarray:
    """``positive`` / ``negative`` / ``neutral`` from compound scores and the cut-off (a score
    of exactly 0, VADER's "no sentiment word", is neutral whatever the cut-off)."""
    sentiment = np.asarray(sentiment, dtype=float)
    out = np.full(len(sentiment), "neutral", dtype=object)
    out[(sentiment >= cut) & (sentiment > 0)] = "positive"
    out[(sentiment <= -cut) & (sentiment < 0)] = "negative"
    return out


def view_polarity(polarities: Sequence[str], margin: float = VIEW_MARGIN) -> str:
    """A view's polarity from its segments' polarities (see :data:`VIEW_MARGIN`).

    >>> view_polarity(["positive", "positive", "negative"]), view_polarity(["neutral"])
    ('positive', 'neutral')
    """
    pos = sum(p == "positive" for p in polarities)
    neg = sum(p == "negative" for p in polarities)
    if pos + neg == 0:
        return "neutral"
    lean = (pos - neg) / (pos + neg)
    if lean >= margin:
        return "positive"
    if lean <= -margin:
        return "negative"
    return "mixed"


# --- views -----------------------------------------------------------------------------------


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n == 0, 1.0, n)


def choose_views(
    x: np.ndarray,
    rule: str | int = N_VIEWS_RULE,
    *,
    k_range: tuple[int, int] = (2, 4),
    sentiment: np.ndarray | None = None,
) -> np.ndarray:
    """Cluster unit vectors into views; returns a label per row (0-based, largest view first).

    Ward agglomerative clustering (deterministic: no random start). ``rule`` is an int (that
    many views, fewer when there are under :data:`MIN_VIEW_SIZE` rows per view),
    ``"silhouette"`` (the number in ``k_range`` with the best cosine silhouette; the smallest
    on ties) or ``"polarity"`` (two views seeded by the lexicon, see :func:`polarity_views`;
    needs ``sentiment``). Rows beyond :data:`MAX_CLUSTERED` join the nearest view fitted on an
    evenly spaced subset.
    """
    if rule == "polarity":
        if sentiment is None:
            raise errors.bad_argument("n_views='polarity' needs the segments' sentiment.")
        if len(x) < MIN_SEGMENTS_TO_CLUSTER:
            return np.zeros(len(x), dtype=int)
        return _largest_first(polarity_views(x, sentiment))
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = len(x)
    if n < MIN_SEGMENTS_TO_CLUSTER:
        return np.zeros(n, dtype=int)
    fit_idx = np.arange(n)
    if n > MAX_CLUSTERED:
        fit_idx = np.unique(np.linspace(0, n - 1, MAX_CLUSTERED).round().astype(int))
    xf = x[fit_idx]
    if isinstance(rule, (int, np.integer)) and not isinstance(rule, bool):
        # at least MIN_VIEW_SIZE segments per view on average (not data-driven: every group
        # in the dev corpora has 20+ segments; this only keeps small themes from splintering)
        ks = [max(1, min(int(rule), len(xf) // MIN_VIEW_SIZE))]
    elif rule == "silhouette":
        ks = list(range(k_range[0], min(k_range[1], len(xf) - 1) + 1))
    else:
        raise errors.bad_argument(f"n_views={rule!r}: give an int, 'silhouette' or 'polarity'.")
    tree = AgglomerativeClustering(n_clusters=ks[0], linkage="ward", compute_full_tree=True)
    best: tuple[float, np.ndarray] | None = None
    for k in ks:
        labels = tree.set_params(n_clusters=k).fit_predict(xf) if k > 1 else np.zeros(len(xf))
        if len(ks) == 1:
            best = (0.0, labels)
            break
        s = float(silhouette_score(xf, labels, metric="cosine")) if k > 1 else -1.0
        if best is None or s > best[0] + 1e-12:
            best = (s, labels)
    assert best is not None
    fitted = np.asarray(best[1], dtype=int)
    labels = np.empty(n, dtype=int)
    labels[fit_idx] = fitted
    if len(fit_idx) < n:
        cent = _unit(np.stack([xf[fitted == c].mean(axis=0) for c in range(fitted.max() + 1)]))
        rest = np.setdiff1d(np.arange(n), fit_idx)
        labels[rest] = np.argmax(x[rest] @ cent.T, axis=1)
    return _largest_first(labels)


def _largest_first(labels: np.ndarray) -> np.ndarray:
    """Renumber views: the largest first, ties by first appearance."""
    labels = np.asarray(labels, dtype=int)
    sizes = np.bincount(labels)
    first = {c: int(np.argmax(labels == c)) for c in range(len(sizes))}
    order = sorted(range(len(sizes)), key=lambda c: (-sizes[c], first[c]))
    remap = {c: i for i, c in enumerate(order)}
    return np.array([remap[c] for c in labels], dtype=int)


#: Polarity-seeded views: the segments in the top and bottom this share by VADER score (a score
#: of 0 is never a seed) train the classifier that splits the theme in two. Set by looking at
#: ArgKP (0.1-0.45 all within 0.02 ARI there), not leave-one-corpus-out.
SEED_SHARE = 0.3


def polarity_views(x: np.ndarray, sentiment: np.ndarray) -> np.ndarray:
    """Two views of a theme, seeded by the lexicon and spread by the embeddings.

    The most positive and the most negative segments by VADER (:data:`SEED_SHARE` each, score
    0 excluded) train a logistic regression on the embeddings (balanced classes, C = 1); every
    segment then goes to the side of its decision function (> 0: the positive side). Segments
    without a sentiment word join the side whose wording they share, so the two views are the
    positions taken rather than the words of feeling. Deterministic (lbfgs, no random start);
    one view when the seeds lack a side.

    Returns
    -------
    ndarray of int
        1 for the positive side, 0 for the other.
    """
    from sklearn.linear_model import LogisticRegression

    s = np.asarray(sentiment, dtype=float)
    lo, hi = np.quantile(s, [SEED_SHARE, 1 - SEED_SHARE])
    seed = ((s <= lo) | (s >= hi)) & (s != 0)
    side = s[seed] >= hi
    if side.all() or not side.any():
        return np.zeros(len(x), dtype=int)
    clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    clf.fit(x[seed], side)
    return (clf.decision_function(x) > 0).astype(int)


def view_features(x: np.ndarray, sentiment: np.ndarray, weight: float) -> np.ndarray:
    """What views are clustered on: the unit embeddings, plus the VADER score times
    ``weight`` as one more column (rows re-normalised), so that views also split by polarity.
    ``weight=0`` gives the embeddings alone."""
    if not weight:
        return x
    f = np.hstack([x, weight * np.asarray(sentiment, dtype=np.float64)[:, None]])
    return _unit(f)


def _view_terms(texts: list[str], labels: np.ndarray, n_terms: int = 3) -> list[list[str]]:
    """The most distinctive words of each view (class-based TF-IDF, as BERTopic labels)."""
    from sklearn.feature_extraction.text import CountVectorizer

    k = int(labels.max()) + 1 if len(labels) else 0
    docs = [" ".join(t for t, c in zip(texts, labels, strict=True) if c == v) for v in range(k)]
    try:
        cv = CountVectorizer(
            stop_words="english",
            token_pattern=r"(?u)\b[A-Za-z][A-Za-z-]{2,}\b(?!')",
            lowercase=True,
        )
        counts = cv.fit_transform(docs).toarray().astype(float)
    except ValueError:  # only stop words
        return [[] for _ in range(k)]
    vocab = np.array(cv.get_feature_names_out())
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    avg = counts.sum() / max(k, 1)
    idf = np.log(1.0 + avg / np.maximum(counts.sum(axis=0), 1.0))
    score = tf * idf
    out = []
    for v in range(k):
        order = np.lexsort((vocab, -score[v]))
        out.append([str(vocab[i]) for i in order[:n_terms] if counts[v, i] > 0])
    return out


# --- references ------------------------------------------------------------------------------


def _turn(comment_id: str, speaker: str) -> str:
    """The interview turn number from ``<file stem>:<turn>`` ("" for survey answers)."""
    if not speaker:
        return ""
    tail = comment_id.rsplit(":", 1)[-1]
    return tail if tail.isdigit() else ""


def _ref(source: str, turn: str, comment_id: str, question: str, start: int, end: int) -> str:
    where = f"turn {turn}" if turn else comment_id
    head = f"{source}, " if source else ""
    return f"{head}{where}, {start}-{end}"


# --- the matrix ------------------------------------------------------------------------------

_REQUIRED_TAGS = ("comment_id", "segment_id", "start", "end", "theme")


def _truthy(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return str(v).strip().lower() in {"true", "1", "yes", "y", "t"}


def _load_codebook(codebook: Any) -> Any:
    if codebook is None:
        return None
    if hasattr(codebook, "themes") and hasattr(codebook, "root"):
        return codebook
    from commentmine.codebook import load_codebook

    return load_codebook(codebook)


def framework(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any = None,
    *,
    case_col: str | None = None,
    redact: bool = True,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    embedder: Any = None,
    n_views: str | int = N_VIEWS_RULE,
    polarity_cut: float = POLARITY_CUT,
    view_margin: float = VIEW_MARGIN,
    summary_weight: float = SUMMARY_WEIGHT,
    min_score: float = 0.0,
    polarity_weight: float = POLARITY_WEIGHT,
    consent_col: str | None = None,
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
    redact : bool, default True
        Redact every text that leaves the function (segments, quotes, speaker labels) with
        :func:`commentmine.redact.redact_many`, and the ``interviewee`` / ``organisation``
        case metadata.
    names, orgs : sequence of str
        Extra names and organisations to redact.
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
    consent_col : str, optional
        Column saying whether a respondent may be quoted (no / false / 0 / "do not quote" in
        any of their rows bars them, as in :func:`commentmine.quotes`). Their segments still
        count (cells, views, cases) but every text of theirs reads ``[not for quotation]``
        and no view is quoted from them.
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
        ``comments``, E301 when a tag's offsets do not match its comment's text.
    """
    if not isinstance(tags, pd.DataFrame) or not isinstance(comments, pd.DataFrame):
        raise errors.bad_argument("tags and comments must be DataFrames (see commentmine.tag).")
    missing = [c for c in _REQUIRED_TAGS if c not in tags.columns]
    if missing:
        raise errors.not_tags_table(missing, tags.columns)
    if "comment_id" not in comments.columns or "text" not in comments.columns:
        raise errors.bad_argument(
            "comments must be a comments table with comment_id and text (see commentmine.read)."
        )
    if not 0.0 <= summary_weight <= 1.0:
        raise errors.bad_argument(f"summary_weight={summary_weight}: give a value in [0, 1].")
    cb = _load_codebook(codebook)
    comments = comments.copy()
    comments["comment_id"] = comments["comment_id"].astype(str)
    if "respondent_id" not in comments.columns:
        comments["respondent_id"] = comments["comment_id"]
    if consent_col is not None and consent_col not in comments.columns:
        usable = [c for c in map(str, comments.columns) if c not in errors.TABLE_COLUMNS]
        raise errors.missing_column(consent_col, usable, what="--consent-col column")
    case_col = case_col or "respondent_id"
    if case_col not in comments.columns:
        usable = [c for c in map(str, comments.columns) if c not in errors.TABLE_COLUMNS]
        raise errors.missing_column(case_col, usable + ["respondent_id"], what="--case-col column")

    answered = comments
    if "status" in answered.columns:
        answered = answered[answered["status"].astype(str) == STATUS_OK]
    if "is_interviewer" in answered.columns:
        answered = answered[~answered["is_interviewer"].map(_truthy)]
    by_id = answered.set_index("comment_id", drop=False)
    case_of = {cid: _case_value(v) for cid, v in zip(by_id.index, by_id[case_col], strict=True)}

    # evidence: tagged segments of answered, non-interviewer comments
    t = tags.copy()
    t["comment_id"] = t["comment_id"].astype(str)
    t["theme"] = t["theme"].astype(str)
    t = t[(t["theme"] != UNCODED) & (t["theme"].str.strip() != "")]
    if "is_interviewer" in t.columns:
        t = t[~t["is_interviewer"].map(_truthy)]
    t = t[t["comment_id"].isin(case_of)]
    t["score"] = pd.to_numeric(t["score"], errors="coerce").fillna(1.0) if "score" in t else 1.0
    t = t[t["score"] >= min_score]
    t["start"] = t["start"].astype(int)
    t["end"] = t["end"].astype(int)

    texts = by_id["text"].fillna("").astype(str).to_dict()
    originals = [
        texts[c][s:e] for c, s, e in zip(t["comment_id"], t["start"], t["end"], strict=True)
    ]
    if "text" in t.columns:
        bad = [
            sid
            for sid, o, given in zip(t["segment_id"], originals, t["text"], strict=True)
            if isinstance(given, str) and given and given != o
        ]
        if bad:
            raise errors.bad_argument(
                f"tags offsets do not match the comments' text for {len(bad)} segment(s) "
                f"(e.g. {bad[0]!r}); give the comments the tags were made from."
            )
    t["original"] = originals
    t = t[t["original"].str.strip() != ""]

    themes = _theme_table(t["theme"].unique().tolist(), cb)
    group_of = dict(zip(themes["theme"], themes["group"], strict=True))
    t["group"] = t["theme"].map(group_of)
    t["case"] = t["comment_id"].map(case_of)
    meta = by_id.reindex(t["comment_id"])
    t["source"] = _col(meta, "source")
    t["speaker"] = _col(meta, "speaker")
    t["question"] = _col(meta, "question")
    t["turn"] = [_turn(c, s) for c, s in zip(t["comment_id"], t["speaker"], strict=True)]
    t["_order"] = [_turn_order(c) for c in t["comment_id"]]
    t = t.sort_values(
        ["source", "_order", "comment_id", "start", "theme"], kind="mergesort"
    ).reset_index(drop=True)

    # one redaction, embedding and sentiment per distinct segment
    seg = t.drop_duplicates("segment_id")[["segment_id", "original"]].reset_index(drop=True)
    red = _redact_texts(seg["original"].tolist(), redact=redact, names=names, orgs=orgs)
    emb = _embed(seg["original"].tolist(), embedder)
    sent = polarity_scores(seg["original"].tolist()) if len(seg) else np.zeros(0)
    pos_of = {sid: i for i, sid in enumerate(seg["segment_id"])}
    t["_i"] = t["segment_id"].map(pos_of).astype(int)
    t["text"] = [red[i] for i in t["_i"]]
    if consent_col is not None:
        from commentmine.quotes import no_consent

        barred = set(
            comments.loc[comments[consent_col].map(no_consent), "respondent_id"].astype(str)
        )
        resp = by_id["respondent_id"].astype(str).to_dict()
        gone = t["comment_id"].map(resp).isin(barred).to_numpy()
        t.loc[gone, "text"] = NOT_FOR_QUOTATION
    else:
        gone = np.zeros(len(t), dtype=bool)
    t["_barred"] = gone
    if redact:  # a speaker label can be a name ("Hannah Price:")
        labels_ = sorted(set(t["speaker"]) - {""})
        red_label = dict(
            zip(labels_, _redact_texts(labels_, redact=True, names=names, orgs=orgs), strict=True)
        )
        t["speaker"] = t["speaker"].map(lambda v: red_label.get(v, v))
    t["sentiment"] = np.round(sent[t["_i"].to_numpy()], 4) if len(t) else []
    t["polarity"] = segment_polarity(t["sentiment"].to_numpy(dtype=float), polarity_cut)
    t["ref"] = [
        _ref(s, tu, c, q, a, b)
        for s, tu, c, q, a, b in zip(
            t["source"],
            t["turn"],
            t["comment_id"],
            t["question"],
            t["start"],
            t["end"],
            strict=True,
        )
    ]

    # summaries: the 1-2 surest segments of each cell (numpy per cell: fast on
    # thousands of cells)
    labels = dict(zip(themes["theme"], themes["label"], strict=True))
    seg_i = t["_i"].to_numpy()
    scores = t["score"].to_numpy(dtype=float)
    texts_ = t["text"].tolist()
    refs_ = t["ref"].tolist()
    sids_ = t["segment_id"].tolist()
    barred_ = t["_barred"].to_numpy(bool)
    cids_ = t["comment_id"].tolist()
    centrality = np.zeros(len(t))
    rank_ = np.zeros(len(t), dtype=int)
    cells = []
    for (case, theme), idx in t.groupby(["case", "theme"], sort=False).indices.items():
        vec = emb[seg_i[idx]]
        centre = _unit(vec.mean(axis=0, keepdims=True))[0]
        cen = vec @ centre
        centrality[idx] = np.round(cen, 4)
        rel = np.round(summary_weight * scores[idx] + (1 - summary_weight) * cen, 9)
        rel = np.where(barred_[idx], rel - 10.0, rel)  # a do-not-quote segment only if alone
        # best first; ties to the more central, then the earlier in the source
        order = np.lexsort((np.arange(len(idx)), -np.round(cen, 9), -rel))
        picks = [int(order[0])]
        if len(idx) >= 3:
            for j in order[1:]:
                if float(vec[j] @ vec[picks[0]]) < NEAR_DUPLICATE:
                    picks.append(int(j))
                    break
        for rank, j in enumerate(picks, start=1):
            rank_[idx[j]] = rank
        chosen = [int(idx[j]) for j in sorted(picks)]
        cells.append(
            {
                "case": case,
                "group": group_of[theme],
                "theme": theme,
                "label": labels.get(theme, theme),
                "n_segments": len(idx),
                "n_comments": len({cids_[k] for k in idx}),
                "summary": "\n".join(f"{texts_[k]} [{refs_[k]}]" for k in chosen),
                "summary_refs": "; ".join(refs_[k] for k in chosen),
                "evidence": "\n".join(f"{texts_[k]} [{refs_[k]}]" for k in idx),
                "segment_ids": "|".join(sids_[k] for k in idx),
            }
        )
    t["centrality"] = centrality
    t["summary_rank"] = rank_
    cell_df = pd.DataFrame(cells, columns=CELL_COLUMNS)

    # views per theme group
    t["view"] = ""
    view_rows = []
    for group in themes["group"].drop_duplicates():
        g = t[t["group"] == group]
        if g.empty:
            continue
        kids = _children(cb, group)
        if kids and set(g["theme"]) - {group}:
            view_rows += _sub_theme_views(t, g, group, kids, labels, emb, view_margin)
        else:
            view_rows += _cluster_views(
                t, g, group, labels, emb, n_views, view_margin, polarity_weight
            )
    views = pd.DataFrame(view_rows, columns=VIEW_COLUMNS)

    order_case = _case_order(answered, case_col, case_of)
    cell_df["_c"] = cell_df["case"].map(order_case)
    theme_order = {tid: i for i, tid in enumerate(themes["theme"])}
    cell_df["_t"] = cell_df["theme"].map(theme_order)
    cell_df = (
        cell_df.sort_values(["_c", "_t"], kind="mergesort")
        .drop(columns=["_c", "_t"])
        .reset_index(drop=True)
    )
    evidence = t[EVIDENCE_COLUMNS].reset_index(drop=True)
    cases = _case_table(answered, case_col, case_of, t, order_case, redact)
    settings = {
        "case_col": case_col,
        "redact": redact,
        "n_views": n_views,
        "polarity_cut": polarity_cut,
        "view_margin": view_margin,
        "summary_weight": summary_weight,
        "min_score": min_score,
        "polarity_weight": polarity_weight,
        "consent_col": consent_col,
        "embedder": getattr(_get_embedder(embedder), "name", str(embedder)),
        "polarity_lexicon": "VADER (vaderSentiment 3.3.2 lexicon)",
    }
    return Framework(
        cells=cell_df,
        evidence=evidence,
        views=views,
        cases=cases,
        themes=themes,
        case_col=case_col,
        codebook=cb,
        settings=settings,
        comments=comments,
    )


def _case_value(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "(blank)"
    s = " ".join(str(v).split())
    return s or "(blank)"


def _col(meta: pd.DataFrame, name: str) -> list[str]:
    if name not in meta.columns:
        return [""] * len(meta)
    return ["" if pd.isna(v) else str(v) for v in meta[name]]


def _turn_order(comment_id: str) -> int:
    tail = comment_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _children(cb: Any, tid: str) -> list[str]:
    if cb is None or tid not in set(cb.ids):
        return []
    return list(cb.children(tid))


def _theme_table(found: list[str], cb: Any) -> pd.DataFrame:
    """Themes with evidence (plus the parents of sub-themes with evidence), codebook order."""
    rows = []
    known = set(cb.ids) if cb is not None else set()
    found_set = set(found)
    if cb is not None:
        for th in cb.themes:
            if th.id not in found_set:
                continue
            root = cb.root(th.id)
            rows.append(
                {
                    "theme": th.id,
                    "label": str(th.label or th.id),
                    "group": root,
                    "group_label": str(cb.theme(root).label or root),
                    "level": 1 if th.parent is None else 2,
                }
            )
    for tid in sorted(found_set - known):
        rows.append({"theme": tid, "label": tid, "group": tid, "group_label": tid, "level": 1})
    df = pd.DataFrame(rows, columns=["theme", "label", "group", "group_label", "level"])
    # group order: the order of the groups' roots in the codebook, then the rest
    group_pos = {g: i for i, g in enumerate(dict.fromkeys(df["group"]))}
    if cb is not None:
        group_pos = {g: i for i, g in enumerate(cb.ids)}
        for g in df["group"]:
            group_pos.setdefault(g, len(group_pos))
    df["_g"] = df["group"].map(group_pos)
    return df.sort_values("_g", kind="mergesort").drop(columns="_g").reset_index(drop=True)


def _sub_theme_views(
    t: pd.DataFrame,
    g: pd.DataFrame,
    group: str,
    kids: list[str],
    labels: dict[str, str],
    emb: np.ndarray,
    margin: float,
) -> list[dict[str, Any]]:
    rows = []
    order = [k for k in kids if k in set(g["theme"])]
    if group in set(g["theme"]):
        order.append(group)  # tags on the parent itself: its general view
    for tid in order:
        part = g[g["theme"] == tid]
        t.loc[part.index, "view"] = tid
        label = labels.get(tid, tid) if tid != group else f"{labels.get(tid, tid)} (general)"
        rows.append(_view_row(part, group, tid, label, "sub-theme", emb, margin))
    return rows


def _cluster_views(
    t: pd.DataFrame,
    g: pd.DataFrame,
    group: str,
    labels: dict[str, str],
    emb: np.ndarray,
    n_views: str | int,
    margin: float,
    polarity_weight: float = 0.0,
) -> list[dict[str, Any]]:
    distinct = g.drop_duplicates("segment_id")
    x = view_features(
        emb[distinct["_i"].to_numpy()], distinct["sentiment"].to_numpy(float), polarity_weight
    )
    if n_views == "polarity":
        x = emb[distinct["_i"].to_numpy()]  # the lexicon seeds the split: no score column
    lab = choose_views(x, n_views, sentiment=distinct["sentiment"].to_numpy(float))
    k = int(lab.max()) + 1 if len(lab) else 1
    terms = _view_terms(distinct["original"].tolist(), lab) if k > 1 else [[]]
    view_of = dict(zip(distinct["segment_id"], lab, strict=True))
    rows = []
    for v in range(k):
        vid = f"{group}:{v + 1}" if k > 1 else group
        members = g[g["segment_id"].map(view_of) == v]
        t.loc[members.index, "view"] = vid
        if k > 1:
            words = ", ".join(terms[v]) if terms[v] else "other"
            label = f"View {v + 1}: {words}"
            kind = "cluster"
        else:
            label = f"{labels.get(group, group)} (one view)"
            kind = "all"
        rows.append(_view_row(members, group, vid, label, kind, emb, margin))
    return rows


def _view_row(
    part: pd.DataFrame,
    group: str,
    vid: str,
    label: str,
    kind: str,
    emb: np.ndarray,
    margin: float,
) -> dict[str, Any]:
    distinct = part.drop_duplicates("segment_id")
    vec = emb[distinct["_i"].to_numpy()]
    centre = _unit(vec.mean(axis=0, keepdims=True))[0]
    cen = vec @ centre
    rel = 0.5 * distinct["score"].to_numpy(dtype=float) + 0.5 * cen
    rel = np.where(distinct["_barred"].to_numpy(bool), -np.inf, rel)  # never quote a refusal
    best = min(range(len(distinct)), key=lambda j: (-round(float(rel[j]), 9), j))
    quotable = not bool(distinct["_barred"].iloc[best])
    pol = distinct["polarity"].tolist()
    n = max(len(pol), 1)
    cases = sorted(set(part["case"]), key=str)
    return {
        "group": group,
        "view": vid,
        "label": label,
        "kind": kind,
        "polarity": view_polarity(pol, margin),
        "positive": round(sum(p == "positive" for p in pol) / n, 3),
        "negative": round(sum(p == "negative" for p in pol) / n, 3),
        "n_segments": len(distinct),
        "n_cases": len(cases),
        "cases": "; ".join(cases),
        "quote": distinct["text"].iloc[best] if quotable else "",
        "quote_case": distinct["case"].iloc[best] if quotable else "",
        "quote_ref": distinct["ref"].iloc[best] if quotable else "",
        "quote_segment": distinct["segment_id"].iloc[best] if quotable else "",
    }


def _case_order(answered: pd.DataFrame, case_col: str, case_of: dict[str, str]) -> dict[str, int]:
    """Cases in order of first appearance in the (file-sorted) comments."""
    src = answered["source"].astype(str) if "source" in answered.columns else ""
    order = (
        pd.DataFrame(
            {
                "case": answered["comment_id"].map(case_of),
                "source": src,
                "o": [_turn_order(c) for c in answered["comment_id"]],
                "pos": range(len(answered)),
            }
        )
        .sort_values(["source", "pos"], kind="mergesort")["case"]
        .drop_duplicates()
    )
    return {c: i for i, c in enumerate(order)}


#: Comments-table columns that are not case metadata.
_NOT_META = {
    "comment_id",
    "respondent_id",
    "question",
    "text",
    "status",
    "speaker",
    "is_interviewer",
    "source",
}


def _case_table(
    answered: pd.DataFrame,
    case_col: str,
    case_of: dict[str, str],
    t: pd.DataFrame,
    order: dict[str, int],
    redact: bool,
) -> pd.DataFrame:
    meta_cols = [c for c in answered.columns if c not in _NOT_META and c != case_col]
    a = answered.assign(_case=answered["comment_id"].map(case_of))
    rows = []
    n_ev = t.groupby("case")["segment_id"].nunique().to_dict() if len(t) else {}
    for case, g in a.groupby("_case", sort=False):
        row: dict[str, Any] = {
            "case": case,
            "n_comments": len(g),
            "n_segments": int(n_ev.get(case, 0)),
            "sources": "; ".join(dict.fromkeys(g["source"].astype(str)))
            if "source" in g.columns
            else "",
        }
        if case_col != "respondent_id":
            row["respondents"] = "; ".join(dict.fromkeys(g["respondent_id"].astype(str)))
        for c in meta_cols:
            vals = [" ".join(str(v).split()) for v in g[c] if not pd.isna(v) and str(v).strip()]
            row[str(c)] = "; ".join(dict.fromkeys(vals))
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=["case", "n_comments", "n_segments", "sources"])
    df["_o"] = df["case"].map(order)
    df = df.sort_values("_o", kind="mergesort").drop(columns="_o").reset_index(drop=True)
    if redact:  # header fields that name a person or an organisation by definition
        for c, placeholder in _NAMED_FIELDS.items():
            if c in df.columns:
                df[c] = df[c].map(lambda v, p=placeholder: p if str(v).strip() else "")
    return df


#: Case metadata read from interview header lines that name a person or an organisation:
#: replaced by a placeholder when redacting (other metadata, such as a role or a region, is
#: shown as given, as in report attributions).
_NAMED_FIELDS = {"interviewee": "[NAME]", "organisation": "[ORG]"}


def _redact_texts(
    texts: list[str], *, redact: bool, names: Sequence[str], orgs: Sequence[str]
) -> list[str]:
    if not redact or not texts:
        return list(texts)
    from commentmine.redact import redact_many

    kw: dict[str, Any] = {}
    if names:
        kw["names"] = tuple(names)
    if orgs:
        kw["orgs"] = tuple(orgs)
    return list(redact_many(texts, **kw))


def _get_embedder(embedder: Any) -> Any:
    if embedder is not None and hasattr(embedder, "embed"):
        return embedder
    from commentmine.embed import select_embedder

    return select_embedder(embedder)


def _embed(texts: list[str], embedder: Any) -> np.ndarray:
    if not texts:
        return np.zeros((0, 1))
    return _unit(np.asarray(_get_embedder(embedder).embed(texts), dtype=np.float64))
