"""Keyword matching: codebook phrases compiled into matchers over lemma strings.

The matching itself is :class:`commentmine._codebook._match.TokenMatcher`'s, the one matcher
the tagger uses too."""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from commentmine._codebook._base import CodebookWarning, Lemmatizer
from commentmine._codebook._match import TokenMatcher


@dataclass(frozen=True)
class KeywordPattern:
    """A keyword or phrase compiled for matching against a space-joined lemma string.

    Attributes
    ----------
    phrase : str
        As written in the codebook.
    lemmas : str
        The most likely token sequence, space-joined (the first of :attr:`variants`).
    variants : tuple of str
        Every token sequence that counts as a match, space-joined, the lemma form first. Plain
        words match their lemma or their lower-cased form: with a part-of-speech lemmatiser a
        keyword seen out of context can get another lemma than in a sentence ("funding" alone
        is the verb "fund", in "we lost our funding" the noun "funding"), so both are kept.
        (The default lookup lemmatiser of :func:`commentmine.segment` ignores context, so there
        the lemma form is what segments hold.) Wildcard words are lower-cased as written, not
        lemmatised, and split at hyphens (``"ring-fenc*"`` -> ``"ring fenc*"``); a token
        containing ``*`` is a wildcard (``*`` alone: any one token).
    regex : re.Pattern
        Matches any variant, whole tokens only (for matching raw strings; :meth:`search` and
        :meth:`find` match tokens with :class:`~commentmine._codebook._match.TokenMatcher`,
        as the tagger does).
    """

    phrase: str
    lemmas: str
    variants: tuple[str, ...] = ()
    regex: re.Pattern[str] = field(default=re.compile(r"(?!)"), repr=False, compare=False)

    @functools.cached_property
    def _matcher(self) -> TokenMatcher:
        """The variants as one group of token patterns, longest first."""
        tokens = sorted((tuple(v.split()) for v in self.variants), key=len, reverse=True)
        tokens = [t for t in tokens if t]
        return TokenMatcher(tokens, groups=[0] * len(tokens))

    def search(self, lemmas: str) -> bool:
        """True when the phrase occurs in ``lemmas``."""
        return bool(self.find(lemmas))

    def find(self, lemmas: str) -> list[tuple[int, int]]:
        """Token spans ``[start, end)`` of each (non-overlapping) occurrence in ``lemmas``.

        Token positions index ``lemmas.split()``, so a caller can look at the words before a
        match (negation) or around it. Matching ignores case. Occurrences are taken leftmost
        first, the longest variant at one start, the next one after its end.
        """
        m = self._matcher
        return [(i, i + len(m.patterns[k])) for i, k in m.occurrences(lemmas.lower().split())]


_NEVER = re.compile(r"(?!)")


def _plain_lemmas(texts: Sequence[str]) -> list[str]:
    """Lower-cased word tokens, space-joined (fallback when spaCy lemmas are unavailable)."""
    return [" ".join(re.findall(r"\w+(?:'\w+)?", str(t).lower())) for t in texts]


def _default_lemmatizer() -> Lemmatizer:
    try:
        from commentmine._segment import lemmatize
    except ModuleNotFoundError as exc:  # pragma: no cover - segment.py is part of the package
        if exc.name != "commentmine._segment":
            raise
        warnings.warn(
            "commentmine.segment is not available; keywords are matched on lower-cased words, "
            "not lemmas",
            CodebookWarning,
            stacklevel=3,
        )
        return _plain_lemmas
    return lemmatize


def _wild_tokens(word: str) -> list[str]:
    """Token patterns of a word containing ``*``, split where the tokenizer splits (hyphens)."""
    return [p for p in re.split(r"[^\w*']+", word.lower()) if p]


def _token_regex(token: str) -> str:
    """Regex of one token pattern: ``*`` is any characters within the token, alone any token."""
    if set(token) == {"*"}:
        return r"\S+"
    return "".join(r"\S*" if c == "*" else re.escape(c) for c in token)


