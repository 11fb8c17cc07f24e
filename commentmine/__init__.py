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
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "read": "commentmine.ingest",
    "read_interviews": "commentmine.ingest",
    "segment": "commentmine._segment",
    "redact": "commentmine._redact._public",
    "Codebook": "commentmine.codebook",
    "Theme": "commentmine.codebook",
    "load_codebook": "commentmine.codebook",
    "Embedder": "commentmine.embed",
    "select_embedder": "commentmine.embed",
    "tag": "commentmine._api",  # dispatches Dask frames and trained models to the layers above
    "Tagger": "commentmine._tagging._public",
    "accounting": "commentmine._tagging._public",
    "Accounting": "commentmine._tagging._public",
    "discover": "commentmine._discover",
    "Discovery": "commentmine._discover",
    "quotes": "commentmine._quotes._public",
    "QuoteOptions": "commentmine._quotes._public",
    "framework": "commentmine._framework._public",
    "Framework": "commentmine._framework._public",
    "prevalence": "commentmine.stats",
    "crosstab": "commentmine.stats",
    "cooccurrence": "commentmine.stats",
    "report": "commentmine.export",
    "ReportOptions": "commentmine.export",
    "evaluate": "commentmine._evaluate",
    "train": "commentmine._training._public",
    "ThemeModel": "commentmine._training._public",
    "load_theme_model": "commentmine._training._public",
    "CommentmineError": "commentmine.errors",
}

__all__ = [
    "Accounting",
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
    "accounting",
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


if TYPE_CHECKING:  # pragma: no cover
    from commentmine._api import tag
    from commentmine._discover import Discovery, discover
    from commentmine._evaluate import evaluate
    from commentmine._framework._public import Framework, framework
    from commentmine._quotes._public import QuoteOptions, quotes
    from commentmine._redact._public import redact
    from commentmine._segment import segment
    from commentmine._tagging._public import Accounting, Tagger, accounting
    from commentmine._training._public import ThemeModel, load_theme_model, train
    from commentmine.codebook import Codebook, Theme, load_codebook
    from commentmine.embed import Embedder, select_embedder
    from commentmine.errors import CommentmineError
    from commentmine.export import ReportOptions, report
    from commentmine.ingest import read, read_interviews
    from commentmine.stats import cooccurrence, crosstab, prevalence
