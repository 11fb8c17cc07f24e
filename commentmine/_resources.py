"""Models bundled inside the package: every one lives in ``commentmine/_models/<name>/``.

The folders are package data (in the wheel and the sdist), found through
:mod:`importlib.resources`, so they are there however commentmine was installed: from a wheel,
an sdist, an editable install or a clone on ``PYTHONPATH``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The package folder that holds the bundled models, one sub-folder per model.
MODELS_PACKAGE_DIR = "_models"


def bundled_models() -> list[str]:
    """Names of the models bundled with this install, sorted.

    Returns
    -------
    list of str
        Folder names under ``commentmine/_models`` (empty if none is bundled).
    """
    root = resources.files("commentmine") / MODELS_PACKAGE_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def bundled_model_path(name: str) -> Path:
    """Return the folder of the bundled model ``name``.

    Parameters
    ----------
    name : str
        Folder name under ``commentmine/_models``, e.g. ``"minilm-l6-static-256"``.

    Returns
    -------
    pathlib.Path
        The model folder on disk.

    Raises
    ------
    BackendError
        E203 when this install has no such folder (a build that left the package data out), or
        when the package is imported from a zip archive, where the model files are no folder
        a loader can open.
    """
    from commentmine.errors import bad_model

    folder = resources.files("commentmine") / MODELS_PACKAGE_DIR / name
    if not isinstance(folder, Path):
        raise bad_model(
            f"commentmine/{MODELS_PACKAGE_DIR}/{name}",
            "commentmine is imported from a zip archive, so its bundled model is not a folder "
            "on disk. Install commentmine with pip (unzipped) or set COMMENTMINE_MODEL_DIR to "
            "a copy of the model folder",
        )
    if not folder.is_dir():
        have = ", ".join(bundled_models()) or "none"
        raise bad_model(
            folder,
            f"this install of commentmine has no bundled model {name!r} (bundled: {have}). "
            "Reinstall it from a wheel or sdist that carries commentmine/_models "
            "(pip install --force-reinstall commentmine)",
        )
    return folder
