"""Redacted copies of comments with an offset map (shared by quotes and exports).

``commentmine.redact.redaction_spans`` gives ``(start, end, placeholder)`` spans over the
ORIGINAL text. Here we keep those spans per comment so that any original offset (a segment or a
quote) can be mapped into the redacted text, and a slice of the original can be redacted so that
it is, by construction, a substring of the redacted whole comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Redacted:
    """One comment: original text, redaction spans over it, and the redacted text."""

    original: str
    spans: tuple[Span, ...]
    text: str

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


def _clean_spans(spans: Iterable[Sequence[object]], n: int) -> tuple[Span, ...]:
    out: list[Span] = []
    for sp in sorted(((int(s), int(e), str(p)) for s, e, p in spans), key=lambda x: (x[0], -x[1])):
        s, e, p = sp
        s, e = max(0, s), min(n, e)
        if e <= s:
            continue
        if out and s < out[-1][1]:  # overlapping spans: keep the earlier/longer one
            if e > out[-1][1]:
                ps, _pe, pp = out[-1]
                out[-1] = (ps, e, pp)
            continue
        out.append((s, e, p))
    return tuple(out)


def redact_texts(
    texts: Sequence[str],
    *,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    enabled: bool = True,
) -> list[Redacted]:
    """Redact each text; ``enabled=False`` returns identity maps (no spans)."""
    texts = ["" if t is None else str(t) for t in texts]
    if not enabled:
        return [Redacted(t, (), t) for t in texts]
    from commentmine.redact import apply_spans, redaction_spans_many

    all_spans = redaction_spans_many(texts, names=tuple(names), orgs=tuple(orgs))
    out = []
    for t, sp in zip(texts, all_spans, strict=True):
        clean = _clean_spans(sp, len(t))
        out.append(Redacted(t, clean, apply_spans(t, clean)))
    return out
