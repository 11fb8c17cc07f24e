"""Reader-facing exports: Markdown, HTML, Word, Excel/CSV and REFI-QDA, plus a run manifest.

:func:`report` computes everything once (:func:`prepare`: prevalence, cross-tabs, quotes,
charts, redacted texts) and writes each requested format into a folder, with
``manifest.json`` beside them. Redaction is on by default for every format.

>>> import commentmine as cm
>>> paths = cm.report(tags, comments, "vcse-pcc", "out/", by="org_type",
...                   attribution="{org_type}, {region}")                 # doctest: +SKIP
>>> sorted(paths)                                                        # doctest: +SKIP
['docx', 'html', 'manifest', 'md', 'qdpx', 'xlsx']
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine.export._data import (
    DEFAULT_LOCALE,
    DEFAULT_TITLE,
    ReportData,
    Section,
    paper_for,
    prepare,
)
from commentmine.export._docx import to_docx
from commentmine.export._framework import FRAMEWORK_FILES, FRAMEWORK_FORMATS, write_framework
from commentmine.export._manifest import build_manifest, run_timestamp, write_manifest
from commentmine.export._qdpx import to_qdpx
from commentmine.export._redaction_log import write_redaction_log
from commentmine.export._sheet import neutralise, to_csv, to_xlsx
from commentmine.export._text import to_html, to_markdown
from commentmine.quotes import DEFAULT_MIN_SCORE

__all__ = [
    "report",
    "prepare",
    "ReportData",
    "Section",
    "to_markdown",
    "to_html",
    "to_docx",
    "to_xlsx",
    "to_csv",
    "to_qdpx",
    "build_manifest",
    "write_manifest",
    "run_timestamp",
    "neutralise",
    "paper_for",
    "FORMATS",
    "FILE_NAMES",
    "write_framework",
    "FRAMEWORK_FORMATS",
    "FRAMEWORK_FILES",
]

FORMATS = ("md", "html", "docx", "xlsx", "qdpx", "csv")
FILE_NAMES = {
    "md": "report.md",
    "html": "report.html",
    "docx": "report.docx",
    "xlsx": "quotes.xlsx",
    "qdpx": "project.qdpx",
    "csv": "quotes.csv",
}
_WRITERS = {
    "md": to_markdown,
    "html": to_html,
    "docx": to_docx,
    "xlsx": to_xlsx,
    "qdpx": to_qdpx,
    "csv": to_csv,
}


def report(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any,
    out_dir: str | os.PathLike[str],
    *,
    formats: Sequence[str] = ("md", "html", "docx", "xlsx", "qdpx"),
    quotes: pd.DataFrame | None = None,
    n: int = 5,
    by: str | None = None,
    attribution: str | None = None,
    consent_col: str | bool | None = None,
    title: str = DEFAULT_TITLE,
    redact: bool | str = True,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    allow: Sequence[str] = (),
    embedder: Any = None,
    min_cell: int = 5,
    max_words: int = 60,
    manifest: dict[str, Any] | None = None,
    inputs: Sequence[str | os.PathLike[str]] = (),
    min_score: float = DEFAULT_MIN_SCORE,
    locale: str = DEFAULT_LOCALE,
    review: Any = None,
    framework: Any = None,
) -> dict[str, Path]:
    """Write a report in several formats into ``out_dir``, with ``manifest.json`` beside them.

    Parameters
    ----------
    tags : DataFrame
        Segment-level tags table (``commentmine.tag``), possibly edited by an analyst.
    comments : DataFrame
        The comments table the tags came from (the base of every share).
    codebook : Codebook or str
        Theme labels, descriptions, hierarchy and order.
    out_dir : path
        Folder to write into (created if needed).
    formats : sequence of str, default ("md", "html", "docx", "xlsx", "qdpx")
        Any of ``md`` (report.md + report_files/), ``html`` (report.html, self-contained),
        ``docx`` (report.docx), ``xlsx`` (quotes.xlsx), ``qdpx`` (project.qdpx),
        ``csv`` (quotes.csv).
    quotes : DataFrame, optional
        Precomputed quotes (:func:`commentmine.quotes`); default: picked here with ``n``,
        ``by``, ``attribution``, ``consent_col``, ``max_words``.
    n : int, default 5
        Quotes per theme.
    by : str, optional
        Metadata column for the group tables, charts and quote spread.
    attribution : str, optional
        Attribution template, e.g. ``"{org_type}, {region}"``.
    consent_col : str or False, optional
        Do-not-quote column (respondents counted, never quoted; their text is blanked in the
        spreadsheet). When it is not given and a column looks like consent, the report stops
        with E406; ``False`` quotes everyone knowingly.
    title : str
        Report title.
    redact : bool or {"identifiers", "names", "strict"}, default True
        Redact quotes, segment texts and QDA sources at this level (True: ``"names"``, see
        :mod:`commentmine.redact`). Beside the exports go ``redactions.csv`` (segment,
        placeholder, type, reason; no original text) and
        ``redactions_CHECK_original_text_not_for_sharing.csv`` (the analyst's check: original
        and redacted text side by side; keep it out of what you send).
    names, orgs : sequence of str
        Extra names/organisations to redact.
    allow : sequence of str
        Extra phrases never redacted (added to the package's allow-list).
    embedder : Embedder or str, optional
        For quote picking.
    min_cell : int, default 5
        Disclosure control: shares on a base under this size (in the overview, the sections,
        the charts and every table), group cells under it, and attribution groups under it
        are suppressed or generalised.
    max_words : int, default 60
        Quote length window.
    min_score : float, default 0.6
        Tag-score floor of a quote (see :func:`commentmine.quotes`).
    manifest : dict, optional
        A manifest from :func:`build_manifest` (default: built here). Its ``created`` time
        stamps the DOCX/XLSX/QDPX; set ``SOURCE_DATE_EPOCH`` for reproducible files.
    inputs : sequence of path
        Input files to hash into the manifest.
    locale : str, default "en-GB"
        The readers' locale, a language tag. It sets the Word report's paper: A4, or US
        Letter for regions that use it (``"en-US"``, ``"en-CA"``, ...).
    review : path or DataFrame, optional
        A filled-in review sheet (:func:`commentmine.review.review_sample`, best with
        ``unit="respondent"``): every share and interval shown is then corrected for the
        tagging error it measures (:func:`commentmine.review.corrected_prevalence`). Without
        it the report says its shares are machine estimates whose error is not measured.
    framework : Framework, optional
        A framework matrix (:func:`commentmine.framework`) of the same tags: each theme's
        section gains a "range of views" paragraph (cases per view) and one quote per view.

    Returns
    -------
    dict of str -> Path
        Format name -> file written, plus ``"manifest"``.
    """
    fmts = [str(f).strip().lower() for f in formats]
    for f in fmts:
        if f not in _WRITERS:
            raise errors.unknown_format(f, FORMATS)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise errors.bad_argument(f"--out-dir {str(out)!r} exists and is not a folder")
    data = prepare(
        tags,
        comments,
        codebook,
        quotes=quotes,
        n=n,
        by=by,
        attribution=attribution,
        consent_col=consent_col,
        title=title,
        redact=redact,
        names=names,
        orgs=orgs,
        allow=allow,
        embedder=embedder,
        min_cell=min_cell,
        max_words=max_words,
        manifest=manifest,
        inputs=inputs,
        min_score=min_score,
        charts=any(f in ("md", "html", "docx") for f in fmts),
        locale=locale,
        review=review,
        framework=framework,
    )
    written: dict[str, Path] = {}
    for f in dict.fromkeys(fmts):
        written[f] = _WRITERS[f](data, out / FILE_NAMES[f])
    if data.redact:
        written.update(write_redaction_log(data, out))
    written["manifest"] = write_manifest(out / "manifest.json", data.manifest, outputs=written)
    return written
