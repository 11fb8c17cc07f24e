"""Readers: every format on real files in tests/data, wide -> long, detection, statuses, errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import commentmine as cm
from commentmine import ingest
from commentmine._tables import COMMENT_COLUMNS
from commentmine.errors import InputError

SURVEY_FILES = [
    "survey_utf8.csv",
    "survey_utf8_sig.csv",
    "survey_cp1252.csv",
    "survey_semicolon.csv",
    "survey_tab.csv",
    "survey_utf16.csv",
    "survey.json",
    "survey.jsonl",
    "survey.parquet",
    "survey_two_sheets.xlsx",
]
FIRST_ANSWER = (
    "Funding is too short-term: twelve months at most, so we can’t keep staff. "
    "A £10,000 pot is not enough."
)
EXPECTED_IDS = [
    "007:funding",
    "007:engagement",
    "008:funding",
    "008:engagement",
    "2024-03-01:funding",
    "2024-03-01:engagement",
    "010:funding",
    "010:engagement",
]
EXPECTED_STATUS = ["ok", "ok", "non_answer", "ok", "empty", "ok", "ok", "non_answer"]

WIDE = pd.DataFrame(
    {
        "rid": ["a1", "a2", "a3"],
        "size": ["small", "large", "micro"],
        "why": [
            "Grants are far too short-term for us to plan ahead.",
            "n/a",
            "  ",
        ],
        "other": [
            "Our PCC has never visited the project in six years.",
            "The OPCC commissioning team is helpful and honest.",
            "None.",
        ],
    }
)


def _read(data_dir: Path, name: str, **kw) -> pd.DataFrame:
    if name.endswith(".xlsx"):
        kw.setdefault("sheet", "responses")
    return cm.read(data_dir / name, **kw)


# --- every reader gives the same table ----------------------------------------------------


@pytest.mark.parametrize("name", SURVEY_FILES)
def test_each_survey_reader(data_dir: Path, name: str) -> None:
    df = _read(data_dir, name, id_col="id")
    assert list(df.columns[: len(COMMENT_COLUMNS)]) == COMMENT_COLUMNS
    assert df["comment_id"].tolist() == EXPECTED_IDS
    assert df["respondent_id"].tolist()[::2] == ["007", "008", "2024-03-01", "010"]
    assert df["status"].tolist() == EXPECTED_STATUS
    assert df["text"].iloc[0] == FIRST_ANSWER  # £ and ’ survive every encoding
    assert df["text"].iloc[6] == (
        "- Multi-year grants for small charities\n- Simpler forms\n- Feedback on bids"
    )
    assert (df["source"] == name).all()
    assert (df["speaker"] == "").all() and not df["is_interviewer"].any()
    assert df["is_interviewer"].dtype == bool
    # metadata carried along, the id column too
    assert df["region"].tolist()[::2] == ["Wales", "North East", "London", "South West"]
    assert df["id"].tolist()[::2] == ["007", "008", "2024-03-01", "010"]
    assert df.attrs["detected_text_cols"] == ["funding", "engagement"]


def test_all_formats_agree(data_dir: Path) -> None:
    tables = [
        _read(data_dir, n, id_col="id").drop(columns=["source", "score"], errors="ignore")
        for n in SURVEY_FILES
    ]
    for t in tables[1:]:
        pd.testing.assert_frame_equal(t, tables[0])


def test_parquet_typed_column_becomes_text(data_dir: Path) -> None:
    df = cm.read(data_dir / "survey.parquet", id_col="id", text_cols=["funding"])
    assert df["score"].tolist() == ["1", "", "3", "4"]


def test_xlsx_sheet_by_name_index_and_default(data_dir: Path) -> None:
    by_name = cm.read(data_dir / "survey_two_sheets.xlsx", sheet="responses", id_col="id")
    by_index = cm.read(data_dir / "survey_two_sheets.xlsx", sheet=1, id_col="id")
    pd.testing.assert_frame_equal(by_name, by_index)
    first = cm.read(data_dir / "survey_two_sheets.xlsx", text_cols=["note"])
    assert first["text"].tolist() == ["Test survey written for commentmine."]


def test_xlsx_missing_sheet_lists_sheets(data_dir: Path) -> None:
    with pytest.raises(InputError) as exc:
        cm.read(data_dir / "survey_two_sheets.xlsx", sheet="respones")
    assert exc.value.code == "E001"
    assert "'about', 'responses'" in str(exc.value) and "Did you mean 'responses'" in str(exc.value)
    with pytest.raises(InputError, match="E001"):
        cm.read(data_dir / "survey_two_sheets.xlsx", sheet=5)


# --- wide -> long ---------------------------------------------------------------------------


def test_one_text_column_uses_the_id() -> None:
    df = cm.read(WIDE, text_cols="why", id_col="rid")
    assert df["comment_id"].tolist() == ["a1", "a2", "a3"]
    assert df["question"].tolist() == ["why"] * 3
    assert df["other"].tolist() == WIDE["other"].tolist()  # other text column carried along
    assert "detected_text_cols" not in df.attrs


def test_several_text_columns_and_row_numbers() -> None:
    df = cm.read(WIDE, text_cols=["why", "other"])
    assert df["comment_id"].tolist() == ["1:why", "1:other", "2:why", "2:other", "3:why", "3:other"]
    assert df["respondent_id"].tolist() == ["1", "1", "2", "2", "3", "3"]
    assert df["rid"].tolist() == ["a1", "a1", "a2", "a2", "a3", "a3"]
    assert df["status"].tolist() == ["ok", "ok", "non_answer", "ok", "empty", "non_answer"]
    assert df["text"].iloc[4] == "  "  # text kept verbatim, nothing dropped


def test_clashing_metadata_columns_are_suffixed() -> None:
    wide = WIDE.assign(question=["x", "y", "z"], text=["t1", "t2", "t3"])
    df = cm.read(wide, text_cols=["why"], id_col="rid")
    assert df["question"].tolist() == ["why"] * 3
    assert df["question_input"].tolist() == ["x", "y", "z"]
    assert df["text_input"].tolist() == ["t1", "t2", "t3"]


def test_nan_and_numbers_become_text() -> None:
    wide = pd.DataFrame({"n": [1, 2], "t": ["A long enough answer about funding", float("nan")]})
    df = cm.read(wide, text_cols=["t"], id_col="n")
    assert df["comment_id"].tolist() == ["1", "2"]
    assert df["text"].tolist() == ["A long enough answer about funding", ""]
    assert df["status"].tolist() == ["ok", "empty"]


def test_comments_table_round_trips(tmp_path: Path, data_dir: Path) -> None:
    df = cm.read(data_dir / "interview.md")
    path = tmp_path / "comments.csv"
    df.to_csv(path, index=False)
    back = cm.read(path)
    assert back.attrs.get("comments_table") is True
    assert back["is_interviewer"].tolist() == df["is_interviewer"].tolist()
    assert back["comment_id"].tolist() == df["comment_id"].tolist()


# --- detection --------------------------------------------------------------------------------


def test_detection_skips_short_repeated_and_id_like_columns() -> None:
    n = 12
    wide = pd.DataFrame(
        {
            "email": [f"person{i}@example.org" for i in range(n)],
            "org_type": ["charity", "CIC", "community group"] * 4,
            "areas": ["victims and witnesses; domestic abuse; young people"] * n,
            "answer": [
                f"Answer number {i} says funding rounds are far too short." for i in range(n)
            ],
        }
    )
    assert ingest.detect_text_columns(wide) == ["answer"]
    assert cm.read(wide).attrs["detected_text_cols"] == ["answer"]


def test_no_text_column_is_e007() -> None:
    with pytest.raises(InputError) as exc:
        cm.read(pd.DataFrame({"a": ["1", "2"], "b": ["x", "y"]}))
    assert exc.value.code == "E007" and "'a', 'b'" in str(exc.value)


def test_bundled_survey_detection(data_dir: Path) -> None:
    corpus = data_dir.parents[1] / "corpora" / "vcse_pcc_survey.csv"
    df = cm.read(corpus, id_col="respondent_id")
    assert df.attrs["detected_text_cols"] == [
        "engagement_experience",
        "funding_improvements",
        "collaboration",
        "other_comments",
    ]
    assert df["respondent_id"].nunique() >= 300
    assert set(df["status"]) == {"ok", "empty", "non_answer"}


# --- statuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "N/A",
        "n/a",
        "NA",
        "none",
        "None.",
        "nothing",
        "No comment",
        "no comments!",
        "-",
        "--",
        ".",
        "Not applicable",
        "No",
        "nil",
        "Don't know",
        "dont know",
        "don’t know",
        "No answer",
        "?",
    ],
)
def test_non_answers(text: str) -> None:
    assert ingest.answer_status(text) == "non_answer"


@pytest.mark.parametrize("text", ["", " ", "\n\t", None, float("nan")])
def test_empty(text: object) -> None:
    assert ingest.answer_status(text) == "empty"


@pytest.mark.parametrize("text", ["Yes", "No funding at all", "None of the above applies", "👍"])
def test_ok(text: str) -> None:
    assert ingest.answer_status(text) == "ok"


# --- interviews -------------------------------------------------------------------------------


def test_txt_interview(data_dir: Path) -> None:
    df = cm.read(data_dir / "interview.txt")
    # the preamble ("Notes of interview, 4 March 2024. Interviewer: JS.") is metadata, not a turn
    assert df["comment_id"].tolist() == [f"interview:{i}" for i in range(1, 7)]
    assert df["speaker"].tolist() == ["Q", "A", "Q", "A", "JS", "KP"]
    assert df["question"].tolist() == ["Funding"] * 4 + ["Partnership"] * 2
    # Q and JS (declared "Interviewer: JS" in the preamble) are the interviewer
    assert df["is_interviewer"].tolist() == [True, False, True, False, True, False]
    assert df["text"].iloc[1] == (
        "Mostly annual grants from the OPCC.\nWe never know until March whether it continues."
    )
    assert (df["respondent_id"] == "interview").all() and (df["source"] == "interview.txt").all()
    assert (df["date"] == "2024-03-04").all()


def test_md_interview(data_dir: Path) -> None:
    df = cm.read(data_dir / "interview.md")
    assert df["speaker"].tolist() == ["Interviewer", "Sarah Jones", "Interviewer", "Sarah Jones"]
    # the title heading "# Interview with a network lead" is header, not a question
    assert df["question"].tolist() == ["Engagement", "Engagement", "Next steps", "Next steps"]
    assert (df["role"] == "network lead").all() and (df["date"] == "2024-03-05").all()
    assert df["text"].iloc[1] == (
        "Twice a year, at the VCSE forum.\n- Agendas are set by the OPCC\n- Little time for questions"
    )
    assert df["status"].tolist()[-1] == "non_answer"


def test_docx_interview(data_dir: Path) -> None:
    df = cm.read(data_dir / "interview.docx")
    assert df["speaker"].tolist() == ["Interviewer", "Dan Okafor"] * 2
    assert df["question"].tolist() == ["Commissioning"] * 2 + ["Sector voice"] * 2
    assert df["text"].iloc[1] == (
        "Through grants and contracts.\n- Grants up to £10,000\n- Contracts for victims' services"
    )
    assert df["is_interviewer"].tolist() == [True, False, True, False]


def test_interviewer_labels_are_configurable(data_dir: Path) -> None:
    df = cm.read_interviews(data_dir / "interview.txt", interviewer_labels=["KP"])
    assert df.loc[df["is_interviewer"], "speaker"].tolist() == ["JS", "KP"]


def test_folder_of_interviews(tmp_path: Path, data_dir: Path) -> None:
    for name in ["interview.docx", "interview.txt"]:
        (tmp_path / name.replace("interview", f"b_{name.split('.')[1]}")).write_bytes(
            (data_dir / name).read_bytes()
        )
    (tmp_path / "a.md").write_bytes((data_dir / "interview.md").read_bytes())
    (tmp_path / "~$lock.docx").write_bytes(b"junk")
    (tmp_path / "ignore.csv").write_text("x\n1\n")
    df = cm.read(tmp_path)
    assert df["source"].unique().tolist() == ["a.md", "b_docx.docx", "b_txt.txt"]
    assert df["comment_id"].iloc[0] == "a:1"


def test_label_heuristics() -> None:
    lines = [
        ("Note: this line is not a turn.", None),
        ("Q: First question?", None),
        ("PCC: not a speaker either", None),
        ("Jane Doe: an answer", None),
        ("Q: Next?", None),
        ("Jane Doe: another answer", None),
        ("See http://example.org: not a label", None),
    ]
    speakers = ingest._speaker_labels(lines)
    assert speakers == {"Q", "Jane Doe"}
    turns = ingest._turns(lines, speakers)
    assert [t[1] for t in turns] == ["", "Q", "Jane Doe", "Q", "Jane Doe"]
    assert turns[0][2] == "Note: this line is not a turn."
    assert turns[1][2] == "First question?\nPCC: not a speaker either"


def test_duplicate_file_stems_are_e005(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "x.txt").write_bytes((data_dir / "interview.txt").read_bytes())
    (tmp_path / "x.md").write_bytes((data_dir / "interview.md").read_bytes())
    with pytest.raises(InputError, match=r"E005.*x \(x\.md, x\.txt\)"):
        cm.read(tmp_path)


def test_survey_options_on_interviews_are_refused(data_dir: Path) -> None:
    with pytest.raises(InputError, match="E301.*--text-col applies to survey exports"):
        cm.read(data_dir / "interview.txt", text_cols=["x"])


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "why"),
    [
        ("empty.csv", "E004", "0 bytes"),
        ("binary.csv", "E002", "binary data"),
        ("bad_encoding.csv", "E002", "not valid in any supported encoding"),
        ("unclosed_quote.csv", "E002", "never closed"),
        ("truncated.xlsx", "E002", "truncated or corrupt"),
        ("truncated.docx", "E002", "truncated or corrupt"),
        ("does_not_exist.csv", "E003", "not found"),
    ],
)
def test_bad_files(data_dir: Path, name: str, code: str, why: str) -> None:
    with pytest.raises(InputError) as exc:
        cm.read(data_dir / name)
    assert exc.value.code == code
    assert why in str(exc.value) and name in str(exc.value)


def test_header_only_is_an_empty_table_with_a_note(data_dir: Path) -> None:
    df = cm.read(data_dir / "header_only.csv", id_col="id")
    assert len(df) == 0 and list(df.columns[:8]) == COMMENT_COLUMNS
    assert "header but no rows" in df.attrs["note"]


def test_missing_column_names_the_closest(data_dir: Path) -> None:
    with pytest.raises(InputError) as exc:
        cm.read(data_dir / "survey_utf8.csv", text_cols=["fundng"])
    assert exc.value.code == "E001"
    assert "'id', 'org_type'" in str(exc.value) and "Did you mean 'funding'" in str(exc.value)
    with pytest.raises(InputError, match="E001.*id column 'ID'"):
        cm.read(data_dir / "survey_utf8.csv", id_col="ID")


def test_duplicate_ids_are_named(data_dir: Path) -> None:
    with pytest.raises(InputError) as exc:
        cm.read(data_dir / "duplicate_ids.csv", id_col="id")
    assert exc.value.code == "E005" and "'008'" in str(exc.value)


def test_blank_ids_are_e009() -> None:
    with pytest.raises(InputError, match=r"E009.*row\(s\) '3'"):
        cm.read(WIDE.assign(rid=["a1", " ", "a3"]), text_cols="why", id_col="rid")


def test_unsupported_extension_and_directory(tmp_path: Path) -> None:
    (tmp_path / "survey.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match="E006.*Supported: '.csv'"):
        cm.read(tmp_path / "survey.pdf")
    (tmp_path / "survey.pdf").unlink()
    (tmp_path / "s.csv").write_text("a\n1\n")
    with pytest.raises(InputError, match="E008"):
        cm.read(tmp_path)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_unsafe_zip_members_are_refused(tmp_path: Path) -> None:
    evil = _zip(tmp_path / "evil.xlsx", {"../../etc/passwd": b"x", "[Content_Types].xml": b""})
    with pytest.raises(InputError, match="E002.*unsafe member path"):
        cm.read(evil)
    absolute = _zip(tmp_path / "abs.docx", {"/tmp/x": b"x"})
    with pytest.raises(InputError, match="E002.*unsafe member path"):
        cm.read(absolute)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.docx", {"word/document.xml": b"\0" * (8 << 20)})
    with pytest.raises(InputError, match="E002.*expands more than"):
        cm.read(bomb)


def test_not_a_real_docx_is_e002(tmp_path: Path) -> None:
    fake = _zip(tmp_path / "fake.docx", {"hello.txt": b"not word"})
    with pytest.raises(InputError, match="E002.*not a readable DOCX"):
        cm.read(fake)


# --- robustness -------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=80,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(_TEXT, min_size=1, max_size=6))
def test_csv_round_trip_keeps_any_text(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "any.csv"
    # CRLF rows, so that the writer quotes every field holding "\r" (as write_table does)
    pd.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "answer": texts}).to_csv(
        path, index=False, encoding="utf-8", lineterminator="\r\n"
    )
    df = cm.read(path, text_cols=["answer"], id_col="id")
    assert len(df) == len(texts)  # every row accounted for
    assert df["text"].tolist() == texts
    assert set(df["status"]) <= {"ok", "empty", "non_answer"}


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.one_of(st.text(max_size=50), st.none(), st.just(float("nan"))), min_size=1, max_size=6
    )
)
def test_frame_input_never_crashes(texts: list[object]) -> None:
    df = cm.read(pd.DataFrame({"answer": texts}, dtype=object), text_cols="answer")
    assert df["comment_id"].tolist() == [str(i) for i in range(1, len(texts) + 1)]
    assert all(isinstance(t, str) for t in df["text"])


def test_huge_comment(tmp_path: Path) -> None:
    big = "Funding is short-term. " * 450_000  # ~10 MB in one cell
    path = tmp_path / "big.csv"
    pd.DataFrame({"id": ["1", "2"], "answer": [big, "n/a"]}).to_csv(path, index=False)
    df = cm.read(path, id_col="id")
    assert df.attrs["detected_text_cols"] == ["answer"]
    assert df["text"].iloc[0] == big and df["status"].tolist() == ["ok", "non_answer"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "text_col"),
    [
        ("nhs_patient_feedback.csv", "text"),
        ("semeval14_restaurants.csv", "text"),
        ("argkp_arguments.csv", "text"),
    ],
)
def test_dev_corpora_detect_their_text_column(
    shared_corpora: Path, name: str, text_col: str
) -> None:
    df = cm.read(shared_corpora / name, id_col="id")
    assert df.attrs["detected_text_cols"] == [text_col]
    assert df["comment_id"].is_unique
    assert len(df) == len(pd.read_csv(shared_corpora / name, dtype=str))


def test_bundled_interviews(data_dir: Path) -> None:
    folder = data_dir.parents[1] / "corpora" / "interviews"
    df = cm.read(folder)
    assert sorted({Path(s).suffix for s in df["source"]}) == [".docx", ".md", ".txt"]
    assert df["source"].nunique() >= 6
    assert df["is_interviewer"].any() and (~df["is_interviewer"]).any()
    # every file has a heading-derived question, except the one written without headings
    with_q = df[df["question"] != ""].groupby("source").size()
    assert set(df["source"]) - set(with_q.index) == {"small_charity_ceo.txt"}


# --- the shapes people have (issue 20) --------------------------------------------------------

LONG = pd.DataFrame(
    {
        "answer_id": ["a1", "a2", "a3", "a4", "a5"],
        "respondent": ["r1", "r1", "r1", "r2", "r2"],
        "question_id": ["q1", "q2", "q3", "q1", "q2"],
        "answer": [
            "Grants are far too short-term for us to plan ahead.",
            "The OPCC never answers our emails.",
            "n/a",
            "Commissioning favours the big providers every time.",
            "We share training with two other charities.",
        ],
    }
)


def test_long_format_counts_respondents_not_rows() -> None:
    df = cm.read(LONG, text_cols="answer", id_col="answer_id", respondent_col="respondent")
    assert df["comment_id"].tolist() == ["a1", "a2", "a3", "a4", "a5"]
    assert df["respondent_id"].tolist() == ["r1", "r1", "r1", "r2", "r2"]
    assert df["question_id"].tolist() == LONG["question_id"].tolist()  # carried as metadata
    # without an id column, rows are numbered and the respondent still comes from its column
    numbered = cm.read(LONG, text_cols="answer", respondent_col="respondent")
    assert numbered["comment_id"].tolist() == ["1", "2", "3", "4", "5"]
    assert numbered["respondent_id"].nunique() == 2
    tags = pd.DataFrame(
        {
            "comment_id": ["a1", "a2", "a4"],
            "segment_id": ["a1#1", "a2#1", "a4#1"],
            "theme": ["funding", "engagement", "funding"],
        }
    )
    prev = cm.prevalence(tags, df).set_index("theme")
    assert prev.loc["funding", "respondents"] == 2 and prev.loc["funding", "base"] == 2
    assert prev.loc["engagement", "share"] == 0.5  # 1 of 2 respondents, not 1 of 4 answers


def test_long_format_repeated_id_says_to_use_the_respondent_column() -> None:
    with pytest.raises(InputError) as exc:
        cm.read(LONG, text_cols="answer", id_col="respondent")
    assert exc.value.code == "E005" and "--respondent-col" in str(exc.value)
    with pytest.raises(InputError, match="E001.*respondent column 'resp'"):
        cm.read(LONG, text_cols="answer", respondent_col="resp")
    with pytest.raises(InputError, match=r"E009.*row\(s\) '3'"):
        cm.read(LONG.assign(respondent=["r1", "", "r1", "r2", "r2"]), respondent_col="respondent")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_tab_delimited_is_read(tmp_path: Path, encoding: str) -> None:
    # Excel's "Unicode text" export: UTF-16 (little-endian with a BOM), tab-delimited
    path = tmp_path / "unicode_text.csv"
    text = "id\tanswer\r\n1\tFunding is too short-term: £10k for a year.\r\n2\tThe PCC’s office helps.\r\n"
    path.write_bytes(text.encode(encoding))
    df = cm.read(path, id_col="id", text_cols="answer")
    assert df["text"].tolist() == [
        "Funding is too short-term: £10k for a year.",
        "The PCC’s office helps.",
    ]


def _two_sheet_workbook(path: Path) -> None:
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Notes": ["Exported from the survey tool.", "Do not circulate."]}).to_excel(
            writer, sheet_name="About", index=False
        )
        LONG.to_excel(writer, sheet_name="Responses", index=False)


def test_xlsx_reads_the_first_sheet_with_free_text(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    _two_sheet_workbook(path)
    df = cm.read(path, id_col="answer_id")
    assert df.attrs["detected_text_cols"] == ["answer"]
    assert "read sheet 'Responses'" in df.attrs["note"] and "'About' has none" in df.attrs["note"]
    # given columns pick the sheet that has them
    named = cm.read(path, text_cols="answer", respondent_col="respondent")
    assert named["respondent_id"].nunique() == 2
    # a sheet named on purpose is read as it is
    about = cm.read(path, sheet="About", text_cols="Notes")
    assert about["text"].tolist() == ["Exported from the survey tool.", "Do not circulate."]


def test_xlsx_without_free_text_names_every_sheet(tmp_path: Path) -> None:
    path = tmp_path / "codes.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Notes": ["x"]}).to_excel(writer, sheet_name="About", index=False)
        pd.DataFrame({"id": ["1", "2"], "size": ["small", "large"]}).to_excel(
            writer, sheet_name="Data", index=False
        )
    with pytest.raises(InputError) as exc:
        cm.read(path)
    assert exc.value.code == "E007"
    assert "'About' ('Notes'); 'Data' ('id', 'size')" in str(exc.value)
    with pytest.raises(InputError) as exc:
        cm.read(path, text_cols="comment")
    assert exc.value.code == "E001" and "no sheet has the column(s) 'comment'" in str(exc.value)


def test_wrong_sheet_lists_the_sheets_not_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    _two_sheet_workbook(path)
    with pytest.raises(InputError) as exc:
        cm.read(path, sheet="Respnses")
    message = str(exc.value)
    assert exc.value.code == "E001" and "Columns found" not in message
    assert "Sheets in the workbook: 'About', 'Responses'" in message
    assert "Did you mean 'Responses'?" in message


@pytest.mark.parametrize(
    "values",
    [
        [str(i * 37 % 1000) for i in range(200)],  # scores
        [f"R{i:04d}" for i in range(50)],  # ids
        [f"{1 + i % 28:02d}/03/2024" for i in range(30)],  # dates
        [f"£{i},000" for i in range(12)] + ["n/a", ""],  # amounts, with non-answers
    ],
)
def test_a_column_of_numbers_or_ids_is_refused_as_text(values: list[str]) -> None:
    frame = pd.DataFrame({"id": [f"x{i}" for i in range(len(values))], "col": values})
    with pytest.raises(InputError) as exc:
        cm.read(frame, text_cols="col", id_col="id")
    assert exc.value.code == "E010" and "holds numbers or ids, not free text" in str(exc.value)


def test_short_or_mixed_answers_are_still_text() -> None:
    few = pd.DataFrame({"col": ["2", "3", "No idea, sorry."]})
    assert len(cm.read(few, text_cols="col")) == 3  # too few values to judge
    mixed = pd.DataFrame({"col": [str(i) for i in range(15)] + ["Funding is short."] * 5})
    assert len(cm.read(mixed, text_cols="col")) == 20  # a quarter are words


NOTES_WITH_HEADER = """\
Interview with Jane Doe, Director, Safe Homes Trust, 12 March 2024

