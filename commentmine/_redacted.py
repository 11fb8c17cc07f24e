"""Redacted copies of comments with an offset map (shared by quotes and exports).

``commentmine._redact._public.redaction_spans`` gives ``(start, end, placeholder)`` spans over the
ORIGINAL text. Here we keep those spans per comment so that any original offset (a segment or a
quote) can be mapped into the redacted text, and a slice of the original can be redacted so that
it is, by construction, a substring of the redacted whole comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Span = tuple[int, int, str]


def resolve_level(redact: Any) -> str | None:
    """``redact=`` of quotes/report as a level: True -> the default, False/None -> None."""
    from commentmine._redact._public import DEFAULT_LEVEL, _check_level

    if redact is None or redact is False:
        return None
    if redact is True:
        return DEFAULT_LEVEL
    return _check_level(redact)


@dataclass(frozen=True)
class Redacted:
    """One comment: original text, redaction spans over it, and the redacted text.

    ``reasons`` holds, for each span, the rule or list that made it (the redaction log).
    """

    original: str
    spans: tuple[Span, ...]
    text: str
    reasons: tuple[str, ...] = ()

    def expand(self, start: int, end: int) -> tuple[int, int]:
        """Widen ``[start, end)`` so that no redaction span is cut in two."""
        for s, e, _ in self.spans:
            if s < end and e > start:  # overlaps
                start = min(start, s)
                end = max(end, e)
        return start, end

    def map(self, pos: int, *, side: str = "start") -> int:
        """Map an original offset to the redacted text.

        An offset inside a span maps to the span's start (``side="start"``) or end
        (``side="end"``) in the redacted text.
        """
        shift = 0
        for s, e, ph in self.spans:
            if e <= pos:
                shift += len(ph) - (e - s)
            elif s < pos < e:
                return s + shift + (len(ph) if side == "end" else 0)
            else:
                break
        return pos + shift

    def slice(self, start: int, end: int) -> str:
        """Redacted text of the original ``[start, end)`` (call :meth:`expand` first)."""
        return self.text[self.map(start, side="start") : self.map(end, side="end")]


def _clean_spans(
    spans: Iterable[Sequence[object]], n: int
) -> tuple[tuple[Span, ...], tuple[str, ...]]:
    out: list[Span] = []
    why: list[str] = []
    rows = sorted(
        ((int(sp[0]), int(sp[1]), str(sp[2]), str(sp[3]) if len(sp) > 3 else "") for sp in spans),  # type: ignore[call-overload]
        key=lambda x: (x[0], -x[1]),
    )
    for s, e, p, r in rows:
        s, e = max(0, s), min(n, e)
        if e <= s:
            continue
        if out and s < out[-1][1]:  # overlapping spans: keep the earlier/longer one
            if e > out[-1][1]:
                ps, _pe, pp = out[-1]
                out[-1] = (ps, e, pp)
            continue
        out.append((s, e, p))
        why.append(r)
    return tuple(out), tuple(why)


def redact_texts(
    texts: Sequence[str],
    *,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    enabled: bool | str = True,
    allow: Sequence[str] = (),
) -> list[Redacted]:
    """Redact each text at level ``enabled`` (True: the default level; False: identity maps)."""
    texts = ["" if t is None else str(t) for t in texts]
    level = resolve_level(enabled)
    if level is None:
        return [Redacted(t, (), t) for t in texts]
    from commentmine._redact._public import apply_spans, find_redactions

    found = find_redactions(
        texts, level=level, names=tuple(names), orgs=tuple(orgs), allow=tuple(allow)
    )
    out = []
    for t, rs in zip(texts, found, strict=True):
        clean, why = _clean_spans(rs, len(t))
        out.append(Redacted(t, clean, apply_spans(t, clean), why))
    return out


def texts_by_id(comments: Any) -> dict[str, str]:
    """Comment text by comment id, both as text (a missing text is ``""``)."""
    return dict(
        zip(
            comments["comment_id"].astype(str),
            comments["text"].fillna("").astype(str),
            strict=False,
        )
    )


def redact_by_id(
    texts: Mapping[str, str],
    ids: Iterable[str],
    *,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    enabled: bool | str = True,
    allow: Sequence[str] = (),
) -> dict[str, Redacted]:
    """:func:`redact_texts` of the texts named by ``ids`` (``""`` for an unknown id), by id."""
    ids = list(ids)
    redacted = redact_texts(
        [texts.get(i, "") for i in ids], names=names, orgs=orgs, enabled=enabled, allow=allow
    )
    return dict(zip(ids, redacted, strict=True))
