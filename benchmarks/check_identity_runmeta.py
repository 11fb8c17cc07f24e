"""One-off identity check of the move of run metadata from ``DataFrame.attrs`` to ``TagRun``.

Until the run metadata moved (issue 19), :func:`commentmine.tag` and
:meth:`commentmine._training._public.ThemeModel.tag` kept ``accounting``, ``codebook``, ``themes`` and (the
codebook tagger) ``warnings`` in the table's ``attrs``, and ``benchmarks/check_identity.py``
recorded them as ``<case>.attrs.json``. Now the tables carry no ``attrs`` and the tagging paths
return a :class:`~commentmine._tagging._table.TagRun`. This script rebuilds each table's former
``attrs`` from the TagRun (``commentmine._tagging._public.tag_run``, ``model_tag_run``) and runs
``check_identity.py`` against a record made before the move: every ``.attrs.json`` matching
shows the run metadata unchanged, byte for byte. Once the record is made again on the new code
(where ``attrs`` are ``{}``) this script has no record to check against.

    PYTHONPATH=$PWD python benchmarks/check_identity_runmeta.py [--only PREFIX]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import commentmine._tagging._public  # noqa: E402,F401
from commentmine._training import _model  # noqa: E402

TAG = sys.modules[
    "commentmine._tagging._public"
]  # the module (the attribute commentmine.tag is the function)
CALLS = [0]


def _with_former_attrs(run: Any, with_warnings: bool) -> Any:
    out = run.table
    out.attrs["accounting"] = run.accounting.as_dict()
    out.attrs["codebook"] = run.codebook
    out.attrs["themes"] = list(run.themes)
    if with_warnings:
        out.attrs["warnings"] = list(run.warnings)
    return out


def _tag(comments: Any, codebook: Any, **kw: Any) -> Any:
    CALLS[0] += 1
    return _with_former_attrs(TAG.tag_run(comments, codebook, **kw), True)


def _model_tag(
    self: Any, comments: Any, *, level: str = "segment", include_interviewer: bool = False
) -> Any:
    run = _model.model_tag_run(self, comments, level=level, include_interviewer=include_interviewer)
    return _with_former_attrs(run, False)


def main() -> int:
    TAG.tag = _tag
    _model.ThemeModel.tag = _model_tag
    import check_identity

    check_identity.REPORT = Path(tempfile.gettempdir()) / "identity_runmeta.md"
    rc = check_identity.main()
    print(f"codebook tagger runs rebuilt from TagRun: {CALLS[0]}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
