"""The steps of :func:`commentmine.discover`: the segments, what discovery sees of them, the
names spread across the themes, the clusters, and the match to a codebook."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._discover._prepare import _as_segments, _embed, _uncoded_segments

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._discover import Discovery
    from commentmine._discover._cluster import _WardClusterer
    from commentmine._discover._prepare import _Settings
    from commentmine.codebook import Codebook
    from commentmine.embed import Embedder

_MIN_SEGMENTS = 6


def run(s: _Settings) -> Discovery:
    """:func:`commentmine.discover` with its arguments (checked)."""
    from commentmine._discover import Discovery
    from commentmine._discover._assemble import _assemble, _comment_majority, _describe
    from commentmine._discover._assign import Fitted
    from commentmine._discover._prepare import _anchors, _seed_topics
    from commentmine._extras import require_bertopic
    from commentmine.embed import DEFAULT_EMBEDDER, select_embedder

    require_bertopic()  # E201 with the install command before any work, when it is missing

    cb = None
    if s.codebook is not None:
        from commentmine.codebook import load_codebook

        cb = load_codebook(s.codebook)
    emb = select_embedder(DEFAULT_EMBEDDER if s.embedder is None else s.embedder)
    segments, source = segments_to_cluster(
        s.comments_or_segments, s.unit, s.uncoded_only, cb, s.embedder, s.seed, s.n_themes
    )
    seen = what_is_seen(segments, s.stop_phrases, emb)
    clusterer = clusterer_factory(seen, s)
    # names spread across the themes of a first clustering: out of the text, out of labels
    spread = leave_out_spread_names(seen, emb, clusterer, s.name_spread)
    banned = {w for key in spread for w in key.split()}
    seeds = _seed_topics(cb) if (cb is not None and s.seed_words) else None
    labels, scores = cluster(seen, emb, clusterer, banned, seeds)
    texts, vectors = seen.texts, seen.vectors
    found = _describe(
        segments,
        source,
        texts,
        vectors,
        labels,
        scores,
        seen.analysis,
        banned,
        emb,
        s.n_quotes,
        s.redact,
    )
    anchors = _anchors(cb, emb) if cb is not None else None
    draft, assignments, themes = _assemble(
        segments,
        found,
        labels,
        cb,
        anchors,
        match_baseline(anchors, vectors),
        s.match_threshold,
        s.name,
        s.seed,
        s.n_themes,
        sorted(spread),
    )
    fitted = Fitted(
        embedder=emb,
        texts=tuple(texts),
        themes=assignments["theme"].astype(str).to_numpy(),
        floor=float(s.outlier_similarity),
        unit=s.unit,
    )
    return Discovery(
        codebook=draft,
        assignments=assignments,
        comment_assignments=_comment_majority(assignments),
        themes=themes,
        _fitted=fitted,
    )


def segments_to_cluster(
    data: pd.DataFrame | Sequence[str],
    unit: str,
    uncoded_only: bool,
    cb: Codebook | None,
    embedder: Embedder | str | None,
    seed: int,
    n_themes: int | None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The segments discovery clusters (numbered from 0) and the comments table they came
    from (``None`` when ``data`` is not one); E501 when too few, E502 when ``n_themes`` is more
    than half of them."""
    segments = _as_segments(data, unit)
    source = data if isinstance(data, pd.DataFrame) and "segment_id" not in data.columns else None
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
    return segments, source


@dataclass
class Seen:
    """What discovery sees of the segments: their texts as they are, the texts without
    boilerplate and stop phrases (``content``), the lemma analysis of those, the texts embedded
    (``seen``: the content, or the text where nothing is left) and their unit embeddings."""

    texts: list[str]
    content: list[str]
    analysis: Any
    seen: list[str]
    vectors: np.ndarray


