"""Theme models trained from human-coded examples together with the codebook's own evidence.

``train(coded, codebook)`` fits one classifier per theme and returns a :class:`ThemeModel`;
``ThemeModel.save(folder)`` writes it without pickle and :func:`load_theme_model` reads it back.

Semi-supervised on top of the codebook tagger (``codebook_prior``, default). With few coded
examples a classifier alone throws away what the zero-shot tagger (:func:`commentmine.tag`)
already knows, so:

1. The tagger is fitted on the coded texts plus any ``unlabelled`` texts of the same kind (its
   own self-training on the corpus; the labels are not used), and its per-theme score of each
   text (the best segment's, on its 0.5-is-the-threshold scale) joins the features.
2. Per theme, a class-weighted L2 logistic regression on the coded rows (below); its threshold
   is chosen by cross-validation on the coded rows only, re-weighted to the unlabelled pool's
   estimated share of the theme (``prior_shift``): "20 examples of each theme" over-represent
   the rare ones, and a threshold tuned on them over-tags those themes.
3. The final score blends the two: ``a * classifier + (1 - a) * tagger`` with
   ``a = n_pos / (n_pos + prior_strength)``: the tagger counts as ``prior_strength`` (40) coded
   examples, so 5 examples lean on the codebook and 3,000 on the classifier. A theme with fewer
   than two coded examples keeps the tagger's decision.

The tagger also learns from the coded rows (``tagger_examples``, default 20): up to that many
coded texts per theme (a seeded sample) join the theme's codebook ``examples``, so the tagger's
anchors include them (its semantic evidence is the best cosine to any example, and its
self-training starts from them). The coded rows' own tagger scores are cross-fitted: each half
of the coded rows is scored by a tagger whose examples come from the other half only, so no
row's features (or the cross-validated scores) see its own label.

Defaults (``prior_weight`` 3, ``prior_strength`` 40, ``prior_shift``, no ``self_train``,
``tagger_examples`` 20) were
chosen on development rows only: the restaurants and NHS training splits of
``benchmarks/bench_learning_curve.py``'s repeat 0, cut again 75/25 (k-shot samples and pool
from the 75%, scored on the 25%); see ``benchmarks/results/learning_curve.md``.

Features of a text (the same at training and prediction time):

* its embedding (the chosen embedder; default the bundled static model);
* TF-IDF of lower-cased word 1-2 grams (sublinear tf, L2-normalised; vocabulary and idf are
  learned from the coded and unlabelled texts plus the codebook's own wording);
* the codebook's evidence, per theme: the cosine of the embedding to the theme's anchor (the
  normalised mean embedding of ``"label: description"``, its keywords and examples) and the
  TF-IDF cosine of the text to the theme's wording (label x3, keywords x2, description); these
  ``2 x n_themes`` columns are multiplied by ``evidence_weight`` so that regularisation does not
  drown them when examples are few;
* with ``codebook_prior``, the tagger's score for every (leaf) theme, as
  ``(score - 0.5) * prior_weight``.

Per theme, a class-weighted (``balanced``) L2 logistic regression. Its decision threshold is
chosen by ``cv``-fold cross-validation on the training rows only: out-of-fold probabilities,
threshold maximising (re-weighted) F1 on them, pulled towards 0.5 when the theme has few
examples (``threshold_prior``). Without the tagger, a theme with fewer than two coded examples
keeps the codebook evidence alone: its score is the evidence sum, thresholded so that it tags
as many rows as rank it first (the tagger's count rule, see ``_zero_shot_fit``). Scores are
reported on the tagger's scale: each theme's threshold maps to 0.5, and a text carries every
theme scoring >= 0.5.

Cross-validated scores (``cv_scores_``) are the out-of-fold micro/macro F1 of the blended
scores at the chosen thresholds (slightly optimistic, since the thresholds are picked on the
same out-of-fold scores) and of the classifier alone at 0.5 (not tuned).

Saved folder (``ThemeModel.save``)::

    codebook.yaml     the codebook (load_codebook reads it)
    weights.npz       coef, intercept, thresholds, blend, anchors and the tagger's arrays
                      (``tagger.<name>``), float64/float32/bool, read with allow_pickle=False
    tfidf.json        vocabulary (term -> column) and idf
    tagger.json       the tagger's settings, fitted scalars and TF-IDF vocabulary (with
                      ``codebook_prior``); the lexicon and anchors are rebuilt from the codebook
                      and ``coded_examples`` (the coded texts the tagger uses as examples: a
                      model folder holds up to ``tagger_examples`` coded texts per theme
                      verbatim; use ``tagger_examples=0`` to keep them out)
    manifest.json     format, versions, embedder, codebook sha256, seed, settings, cv scores,
                      themes, estimated pool shares
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._training._data import split_labels
from commentmine._training._model import ThemeModel

__all__ = ["ThemeModel", "train", "load_theme_model"]


def train(
    coded: pd.DataFrame,
    codebook: Any,
    *,
    text_col: str = "text",
    id_col: str | None = None,
    labels_col: str = "labels",
    embedder: Any = None,
    seed: int = 0,
    cv: int = 5,
    unlabelled: Sequence[str] | None = None,
    **options: Any,
) -> ThemeModel:
    """Fit a :class:`ThemeModel` from human-coded examples and the codebook.

    Parameters
    ----------
    coded : DataFrame
        One row per coded text.
    codebook : Codebook or str or Path
        The codebook whose theme ids the labels use.
    text_col : str, default "text"
        Text column.
    id_col : str, optional
        Id column (checked for duplicates; not used as a feature).
    labels_col : str, default "labels"
        Theme ids joined by ``|``; ``""`` = coded with no theme (a negative example for every
        theme).
    embedder : Embedder or str, optional
        Embedding backend (default: the bundled static model).
    seed : int, default 0
        Seed of folds and classifiers.
    cv : int, default 5
        Folds for the per-theme thresholds and the reported cross-validated scores.
    unlabelled : sequence of str, optional
        Uncoded texts of the same kind (e.g. the rest of the corpus): the codebook tagger is
        fitted on them too, and the thresholds aim at their estimated theme shares (see
        :meth:`ThemeModel.fit`).
    **options
        Further :class:`ThemeModel` parameters (``C``, ``evidence_weight``, ``max_features``,
        ``codebook_prior``, ``prior_weight``, ``prior_strength``, ``prior_shift``,
        ``self_train`` ...).

    Returns
    -------
    ThemeModel
        Fitted; ``cv_scores_`` holds the cross-validated scores.
    """
    if not isinstance(coded, pd.DataFrame):
        raise errors.bad_argument(f"expected a DataFrame, got {type(coded).__name__}")
    for col in (text_col, labels_col, *([id_col] if id_col else [])):
        if col not in coded.columns:
            raise errors.missing_column(col, coded.columns)
    if id_col:
        dup = coded[id_col][coded[id_col].duplicated()].astype(str).unique()
        if len(dup):
            raise errors.duplicate_ids(id_col, dup)
    texts = coded[text_col].fillna("").astype(str).tolist()
    labels = split_labels(coded[labels_col])
    model = ThemeModel(codebook, embedder=embedder, seed=seed, cv=cv, **options)
    return model.fit(texts, labels, unlabelled=unlabelled)


def load_theme_model(folder: str | Path, *, embedder: Any = None) -> ThemeModel:
    """Load a theme model folder written by :meth:`ThemeModel.save` (no pickle).

    Parameters
    ----------
    folder : str or Path
        The model folder.
    embedder : Embedder or str, optional
        Embedding backend; default the one named in the manifest. Its dimension must match.

    Returns
    -------
    ThemeModel
    """
    from commentmine._training._persist import load

    return load(folder, embedder=embedder, model_class=ThemeModel)
