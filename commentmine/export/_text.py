"""Markdown and self-contained HTML reports (jinja2 templates in ``templates/``)."""

from __future__ import annotations

import base64
import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from commentmine._io import write_bytes_atomic, write_text_atomic
from commentmine.export._data import ReportData, slug

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")


def _md(text: Any) -> str:
    """Escape text for Markdown (one line; no raw HTML, no emphasis, no table breaks)."""
    s = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", s)


def _env(autoescape: bool) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = _md
    return env


def footer(data: ReportData) -> str:
    m = data.manifest
    cb = m.get("codebook") or {}
    sha = str(cb.get("sha256") or "")[:12]
    model = (m.get("model") or {}).get("name") or "default embedder"
    red = (
        "Quotes are redacted (names, emails, phone numbers, addresses)."
        if data.redact
        else ("Redaction was switched off: check quotes before sharing.")
    )
    return (
        f"Made with commentmine {m.get('version', '')} on {m.get('created', '')}; codebook "
        f"{cb.get('name', '')} (sha256 {sha}); quotes ranked with {model}. {red} "
        f"Shares on bases under {data.min_cell} respondents and group cells under "
        f"{data.min_cell} are suppressed; attributions shared by fewer are generalised."
    )


def _context(data: ReportData, chart_src: dict[str, str]) -> dict[str, Any]:
    sections = []
    for s in data.sections:
        d = asdict(s)
        d.pop("chart_png")
        d["anchor"] = slug(s.theme)
        d["chart_src"] = chart_src.get(s.theme, "")
        sections.append(d)
    if 0 < data.base < data.min_cell:
        base_note = (
            f"Share = respondents who raised the theme out of those who answered (the base); "
            f"fewer than {data.min_cell} answered, so counts and shares are suppressed."
        )
    else:
        base_note = (
            f"Share = respondents who raised the theme out of the {data.base} respondents who "
            "answered (the base)."
        )
    return {
        "base_note": base_note,
        "title": data.title,
        "intro": (
            f"{data.base} respondents answered; {len(data.comments)} comments were read. "
            "Themes come from the codebook; shares are of respondents who answered, with 95% "
            f"confidence intervals. {data.estimate_note}"
            + "".join(f" Warning: {w[:1].upper()}{w[1:]}." for w in data.warnings)
        ),
        "overview": data.overview,
        "sections": sections,
        "base": data.base,
        "by": data.by or "",
        "min_cell": data.min_cell,
        "footer": footer(data),
        "version": data.manifest.get("version", ""),
    }


def to_markdown(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Write the report as Markdown; charts go to ``<stem>_files/<theme>.png`` beside it.

    Parameters
    ----------
    data : ReportData
        From :func:`commentmine.export.prepare`.
    path : path
        The ``.md`` file to write (atomically).

    Returns
    -------
    Path
    """
    target = Path(path)
    folder = target.parent / f"{target.stem}_files"
    srcs: dict[str, str] = {}
    for s in data.sections:
        if s.chart_png:
            write_bytes_atomic(folder / s.chart_name, s.chart_png)
            srcs[s.theme] = f"{folder.name}/{s.chart_name}"
    text = _env(False).get_template("report.md.j2").render(**_context(data, srcs))
    text = re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
    write_text_atomic(target, text)
    return target


def to_html(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Write the report as one self-contained HTML file (charts inlined as PNG data URIs).

    Parameters
    ----------
    data : ReportData
        From :func:`commentmine.export.prepare`.
    path : path
        The ``.html`` file to write (atomically).

    Returns
    -------
    Path
    """
    srcs = {
        s.theme: "data:image/png;base64," + base64.b64encode(s.chart_png).decode("ascii")
        for s in data.sections
        if s.chart_png
    }
    html = _env(True).get_template("report.html.j2").render(**_context(data, srcs))
    write_text_atomic(path, html)
    return Path(path)
