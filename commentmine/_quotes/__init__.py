"""The quotes stage's parts (:func:`commentmine.quotes`; ``_public`` holds the
documented names).

``_options`` (the settings), ``_consent`` (who may be quoted), ``_source`` (comment texts and
segments), ``_candidates`` (a theme's trimmed candidates), ``_pick`` (relevance and MMR),
``_attribution`` (attribution templates with disclosure control) and ``_quotes`` (the steps
in order: ``quotes()`` and ``verify_quotes()``).
"""
