"""Review samples: stratified draw, XLSX round trip, precision/recall, corrected prevalence."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from commentmine import errors
from commentmine.review import (
    COMMENT_REVIEW_COLUMNS,
    corrected_prevalence,
    read_review,
    review_metrics,
    review_sample,
    safe_cell,
    wilson,
    write_review,
)


def _tags(n_per_theme: int = 30, n_uncoded: int = 40) -> pd.DataFrame:
    rows = []
    k = 0
    for theme in ("cost", "staff"):
        for i in range(n_per_theme):
            k += 1
            rows.append((f"c{k}", f"c{k}#1", f"{theme} text {i}", theme, round(0.3 + i / 100, 3)))
    for i in range(n_uncoded):
        k += 1
        rows.append((f"c{k}", f"c{k}#1", f"other text {i}", "uncoded", 0.1))
    rows.append(("c999", "c999#1", '=HYPERLINK("http://x")', "cost", 0.5))
    return pd.DataFrame(rows, columns=["comment_id", "segment_id", "text", "theme", "score"])


def test_sample_is_stratified_and_seeded() -> None:
    tags = _tags()
    s = review_sample(tags, per_theme=8, uncoded=10, seed=0)
    cost = s[s["theme"] == "cost"]
    assert cost["band"].value_counts().to_dict() == {"mid": 4, "low": 2, "high": 2}
    assert (s["band"] == "uncoded").sum() == 10
    assert set(s.loc[s["band"] == "uncoded", "theme"]) == {"uncoded"}
    # bands follow the score: every high row scores at least every low row
    assert (
        cost.loc[cost["band"] == "high", "score"].min()
        >= cost.loc[cost["band"] == "low", "score"].max()
    )
    assert s.equals(review_sample(tags, per_theme=8, uncoded=10, seed=0))
    assert not s.equals(review_sample(tags, per_theme=8, uncoded=10, seed=1))
    design = s.attrs["design"]
    assert int(design.loc[design["theme"] == "cost", "population"].sum()) == 31
    # a theme smaller than the request gives all it has
    small = review_sample(tags.iloc[:5], per_theme=20, uncoded=0)
    assert len(small) == 5


def test_formula_injection_is_neutralised(tmp_path) -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("fine") == "fine"
    tags = _tags(n_per_theme=3, n_uncoded=2)
    s = review_sample(tags, per_theme=10, uncoded=5)
    path = tmp_path / "review.xlsx"
    write_review(s, path)
    from openpyxl import load_workbook

    ws = load_workbook(path)["review"]
    texts = [c.value for c in ws["C"][1:]]
    assert '\'=HYPERLINK("http://x")' in texts
    assert all(not str(t).startswith("=") for t in texts)
    assert ws.data_validations.dataValidation[0].formula1 == '"accept,reject,correct-theme"'
    back = read_review(path)
    assert '=HYPERLINK("http://x")' in set(back["text"])  # the apostrophe is dropped on read


def test_xlsx_is_byte_identical(tmp_path) -> None:
    s = review_sample(_tags(), per_theme=6, uncoded=4)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_review(s, a)
    write_review(s, b)
    assert a.read_bytes() == b.read_bytes()


def _fill(path, decide) -> None:
    """Fill the decision columns of a written review sheet like a reviewer would."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["review"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    for row in ws.iter_rows(min_row=2):
        values = {h: row[i].value for h, i in col.items()}
        decision, correct = decide(values)
        row[col["decision"]].value = decision
        row[col["correct_theme"]].value = correct
    wb.save(path)


