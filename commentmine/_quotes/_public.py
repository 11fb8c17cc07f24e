"""Representative, varied, anonymised quotes per theme.

For each theme the candidates are its tagged segments (never interviewer turns, never a
respondent whose consent column says no, never ``uncoded`` rows). Each candidate is trimmed to
whole sentences within a word window and, when it opens leaning on the sentence before ("It
works because ...", "But ..."), extended back to it; candidates that still do not stand alone
are used only when too few others do. They are ranked by tag score and by centrality within
the theme (cosine to the theme's embedding centroid), then picked greedily with maximal
marginal relevance (MMR) for variety: one quote per survey respondent (several per
interviewee, from different turns, spread evenly), round-robin over groups when ``by`` names a
column and over sub-themes when the theme has children (so both sides of "collaboration vs
competition" show), with near-duplicates removed (a high cosine, a high word overlap, or a
shared run of 5 or more words). The picked text is redacted; offsets refer to the ORIGINAL
comment text and the redacted quote is checked to appear verbatim in the redacted comment.

The settings are one :class:`QuoteOptions`; :func:`quotes` takes each as a keyword too.

>>> import commentmine as cm
>>> q = cm.quotes(tags, "vcse-pcc", comments=comments, n=3,
...               attribution="{org_type}, {region}")                    # doctest: +SKIP
"""

from __future__ import annotations

from commentmine._quotes._attribution import DEFAULT_ATTRIBUTION, attribute
from commentmine._quotes._consent import check_consent, consent_columns, no_consent
from commentmine._quotes._options import DEFAULT_MAX_SHARED_WORDS, DEFAULT_MIN_SCORE, QuoteOptions
from commentmine._quotes._quotes import QUOTE_COLUMNS, quotes, verify_quotes

__all__ = [
    "quotes",
    "verify_quotes",
    "attribute",
    "check_consent",
    "consent_columns",
    "no_consent",
    "QuoteOptions",
    "QUOTE_COLUMNS",
    "DEFAULT_MIN_SCORE",
    "DEFAULT_MAX_SHARED_WORDS",
    "DEFAULT_ATTRIBUTION",
]
