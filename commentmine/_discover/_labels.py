"""Theme labels a person would write: noun phrases in their surface form, one head word each.

Candidates are the noun phrases of :mod:`commentmine._discover._content` (1-4 words, ending in a
noun). BERTopic's class-based TF-IDF ranks them per theme (how much more a theme's members use
a phrase than the rest); KeyBERT-style, each of the top phrases is embedded as written and its
cosine to the theme's centroid joins the score. A theme's label is its best phrase, widened to
a longer phrase that contains it when at least half the members using it use the longer one
("payment" -> "late payment"), written in the form the members use most ("data", not the
lemma "datum"). Themes are labelled largest first and no head word (the phrase's last word,
lemmatised) is used twice. Keywords are picked from the rest by maximal marginal relevance.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from commentmine._discover._content import GENERIC, Analysis

_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


_STOP = _stop_words()


@dataclass(frozen=True)
class Label:
    label: str
    head: str
    keywords: list[str]
    description: str


def _surface(an: Analysis, key: tuple[str, ...]) -> str:
    forms = an.surface.get(key)
    if not forms:
        return " ".join(key)
    # most frequent form; ties by the lower-cased form, then the form itself (deterministic)
    lower = Counter()
    for form, c in forms.items():
        lower[form.lower()] += c
    best_lower = min(lower, key=lambda f: (-lower[f], f))
    variants = {f: c for f, c in forms.items() if f.lower() == best_lower}
    form = min(variants, key=lambda f: (-variants[f], f))
    words = form.split()
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        keep = low in an.proper or (w.isupper() and len(w) > 1) or (i > 0 and w[:1].isupper())
        out.append(w if keep else low)
    return " ".join(out)


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def label_themes(
    order: Sequence[int],
    members: dict[int, np.ndarray],
    scores: dict[int, list[tuple[tuple[str, ...], float]]],
    an: Analysis,
    centroids: dict[int, np.ndarray],
    embed,
    banned_tokens: set[str],
    *,
    n_keywords: int = 8,
    semantic_weight: float = 0.5,
) -> dict[int, Label]:
    """Label each theme (``order``: largest first) from its c-TF-IDF ranked phrases."""
    df_in: dict[int, Counter] = {}
    for t in order:
        c: Counter = Counter()
        for i in members[t]:
            c.update(set(an.phrases[i]))
        df_in[t] = c

    banned_tokens = (
        set(banned_tokens) | an.unusable | {lem for w in an.unusable if (lem := an.lemma_of.get(w))}
    )

    def usable(key: tuple[str, ...]) -> bool:
        if any(w in banned_tokens for w in key):
            return False
        return not all(w in GENERIC for w in key)

    ranked: dict[int, list[tuple[tuple[str, ...], float]]] = {}
    pool: list[str] = []
    for t in order:
        cands = [(k, s) for k, s in scores.get(t, []) if usable(k) and df_in[t][k] >= 1]
        ranked[t] = cands
        pool.extend(_surface(an, k) for k, _ in cands)
    forms = sorted(set(pool))
    vec = dict(zip(forms, embed(forms), strict=True)) if forms else {}

    used_heads: set[str] = set()
    used_labels: set[str] = set()
    out: dict[int, Label] = {}
    for t in order:
        cands = ranked[t]
        if not cands:
            out[t] = _fallback(t, members, an, used_heads, used_labels, banned_tokens)
            continue
        top = max(s for _, s in cands) or 1.0
        cent = centroids[t]
        sims = np.array([float(vec[_surface(an, k)] @ cent) for k, _ in cands])
        smax = max(float(sims.max()), 1e-6)
        combined = [
            ((1 - semantic_weight) * (s / top) + semantic_weight * max(sim, 0.0) / smax, k)
            for (k, s), sim in zip(cands, sims, strict=True)
        ]
        combined.sort(key=lambda x: (-round(x[0], 9), x[1]))
        chosen = None
        for _score, key in combined:
            key = _widen(key, cands, df_in[t])
            head = an.lemma_of.get(key[-1], key[-1])
            text = _surface(an, key)
            if head in used_heads or text.lower() in used_labels:
                continue
            chosen = key
            break
        if chosen is None:
            out[t] = _fallback(t, members, an, used_heads, used_labels, banned_tokens)
            continue
        head = an.lemma_of.get(chosen[-1], chosen[-1])
        label = _surface(an, chosen)
        used_heads.add(head)
        used_labels.add(label.lower())
        keywords = _mmr_keywords(chosen, combined, an, vec, cent, n_keywords)
        out[t] = Label(
            label=_cap(label),
            head=head,
            keywords=[label, *keywords],
            description=_describe(label, keywords),
        )
    return out


def _widen(
    key: tuple[str, ...], cands: list[tuple[tuple[str, ...], float]], df: Counter
) -> tuple[str, ...]:
    """A longer candidate containing ``key`` that at least half of ``key``'s users use."""
    base = df[key]
    best = key
    for other, _ in cands:
        if len(other) <= len(best) or len(other) > 4 or not _contains(other, best):
            continue
        if other[-1] != key[-1] and len(key) > 1:
            continue  # widen around the head, not past it
        if df[other] * 2 >= base and df[other] >= 2:
            best = other
    return best


