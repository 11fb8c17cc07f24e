"""The parts of :func:`commentmine.framework` (private: use ``commentmine.framework``;
``_public`` holds the documented names).

- ``_base``: the constants (defaults chosen leave-one-corpus-out, table columns) and small
  helpers shared by the parts;
- ``_polarity``: VADER scores, a segment's and a view's polarity;
- ``_views``: views per theme group (sub-themes or clusters), their labels and quotes;
- ``_evidence``: the evidence rows (tagged segments of answered comments), their references,
  redaction, consent, embeddings and sentiment;
- ``_cells``: one cell per case x theme with its extractive summary;
- ``_cases``: the comments that count, the cases and their metadata;
- ``_themes``: theme groups in codebook order;
- ``_redaction``: redacting texts and the redaction log;
- ``_build``: :func:`commentmine.framework`'s steps, in order.
"""
