"""The run manifest written beside every output (``manifest.json``)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine._io import sha256_file, write_text_atomic


def run_timestamp() -> _dt.datetime:
    """UTC time of the run; ``SOURCE_DATE_EPOCH`` (seconds) fixes it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    return _dt.datetime.now(tz=_dt.timezone.utc).replace(microsecond=0)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set) else items
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    return str(value)


def _table_hash(df: pd.DataFrame | None, cols: Sequence[str]) -> str | None:
    if df is None:
        return None
    h = hashlib.sha256()
    present = [c for c in cols if c in df.columns]
    for row in df[present].astype(str).itertuples(index=False):
        h.update("\x1f".join(row).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()


def _model_info(model: Any) -> dict[str, Any]:
    if isinstance(model, Mapping):
        return {str(k): _jsonable(v) for k, v in model.items()}
    info: dict[str, Any] = {}
    if isinstance(model, str):
        info["name"] = model
    elif model is not None:
        for attr in ("name", "version", "sha256", "model_id"):
            try:
                value = getattr(model, attr, None)
            except Exception:  # noqa: BLE001 - a lazy property may fail; the manifest must not
                value = None
            if value is not None:
                info["id" if attr == "model_id" else attr] = str(value)
    info.setdefault("name", None)
    info.setdefault("version", None)
    info.setdefault("sha256", None)
    return info


def build_manifest(
    *,
    tags: pd.DataFrame | None = None,
    comments: pd.DataFrame | None = None,
    codebook: Any = None,
    parameters: Mapping[str, Any] | None = None,
    inputs: Sequence[str | os.PathLike[str]] = (),
    model: Any = None,
) -> dict[str, Any]:
    """Describe a run: library and model versions, codebook hash, parameters, inputs, date.

    Parameters
    ----------
    tags, comments : DataFrame, optional
        Counted and hashed (the hash covers ids and text, so a changed input shows).
    codebook : Codebook, optional
    parameters : mapping, optional
        The settings of the run (JSON-serialisable; other values become strings).
    inputs : sequence of path
        Input files; each is listed with its SHA-256.
    model : mapping, str or object, optional
        Model name/version/hash (an Embedder's ``name``/``version``/``sha256`` attributes).

    Returns
    -------
    dict
        ``created`` is the only field that changes between identical runs; set
        ``SOURCE_DATE_EPOCH`` to fix it. ``data.accounting`` is counted from ``tags`` and
        ``comments`` (:func:`commentmine.accounting`), or from a comment-level table alone.
    """
    from commentmine import __version__

    created = run_timestamp()
    manifest: dict[str, Any] = {
        "tool": "commentmine",
        "version": __version__,
        "python": platform.python_version(),
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "model": _model_info(model),
        "codebook": None,
        "parameters": _jsonable(dict(parameters or {})),
        "inputs": [],
        "data": {},
    }
    if codebook is not None:
        manifest["codebook"] = {
            "name": str(getattr(codebook, "name", "")),
            "themes": len(getattr(codebook, "themes", ())),
            "sha256": codebook.sha256() if hasattr(codebook, "sha256") else None,
        }
    for p in inputs:
        path = Path(p)
        manifest["inputs"].append(
            {"file": path.name, "sha256": sha256_file(path) if path.is_file() else None}
        )
    if comments is not None:
        manifest["data"]["comments"] = int(len(comments))
        if "respondent_id" in comments.columns:
            manifest["data"]["respondents"] = int(comments["respondent_id"].nunique())
        manifest["data"]["comments_sha256"] = _table_hash(comments, ["comment_id", "text"])
    if tags is not None:
        if (
            "status" in tags.columns
            if "theme" not in tags.columns
            else comments is not None and "comment_id" in comments.columns
        ):
            from commentmine._tagging._public import accounting

            manifest["data"]["accounting"] = accounting(tags, comments).as_dict()
        manifest["data"]["tag_rows"] = int(len(tags))
        manifest["data"]["tags_sha256"] = _table_hash(
            tags, ["segment_id", "theme", "start", "end", "score"]
        )
    return manifest


def manifest_time(manifest: Mapping[str, Any]) -> _dt.datetime:
    """The ``created`` time of a manifest as an aware UTC datetime."""
    return _dt.datetime.strptime(str(manifest["created"]), "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=_dt.timezone.utc
    )


def write_manifest(
    path: str | os.PathLike[str],
    manifest: Mapping[str, Any],
    *,
    outputs: Mapping[str, str | os.PathLike[str]] | None = None,
) -> Path:
    """Write ``manifest`` as JSON (atomically), listing each output file with its SHA-256.

    Parameters
    ----------
    path : path
        A ``.json`` file, or a folder (then ``<folder>/manifest.json``).
    manifest : mapping
        From :func:`build_manifest`.
    outputs : mapping of name -> path, optional
        Files written by the run.

    Returns
    -------
    Path
        The manifest file.
    """
    target = Path(path)
    if target.suffix.lower() != ".json":
        target = target / "manifest.json"
    data = dict(manifest)
    if outputs:
        data["outputs"] = {
            Path(p).name: sha256_file(p) for _k, p in sorted(outputs.items()) if Path(p).is_file()
        }
    write_text_atomic(target, json.dumps(_jsonable(data), indent=2, sort_keys=True) + "\n")
    return target
