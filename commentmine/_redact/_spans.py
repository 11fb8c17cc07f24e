"""Spans: found redactions merged into one non-overlapping list, and applied to the text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from commentmine import errors
from commentmine._redact._base import _EDGE_PUNCT, Redaction, Span, _as_str

_ALNUM = re.compile(r"\w")


def _merge(text: str, groups: Iterable[Iterable[Redaction]]) -> list[Redaction]:
    """Accept spans group by group; a later span keeps only what is not yet covered.

    Spans of the first group (regexes) are kept as matched; the pieces of later groups are
    trimmed of punctuation. Same-label spans separated by spaces only become one.
    """
    taken: list[tuple[int, int]] = []
    out: list[Redaction] = []
    for gi, group in enumerate(groups):
        edge = " \t\r\n" if gi == 0 else _EDGE_PUNCT
        for s, e, label, reason in sorted(group, key=lambda x: (x[0], -x[1], x[2], x[3])):
            pieces = [(s, e)]
            for ts, te in taken:
                nxt = []
                for ps, pe in pieces:
                    if te <= ps or ts >= pe:
                        nxt.append((ps, pe))
                        continue
                    if ps < ts:
                        nxt.append((ps, ts))
                    if te < pe:
                        nxt.append((te, pe))
                pieces = nxt
            cut = pieces != [(s, e)]
            for ps, pe in pieces:
                while ps < pe and text[ps] in edge:
                    ps += 1
                while pe > ps and text[pe - 1] in edge:
                    pe -= 1
                if cut and gi > 0 and not any(c.isupper() for c in text[ps:pe]):
                    continue  # "issued" left of "US-issued" once "US" is kept: no name
                if pe > ps and _ALNUM.search(text, ps, pe):
                    taken.append((ps, pe))
                    if label:  # "" marks a protected (allow-listed) stretch: kept as is
                        out.append(Redaction(ps, pe, label, reason))
    out.sort()
    joined: list[Redaction] = []
    for sp in out:
        prev = joined[-1] if joined else None
        if prev and prev.placeholder == sp.placeholder and not text[prev.end : sp.start].strip():
            reason = prev.reason if sp.reason == prev.reason else f"{prev.reason}; {sp.reason}"
            joined[-1] = Redaction(prev.start, sp.end, sp.placeholder, reason)
        else:
            joined.append(sp)
    return joined


def apply_spans(text: str, spans: Iterable[Sequence[Any]]) -> str:
    """Replace each ``(start, end, placeholder)`` span of ``text`` by its placeholder.

    Spans may come in any order; overlapping spans are merged into one (the placeholder of
    the earliest, then longest, span wins).

    Parameters
    ----------
    text : str
        The original text.
    spans : iterable of (int, int, str)
        Offsets into ``text`` (``0 <= start <= end <= len(text)``) and the placeholder.

    Returns
    -------
    str
        The redacted text.

    Examples
    --------
    >>> from commentmine._redact._public import apply_spans
    >>> apply_spans("Ask Jane now", [(4, 8, "[NAME]")])
    'Ask [NAME] now'
    """
    text = _as_str(text)
    clean: list[Span] = []
    for sp in spans:
        try:
            s, e, p = sp
            s, e, p = int(s), int(e), str(p)
        except (TypeError, ValueError):
            raise errors.bad_spans(f"{sp!r} is not (start, end, placeholder)") from None
        if not 0 <= s <= e <= len(text):
            raise errors.bad_spans(f"{sp!r} is outside the text (length {len(text)})")
        clean.append((s, e, p))
    clean.sort(key=lambda x: (x[0], -x[1], x[2]))
    merged: list[Span] = []
    for s, e, p in clean:
        if merged and s < merged[-1][1]:
            ms, me, mp = merged[-1]
            merged[-1] = (ms, max(me, e), mp)
        else:
            merged.append((s, e, p))
    parts: list[str] = []
    pos = 0
    for s, e, p in merged:
        parts.append(text[pos:s])
        parts.append(p)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)
