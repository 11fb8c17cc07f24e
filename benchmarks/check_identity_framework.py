"""Identity check of the framework split (issue 19): same inputs, byte-identical outputs.

Runs :func:`commentmine.framework` and :func:`commentmine.export.write_framework` on the
bundled interviews (``corpora/interviews``, codebook ``vcse-pcc``: default settings,
``n_views="polarity"``, ``case_col="role"``, ``redact="strict"`` with extra names and orgs,
``redact=False``) and on the bundled survey's first 60
respondents (``corpora/vcse_pcc_survey.csv``, ``consent_col="consent_to_quote"``), with the
static embedder, and records the SHA-256 of

* every table of the Framework (cells, evidence, views, cases, themes, redactions, as CSV),
  its settings, its ``matrix()`` in the three forms and ``range_of_views`` of every group;
* every written file (for the zips, xlsx / docx / qdpx, each member separately).

Usage::

    python benchmarks/check_identity_framework.py --record benchmarks/results/identity_framework.json
    python benchmarks/check_identity_framework.py --check benchmarks/results/identity_framework.json

Runs with ``SOURCE_DATE_EPOCH=1700000000`` and ``HF_HUB_OFFLINE=1`` (set here when unset).
``--check`` prints "identical: N of M", lists what differs and exits 1 when something does.
"""

from __future__ import annotations

import os

os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
INTERVIEWS = ROOT / "corpora" / "interviews"
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"
N_RESPONDENTS = 60
TABLES = ("cells", "evidence", "views", "cases", "themes", "redactions")


def _sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _csv(df: pd.DataFrame, index: bool = False) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=index, float_format="%.17g")
    return buf.getvalue()


def _runs() -> dict[str, tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]]:
    """run name -> (tags, comments, framework keyword arguments)."""
    import commentmine as cm

    interviews = cm.read(INTERVIEWS)
    itags = cm.tag(interviews, "vcse-pcc", embedder="static")
    runs = {
        "interviews": (itags, interviews, {}),
        "interviews_polarity": (itags, interviews, {"n_views": "polarity"}),
    }
    if "role" in interviews.columns:
        runs["interviews_role"] = (itags, interviews, {"case_col": "role"})
    # two more: the redaction log with more rows (user's names and orgs), and no redaction
    extra = {"redact": "strict", "names": ["Hannah Price"], "orgs": ["OPCC", "PCC"]}
    runs["interviews_strict"] = (itags, interviews, extra)
    runs["interviews_unredacted"] = (itags, interviews, {"redact": False})
    survey = cm.read(SURVEY, id_col="respondent_id")
    first = list(dict.fromkeys(survey["respondent_id"].astype(str)))[:N_RESPONDENTS]
    survey = survey[survey["respondent_id"].astype(str).isin(first)].reset_index(drop=True)
    stags = cm.tag(survey, "vcse-pcc", embedder="static")
    runs["survey60"] = (stags, survey, {"consent_col": "consent_to_quote"})
    return runs


def _written(out: Path) -> dict[str, str]:
    res = {}
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        name = f.relative_to(out).as_posix()
        if f.suffix in (".xlsx", ".docx", ".qdpx"):
            with zipfile.ZipFile(f) as z:
                for m in sorted(z.namelist()):
                    res[f"file/{name}/{m}"] = _sha(z.read(m))
        else:
            res[f"file/{name}"] = _sha(f.read_bytes())
    return res


def hashes() -> dict[str, str]:
    """key -> SHA-256 of every output of every run."""
    import commentmine as cm
    from commentmine.export import write_framework

    res: dict[str, str] = {}
    for run, (tags, comments, kw) in _runs().items():
        res[f"{run}/tags"] = _sha(_csv(tags))
        fw = cm.framework(tags, comments, "vcse-pcc", embedder="static", **kw)
        for name in TABLES:
            res[f"{run}/table/{name}"] = _sha(_csv(getattr(fw, name)))
        res[f"{run}/settings"] = _sha(json.dumps(fw.settings, sort_keys=True, default=repr))
        res[f"{run}/case_col"] = _sha(fw.case_col)
        for what in ("evidence", "summary", "n_segments"):
            res[f"{run}/matrix/{what}"] = _sha(_csv(fw.matrix(what), index=True))
        res[f"{run}/range_of_views"] = _sha(
            json.dumps({g: fw.range_of_views(g) for g in fw.groups}, sort_keys=True)
        )
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "fw"
            write_framework(fw, out)
            res.update({f"{run}/{k}": v for k, v in _written(out).items()})
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--record", type=Path, help="write the hashes to this JSON file")
    g.add_argument("--check", type=Path, help="compare with the hashes in this JSON file")
    args = ap.parse_args(argv)
    res = hashes()
    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        args.record.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(res)} hashes in {args.record}")
        return 0
    want = json.loads(args.check.read_text(encoding="utf-8"))
    keys = sorted(set(want) | set(res))
    diff = [k for k in keys if want.get(k) != res.get(k)]
    for k in diff:
        print(f"DIFFERS: {k} ({'missing' if k not in res else 'new' if k not in want else ''})")
    print(f"identical: {len(keys) - len(diff)} of {len(keys)}")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
