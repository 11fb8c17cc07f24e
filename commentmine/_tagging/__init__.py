"""The parts of the codebook tagger (:func:`commentmine.tag`), one room each.

``_lexicon``
    the codebook's weighted terms per theme and their matches on lemmas;
``_anchors``
    what a theme's text is, and its embedded anchors (semantic evidence);
``_scores``
    :class:`ScoreParts`, BM25, the seed score, the count thresholds and the rescaling;
``_selftrain``
    the pseudo-labelled classifier over ``[embedding | TF-IDF]``;
``_decide``
    which themes a comment gets, and on which of its segments;
``_evidence``
    the evidence column;
``_rows``
    which segments are scored and which may carry a theme;
``_table``
    the tags and comment-level tables and the comment accounting, shared with
    :func:`commentmine.train` and :mod:`commentmine.scale`;
``_tagger``
    :class:`Tagger`, which runs them in order (:func:`commentmine.tag` exports it).
"""
