"""Atomic output files: a run writes to a temporary file and renames it at the end."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only on success.

    If the block raises (or the process is killed), ``path`` keeps its previous content or
    stays absent, and the temporary file is removed (where the process lives to do it).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600; give the output the mode any new file would get (umask).
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    _remove_stale_parts(target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: A temporary file of the same target untouched for this long is left over from a killed run.
STALE_PART_SECONDS = 3600


def _remove_stale_parts(target: Path) -> None:
    """Delete ``.<name>.*.part`` files beside ``target`` left by runs that were killed.

    A run killed with SIGKILL cannot remove its temporary file (the target itself is never
    partial). Only files not modified for :data:`STALE_PART_SECONDS` are removed, so a
    concurrent run still writing its own temporary file is left alone.
    """
    cutoff = time.time() - STALE_PART_SECONDS
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        try:
            if part.is_file() and part.stat().st_mtime < cutoff:
                part.unlink()
        except OSError:
            pass


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
