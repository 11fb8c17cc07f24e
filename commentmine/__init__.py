"""commentmine: mine free-text comments offline.

comments -> segments -> tags -> themes -> quotes -> report.

>>> import commentmine as cm
>>> comments = cm.read("corpora/vcse_pcc_survey.csv", id_col="respondent_id",
...                    text_cols=["engagement_experience"])          # doctest: +SKIP
>>> tags = cm.tag(comments, codebook="vcse-pcc")                      # doctest: +SKIP
>>> tags = cm.tag(comments, model="my-model/")   # trained by cm.train  # doctest: +SKIP

Public names are imported lazily so that ``import commentmine`` stays light (no torch, no
spaCy model load) until a stage is used.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "read": "commentmine.ingest",
    "read_interviews": "commentmine.ingest",
    "segment": "commentmine.segment",
    "redact": "commentmine.redact",
    "Codebook": "commentmine.codebook",
    "Theme": "commentmine.codebook",
    "load_codebook": "commentmine.codebook",
    "Embedder": "commentmine.embed",
    "select_embedder": "commentmine.embed",
    "tag": "commentmine._api",  # dispatches Dask frames and trained models to the layers above
    "Tagger": "commentmine.tag",
    "discover": "commentmine.discover",
    "Discovery": "commentmine.discover",
    "quotes": "commentmine.quotes",
    "QuoteOptions": "commentmine.quotes",
    "framework": "commentmine.framework",
    "Framework": "commentmine.framework",
    "prevalence": "commentmine.stats",
    "crosstab": "commentmine.stats",
    "cooccurrence": "commentmine.stats",
    "report": "commentmine.export",
    "ReportOptions": "commentmine.export",
    "evaluate": "commentmine.evaluate",
    "train": "commentmine.train",
    "ThemeModel": "commentmine.train",
    "load_theme_model": "commentmine.train",
    "CommentmineError": "commentmine.errors",
}

__all__ = [
    "Codebook",
    "CommentmineError",
    "Discovery",
    "Embedder",
    "Framework",
    "QuoteOptions",
    "ReportOptions",
    "Tagger",
    "Theme",
    "ThemeModel",
    "__version__",
    "cooccurrence",
    "crosstab",
    "discover",
    "evaluate",
    "framework",
    "load_codebook",
    "load_theme_model",
    "prevalence",
    "quotes",
    "read",
    "read_interviews",
    "redact",
    "report",
    "segment",
    "select_embedder",
    "tag",
    "train",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'commentmine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


class _Package(types.ModuleType):
    """Keeps public functions public when a same-named submodule is imported.

    ``import commentmine.tag`` makes Python bind the *module* ``commentmine.tag`` as the package
    attribute ``tag``, hiding the function ``commentmine.tag(...)``. Here the binding is replaced
    by the function the module defines; the module itself stays in ``sys.modules`` (so
    ``from commentmine.tag import Tagger`` works as usual).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            isinstance(value, types.ModuleType)
            and name in _EXPORTS
            and value.__name__ == f"{__name__}.{name}"
        ):
            value = getattr(importlib.import_module(_EXPORTS[name]), name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover
    from commentmine._api import tag
    from commentmine.codebook import Codebook, Theme, load_codebook
    from commentmine.discover import Discovery, discover
    from commentmine.embed import Embedder, select_embedder
    from commentmine.errors import CommentmineError
    from commentmine.evaluate import evaluate
    from commentmine.export import ReportOptions, report
    from commentmine.framework import Framework, framework
    from commentmine.ingest import read, read_interviews
    from commentmine.quotes import QuoteOptions, quotes
    from commentmine.redact import redact
    from commentmine.segment import segment
    from commentmine.stats import cooccurrence, crosstab, prevalence
    from commentmine.tag import Tagger
    from commentmine.train import ThemeModel, load_theme_model, train
