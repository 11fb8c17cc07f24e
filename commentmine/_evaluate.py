"""Agreement between machine and human coding (or between two humans).

``evaluate(predicted, gold)`` compares two codings of the same texts, theme by theme, and
returns a plain dict ready for JSON: per theme precision, recall, F1, Cohen's kappa and
support; micro and macro F1; Krippendorff's alpha; bootstrap 95% intervals. Two human codings
compare the same way (inter-coder agreement): pass one as ``predicted``.

Units
-----
``level="comment"``
    The unit is a comment (or any id). Each unit x theme is one binary decision (coded / not
    coded). A unit present in only one table counts as coded with no theme in the other: the
    units are the *union* of the ids of both tables (``units`` in the result says how many came
    from each side, so a mismatch of ids is visible rather than silent).
``level="segment"``
    Agreement is measured on characters: every character of a unit's text that either table
    covers with a span (a tagged segment, an ``uncoded`` segment, a human selection, or a
    REFI-QDA source's whole text) is one binary unit per theme. A predicted segment and a gold
    selection of the same theme agree on exactly the characters where they overlap; the rest of
    each is a false positive / false negative in characters. Text nobody coded counts as agreed
    "not this theme" only where some span covers it (so it is counted, but the text outside every
    span, such as whitespace between sentences, is not). ``support`` is then in characters. The
    bootstrap resamples whole units (comments / sources), never characters.

Statistics
----------
* precision, recall, F1 per theme: ``tp / (tp + fp)``, ``tp / (tp + fn)``, their harmonic
  mean; 0 when undefined (scikit-learn's ``zero_division=0``).
* micro F1 pools tp/fp/fn over all themes; macro F1 averages per-theme F1 over the themes
  present in the gold table (support > 0), as the issue asks.
* Cohen's kappa per theme on the binary decisions (``null`` when undefined: both coders
  constant and equal).
* Krippendorff's alpha (nominal), treating every unit x theme decision as one unit coded by two
  coders. The point estimate at comment level is the ``krippendorff`` package's; the bootstrap
  and the character-weighted segment level use the identical closed form for two coders with
  no missing values, ``1 - (n - 1) * D / (n0 * n1)`` (n = all values, D = disagreeing units,
  n0/n1 = values 0/1), which the tests check against ``krippendorff`` and NLTK.
* Intervals: percentile bootstrap (``n_boot`` resamples of units with replacement, seeded).
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors

__all__ = ["evaluate", "load_codes", "per_theme_frame", "metrics_json"]

#: Columns of the normalised codes table returned by :func:`load_codes`.
CODES_COLUMNS = ["id", "theme", "start", "end"]

_ID_CANDIDATES = ("comment_id", "id", "respondent_id", "unit", "source")
_THEME_CANDIDATES = ("themes", "theme", "labels", "label", "codes", "code", "categories")
_LEVELS = ("comment", "segment")
_QDE_NS = "{urn:QDA-XML:project:1.0}"
_UNCODED_NAMES = {"", "uncoded"}


# --- reading codes ------------------------------------------------------------------------


def load_codes(
    path: str | Path | pd.DataFrame,
    *,
    id_col: str | None = None,
    theme_col: str | None = None,
) -> pd.DataFrame:
    """Read human (or machine) codes from any supported shape into one long table.

    Parameters
    ----------
    path : str, Path or DataFrame
        * CSV / XLSX / Parquet, *long* (one row per id x theme) or *wide* (one row per id,
          themes joined by ``|``; an empty cell = a unit with no theme). The comment-level table
          of ``commentmine tag --level comment`` (``comment_id``, ``themes``) and the tags table
          (``comment_id``, ``theme``, ``start``, ``end``; ``uncoded`` rows mark coded-as-nothing
          text) are both of these.
        * REFI-QDA ``.qdpx`` (or a bare ``project.qde``): every text source is a unit named by its
          ``name`` attribute (the file name, e.g. ``c12.txt``, without a ``.txt`` suffix); each
          coding of a ``PlainTextSelection`` becomes a row with its character offsets; a coding
          on the whole source becomes a row without offsets.
        * A DataFrame in any of the table shapes above.
    id_col : str, optional
        Unit id column. Default: the first of ``comment_id``, ``id``, ``respondent_id``,
        ``unit``, ``source`` that exists.
    theme_col : str, optional
        Theme column. Default: the first of ``themes``, ``theme``, ``labels``, ``label``,
        ``codes``, ``code``, ``categories`` that exists.

    Returns
    -------
    DataFrame
        Columns ``id`` (str), ``theme`` (str; ``""`` marks a unit, or a span of text, coded with
        no theme), ``start``, ``end`` (nullable Int64 character offsets; missing = whole unit).
    """
    if isinstance(path, pd.DataFrame):
        return _normalise_table(path, id_col=id_col, theme_col=theme_col, where="table")
    p = Path(path)
    if not p.exists():
        raise errors.missing_file(p)
    if p.is_dir():
        raise errors.is_directory(p)
    if p.stat().st_size == 0:
        raise errors.empty_input(p, "the file has no bytes")
    suffix = p.suffix.lower()
    if suffix in (".qdpx", ".qde"):
        return _read_qdpx(p)
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            table = pd.read_csv(
                p, dtype=str, keep_default_na=False, sep="\t" if suffix == ".tsv" else ","
            )
        elif suffix in (".xlsx", ".xlsm"):
            table = pd.read_excel(p, dtype=str, keep_default_na=False)
        elif suffix == ".parquet":
            table = pd.read_parquet(p)
        else:
            raise errors.unsupported_format(p, [".csv", ".tsv", ".xlsx", ".parquet", ".qdpx"])
    except errors.CommentmineError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is one clear error
        raise errors.unreadable_file(p, str(exc)) from exc
    return _normalise_table(table, id_col=id_col, theme_col=theme_col, where=str(p))


def _pick(columns: Sequence[str], given: str | None, candidates: Iterable[str], what: str) -> str:
    if given is not None:
        if given not in columns:
            raise errors.missing_column(given, columns, what=what)
        return given
    for c in candidates:
        if c in columns:
            return c
    raise errors.missing_column(next(iter(candidates)), columns, what=what)


def _normalise_table(
    table: pd.DataFrame, *, id_col: str | None, theme_col: str | None, where: str
) -> pd.DataFrame:
    if set(CODES_COLUMNS) <= set(table.columns) and id_col is None and theme_col is None:
        out = table[CODES_COLUMNS].copy()
    else:
        cols = [str(c) for c in table.columns]
        idc = _pick(cols, id_col, _ID_CANDIDATES, "id column")
        thc = _pick(cols, theme_col, _THEME_CANDIDATES, "theme column")
        out = pd.DataFrame(
            {
                "id": table[idc].astype(str).to_numpy(),
                "theme": table[thc].fillna("").astype(str).to_numpy(),
            }
        )
        has_span = "start" in table.columns and "end" in table.columns
        out["start"] = table["start"].to_numpy() if has_span else None
        out["end"] = table["end"].to_numpy() if has_span else None
    out["theme"] = out["theme"].fillna("").astype(str).str.split("|")
    out = out.explode("theme", ignore_index=True)
    out["theme"] = out["theme"].fillna("").astype(str).str.strip()
    out.loc[out["theme"].isin(_UNCODED_NAMES), "theme"] = ""
    out["id"] = out["id"].astype(str)
    for c in ("start", "end"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
    bad = out["start"].notna() & out["end"].notna() & (out["end"] < out["start"])
    if bad.any():
        raise errors.bad_codes(where, f"{int(bad.sum())} row(s) have end < start")
    return out.drop_duplicates(ignore_index=True)[CODES_COLUMNS]


def _read_qdpx(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".qde":
            root = ET.parse(path).getroot()
            archive = None
        else:
            from commentmine.ingest import check_zip

            check_zip(path, what="QDPX")
            archive = zipfile.ZipFile(path)
            names = archive.namelist()
            qde = next((n for n in names if n.lower().endswith("project.qde")), None)
            if qde is None:
                raise errors.unreadable_file(path, "the .qdpx archive holds no project.qde")
            root = ET.fromstring(archive.read(qde))
    except errors.CommentmineError:
        raise
    except (OSError, zipfile.BadZipFile, ET.ParseError) as exc:
        raise errors.unreadable_file(path, str(exc)) from exc

    ns = _QDE_NS if root.tag.startswith(_QDE_NS) else ""
    codes = {
        c.get("guid", "").strip("{}").lower(): c.get("name", "") for c in root.iter(f"{ns}Code")
    }
    rows: list[tuple[str, str, int | None, int | None]] = []
    try:
        for src in root.iter(f"{ns}TextSource"):
            name = src.get("name") or src.get("guid", "")
            unit = name[:-4] if name.lower().endswith(".txt") else name
            text = _qdpx_text(src, ns, archive)
            if text is not None:
                rows.append((unit, "", 0, len(text)))
            else:
                rows.append((unit, "", None, None))
            for coding in src.findall(f"{ns}Coding"):
                rows.append((unit, _qdpx_code(coding, ns, codes, path), None, None))
            for sel in src.findall(f"{ns}PlainTextSelection"):
                start = int(sel.get("startPosition", "0"))
                end = int(sel.get("endPosition", "0"))
                for coding in sel.findall(f"{ns}Coding"):
                    rows.append((unit, _qdpx_code(coding, ns, codes, path), start, end))
    finally:
        if archive is not None:
            archive.close()
    frame = pd.DataFrame(rows, columns=CODES_COLUMNS)
    return _normalise_table(frame, id_col=None, theme_col=None, where=str(path))


def _qdpx_code(coding: ET.Element, ns: str, codes: Mapping[str, str], path: Path) -> str:
    ref = coding.find(f"{ns}CodeRef")
    guid = (ref.get("targetGUID", "") if ref is not None else "").strip("{}").lower()
    if guid not in codes:
        raise errors.unreadable_file(path, f"a coding refers to unknown code {guid!r}")
    return codes[guid]


def _qdpx_text(src: ET.Element, ns: str, archive: zipfile.ZipFile | None) -> str | None:
    content = src.find(f"{ns}PlainTextContent")
    if content is not None and content.text is not None:
        return content.text
    rel = src.get("plainTextPath")
    if rel and archive is not None:
        rel = rel.replace("internal://", "")
        for candidate in (f"Sources/{rel}", rel):
            if candidate in archive.namelist():
                return archive.read(candidate).decode("utf-8-sig")
    return None


# --- building the decision matrix ---------------------------------------------------------


def _as_codes(obj: Any, id_col: str | None, where: str) -> pd.DataFrame:
    if isinstance(obj, (str, Path)):
        return load_codes(obj, id_col=id_col)
    if isinstance(obj, pd.DataFrame):
        return load_codes(obj, id_col=id_col)
    raise errors.bad_argument(
        f"{where} must be a table (DataFrame) or a file path, not {type(obj).__name__}"
    )


def _comment_matrix(
    pred: pd.DataFrame, gold: pd.DataFrame, themes: list[str]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    ids = sorted(set(pred["id"]) | set(gold["id"]))
    pos = {u: i for i, u in enumerate(ids)}
    tpos = {t: j for j, t in enumerate(themes)}

    def fill(codes: pd.DataFrame) -> np.ndarray:
        m = np.zeros((len(ids), len(themes)), dtype=bool)
        sub = codes[codes["theme"].isin(tpos)]
        m[sub["id"].map(pos).to_numpy(int), sub["theme"].map(tpos).to_numpy(int)] = True
        return m

    weights = np.ones(len(ids))
    return ids, fill(pred), fill(gold), weights


def _segment_matrix(
    pred: pd.DataFrame, gold: pd.DataFrame, themes: list[str]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Elementary character intervals: (unit index per row, P, G, weights in characters)."""
    both = pd.concat([pred.assign(_side=0), gold.assign(_side=1)], ignore_index=True)
    ids = sorted(set(both["id"]))
    tpos = {t: j for j, t in enumerate(themes)}
    unit_rows: list[int] = []
    p_rows: list[np.ndarray] = []
    g_rows: list[np.ndarray] = []
    w_rows: list[int] = []
    for ui, (_uid, grp) in enumerate(both.groupby("id", sort=True)):
        ends = pd.concat([grp["start"], grp["end"]]).dropna()
        max_end = int(ends.max()) if len(ends) else 0
        starts = grp["start"].fillna(0).astype(int).to_numpy()
        stops = grp["end"].fillna(max_end).astype(int).to_numpy()
        bounds = np.unique(np.concatenate([starts, stops, [0, max_end]]))
        if len(bounds) < 2:
            continue
        n_int = len(bounds) - 1
        covered = np.zeros(n_int, dtype=bool)
        pm = np.zeros((n_int, len(themes)), dtype=bool)
        gm = np.zeros((n_int, len(themes)), dtype=bool)
        lo_idx = np.searchsorted(bounds, starts)
        hi_idx = np.searchsorted(bounds, stops)
        for a, b, theme, side in zip(
            lo_idx, hi_idx, grp["theme"].to_numpy(), grp["_side"].to_numpy(), strict=True
        ):
            if b <= a:
                continue
            covered[a:b] = True
            j = tpos.get(theme)
            if j is not None:
                (pm if side == 0 else gm)[a:b, j] = True
        lengths = np.diff(bounds)[covered]
        unit_rows.extend([ui] * int(covered.sum()))
        p_rows.append(pm[covered])
        g_rows.append(gm[covered])
        w_rows.extend(lengths.tolist())
    width = len(themes)
    P = np.vstack(p_rows) if p_rows else np.zeros((0, width), dtype=bool)
    G = np.vstack(g_rows) if g_rows else np.zeros((0, width), dtype=bool)
    return ids, np.asarray(unit_rows, dtype=int), P, G, np.asarray(w_rows, dtype=float)


