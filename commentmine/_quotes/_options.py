"""The settings of quote picking, declared once (``quotes()``, ``report()`` and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from commentmine import errors

# Tag-score floor of a quote (see ``QuoteOptions.min_score``); chosen on the dev halves of
# the corpora (benchmarks/results/quotes.md).
DEFAULT_MIN_SCORE = 0.6
# Run of words two quotes of a theme may not share (``QuoteOptions.max_shared_words``); chosen
# leave-one-corpus-out, 6 of 6 folds (benchmarks/results/quote_variety.md).
DEFAULT_MAX_SHARED_WORDS = 5


@dataclass(frozen=True)
class QuoteOptions:
    """How quotes are picked, trimmed, redacted and attributed.

    Shared by :func:`commentmine.quotes` (which also takes each field as a keyword argument),
    :func:`commentmine.report` (through :class:`commentmine.export.ReportOptions`) and the
    ``quotes`` and ``report`` commands. Values are checked when the object is made.

    Parameters
    ----------
    n : int, default 5
        Quotes per theme (fewer when there are not enough eligible respondents).
    by : str, optional
        Metadata column to spread quotes across (round-robin over its groups).
    per_respondent : int, optional
        Most quotes of one theme from one respondent, each from a different comment (turn).
        Default: 1 for a survey respondent; for an interviewee (a comment from interview notes,
        as :func:`commentmine.read_interviews` reads them) as many as ``n``, spread evenly:
        each quote goes to an interviewee quoted least so far, so two interviews can fill
        five quotes. With a limit above 1 the evenness applies to every respondent.
    max_words, min_words : int, default 60, 5
        Word window. A segment longer than ``max_words`` is cut at its last sentence end
        inside the window (or skipped); a shorter one than ``min_words`` is extended to the
        adjacent segments of the same comment when that stays inside the window.
    min_score : float, default 0.6
        Quote only segments whose tag score is at least this (the tagger's per-theme decision
        point is 0.5): a theme with fewer confident segments gets fewer quotes, or none. A
        wrong quote in a report costs more than a missing one; on the dev corpora raising the
        floor from 0.5 to 0.6 made quotes more precise at little cost in themes quoted, and
        0.8 roughly doubled precision again while quoting a quarter of the themes
        (benchmarks/results/quotes.md). Use 0 to quote any tagged segment (an analyst's
        hand-added tag should carry score 1).
    attribution : str, optional
        Template such as ``"{org_type}, {region}"`` filled from metadata columns, generalised
        when fewer than ``min_cell`` respondents share the values (see
        :func:`commentmine._quotes._public.attribute`). Without a template every quote is attributed
        to "respondent".
    consent_col : str or False, optional
        Column saying whether a respondent may be quoted; no/false/0/"do not quote" (in any
        row of the respondent) excludes them. Blank means allowed. When it is not given and
        the comments table has a column that looks like consent (a name with "consent" or
        "permission", or with "quote" and yes/no values), quoting stops with E406: name the
        column, or pass ``False`` to quote everyone knowingly.
    min_cell : int, default 5
        Disclosure threshold of attributions (``quotes(min_group_size=...)``, its former
        name, still works for one release, with a ``DeprecationWarning``); in a report also
        the smallest group or base whose share is shown (as :func:`commentmine.crosstab`).
    redact : bool or {"identifiers", "names", "strict"}, default True
        Redact the quote text at this level (True: ``"names"``, see
        :func:`commentmine.redact`; plus ``names``/``orgs``). False quotes the text as written.
    names, orgs : sequence of str
        Extra names and organisations to redact.
    allow : sequence of str
        Extra phrases never redacted (added to the package's allow-list).
    diversity : float, default 0.3
        MMR weight on dissimilarity to the quotes already picked (0 = relevance only).
    max_similarity, max_overlap : float, default 0.9, 0.6
        A candidate whose cosine (or word Jaccard) to a picked quote exceeds this is a
        near-duplicate and skipped.
    max_shared_words : int or None, default 5
        A candidate that shares a run of this many words (case and punctuation aside) with a
        quote already picked for the theme is a near-duplicate and skipped ("co-designing the
        commissioning framework with the sector" / "... with small charities"). None turns
        the check off. The default 5 was chosen leave-one-corpus-out (6 of 6 folds) as the
        strongest filter that cost no quote precision (benchmarks/results/quote_variety.md).
    weights : (float, float, float), default (0.75, 0.25, 0.0)
        Relevance = weighted sum of the tag score, the centrality (cosine to the centroid of
        the theme's candidates) and the cosine to the theme's own text (label, description
        and examples; needs a codebook). The default leans on the tag score: on the dev
        corpora (benchmarks/results/quotes.md) more weight on centrality gave less precise
        and less varied quotes.
    prefer_primary : bool, default False
        Pick first among segments whose best-scoring theme is this one (or one of its
        sub-themes), so that a quote illustrates its theme rather than a neighbour's.
    """

    n: int = 5
    by: str | None = None
    per_respondent: int | None = None
    max_words: int = 60
    min_words: int = 5
    min_score: float = DEFAULT_MIN_SCORE
    attribution: str | None = None
    consent_col: str | bool | None = None
    min_cell: int = 5
    redact: bool | str = True
    names: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    diversity: float = 0.3
    max_similarity: float = 0.9
    max_overlap: float = 0.6
    max_shared_words: int | None = DEFAULT_MAX_SHARED_WORDS
    weights: tuple[float, float, float] = (0.75, 0.25, 0.0)
    prefer_primary: bool = False

    def __post_init__(self) -> None:
        for name in ("names", "orgs", "allow"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise errors.bad_argument(f"{name} must be a list of phrases, not one string")
            object.__setattr__(self, name, tuple(value or ()))
        object.__setattr__(self, "weights", tuple(self.weights))
        if self.n < 1:
            raise errors.bad_argument(f"n must be >= 1, got {self.n}")
        if self.per_respondent is not None and self.per_respondent < 1:
            raise errors.bad_argument(f"per_respondent must be >= 1, got {self.per_respondent}")
        if self.max_words < 1 or self.min_words < 0:
            raise errors.bad_argument("max_words must be >= 1 and min_words >= 0")
        if not 0.0 <= self.diversity <= 1.0:
            raise errors.bad_argument(f"diversity must lie in [0, 1], got {self.diversity}")
        if not 0.0 <= float(self.min_score) <= 1.0:
            raise errors.bad_argument(f"min_score must lie in [0, 1], got {self.min_score}")
        if self.max_shared_words is not None and self.max_shared_words < 1:
            raise errors.bad_argument(
                f"max_shared_words must be >= 1 or None, got {self.max_shared_words}"
            )
        if len(self.weights) != 3:
            raise errors.bad_argument(f"weights must be three numbers, got {self.weights}")
        if self.min_cell < 1:
            raise errors.bad_argument(f"min_cell must be >= 1, got {self.min_cell}")
