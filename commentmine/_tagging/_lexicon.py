"""The lexicon: each theme's weighted terms, and their matches on segment lemmas.

Terms are the content lemmas of a theme's label (weight ``label_weight``) and description
(``description_weight``) and its keyword phrases (``keyword_weight``; compiled by
:func:`commentmine.codebook.compile_keywords`); a sub-theme inherits its parent's at half
weight. A term shared by ``m`` of ``T`` themes is down-weighted by ``log(1 + T/m) / log(1 + T)``.
Exclusion phrases make a second, unweighted matcher. Matching is
:class:`commentmine._codebook._match.TokenMatcher`'s, the one keyword matcher
(:class:`commentmine.codebook.KeywordPattern` uses it too): a term's occurrences do not overlap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from commentmine._codebook._match import TokenMatcher

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
#: A lemma that can be a term: a word (letters first) or a wildcard.
TOKEN_OK = re.compile(r"^[a-z][a-z0-9'\-]*\*?$|^\*[a-z0-9'\-]+\*?$")


def stopwords() -> frozenset[str]:
    """scikit-learn's English stop words and the words of codebook prose."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _PROSE_STOP


@dataclass(frozen=True)
class Term:
    """One lexicon term: its lemma tokens (``*`` wildcards kept) and how evidence shows it."""

    patterns: tuple[str, ...]
    display: str


@dataclass
class Lexicon:
    """Terms, their weight per theme, and the exclusion phrases' owners.

    Attributes
    ----------
    terms : list of Term
    weights : ndarray (n_terms, n_themes)
        After the shared-term down-weighting.
    exclude_map : ndarray (n_exclusions, n_themes)
        1 where an exclusion phrase belongs to a theme.
    """

    terms: list[Term]
    weights: np.ndarray
    exclude_map: np.ndarray
    matcher: TokenMatcher
    ex_matcher: TokenMatcher

    def match(
        self, lemmas: Sequence[str], *, negation_window: int, negation_weight: float
    ) -> tuple[sparse.csr_matrix, np.ndarray]:
        """(term counts (n, n_terms), token count per string); see :class:`TokenMatcher`."""
        return self.matcher.match(
            lemmas, negation_window=negation_window, negation_weight=negation_weight
        )

    def excluded(self, lemmas: Sequence[str]) -> sparse.csr_matrix | None:
        """Exclusion phrase counts (n, n_exclusions), or None when the codebook has none."""
        return self.ex_matcher.match(lemmas)[0] if self.exclude_map.shape[0] else None

    def vetoes(self, ex_tf: sparse.csr_matrix | None, lemmas: Sequence[str]) -> np.ndarray:
        """Boolean (n, n_themes): an exclusion phrase of the theme occurs (``ex_tf``:
        :meth:`excluded` of ``lemmas`` when already computed)."""
        if not self.exclude_map.shape[0]:
            return np.zeros((len(lemmas), self.exclude_map.shape[1]), dtype=bool)
        if ex_tf is None:
            ex_tf, _ = self.ex_matcher.match(lemmas)
        return np.asarray((ex_tf @ self.exclude_map) > 0)


def lemmatize(texts: list[str]) -> list[str]:
    """:func:`commentmine._segment.lemmatize` as a list of str."""
    if not texts:
        return []
    from commentmine._segment import lemmatize as segment_lemmatize

    return [str(x) for x in segment_lemmatize(texts)]


def _lemmatize_keywords(keywords: list[str]) -> list[tuple[str, ...]]:
    """Lemma tokens of keyword phrases, as the codebook compiles them (``*`` kept as written)."""
    if not keywords:
        return []
    from commentmine._segment import lemmatize as segment_lemmatize
    from commentmine.codebook import compile_keywords

    return [
        tuple(p.lemmas.split()) for p in compile_keywords(keywords, lemmatize=segment_lemmatize)
    ]


def build_lexicon(
    codebook: Any,
    theme_ids: Sequence[str],
    *,
    label_weight: float,
    keyword_weight: float,
    description_weight: float,
) -> Lexicon:
    """The lexicon of the scored themes ``theme_ids`` of ``codebook`` (see the module docs)."""
    themes = [codebook.theme(t) for t in theme_ids]
    stop = stopwords()
    # Collect every string to lemmatize in one call.
    labels = [t.label or str(t.id) for t in themes]
    descs = [t.description or "" for t in themes]
    parents = [codebook.theme(t.parent) if getattr(t, "parent", None) else None for t in themes]
    plabels = [p.label or str(p.id) if p else "" for p in parents]
    pdescs = [p.description or "" if p else "" for p in parents]
    lem = lemmatize(labels + descs + plabels + pdescs)
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
            if TOKEN_OK.match(t) and t not in stop and len(t.strip("*")) > 2
        ]

    for k in range(n):
        for tok in content(desc_l[k]):
            add((tok,), k, description_weight, tok)
        for tok in content(lab_l[k]):
            add((tok,), k, label_weight, tok)
        if parents[k] is not None:
            for tok in content(pdesc_l[k]):
                add((tok,), k, 0.5 * description_weight, tok)
            for tok in content(plab_l[k]):
                add((tok,), k, 0.5 * label_weight, tok)
    for (k, factor), toks, raw in zip(kw_owner, kw_toks, kw_all, strict=True):
        add(toks, k, factor * keyword_weight, raw.strip())
    keys = sorted(weights)
    terms = [Term(key, display[key]) for key in keys]
    W = np.zeros((len(keys), n), dtype=np.float64)
    for i, key in enumerate(keys):
        for k, w in weights[key].items():
            W[i, k] = w
    # Down-weight terms shared by several themes.
    m = (W > 0).sum(axis=1)
    share = np.log1p(n / np.maximum(m, 1)) / np.log1p(n) if n > 1 else np.ones(len(keys))
    ex_terms = [toks for toks in ex_toks if toks]
    ex_own = [k for toks, k in zip(ex_toks, ex_owner, strict=True) if toks]
    E = np.zeros((len(ex_terms), n), dtype=np.float64)
    for i, k in enumerate(ex_own):
        E[i, k] = 1.0
    return Lexicon(
        terms=terms,
        weights=W * share[:, None],
        exclude_map=E,
        matcher=TokenMatcher([t.patterns for t in terms]),
        ex_matcher=TokenMatcher(ex_terms),
    )
