"""Theme discovery: the themes a codebook lacks, found the same way every run, as a draft codebook.

Segments are embedded with the same :class:`~commentmine.embed.Embedder` as tagging, clustered,
described with BERTopic's class-based TF-IDF over lemma n-grams (refined with KeyBERT-style and
MMR representations) and written as a draft :class:`~commentmine.codebook.Codebook` that
``commentmine tag --codebook`` accepts as it is.

How it works
------------
1. **Segments.** A comments table is segmented (:func:`commentmine.segment`); a
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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._discover._assemble import (  # noqa: F401 - importable from here
    ASSIGNMENT_COLUMNS,
    COMMENT_ASSIGNMENT_COLUMNS,
    THEME_COLUMNS,
    _comment_majority,
)
from commentmine._discover._assign import OUTLIER, Fitted, embed_raw
from commentmine._discover._pipeline import run
from commentmine._discover._prepare import (  # noqa: F401 - importable from here
    LONG_COMMENT_WORDS,
    _as_segments,
    _Settings,
)

if TYPE_CHECKING:  # pragma: no cover
    from commentmine.codebook import Codebook
    from commentmine.embed import Embedder

__all__ = ["Discovery", "discover"]

# Discovery embeds like tagging: embed.DEFAULT_EMBEDDER (full all-MiniLM-L6-v2 through
# onnxruntime, no torch); ``commentmine discover --fast`` uses embed.FAST_EMBEDDER (static).
NAME_SPREAD = 0.5
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
    _fitted: Fitted | None = field(default=None, repr=False, compare=False)

    @property
    def outlier_share(self) -> float:
        """Share of segments whose theme is ``outlier``."""
        n = len(self.assignments)
        return float((self.assignments["theme"] == OUTLIER).sum() / n) if n else 0.0

    def assign(self, segments: pd.DataFrame | Sequence[str]) -> pd.DataFrame:
        """Assign segments to the nearest discovered theme, or ``outlier``.

        Each theme's centroid is the mean embedding of the segments :func:`discover` put in
        it (their texts as they are, with the embedder discovery used), renormalised. A
        segment goes to the theme whose centroid is nearest by cosine, or is an ``outlier``
        when that cosine is below discovery's ``outlier_similarity`` (the floor discovery
        judged its own outliers by). This is how :func:`commentmine.scale.discover_dask`
        assigns the segments outside its sample.

        Discovery itself clusters (Ward on smoothed embeddings), it does not assign by the
        nearest centroid, so assigning the segments discovery was run on does not give back
        all of their themes: on well-separated themes it does, elsewhere a segment on the
        border between two themes may go to the other one (on the demo survey 81% come back
        to their own theme with MiniLM, 74% with the static model).

        Parameters
        ----------
        segments : DataFrame or sequence of str
            A segments table (``segment_id, comment_id, text``; assigned row by row), a
            comments table or plain texts (segmented as :func:`discover` reads them, with its
            ``unit``).

        Returns
        -------
        pandas.DataFrame
            ``comment_id, segment_id, theme``: one row per segment, in input order (``theme``
            is one of ``themes["id"]`` or ``outlier``).

        Raises
        ------
        InputError
            ``E301`` when this result was not made by :func:`discover` (nothing to assign
            with), ``E502`` for an input that is not a table or texts.

        Examples
        --------
        >>> found = cm.discover(comments)                                # doctest: +SKIP
        >>> found.assign(new_segments)["theme"].value_counts()           # doctest: +SKIP
        """
        fitted = self._fitted
        if fitted is None:
            raise errors.bad_argument(
                "this Discovery holds no fitted themes to assign to: use the result of "
                "commentmine.discover (or discover_dask)."
            )
        segs = (
            segments
            if isinstance(segments, pd.DataFrame) and "segment_id" in segments.columns
            else _as_segments(segments, fitted.unit)
        )
        for col in ("segment_id", "comment_id", "text"):
            if col not in segs.columns:
                raise errors.missing_column(col, segs.columns, what="segments column")
        centroids = fitted.centroids()
        texts = segs["text"].astype(str).tolist()
        if texts and centroids.ids:
            theme = centroids.nearest(embed_raw(fitted.embedder, texts))
        else:  # nothing to embed, or no theme to go to
            theme = np.full(len(texts), OUTLIER, dtype=object)
        return pd.DataFrame(
            {
                "comment_id": segs["comment_id"].astype(str).to_numpy(dtype=object),
                "segment_id": segs["segment_id"].astype(str).to_numpy(dtype=object),
                "theme": theme,
            },
            columns=ASSIGNMENT_COLUMNS,
        )


def discover(
    comments_or_segments: pd.DataFrame | Sequence[str],
    codebook: Codebook | str | None = None,
    *,
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
        Redact the quotes (:func:`commentmine.redact`).
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
    return run(_Settings(**locals()))  # locals(): exactly the arguments above, checked
