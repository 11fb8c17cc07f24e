"""A theme model's folder: written by :meth:`ThemeModel.save`, read by
:func:`commentmine.load_theme_model`; no pickle (layout: :func:`commentmine.train`).

The codebook tagger inside it is kept through :meth:`Tagger.get_state` /
:meth:`Tagger.from_state`: its settings, fitted scalars and TF-IDF vocabulary in
``tagger.json``, its arrays as ``tagger.<name>`` in ``weights.npz``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from commentmine import errors
from commentmine._io import atomic_path, write_text_atomic
from commentmine._training._features import Tfidf, embed, resolve_embedder, theme_texts
from commentmine._training._prior import with_examples

FORMAT = "commentmine-theme-model/1"


def save(model: Any, folder: str | Path) -> Path:
    """Write the folder of ``model`` (a fitted :class:`~commentmine.ThemeModel`):
    codebook.yaml, weights.npz, tfidf.json, manifest.json and, with the codebook tagger,
    tagger.json.

    Nothing is pickled: arrays go to ``.npz`` (read with ``allow_pickle=False``; the
    tagger's under ``tagger.<name>``), vocabularies and the tagger's settings to JSON.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise errors.is_directory(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / "codebook.yaml", model.codebook_.to_yaml())
    tagger_arrays: dict[str, np.ndarray] = {}
    if model.tagger_ is not None:
        state, arrays = model.tagger_.get_state()
        state["coded_examples"] = dict(model.tagger_examples_)
        tagger_arrays = {f"tagger.{k}": v for k, v in arrays.items()}
        write_text_atomic(
            folder / "tagger.json",
            json.dumps(state, ensure_ascii=False, sort_keys=True) + "\n",
        )
    elif (folder / "tagger.json").exists():
        (folder / "tagger.json").unlink()
    with atomic_path(folder / "weights.npz") as tmp, open(tmp, "wb") as fh:
        np.savez(
            fh,
            coef=model.coef_.astype(np.float64),
            intercept=model.intercept_.astype(np.float64),
            thresholds=model.thresholds_.astype(np.float64),
            trained=model.trained_.astype(np.bool_),
            anchors=model.anchors_.astype(np.float32),
            blend=model.blend_.astype(np.float64),
            **tagger_arrays,
        )
    vocab = sorted(model.tfidf_.vocabulary.items(), key=lambda kv: kv[1])
    tfidf = {"terms": [t for t, _ in vocab], "idf": [float(x) for x in model.tfidf_.idf]}
    write_text_atomic(folder / "tfidf.json", json.dumps(tfidf, ensure_ascii=False) + "\n")
    manifest = _manifest(model)
    write_text_atomic(
        folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    )
    return folder


def _manifest(model: Any) -> dict[str, Any]:
    """manifest.json: format, versions, embedder, codebook, settings, scores, themes."""
    import sklearn

    from commentmine import __version__

    manifest = {
        "format": FORMAT,
        "commentmine": __version__,
        "scikit_learn": sklearn.__version__,
        "numpy": np.__version__,
        "embedder": str(getattr(model.embedder_, "name", type(model.embedder_).__name__)),
        "embedder_spec": _embedder_spec(model),
        "embedding_dim": int(model.anchors_.shape[1]),
        "codebook": str(model.codebook_.name),
        "codebook_sha256": model.codebook_.sha256(),
        "themes": list(model.themes_),
        "n_examples": model.n_examples_,
        "seed": int(model.seed),
        "cv": int(model.cv),
        "C": float(model.C),
        "evidence_weight": float(model.evidence_weight),
        "max_features": int(model.max_features),
        "pseudo_weight": float(model.pseudo_weight),
        "max_unlabelled": int(model.max_unlabelled),
        "word_evidence": bool(model.word_evidence),
        "threshold_prior": float(model.threshold_prior),
        "codebook_prior": model.tagger_ is not None,
        "prior_weight": float(model.prior_weight),
        "self_train": bool(model.self_train),
        "prior_shift": bool(model.prior_shift),
        "prior_strength": float(model.prior_strength),
        "tagger_examples": int(model.tagger_examples),
        "tagger_options": dict(model.tagger_options or {}),
        "pool_share": dict(model.pool_share_),
        "n_unlabelled": int(model.n_unlabelled_),
        "cv_scores": model.cv_scores_,
    }
    return manifest


def _embedder_spec(model: Any) -> str:
    """What :func:`select_embedder` needs to rebuild the embedder at load time."""
    if model.embedder is None:
        return "default"
    if isinstance(model.embedder, (str, Path)):
        return str(model.embedder)
    return str(getattr(model.embedder_, "name", type(model.embedder_).__name__))


def load(folder: str | Path, *, embedder: Any = None, model_class: type) -> Any:
    """:func:`commentmine.load_theme_model`: a ``model_class`` (the
    :class:`~commentmine.ThemeModel` class) from ``folder``."""
    from commentmine._tagging._tagger import Tagger
    from commentmine.codebook import load_codebook

    folder = Path(folder)
    if not folder.is_dir():
        raise errors.bad_theme_model(folder, "not a folder")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        tfidf = json.loads((folder / "tfidf.json").read_text(encoding="utf-8"))
        with np.load(folder / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError) as exc:
        raise errors.bad_theme_model(folder, str(exc)) from exc
    if manifest.get("format") != FORMAT:
        raise errors.bad_theme_model(folder, f"unknown format {manifest.get('format')!r}")
    codebook = load_codebook(folder / "codebook.yaml")
    if codebook.sha256() != manifest.get("codebook_sha256"):
        raise errors.bad_theme_model(folder, "codebook.yaml does not match the manifest's hash")
    model = model_class(
        codebook,
        embedder=embedder if embedder is not None else manifest.get("embedder_spec", "default"),
        seed=manifest["seed"],
        cv=manifest["cv"],
        C=manifest["C"],
        evidence_weight=manifest["evidence_weight"],
        max_features=manifest["max_features"],
        pseudo_weight=manifest["pseudo_weight"],
        max_unlabelled=manifest["max_unlabelled"],
        word_evidence=manifest["word_evidence"],
        threshold_prior=manifest["threshold_prior"],
        codebook_prior=bool(manifest.get("codebook_prior", False)),
        prior_weight=float(manifest.get("prior_weight", 0.0)),
        self_train=bool(manifest.get("self_train", True)),
        prior_shift=bool(manifest.get("prior_shift", False)),
        prior_strength=float(manifest.get("prior_strength", 0.0)),
        tagger_examples=int(manifest.get("tagger_examples", 0)),
        tagger_options=manifest.get("tagger_options") or None,
    )
    model.codebook_ = codebook
    model.themes_ = list(codebook.ids)
    if model.themes_ != manifest["themes"]:
        raise errors.bad_theme_model(folder, "themes differ from the manifest")
    model.embedder_ = resolve_embedder(model.embedder)
    vocab = {t: i for i, t in enumerate(tfidf["terms"])}
    model.tfidf_ = Tfidf(vocab, np.asarray(tfidf["idf"], dtype=np.float64))
    wording, _ = theme_texts(codebook)
    model.theme_vectors_ = model.tfidf_.transform(wording)
    model.anchors_ = arrays["anchors"]
    model.coef_ = arrays["coef"]
    model.intercept_ = arrays["intercept"]
    model.thresholds_ = arrays["thresholds"]
    model.trained_ = arrays["trained"].astype(bool)
    model.blend_ = arrays["blend"] if "blend" in arrays else np.ones(len(model.themes_))
    model.n_examples_ = dict(manifest.get("n_examples", {}))
    model.n_unlabelled_ = int(manifest.get("n_unlabelled", 0))
    model.cv_scores_ = dict(manifest.get("cv_scores", {}))
    model.pool_share_ = dict(manifest.get("pool_share", {}))
    model.tagger_ = None
    model.tagger_examples_ = {}
    if model.codebook_prior:
        try:
            state = json.loads((folder / "tagger.json").read_text(encoding="utf-8"))
            t_arrays = {
                k.removeprefix("tagger."): v for k, v in arrays.items() if k.startswith("tagger.")
            }
            examples = {
                str(k): [str(x) for x in v] for k, v in state.pop("coded_examples", {}).items()
            }
            model.tagger_examples_ = examples
            model.tagger_ = Tagger.from_state(
                state,
                t_arrays,
                codebook=with_examples(codebook, examples),
                embedder=model.embedder_,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise errors.bad_theme_model(folder, f"tagger: {exc}") from exc
    probe = embed(model.embedder_, ["probe"])
    if probe.shape[1] != model.anchors_.shape[1]:
        raise errors.bad_theme_model(
            folder,
            f"the embedder gives {probe.shape[1]} dimensions, the model expects "
            f"{model.anchors_.shape[1]} ({manifest['embedder']})",
        )
    return model