# --- statistics ----------------------------------------------------------------------------


def _unit_counts(
    unit_of_row: np.ndarray, n_units: int, P: np.ndarray, G: np.ndarray, w: np.ndarray
) -> np.ndarray:
    """(n_units, n_themes, 4) weighted tp, fp, fn, tn per unit and theme."""
    out = np.zeros((n_units, P.shape[1], 4))
    for k, mask in enumerate((P & G, P & ~G, ~P & G, ~P & ~G)):
        np.add.at(out[:, :, k], unit_of_row, mask * w[:, None])
    return out


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    den = 2 * tp + fp + fn
    return np.divide(2 * tp, den, out=np.zeros_like(den, dtype=float), where=den > 0)


def _alpha_closed(tp: Any, fp: Any, fn: Any, tn: Any) -> Any:
    """Nominal Krippendorff alpha, two coders, no missing values, from pooled counts."""
    n_units = tp + fp + fn + tn
    n = 2 * n_units
    n1 = 2 * tp + fp + fn
    n0 = 2 * tn + fp + fn
    d = fp + fn
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 - (n - 1) * d / (n0 * n1)


def _kappa(tp: float, fp: float, fn: float, tn: float) -> float:
    n = tp + fp + fn + tn
    if n == 0:
        return float("nan")
    po = (tp + tn) / n
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    if pe >= 1.0:
        return float("nan")
    return float((po - pe) / (1.0 - pe))