Q: How is your work funded?
A: Mostly annual grants from the OPCC.
Q: Anything else?
A: The PCC should visit.
"""


def test_interview_header_line_is_metadata_not_a_turn(tmp_path: Path) -> None:
    path = tmp_path / "jane.txt"
    path.write_text(NOTES_WITH_HEADER, encoding="utf-8")
    df = cm.read(path)
    assert df["speaker"].tolist() == ["Q", "A", "Q", "A"]
    assert not df["text"].str.contains("Interview with").any()
    assert df[["date", "interviewee", "role", "organisation"]].iloc[0].tolist() == [
        "2024-03-12",
        "Jane Doe",
        "Director",
        "Safe Homes Trust",
    ]


def test_interview_header_fields_and_notes_without_speakers(tmp_path: Path) -> None:
    fields = tmp_path / "fields.md"
    fields.write_text(
        "# Interview notes\n\nInterviewee: Sam Patel\nRole: network lead\nDate: 03/04/2024\n\n"
        "## Funding\n\n**Interviewer:** How is funding?\n\n**Sam Patel:** Short-term.\n\n"
        "**Interviewer:** And the PCC?\n\n**Sam Patel:** Rarely seen.\n",
        encoding="utf-8",
    )
    df = cm.read(fields)
    assert df["speaker"].tolist() == ["Interviewer", "Sam Patel"] * 2
    assert df["question"].tolist() == ["Funding"] * 4
    assert df[["date", "interviewee", "role"]].iloc[0].tolist() == [
        "2024-04-03",
        "Sam Patel",
        "network lead",
    ]
    plain = tmp_path / "plain.txt"
    plain.write_text(
        "Interview with the chair of a community group, 5 May 2024\n\n"
        "They said funding is short-term. Nobody asked them about the plan.\n",
        encoding="utf-8",
    )
    df = cm.read(plain)
    assert df["text"].tolist() == [
        "They said funding is short-term. Nobody asked them about the plan."
    ]
    assert df[["date", "role"]].iloc[0].tolist() == ["2024-05-05", "chair of a community group"]
