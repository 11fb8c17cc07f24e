"""Interrupted runs: a run killed mid-way leaves the previous output or none, never a partial one.

Outputs are written through ``commentmine._io.atomic_path``: a hidden temporary file
``.<name>.<random>.part`` beside the target, renamed onto it only when complete. SIGKILL gives
the process no chance to clean up, so the temporary file may remain; the next successful write
of the same target removes such files once they are an hour old.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from _rb import DATA, ROOT, SURVEY_CSV, cli, offline_env

PREVIOUS = b"previous,output\r\nkept,intact\r\n"


def _start_tag(src: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "commentmine", "tag", str(src), "-c", "vcse-pcc",
         "--id-col", "respondent_id", "--out", str(out), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=offline_env(),
    )  # fmt: skip


def _parts(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*.part"))


@pytest.mark.slow
def test_sigkill_while_writing_leaves_the_previous_output(tmp_path: Path) -> None:
    """Kill ``commentmine tag`` the moment its temporary output file appears."""
    comments = pd.read_csv(SURVEY_CSV, dtype=str, keep_default_na=False).iloc[:120]
    src = tmp_path / "survey.csv"
    comments.to_csv(src, index=False, lineterminator="\r\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "tags.csv"
    out.write_bytes(PREVIOUS)

    proc = _start_tag(src, out)
    killed_while_writing = False
    try:
        while proc.poll() is None:
            if _parts(out_dir, out.name):
                os.kill(proc.pid, signal.SIGKILL)
                killed_while_writing = True
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    assert killed_while_writing, "the run finished before its temporary file was seen"
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == PREVIOUS  # never partial, never replaced by a half file
    leftovers = _parts(out_dir, out.name)
    assert all(p.name.endswith(".part") and p.name.startswith(".tags.csv.") for p in leftovers)

    # the next run completes and replaces the output as a whole
    res = cli("read", src, "--id-col", "respondent_id", "--out", out_dir / "comments.csv")
    assert res.exit_code == 0


@pytest.mark.slow
def test_sigkill_before_writing_leaves_nothing(tmp_path: Path) -> None:
    comments = pd.read_csv(SURVEY_CSV, dtype=str, keep_default_na=False).iloc[:60]
    src = tmp_path / "survey.csv"
    comments.to_csv(src, index=False, lineterminator="\r\n")
    out = tmp_path / "out" / "tags.csv"
    proc = _start_tag(src, out)
    # A whole run takes ~4 s on an idle machine (imports alone >1.5 s); 3 s was once too
    # close to the end on a fast, warm machine. Kill early, and check that the run really is
    # still going and has written nothing yet, so the test cannot pass without killing it
    # before the write.
    time.sleep(1.0)
    assert proc.poll() is None, "the run ended before it could be killed"
    assert not out.exists() and not _parts(out.parent, out.name)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()


def test_stale_part_files_are_removed_by_the_next_successful_write(tmp_path: Path) -> None:
    out = tmp_path / "comments.csv"
    stale = tmp_path / ".comments.csv.abc123.part"
    stale.write_bytes(b"half a file")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".comments.csv.def456.part"  # maybe a concurrent run: left alone
    fresh.write_bytes(b"being written")
    other = tmp_path / ".other.csv.xyz.part"  # another target's file: left alone
    other.write_bytes(b"x")
    os.utime(other, (old, old))

    res = cli("read", DATA / "survey_utf8.csv", "--id-col", "id", "--out", out)
    assert res.exit_code == 0, res.stderr
    assert out.exists() and not stale.exists()
    assert fresh.exists() and other.exists()


def test_failed_run_removes_its_own_temporary_file(tmp_path: Path) -> None:
    """An error inside the write (not a kill) leaves neither output nor temporary file."""
    from commentmine._io import atomic_path

    out = tmp_path / "x.csv"
    out.write_bytes(PREVIOUS)
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]