def _mmr_keywords(chosen, combined, an, vec, cent, n: int, diversity: float = 0.5) -> list[str]:
    picked: list[str] = []
    picked_vecs: list[np.ndarray] = [vec[_surface(an, chosen)]]
    seen_tokens = set(chosen)
    pool = []
    for score, key in combined:
        if key == chosen or set(key) <= seen_tokens:
            continue
        pool.append((score, key))
    while pool and len(picked) < n:
        best, best_i = None, -1
        for i, (score, key) in enumerate(pool):
            v = vec[_surface(an, key)]
            red = max(float(v @ p) for p in picked_vecs)
            mmr = (1 - diversity) * score - diversity * red
            if best is None or mmr > best + 1e-12:
                best, best_i = mmr, i
        _score, key = pool.pop(best_i)
        form = _surface(an, key)
        if form.lower() in {p.lower() for p in picked}:
            continue
        picked.append(form)
        picked_vecs.append(vec[form])
    return picked


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _describe(label: str, keywords: list[str]) -> str:
    """One sentence: what the theme's comments are about, with three of its key phrases."""
    subject = label
    extra = [k for k in keywords if k.lower() != label.lower()][:3]
    if not extra:
        return f"Comments about {subject}."
    if len(extra) == 1:
        return f"Comments about {subject}, often mentioning {extra[0]}."
    return f"Comments about {subject}, often mentioning {', '.join(extra[:-1])} and {extra[-1]}."


def _fallback(t, members, an, used_heads, used_labels, banned) -> Label:
    """A theme with no usable noun phrase (short answers such as "Unsure", "No idea").

    In order: its most frequent phrase with a free head word; its most frequent short answer
    (1-4 words, as written); its most frequent word that is not a stop word. All are words of
    the comments. "Other comments" and the like only when none is left.
    """
    c: Counter = Counter()
    for i in members[t]:
        c.update(set(an.phrases[i]))
    for key, _n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
        if any(w in banned for w in key) or all(w in GENERIC for w in key):
            continue
        head = an.lemma_of.get(key[-1], key[-1])
        label = _surface(an, key)
        if head in used_heads or label.lower() in used_labels:
            continue
        used_heads.add(head)
        used_labels.add(label.lower())
        return Label(_cap(label), head, [label], _describe(label, []))
    answers: Counter = Counter()
    words: Counter = Counter()
    for i in members[t]:
        text = an.texts[i] if i < len(an.texts) else ""
        toks = _WORDS.findall(text)
        if 1 <= len(toks) <= 4:
            answers[" ".join(toks)] += 1
        words.update(w for w in toks if w.lower() not in _STOP and len(w) > 2)
    options = [a for a, _ in sorted(answers.items(), key=lambda kv: (-kv[1], kv[0]))]
    options += [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))]
    for label in options:
        head = label.split()[-1].lower()
        if head in used_heads or label.lower() in used_labels or head in banned:
            continue
        used_heads.add(head)
        used_labels.add(label.lower())
        return Label(_cap(label), head, [label], f'Short answers such as "{label}".')
    for label in _OTHER:
        head = label.split()[-1].lower()
        if head not in used_heads and label.lower() not in used_labels:
            used_heads.add(head)
            used_labels.add(label.lower())
            return Label(label, head, [], "Comments with no distinctive phrase.")
    return Label(f"Other ({t})", f"other-{t}", [], "Comments with no distinctive phrase.")


_OTHER = ("Other comments", "Miscellaneous", "Mixed remarks", "Assorted points")
