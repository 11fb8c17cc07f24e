"""People check a sample of the machine's tags; the checks measure precision and recall.

The flow:

1. :func:`review_sample` draws a stratified sample from a tags table: for each theme, tagged
   segments from three score bands (the theme's lowest, middle and highest third of scores),
   half of them from the uncertain middle; plus a simple random sample of ``uncoded`` segments,
   so that mentions the machine missed are estimated too.
2. :func:`write_review` saves it as an XLSX sheet with a ``decision`` dropdown (``accept``,
   ``reject``, ``correct-theme``), ``correct_theme`` and ``notes`` columns, and a ``design``
   sheet holding each stratum's population so that the estimates can be weighted.
3. :func:`read_review` reads the filled-in sheet back; :func:`review_metrics` estimates
   precision per theme (design-weighted over the score bands, with a Wilson interval) and recall
   per theme (from the uncoded sample); :func:`corrected_prevalence` corrects each theme's share
   of respondents for the measured error.

Prevalence review (``unit="respondent"``)
-----------------------------------------
The shares a report publishes are best checked on a simple random sample of *respondents*:
:func:`review_sample` with ``unit="respondent"`` draws ``n`` respondents (default 200) among those
who answered and lists each of their answered comments with the machine's themes; the reviewer
says whether that set is right (``accept``) or writes the right set (``correct-theme``; an empty
``correct_theme`` or ``uncoded`` = no theme). :func:`corrected_prevalence` then estimates each
theme's share of respondents by post-stratification on the machine's decision: with ``N`` the
respondents who answered, ``N1`` of them tagged with the theme by the machine (known exactly),
and in the sample ``k1`` of ``n1`` machine-tagged and ``k0`` of ``n0`` untagged respondents
truly carrying it, the share is ``N1/N * k1/n1 + (N - N1)/N * k0/n0``. Its 95% interval comes
from Jeffreys posteriors of the two proportions (seeded draws), so it carries the measured
tagging error; it does not depend on the machine being right, only on the sample being random.

Decisions
---------
On a tagged row: ``accept`` = the theme is right; ``reject`` = wrong; ``correct-theme`` = wrong,
and ``correct_theme`` names the right theme(s) (``|``-joined; they feed training). On an
``uncoded`` row: ``accept`` = rightly left uncoded; ``correct-theme`` = the machine missed the
theme(s) named in ``correct_theme``; ``reject`` = it carries some theme, not named. Blank
decisions are not reviewed and are left out.

Estimators
----------
* Precision of theme t: ``sum_b (N_tb / N_t) * accepted_tb / reviewed_tb`` over the score bands
  b (N = population in the tags table). Interval: Wilson score interval at that proportion with
  the number of reviewed rows (an approximation for the stratified design; the bands are equal
  thirds by construction, so the weights are nearly equal).
* Missed mentions of t: ``N_uncoded * k_t / n_uncoded`` (k_t = reviewed uncoded rows corrected
  to t). Recall of t: ``P_t N_t / (P_t N_t + missed_t)``. Mentions missed on segments that carry
  another theme are not counted, so recall is an upper bound.
* Intervals of recall and of the corrected prevalence: parametric bootstrap, drawing each
  proportion from its Jeffreys posterior Beta(k + 1/2, n - k + 1/2) (seeded), 2.5-97.5
  percentiles.
* Corrected prevalence: ``share * precision / recall`` clipped to [0, 1] (the Rogan-Gladen
  correction written with precision instead of specificity: true positives are
  ``precision x observed`` and they are ``recall`` of all true cases). Precision and recall are
  measured on segments and applied to respondents: an approximation, stated with the numbers.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._io import atomic_path
from commentmine._tables import UNCODED

__all__ = [
    "COMMENT_REVIEW_COLUMNS",
    "review_sample",
    "write_review",
    "read_review",
    "review_metrics",
    "corrected_prevalence",
    "training_rows",
    "wilson",
    "safe_cell",
]

REVIEW_COLUMNS = [
    "segment_id",
    "comment_id",
    "text",
    "theme",
    "score",
    "band",
    "decision",
    "correct_theme",
    "notes",
]
#: Columns of a prevalence review sheet (``review_sample(..., unit="respondent")``).
COMMENT_REVIEW_COLUMNS = [
    "respondent_id",
    "comment_id",
    "text",
    "theme",
    "decision",
    "correct_theme",
    "notes",
]
DECISIONS = ("accept", "reject", "correct-theme")
_RESPONDENTS = "respondent"  # the design band of a prevalence review
BANDS = ("low", "mid", "high")
_Z95 = 1.959963984540054
_FIXED_TIME = _dt.datetime(2000, 1, 1)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


# --- sampling ------------------------------------------------------------------------------


def _bands(scores: np.ndarray) -> np.ndarray:
    """Score thirds by rank (ties broken by position): 0 low, 1 mid, 2 high."""
    n = len(scores)
    order = np.argsort(scores, kind="stable")
    band = np.empty(n, dtype=int)
    band[order] = (np.arange(n) * 3) // max(n, 1)
    return band


def _allocate(n: int, caps: list[int]) -> list[int]:
    """Split ``n`` over low/mid/high: half to mid, a quarter to each end, within capacity."""
    want = [n // 4, n - 2 * (n // 4), n // 4]
    take = [min(w, c) for w, c in zip(want, caps, strict=True)]
    left = n - sum(take)
    for k in (1, 0, 2):  # give what a full band could not take to the others, middle first
        extra = min(left, caps[k] - take[k])
        take[k] += extra
        left -= extra
    return take


def review_sample(
    tags: pd.DataFrame,
    *,
    unit: str = "segment",
    n: int = 200,
    comments: pd.DataFrame | None = None,
    per_theme: int = 20,
    uncoded: int = 50,
    seed: int = 0,
) -> pd.DataFrame:
    """Draw a review sample from a tags table.

    Parameters
    ----------
    tags : DataFrame
        The tags table (one row per segment x theme, ``uncoded`` rows for untagged segments);
        with ``unit="respondent"`` the comment-level table (``tag(..., level="comment")``) works
        too.
    unit : {"segment", "respondent"}, default "segment"
        ``"segment"``: tags stratified by theme and score band, to measure precision and recall
        per theme. ``"respondent"``: a simple random sample of ``n`` respondents, each of their
        answered comments with the machine's themes, to correct the published shares
        (:func:`corrected_prevalence`).
    n : int, default 200
        Respondents drawn (``unit="respondent"``).
    comments : DataFrame, optional
        The comments table: full comment texts and respondent ids for ``unit="respondent"``
        (default: rebuilt from the tags table).
    per_theme : int, default 20
        Tagged rows per theme: half from the middle third of the theme's scores, a quarter from
        each of the lowest and highest thirds (all of them when a theme has fewer).
    uncoded : int, default 50
        Random ``uncoded`` segments, to estimate missed mentions.
    seed : int, default 0
        Random seed.

    Returns
    -------
    DataFrame
        Columns :data:`REVIEW_COLUMNS` (decision, correct_theme, notes empty), sorted by theme,
        band and score; with ``unit="respondent"``, :data:`COMMENT_REVIEW_COLUMNS`, one row per
        comment, sorted by respondent. ``attrs["design"]`` holds the strata: ``theme``,
        ``band``, ``population``, ``sampled``.
    """
    if unit not in ("segment", "respondent"):
        raise errors.bad_argument(f"unit must be 'segment' or 'respondent', got {unit!r}")
    if unit == "respondent":
        return _respondent_sample(tags, comments, n=n, seed=seed)
    needed = ["segment_id", "comment_id", "text", "theme", "score"]
    for c in needed:
        if c not in tags.columns:
            raise errors.missing_column(c, tags.columns, what="tags column")
    if per_theme < 0 or uncoded < 0:
        raise errors.bad_argument("--per-theme and --uncoded must be 0 or more")
    rng = np.random.default_rng(seed)
    frame = tags[needed].copy()
    frame["theme"] = frame["theme"].astype(str)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").fillna(0.0).astype(float)
    frame = frame.sort_values(["theme", "segment_id"], kind="stable", ignore_index=True)
    parts: list[pd.DataFrame] = []
    design: list[dict[str, Any]] = []
    for theme, grp in frame[frame["theme"] != UNCODED].groupby("theme", sort=True):
        band = _bands(grp["score"].to_numpy())
        caps = [int((band == b).sum()) for b in range(3)]
        take = _allocate(min(per_theme, len(grp)), caps)
        for b in range(3):
            members = grp[band == b]
            idx = rng.choice(len(members), size=take[b], replace=False) if take[b] else []
            part = members.iloc[np.sort(np.asarray(idx, dtype=int))].assign(band=BANDS[b])
            parts.append(part)
            design.append(
                {"theme": theme, "band": BANDS[b], "population": caps[b], "sampled": take[b]}
            )
    unc = frame[frame["theme"] == UNCODED].drop_duplicates("segment_id")
    k = min(uncoded, len(unc))
    idx = rng.choice(len(unc), size=k, replace=False) if k else []
    parts.append(unc.iloc[np.sort(np.asarray(idx, dtype=int))].assign(band="uncoded"))
    design.append({"theme": UNCODED, "band": "uncoded", "population": len(unc), "sampled": k})
    sample = pd.concat(parts, ignore_index=True) if parts else frame.head(0).assign(band="")
    sample["decision"] = ""
    sample["correct_theme"] = ""
    sample["notes"] = ""
    sample["score"] = sample["score"].round(3)
    order = {b: i for i, b in enumerate((*BANDS, "uncoded"))}
    sample = sample.assign(_b=sample["band"].map(order), _u=sample["theme"] == UNCODED)
    sample = sample.sort_values(
        ["_u", "theme", "_b", "score", "segment_id"], kind="stable", ignore_index=True
    )[REVIEW_COLUMNS]
    sample.attrs["design"] = pd.DataFrame(
        design, columns=["theme", "band", "population", "sampled"]
    )
    return sample


def _machine_sets(tags: pd.DataFrame, comments: pd.DataFrame | None) -> pd.DataFrame:
    """One row per answered comment: comment_id, respondent_id, text, theme (the machine's
    themes ``|``-joined in first-seen order, or ``uncoded``)."""
    from commentmine.stats import mentions

    if "comment_id" not in tags.columns:
        raise errors.missing_column("comment_id", tags.columns, what="tags column")
    frame = tags
    if "themes" in frame.columns and "status" in frame.columns:  # comment-level table
        frame = frame[frame["status"].astype(str).isin(["tagged", UNCODED])]
    elif "is_interviewer" in frame.columns:
        frame = frame[~frame["is_interviewer"].astype(str).str.lower().isin(["true", "1"])]
    ids = list(dict.fromkeys(frame["comment_id"].astype(str)))
    found = mentions(frame, comments)
    themes: dict[str, list[str]] = {}
    for cid, theme in zip(found["comment_id"].astype(str), found["theme"].astype(str), strict=True):
        themes.setdefault(cid, []).append(theme)
    resp: dict[str, str] = {}
    for src in (comments, frame):
        if src is not None and "respondent_id" in src.columns:
            for cid, rid in zip(src["comment_id"].astype(str), src["respondent_id"], strict=True):
                if cid not in resp and str(rid) not in ("", "nan", "None"):
                    resp[cid] = str(rid)
    texts: dict[str, str] = {}
    if comments is not None and "text" in comments.columns:
        texts = dict(
            zip(comments["comment_id"].astype(str), comments["text"].astype(str), strict=True)
        )
    elif "text" in frame.columns:
        segs = frame.drop_duplicates("segment_id") if "segment_id" in frame.columns else frame
        if "start" in segs.columns:
            segs = segs.sort_values(["comment_id", "start"], kind="stable")
        for cid, grp in segs.groupby(segs["comment_id"].astype(str), sort=False):
            texts[cid] = " ".join(grp["text"].astype(str))
    return pd.DataFrame(
        {
            "respondent_id": [resp.get(c, c) for c in ids],
            "comment_id": ids,
            "text": [texts.get(c, "") for c in ids],
            "theme": ["|".join(themes[c]) if c in themes else UNCODED for c in ids],
        }
    )


def _respondent_sample(
    tags: pd.DataFrame, comments: pd.DataFrame | None, *, n: int, seed: int
) -> pd.DataFrame:
    if n < 1:
        raise errors.bad_argument(f"n must be 1 or more, got {n!r}")
    rows = _machine_sets(tags, comments)
    people = sorted(rows["respondent_id"].unique())
    k = min(int(n), len(people))
    rng = np.random.default_rng(seed)
    pick = set(np.asarray(people, dtype=object)[rng.choice(len(people), size=k, replace=False)])
    sample = rows[rows["respondent_id"].isin(pick)]
    sample = sample.sort_values(["respondent_id"], kind="stable", ignore_index=True)
    sample = sample.assign(decision="", correct_theme="", notes="")[COMMENT_REVIEW_COLUMNS]
    sample.attrs["design"] = pd.DataFrame(
        [{"theme": "", "band": _RESPONDENTS, "population": len(people), "sampled": k}],
        columns=["theme", "band", "population", "sampled"],
    )
    return sample


def _is_respondent_review(review: pd.DataFrame) -> bool:
    return "respondent_id" in review.columns and "segment_id" not in review.columns


# --- the spreadsheet -----------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection (see :func:`commentmine.export.neutralise`)."""
    from commentmine.export._sheet import neutralise

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


