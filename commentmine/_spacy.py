"""Import spaCy without importing torch.

spaCy's machine-learning library, thinc, tries ``import torch`` when it is first imported (to
offer optional PyTorch layers). commentmine never uses those layers on the read / segment / tag /
redact path, and importing torch costs seconds and hundreds of MB. :func:`import_spacy` imports
spaCy with ``torch`` masked in ``sys.modules`` (so thinc records "no torch") and unmasks it
straight after, so a later ``import torch`` (theme discovery, the sentence-transformers backend)
works as usual. If torch is already imported, spaCy is imported normally.

Every commentmine module that needs spaCy should get it from here, never with a top-level
``import spacy``.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


def import_spacy() -> ModuleType:
    """Return the ``spacy`` module, imported without pulling in torch.

    Returns
    -------
    module
        The imported ``spacy`` package.
    """
    already = sys.modules.get("spacy")
    if already is not None:
        return already
    with _LOCK:
        if "torch" in sys.modules:
            import spacy

            return spacy
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
        try:
            import spacy
        finally:
            if sys.modules.get("torch", 0) is None:
                del sys.modules["torch"]
        return spacy
