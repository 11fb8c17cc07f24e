"""Every comment is counted: comments in = tagged + uncoded + skipped (with a reason).

Checked on the library (``tag(..., level="comment")`` and the segment-level tags table), on the
bundled corpora (CSV and XLSX survey, interview notes), on the dev corpora (slow, sampled) and
through the CLI (the summary line and the run manifest).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from _rb import INTERVIEWS, SURVEY_CSV, SURVEY_XLSX, cli, cli_commands

from commentmine import accounting
from commentmine._segment import segment
from commentmine._tagging._public import tag
from commentmine.ingest import read

SKIP_REASONS = {"empty", "non_answer", "interviewer"}


def assert_accounted(comments: pd.DataFrame, by_comment: pd.DataFrame) -> dict:
    """Check the accounting of a comment-level tags table against its comments table."""
    assert not by_comment.attrs, "run metadata is not kept in attrs"
    acc = accounting(by_comment).as_dict()
    skipped = acc["skipped"]
    assert set(skipped) <= SKIP_REASONS, skipped
    assert acc["comments_in"] == len(comments)
    assert acc["comments_in"] == acc["tagged"] + acc["uncoded"] + sum(skipped.values())
    # one row per comment, same ids, same order
    assert (
        by_comment["comment_id"].astype(str).tolist() == comments["comment_id"].astype(str).tolist()
    )
    counts = by_comment["status"].value_counts().to_dict()
    assert counts.get("tagged", 0) == acc["tagged"]
    assert counts.get("uncoded", 0) == acc["uncoded"]
    for reason, n in skipped.items():
        assert counts.get(reason, 0) == n, (reason, counts)
    assert set(counts) <= {"tagged", "uncoded"} | SKIP_REASONS, counts
    # a skipped comment is skipped for the reason the comments table gives
    merged = comments[["comment_id", "status"]].astype(str).reset_index(drop=True)
    out_status = by_comment["status"].reset_index(drop=True)
    for reason in ("empty", "non_answer"):
        assert ((merged["status"] == reason) == (out_status == reason)).all(), reason
    tagged = by_comment[by_comment["status"] == "tagged"]
    assert (tagged["themes"] != "").all()
    assert (by_comment.loc[by_comment["status"] != "tagged", "themes"] == "").all()
    return acc


def assert_segments_accounted(
    comments: pd.DataFrame, tags: pd.DataFrame, by_comment: pd.DataFrame
) -> None:
    """Segment level: every segment of every answered, non-interviewer comment has a row, and
    the tags count as the comment-level table of the same run does."""
    assert not tags.attrs, "run metadata is not kept in attrs"
    acc = accounting(tags, comments).as_dict()
    assert acc["comments_in"] == len(comments)
    assert acc == assert_accounted(comments, by_comment)
    ok = comments[(comments["status"] == "ok") & ~comments["is_interviewer"].astype(bool)]
    segs = segment(ok)
    assert set(tags["segment_id"]) == set(segs["segment_id"])
    assert (
        tags.groupby("segment_id")["theme"].apply(lambda t: "uncoded" not in set(t) or len(t) == 1)
    ).all()


def _sample(comments: pd.DataFrame, respondents: int) -> pd.DataFrame:
    keep = comments["respondent_id"].drop_duplicates().iloc[:respondents]
    return comments[comments["respondent_id"].isin(keep)].reset_index(drop=True)


def test_bundled_survey_csv_sample() -> None:
    comments = _sample(read(SURVEY_CSV, id_col="respondent_id"), 90)
    assert {"empty", "non_answer"} <= set(comments["status"])  # the sample has real mess
    by_comment = tag(comments, "vcse-pcc", level="comment")
    acc = assert_accounted(comments, by_comment)
    assert acc["skipped"]["empty"] > 0 and acc["skipped"]["non_answer"] > 0


def test_bundled_survey_xlsx_is_the_csv_and_is_accounted() -> None:
    csv = read(SURVEY_CSV, id_col="respondent_id")
    xlsx = read(SURVEY_XLSX, id_col="respondent_id")
    assert xlsx["comment_id"].tolist() == csv["comment_id"].tolist()
    assert xlsx["status"].tolist() == csv["status"].tolist()
    part = xlsx[xlsx["respondent_id"].isin(xlsx["respondent_id"].unique()[200:260])]
    part = part.reset_index(drop=True)
    tags = tag(part, "vcse-pcc")
    assert_segments_accounted(part, tags, tag(part, "vcse-pcc", level="comment"))


def test_bundled_interviews_count_interviewer_turns_as_skipped() -> None:
    comments = read(INTERVIEWS)
    by_comment = tag(comments, "vcse-pcc", level="comment")
    acc = assert_accounted(comments, by_comment)
    assert acc["skipped"]["interviewer"] == int(comments["is_interviewer"].sum()) > 0
    both = tag(comments, "vcse-pcc", level="comment", include_interviewer=True)
    acc2 = assert_accounted(comments, both)
    assert acc2["skipped"].get("interviewer", 0) == 0
    # The run manifest counts from the tables: a tags table that has interviewer turns' rows
    # comes from a run that tagged them, however it reached the manifest (attrs or none).
    from commentmine.export import build_manifest

    tags = tag(comments, "vcse-pcc", include_interviewer=True)
    tags.attrs.clear()  # as read back from a file
    data = build_manifest(tags=tags, comments=comments)["data"]
    assert data["accounting"] == acc2


@pytest.mark.slow
def test_bundled_survey_csv_in_full() -> None:
    comments = read(SURVEY_CSV, id_col="respondent_id")
    assert_accounted(comments, tag(comments, "vcse-pcc", level="comment"))


# Dev corpora: sampled (a seeded 600 rows each) so the slow suite stays within minutes; the
# accounting is arithmetic on statuses and does not depend on corpus size.
DEV = [
    ("nhs_patient_feedback.csv", "nhs_patient_feedback_codebook.csv"),
    ("argkp_arguments.csv", "vcse-pcc"),
    ("semeval14_restaurants.csv", "vcse-pcc"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "codebook"), DEV)
def test_dev_corpora_sampled(shared_corpora: Path, name: str, codebook: str) -> None:
    comments = read(shared_corpora / name, text_cols=["text"], id_col="id")
    assert comments["comment_id"].is_unique
    sample = comments.sample(n=min(600, len(comments)), random_state=0).reset_index(drop=True)
    cb = shared_corpora / codebook if codebook.endswith(".csv") else codebook
    assert_accounted(sample, tag(sample, cb, level="comment"))


# --- through the CLI ------------------------------------------------------------------------------


def test_tag_command_prints_and_writes_the_accounting(tmp_path: Path) -> None:
    assert "tag" in cli_commands()
    comments = _sample(read(SURVEY_CSV, id_col="respondent_id"), 40)
    src = tmp_path / "survey.csv"
    comments.to_csv(src, index=False, lineterminator="\r\n")
    out = tmp_path / "by_comment.csv"
    res = cli("tag", src, "--codebook", "vcse-pcc", "--level", "comment", "--out", out)
    assert res.exit_code == 0, (res.stderr, res.exception)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(table) == len(comments)
    counts = table["status"].value_counts().to_dict()
    said = res.stderr.lower()
    for status in ("tagged", "uncoded", "empty", "non_answer"):
        assert status.replace("_", "") in said.replace("_", "").replace("-", ""), said
        assert str(counts.get(status, 0)) in said, (status, said)
    assert str(len(comments)) in said


def test_quotes_manifest_records_the_counts(tmp_path: Path) -> None:
    comments = _sample(read(SURVEY_CSV, id_col="respondent_id"), 40)
    src = tmp_path / "survey.csv"
    comments.to_csv(src, index=False, lineterminator="\r\n")
    out = tmp_path / "quotes.csv"
    res = cli(
        "quotes", src, "--codebook", "vcse-pcc", "--n", "2", "--out", out,
        "--consent-col", "consent_to_quote",
    )  # fmt: skip
    assert res.exit_code == 0, (res.stderr, res.exception)
    manifest = json.loads((tmp_path / "quotes.manifest.json").read_text(encoding="utf-8"))
    acc = manifest["data"].get("accounting")
    assert acc is not None, f"manifest data has no accounting: {sorted(manifest['data'])}"
    assert acc["comments_in"] == len(comments)
    assert acc["comments_in"] == acc["tagged"] + acc["uncoded"] + sum(acc["skipped"].values())
