"""Everything a report shows, computed once and shared by every format."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._quotes._attribution import attribute
from commentmine._quotes._consent import barred_respondents, check_consent
from commentmine._quotes._consent import truthy as _truthy
from commentmine._quotes._quotes import get_embedder, load_codebook_or_none
from commentmine._quotes._quotes import quotes as pick_quotes
from commentmine._redacted import Redacted, redact_by_id
from commentmine._tables import STATUS_OK, UNCODED
from commentmine.export._chart import bar_chart
from commentmine.export._manifest import build_manifest
from commentmine.export._options import (
    DEFAULT_LOCALE,
    ReportOptions,
)


def p_value_text(p: float) -> str:
    """A p-value as a report prints it: ``"p < 0.001"`` below 0.001, else three decimals.

    >>> p_value_text(0.00002), p_value_text(0.0123), p_value_text(0.633)
    ('p < 0.001', 'p = 0.012', 'p = 0.633')
    """
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


@dataclass
class Section:
    """One theme's part of the report."""

    theme: str
    label: str
    description: str
    parent: str
    parent_label: str
    level: int
    respondents: int
    comments: int
    base: int
    share: float
    ci_low: float
    ci_high: float
    sentence: str
    share_text: str
    chart_png: bytes | None
    chart_name: str
    chart_alt: str
    quotes: list[dict[str, str]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    group_test: str = ""
    suppressed: bool = False
    #: The range of views (from a framework matrix, ``report(..., framework=...)``): one
    #: paragraph built from the counts of cases per view, and one quote per view.
    views_text: str = ""
    views: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ReportData:
    """What every export format renders (see :func:`prepare`)."""

    title: str
    codebook: Any
    comments: pd.DataFrame
    tags: pd.DataFrame
    prevalence: pd.DataFrame
    groups: pd.DataFrame | None
    questions: pd.DataFrame | None
    quotes: pd.DataFrame
    segments: pd.DataFrame
    redacted: dict[str, Redacted]
    manifest: dict[str, Any]
    by: str | None
    min_cell: int
    redact: bool
    sections: list[Section]
    overview: list[dict[str, Any]]
    base: int
    attributions: dict[str, str]
    locale: str = DEFAULT_LOCALE
    paper: str = "A4"
    estimate_note: str = ""
    warnings: list[str] = field(default_factory=list)


#: What the report says of its shares when no review sample corrects them.
MACHINE_ESTIMATE = (
    "These shares are the machine's estimates: their tagging error has not been measured, and "
    "the intervals cover sampling error only. To measure and correct it, review a random "
    "sample of respondents (commentmine tag INPUT ... --out tags.csv; commentmine "
    "review-sample tags.csv --unit respondent --out review.xlsx), fill it in, and run the "
    "report again with --tags tags.csv --review review.xlsx."
)


def _corrected(prev: pd.DataFrame, review: Any) -> tuple[pd.DataFrame, str]:
    """The prevalence table with each share and interval corrected by a review sample; the
    machine's own share kept as ``machine_share``."""
    from commentmine.review import corrected_prevalence, read_review

    rv = review if isinstance(review, pd.DataFrame) else read_review(review)
    corr = corrected_prevalence(prev, rv).set_index("theme")
    out = prev.copy()
    out["machine_share"] = out["share"]
    theme = out["theme"].astype(str)
    for col, src in (("share", "corrected_share"), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
        out[col] = theme.map(corr[src]).astype(float)
    n = corr.attrs.get("reviewed_respondents")
    if n is not None:
        what = f"a review of {n} randomly drawn respondents"
    else:
        what = f"a review of {int((rv['decision'] != '').sum())} sampled tags"
    out["estimate"] = f"corrected by {what}"
    note = (
        f"Shares are corrected by {what}: each is the share the review implies for all "
        "respondents, and its 95% interval carries the measured tagging error as well as the "
        "sampling error. The machine's own share is in the prevalence sheet (machine_share). "
        "Group tables show the machine's shares."
    )
    return out, note


def pct(x: float) -> str:
    """Share as a whole percentage ("27%"); "n/a" for NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{100 * x:.0f}%"


def share_with_ci(share: float, lo: float, hi: float) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n/a"
    return f"{100 * share:.0f}% ({100 * lo:.0f}\u2013{100 * hi:.0f}%)"


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").lower()
    return s or "theme"


def prepare(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any,
    options: ReportOptions | None = None,
    *,
    quotes: pd.DataFrame | None = None,
    embedder: Any = None,
    manifest: dict[str, Any] | None = None,
    inputs: Sequence[Any] = (),
    review: Any = None,
    charts: bool = True,
    framework: Any = None,
) -> ReportData:
    """Compute the numbers, quotes, charts and redacted texts of a report.

    Parameters are those of :func:`commentmine.export.report` (``options`` holds its
    settings); ``charts=False`` draws no chart. The result is rendered by the ``to_*``
    functions.
    """
    opts = options if options is not None else ReportOptions()
    q = opts.quoting
    from commentmine.stats import crosstab

    if "theme" not in tags.columns:
        raise errors.not_tags_table(["theme", "segment_id", "start", "end"], tags.columns)
    codebook = load_codebook_or_none(codebook)
    comments, tags = _normalised(comments, tags)
    if q.by is not None and q.by not in comments.columns:
        raise errors.missing_column(q.by, comments.columns, what="--by column")
    consent_col = check_consent(comments, q.consent_col)

    prev, estimate_note = _prevalence(tags, comments, codebook, review)
    notes = _tagging_notes(tags, codebook)
    groups = crosstab(tags, comments, codebook, by=q.by, min_cell=q.min_cell) if q.by else None
    questions = _by_question(tags, comments, codebook)

    if embedder is None or isinstance(embedder, str):
        embedder = get_embedder(embedder)
    if quotes is None:
        quotes = pick_quotes(
            tags,
            codebook,
            comments=comments,
            embedder=embedder,
            options=replace(q, consent_col=consent_col if consent_col is not None else False),
        )

    # redacted copy of every answered comment (for the segment sheet and the QDA sources)
    ok = _answered(comments)
    red = redact_by_id(
        dict(zip(ok["comment_id"], ok["text"].fillna("").astype(str), strict=True)),
        ok["comment_id"],
        names=q.names,
        orgs=q.orgs,
        enabled=q.redact,
        allow=q.allow,
    )
    # attributions and consent per respondent
    resp_meta = comments.drop_duplicates("respondent_id").set_index("respondent_id")
    attr = attribute(resp_meta, q.attribution, min_cell=q.min_cell).to_dict()
    barred = barred_respondents(comments, consent_col) if consent_col in comments.columns else set()
    segments = _segment_sheet(tags, comments, red, attr, barred, codebook, q.by)

    answered = _answered(comments)
    if "is_interviewer" in answered.columns:
        answered = answered[~answered["is_interviewer"].map(_truthy)]
    sections, overview = _sections(
        prev, groups, questions, quotes, codebook, q.by, q.min_cell, review is not None, charts
    )
    if framework is not None:
        _add_views(sections, framework, tags, comments, barred, attr)
    if manifest is None:
        manifest = _manifest(tags, comments, codebook, inputs, embedder, opts, consent_col, review)
    return ReportData(
        title=opts.title,
        codebook=codebook,
        comments=comments,
        tags=tags,
        prevalence=prev,
        groups=groups,
        questions=questions,
        quotes=quotes,
        segments=segments,
        redacted=red,
        manifest=manifest,
        by=q.by,
        min_cell=q.min_cell,
        redact=q.redact,
        sections=sections,
        overview=overview,
        base=int(answered["respondent_id"].nunique()),
        attributions={str(k): str(v) for k, v in attr.items()},
        locale=opts.locale,
        paper=opts.paper,
        estimate_note=estimate_note,
        warnings=notes,
    )


def _normalised(comments: pd.DataFrame, tags: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies with ids as text and a respondent for every comment (itself by default)."""
    comments = comments.copy()
    comments["comment_id"] = comments["comment_id"].astype(str)
    if "respondent_id" not in comments.columns:
        comments["respondent_id"] = comments["comment_id"]
    comments["respondent_id"] = comments["respondent_id"].astype(str)
    tags = tags.copy()
    tags["comment_id"] = tags["comment_id"].astype(str)
    return comments, tags


def _answered(comments: pd.DataFrame) -> pd.DataFrame:
    """The comments with an answer (status ok), all of them when there is no status."""
    if "status" in comments.columns:
        return comments[comments["status"].astype(str) == STATUS_OK]
    return comments


def _prevalence(
    tags: pd.DataFrame, comments: pd.DataFrame, codebook: Any, review: Any
) -> tuple[pd.DataFrame, str]:
    """The prevalence table (corrected by the review sample when there is one) and what its
    shares are."""
    from commentmine.stats import prevalence

    prev = prevalence(tags, comments, codebook)
    if review is not None:
        return _corrected(prev, review)
    return prev.assign(estimate="machine (error not measured)"), MACHINE_ESTIMATE


def _tagging_notes(tags: pd.DataFrame, codebook: Any) -> list[str]:
    """Warnings about the tagging to print in the report (themes on most comments, ...)."""
    from commentmine._checks import tagging_warnings

    leaves = (
        [t.id for t in codebook.themes if not any(c.parent == t.id for c in codebook.themes)]
        if codebook is not None
        else sorted(set(tags["theme"].astype(str)) - {UNCODED})
    )
    return tagging_warnings(tags, leaves) if "score" in tags.columns else []


def _by_question(tags: pd.DataFrame, comments: pd.DataFrame, codebook: Any) -> pd.DataFrame | None:
    """Prevalence per question when the comments answer more than one."""
    from commentmine.stats import prevalence

    if "question" not in comments.columns:
        return None
    answered_q = comments["question"]
    if "status" in comments.columns:
        answered_q = answered_q[comments["status"].astype(str) == STATUS_OK]
    if answered_q.astype(str).nunique() > 1:
        return prevalence(tags, comments, codebook, by="question")
    return None


def _manifest(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any,
    inputs: Sequence[Any],
    embedder: Any,
    opts: ReportOptions,
    consent_col: str | None,
    review: Any,
) -> dict[str, Any]:
    """The run's manifest: inputs, model, data counts and the settings that shape the report."""
    q = opts.quoting
    return build_manifest(
        tags=tags,
        comments=comments,
        codebook=codebook,
        inputs=inputs,
        model=embedder,
        parameters={
            "n": q.n,
            "by": q.by,
            "attribution": q.attribution,
            "consent_col": consent_col,
            "redact": q.redact,
            "min_cell": q.min_cell,
            "per_respondent": q.per_respondent,
            "max_words": q.max_words,
            "min_score": q.min_score,
            "locale": opts.locale,
            "embedder": getattr(embedder, "name", type(embedder).__name__),
            "review": str(review) if isinstance(review, str | os.PathLike) else None,
        },
    )


def _sections(
    prev: pd.DataFrame,
    groups: pd.DataFrame | None,
    questions: pd.DataFrame | None,
    quotes: pd.DataFrame,
    codebook: Any,
    by: str | None,
    min_cell: int,
    corrected: bool,
    charts: bool,
) -> tuple[list[Section], list[dict[str, Any]]]:
    """One section per theme (and the overview's row for it), in the prevalence table's order."""
    labels = {t.id: t.label for t in codebook.themes} if codebook is not None else {}
    descriptions = {t.id: t.description for t in codebook.themes} if codebook is not None else {}
    sections: list[Section] = []
    overview: list[dict[str, Any]] = []
    for rec in prev.itertuples(index=False):
        tid = str(rec.theme)
        label = str(rec.label)
        parent = str(rec.parent or "")
        small_base = 0 < int(rec.base) < min_cell
        overview.append(_overview_row(rec, tid, label, parent, small_base, min_cell))
        grows, test = _group_rows(groups, tid, by, min_cell)
        png = None
        if charts and not small_base:  # nothing to draw when every share is suppressed
            png = _section_chart(tid, label, rec, grows, prev, questions, min_cell)
        sections.append(
            Section(
                theme=tid,
                label=label,
                description=str(descriptions.get(tid, "") or ""),
                parent=parent,
                parent_label=labels.get(parent, parent),
                level=2 if parent else 1,
                respondents=int(rec.respondents),
                comments=int(rec.comments),
                base=int(rec.base),
                share=float(rec.share),
                ci_low=float(rec.ci_low),
                ci_high=float(rec.ci_high),
                sentence=_sentence(
                    rec, label, labels.get(parent, parent), small_base, min_cell, corrected
                ),
                share_text=share_with_ci(rec.share, rec.ci_low, rec.ci_high),
                chart_png=png,
                chart_name=f"{slug(tid)}.png",
                chart_alt=f"Bar chart: share of respondents raising {label}",
                quotes=_section_quotes(quotes, tid, labels),
                groups=grows,
                group_test=test,
                suppressed=small_base,
            )
        )
    return sections, overview


def _overview_row(
    rec: Any, tid: str, label: str, parent: str, small_base: bool, min_cell: int
) -> dict[str, Any]:
    return {
        "theme": tid,
        "label": label,
        "level": 2 if parent else 1,
        "respondents": f"<{min_cell}" if small_base else str(int(rec.respondents)),
        "comments": int(rec.comments),
        "base": f"<{min_cell}" if small_base else str(int(rec.base)),
        "share_text": "suppressed"
        if small_base
        else share_with_ci(rec.share, rec.ci_low, rec.ci_high),
        "suppressed": small_base,
        "anchor": slug(tid),
    }


def _sentence(
    rec: Any, label: str, parent_label: str, small_base: bool, min_cell: int, corrected: bool
) -> str:
    """The section's prevalence sentence ("283 of 339 respondents who answered ...")."""
    if rec.base == 0:
        return "No respondent answered, so no share can be given."
    if small_base:
        return (
            f"Fewer than {min_cell} respondents answered, so no count or share is shown "
            "(disclosure control, as in the group tables)."
        )
    what = label.lower() if label[:1].isupper() and label[1:2].islower() else label
    part = f" (part of {parent_label})" if parent_label else ""
    ci = f"95% CI {pct(rec.ci_low)[:-1]}\u2013{pct(rec.ci_high)}"
    if corrected:
        return (
            f"An estimated {pct(rec.share)} of respondents who answered ({ci}, corrected "
            f"by the review; the machine tagged {rec.respondents} of {rec.base}) raised "
            f"{what}{part}."
        )
    return (
        f"{rec.respondents} of {rec.base} respondents who answered "
        f"({pct(rec.share)}, {ci}; machine estimate) raised {what}{part}."
    )


def _section_quotes(quotes: pd.DataFrame, tid: str, labels: dict[str, str]) -> list[dict[str, str]]:
    """A theme's quotes as the templates show them (white space folded, sub-theme labelled)."""
    out: list[dict[str, str]] = []
    if quotes.empty:
        return out
    for q in quotes[quotes["theme"].astype(str) == tid].itertuples(index=False):
        side = str(getattr(q, "sub_theme", "") or "")
        out.append(
            {
                "text": " ".join(str(q.text).split()),
                "attribution": str(q.attribution),
                "side": labels.get(side, side),
            }
        )
    return out


def _group_rows(
    groups: pd.DataFrame | None, tid: str, by: str | None, min_cell: int
) -> tuple[list[dict[str, Any]], str]:
    """A theme's rows of the group table (small cells suppressed) and its test sentence."""
    grows: list[dict[str, Any]] = []
    if groups is None:
        return grows, ""
    g = groups[groups["theme"] == tid]
    for gr in g.itertuples(index=False):
        grows.append(
            {
                "group": gr.group,
                "respondents": f"<{min_cell}" if gr.suppressed else str(gr.respondents),
                "base": str(gr.base) if gr.base >= min_cell else f"<{min_cell}",
                "share_text": "suppressed"
                if gr.suppressed
                else share_with_ci(gr.share, gr.ci_low, gr.ci_high),
                "suppressed": bool(gr.suppressed),
                "share": gr.share,
                "ci_low": gr.ci_low,
                "ci_high": gr.ci_high,
            }
        )
    test = ""
    if len(g) and str(g["test"].iloc[0]):
        p = float(g["p_value"].iloc[0])
        name = "chi-square" if g["test"].iloc[0] == "chi2" else "Fisher's exact"
        test = f"Difference between {by} groups: {name} test, {p_value_text(p)}."
    return grows, test


def _add_views(
    sections: list[Section],
    fw: Any,
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    barred: set[str],
    attr: dict[str, str],
) -> None:
    """Give each top-level theme's section the framework's range of views (one quote per view;
    none from a do-not-quote respondent)."""
    seg_resp = dict(
        zip(
            tags["segment_id"].astype(str),
            tags["comment_id"]
            .astype(str)
            .map(dict(zip(comments["comment_id"], comments["respondent_id"], strict=True))),
            strict=True,
        )
    )
    groups = set(fw.views["group"].astype(str))
    for s in sections:
        if s.level != 1 or s.theme not in groups or s.suppressed:
            continue
        s.views_text = fw.range_of_views(s.theme)
        for v in fw.views[fw.views["group"] == s.theme].itertuples(index=False):
            rid = str(seg_resp.get(str(v.quote_segment), ""))
            if not rid or rid in barred:
                continue
            case = str(v.quote_case)
            who = attr.get(rid, case) if fw.case_col == "respondent_id" else case
            s.views.append(
                {"text": " ".join(str(v.quote).split()), "attribution": who, "view": str(v.label)}
            )


def _small(base: Any, min_cell: int) -> bool:
    """A base under the disclosure threshold (its share is not shown)."""
    return 0 < int(base) < min_cell


def _section_chart(
    tid: str,
    label: str,
    rec: Any,
    grows: list[dict[str, Any]],
    prev: pd.DataFrame,
    questions: pd.DataFrame | None,
    min_cell: int,
) -> bytes:
    if grows:
        return bar_chart(
            [g["group"] for g in grows],
            [g["share"] for g in grows],
            [g["ci_low"] for g in grows],
            [g["ci_high"] for g in grows],
            title=label,
            suppressed=[g["suppressed"] for g in grows],
        )
    kids = prev[prev["parent"] == tid]
    if len(kids):
        rows = pd.concat([prev[prev["theme"] == tid], kids])
    elif questions is not None:
        rows = questions[questions["theme"] == tid].assign(label=lambda q: q["question"])
    else:
        rows = prev[prev["theme"] == tid]
    return bar_chart(
        rows["label"].astype(str).tolist(),
        rows["share"].tolist(),
        rows["ci_low"].tolist(),
        rows["ci_high"].tolist(),
        title=label,
        suppressed=[_small(b, min_cell) for b in rows["base"]],
    )


SEGMENT_SHEET_COLUMNS = [
    "theme",
    "label",
    "comment_id",
    "segment_id",
    "respondent_id",
    "question",
    "start",
    "end",
    "text",
    "score",
    "attribution",
    "may_quote",
]


def _segment_sheet(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    red: dict[str, Redacted],
    attr: dict[str, str],
    barred: set[str],
    codebook: Any,
    by: str | None,
) -> pd.DataFrame:
    """Every tagged segment with its REDACTED text (blank for do-not-quote respondents)."""
    t = tags[tags["theme"].astype(str) != UNCODED]
    if "is_interviewer" in t.columns:
        t = t[~t["is_interviewer"].map(_truthy)]
    t = t[t["comment_id"].isin(set(red))]
    resp = dict(zip(comments["comment_id"], comments["respondent_id"], strict=True))
    question = (
        dict(zip(comments["comment_id"], comments["question"].astype(str), strict=True))
        if "question" in comments.columns
        else {}
    )
    group = dict(zip(comments["comment_id"], comments[by].astype(str), strict=True)) if by else {}
    labels = {th.id: th.label for th in codebook.themes} if codebook is not None else {}
    rows = []
    for rec in t.itertuples(index=False):
        cid = str(rec.comment_id)
        r = red[cid]
        s, e = r.expand(int(rec.start), int(rec.end))
        rid = resp.get(cid, cid)
        may = rid not in barred
        row = {
            "theme": str(rec.theme),
            "label": labels.get(str(rec.theme), str(rec.theme)),
            "comment_id": cid,
            "segment_id": str(rec.segment_id),
            "respondent_id": rid,
            "question": question.get(cid, ""),
            "start": int(rec.start),
            "end": int(rec.end),
            "text": r.slice(s, e) if may else "[not for quotation]",
            "score": round(float(rec.score), 3),
            "attribution": attr.get(rid, "respondent"),
            "may_quote": may,
        }
        if by:
            row[by] = group.get(cid, "")
        rows.append(row)
    cols = SEGMENT_SHEET_COLUMNS + ([by] if by else [])
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["theme", "comment_id", "start"], kind="mergesort").reset_index(
        drop=True
    )
