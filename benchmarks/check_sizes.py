"""Module and function sizes against issue 19's targets (no module over 800 lines, no function
or method over 120 lines).

Usage::

    python benchmarks/check_sizes.py [PATH ...]        # default: commentmine
    python benchmarks/check_sizes.py --all commentmine/codebook.py commentmine/_codebook

Prints every module over a target (``--all``: every module) with its line count and its longest
function; exits 1 when some module or function is over.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE = 800
MAX_FUNCTION = 120


def sizes(path: Path) -> tuple[int, int, str]:
    """Lines of the module, and the line count and name of its longest function or method."""
    text = path.read_text(encoding="utf-8")
    funcs = [
        (n.end_lineno - n.lineno + 1, n.name)
        for n in ast.walk(ast.parse(text))
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno is not None
    ]
    longest, name = max(funcs, default=(0, "-"))
    return len(text.splitlines()), longest, name


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT / "commentmine"])
    ap.add_argument("--all", action="store_true", help="print every module, not only those over")
    args = ap.parse_args(argv)
    files: list[Path] = []
    for p in args.paths:
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    over = 0
    for f in files:
        lines, longest, name = sizes(f)
        bad = lines > MAX_MODULE or longest > MAX_FUNCTION
        over += bad
        if bad or args.all:
            flag = " OVER" if bad else ""
            print(f"{lines:5d} lines  longest function {longest:4d} {name:30s} {f}{flag}")
    print(
        f"{over} of {len(files)} modules over {MAX_MODULE} lines or with a function over "
        f"{MAX_FUNCTION} lines"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
