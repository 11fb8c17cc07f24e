"""Quotes picked on the six dev corpora under several settings, written to a folder, so that
two versions of commentmine can be compared file by file (a restructure must change nothing).

    PYTHONPATH=OLD .venv/bin/python benchmarks/quote_identity.py --out /tmp/old
    PYTHONPATH=NEW .venv/bin/python benchmarks/quote_identity.py --out /tmp/new
    diff -r /tmp/old /tmp/new && echo identical

Tags come from ``commentmine.tag`` and are cached in ``--cache`` (the tagger is not what is
compared: delete the cache when it changes). Each setting writes one CSV per corpus with every
column of ``quotes()``; ``digest.txt`` holds their SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import _common as C  # noqa: E402
import pandas as pd  # noqa: E402

#: name -> keyword arguments of ``quotes()`` (beyond tags, comments, codebook, embedder).
SETTINGS: dict[str, dict] = {
    "default": {},
    "no_redact_n3_short": {"redact": False, "n": 3, "max_words": 25, "min_words": 8},
    "by_question_diversity0": {"by": "question", "diversity": 0.0, "redact": False},
    "theme_text_primary": {"weights": (0.5, 0.2, 0.3), "prefer_primary": True, "redact": False},
    "floor0_tight": {"min_score": 0.0, "max_similarity": 0.7, "max_overlap": 0.3, "redact": False},
}


def _tags(task, emb, cache: Path) -> pd.DataFrame:
    return C.cached_tags(task.name, task.comments, task.codebook, emb, cache)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/commentmine_identity_tags"))
    ap.add_argument("--corpora", default=",".join(C.CORPUS_NAMES))
    ap.add_argument("--argkp-groups", type=int, default=12, help="first N topic x stance groups")
    a = ap.parse_args()
    import commentmine as cm
    from commentmine.embed import select_embedder

    emb = select_embedder(None)
    a.out.mkdir(parents=True, exist_ok=True)
    a.cache.mkdir(parents=True, exist_ok=True)
    digest = []
    for corpus in a.corpora.split(","):
        tasks = C.load_tasks(corpus)
        if corpus == "argkp":
            tasks = tasks[: a.argkp_groups]
        for setting, kw in SETTINGS.items():
            parts = []
            for task in tasks:
                tags = _tags(task, emb, a.cache)
                q = cm.quotes(
                    tags,
                    comments=task.comments,
                    codebook=task.codebook,
                    embedder=emb,
                    consent_col=False,
                    **kw,
                )
                parts.append(q.assign(task=task.name))
            out = pd.concat(parts, ignore_index=True)
            path = a.out / f"{corpus}__{setting}.csv"
            out.to_csv(path, index=False)
            h = hashlib.sha256(path.read_bytes()).hexdigest()
            digest.append(f"{h}  {path.name}  ({len(out)} quotes)")
            print(digest[-1], flush=True)
    (a.out / "digest.txt").write_text("\n".join(digest) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
