"""prevalence / crosstab / cooccurrence against hand counts and scipy."""

from __future__ import annotations

import math

import _fixtures_report as F
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from commentmine.errors import CommentmineError
from commentmine.stats import by_question, cooccurrence, crosstab, prevalence, wilson_interval


@pytest.fixture
def data():
    c = F.comments()
    return c, F.tags(c)


def test_wilson_known_values():
    # 14/52 against scipy's Wilson interval and a textbook value (Newcombe 1998: 81/263)
    lo, hi = wilson_interval(14, 52)
    ci = sps.binomtest(14, 52).proportion_ci(method="wilson")
    assert lo == pytest.approx(ci.low, abs=1e-9) and hi == pytest.approx(ci.high, abs=1e-9)
    lo, hi = wilson_interval(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_prevalence_counts_rollup_and_base(data):
    c, t = data
    p = prevalence(t, c, codebook=F.codebook()).set_index("theme")
    # base: 12 survey respondents with an ok answer (r13 said "n/a", int1 is the interviewer)
    assert set(p["base"]) == {12}
    assert p.loc["funding", "respondents"] == 9
    assert p.loc["collaboration", "respondents"] == 3  # r03, r07, r10
    assert p.loc["competition", "respondents"] == 3  # r02, r05, r08
    assert p.loc["collab_comp", "respondents"] == 6  # children rolled up
    assert p.loc["collab_comp", "parent"] == "" and p.loc["competition", "parent"] == "collab_comp"
    assert p.loc["capacity", "respondents"] == 0
    assert list(p.index) == ["funding", "collab_comp", "collaboration", "competition", "capacity"]
    lo, hi = wilson_interval(9, 12)
    assert p.loc["funding", "ci_low"] == pytest.approx(lo)
    assert p.loc["funding", "ci_high"] == pytest.approx(hi)
    assert p.loc["funding", "share"] == pytest.approx(0.75)


def test_prevalence_accepts_comment_level_tags(data):
    c, t = data
    t2 = t[t["theme"] != "uncoded"]
    cl = t2.groupby("comment_id")["theme"].apply(lambda s: "|".join(sorted(set(s)))).reset_index()
    cl = cl.rename(columns={"theme": "themes"}).assign(status="tagged")
    a = prevalence(t, c, codebook=F.codebook())
    b = prevalence(cl, c, codebook=F.codebook())
    pd.testing.assert_frame_equal(a, b)


def test_prevalence_comment_level_and_by_group(data):
    c, t = data
    pc = prevalence(t, c, level="comment").set_index("theme")
    assert pc.loc["funding", "base"] == 12 and pc.loc["funding", "comments"] == 9
    pg = prevalence(t, c, by="org_type", codebook=F.codebook())
    small = pg[(pg["org_type"] == "small charity") & (pg["theme"] == "funding")].iloc[0]
    assert (small["respondents"], small["base"]) == (3, 5)  # r01, r02, r04 of r01-r05
    q = by_question(t, c)
    assert set(q["question"]) == {"experience"}


def test_crosstab_matches_scipy_chi_square():
    rng = np.random.default_rng(0)
    rows, tags = [], []
    for i in range(90):
        grp = ["A", "B", "C"][i % 3]
        rid = f"r{i}"
        rows.append(
            {"comment_id": rid, "respondent_id": rid, "text": "x", "status": "ok", "grp": grp}
        )
        if rng.random() < {"A": 0.2, "B": 0.5, "C": 0.7}[grp]:
            tags.append(
                {
                    "comment_id": rid,
                    "segment_id": rid + "#1",
                    "theme": "t",
                    "start": 0,
                    "end": 1,
                    "text": "x",
                    "score": 1.0,
                }
            )
    c, t = pd.DataFrame(rows), pd.DataFrame(tags)
    x = crosstab(t, c, by="grp", min_cell=5)
    k = x.set_index("group")["respondents"].reindex(["A", "B", "C"]).to_numpy()
    table = np.vstack([k, 30 - k])
    expected = sps.chi2_contingency(table, correction=False)[1]
    assert x["p_value"].iloc[0] == pytest.approx(expected)
    assert x["test"].iloc[0] == "chi2"
    assert not x["suppressed"].any()


def test_crosstab_fisher_for_small_2x2_and_suppression(data):
    c, t = data
    c2 = c[c["org_type"].isin(["small charity", "large charity"])]
    x = crosstab(t, c2, F.codebook(), by="org_type", min_cell=5)
    comp = x[x["theme"] == "competition"].set_index("group")
    # small: r02, r05 mention; large: r08 -> 2/5 vs 1/5, expected counts < 5 -> Fisher
    assert comp.loc["small charity", "respondents"] == 2
    assert comp["test"].iloc[0] == "fisher"
    assert comp["p_value"].iloc[0] == pytest.approx(sps.fisher_exact([[2, 1], [3, 4]])[1])
    assert comp["suppressed"].all()  # 1..4 respondents
    cap = x[x["theme"] == "capacity"]
    assert not cap["suppressed"].any()  # zero is not disclosive
    with pytest.raises(CommentmineError, match="E001"):
        crosstab(t, c, by="sector")


def test_cooccurrence(data):
    c, t = data
    m = cooccurrence(t, F.codebook())
    assert list(m.index) == ["funding", "collab_comp", "capacity"]
    assert m.loc["funding", "funding"] == 9
    # r02 (tender + compete), r07 (consortium bid), r08 (competitive tender): both themes
    assert m.loc["funding", "collab_comp"] == 3 == m.loc["collab_comp", "funding"]
    raw = cooccurrence(t, level="comment")
    assert raw.loc["collaboration", "competition"] == 0


def test_codebook_is_positional_after_the_tables(data):
    # one rule for every stage (issue 19): the tables, then the codebook, then keywords
    c, t = data
    cb = F.codebook()
    p = prevalence(t, c, cb)
    pd.testing.assert_frame_equal(p, prevalence(t, c, codebook=cb))
    assert "collab_comp" in set(p["theme"])  # the roll-up: the codebook was used
    x = crosstab(t, c, cb, by="org_type")
    pd.testing.assert_frame_equal(x, crosstab(t, c, codebook=cb, by="org_type"))
    pd.testing.assert_frame_equal(by_question(t, c, cb), by_question(t, c, codebook=cb))
    m = cooccurrence(t, cb)
    pd.testing.assert_frame_equal(m, cooccurrence(t, codebook=cb))
    assert "collab_comp" in m.index
