"""Excel (openpyxl) and CSV exports of every tagged quote, with formula-injection guard."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine._io import atomic_path
from commentmine.export._data import ReportData
from commentmine.export._manifest import manifest_time
from commentmine.export._zip import normalise_zip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Characters XML 1.0 (and so XLSX) cannot hold: C0 controls other than tab, LF and CR.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """Prefix a text that a spreadsheet would run as a formula with an apostrophe.

    Cells starting with ``=``, ``+``, ``-``, ``@`` (or a tab/CR/LF) become ``'=...``, the
    usual defence against CSV/formula injection. Control characters that XML cannot hold
    become U+FFFD. Numbers and other values pass through.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("plain"), neutralise(-3)
    ('plain', -3)
    """
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("\ufffd", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def _quotes_sheet(data: ReportData) -> pd.DataFrame:
    cols = ["theme", "rank", "comment_id", "start", "end", "text", "attribution", "score"]
    q = data.quotes
    if q.empty:
        return pd.DataFrame(columns=cols)
    extra = [c for c in ("sub_theme",) if c in q.columns]
    return q[cols + extra].reset_index(drop=True)


def _group_sheet(data: ReportData) -> pd.DataFrame | None:
    if data.groups is None:
        return None
    g = data.groups.copy()
    sup = g["suppressed"]
    g["respondents"] = g["respondents"].astype(object).where(~sup, f"<{data.min_cell}")
    for c in ("share", "ci_low", "ci_high"):
        g[c] = g[c].astype(object).where(~sup, "")
    g = g.rename(columns={"group": data.by or "group"})
    return g


def _sheets(data: ReportData) -> list[tuple[str, pd.DataFrame]]:
    prev = data.prevalence.copy()
    sheets = [
        ("quotes", _quotes_sheet(data)),
        ("segments", data.segments),
        ("prevalence", prev),
    ]
    g = _group_sheet(data)
    if g is not None:
        sheets.append(("by " + str(data.by)[:25], g))
    if data.questions is not None:
        sheets.append(("by question", data.questions))
    from commentmine.stats import cooccurrence

    co = cooccurrence(data.tags, codebook=data.codebook, comments=data.comments)
    if len(co):
        sheets.append(("co-occurrence", co.reset_index(names="theme")))
    man = pd.DataFrame(
        [(k, v if isinstance(v, str) else str(v)) for k, v in sorted(data.manifest.items())],
        columns=["key", "value"],
    )
    sheets.append(("manifest", man))
    return sheets


def _cell(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def to_xlsx(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Write the quotes, every tagged segment (redacted) and the numbers to an Excel file.

    Sheets: ``quotes``, ``segments`` (theme, score, attribution, redacted text), ``prevalence``,
    ``by <column>`` (suppressed cells blanked), ``by question``, ``co-occurrence`` (respondents
    mentioning both themes), ``manifest``. Text cells that
    start with ``= + - @`` are neutralised (see :func:`neutralise`) and stored as text.

    Parameters
    ----------
    data : ReportData
    path : path
        The ``.xlsx`` file (written atomically; same run -> same bytes).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    when = manifest_time(data.manifest).replace(tzinfo=None)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in _sheets(data):
        ws = wb.create_sheet(title=name)
        clean = _clean(df)
        ws.append([str(c) for c in clean.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in clean.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for cell in (c for r in ws.iter_rows(min_row=2) for c in r):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
        for i, col in enumerate(clean.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in clean.iloc[:200, i - 1]])
            ws.column_dimensions[get_column_letter(i)].width = min(80, max(8, width + 2))
        ws.freeze_panes = "A2"
    wb.properties.creator = "commentmine"
    wb.properties.lastModifiedBy = "commentmine"
    wb.properties.created = when
    wb.properties.modified = when
    target = Path(path)
    with atomic_path(target) as tmp:
        wb.save(str(tmp))
        _fix_core_times(tmp, when)
        normalise_zip(tmp, when)
    return target


def _fix_core_times(path: Path, when: Any) -> None:
    """openpyxl stamps ``modified`` with the clock on save; put the run's time back."""
    import re
    import zipfile

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    fixed = []
    for name, blob in entries:
        if name == "docProps/core.xml":
            text = blob.decode("utf-8")
            text = re.sub(
                r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                lambda m: m.group(1) + stamp + m.group(2),
                text,
            )
            blob = text.encode("utf-8")
        fixed.append((name, blob))
    from commentmine.export._zip import write_zip

    write_zip(path, fixed, when)


def to_csv(data: ReportData, path: str | os.PathLike[str], *, what: str = "quotes") -> Path:
    """Write the quotes (``what="quotes"``) or every tagged segment (``"segments"``) as CSV.

    Text cells are neutralised against formula injection, as in :func:`to_xlsx`.
    """
    df = _quotes_sheet(data) if what == "quotes" else data.segments
    target = Path(path)
    with atomic_path(target) as tmp:
        _clean(df).to_csv(tmp, index=False, lineterminator="\r\n")
    return target