def what_is_seen(segments: pd.DataFrame, stop_phrases: Sequence[str], emb: Embedder) -> Seen:
    """Boilerplate and stop phrases out, lemmas analysed, the rest embedded."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from commentmine._discover import _content
    from commentmine._discover._bertopic import FILLERS

    stop_words = frozenset(ENGLISH_STOP_WORDS | FILLERS)
    texts = segments["text"].astype(str).tolist()
    content = _content.strip_boilerplate(texts, stop_phrases)
    an = _content.analyse(content, stop_words)
    seen = [c if c.strip() else t for c, t in zip(content, texts, strict=True)]
    return Seen(texts, content, an, seen, _embed(emb, seen))


def clusterer_factory(seen: Seen, s: _Settings) -> Callable[[], _WardClusterer]:
    """A maker of the cluster model, set up for this many segments."""
    from commentmine._discover._cluster import _lexical, _WardClusterer

    n = len(seen.texts)
    size = s.min_theme_size if s.min_theme_size is not None else max(3, math.ceil(0.01 * n))
    # at most sqrt(n) themes and none below min_theme_size: the silhouette keeps rising with k
    # on sentence embeddings, so the cap keeps small inputs (e.g. uncoded leftovers) readable
    k_max = min(s.max_themes, max(2, math.isqrt(n)), max(2, n // max(size, 1)))

    def clusterer() -> _WardClusterer:
        docs = [
            " ".join(" ".join(k) for k in ph) or t.lower()
            for ph, t in zip(seen.analysis.phrases, seen.seen, strict=True)
        ]
        return _WardClusterer(
            n_clusters=s.n_themes,
            k_min=min(s.min_themes, k_max),
            k_max=k_max,
            min_size=size,
            outlier_similarity=s.outlier_similarity,
            merge_similarity=s.merge_similarity,
            seed=s.seed,
            lexical=_lexical(docs) if s.lexical_weight > 0 else None,
            lexical_weight=float(s.lexical_weight),
            neighbours=s.neighbours,
            split_spread=float(s.split_spread),
        )

    return clusterer


def leave_out_spread_names(
    seen: Seen,
    emb: Embedder,
    clusterer: Callable[[], _WardClusterer],
    name_spread: float,
) -> set[str]:
    """The names spread across the themes of a first clustering (what the comments are
    addressed to or about), taken out of what is seen: the embeddings of the segments that
    named them are remade in place (``seen.vectors``)."""
    from commentmine._discover import _content

    an, content, texts = seen.analysis, seen.content, seen.texts
    if not (name_spread <= 1.0 and any(an.names)):
        return set()
    # cluster once without any frequent name, then keep out the names spread across
    # those themes; a name a theme is about ("Wales") stays
    frequent = _content.frequent_names(an.names)
    if not frequent:
        return set()
    bare = _content.remove_names(content, an.name_spans, frequent)
    first_vectors = seen.vectors.copy()
    changed = [i for i, (a, b) in enumerate(zip(bare, content, strict=True)) if a != b]
    if changed:
        redo = [bare[i] if bare[i].strip() else texts[i] for i in changed]
        first_vectors[changed] = _embed(emb, redo)
    first = clusterer().fit(first_vectors).labels_
    spread = _content.spread_names(an.names, first, threshold=name_spread)
    if spread == frequent:
        seen.vectors = first_vectors
    elif spread:
        cleaned = _content.remove_names(content, an.name_spans, spread)
        changed = [i for i, (a, b) in enumerate(zip(cleaned, content, strict=True)) if a != b]
        if changed:
            redo = [cleaned[i] if cleaned[i].strip() else texts[i] for i in changed]
            seen.vectors[changed] = _embed(emb, redo)
    return spread


def cluster(
    seen: Seen,
    emb: Embedder,
    clusterer: Callable[[], _WardClusterer],
    banned: set[str],
    seeds: list[list[str]] | None,
) -> tuple[np.ndarray, dict[int, list[tuple[str, float]]]]:
    """BERTopic's labels (``-1``: outlier) and its keyword scores per theme; a segment that is
    nothing but layout or boilerplate ("Three things really:", a URL) has no content to be a
    theme's member."""
    from commentmine._discover._bertopic import PHRASE_SEP, fit_bertopic

    phrase_docs = [
        PHRASE_SEP.join(" ".join(k) for k in ph if not any(w in banned for w in k))
        for ph in seen.analysis.phrases
    ]
    labels, scores = fit_bertopic(
        phrase_docs, seen.vectors, lambda xs: _embed(emb, list(xs)), clusterer(), seeds
    )
    labels = np.where([not c.strip() for c in seen.content], -1, labels)
    return labels, scores


def match_baseline(anchors: np.ndarray | None, vectors: np.ndarray) -> np.ndarray | None:
    """Each codebook anchor's cosine to the centroid of all the input (what a theme's lift is
    measured from)."""
    if anchors is None or not len(vectors):
        return None
    overall = vectors.mean(axis=0)
    return anchors @ (overall / max(float(np.linalg.norm(overall)), 1e-12))