# --- estimates -----------------------------------------------------------------------------


def wilson(k: float, n: float, *, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k / n`` (``(nan, nan)`` when ``n == 0``).

    The same interval as :func:`commentmine.stats.wilson_interval`, which computes it.
    """
    from commentmine.stats import wilson_interval

    return wilson_interval(k, n, z=z)


def _populations(review: pd.DataFrame, tags: pd.DataFrame | None) -> pd.DataFrame:
    """theme, band, population: from the tags table if given, else the design sheet."""
    if tags is not None:
        frame = tags[["segment_id", "theme", "score"]].copy()
        frame["theme"] = frame["theme"].astype(str)
        frame["score"] = pd.to_numeric(frame["score"], errors="coerce").fillna(0.0)
        frame = frame.sort_values(["theme", "segment_id"], kind="stable", ignore_index=True)
        rows = []
        for theme, grp in frame[frame["theme"] != UNCODED].groupby("theme", sort=True):
            band = _bands(grp["score"].to_numpy())
            for b in range(3):
                rows.append(
                    {"theme": theme, "band": BANDS[b], "population": int((band == b).sum())}
                )
        n_unc = frame.loc[frame["theme"] == UNCODED, "segment_id"].nunique()
        rows.append({"theme": UNCODED, "band": "uncoded", "population": n_unc})
        return pd.DataFrame(rows)
    design = review.attrs.get("design")
    if isinstance(design, pd.DataFrame):
        return design[["theme", "band", "population"]]
    # no design: each reviewed row stands for itself
    counts = review.groupby(["theme", "band"]).size().reset_index(name="population")
    return counts


def _theme_stats(review: pd.DataFrame, pops: pd.DataFrame) -> dict[str, dict[str, Any]]:
    done = review[review["decision"] != ""]
    pop = {(t, b): float(n) for t, b, n in pops.itertuples(index=False)}
    unc_rows = done[done["theme"] == UNCODED]
    n_unc = len(unc_rows)
    n_unc_pop = pop.get((UNCODED, "uncoded"), float(n_unc))
    missed_counts: dict[str, int] = {}
    for ct in unc_rows.loc[unc_rows["decision"] == "correct-theme", "correct_theme"]:
        for t in {x.strip() for x in str(ct).split("|") if x.strip()}:
            missed_counts[t] = missed_counts.get(t, 0) + 1
    tagged_themes = sorted({t for t, b in pop if t != UNCODED} | set(done["theme"]) - {UNCODED})
    out: dict[str, dict[str, Any]] = {}
    for t in tagged_themes:
        rows = done[done["theme"] == t]
        bands = []
        for b in BANDS:
            br = rows[rows["band"] == b]
            bands.append(
                (pop.get((t, b), float(len(br))), len(br), int((br["decision"] == "accept").sum()))
            )
        n_pop = sum(b[0] for b in bands)
        covered = [b for b in bands if b[1] > 0]
        cov_pop = sum(b[0] for b in covered)
        prec = sum(b[0] * b[2] / b[1] for b in covered) / cov_pop if cov_pop > 0 else float("nan")
        out[t] = {
            "tagged": n_pop,
            "bands": bands,
            "reviewed": int(len(rows)),
            "accepted": int((rows["decision"] == "accept").sum()),
            "precision": prec,
            "missed_in_sample": missed_counts.get(t, 0),
        }
    for t in sorted(set(missed_counts) - set(out)):
        out[t] = {
            "tagged": 0.0,
            "bands": [],
            "reviewed": 0,
            "accepted": 0,
            "precision": float("nan"),
            "missed_in_sample": missed_counts[t],
        }
    for s in out.values():
        miss_rate = s["missed_in_sample"] / n_unc if n_unc else float("nan")
        missed = miss_rate * n_unc_pop if n_unc else float("nan")
        tp = s["precision"] * s["tagged"] if s["tagged"] else 0.0
        s["missed_est"] = missed
        s["recall"] = tp / (tp + missed) if (tp + missed) > 0 else float("nan")
        s["n_uncoded_reviewed"] = n_unc
        s["n_uncoded"] = n_unc_pop
    return out


def _draws(
    s: Mapping[str, Any], rng: np.random.Generator, n_sim: int
) -> tuple[np.ndarray, np.ndarray]:
    """Simulated precision and recall of one theme (Jeffreys posteriors per stratum)."""
    covered = [b for b in s["bands"] if b[1] > 0]
    cov_pop = sum(b[0] for b in covered)
    if cov_pop > 0:
        prec = sum(b[0] * rng.beta(b[2] + 0.5, b[1] - b[2] + 0.5, n_sim) for b in covered) / cov_pop
    else:
        prec = np.full(n_sim, np.nan)
    n_u = s["n_uncoded_reviewed"]
    if n_u:
        k = s["missed_in_sample"]
        missed = rng.beta(k + 0.5, n_u - k + 0.5, n_sim) * s["n_uncoded"]
        tp = prec * s["tagged"]
        with np.errstate(invalid="ignore", divide="ignore"):
            rec = tp / (tp + missed)
    else:
        rec = np.full(n_sim, np.nan)
    return prec, rec


def _pct(x: np.ndarray) -> list[float]:
    x = x[np.isfinite(x)]
    if not len(x):
        return [float("nan"), float("nan")]
    return [float(np.quantile(x, 0.025)), float(np.quantile(x, 0.975))]


def _split_themes(value: Any) -> set[str]:
    return {t.strip() for t in str(value).split("|") if t.strip() and t.strip() != UNCODED}


def _respondent_truth(review: pd.DataFrame) -> list[tuple[set[str], set[str]]]:
    """(machine themes, true themes) per fully reviewed respondent of a prevalence review.

    A respondent any of whose answers is blank or ``reject`` is left out (their true set is
    not known).
    """
    out = []
    for _rid, grp in review.groupby("respondent_id", sort=True):
        machine: set[str] = set()
        truth: set[str] = set()
        known = True
        for theme, decision, correct in zip(
            grp["theme"], grp["decision"], grp["correct_theme"], strict=True
        ):
            mine = _split_themes(theme)
            machine |= mine
            if decision == "accept":
                truth |= mine
            elif decision == "correct-theme":
                truth |= _split_themes(correct)
            else:
                known = False
        if known:
            out.append((machine, truth))
    return out


def _poststratified(
    people: list[tuple[set[str], set[str]]],
    theme: str,
    members: set[str],
    tagged: int,
    base: int,
    rng: np.random.Generator,
    n_sim: int,
) -> dict[str, Any]:
    """Share of ``theme`` (any of ``members``: the theme and its sub-themes) by
    post-stratification on the machine's decision (see the module docs)."""
    hit = [(bool(m & members), bool(t & members)) for m, t in people]
    n1 = sum(1 for m, _ in hit if m)
    k1 = sum(1 for m, t in hit if m and t)
    n0 = len(hit) - n1
    k0 = sum(1 for m, t in hit if not m and t)
    w1 = tagged / base if base else float("nan")
    w0 = 1.0 - w1

    def point(k: int, n: int) -> float:  # the sample share; the Jeffreys mean when empty
        return k / n if n else 0.5

    ppv, miss = point(k1, n1), point(k0, n0)
    share = w1 * ppv + w0 * miss
    draws = w1 * rng.beta(k1 + 0.5, n1 - k1 + 0.5, n_sim) + w0 * rng.beta(
        k0 + 0.5, n0 - k0 + 0.5, n_sim
    )
    lo, hi = _pct(draws)
    return {
        "reviewed": len(hit),
        "tagged_reviewed": n1,
        "tagged_right": k1,
        "untagged_reviewed": n0,
        "untagged_with_theme": k0,
        "precision": k1 / n1 if n1 else float("nan"),
        "recall": (w1 * ppv / share) if share > 0 else float("nan"),
        "corrected_share": float(np.clip(share, 0.0, 1.0)),
        "ci": [max(0.0, lo), min(1.0, hi)],
    }


def _theme_members(themes: list[str], parents: Mapping[str, str]) -> dict[str, set[str]]:
    """Each theme with its descendants (a respondent with a sub-theme has its parent)."""
    out = {t: {t} for t in themes}
    for child, parent in parents.items():
        node = parent
        seen: set[str] = set()
        while node and node not in seen:
            seen.add(node)
            out.setdefault(node, {node}).add(child)
            node = parents.get(node, "")
    return out


def review_metrics(
    review: pd.DataFrame | str | Path,
    *,
    tags: pd.DataFrame | None = None,
    n_sim: int = 4000,
    seed: int = 0,
) -> dict[str, Any]:
    """Precision and recall per theme estimated from a reviewed sample.

    Parameters
    ----------
    review : DataFrame or path
        The result of :func:`read_review` (or the path of the filled-in sheet).
    tags : DataFrame, optional
        The tags table the sample came from; gives the strata populations (default: the sheet's
        ``design`` sheet).
    n_sim : int, default 4000
        Parametric bootstrap draws for the recall interval.
    seed : int, default 0
        Random seed.

    Returns
    -------
    dict
        ``per_theme``: {theme: {reviewed, accepted, tagged, precision, precision_ci, recall,
        recall_ci, missed_est}}; ``uncoded``: {reviewed, population, with_missed_theme,
        miss_rate, miss_rate_ci}; ``reviewed``: rows with a decision; ``precision``: pooled
        accept share of tagged rows reviewed, with ``precision_ci``.
    """
    if not isinstance(review, pd.DataFrame):
        review = read_review(review)
    if _is_respondent_review(review):
        return _respondent_metrics(review)
    stats = _theme_stats(review, _populations(review, tags))
    rng = np.random.default_rng(seed)
    per: dict[str, Any] = {}
    for t, s in stats.items():
        _prec_draws, rec_draws = _draws(s, rng, n_sim)
        lo, hi = (
            wilson(s["precision"] * s["reviewed"], s["reviewed"])
            if s["reviewed"]
            else (float("nan"), float("nan"))
        )
        per[t] = {
            "reviewed": s["reviewed"],
            "accepted": s["accepted"],
            "tagged": int(s["tagged"]),
            "precision": s["precision"],
            "precision_ci": [lo, hi],
            "recall": s["recall"],
            "recall_ci": _pct(rec_draws),
            "missed_est": s["missed_est"],
        }
    done = review[review["decision"] != ""]
    tagged = done[done["theme"] != UNCODED]
    unc = done[done["theme"] == UNCODED]
    k_unc = int((unc["decision"] != "accept").sum())
    k_acc = int((tagged["decision"] == "accept").sum())
    pops = _populations(review, tags)
    unc_pop = pops.loc[pops["theme"] == UNCODED, "population"]
    return {
        "reviewed": int(len(done)),
        "precision": k_acc / len(tagged) if len(tagged) else float("nan"),
        "precision_ci": list(wilson(k_acc, len(tagged))),
        "per_theme": per,
        "uncoded": {
            "reviewed": int(len(unc)),
            "population": int(unc_pop.iloc[0]) if len(unc_pop) else int(len(unc)),
            "with_missed_theme": k_unc,
            "miss_rate": k_unc / len(unc) if len(unc) else float("nan"),
            "miss_rate_ci": list(wilson(k_unc, len(unc))),
        },
        "n_sim": n_sim,
        "seed": seed,
    }


def _respondent_metrics(review: pd.DataFrame) -> dict[str, Any]:
    """Precision and recall per theme from a prevalence review (a simple random sample of
    respondents, so the sample's own shares estimate them)."""
    people = _respondent_truth(review)
    themes = sorted(set().union(*(m | t for m, t in people))) if people else []
    per: dict[str, Any] = {}
    for t in themes:
        tp = sum(1 for m, g in people if t in m and t in g)
        tagged = sum(1 for m, _ in people if t in m)
        true = sum(1 for _, g in people if t in g)
        per[t] = {
            "reviewed": len(people),
            "tagged": tagged,
            "accepted": tp,
            "precision": tp / tagged if tagged else float("nan"),
            "precision_ci": list(wilson(tp, tagged)),
            "recall": tp / true if true else float("nan"),
            "recall_ci": list(wilson(tp, true)),
            "machine_share": tagged / len(people),
            "reviewed_share": true / len(people),
        }
    exact = sum(1 for m, g in people if m == g)
    return {
        "unit": "respondent",
        "reviewed": len(people),
        "exactly_right": exact,
        "precision": exact / len(people) if people else float("nan"),
        "precision_ci": list(wilson(exact, len(people))),
        "per_theme": per,
    }


def training_rows(review: pd.DataFrame | str | Path) -> pd.DataFrame:
    """Turn reviewed rows into coded examples for :func:`commentmine.train.train`.

    Per reviewed segment: ``labels`` = the themes accepted on it plus those named in
    ``correct_theme``, ``|``-joined; a segment whose every row was rejected (or an ``uncoded`` row
    accepted) becomes an example with no theme. ``reject`` on an ``uncoded`` row (some theme, not
    named) gives no usable label and is left out.

    Returns
    -------
    DataFrame
        Columns ``segment_id``, ``comment_id``, ``text``, ``labels``.
    """
    if not isinstance(review, pd.DataFrame):
        review = read_review(review)
    done = review[review["decision"] != ""]
    rows = []
    for sid, grp in done.groupby("segment_id", sort=True):
        themes: set[str] = set()
        usable = False
        for theme, decision, correct in zip(
            grp["theme"], grp["decision"], grp["correct_theme"], strict=True
        ):
            named = {t.strip() for t in str(correct).split("|") if t.strip()}
            if decision == "accept":
                usable = True
                if theme != UNCODED:
                    themes.add(theme)
            elif decision == "correct-theme":
                usable = usable or bool(named)
                themes |= named
            elif theme != UNCODED:  # reject of a tagged theme: a negative for it
                usable = True
        if usable:
            first = grp.iloc[0]
            rows.append((sid, first["comment_id"], first["text"], "|".join(sorted(themes))))
    return pd.DataFrame(rows, columns=["segment_id", "comment_id", "text", "labels"])


def corrected_prevalence(
    prevalence: pd.DataFrame | Mapping[str, tuple[int, int]],
    review: pd.DataFrame | str | Path,
    *,
    tags: pd.DataFrame | None = None,
    n_sim: int = 4000,
    seed: int = 0,
) -> pd.DataFrame:
    """Each theme's share of respondents, corrected for the precision and recall measured.

    With a prevalence review (``review_sample(..., unit="respondent")``) the share is estimated
    by post-stratification on the machine's decision (see the module docs); with a segment
    review, by correcting the share for the precision and recall measured on segments.

    Parameters
    ----------
    prevalence : DataFrame or mapping
        ``commentmine.prevalence``'s table (``theme``, ``respondents``, ``base``; its
        ``parent`` column, when present, rolls sub-themes into their parent) or
        ``{theme: (respondents, base)}``.
    review : DataFrame or path
        The reviewed sample (:func:`read_review`).
    tags : DataFrame, optional
        The tags table the sample came from (strata populations; default: the design sheet).
    n_sim : int, default 4000
        Parametric bootstrap draws.
    seed : int, default 0
        Random seed.

    Returns
    -------
    DataFrame
        ``theme``, ``respondents``, ``base``, ``share``, ``precision``, ``recall``,
        ``corrected_share``, ``ci_low``, ``ci_high`` (the interval carries the sampling error of
        the share and of the measured precision and recall; NaN where the theme was not
        reviewed or no uncoded segments were reviewed).
    """
    if isinstance(prevalence, Mapping):
        prev = pd.DataFrame(
            [(t, int(k), int(n)) for t, (k, n) in prevalence.items()],
            columns=["theme", "respondents", "base"],
        )
    else:
        for c in ("theme", "respondents", "base"):
            if c not in prevalence.columns:
                raise errors.missing_column(c, prevalence.columns, what="prevalence column")
        prev = prevalence[["theme", "respondents", "base"]].copy()
    if not isinstance(review, pd.DataFrame):
        review = read_review(review)
    if _is_respondent_review(review):
        return _corrected_by_respondents(prevalence, prev, review, n_sim=n_sim, seed=seed)
    stats = _theme_stats(review, _populations(review, tags))
    rng = np.random.default_rng(seed)
    rows = []
    for theme, k, n in prev.itertuples(index=False):
        k, n = int(k), int(n)
        share = k / n if n else float("nan")
        s = stats.get(str(theme))
        if s is None or not n:
            rows.append((theme, k, n, share, np.nan, np.nan, np.nan, np.nan, np.nan))
            continue
        prec_d, rec_d = _draws(s, rng, n_sim)
        q = rng.beta(k + 0.5, n - k + 0.5, n_sim)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.clip(q * prec_d / rec_d, 0.0, 1.0)
            point = share * s["precision"] / s["recall"] if s["recall"] else np.nan
        point = float(np.clip(point, 0.0, 1.0)) if np.isfinite(point) else float("nan")
        lo, hi = _pct(corr)
        rows.append((theme, k, n, share, s["precision"], s["recall"], point, lo, hi))
    return pd.DataFrame(
        rows,
        columns=[
            "theme",
            "respondents",
            "base",
            "share",
            "precision",
            "recall",
            "corrected_share",
            "ci_low",
            "ci_high",
        ],
    )


def _corrected_by_respondents(
    prevalence: Any, prev: pd.DataFrame, review: pd.DataFrame, *, n_sim: int, seed: int
) -> pd.DataFrame:
    parents: dict[str, str] = {}
    if isinstance(prevalence, pd.DataFrame) and "parent" in prevalence.columns:
        parents = {
            str(t): str(p)
            for t, p in zip(prevalence["theme"], prevalence["parent"], strict=True)
            if str(p) not in ("", "nan", "None")
        }
    members = _theme_members([str(t) for t in prev["theme"]], parents)
    people = _respondent_truth(review)
    rng = np.random.default_rng(seed)
    rows = []
    for theme, k, n in prev.itertuples(index=False):
        k, n = int(k), int(n)
        share = k / n if n else float("nan")
        if not n or not people:
            rows.append((theme, k, n, share, np.nan, np.nan, np.nan, np.nan, np.nan))
            continue
        est = _poststratified(people, str(theme), members[str(theme)], k, n, rng, n_sim)
        rows.append(
            (
                theme,
                k,
                n,
                share,
                est["precision"],
                est["recall"],
                est["corrected_share"],
                est["ci"][0],
                est["ci"][1],
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "theme",
            "respondents",
            "base",
            "share",
            "precision",
            "recall",
            "corrected_share",
            "ci_low",
            "ci_high",
        ],
    )
    out.attrs["reviewed_respondents"] = len(people)
    return out
