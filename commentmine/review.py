"""People check a sample of the machine's tags; the checks measure precision and recall.

The flow:

1. :func:`review_sample` draws a stratified sample from a tags table: for each theme, tagged
   segments from three score bands (the theme's lowest, middle and highest third of scores),
   half of them from the uncertain middle; plus a simple random sample of ``uncoded`` segments,
   so that mentions the machine missed are estimated too.
2. :func:`write_review` saves it as an XLSX sheet with a ``decision`` dropdown (``accept``,
   ``reject``, ``correct-theme``), ``correct_theme`` and ``notes`` columns, and a ``design``
   sheet holding each stratum's population so that the estimates can be weighted.
3. :func:`read_review` reads the filled-in sheet back; :func:`review_metrics` estimates
   precision per theme (design-weighted over the score bands, with a Wilson interval) and recall
   per theme (from the uncoded sample); :func:`corrected_prevalence` corrects each theme's share
   of respondents for the measured error.

Prevalence review (``unit="respondent"``)
-----------------------------------------
The shares a report publishes are best checked on a simple random sample of *respondents*:
:func:`review_sample` with ``unit="respondent"`` draws ``n`` respondents (default 200) among those
who answered and lists each of their answered comments with the machine's themes; the reviewer
says whether that set is right (``accept``) or writes the right set (``correct-theme``; an empty
``correct_theme`` or ``uncoded`` = no theme). :func:`corrected_prevalence` then estimates each
theme's share of respondents by post-stratification on the machine's decision: with ``N`` the
respondents who answered, ``N1`` of them tagged with the theme by the machine (known exactly),
and in the sample ``k1`` of ``n1`` machine-tagged and ``k0`` of ``n0`` untagged respondents
truly carrying it, the share is ``N1/N * k1/n1 + (N - N1)/N * k0/n0``. Its 95% interval comes
from Jeffreys posteriors of the two proportions (seeded draws), so it carries the measured
tagging error; it does not depend on the machine being right, only on the sample being random.

Decisions
---------
On a tagged row: ``accept`` = the theme is right; ``reject`` = wrong; ``correct-theme`` = wrong,
and ``correct_theme`` names the right theme(s) (``|``-joined; they feed training). On an
``uncoded`` row: ``accept`` = rightly left uncoded; ``correct-theme`` = the machine missed the
theme(s) named in ``correct_theme``; ``reject`` = it carries some theme, not named. Blank
decisions are not reviewed and are left out.

Estimators
----------
* Precision of theme t: ``sum_b (N_tb / N_t) * accepted_tb / reviewed_tb`` over the score bands
  b (N = population in the tags table). Interval: Wilson score interval at that proportion with
  the number of reviewed rows (an approximation for the stratified design; the bands are equal
  thirds by construction, so the weights are nearly equal).
* Missed mentions of t: ``N_uncoded * k_t / n_uncoded`` (k_t = reviewed uncoded rows corrected
  to t). Recall of t: ``P_t N_t / (P_t N_t + missed_t)``. Mentions missed on segments that carry
  another theme are not counted, so recall is an upper bound.
* Intervals of recall and of the corrected prevalence: parametric bootstrap, drawing each
  proportion from its Jeffreys posterior Beta(k + 1/2, n - k + 1/2) (seeded), 2.5-97.5
  percentiles.
* Corrected prevalence: ``share * precision / recall`` clipped to [0, 1] (the Rogan-Gladen
  correction written with precision instead of specificity: true positives are
  ``precision x observed`` and they are ``recall`` of all true cases). Precision and recall are
  measured on segments and applied to respondents: an approximation, stated with the numbers.
"""

from __future__ import annotations

from commentmine._review._base import BANDS as BANDS
from commentmine._review._base import COMMENT_REVIEW_COLUMNS, wilson
from commentmine._review._base import DECISIONS as DECISIONS
from commentmine._review._base import REVIEW_COLUMNS as REVIEW_COLUMNS
from commentmine._review._estimate import corrected_prevalence, review_metrics, training_rows
from commentmine._review._sample import review_sample
from commentmine._review._sheet import read_review, safe_cell, write_review

__all__ = [
    "COMMENT_REVIEW_COLUMNS",
    "review_sample",
    "write_review",
    "read_review",
    "review_metrics",
    "corrected_prevalence",
    "training_rows",
    "wilson",
    "safe_cell",
]
