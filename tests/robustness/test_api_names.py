"""Public names stay what they are documented to be, whatever was imported before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _rb import ROOT, offline_env

import commentmine as cm

_CODE = """
import commentmine as cm
import commentmine._segment, commentmine._tagging._public, commentmine._quotes._public
import commentmine._discover, commentmine._evaluate, commentmine._training._public
import commentmine._redact._public, commentmine._framework._public
bad = [n for n in cm.__all__ if n != "__version__"
       and (not callable(getattr(cm, n)) or type(getattr(cm, n)).__name__ == "module")]
print(",".join(bad))
"""


def test_no_public_name_is_also_a_module() -> None:
    """``commentmine.tag`` and the other stage functions are not shadowed by a submodule of the
    same name: no such submodule exists, so the package needs no import hook."""
    package = Path(cm.__file__).parent
    clash = [n for n in cm.__all__ if (package / f"{n}.py").exists() or (package / n).is_dir()]
    assert clash == []


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
