"""Static (model2vec-format) embeddings: token vectors averaged, no torch, no download.

The folder is read directly with ``safetensors.numpy`` and ``tokenizers`` (both light, neither
imports torch) and encoded exactly as ``model2vec.StaticModel.encode`` does: the text is cut to
``max_length * median token length`` characters, tokenised without special tokens and truncated
to ``max_length`` tokens, unknown tokens dropped, the token vectors averaged and the mean
L2-normalised. The averaging is one sparse-matrix product per batch, so it is fast.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from commentmine.embed._base import FolderEncoder

BUNDLED_NAME = "minilm-l6-static-256"
_BATCH = 8192


def bundled_model_dir() -> Path:
    """Return the bundled model folder.

    ``$COMMENTMINE_MODEL_DIR`` if set, else the package data folder
    ``commentmine/_models/minilm-l6-static-256`` (in every wheel, sdist and clone).

    Raises
    ------
    BackendError
        E203 when ``$COMMENTMINE_MODEL_DIR`` has no model, or the install lacks the folder.
    """
    from commentmine._resources import bundled_model_path
    from commentmine.errors import bad_model

    env = os.environ.get("COMMENTMINE_MODEL_DIR")
    if env:
        path = Path(env).expanduser()
        if not (path / "model.safetensors").is_file():
            raise bad_model(
                path,
                "COMMENTMINE_MODEL_DIR has no model.safetensors; point it at a model2vec folder "
                f"such as commentmine/_models/{BUNDLED_NAME}, or unset it to use the bundled "
                "model",
            )
        return path
    path = bundled_model_path(BUNDLED_NAME)
    if not (path / "model.safetensors").is_file():
        raise bad_model(
            path,
            "the bundled static model's model.safetensors is missing. Reinstall commentmine "
            "(pip install --force-reinstall commentmine) or set COMMENTMINE_MODEL_DIR to a "
            "model2vec folder",
        )
    return path


def is_model2vec_dir(path: Path) -> bool:
    """True if ``path`` looks like a model2vec folder."""
    cfg = path / "config.json"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        return False
    try:
        return json.loads(cfg.read_text(encoding="utf-8")).get("model_type") == "model2vec"
    except (OSError, ValueError):
        return False


class StaticEmbedder(FolderEncoder):
    """Embedder over a model2vec folder (default: the bundled MiniLM distillation).

    Parameters
    ----------
    path : str or Path, optional
        Model2vec folder (``model.safetensors``, ``tokenizer.json``, ``config.json``).
        Default :func:`bundled_model_dir`.

    Attributes
    ----------
    name : str
        ``"static:<folder name>"``.
    model_id : str
        Folder name plus a hash of the weights, tokenizer and config: the cache key.
    dim : int
        Vector size.
    """

    kind = "static"
    files = ("model.safetensors", "tokenizer.json", "config.json")
    loaded = ("_table", "_tok")

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        from commentmine.errors import bad_model

        folder = Path(path) if path is not None else bundled_model_dir()
        if not is_model2vec_dir(folder):
            raise bad_model(
                folder,
                "not a model2vec folder (needs model.safetensors, tokenizer.json and a "
                "config.json with model_type 'model2vec')",
            )
        super().__init__(folder)

    def _load(self) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        from commentmine.errors import bad_model

        try:
            tensors = load_file(str(self.path / "model.safetensors"))
            tok = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            cfg = json.loads((self.path / "config.json").read_text(encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001 - any failure here is a broken folder
            raise bad_model(self.path, f"{type(exc).__name__}: {exc}") from exc
        if "embeddings" not in tensors:
            raise bad_model(self.path, "model.safetensors has no 'embeddings' tensor")
        table = tensors["embeddings"].astype(np.float32)
        if "mapping" in tensors:
            table = table[tensors["mapping"].astype(np.int64)]
        if "weights" in tensors:
            table = table * tensors["weights"].astype(np.float32)[:, None]
        self._max_length = cfg.get("max_length", 512)
        tok.no_padding()
        if self._max_length is None:
            tok.no_truncation()
        else:
            tok.enable_truncation(int(self._max_length))
        vocab = tok.get_vocab()
        self._median_len = int(np.median([len(t) for t in vocab]))
        unk = None
        model_cfg = json.loads(tok.to_str()).get("model", {})
        if model_cfg.get("unk_token") is not None:
            unk = vocab.get(model_cfg["unk_token"])
        self._unk = unk
        self._tok = tok
        self._table = np.ascontiguousarray(table)

    @property
    def dim(self) -> int:
        """Vector size."""
        self._ready()
        assert self._table is not None
        return int(self._table.shape[1])

    def _batches(self, texts: list[str]) -> Iterator[tuple[slice, np.ndarray]]:
        """The token vectors of each text averaged, :data:`_BATCH` texts at a time."""
        for start in range(0, len(texts), _BATCH):
            yield slice(start, start + _BATCH), self._pool(texts[start : start + _BATCH])

    def _pool(self, texts: list[str]) -> np.ndarray:
        from scipy import sparse

        assert self._tok is not None and self._table is not None
        if self._max_length is not None:
            cut = int(self._max_length) * self._median_len
            texts = [t[:cut] for t in texts]
        encs = self._tok.encode_batch_fast(texts, add_special_tokens=False)
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encs]
        if self._unk is not None:
            ids = [a[a != self._unk] for a in ids]
        lengths = np.fromiter((a.size for a in ids), dtype=np.int64, count=len(ids))
        flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        weights = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
        avg = sparse.csr_matrix(
            (weights, flat, indptr), shape=(len(ids), self._table.shape[0]), dtype=np.float32
        )
        return avg @ self._table
