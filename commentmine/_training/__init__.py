"""The parts of the theme models (:func:`commentmine.train`), one room each.

``_features``
    TF-IDF with a saved vocabulary, embeddings, and each theme's wording and anchors;
``_classifiers``
    the per-theme logistic regressions and their cross-validated thresholds;
``_prior``
    the codebook tagger inside a theme model (fitted, cross-fitted on the coded rows);
``_model``
    :class:`ThemeModel` (:func:`commentmine.train` exports it);
``_persist``
    the saved model folder, written and read without pickle;
``_data``
    the coded labels column;
``_apply``
    :func:`commentmine.tag` with ``model=``.
"""