def _summary(totals: np.ndarray, macro_mask: np.ndarray) -> tuple[float, float, float]:
    """micro F1, macro F1, alpha from (n_themes, 4) totals."""
    tp, fp, fn, tn = (totals[:, k] for k in range(4))
    micro = float(_f1(tp.sum(), fp.sum(), fn.sum()))
    per = _f1(tp, fp, fn)
    macro = float(per[macro_mask].mean()) if macro_mask.any() else float("nan")
    alpha = float(_alpha_closed(tp.sum(), fp.sum(), fn.sum(), tn.sum()))
    return micro, macro, alpha


def evaluate(
    predicted: pd.DataFrame | str | Path,
    gold: pd.DataFrame | str | Path,
    *,
    id_col: str = "comment_id",
    themes: Sequence[str] | None = None,
    level: str = "comment",
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Agreement of ``predicted`` codes with ``gold`` codes, per theme and overall.

    Parameters
    ----------
    predicted, gold : DataFrame or path
        Any shape :func:`load_codes` reads: the comment-level tags table (``comment_id``,
        ``themes``), the tags table (segment rows with ``start``/``end``), long or wide human
        codes (CSV/XLSX), or a REFI-QDA ``.qdpx``. For inter-coder agreement pass two human
        codings.
    id_col : str, default "comment_id"
        Unit id column, used when a table has it; otherwise the usual candidates are tried (see
        :func:`load_codes`).
    themes : sequence of str, optional
        Themes to score (others are ignored). Default: every theme in either table.
    level : {"comment", "segment"}, default "comment"
        ``comment``: one binary decision per unit x theme. ``segment``: one per character x
        theme over the text covered by either table's spans (see the module docstring).
    n_boot : int, default 1000
        Bootstrap resamples of units for the 95% intervals (0 = no intervals).
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    dict
        ``micro_f1``, ``macro_f1``, ``micro_precision``, ``micro_recall``,
        ``krippendorff_alpha``, ``per_theme`` ({theme: {precision, recall, f1, kappa, support,
        predicted, tp, fp, fn}}), ``intervals`` ({name: [lo, hi]}), ``macro_themes``,
        ``units`` (counts of ids in both tables / only one), ``level``, ``n_boot``, ``seed``.
        Undefined values (kappa of a constant theme) are ``nan``; :func:`metrics_json` writes them
        as ``null``.

    Examples
    --------
    >>> import pandas as pd
    >>> pred = pd.DataFrame({"comment_id": ["1", "2"], "themes": ["cost", ""]})
    >>> gold = pd.DataFrame({"comment_id": ["1", "2"], "themes": ["cost", "staff"]})
    >>> round(evaluate(pred, gold, n_boot=0)["micro_f1"], 3)
    0.667
    """
    if level not in _LEVELS:
        raise errors.bad_argument(f"level must be one of {list(_LEVELS)}, not {level!r}")
    if not isinstance(n_boot, int) or n_boot < 0:
        raise errors.bad_argument(f"n_boot must be a non-negative integer, not {n_boot!r}")
    pred = _as_codes(predicted, _id_or_none(predicted, id_col), "predicted")
    gold_codes = _as_codes(gold, _id_or_none(gold, id_col), "gold")

    all_themes = sorted((set(pred["theme"]) | set(gold_codes["theme"])) - {""})
    theme_list = list(themes) if themes is not None else all_themes
    if not theme_list:
        raise errors.bad_argument("no themes to evaluate: both tables are empty of themes")

    pred_ids, gold_ids = set(pred["id"]), set(gold_codes["id"])
    if level == "comment":
        ids, P, G, w = _comment_matrix(pred, gold_codes, theme_list)
        unit_of_row = np.arange(len(ids))
    else:
        ids, unit_of_row, P, G, w = _segment_matrix(pred, gold_codes, theme_list)
    if not ids:
        raise errors.bad_argument("no units to evaluate: both tables are empty")

    counts = _unit_counts(unit_of_row, len(ids), P, G, w)
    totals = counts.sum(axis=0)
    tp, fp, fn, tn = (totals[:, k] for k in range(4))
    support = tp + fn
    macro_mask = support > 0
    micro, macro, alpha_cf = _summary(totals, macro_mask)
    alpha = _alpha_krippendorff(P, G) if level == "comment" else alpha_cf

    per_theme: dict[str, dict[str, float]] = {}
    f1s = _f1(tp, fp, fn)
    for j, t in enumerate(theme_list):
        prec = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] > 0 else 0.0
        rec = tp[j] / support[j] if support[j] > 0 else 0.0
        per_theme[t] = {
            "precision": float(prec),
            "recall": float(rec),
            "f1": float(f1s[j]),
            "kappa": _kappa(tp[j], fp[j], fn[j], tn[j]),
            "support": _num(support[j]),
            "predicted": _num(tp[j] + fp[j]),
            "tp": _num(tp[j]),
            "fp": _num(fp[j]),
            "fn": _num(fn[j]),
        }
    ptp, pfp, pfn = tp.sum(), fp.sum(), fn.sum()
    result: dict[str, Any] = {
        "level": level,
        "micro_f1": micro,
        "macro_f1": macro,
        "micro_precision": float(ptp / (ptp + pfp)) if ptp + pfp > 0 else 0.0,
        "micro_recall": float(ptp / (ptp + pfn)) if ptp + pfn > 0 else 0.0,
        "krippendorff_alpha": alpha,
        "per_theme": per_theme,
        "macro_themes": [t for t, m in zip(theme_list, macro_mask, strict=True) if m],
        "units": {
            "total": len(ids),
            "both": len(pred_ids & gold_ids),
            "predicted_only": len(pred_ids - gold_ids),
            "gold_only": len(gold_ids - pred_ids),
        },
        "n_boot": n_boot,
        "seed": seed,
        "intervals": _bootstrap(counts, macro_mask, n_boot=n_boot, seed=seed),
    }
    return result


def _id_or_none(obj: Any, id_col: str) -> str | None:
    if isinstance(obj, pd.DataFrame) and id_col in obj.columns:
        return id_col
    return None


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def _alpha_krippendorff(P: np.ndarray, G: np.ndarray) -> float:
    import krippendorff

    data = np.vstack([P.ravel(), G.ravel()]).astype(float)
    if data.size == 0 or len(np.unique(data)) < 2:
        # the package refuses a single value; with full agreement on one value alpha is undefined
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _bootstrap(
    counts: np.ndarray, macro_mask: np.ndarray, *, n_boot: int, seed: int
) -> dict[str, list[float]]:
    if n_boot == 0:
        return {}
    rng = np.random.default_rng(seed)
    n_units = counts.shape[0]
    flat = counts.reshape(n_units, -1)
    stats = np.empty((n_boot, 3))
    chunk = max(1, min(n_boot, 2_000_000 // max(n_units, 1)))
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        draws = rng.integers(0, n_units, size=(b, n_units))
        mult = np.zeros((b, n_units))
        np.add.at(mult, (np.repeat(np.arange(b), n_units), draws.ravel()), 1.0)
        tot = (mult @ flat).reshape(b, counts.shape[1], 4)
        tp, fp, fn, tn = (tot[:, :, k] for k in range(4))
        stats[done : done + b, 0] = _f1(tp.sum(1), fp.sum(1), fn.sum(1))
        per = _f1(tp, fp, fn)
        stats[done : done + b, 1] = per[:, macro_mask].mean(1) if macro_mask.any() else np.nan
        stats[done : done + b, 2] = _alpha_closed(tp.sum(1), fp.sum(1), fn.sum(1), tn.sum(1))
        done += b
    out = {}
    for k, name in enumerate(("micro_f1", "macro_f1", "krippendorff_alpha")):
        col = stats[:, k]
        col = col[np.isfinite(col)]
        out[name] = (
            [float(np.quantile(col, 0.025)), float(np.quantile(col, 0.975))]
            if len(col)
            else [float("nan"), float("nan")]
        )
    return out


# --- presentation --------------------------------------------------------------------------


def per_theme_frame(metrics: Mapping[str, Any]) -> pd.DataFrame:
    """The ``per_theme`` part of :func:`evaluate`'s result as a DataFrame (one row per theme).

    Parameters
    ----------
    metrics : dict
        The result of :func:`evaluate`.

    Returns
    -------
    DataFrame
        Columns ``theme``, ``precision``, ``recall``, ``f1``, ``kappa``, ``support``,
        ``predicted``, ``tp``, ``fp``, ``fn``; sorted by support (descending) then theme.
    """
    rows = [{"theme": t, **v} for t, v in metrics["per_theme"].items()]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(["support", "theme"], ascending=[False, True], ignore_index=True)


def _clean(obj: Any, digits: int) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): _clean(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v, digits) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if not math.isfinite(x):
            return None
        r = round(x, digits)
        return 0.0 if r == 0 else r
    return obj


def metrics_json(metrics: Mapping[str, Any], *, digits: int = 4) -> str:
    """Deterministic JSON text for a metrics dict: sorted keys, rounded floats, NaN as null."""
    return json.dumps(_clean(metrics, digits), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
