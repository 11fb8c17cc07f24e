"""Rewrite a zip (DOCX/XLSX/QDPX) with fixed entry times so equal content gives equal bytes."""

from __future__ import annotations

import datetime as _dt
import zipfile
from collections.abc import Iterable
from pathlib import Path


def zip_time(when: _dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry time (zip cannot store years before 1980)."""
    when = max(when.replace(tzinfo=None), _dt.datetime(1980, 1, 1))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def write_zip(path: Path, entries: Iterable[tuple[str, bytes]], when: _dt.datetime) -> None:
    """Write ``entries`` (name, bytes) in the given order, deflated, all stamped ``when``."""
    stamp = zip_time(when)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)


def normalise_zip(path: Path, when: _dt.datetime) -> None:
    """Re-stamp every entry of the zip at ``path`` with ``when`` (in place)."""
    with zipfile.ZipFile(path) as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    write_zip(path, entries, when)