def compile_keywords(
    phrases: Iterable[str], *, lemmatize: Lemmatizer | None = None
) -> tuple[KeywordPattern, ...]:
    """Compile keyword phrases into matchers over lemma strings.

    Each phrase is split into words. Runs of plain words are lemmatised with ``lemmatize``
    (the same function that makes the segments' ``lemmas`` column, so "funding barriers" matches
    "funding barrier" and "barriers to funding" does not). A word containing ``*`` is used as
    written, lower-cased, with ``*`` matching any characters within one token (``commission*``
    matches "commissioner", "commissioning"); a ``*`` standing alone matches any one token.
    Matches are whole tokens: ``fund`` does not match "fundraising", ``fund*`` does.

    Parameters
    ----------
    phrases : iterable of str
        Keywords or phrases as written in a codebook.
    lemmatize : callable, optional
        ``lemmatize(texts) -> list[str]`` of lower-cased, space-joined lemmas. Default:
        :func:`commentmine._segment.lemmatize`.

    Returns
    -------
    tuple of KeywordPattern
        One per phrase, in order.

    Examples
    --------
    >>> simple = lambda texts: [t.lower() for t in texts]
    >>> [p.search("we lost short term funding") for p in
    ...  compile_keywords(["short-term fund*", "grant"], lemmatize=simple)]
    [True, False]
    """
    phrases = tuple(str(p) for p in phrases)
    lem = lemmatize if lemmatize is not None else _default_lemmatizer()
    try:
        return _compile_cached(phrases, lem)
    except TypeError:  # an unhashable lemmatizer: compile without the cache
        return _compile(phrases, lem)


@functools.lru_cache(maxsize=512)
def _compile_cached(phrases: tuple[str, ...], lem: Lemmatizer) -> tuple[KeywordPattern, ...]:
    return _compile(phrases, lem)


def _compile(phrases: tuple[str, ...], lem: Lemmatizer) -> tuple[KeywordPattern, ...]:
    plans: list[list[tuple[str, Any]]] = []
    runs: list[str] = []
    for phrase in phrases:
        plan: list[tuple[str, Any]] = []
        plain: list[str] = []
        for word in phrase.split():
            if "*" in word:
                if plain:
                    plan.append(("run", len(runs)))
                    runs.append(" ".join(plain))
                    plain = []
                plan.append(("wild", word))
            else:
                plain.append(word)
        if plain:
            plan.append(("run", len(runs)))
            runs.append(" ".join(plain))
        plans.append(plan)
    lemma_runs = list(lem(runs)) if runs else []
    if len(lemma_runs) != len(runs):
        raise ValueError(f"lemmatize returned {len(lemma_runs)} strings for {len(runs)} texts")
    out = []
    for phrase, plan in zip(phrases, plans, strict=True):
        parts: list[list[tuple[str, ...]]] = []
        for kind, value in plan:
            if kind == "run":
                parts.append(_run_variants(str(lemma_runs[value]), runs[value]))
            else:
                parts.append([tuple(_wild_tokens(value))])
        variants = _combine(parts)
        if not variants:
            out.append(KeywordPattern(phrase=phrase, lemmas="", variants=(), regex=_NEVER))
            continue
        alternatives = sorted(
            {" +".join(_token_regex(t) for t in v) for v in variants}, key=lambda r: (-len(r), r)
        )
        regex = re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)", re.IGNORECASE)
        joined = tuple(" ".join(v) for v in variants)
        out.append(KeywordPattern(phrase=phrase, lemmas=joined[0], variants=joined, regex=regex))
    return tuple(out)


_MAX_VARIANTS = 16


def _run_variants(lemmas: str, words: str) -> list[tuple[str, ...]]:
    """Token sequences a run of plain words may appear as in a lemma string, likeliest first."""
    lemma_tokens = lemmas.lower().split()
    surface = re.findall(r"\w+(?:'\w+)?", words.lower())
    if len(lemma_tokens) != len(surface):  # e.g. an expanded acronym: the two whole forms
        return [v for v in dict.fromkeys([tuple(lemma_tokens), tuple(surface)]) if v]
    options = []
    for lemma, word in zip(lemma_tokens, surface, strict=True):
        options.append(list(dict.fromkeys((lemma, word))))
    return _combine([[(t,) for t in o] for o in options])


def _combine(parts: list[list[tuple[str, ...]]]) -> list[tuple[str, ...]]:
    """Concatenations of one variant per part (first-choice first), at most _MAX_VARIANTS."""
    combos: list[tuple[str, ...]] = [()]
    for options in parts:
        combos = [c + o for c in combos for o in options][:_MAX_VARIANTS]
    return [c for c in dict.fromkeys(combos) if c]
