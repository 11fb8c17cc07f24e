"""Theme discovery: the themes a codebook lacks, found the same way every run, as a draft codebook.

Segments are embedded with the same :class:`~commentmine.embed.Embedder` as tagging, clustered,
described with BERTopic's class-based TF-IDF over lemma n-grams (refined with KeyBERT-style and
MMR representations) and written as a draft :class:`~commentmine.codebook.Codebook` that
``commentmine tag --codebook`` accepts as it is.

How it works
------------
1. **Segments.** A comments table is segmented (:func:`commentmine.segment.segment`); a
   segments table is used as it is. With ``uncoded_only=True`` the segments are tagged with the
   codebook first and only those left ``uncoded`` are clustered.
2. **Embeddings** come from the embedder (the bundled static model by default) and are handed to
   BERTopic precomputed. When a codebook is given and ``seed_words=True`` its keywords become
   BERTopic's ``seed_topic_list`` (guided topic modelling nudges matching segments towards them).
3. **Clustering** is BERTopic with custom sub-models chosen for determinism and few outliers (see
   ``benchmarks/results/discovery.md`` for the measurements behind the choice): an exact PCA
   (no random state) of the embeddings, optionally joined to a TF-IDF of the lemmas reduced by
   SVD (fixed state; ``lexical_weight``, off by default), and Ward agglomerative clustering of
   the result, a deterministic hierarchy whose cuts are the "hierarchical merging" to a target
   number of themes. Without ``n_themes`` the cut is chosen from the data: the number of themes
   with the best cosine silhouette between ``min_themes`` and ``min(max_themes, sqrt(n))``.
   Above ``_WARD_LIMIT`` segments, k-means micro-clusters (seeded) are merged by Ward instead.
   Before the tree, each embedding is averaged with its ``neighbours`` nearest (kNN
   smoothing; the cut is still judged on the embeddings as they are), and after the cut a
   theme much less coherent than the median theme is split in two (``split_spread``); both
   chosen leave-one-corpus-out (``benchmarks/results/discovery_granularity_loco.md``).
4. **Outliers.** Themes smaller than ``min_theme_size`` are dissolved into the nearest theme;
   a segment whose cosine to its theme's centroid stays below ``outlier_similarity`` is an
   ``outlier``.
5. **Readable themes.** Keywords are the top lemma uni-/bi-grams (c-TF-IDF, then KeyBERT-inspired
   and MMR re-ranking); the label joins the top key phrases; examples are the segments nearest
   the theme centroid, verbatim; ids are ``d<rank>_<slug>`` (rank by size).
6. **Matching.** Each theme's centroid is compared (cosine) with every codebook theme's anchor
   ``"label: description"``, relative to how close the centroid of *all* the input is to that
   anchor (the lift; raw cosines of averaged static embeddings are uniformly high). A theme whose
   best lift is at least ``match_threshold`` is ``matched`` to that codebook theme, else
   ``emergent``. Both are kept under the theme's ``meta:``, with the cosine and the lift.

Determinism: nothing depends on thread timing; the seed only reaches the k-means micro-clusters
of very large inputs and BERTopic's representative-document sampling. Same input and settings
give byte-identical YAML and assignments.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._tables import UNCODED
from commentmine.embed import DEFAULT_EMBEDDER

if TYPE_CHECKING:  # pragma: no cover
    from commentmine.codebook import Codebook
    from commentmine.embed import Embedder

__all__ = ["Discovery", "discover"]

OUTLIER = "outlier"
ASSIGNMENT_COLUMNS = ["comment_id", "segment_id", "theme"]
COMMENT_ASSIGNMENT_COLUMNS = ["comment_id", "theme"]
THEME_COLUMNS = [
    "id",
    "label",
    "size",
    "keywords",
    "matched_codebook_theme",
    "similarity",
    "status",
]

_MIN_SEGMENTS = 6
# Discovery embeds like tagging: embed.DEFAULT_EMBEDDER (full all-MiniLM-L6-v2 through
# onnxruntime, no torch); ``commentmine discover --fast`` uses embed.FAST_EMBEDDER (static).
NAME_SPREAD = 0.5
#: Median words per comment from which ``unit="auto"`` clusters whole comments.
LONG_COMMENT_WORDS = 100
MERGE_SIMILARITY = 0.9
#: Nearest neighbours each embedding is averaged with before the Ward tree (0: off).
NEIGHBOURS = 10
#: A theme whose coherence is below this share of the median theme's is split in two (0: off).
SPLIT_SPREAD = 0.9


@dataclass(frozen=True)
class Discovery:
    """What :func:`discover` found.

    Attributes
    ----------
    codebook : Codebook
        The draft codebook: one theme per discovered theme, valid and round-trippable through
        :meth:`~commentmine.codebook.Codebook.to_yaml` / :func:`~commentmine.load_codebook`.
    assignments : pandas.DataFrame
        ``comment_id, segment_id, theme``: one row per segment (``theme`` is a draft theme id or
        ``outlier``), in input order.
    comment_assignments : pandas.DataFrame
        ``comment_id, theme``: a comment's theme is the majority of its segments' themes
        (outliers count only when all its segments are outliers), ties to the lower theme id.
    themes : pandas.DataFrame
        ``id, label, size, keywords, matched_codebook_theme, similarity, status`` (``keywords``
        ``;``-joined; ``status`` is ``matched`` or ``emergent``; ``matched_codebook_theme`` is ""
        when emergent; ``similarity`` is the cosine to the nearest codebook theme, NaN without a
        codebook).
    """

    codebook: Codebook
    assignments: pd.DataFrame
    comment_assignments: pd.DataFrame
    themes: pd.DataFrame

    @property
    def outlier_share(self) -> float:
        """Share of segments whose theme is ``outlier``."""
        n = len(self.assignments)
        return float((self.assignments["theme"] == OUTLIER).sum() / n) if n else 0.0


def discover(
    comments_or_segments: pd.DataFrame | Sequence[str],
    *,
    codebook: Codebook | str | None = None,
    uncoded_only: bool = False,
    n_themes: int | None = None,
    seed: int = 0,
    embedder: Embedder | str | None = None,
    seed_words: bool = True,
    min_theme_size: int | None = None,
    min_themes: int = 4,
    max_themes: int = 30,
    lexical_weight: float = 0.0,
    outlier_similarity: float = 0.2,
    match_threshold: float = 0.1,
    stop_phrases: Sequence[str] = (),
    name_spread: float = NAME_SPREAD,
    merge_similarity: float = MERGE_SIMILARITY,
    neighbours: int = NEIGHBOURS,
    split_spread: float = SPLIT_SPREAD,
    n_quotes: int = 3,
    redact: bool = True,
    unit: str = "auto",
    name: str = "discovered-themes",
) -> Discovery:
    """Discover themes in comments or segments and return them as a draft codebook.

    Parameters
    ----------
    comments_or_segments : DataFrame or sequence of str
        A comments table (``commentmine.read``; it is segmented), a segments table
        (``commentmine.segment``; has ``segment_id``), or plain texts (one comment each, ids
        ``"1"``, ``"2"``, ...).
    codebook : Codebook or str, optional
        Existing codebook (anything :func:`~commentmine.load_codebook` accepts): discovered
        themes are matched to its themes, its keywords guide the clustering (``seed_words``),
        and ``uncoded_only`` uses it to tag first.
    uncoded_only : bool, default False
        Tag with ``codebook`` first (the tagger's default embedder) and discover only on the
        segments it left ``uncoded``.
    n_themes : int, optional
        Target number of themes (the Ward hierarchy is cut there, before near-duplicates
        merge). Default: chosen from the data (best cosine silhouette between ``min_themes``
        and ``min(max_themes, sqrt(n))``).
    seed : int, default 0
        Random seed (k-means micro-clusters for very large inputs, representative sampling).
    embedder : Embedder or str, optional
        Anything :func:`~commentmine.select_embedder` accepts. Default ``"minilm-onnx"``: the
        full all-MiniLM-L6-v2 through onnxruntime (``"static"`` is the fast bundled model).
    seed_words : bool, default True
        Use the codebook's keywords as BERTopic seed topics (guided topic modelling).
    min_theme_size : int, optional
        Smaller themes are dissolved into the nearest theme. Default ``max(3, 1% of segments)``.
    min_themes, max_themes : int, default 4, 30
        Range searched when ``n_themes`` is not given (also capped at ``sqrt(n)``). The cap
        is for the reader: a draft codebook of 30 themes is already a lot to review.
    lexical_weight : float, default 0.0
        Share of the clustering similarity that is lexical (TF-IDF of the lemmas joined to the
        embeddings); ``0`` clusters on the embeddings alone.
    outlier_similarity : float, default 0.2
        A segment whose cosine to its theme centroid is below this becomes an ``outlier``.
    match_threshold : float, default 0.1
        Lift (cosine of the theme centroid to a codebook theme's ``"label: description"``
        embedding, minus the cosine of the whole input's centroid to it) at or above which the
        theme is ``matched``; below it is ``emergent``.
    stop_phrases : sequence of str, default ()
        Phrases taken out of what discovery sees (whole words, any case), on top of @handles,
        URLs, e-mail addresses, numbers and names spread across the themes.
    name_spread : float, default 0.5
        A name (named entity or proper noun in 2%+ of the segments) that a first clustering
        finds in at least this share of the themes, at half its overall rate or more, is what
        the comments are addressed to or about (an airline, "PCC" in a survey about PCCs): it
        is taken out of what discovery sees and never reaches a label. Above 1: off.
    merge_similarity : float, default 0.9
        Themes whose centroids have at least this cosine are near-duplicates and merge.
    neighbours : int, default 10
        Before the Ward tree, each embedding is replaced by the mean of itself and its
        ``neighbours`` nearest segments (cosine): a segment is clustered by where its
        neighbourhood lies, not by its wording alone. At most ``min_theme_size - 1`` (a theme
        may be that small). The number of themes is still judged (silhouette) on the
        embeddings as they are. ``0``: off.
    split_spread : float, default 0.9
        A theme whose members' mean cosine to its centroid (its coherence) is below this share
        of the median theme's coherence is split in two by Ward on its own members (both halves
        at least ``min_theme_size``), the least coherent first, up to the cap on the number of
        themes. ``0``: off.
    n_quotes : int, default 3
        Representative quotes per theme (nearest the centroid, varied; picked by
        :func:`commentmine.quotes`), kept as the theme's ``examples``.
    redact : bool, default True
        Redact the quotes (:mod:`commentmine.redact`).
    unit : {"auto", "segment", "comment"}, default "auto"
        What is clustered when a comments table is given: its segments (sentences; a
        comment's theme is its segments' majority) or whole comments. ``"auto"`` clusters
        whole comments when the median comment is at least ``LONG_COMMENT_WORDS`` (100)
        words long (complaint narratives, essays), segments otherwise (survey answers). A
        segments table is always clustered as it is.
    name : str, default "discovered-themes"
        Name of the draft codebook.

    Returns
    -------
    Discovery
        ``codebook``, ``assignments``, ``comment_assignments`` and ``themes``.

    Raises
    ------
    InputError
        ``E501`` when there are too few segments to cluster, ``E502`` for inconsistent options.

    Examples
    --------
    >>> import commentmine as cm
    >>> found = cm.discover(comments, n_themes=8)                      # doctest: +SKIP
    >>> print(found.codebook.to_yaml())                               # doctest: +SKIP
    """
    _check_options(
        n_themes=n_themes,
        min_themes=min_themes,
        max_themes=max_themes,
        min_theme_size=min_theme_size,
        outlier_similarity=outlier_similarity,
        match_threshold=match_threshold,
        lexical_weight=lexical_weight,
        uncoded_only=uncoded_only,
        codebook=codebook,
        seed=seed,
        name_spread=name_spread,
        merge_similarity=merge_similarity,
        neighbours=neighbours,
        split_spread=split_spread,
        n_quotes=n_quotes,
        unit=unit,
    )
    from commentmine._extras import require_bertopic
    from commentmine.discover import _content
    from commentmine.discover._bertopic import FILLERS, PHRASE_SEP, fit_bertopic
    from commentmine.discover._cluster import _lexical, _WardClusterer
    from commentmine.embed import select_embedder

    require_bertopic()  # E201 with the install command before any work, when it is missing

    cb = None
    if codebook is not None:
        from commentmine.codebook import load_codebook

        cb = load_codebook(codebook)
    emb = select_embedder(DEFAULT_EMBEDDER if embedder is None else embedder)
    segments = _as_segments(comments_or_segments, unit)
    source = (
        comments_or_segments
        if isinstance(comments_or_segments, pd.DataFrame)
        and "segment_id" not in comments_or_segments.columns
        else None
    )
    if uncoded_only:
        segments = _uncoded_segments(segments, cb, embedder, seed)
    segments = segments.reset_index(drop=True)
    n = len(segments)
    if n < _MIN_SEGMENTS:
        raise errors.too_few_to_discover(n, _MIN_SEGMENTS, uncoded_only=uncoded_only)
    if n_themes is not None and n_themes > n // 2:
        raise errors.bad_discovery_option(
            f"n_themes={n_themes} is more than half the {n} segments; give at most {n // 2}."
        )

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stop_words = frozenset(ENGLISH_STOP_WORDS | FILLERS)
    texts = segments["text"].astype(str).tolist()
    content = _content.strip_boilerplate(texts, stop_phrases)
    an = _content.analyse(content, stop_words)
    seen = [c if c.strip() else t for c, t in zip(content, texts, strict=True)]
    vectors = _embed(emb, seen)

    if min_theme_size is None:
        min_theme_size = max(3, math.ceil(0.01 * n))
    # at most sqrt(n) themes and none below min_theme_size: the silhouette keeps rising with k
    # on sentence embeddings, so the cap keeps small inputs (e.g. uncoded leftovers) readable
    k_max = min(max_themes, max(2, math.isqrt(n)), max(2, n // max(min_theme_size, 1)))

    def clusterer() -> _WardClusterer:
        docs = [
            " ".join(" ".join(k) for k in ph) or t.lower()
            for ph, t in zip(an.phrases, seen, strict=True)
        ]
        return _WardClusterer(
            n_clusters=n_themes,
            k_min=min(min_themes, k_max),
            k_max=k_max,
            min_size=min_theme_size,
            outlier_similarity=outlier_similarity,
            merge_similarity=merge_similarity,
            seed=seed,
            lexical=_lexical(docs) if lexical_weight > 0 else None,
            lexical_weight=float(lexical_weight),
            neighbours=neighbours,
            split_spread=float(split_spread),
        )

    # names spread across the themes of a first clustering: out of the text, out of labels
    spread: set[str] = set()
    if name_spread <= 1.0 and any(an.names):
        # cluster once without any frequent name, then keep out the names spread across
        # those themes; a name a theme is about ("Wales") stays
        frequent = _content.frequent_names(an.names)
        if frequent:
            bare = _content.remove_names(content, an.name_spans, frequent)
            first_vectors = vectors.copy()
            changed = [i for i, (a, b) in enumerate(zip(bare, content, strict=True)) if a != b]
            if changed:
                redo = [bare[i] if bare[i].strip() else texts[i] for i in changed]
                first_vectors[changed] = _embed(emb, redo)
            first = clusterer().fit(first_vectors).labels_
            spread = _content.spread_names(an.names, first, threshold=name_spread)
            if spread == frequent:
                vectors = first_vectors
            elif spread:
                cleaned = _content.remove_names(content, an.name_spans, spread)
                changed = [
                    i for i, (a, b) in enumerate(zip(cleaned, content, strict=True)) if a != b
                ]
                if changed:
                    redo = [cleaned[i] if cleaned[i].strip() else texts[i] for i in changed]
                    vectors[changed] = _embed(emb, redo)
    banned = {w for key in spread for w in key.split()}
    phrase_docs = [
        PHRASE_SEP.join(" ".join(k) for k in ph if not any(w in banned for w in k))
        for ph in an.phrases
    ]
    seeds = _seed_topics(cb) if (cb is not None and seed_words) else None
    labels, scores = fit_bertopic(
        phrase_docs, vectors, lambda xs: _embed(emb, list(xs)), clusterer(), seeds
    )
    # a segment that is nothing but layout or boilerplate ("Three things really:", a URL)
    # has no content to be a theme's member
    labels = np.where([not c.strip() for c in content], -1, labels)

    found = _describe(
        segments, source, texts, vectors, labels, scores, an, banned, emb, n_quotes, redact
    )
    anchors = _anchors(cb, emb) if cb is not None else None
    baseline = None
    if anchors is not None and len(vectors):
        overall = vectors.mean(axis=0)
        baseline = anchors @ (overall / max(float(np.linalg.norm(overall)), 1e-12))
    return _assemble(
        segments,
        found,
        labels,
        cb,
        anchors,
        baseline,
        match_threshold,
        name,
        seed,
        n_themes,
        sorted(spread),
    )


# --- validation and input ------------------------------------------------------------------


def _check_options(**kw: Any) -> None:
    problems = []
    n_themes = kw["n_themes"]
    if n_themes is not None and (not isinstance(n_themes, int) or n_themes < 2):
        problems.append(f"n_themes must be an integer >= 2, got {n_themes!r}")
    if not isinstance(kw["min_themes"], int) or kw["min_themes"] < 2:
        problems.append(f"min_themes must be an integer >= 2, got {kw['min_themes']!r}")
    if not isinstance(kw["max_themes"], int) or kw["max_themes"] < kw["min_themes"]:
        problems.append(f"max_themes must be an integer >= min_themes, got {kw['max_themes']!r}")
    mts = kw["min_theme_size"]
    if mts is not None and (not isinstance(mts, int) or mts < 1):
        problems.append(f"min_theme_size must be an integer >= 1, got {mts!r}")
    for key in ("outlier_similarity", "match_threshold"):
        if not isinstance(kw[key], int | float) or not -1.0 <= kw[key] <= 1.0:
            problems.append(f"{key} must be a number in [-1, 1], got {kw[key]!r}")
    lw = kw["lexical_weight"]
    if not isinstance(lw, int | float) or isinstance(lw, bool) or not 0.0 <= lw < 1.0:
        problems.append(f"lexical_weight must be a number in [0, 1), got {lw!r}")
    if not isinstance(kw["seed"], int) or isinstance(kw["seed"], bool):
        problems.append(f"seed must be an integer, got {kw['seed']!r}")
    ns = kw["name_spread"]
    if not isinstance(ns, int | float) or isinstance(ns, bool) or ns <= 0:
        problems.append(f"name_spread must be a number > 0 (above 1: off), got {ns!r}")
    ms = kw["merge_similarity"]
    if not isinstance(ms, int | float) or isinstance(ms, bool) or not 0.0 < ms <= 1.0:
        problems.append(f"merge_similarity must be a number in (0, 1], got {ms!r}")
    nb = kw["neighbours"]
    if not isinstance(nb, int) or isinstance(nb, bool) or nb < 0:
        problems.append(f"neighbours must be an integer >= 0, got {nb!r}")
    sp = kw["split_spread"]
    if not isinstance(sp, int | float) or isinstance(sp, bool) or not 0.0 <= sp <= 1.0:
        problems.append(f"split_spread must be a number in [0, 1], got {sp!r}")
    nq = kw["n_quotes"]
    if not isinstance(nq, int) or isinstance(nq, bool) or nq < 0:
        problems.append(f"n_quotes must be an integer >= 0, got {nq!r}")
    if kw["unit"] not in ("auto", "segment", "comment"):
        problems.append(f"unit must be 'auto', 'segment' or 'comment', got {kw['unit']!r}")
    if kw["uncoded_only"] and kw["codebook"] is None:
        problems.append("uncoded_only=True needs a codebook (--codebook) to tag with first")
    if problems:
        raise errors.bad_discovery_option("; ".join(problems))


def _as_segments(data: pd.DataFrame | Sequence[str], unit: str = "segment") -> pd.DataFrame:
    from commentmine._tables import COMMENT_COLUMNS

    if not isinstance(data, pd.DataFrame):
        if isinstance(data, str) or not isinstance(data, Sequence):
            raise errors.bad_discovery_option(
                "discover() takes a comments table, a segments table or a list of texts, "
                f"not {type(data).__name__}"
            )
        texts = [str(t) for t in data]
        ids = [str(i) for i in range(1, len(texts) + 1)]
        data = pd.DataFrame(
            {
                "comment_id": ids,
                "respondent_id": ids,
                "question": "",
                "text": texts,
                "source": "",
                "status": ["ok" if t.strip() else "empty" for t in texts],
                "speaker": "",
                "is_interviewer": False,
            },
            columns=COMMENT_COLUMNS,
        )
    if "segment_id" in data.columns:
        for col in ("segment_id", "comment_id", "text"):
            if col not in data.columns:
                raise errors.missing_column(col, data.columns, what="segments column")
        segments = data
    else:
        for col in ("comment_id", "text"):
            if col not in data.columns:
                raise errors.missing_column(col, data.columns, what="comments column")
        if unit == "auto":
            words = data["text"].fillna("").astype(str).str.split().str.len()
            unit = "comment" if len(words) and words.median() >= LONG_COMMENT_WORDS else "segment"
        if unit == "comment":
            segments = _whole_comments(data)
        else:
            from commentmine.segment import segment

            segments = segment(data, include_interviewer=False)
    if "is_interviewer" in segments.columns:
        segments = segments[~segments["is_interviewer"].astype(bool)]
    return segments


def _whole_comments(data: pd.DataFrame) -> pd.DataFrame:
    """One segment per comment: its whole text (blank comments and interviewers left out)."""
    keep = data[data["text"].fillna("").astype(str).str.strip() != ""]
    if "is_interviewer" in keep.columns:
        keep = keep[~keep["is_interviewer"].fillna(False).astype(bool)]
    text = keep["text"].astype(str)
    out = pd.DataFrame(
        {
            "segment_id": keep["comment_id"].astype(str) + "-1",
            "comment_id": keep["comment_id"].astype(str),
            "start": 0,
            "end": text.str.len(),
            "text": text,
        }
    )
    for col in ("respondent_id", "question", "source", "speaker"):
        if col in keep.columns:
            out[col] = keep[col].to_numpy()
    return out.reset_index(drop=True)


def _uncoded_segments(
    segments: pd.DataFrame, cb: Codebook | None, emb: Embedder | str | None, seed: int
) -> pd.DataFrame:
    from commentmine.tag import tag

    tags = tag(segments, cb, embedder=emb, seed=seed)
    uncoded = set(tags.loc[tags["theme"] == UNCODED, "segment_id"].astype(str))
    return segments[segments["segment_id"].astype(str).isin(uncoded)]


def _embed(emb: Embedder, texts: list[str]) -> np.ndarray:
    vectors = np.asarray(emb.embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _seed_topics(cb: Codebook) -> list[list[str]] | None:
    topics = []
    for theme in cb.themes:
        words = [w.replace("*", "").strip() for w in theme.keywords]
        words = [w for w in words if w]
        if words:
            topics.append(words)
    return topics or None


def _anchors(cb: Codebook, emb: Embedder) -> np.ndarray:
    texts = [f"{t.label}: {t.description}" if t.description else t.label for t in cb.themes]
    return _embed(emb, texts)


# --- description and assembly --------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    label: int
    size: int
    keywords: list[str]
    title: str
    description: str
    slug: str
    examples: list[str]
    centroid: np.ndarray


def _describe(
    segments: pd.DataFrame,
    source: pd.DataFrame | None,
    texts: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    scores: dict[int, list[tuple[str, float]]],
    an: Any,
    banned: set[str],
    emb: Embedder,
    n_quotes: int,
    redact: bool,
) -> list[_Found]:
    from commentmine.discover._labels import label_themes

    ids = [int(t) for t in dict.fromkeys(labels.tolist()) if t >= 0]
    sizes = {t: int((labels == t).sum()) for t in ids}
    order = sorted(ids, key=lambda t: -sizes[t])  # stable: ties keep first appearance
    members = {t: np.flatnonzero(labels == t) for t in order}
    cents = {}
    for t in order:
        c = vectors[members[t]].mean(axis=0)
        cents[t] = c / max(float(np.linalg.norm(c)), 1e-12)
    keyed = {t: [(tuple(w.split()), sc) for w, sc in scores.get(t, [])] for t in order}
    names = label_themes(order, members, keyed, an, cents, lambda xs: _embed(emb, list(xs)), banned)
    quotes = _quotes(segments, source, texts, vectors, labels, order, cents, emb, n_quotes, redact)
    found = []
    for t in order:
        lab = names[t]
        found.append(
            _Found(
                label=t,
                size=sizes[t],
                keywords=lab.keywords,
                title=lab.label,
                description=lab.description,
                slug=_slug(lab.label),
                examples=quotes.get(t, []),
                centroid=cents[t],
            )
        )
    return found


_QUOTE_POOL = 60  # segments nearest each centroid that the quote picker chooses from


def _quotes(
    segments: pd.DataFrame,
    source: pd.DataFrame | None,
    texts: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    order: list[int],
    cents: dict[int, np.ndarray],
    emb: Embedder,
    n: int,
    redact: bool,
) -> dict[int, list[str]]:
    """Up to ``n`` representative, varied, redacted quotes per theme (commentmine.quotes).

    The pool is each theme's ``_QUOTE_POOL`` segments nearest its centroid, scored by that
    cosine; :func:`commentmine.quotes.quotes` trims them to whole sentences, drops
    near-duplicates, picks by relevance and variety (MMR) and redacts.
    """
    if n < 1 or not order:
        return {}
    rows = []
    for t in order:
        idx = np.flatnonzero(labels == t)
        sims = vectors[idx] @ cents[t]
        ranked = idx[np.lexsort((idx, -np.round(sims, 6)))][:_QUOTE_POOL]
        for i in ranked:
            rows.append((i, t, float(np.clip(vectors[i] @ cents[t], 0.0, 1.0))))
    have_spans = {"start", "end"} <= set(segments.columns)
    if not have_spans:
        return _nearest_quotes(texts, rows, n, redact)
    from commentmine.quotes import quotes as pick_quotes

    tags = pd.DataFrame(
        {
            "comment_id": [str(segments.at[i, "comment_id"]) for i, _, _ in rows],
            "segment_id": [str(segments.at[i, "segment_id"]) for i, _, _ in rows],
            "start": [int(segments.at[i, "start"]) for i, _, _ in rows],
            "end": [int(segments.at[i, "end"]) for i, _, _ in rows],
            "text": [texts[i] for i, _, _ in rows],
            "theme": [f"t{t}" for _, t, _ in rows],
            "score": [round(s, 6) for _, _, s in rows],
        }
    )
    comments = None
    if source is not None and {"comment_id", "text"} <= set(source.columns):
        comments = source[["comment_id", "text"]].astype({"comment_id": str})
    picked = pick_quotes(
        tags,
        n=n,
        min_score=0.0,
        min_words=4,
        max_words=40,
        redact=redact,
        embedder=emb,
        comments=comments,
        weights=(1.0, 0.0, 0.0),
    )
    out: dict[int, list[str]] = {}
    for rec in picked.itertuples(index=False):
        out.setdefault(int(str(rec.theme)[1:]), []).append(str(rec.text))
    return out


def _nearest_quotes(texts, rows, n: int, redact: bool) -> dict[int, list[str]]:
    from commentmine.redact import redact_many

    out: dict[int, list[str]] = {}
    seen: set[str] = set()
    for i, t, _ in rows:
        key = " ".join(texts[i].split()).casefold()
        if key in seen or len(out.get(t, [])) >= n:
            continue
        seen.add(key)
        out.setdefault(t, []).append(texts[i])
    if redact:
        for t, qs in out.items():
            out[t] = redact_many(qs)
    return out


def _slug(label: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return slug[:40].strip("_") or "theme"


def _assemble(
    segments: pd.DataFrame,
    found: list[_Found],
    labels: np.ndarray,
    cb: Codebook | None,
    anchors: np.ndarray | None,
    baseline: np.ndarray | None,
    match_threshold: float,
    name: str,
    seed: int,
    n_themes: int | None,
    removed_names: list[str],
) -> Discovery:
    from commentmine.codebook import Codebook, Theme

    width = max(2, len(str(len(found))))
    themes = []
    rows = []
    id_of: dict[int, str] = {}
    for rank, f in enumerate(found, start=1):
        theme_id = f"d{rank:0{width}d}_{f.slug}"
        id_of[f.label] = theme_id
        meta: dict[str, Any] = {"size": f.size}
        matched, similarity = "", float("nan")
        if cb is not None and anchors is not None and len(anchors):
            sims = anchors @ f.centroid
            lift = sims - baseline if baseline is not None else sims
            best = int(np.argmax(np.round(lift, 6)))
            similarity = round(float(sims[best]), 3)
            gain = round(float(lift[best]), 3)
            if gain >= match_threshold:
                matched = cb.themes[best].id
                meta = {
                    "status": "matched",
                    "matched_theme": matched,
                    "similarity": similarity,
                    "lift": gain,
                }
            else:
                meta = {
                    "status": "emergent",
                    "nearest_theme": cb.themes[best].id,
                    "similarity": similarity,
                    "lift": gain,
                }
            meta["size"] = f.size
        else:
            meta = {"status": "emergent", "size": f.size}
        status = meta["status"]
        description = f.description
        themes.append(
            Theme(
                id=theme_id,
                label=f.title,
                description=description,
                keywords=tuple(f.keywords),
                examples=tuple(f.examples),
                meta=meta,
            )
        )
        rows.append(
            {
                "id": theme_id,
                "label": f.title,
                "size": f.size,
                "keywords": "; ".join(f.keywords),
                "matched_codebook_theme": matched,
                "similarity": similarity,
                "status": status,
            }
        )
    cb_meta: dict[str, Any] = {
        "generated_by": "commentmine.discover",
        "seed": seed,
        "n_segments": len(segments),
        "n_outliers": int((labels < 0).sum()),
    }
    if n_themes is not None:
        cb_meta["n_themes_requested"] = n_themes
    if removed_names:
        cb_meta["names_left_out"] = removed_names
    if cb is not None:
        cb_meta["matched_against"] = cb.name
    draft = Codebook(
        name=name,
        description="Draft codebook from commentmine discover: review, rename, merge and edit "
        "the themes, then tag with it.",
        themes=tuple(themes),
        meta=cb_meta,
    )
    theme_col = [id_of.get(int(t), OUTLIER) for t in labels]
    assignments = pd.DataFrame(
        {
            "comment_id": segments["comment_id"].astype(str).to_numpy(),
            "segment_id": segments["segment_id"].astype(str).to_numpy(),
            "theme": theme_col,
        },
        columns=ASSIGNMENT_COLUMNS,
    )
    return Discovery(
        codebook=draft,
        assignments=assignments,
        comment_assignments=_comment_majority(assignments),
        themes=pd.DataFrame(rows, columns=THEME_COLUMNS),
    )


def _comment_majority(assignments: pd.DataFrame) -> pd.DataFrame:
    """A comment's theme: its segments' majority theme, ties to the lower id; outliers last."""
    if assignments.empty:
        return pd.DataFrame(columns=COMMENT_ASSIGNMENT_COLUMNS)
    ids = assignments["comment_id"].astype(str)
    counts = (
        pd.DataFrame({"comment_id": ids, "theme": assignments["theme"].astype(str)})
        .groupby(["comment_id", "theme"], sort=False)
        .size()
        .reset_index(name="n")
    )
    counts["is_outlier"] = counts["theme"] == OUTLIER
    counts = counts.sort_values(
        ["is_outlier", "n", "theme"], ascending=[True, False, True], kind="mergesort"
    )
    best = counts.drop_duplicates("comment_id").set_index("comment_id")["theme"]
    order = pd.unique(ids)
    return pd.DataFrame(
        {"comment_id": order, "theme": best.reindex(order).to_numpy()},
        columns=COMMENT_ASSIGNMENT_COLUMNS,
    )
