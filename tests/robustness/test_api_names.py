"""Public names stay what they are documented to be, whatever was imported before."""

from __future__ import annotations

import subprocess
import sys

from _rb import ROOT, offline_env

_CODE = """
import commentmine as cm
import commentmine.segment, commentmine.tag, commentmine.quotes, commentmine.discover
import commentmine.evaluate, commentmine.train
bad = [n for n in ("segment", "tag", "quotes", "discover", "evaluate", "train")
       if not callable(getattr(cm, n)) or type(getattr(cm, n)).__name__ == "module"]
print(",".join(bad))
"""


def test_public_functions_survive_submodule_imports() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _CODE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=offline_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"module, not function: {proc.stdout.strip()}"