def test_metrics_from_a_filled_sheet(tmp_path) -> None:
    tags = _tags()
    s = review_sample(tags, per_theme=12, uncoded=20, seed=0)
    path = tmp_path / "review.xlsx"
    write_review(s, path)

    unc_seen = {"n": 0}

    def decide(v):
        if v["theme"] == "cost":
            return "accept", None
        if v["theme"] == "staff":
            return ("accept" if v["band"] != "low" else "reject"), None
        unc_seen["n"] += 1
        return ("correct-theme", "staff") if unc_seen["n"] <= 5 else ("accept", None)

    _fill(path, decide)
    review = read_review(path)
    m = review_metrics(review)
    cost, staff = m["per_theme"]["cost"], m["per_theme"]["staff"]
    assert cost["precision"] == 1.0
    assert cost["recall"] == 1.0
    # staff: low band (a third of the population) all rejected -> design-weighted precision 2/3,
    # although only 3 of 12 reviewed rows (a quarter) were rejected
    assert staff["precision"] == pytest.approx(2 / 3)
    assert staff["reviewed"] == 12
    lo, hi = staff["precision_ci"]
    assert lo < 2 / 3 < hi
    # 5 of 20 reviewed uncoded segments were staff -> 10 of 40 missed; 20 of 30 tagged true
    assert staff["missed_est"] == pytest.approx(10.0)
    assert staff["recall"] == pytest.approx(20 / 30)
    lo, hi = staff["recall_ci"]
    assert lo < 20 / 30 < hi
    assert m["uncoded"]["with_missed_theme"] == 5
    assert m == review_metrics(review)  # seeded
    json.dumps(m)  # plain types

    prev = pd.DataFrame({"theme": ["cost", "staff"], "respondents": [40, 30], "base": [100, 100]})
    corr = corrected_prevalence(prev, review)
    row = corr.set_index("theme").loc["staff"]
    assert row["corrected_share"] == pytest.approx(0.30 * (2 / 3) / (20 / 30))
    assert row["ci_low"] < row["corrected_share"] < row["ci_high"]
    # the corrected interval is wider than the share's own (Wilson) interval
    w_lo, w_hi = wilson(30, 100)
    assert row["ci_high"] - row["ci_low"] > w_hi - w_lo
    same = corrected_prevalence({"staff": (30, 100)}, review)
    assert same["corrected_share"].iloc[0] == pytest.approx(row["corrected_share"])


def test_bad_decision_is_reported(tmp_path) -> None:
    s = review_sample(_tags(n_per_theme=3, n_uncoded=2), per_theme=3, uncoded=2)
    path = tmp_path / "review.xlsx"
    write_review(s, path)
    _fill(path, lambda v: ("maybe", None))
    with pytest.raises(errors.CommentmineError, match="E602"):
        read_review(path)


def test_wilson_matches_statsmodels_formula() -> None:
    lo, hi = wilson(8, 10)
    # reference values of the Wilson score interval for 8/10 at 95%
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)
    assert np.isnan(wilson(0, 0)[0])


