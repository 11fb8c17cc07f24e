"""Command line: thin commands over the library (``commentmine --help``)."""

from __future__ import annotations

from commentmine._cli import _app

# Importing a command module registers its commands on the app.
from commentmine._cli import codebook as _codebook  # noqa: F401
from commentmine._cli import discover as _discover  # noqa: F401
from commentmine._cli import evaluate as _evaluate  # noqa: F401
from commentmine._cli import framework as _framework  # noqa: F401
from commentmine._cli import ingest as _ingest  # noqa: F401
from commentmine._cli import report as _report  # noqa: F401
from commentmine._cli import tag as _tag  # noqa: F401

app = _app.app


def main() -> None:
    """Entry point of the ``commentmine`` console script."""
    app()


if __name__ == "__main__":
    main()
