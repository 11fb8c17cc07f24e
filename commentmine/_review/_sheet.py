"""The review sheet: written as XLSX (byte-identical for the same sample) and read back."""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._cells import _FORMULA_START, neutralise
from commentmine._io import atomic_path
from commentmine._review._base import (
    COMMENT_REVIEW_COLUMNS,
    DECISIONS,
    REVIEW_COLUMNS,
    _is_respondent_review,
)
from commentmine._tables import UNCODED

_FIXED_TIME = _dt.datetime(2000, 1, 1)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection (see :func:`commentmine.export.neutralise`)."""
    return neutralise(value)


def _unsafe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def write_review(
    sample: pd.DataFrame, path: str | Path, *, themes: list[str] | None = None
) -> None:
    """Write a review sample as XLSX (atomically, byte-identical for the same sample).

    Parameters
    ----------
    sample : DataFrame
        The result of :func:`review_sample` (its ``attrs["design"]`` becomes the ``design``
        sheet).
    path : str or Path
        Output ``.xlsx``.
    themes : list of str, optional
        Theme ids offered in the ``correct_theme`` dropdown (default: the sample's themes).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise errors.bad_argument(f"cannot write {path.name!r}: the review sheet must be .xlsx")
    by_respondent = _is_respondent_review(sample)
    columns = COMMENT_REVIEW_COLUMNS if by_respondent else REVIEW_COLUMNS
    wb = Workbook()
    ws = wb.active
    ws.title = "review"
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sample[columns].itertuples(index=False):
        ws.append([safe_cell(v.item() if hasattr(v, "item") else v) for v in row])
    n = len(sample)
    if by_respondent:
        widths = {"A": 14, "B": 14, "C": 80, "D": 30, "E": 15, "F": 30, "G": 30}
        text_col, decision_col, correct_col = "C", "E", "F"
    else:
        widths = {"A": 16, "B": 14, "C": 80, "D": 24, "E": 8, "F": 9, "G": 15, "H": 24, "I": 30}
        text_col, decision_col, correct_col = "C", "G", "H"
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    for cell in ws[text_col][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    last = max(n + 1, 2)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(DECISIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="decision",
        error="Choose accept, reject or correct-theme.",
    )
    dv.add(f"{decision_col}2:{decision_col}{last}")
    ws.add_data_validation(dv)

    found = {t for v in sample["theme"] for t in str(v).split("|") if t and t != UNCODED}
    theme_list = sorted(themes or found)
    ts = wb.create_sheet("themes")
    for t in theme_list:
        ts.append([safe_cell(t)])
    if theme_list:
        tv = DataValidation(
            type="list",
            formula1=f"themes!$A$1:$A${len(theme_list)}",
            allow_blank=True,
            showErrorMessage=False,  # several themes may be typed, joined by '|'
        )
        tv.add(f"{correct_col}2:{correct_col}{last}")
        ws.add_data_validation(tv)

    ds = wb.create_sheet("design")
    design = sample.attrs.get("design")
    ds.append(["theme", "band", "population", "sampled"])
    if isinstance(design, pd.DataFrame):
        for row in design.itertuples(index=False):
            ds.append([safe_cell(v.item() if hasattr(v, "item") else v) for v in row])

    hs = wb.create_sheet("how to review")
    if by_respondent:
        how = (
            "Each row is one answer of a respondent drawn at random; 'theme' lists the themes "
            "the machine gave it ('uncoded': none). Read the text and choose a decision:",
            "accept: the listed themes are exactly the themes the answer raises.",
            "correct-theme: write ALL the right theme ids in correct_theme, '|'-joined "
            "(leave it empty, or write 'uncoded', when the answer raises none).",
            "reject: the themes are wrong and you cannot say which are right (the respondent "
            "is then left out).",
            "Review every answer of a respondent. Do not edit the 'design' sheet.",
            "Then: commentmine report INPUT ... --review REVIEW.xlsx (corrected shares), or "
            "commentmine review-read REVIEW.xlsx --out review_metrics.json",
        )
    else:
        how = (
            "For each row of the 'review' sheet, choose a decision:",
            "accept: the theme is right (on an 'uncoded' row: rightly left without a theme).",
            "reject: the theme is wrong (on an 'uncoded' row: it has some theme, not named).",
            "correct-theme: wrong theme; write the right theme id(s) in correct_theme, '|'-joined.",
            "Leave a row blank to skip it. Do not edit the 'design' sheet: it weights the "
            "estimates.",
            "Read it back with: commentmine review-read REVIEW.xlsx --out review_metrics.json",
        )
    for line in how:
        hs.append([line])
    _save_deterministic(wb, path)


def _save_deterministic(wb: Any, path: Path) -> None:
    """Save an openpyxl workbook with fixed timestamps (zip entries and document properties)."""
    wb.properties.creator = "commentmine"
    wb.properties.created = _FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(zi, data)


def read_review(path: str | Path) -> pd.DataFrame:
    """Read a filled-in review sheet back.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` written by :func:`write_review` (or the ``review-sample`` command), after
        review.

    Returns
    -------
    DataFrame
        Columns :data:`REVIEW_COLUMNS` (or :data:`COMMENT_REVIEW_COLUMNS` for a prevalence
        review); ``decision`` lower-cased, ``""`` = not reviewed. ``attrs["design"]`` holds the
        design sheet.
    """
    p = Path(path)
    if not p.exists():
        raise errors.missing_file(p)
    try:
        sheets = pd.read_excel(p, sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001
        raise errors.unreadable_file(p, str(exc)) from exc
    if "review" not in sheets:
        raise errors.bad_review(p, "it has no 'review' sheet")
    review = sheets["review"]
    columns = COMMENT_REVIEW_COLUMNS if _is_respondent_review(review) else REVIEW_COLUMNS
    missing = [c for c in columns if c not in review.columns]
    if missing:
        raise errors.bad_review(p, f"columns missing: {', '.join(missing)}")
    review = review[columns].copy()
    for c in columns:
        review[c] = review[c].astype(str).map(_unsafe_cell)
    if "score" in review.columns:
        review["score"] = pd.to_numeric(review["score"], errors="coerce")
    review["decision"] = review["decision"].str.strip().str.lower().str.replace("_", "-")
    review.loc[review["decision"].isin(["correct theme", "correct"]), "decision"] = "correct-theme"
    bad = review.index[~review["decision"].isin(["", *DECISIONS])]
    if len(bad):
        rows = ", ".join(str(i + 2) for i in bad[:10])
        raise errors.bad_review(p, f"unknown decision in row(s) {rows}")
    review["correct_theme"] = review["correct_theme"].str.strip()
    design = sheets.get("design")
    if design is not None and {"theme", "band", "population", "sampled"} <= set(design.columns):
        design = design.copy()
        design["population"] = pd.to_numeric(design["population"], errors="coerce")
        design["sampled"] = pd.to_numeric(design["sampled"], errors="coerce")
        review.attrs["design"] = design
    return review
