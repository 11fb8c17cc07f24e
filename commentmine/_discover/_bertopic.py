"""BERTopic for discovery: imported without the extras it never uses, fitted on phrases.

Discovery hands BERTopic precomputed embeddings, an identity dimensionality reduction and its
own cluster model (:class:`commentmine._discover._cluster._WardClusterer`). The documents BERTopic
sees are each segment's candidate noun phrases (lemma keys), so its class-based TF-IDF ranks
phrases, not single lemmas, per theme.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

#: Discourse fillers of survey answers ("Plus ...", "Really ...", "Another thing: ..."): stop
#: words for theme keywords and labels, on top of scikit-learn's English list (lemmas).
FILLERS = frozenset(
    [
        "plus",
        "really",
        "just",
        "thing",
        "things",
        "ideally",
        "honestly",
        "generally",
        "main",
        "point",
        "points",
        "like",
        "think",
        "know",
        "want",
        "feel",
        "make",
        "way",
        "sadly",
        "actually",
        "quite",
        "bit",
        "lot",
        "lots",
        "basically",
        "obviously",
        "overall",
        "frankly",
        "personally",
        "currently",
        "certainly",
        "maybe",
        "perhaps",
        "far",
        "good",
        "hope",
        "help",
        # spaCy tags these nouns; at the end of a phrase they make labels like "Card today"
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
    ]
)


#: Optional dependencies that ``import bertopic`` pulls in at import time (its embedding
#: backends, UMAP, HDBSCAN, plotting) and that discovery never uses: it hands BERTopic
#: precomputed embeddings and its own dimensionality reduction and cluster model. BERTopic guards
#: each of these imports and falls back when one is missing.
_BERTOPIC_UNUSED = (
    "sentence_transformers",
    "transformers",
    "torch",
    "umap",
    "pynndescent",
    "numba",
    "hdbscan",
    "plotly",
)


@functools.lru_cache(maxsize=1)
def _bertopic() -> tuple[Any, Any, Any, Any]:
    """BERTopic's classes that discovery uses, imported without its unused heavy extras.

    ``import bertopic`` imports sentence-transformers (and so torch), UMAP (and numba) and
    plotly: about 10 s on a laptop, most of discovery's run time on a few thousand comments.
    When bertopic is not imported yet, those modules are marked missing just for this import
    (only those not already imported), the classes are kept, and every ``bertopic`` module is
    then dropped from ``sys.modules``: a later ``import bertopic`` elsewhere in the process gets
    the full library, as if this had not happened. Should a BERTopic version need one of those
    modules at import time, the full import is used instead.
    """
    import sys

    if "bertopic" in sys.modules:  # already imported in full by the caller: use it
        return _bertopic_classes()
    blocked = [m for m in _BERTOPIC_UNUSED if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]  # import raises ModuleNotFoundError
    try:
        light = _bertopic_classes()
    except ImportError:  # a BERTopic version that needs one of them: import it in full
        light = None
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
        for name in [k for k in sys.modules if k == "bertopic" or k.startswith("bertopic.")]:
            del sys.modules[name]
    return light if light is not None else _bertopic_classes()


def _bertopic_classes() -> tuple[Any, Any, Any, Any]:
    from bertopic import BERTopic
    from bertopic.backend import BaseEmbedder
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.representation import MaximalMarginalRelevance

    return BERTopic, BaseEmbedder, BaseDimensionalityReduction, MaximalMarginalRelevance


PHRASE_SEP = "|"


def _phrase_analyzer(doc: str) -> list[str]:
    # BERTopic joins a theme's documents with a space before counting, so each document is
    # written |a|b| and the blank between two documents is no phrase.
    return [p for p in doc.split(PHRASE_SEP) if p.strip()]


def _phrase_doc(phrases: list[str]) -> str:
    """One segment's phrases, each once, fenced by ``|`` so documents joined by BERTopic keep
    their phrases apart (no phrase made of the last of one segment and the first of the next)."""
    kept = list(dict.fromkeys(p for p in phrases if p.strip()))
    return f"{PHRASE_SEP}{PHRASE_SEP.join(kept)}{PHRASE_SEP}" if kept else PHRASE_SEP


def fit_bertopic(
    phrase_docs: list[str],
    vectors: np.ndarray,
    embed_fn: Any,
    clusterer: Any,
    seeds: list[list[str]] | None,
    top_n: int = 40,
) -> tuple[np.ndarray, dict[int, list[tuple[str, float]]]]:
    """Run BERTopic on precomputed embeddings; return labels and c-TF-IDF phrases per theme.

    ``phrase_docs`` holds, per segment, its candidate phrases joined by ``|`` (each a
    space-joined lemma key). A phrase counts once per segment, so a theme's count of a phrase
    is the number of its segments that use it.
    """
    import logging

    from sklearn.feature_extraction.text import CountVectorizer

    BERTopic, BaseEmbedder, BaseDimensionalityReduction, _mmr = _bertopic()
    logging.getLogger("BERTopic").setLevel(logging.WARNING)

    class _Backend(BaseEmbedder):
        def embed(self, documents: Any, verbose: bool = False) -> np.ndarray:
            if isinstance(documents, str):
                documents = [documents]
            return embed_fn([", ".join(_phrase_analyzer(str(d))) for d in documents])

    vectorizer = CountVectorizer(analyzer=_phrase_analyzer, min_df=1)
    model = BERTopic(
        embedding_model=_Backend(),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=clusterer,
        vectorizer_model=vectorizer,
        top_n_words=top_n,
        seed_topic_list=seeds,
        calculate_probabilities=False,
        verbose=False,
    )
    docs = [_phrase_doc(_phrase_analyzer(d)) for d in phrase_docs]
    if not any(_phrase_analyzer(d) for d in docs):
        docs = ["none"] * len(docs)  # no phrase at all: BERTopic needs a vocabulary
    topics, _ = model.fit_transform(docs, embeddings=vectors.copy())
    labels = np.asarray(topics, dtype=np.int64)
    scores: dict[int, list[tuple[str, float]]] = {}
    for t, words in model.get_topics().items():
        if t < 0:
            continue
        scores[int(t)] = [(w, float(s)) for w, s in words if w and w != "none" and s > 0]
    return labels, scores
