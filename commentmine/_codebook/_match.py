"""Keyword matching on lemmas: the one matcher of codebook phrases.

A pattern is a sequence of lemma tokens; a token containing ``*`` is a wildcard (``*`` stands
for any characters within one token, and alone for any one token). :class:`TokenMatcher` finds
the occurrences of many patterns in space-joined lemma strings at once, looking up each token
of the text in a table of first tokens, so that its cost grows with the text and not with the
number of patterns.

Occurrences of one pattern (or of one group of patterns: a phrase's variants) do not overlap:
leftmost first, then the next one after its end; at one start, the group's first pattern that
matches (list a phrase's variants longest first). Occurrences of different groups may overlap.
:class:`commentmine.codebook.KeywordPattern` finds its phrase's occurrences with it; the tagger
(:mod:`commentmine._tagging._lexicon`) counts every term's at once, with predicate negation
discounted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress

import numpy as np
from scipy import sparse

#: Predicate negators (deny the claim); absence words (no, without, lack) are deliberately absent.
NEGATORS = frozenset({"not", "n't", "never", "nothing", "hardly", "barely", "neither", "nor"})
#: Words at which the look-back for a negator stops.
CLAUSE_BREAK = frozenset({"but", "however", "although", "though"})


class TokenMatcher:
    """Find occurrences of token patterns in space-joined lemma strings.

    Parameters
    ----------
    patterns : sequence of tuple of str
        Lemma tokens of each pattern; a token containing ``*`` is a wildcard.
    groups : sequence of int, optional
        The group (output column of :meth:`match`) of each pattern; default: one each.
    """

    def __init__(
        self, patterns: Sequence[tuple[str, ...]], groups: Sequence[int] | None = None
    ) -> None:
        self.patterns = [tuple(p) for p in patterns]
        self.groups = list(range(len(self.patterns))) if groups is None else list(groups)
        if len(self.groups) != len(self.patterns):
            raise ValueError(f"{len(self.groups)} groups for {len(self.patterns)} patterns")
        self.n_groups = max(self.groups, default=-1) + 1
        self._exact: dict[str, list[int]] = {}
        self._wild: list[tuple[re.Pattern[str], int]] = []
        self._rx: dict[str, re.Pattern[str]] = {}
        for ti, pats in enumerate(self.patterns):
            first = pats[0]
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

    def _candidates(self, toks: list[str]) -> list[tuple[int, ...]]:
        """Per token, the patterns whose first token it matches."""
        cs = list(map(self._cand_cache.get, toks))
        if None in cs:  # a word form not seen before
            cs = [self._cands(t) if c is None else c for c, t in zip(cs, toks, strict=True)]
        return cs

    def occurrences(self, tokens: list[str]) -> list[tuple[int, int]]:
        """The ``(start token, pattern index)`` occurring in ``tokens``, by start, then pattern;
        a group's occurrences do not overlap (see the module docs)."""
        cs = self._candidates(tokens)
        pats_of, group_of = self.patterns, self.groups
        n = len(tokens)
        out = []
        free: dict[int, int] = {}  # group -> first token its next occurrence may start at
        for i in compress(range(n), cs):  # the tokens that start some pattern
            for ti in cs[i]:
                g = group_of[ti]
                if i < free.get(g, 0):
                    continue
                pats = pats_of[ti]
                L = len(pats)
                if L == 1 or (
                    i + L <= n and all(self._tok_eq(pats[j], tokens[i + j]) for j in range(1, L))
                ):
                    out.append((i, ti))
                    free[g] = i + L
        return out

    def match(
        self,
        lemma_strings: Sequence[str],
        *,
        negation_window: int = 0,
        negation_weight: float = 1.0,
    ) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Occurrence counts per string and group, and the token count of each string.

        An occurrence counts 1, or ``negation_weight`` when one of :data:`NEGATORS` stands
        within ``negation_window`` tokens before it (the look-back stops at a
        :data:`CLAUSE_BREAK` word) and the pattern itself holds no negator.

        Returns
        -------
        (csr_matrix (n_strings, n_groups), ndarray (n_strings,))
        """
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        lengths = np.zeros(len(lemma_strings), dtype=np.float64)
        pats_of = self.patterns
        # Patterns a preceding negator can deny (one that itself contains a negator cannot).
        negatable = [not (NEGATORS & set(p)) for p in pats_of] if negation_window else None
        for row, s in enumerate(lemma_strings):
            toks = s.split()
            lengths[row] = len(toks)
            found: dict[int, float] = {}
            for i, ti in self.occurrences(toks):
                w = 1.0
                if negatable is not None and negatable[ti]:
                    for j in range(i - 1, max(-1, i - 1 - negation_window), -1):
                        if toks[j] in CLAUSE_BREAK:
                            break
                        if toks[j] in NEGATORS:
                            w = negation_weight
                            break
                g = self.groups[ti]
                found[g] = found.get(g, 0.0) + w
            for g in sorted(found):
                indices.append(g)
                data.append(found[g])
            indptr.append(len(indices))
        mat = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(lemma_strings), self.n_groups),
        )
        return mat, lengths
