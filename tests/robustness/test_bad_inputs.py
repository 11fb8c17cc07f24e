"""Malformed inputs through every command: one line on stderr, exit 2, no output left behind.

Each bad input is tried on each command that reads it (read, segment, tag, quotes, report,
discover, evaluate), once with no output present (nothing, not even a ``.part`` file, may be
created) and once over an existing output (which must stay byte-identical). Odd but valid inputs
(semicolon/tab CSV, cp1252, a header with no rows) must work. The table of what each input gets
is in docs/bad_inputs.md (regenerate with ``COMMENTMINE_BAD_INPUTS_TABLE=docs/bad_inputs.md``).
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from _rb import DATA, TINY_CODEBOOK_YAML, cli, cli_commands, run_subprocess

# --- the bad inputs ----------------------------------------------------------------------------


def _copy(name: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        dst = tmp / "in" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes((DATA / name).read_bytes())
        return dst

    return make


def _missing(tmp: Path) -> Path:
    return tmp / "in" / "no_such_file.csv"


def _directory(tmp: Path) -> Path:
    d = tmp / "in" / "a_folder"
    d.mkdir(parents=True)
    (d / "data.csv").write_text("id,text\n1,hello there\n", encoding="utf-8")
    return d


def _not_utf8_cp1252(tmp: Path) -> Path:
    p = tmp / "in" / "undecodable.csv"
    p.parent.mkdir(parents=True)
    # 0x81 and 0x9d are undefined in cp1252 and invalid as UTF-8 start bytes.
    p.write_bytes(b"id,text\n1,caf\x81 \x9d and more words here\n")
    return p


def _binary_named_csv(tmp: Path) -> Path:
    p = tmp / "in" / "image.csv"
    p.parent.mkdir(parents=True)
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return p


#: name -> (maker, expected error code)
BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated XLSX": (_copy("truncated.xlsx"), "E002"),
    "truncated DOCX": (_copy("truncated.docx"), "E002"),
    "binary file named .csv (zip)": (_copy("binary.csv"), "E002"),
    "binary file named .csv (PNG)": (_binary_named_csv, "E002"),
    "bytes valid in no supported encoding": (_copy("bad_encoding.csv"), "E002"),
    "bytes valid in neither UTF-8 nor cp1252": (_not_utf8_cp1252, "E002"),
    "unclosed quote": (_copy("unclosed_quote.csv"), "E002"),
    "empty file (0 bytes)": (_copy("empty.csv"), "E004"),
    "missing file": (_missing, "E003"),
    "a directory (no notes in it)": (_directory, "E008"),
}

#: (command, input) -> code where a command rightly answers differently: evaluate reads code
#: tables (CSV/XLSX/Parquet/QDPX), not interview notes.
_EXPECTED_OVERRIDE = {("evaluate", "truncated DOCX"): "E006"}

_EVAL_GOOD = "comment_id,themes\n1,money\n2,\n"


def _args(command: str, src: Path, out: Path, cb: Path) -> list[object]:
    """Command line of ``command`` reading ``src`` and writing ``out``."""
    if command in ("read", "segment"):
        return [command, src, "--out", out]
    if command == "tag":
        return [command, src, "--codebook", cb, "--out", out]
    if command == "quotes":
        return [command, src, "--codebook", cb, "--out", out]
    if command == "report":
        return [command, src, "--codebook", cb, "--out-dir", out, "--formats", "md,xlsx"]
    if command == "discover":
        return [command, src, "--out", out]
    if command == "evaluate":
        gold = out.parent / "gold.csv"
        gold.write_text(_EVAL_GOOD, encoding="utf-8")
        return [command, src, gold, "--out", out]
    raise AssertionError(command)


_OUT_NAME = {
    "read": "comments.csv",
    "segment": "segments.csv",
    "tag": "tags.csv",
    "quotes": "quotes.csv",
    "report": "report",
    "discover": "draft.yaml",
    "evaluate": "agreement.json",
}
COMMANDS = list(_OUT_NAME)


def _need(command: str) -> None:
    """Every command under test is on the CLI: a missing one fails, it is not skipped."""
    assert command in cli_commands(), f"`commentmine {command}` is not registered on the CLI"


def _assert_one_line_exit_2(res, code: str) -> str:
    assert res.exit_code == 2, (res.exit_code, res.stderr, res.exception)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"commentmine: error: [{code}"), lines[0]
    assert "Traceback" not in res.output and "Traceback" not in res.stderr
    return lines[0]


def _leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


#: Inputs also tried over an existing output (one per kind of failure: container, text, path).
_OVERWRITE_CHECKED = {"truncated XLSX", "unclosed quote", "missing file"}

#: (command, input) -> known bug in a module still being worked on (routed to its owner).
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _cases() -> list[object]:
    cases = []
    for bad in BAD_INPUTS:
        for command in COMMANDS:
            reason = KNOWN_BUGS.get((command, bad))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(command, bad, marks=marks, id=f"{bad}-{command}"))
    return cases


@pytest.mark.parametrize(("command", "bad"), _cases())
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    tmp_path: Path, tiny_cb: Path, command: str, bad: str
) -> None:
    _need(command)
    make, code = BAD_INPUTS[bad]
    code = _EXPECTED_OVERRIDE.get((command, bad), code)
    src = make(tmp_path)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / _OUT_NAME[command]
    args = _args(command, src, out, tiny_cb)
    before = _leftovers(outdir)
    res = cli(*args)
    _assert_one_line_exit_2(res, code)
    assert _leftovers(outdir) == before  # no output, no .part file, no manifest

    # Over an existing output: unchanged (for a few inputs; each command writes the same way).
    if bad not in _OVERWRITE_CHECKED:
        return
    if command == "report":
        out.mkdir()
        (out / "report.md").write_text("previous report\n", encoding="utf-8")
    else:
        out.write_bytes(b"previous output\r\n")
    snapshot = {p: p.read_bytes() for p in outdir.rglob("*") if p.is_file()}
    res = cli(*args)
    _assert_one_line_exit_2(res, code)
    assert {p: p.read_bytes() for p in outdir.rglob("*") if p.is_file()} == snapshot


# --- bad codebooks ------------------------------------------------------------------------------

BAD_CODEBOOKS: dict[str, tuple[str, str]] = {
    "codebook with a YAML syntax error": (
        "name: broken\nthemes:\n  - id: money\n    label: [Money\n",
        "E103",
    ),
    "codebook with an unknown key": (
        TINY_CODEBOOK_YAML.replace("    label: Money\n", "    label: Money\n    keywrods: [x]\n"),
        "E101",
    ),
    "codebook with an unsafe YAML tag": (
        "name: evil\nthemes:\n  - id: x\n    label: !!python/object/apply:os.system "
        '["touch PWNED"]\n',
        "E104",
    ),
    "codebook that is not a mapping": ("- just\n- a list\n", "E101"),
    "codebook file that is binary": ("\x00\x01\x02\x03PK\x03\x04", "E103"),
}


def _survey(tmp: Path) -> Path:
    src = tmp / "in" / "survey.csv"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_bytes((DATA / "survey_utf8.csv").read_bytes())
    return src


@pytest.mark.parametrize("command", ["tag", "quotes", "report", "discover"])
@pytest.mark.parametrize("bad", list(BAD_CODEBOOKS))
def test_bad_codebook_is_one_line_exit_2(
    tmp_path: Path, command: str, bad: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _need(command)
    text, code = BAD_CODEBOOKS[bad]
    cb = tmp_path / "in" / "codebook.yaml"
    cb.parent.mkdir(parents=True)
    cb.write_text(text, encoding="utf-8")
    src = _survey(tmp_path)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / _OUT_NAME[command]
    args = _args(command, src, out, cb)
    if command == "discover":
        args += ["--codebook", cb]
    args += ["--id-col", "id", "--text-col", "funding"]
    monkeypatch.chdir(tmp_path)
    res = cli(*args)
    line = _assert_one_line_exit_2(res, "E10")
    assert f"[{code}" in line, line
    assert _leftovers(outdir) == []
    assert not (tmp_path / "PWNED").exists()  # the unsafe tag was never executed


def test_codebook_validate_reports_unknown_key_and_unsafe_tag(tmp_path: Path) -> None:
    for name, (text, code) in BAD_CODEBOOKS.items():
        cb = tmp_path / f"{abs(hash(name))}.yaml"
        cb.write_text(text, encoding="utf-8")
        res = cli("codebook", "validate", cb)
        assert res.exit_code == 2, (name, res.stderr)
        assert f"[{code}" in res.stderr, (name, res.stderr)
        assert "Traceback" not in res.stderr


# --- the same through a real process (what a user sees) ----------------------------------------


def test_subprocess_shows_one_line_no_traceback(tmp_path: Path) -> None:
    make, code = BAD_INPUTS["truncated XLSX"]
    src = make(tmp_path)
    out = tmp_path / "out" / "comments.csv"
    proc = run_subprocess(["read", src, "--out", out], timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"commentmine: error: [{code}]")
    assert "Traceback" not in proc.stderr
    assert not out.parent.exists() or _leftovers(out.parent) == []


# --- odd but valid inputs -----------------------------------------------------------------------

ODD_VALID = [
    "survey_semicolon.csv",
    "survey_tab.csv",
    "survey_cp1252.csv",
    "survey_utf8_sig.csv",
    "survey_utf16.csv",
]


@pytest.mark.parametrize("name", ODD_VALID)
def test_odd_but_valid_inputs_read_like_the_utf8_file(tmp_path: Path, name: str) -> None:
    ref = cli("read", DATA / "survey_utf8.csv", "--id-col", "id", "--out", tmp_path / "ref.csv")
    assert ref.exit_code == 0, ref.stderr
    res = cli("read", DATA / name, "--id-col", "id", "--out", tmp_path / "c.csv")
    assert res.exit_code == 0, res.stderr
    a = pd.read_csv(tmp_path / "ref.csv", dtype=str, keep_default_na=False)
    b = pd.read_csv(tmp_path / "c.csv", dtype=str, keep_default_na=False)
    assert b["comment_id"].tolist() == a["comment_id"].tolist()
    assert b["text"].tolist() == a["text"].tolist()  # cp1252 "’" and "£" decoded right


@pytest.mark.parametrize(
    "command",
    [
        "read",
        "segment",
        "tag",
    ],
)
def test_header_only_gives_an_empty_result_a_note_and_exit_0(
    tmp_path: Path, tiny_cb: Path, command: str
) -> None:
    _need(command)
    out = tmp_path / "out" / _OUT_NAME[command]
    args = _args(command, DATA / "header_only.csv", out, tiny_cb) + ["--text-col", "funding"]
    res = cli(*args)
    assert res.exit_code == 0, (res.stderr, res.exception)
    assert "note:" in res.stderr and "no rows" in res.stderr
    assert out.exists() and pd.read_csv(out).empty


# --- the table for the README -------------------------------------------------------------------


def test_write_bad_inputs_table(tmp_path: Path, tiny_cb: Path) -> None:
    """Run ``read`` on every bad input and (when asked) write the Markdown table."""
    rows = []
    for bad, (make, code) in BAD_INPUTS.items():
        case = tmp_path / re.sub(r"\W+", "_", bad)
        case.mkdir()
        src = make(case)
        res = cli("read", src, "--out", case / "c.csv")
        got = re.match(r"commentmine: error: \[(E\d+)\] (.*)", res.stderr.strip())
        assert got and got.group(1) == code and res.exit_code == 2, (bad, res.stderr)
        rows.append((bad, f"`{src.name}`", code, res.exit_code, got.group(2)))
    for bad, (text, code) in BAD_CODEBOOKS.items():
        cb = tmp_path / "codebook.yaml"
        cb.write_text(text, encoding="utf-8")
        res = cli("tag", DATA / "survey_utf8.csv", "--id-col", "id", "--text-col", "funding",
                  "--codebook", cb, "--out", tmp_path / "tags.csv")  # fmt: skip
        got = re.match(r"commentmine: error: \[(E\d+)\] (.*)", res.stderr.strip())
        assert got and got.group(1) == code and res.exit_code == 2, (bad, res.stderr)
        rows.append((bad, "`codebook.yaml`", code, res.exit_code, got.group(2)))
    mistakes = []
    for what, make_args, code in _COMMON_MISTAKES:
        case = tmp_path / re.sub(r"\W+", "_", what)
        case.mkdir()
        args = make_args(case)
        res = cli(*args)
        line = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else ""
        got = re.match(r"commentmine: error: (?:\[(E\d+)\] )?(.*)", line)
        assert res.exit_code == 2 and got and (got.group(1) or "usage") == code, (what, line)
        assert "Usage:" not in res.stderr and "Traceback" not in res.output, what
        shown = " ".join(
            shlex.quote(Path(str(a)).name if isinstance(a, Path) else str(a)) for a in args
        )
        mistakes.append((what, f"`commentmine {shown}`", code, res.exit_code, got.group(2)))
    target = os.environ.get("COMMENTMINE_BAD_INPUTS_TABLE")
    if target:
        _write_table(Path(target), rows, mistakes)


def _long_csv(case: Path) -> Path:
    """One row per answer: the respondent repeats, each row has its own answer id."""
    path = case / "answers.csv"
    path.write_text(
        "answer_id,respondent,question,answer\r\n"
        "a1,r1,q1,Grants are far too short-term for us to plan.\r\n"
        "a2,r1,q2,The OPCC never answers our emails at all.\r\n"
        "a3,r2,q1,Commissioning favours the big providers every time.\r\n",
        encoding="utf-8",
    )
    return path


def _scores_csv(case: Path) -> Path:
    path = case / "scores.csv"
    rows = "".join(f"{i},{i * 7 % 10},Funding is too short-term for us.\r\n" for i in range(20))
    path.write_text("id,score,answer\r\n" + rows, encoding="utf-8")
    return path


def _notes_first_xlsx(case: Path) -> Path:
    path = case / "codes.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Notes": ["Exported 1 May"]}).to_excel(
            writer, sheet_name="About", index=False
        )
        pd.DataFrame({"id": ["1", "2"], "size": ["small", "large"]}).to_excel(
            writer, sheet_name="Data", index=False
        )
    return path


def _comma_codebook(case: Path) -> Path:
    path = case / "codebook.yaml"
    path.write_text(
        'name: mine\nthemes:\n  - id: money\n    keywords: [grant, "tender, bid*"]\n',
        encoding="utf-8",
    )
    return path


#: The mistakes a new user makes most (issue 20): what they typed -> the one line they get.
_COMMON_MISTAKES: list[tuple[str, Callable[[Path], list[object]], str]] = [
    (
        "`--out` left out",
        lambda case: ["read", DATA / "survey_utf8.csv"],
        "usage",
    ),
    (
        "one row per answer, the respondent column given as `--id-col`",
        lambda case: ["read", _long_csv(case), "--id-col", "respondent", "--out", case / "c.csv"],
        "E005",
    ),
    (
        "a column name misspelt",
        lambda case: [
            "read",
            DATA / "survey_utf8.csv",
            "--text-col",
            "fundng",
            "--out",
            case / "c.csv",
        ],  # fmt: skip
        "E001",
    ),
    (
        "a column of numbers given as `--text-col`",
        lambda case: ["read", _scores_csv(case), "--text-col", "score", "--out", case / "c.csv"],
        "E010",
    ),
    (
        "an XLSX whose sheets hold no free text",
        lambda case: ["read", _notes_first_xlsx(case), "--out", case / "c.csv"],
        "E007",
    ),
    (
        "`--sheet` misspelt",
        lambda case: [
            "read",
            DATA / "survey_two_sheets.xlsx",
            "--sheet",
            "respones",
            "--out",
            case / "c.csv",
        ],  # fmt: skip
        "E001",
    ),
    (
        "an attribution template naming a missing column",
        lambda case: [
            "quotes",
            DATA / "survey_utf8.csv",
            "--id-col",
            "id",
            "--codebook",
            "vcse-pcc",
            "--attribution",
            "{org}, {region}",
            "--out",
            case / "q.csv",
        ],  # fmt: skip
        "E403",
    ),
    (
        "keywords written as one list item with commas",
        lambda case: [
            "tag",
            DATA / "survey_utf8.csv",
            "--id-col",
            "id",
            "--codebook",
            _comma_codebook(case),
            "--out",
            case / "t.csv",
        ],  # fmt: skip
        "E101",
    ),
]


def _write_table(
    path: Path,
    rows: list[tuple[str, str, str, int, str]],
    mistakes: list[tuple[str, str, str, int, str]],
) -> None:
    def cell(s: object, limit: int = 150) -> str:
        s = str(s).replace("|", "\\|")
        s = re.sub(r"/tmp/\S+?/in/|'/tmp/[^']*/", "'", s)
        return s if len(s) <= limit else s[: limit - 3] + "..."

    lines = [
        "# Bad inputs and what they get",
        "",
        "Generated by `tests/robustness/test_bad_inputs.py` "
        "(`COMMENTMINE_BAD_INPUTS_TABLE=docs/bad_inputs.md .venv/bin/pytest "
        "tests/robustness/test_bad_inputs.py -k table`). Every command that reads the input "
        "(`read`, `segment`, `tag`, `quotes`, `report`, `discover`, `evaluate`) gives the same "
        "code, prints exactly one line on stderr (no traceback), exits 2 and leaves no output "
        "file (an existing one is left unchanged). Codebook problems are shown for "
        "`tag --codebook`; `quotes`, `report`, `discover --codebook` and `codebook validate` "
        "give the same code.",
        "",
        "| Input | File | Code | Exit | Message (shown after `commentmine: error: [code]`) |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {cell(a)} | {b} | {c} | {d} | {cell(e)} |" for a, b, c, d, e in rows]
    lines += [
        "",
        "## Common mistakes",
        "",
        "What a new user types most often by mistake, and the one line they get (`usage` is a "
        "command-line usage error, without a code).",
        "",
        "| Mistake | Command | Code | Exit | Message (shown after `commentmine: error:`) |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {cell(a)} | {cell(b, 200)} | {c} | {d} | {cell(e, 320)} |" for a, b, c, d, e in mistakes
    ]
    lines += [
        "",
        "Odd but valid inputs that work: semicolon- and tab-separated CSV, cp1252 and UTF-8 "
        'with BOM, UTF-16 tab-delimited text (Excel\'s "Unicode text"), an XLSX whose first '
        "sheet holds notes (the first sheet with free text is read, and a `note:` says which), "
        "and a header with no rows (an empty table, a `note:` line, exit 0).",
        "",
        "Exceptions: `evaluate` reads code tables, not notes, so a DOCX gets E006 (unsupported "
        "type).",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