def test_cli_review_round_trip(tmp_path) -> None:
    from typer.testing import CliRunner

    from commentmine.cli import app

    tags_path = tmp_path / "tags.csv"
    _tags().to_csv(tags_path, index=False)
    out = tmp_path / "review.xlsx"
    runner = CliRunner()
    res = runner.invoke(
        app, ["review-sample", str(tags_path), "--out", str(out), "--per-theme", "6", "-q"]
    )
    assert res.exit_code == 0, res.output
    _fill(out, lambda v: ("accept", None))
    metrics = tmp_path / "review_metrics.json"
    res = runner.invoke(
        app, ["review-read", str(out), "--tags", str(tags_path), "--out", str(metrics), "-q"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(metrics.read_text())
    assert data["per_theme"]["cost"]["precision"] == 1.0
    assert data["uncoded"]["population"] == 40


def test_training_rows_from_review() -> None:
    from commentmine.review import training_rows

    review = pd.DataFrame(
        {
            "segment_id": ["a#1", "a#1", "b#1", "c#1", "d#1", "e#1"],
            "comment_id": ["a", "a", "b", "c", "d", "e"],
            "text": ["t1", "t1", "t2", "t3", "t4", "t5"],
            "theme": ["cost", "staff", "cost", "uncoded", "uncoded", "wait"],
            "decision": ["accept", "reject", "correct-theme", "correct-theme", "reject", ""],
            "correct_theme": ["", "", "wait|staff", "food", "", ""],
        }
    )
    rows = training_rows(review)
    assert rows.to_dict(orient="list") == {
        "segment_id": ["a#1", "b#1", "c#1"],
        "comment_id": ["a", "b", "c"],
        "text": ["t1", "t2", "t3"],
        "labels": ["cost", "staff|wait", "food"],
    }


# --- prevalence review: a random sample of respondents --------------------------------------


def _overstated(n: int = 1000) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    """Comment-level tags where the machine gives 'cost' to 40% but only 10% raise it."""
    rows, truth = [], {}
    for i in range(n):
        machine = "cost" if i % 10 < 4 else "staff"
        rows.append((f"c{i}", f"r{i}", f"answer {i}", "tagged", machine))
        truth[f"c{i}"] = {"cost"} if i % 10 == 0 else {"staff"}
    tags = pd.DataFrame(rows, columns=["comment_id", "respondent_id", "text", "status", "themes"])
    return tags, truth


def _review_as(sample: pd.DataFrame, truth: dict[str, set[str]]) -> pd.DataFrame:
    done = sample.copy()
    for i, (cid, theme) in enumerate(zip(done["comment_id"], done["theme"], strict=True)):
        right = truth[cid]
        if set(theme.split("|")) == right:
            done.loc[i, "decision"] = "accept"
        else:
            done.loc[i, "decision"] = "correct-theme"
            done.loc[i, "correct_theme"] = "|".join(sorted(right))
    return done


def test_respondent_sample_is_a_seeded_random_sample_of_respondents() -> None:
    tags, _ = _overstated(300)
    s = review_sample(tags, unit="respondent", n=50, seed=0)
    assert list(s.columns) == COMMENT_REVIEW_COLUMNS
    assert s["respondent_id"].nunique() == 50 and len(s) == 50
    assert set(s["theme"]) <= {"cost", "staff"}
    assert s.equals(review_sample(tags, unit="respondent", n=50, seed=0))
    assert not s.equals(review_sample(tags, unit="respondent", n=50, seed=1))
    design = s.attrs["design"]
    assert design[["population", "sampled"]].iloc[0].tolist() == [300, 50]
    with pytest.raises(errors.CommentmineError, match="unit must be"):
        review_sample(tags, unit="page")


def test_respondent_review_round_trip_and_corrected_share(tmp_path) -> None:
    tags, truth = _overstated()
    sample = review_sample(tags, unit="respondent", n=200, seed=3)
    path = tmp_path / "review.xlsx"
    write_review(sample, path)
    back = read_review(path)
    assert list(back.columns) == COMMENT_REVIEW_COLUMNS
    done = _review_as(back, truth)
    prev = pd.DataFrame(
        {"theme": ["cost", "staff"], "respondents": [400, 600], "base": [1000, 1000]}
    )
    corr = corrected_prevalence(prev, done).set_index("theme")
    cost = corr.loc["cost"]
    assert cost["share"] == 0.4
    # the machine says 40%; the review brings it back near the true 10%
    assert cost["ci_low"] <= 0.10 <= cost["ci_high"]
    assert cost["ci_high"] < 0.4
    assert abs(cost["corrected_share"] - 0.10) < 0.04
    staff = corr.loc["staff"]
    assert staff["ci_low"] <= 0.90 <= staff["ci_high"]
    m = review_metrics(done)
    assert m["unit"] == "respondent" and m["reviewed"] == 200
    assert m["per_theme"]["cost"]["precision"] < 0.5
    assert corr.equals(corrected_prevalence(prev, done).set_index("theme"))  # seeded


def test_a_perfect_review_never_makes_a_share_surer_than_its_respondents() -> None:
    """When the review finds the machine right, the corrected interval keeps the sampling
    error of the respondents: it is about as wide as the machine's own Wilson interval."""
    from commentmine.stats import wilson_interval

    tags, _ = _overstated(400)
    machine = {c: {t} for c, t in zip(tags["comment_id"], tags["themes"], strict=True)}
    done = _review_as(review_sample(tags, unit="respondent", n=100, seed=0), machine)
    prev = pd.DataFrame({"theme": ["cost"], "respondents": [160], "base": [400]})
    cost = corrected_prevalence(prev, done).set_index("theme").loc["cost"]
    lo, hi = wilson_interval(160, 400)
    assert cost["corrected_share"] == pytest.approx(0.4)
    assert cost["ci_high"] - cost["ci_low"] >= 0.9 * (hi - lo)


def test_a_respondent_with_an_unreviewed_answer_is_left_out() -> None:
    tags, truth = _overstated(100)
    sample = review_sample(tags, unit="respondent", n=10, seed=0)
    done = _review_as(sample, truth)
    done.loc[0, "decision"] = ""
    assert review_metrics(done)["reviewed"] == 9
