"""all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime: the full transformer without torch.

The model folder (``commentmine/_models/minilm-l6-v2-onnx-int8``, made once by
``models/export_minilm_onnx.py``) holds ``model.onnx`` (token ids -> last hidden state),
``tokenizer.json`` and ``config.json`` (pooling, maximum length). A sentence vector is the
mean of its token vectors over the attention mask, L2-normalised, as sentence-transformers
computes it for all-MiniLM-L6-v2.

The weights are stored as int8 (one scale per channel) and folded back to float32 when the
session loads, so the arithmetic is float32. Texts are run in batches of texts with the same
number of tokens (no padding), so a text's vector is the same whether it is embedded alone or
with others, bit for bit (``tests/test_embed_onnx.py``): cached and fresh vectors agree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from commentmine.embed._base import FolderEncoder

ONNX_NAME = "minilm-l6-v2-onnx-int8"
_BATCH_TOKENS = 8192  # tokens per onnxruntime call (batch size x sequence length)


def onnx_model_dir(name: str = ONNX_NAME) -> Path:
    """Folder of a bundled ONNX model: ``commentmine/_models/<name>`` (package data)."""
    return Path(str(resources.files("commentmine") / "_models" / name))


def is_onnx_dir(path: Path) -> bool:
    """True if ``path`` holds ``model.onnx``, ``tokenizer.json`` and ``config.json``."""
    return all((path / f).is_file() for f in ("model.onnx", "tokenizer.json", "config.json"))


def _import_ort() -> Any:
    from commentmine.errors import missing_extra

    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise missing_extra("the ONNX embedding backend", "onnxruntime", "onnxruntime") from exc
    return onnxruntime


class OnnxEmbedder(FolderEncoder):
    """Embedder over an ONNX sentence encoder folder (default: int8 all-MiniLM-L6-v2).

    Parameters
    ----------
    path : str or Path, optional
        Folder with ``model.onnx``, ``tokenizer.json`` and ``config.json``. Default: the
        bundled ``minilm-l6-v2-onnx-int8``.
    threads : int, optional
        onnxruntime intra-op threads. Default ``$COMMENTMINE_ONNX_THREADS`` or the number of
        CPUs (at most 4).

    Attributes
    ----------
    name : str
        ``"onnx:<folder name>"``.
    model_id : str
        Folder name plus a hash of the model, tokenizer and config: the cache key.
    """

    kind = "onnx"
    files = ("model.onnx", "tokenizer.json", "config.json")
    loaded = ("_session", "_tok")

    def __init__(self, path: str | os.PathLike[str] | None = None, threads: int | None = None):
        from commentmine.errors import bad_model

        folder = Path(path) if path is not None else onnx_model_dir()
        if not is_onnx_dir(folder):
            raise bad_model(
                folder,
                "not an ONNX encoder folder (needs model.onnx, tokenizer.json and config.json); "
                "make the bundled one with models/export_minilm_onnx.py",
            )
        super().__init__(folder)
        env = os.environ.get("COMMENTMINE_ONNX_THREADS", "")
        self.threads = threads or (int(env) if env.isdigit() else min(4, os.cpu_count() or 1))
        self._cfg: dict[str, Any] = {}

    def _load(self) -> None:
        from tokenizers import Tokenizer

        from commentmine.errors import bad_model

        ort = _import_ort()
        try:
            cfg = json.loads((self.path / "config.json").read_text(encoding="utf-8"))
            tok = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = int(self.threads)
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            # weights are stored int8 with DequantizeLinear nodes: fold them to float32
            # constants at load (no QDQ fusion), so the maths is float32 and a text's vector
            # does not depend on the other texts of its batch
            opts.add_session_config_entry("session.disable_quant_qdq", "1")
            session = ort.InferenceSession(
                str(self.path / "model.onnx"), opts, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # noqa: BLE001 - any failure here is a broken folder
            raise bad_model(self.path, f"{type(exc).__name__}: {exc}") from exc
        tok.no_padding()
        tok.enable_truncation(int(cfg.get("max_length", 256)))
        self._inputs = {i.name for i in session.get_inputs()}
        self._cfg = cfg
        self._tok = tok
        self._session = session

    @property
    def dim(self) -> int:
        """Vector size."""
        self._ready()
        return int(self._cfg.get("dim", 384))

    def _batches(self, texts: list[str]) -> Iterator[tuple[Any, np.ndarray]]:
        """Each token vector averaged, texts of one token count at a time (no padding)."""
        if not texts:
            return
        encs = self._tok.encode_batch(texts)
        lengths = np.fromiter((len(e.ids) for e in encs), dtype=np.int64, count=len(encs))
        # same-length groups (no padding), each in input order: a fixed batch composition
        for length in np.unique(lengths):
            rows = np.flatnonzero(lengths == length)
            step = max(1, _BATCH_TOKENS // int(length))
            for start in range(0, len(rows), step):
                part = rows[start : start + step]
                ids = np.asarray([encs[i].ids for i in part], dtype=np.int64)
                feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
                if "token_type_ids" in self._inputs:
                    feeds["token_type_ids"] = np.zeros_like(ids)
                hidden = self._session.run(None, feeds)[0]
                yield part, hidden.mean(axis=1)
