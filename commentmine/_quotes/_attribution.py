"""Attribution of quotes from metadata, with disclosure control."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from commentmine import errors
from commentmine._options import renamed
from commentmine._quotes._consent import isna

DEFAULT_ATTRIBUTION = "respondent"


@dataclass(frozen=True)
class _Template:
    template: str
    lead: str
    fields: tuple[str, ...]
    seps: tuple[str, ...]  # literal before each field (after the first)
    tail: str

    @classmethod
    def parse(cls, template: str) -> _Template:
        lead, tail = "", ""
        fields: list[str] = []
        seps: list[str] = []
        pending = ""
        for literal, fname, _spec, _conv in string.Formatter().parse(template):
            if fname is None:
                pending += literal
                continue
            if not fields:
                lead = pending + literal
            else:
                seps.append(pending + literal)
            pending = ""
            fields.append(fname)
        tail = pending
        return cls(template, lead, tuple(fields), tuple(seps), tail)

    def render(self, values: Sequence[str]) -> str:
        """Fill the first ``len(values)`` fields; a shortened template drops the separators and
        the tail of the dropped fields and closes any bracket left open."""
        out = self.lead + values[0]
        for sep, v in zip(self.seps, values[1:], strict=False):
            out += sep + v
        if len(values) == len(self.fields):
            return out + self.tail
        stack: list[str] = []
        pairs = {"(": ")", "[": "]", "{": "}"}
        for ch in self.lead + "".join(self.seps[: len(values) - 1]):
            if ch in pairs:
                stack.append(pairs[ch])
            elif stack and ch == stack[-1]:
                stack.pop()
        return out + "".join(reversed(stack))


@renamed(min_group_size="min_cell")
def attribute(
    meta: pd.DataFrame,
    template: str | None,
    *,
    min_cell: int = 5,
    default: str = DEFAULT_ATTRIBUTION,
) -> pd.Series:
    """Attribution per respondent from a template, with disclosure control.

    Parameters
    ----------
    meta : DataFrame
        One row per respondent (index: respondent id) holding the template's columns. The
        whole data, not just the quoted respondents: group sizes are counted over it.
    template : str or None
        Like ``"{org_type}, {region}"``. None gives ``default`` for everyone.
    min_cell : int, default 5
        Disclosure control (as ``QuoteOptions.min_cell``): a combination of values shared by fewer respondents is generalised by dropping the
        last (most specific) field, then the next, down to ``default``. Blank values are
        dropped the same way.
    default : str, default "respondent"

    Returns
    -------
    Series
        Attribution text per respondent (same index as ``meta``).
    """
    if not template:
        return pd.Series(default, index=meta.index, dtype=object)
    tpl = _Template.parse(template)
    if not tpl.fields:
        return pd.Series(template, index=meta.index, dtype=object)
    missing = [f for f in tpl.fields if f not in meta.columns]
    if missing:
        raise errors.bad_template(template, missing, meta.columns)
    vals = meta[list(tpl.fields)].map(lambda v: "" if isna(v) else str(v).strip())
    out = pd.Series(default, index=meta.index, dtype=object)
    sizes = [
        vals.groupby(list(tpl.fields[: j + 1])).size().to_dict() for j in range(len(tpl.fields))
    ]
    for rid, row in vals.iterrows():
        values = [row[f] for f in tpl.fields]
        for j in range(len(values), 0, -1):
            kept = values[:j]
            if any(v == "" for v in kept):
                continue
            key = kept[0] if j == 1 else tuple(kept)
            if sizes[j - 1].get(key, 0) >= min_cell:
                out[rid] = tpl.render(kept)
                break
    return out
