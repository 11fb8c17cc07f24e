"""Reports and quotes of the bundled demo survey, written by the library and by the CLI under
several settings, so that two versions of commentmine can be compared file by file (a
restructure of ``quotes``/``report`` must change no output).

    PYTHONPATH=OLD .venv/bin/python benchmarks/report_identity.py --out /tmp/old
    PYTHONPATH=NEW .venv/bin/python benchmarks/report_identity.py --out /tmp/new
    diff -r /tmp/old /tmp/new && echo identical

The tags are computed once and cached in ``--cache`` (as a pickle for the library and a CSV
for the CLI's ``--tags``): the tagger is not what is compared. ``SOURCE_DATE_EPOCH`` fixes the
time stamps. ``digest.txt`` holds the SHA-256 of every file written.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["SOURCE_DATE_EPOCH"] = "1700000000"

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"
CODEBOOK = "vcse-pcc"
TEXT_COL = "funding_improvements"

#: name -> keyword arguments of ``report()`` (beyond tags, comments, codebook, out_dir).
LIBRARY: dict[str, dict] = {
    "lib_default": {
        "consent_col": "consent_to_quote",
        "formats": ("md", "html", "docx", "xlsx", "qdpx", "csv"),
    },
    "lib_by_attr_strict": {
        "consent_col": "consent_to_quote",
        "by": "org_type",
        "attribution": "{org_type}, {region}",
        "n": 3,
        "min_cell": 7,
        "redact": "strict",
        "max_words": 40,
        "min_score": 0.5,
        "locale": "en-US",
        "title": "Identity check",
        "formats": ("md", "html", "xlsx", "csv"),
    },
    "lib_no_redact": {"consent_col": False, "redact": False, "formats": ("md", "csv")},
}

#: name -> arguments of the CLI (after the input and ``--tags``).
CLI: dict[str, list[str]] = {
    "cli_report": [
        "report",
        "--consent-col",
        "consent_to_quote",
        "--by",
        "region",
        "--attribution",
        "{org_type}",
        "--formats",
        "md,html,docx,xlsx,qdpx,csv",
    ],
    "cli_quotes": [
        "quotes",
        "--consent-col",
        "consent_to_quote",
        "--n",
        "3",
        "--attribution",
        "{org_type}, {region}",
        "--redact-level",
        "identifiers",
        "--name",
        "Dorset",
    ],
    "cli_quotes_no_consent": ["quotes", "--no-consent-col", "--no-redact", "--max-words", "30"],
}


def _tags(comments, cache: Path):
    import commentmine as cm

    pkl, csv = cache / "demo_tags.pkl", cache / "demo_tags.csv"
    if pkl.exists() and csv.exists():
        return pickle.loads(pkl.read_bytes()), csv
    tags = cm.tag(comments, CODEBOOK)
    pkl.write_bytes(pickle.dumps(tags))
    tags.to_csv(csv, index=False)
    return tags, csv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/commentmine_identity_tags"))
    a = ap.parse_args()
    import commentmine as cm
    from commentmine.embed import select_embedder

    a.out.mkdir(parents=True, exist_ok=True)
    a.cache.mkdir(parents=True, exist_ok=True)
    comments = cm.read(SURVEY, id_col="respondent_id", text_cols=[TEXT_COL])
    tags, tags_csv = _tags(comments, a.cache)
    emb = select_embedder(None)
    for name, kw in LIBRARY.items():
        cm.report(tags, comments, CODEBOOK, a.out / name, embedder=emb, **kw)
    for name, args in CLI.items():
        cmd, rest = args[0], args[1:]
        target = ["--out", str(a.out / name / "quotes.csv")] if cmd == "quotes" else []
        target = target or ["--out-dir", str(a.out / name)]
        (a.out / name).mkdir(parents=True, exist_ok=True)
        run = [sys.executable, "-m", "commentmine", cmd, str(SURVEY), "--codebook", CODEBOOK]
        run += ["--id-col", "respondent_id", "--text-col", TEXT_COL, "--tags", str(tags_csv)]
        # cwd: not a folder holding another commentmine (``-m`` would import it first)
        subprocess.run(
            [*run, *rest, *target, "--quiet"], check=True, env=os.environ.copy(), cwd=a.out
        )
    digest = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(a.out)}"
        for p in sorted(a.out.rglob("*"))
        if p.is_file() and p.name != "digest.txt"
    ]
    (a.out / "digest.txt").write_text("\n".join(digest) + "\n", encoding="utf-8")
    print("\n".join(digest))


if __name__ == "__main__":
    main()
