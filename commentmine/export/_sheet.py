"""Excel (openpyxl) and CSV exports of every tagged quote, with formula-injection guard."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine._cells import neutralise
from commentmine._io import atomic_path
from commentmine.export._data import ReportData
from commentmine.export._manifest import manifest_time
from commentmine.export._zip import normalise_zip


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


def _base_suppressed(prev: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Prevalence rows with a base under ``min_cell``: counts shown as ``<min_cell``, shares
    blanked, flagged ``suppressed`` (the rule of the report's overview)."""
    out = prev.copy()
    sup = (out["base"] > 0) & (out["base"] < min_cell)
    for c in ("respondents", "comments"):
        out[c] = out[c].astype(object).where(~sup, f"<{min_cell}")
    for c in ("share", "ci_low", "ci_high"):
        out[c] = out[c].astype(object).where(~sup, "")
    out["suppressed"] = sup
    return out


def manifest_rows(manifest: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """The manifest as ``(key, value)`` rows a reader can scan: nested keys joined by ``.``.

    >>> manifest_rows({"codebook": {"name": "vcse-pcc", "themes": 10}, "inputs": [{"file": "a"}]})
    [('codebook.name', 'vcse-pcc'), ('codebook.themes', 10), ('inputs.1.file', 'a')]
    """
    if isinstance(manifest, dict):
        if not manifest and prefix:
            return [(prefix, "")]
        rows: list[tuple[str, Any]] = []
        for key in sorted(manifest, key=str):
            rows += manifest_rows(manifest[key], f"{prefix}.{key}" if prefix else str(key))
        return rows
    if isinstance(manifest, (list, tuple)):
        if not manifest:
            return [(prefix, "")]
        rows = []
        for i, item in enumerate(manifest, start=1):
            rows += manifest_rows(item, f"{prefix}.{i}")
        return rows
    if manifest is None:
        return [(prefix, "")]
    if isinstance(manifest, (bool, int, float, str)):
        return [(prefix, manifest)]
    return [(prefix, str(manifest))]


def _sheets(data: ReportData) -> list[tuple[str, pd.DataFrame]]:
    prev = _base_suppressed(data.prevalence, data.min_cell)
    sheets = [
        ("quotes", _quotes_sheet(data)),
        ("segments", data.segments),
        ("prevalence", prev),
    ]
    g = _group_sheet(data)
    if g is not None:
        sheets.append(("by " + str(data.by)[:25], g))
    if data.questions is not None:
        sheets.append(("by question", _base_suppressed(data.questions, data.min_cell)))
    from commentmine.stats import cooccurrence

    co = cooccurrence(data.tags, data.codebook, comments=data.comments)
    if len(co):
        sheets.append(("co-occurrence", co.reset_index(names="theme")))
    man = pd.DataFrame(manifest_rows(data.manifest), columns=["key", "value"])
    sheets.append(("manifest", man))
    return sheets


#: Number formats by column name: shares as percentages, scores and p-values to 3 places.
NUMBER_FORMATS = {
    "share": "0.0%",
    "ci_low": "0.0%",
    "ci_high": "0.0%",
    "score": "0.000",
    "p_value": '[<0.001]"<0.001";0.000',
}
#: Columns of long text: wrapped, in a column this wide (characters).
WRAP_COLUMNS = {"text": 80, "value": 80, "attribution": 40, "label": 30}


#: Height of one line of 11 pt text in a row, in points (Excel's default row height).
LINE_PT = 15.0


def _fit_rows(ws: Any, df: pd.DataFrame) -> None:
    """Row heights that show wrapped text in full (spreadsheet programs do not all re-fit
    rows when they open a file)."""
    wrapped = [
        (i, WRAP_COLUMNS[str(c)]) for i, c in enumerate(df.columns) if str(c) in WRAP_COLUMNS
    ]
    if not wrapped:
        return
    for r, row in enumerate(df.itertuples(index=False), start=2):
        lines = 1
        for i, width in wrapped:
            text = row[i]
            if isinstance(text, str) and text:
                per_line = max(1, width - 2)
                lines = max(
                    lines, sum(math.ceil(max(1, len(part)) / per_line) for part in text.split("\n"))
                )
        if lines > 1:
            ws.row_dimensions[r].height = LINE_PT * min(lines, 20)


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
    mentioning both themes), ``manifest`` (one row per setting, nested keys joined by ``.``).
    Shares are percentages (``0.0%``), scores and p-values show three decimals, long text
    wraps. Rows with a base under ``min_cell`` have their counts and shares suppressed, as in
    the report. Text cells that start with ``= + - @`` are neutralised (see
    :func:`neutralise`) and stored as text.

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
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    when = manifest_time(data.manifest).replace(tzinfo=None)
    wb = Workbook()
    wb.remove(wb.active)
    top = Alignment(vertical="top")
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
            letter = get_column_letter(i)
            fmt = NUMBER_FORMATS.get(str(col))
            wrap = WRAP_COLUMNS.get(str(col))
            cells = ws[letter][1:]
            for cell in cells:
                if fmt and isinstance(cell.value, float):
                    cell.number_format = fmt
                cell.alignment = Alignment(vertical="top", wrap_text=True) if wrap else top
            if fmt:
                width = max(len(str(col)), 7)
            else:
                width = max([len(str(col))] + [len(str(v)) for v in clean.iloc[:200, i - 1]])
            limit = wrap or 60
            ws.column_dimensions[letter].width = min(limit, max(8, width + 2))
        _fit_rows(ws, clean)
        ws.freeze_panes = "A2"
    return save_workbook(wb, path, when)


def save_workbook(wb: Any, path: str | os.PathLike[str], when: Any) -> Path:
    """Save an openpyxl workbook atomically, stamped with the run's time (the same bytes for
    the same run), and return its path."""
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
