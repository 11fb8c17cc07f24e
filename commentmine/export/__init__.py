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
from commentmine._options import resolve, takes_options
from commentmine._quotes._options import QuoteOptions
from commentmine.export._data import ReportData, Section, prepare
from commentmine.export._docx import to_docx
from commentmine.export._framework import FRAMEWORK_FILES, FRAMEWORK_FORMATS, write_framework
from commentmine.export._manifest import build_manifest, run_timestamp, write_manifest
from commentmine.export._options import FORMATS, ReportOptions, paper_for
from commentmine.export._qdpx import to_qdpx
from commentmine.export._redaction_log import write_redaction_log
from commentmine.export._sheet import neutralise, to_csv, to_xlsx
from commentmine.export._text import to_html, to_markdown

__all__ = [
    "report",
    "ReportOptions",
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


@takes_options(ReportOptions, QuoteOptions)
def report(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any,
    out_dir: str | os.PathLike[str],
    *,
    quotes: pd.DataFrame | None = None,
    embedder: Any = None,
    manifest: dict[str, Any] | None = None,
    inputs: Sequence[str | os.PathLike[str]] = (),
    review: Any = None,
    framework: Any = None,
    options: ReportOptions | None = None,
    **kwargs: Any,
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
    quotes : DataFrame, optional
        Precomputed quotes (:func:`commentmine.quotes`); default: picked here with the
        quote settings below.
    embedder : Embedder or str, optional
        For quote picking.
    manifest : dict, optional
        A manifest from :func:`build_manifest` (default: built here). Its ``created`` time
        stamps the DOCX/XLSX/QDPX; set ``SOURCE_DATE_EPOCH`` for reproducible files.
    inputs : sequence of path
        Input files to hash into the manifest.
    review : path or DataFrame, optional
        A filled-in review sheet (:func:`commentmine.review.review_sample`, best with
        ``unit="respondent"``): every share and interval shown is then corrected for the
        tagging error it measures (:func:`commentmine.review.corrected_prevalence`). Without
        it the report says its shares are machine estimates whose error is not measured.
    framework : Framework, optional
        A framework matrix (:func:`commentmine.framework`) of the same tags: each theme's
        section gains a "range of views" paragraph (cases per view) and one quote per view.
    options : ReportOptions, optional
        Every setting below at once; a keyword argument overrides its field.
    **kwargs
        Any field of :class:`ReportOptions` or of :class:`~commentmine.QuoteOptions`
        (below). Redaction (``redact``, on by default) covers quotes, segment texts and QDA
        sources; beside the exports go ``redactions.csv`` (segment, placeholder, type,
        reason; no original text) and ``redactions_CHECK_original_text_not_for_sharing.csv``
        (the analyst's check: original and redacted text side by side; keep it out of what
        you send). ``consent_col`` also blanks do-not-quote respondents' text in the
        spreadsheet (they are still counted).

    Other Parameters
    ----------------
    <options>

    Returns
    -------
    dict of str -> Path
        Format name -> file written, plus ``"manifest"``.
    """
    opts = resolve(ReportOptions, options, kwargs, func="report", nested={"quoting": QuoteOptions})
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise errors.bad_argument(f"--out-dir {str(out)!r} exists and is not a folder")
    data = prepare(
        tags,
        comments,
        codebook,
        opts,
        quotes=quotes,
        embedder=embedder,
        manifest=manifest,
        inputs=inputs,
        review=review,
        framework=framework,
        charts=any(f in ("md", "html", "docx") for f in opts.formats),
    )
    written: dict[str, Path] = {}
    for f in dict.fromkeys(opts.formats):
        written[f] = _WRITERS[f](data, out / FILE_NAMES[f])
    if data.redact:
        written.update(write_redaction_log(data, out))
    written["manifest"] = write_manifest(out / "manifest.json", data.manifest, outputs=written)
    return written
