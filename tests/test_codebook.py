"""Codebooks: loading (YAML/CSV/XLSX), validation with every problem at once, matching, CLI."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import commentmine._cli.codebook  # noqa: F401 - registers the sub-app
from commentmine._cli._app import app
from commentmine.codebook import (
    Codebook,
    CodebookWarning,
    Theme,
    builtin_codebooks,
    builtin_text,
    codebook_from_frame,
    compile_keywords,
    default_label,
    load_codebook,
)
from commentmine.errors import CodebookError, CommentmineError, InputError

TINY = """\
name: tiny
description: A tiny codebook.
meta:
  owner: {team: research, since: 2024}
themes:
  - id: money
    label: Money
    description: Funding and grants.
    keywords: [grant, "tender*", short-term fund*]
    exclude: [Charity Commission]
    examples:
      - We lost our grant.
    meta: {colour: green, codes: [1, 2]}
  - id: Staff and volunteers
    keywords: "volunteer*; staff time"
  - id: grants
    parent: money
    threshold: 0.4
"""

# One problem per line marked; the test checks every one is reported, with its line.
BAD = """\
name: bad
colour: red
themes:
  - id: a
    keyword: [x]
    threshold: 1.5
  - id: a
  - id: "b|c"
    keywords: [7, ""]
  - label: no id here
  - id: Uncoded
  - id: p
    parent: q
  - id: q
    parent: p
  - id: s
    parent: nowhere
  - id: t
    keywords: {not: a list}
    threshold: high
"""
BAD_EXPECTED = [
    (2, "unknown key 'colour'"),
    (5, "unknown key 'keyword' (did you mean 'keywords'?)"),
    (6, "threshold 1.5 is outside [0, 1]"),
    (7, "duplicate id at line 4"),
    (8, "id contains '|'"),
    (9, "keywords item 1 is the number 7"),
    (9, "keywords item 2 is empty"),
    (10, "missing or empty id"),
    (11, "is reserved"),
    (13, "parent cycle p -> q -> p"),
    (17, "parent 'nowhere' is not a theme id"),
    (19, "keywords must be a list of text"),
    (20, "threshold 'high' is not a number"),
]


def _simple_lemmas(texts):
    """A stand-in lemmatizer: lower-case words, a few plurals singular."""
    singular = {"barriers": "barrier", "grants": "grant", "pots": "pot", "charities": "charity"}
    out = []
    for text in texts:
        words = re.findall(r"\w+", text.lower())
        out.append(" ".join(singular.get(w, w) for w in words))
    return out


def _problems(excinfo) -> list[str]:
    return list(excinfo.value.problems)


# --- YAML -------------------------------------------------------------------------------


def test_yaml_loads_with_defaults_meta_and_spaces_in_ids(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    cb = load_codebook(path)
    assert cb.name == "tiny"
    assert cb.ids == ("money", "Staff and volunteers", "grants")
    money = cb.theme("money")
    assert money.keywords == ("grant", "tender*", "short-term fund*")
    assert money.exclude == ("Charity Commission",)
    assert money.examples == ("We lost our grant.",)
    assert money.meta == {"colour": "green", "codes": [1, 2]}
    assert cb.meta == {"owner": {"team": "research", "since": 2024}}
    staff = cb.theme("Staff and volunteers")
    assert staff.label == "Staff and volunteers"
    assert staff.keywords == ("volunteer*", "staff time")
    assert cb.theme("grants").label == "Grants"
    assert cb.theme("grants").threshold == 0.4
    assert cb.theme("grants").parent == "money"


def test_default_label():
    assert default_label("funding_barriers") == "Funding barriers"
    assert default_label("pcc_engagement") == "Pcc engagement"
    assert default_label("Staff manner & attitude") == "Staff manner & attitude"


def test_every_problem_is_reported_at_once_with_its_line():
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(BAD)
    assert excinfo.value.code == "E101"
    problems = _problems(excinfo)
    for line, fragment in BAD_EXPECTED:
        assert any(p.startswith(f"line {line}:") and fragment in p for p in problems), (
            line,
            fragment,
            problems,
        )
    assert len(problems) == len(BAD_EXPECTED)
    numbers = [int(p.split(":")[0].split()[1]) for p in problems]
    assert numbers == sorted(numbers)
    # the one-line message names the count and carries every problem
    assert f"has {len(BAD_EXPECTED)} problems" in str(excinfo.value)


def test_unknown_key_lists_the_valid_keys():
    text = "name: x\nthemes:\n  - id: a\n    colour: red\n"
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(text)
    (problem,) = _problems(excinfo)
    assert problem.startswith("line 4: theme 'a': unknown key 'colour'")
    for key in ("id", "label", "description", "keywords", "exclude", "examples", "parent"):
        assert key in problem.split("valid keys:")[1]


def test_meta_is_kept_as_is_and_not_checked():
    text = "name: x\nmeta: {anything: [1, {deep: true}]}\nthemes:\n  - id: a\n    meta: {kw: 3}\n"
    cb = load_codebook(text)
    assert cb.meta == {"anything": [1, {"deep": True}]}
    assert cb.theme("a").meta == {"kw": 3}


@pytest.mark.parametrize("bad_id", ["a|b", "a;b"])
def test_ids_with_separators_are_rejected(bad_id):
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(f"name: x\nthemes:\n  - id: '{bad_id}'\n")
    assert "must not contain '|', ';'" in _problems(excinfo)[0]


def test_duplicate_ids_ignoring_case_and_duplicate_yaml_keys():
    text = "name: x\nthemes:\n  - id: Money\n    id: money2\n  - id: money2\n  - id: MONEY2\n"
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(text)
    problems = _problems(excinfo)
    assert any("line 4" in p and "key 'id' appears twice" in p for p in problems)
    assert any("line 5" in p and "duplicate id" in p for p in problems)
    assert any("line 6" in p and "differs only in case from 'money2'" in p for p in problems)


def test_self_parent_and_empty_codebook():
    with pytest.raises(CodebookError) as excinfo:
        load_codebook("name: x\nthemes:\n  - id: a\n    parent: a\n")
    assert "is its own parent" in _problems(excinfo)[0]
    for text in ("name: x\nthemes: []\n", "name: x\n", "# nothing\n"):
        with pytest.raises(CodebookError, match="no themes|empty"):
            load_codebook(text if "\n" in text else text + "\n")


def test_unsafe_yaml_tag_is_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"name: x\nthemes: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(text)
    assert excinfo.value.code == "E104"
    assert "!!python/object/apply:os.system" in str(excinfo.value)
    assert "line 2" in str(excinfo.value)
    assert not marker.exists()


def test_yaml_syntax_error_says_where():
    with pytest.raises(CodebookError) as excinfo:
        load_codebook("name: x\nthemes:\n  - id: a\n    label: [unclosed\n")
    assert excinfo.value.code == "E103"
    assert re.search(r"line \d+, column \d+", str(excinfo.value))
    with pytest.raises(CodebookError, match=r"line 1, column 8"):
        load_codebook("name: a: b\nthemes: []\n")


def test_yaml_file_name_defaults_and_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "fallback.yml"
    path.write_text("themes:\n  - id: a\n", encoding="utf-8")
    assert load_codebook(path).name == "fallback"
    with pytest.raises(CodebookError, match="top level must be a mapping"):
        load_codebook("- id: a\n- id: b\n")


# --- spreadsheets -----------------------------------------------------------------------

CSV_TEXT = """\
Theme,LABEL,Keywords,Examples,Parent,Threshold,Category,Notes
Funding barriers,,commissioning; tender*;short-term fund*,We lost the tender.; Grants are gone.,,0.5,money,
Grant size,Size of grants,small pot*,,Funding barriers,,money,too small

Staff,,staff time; volunteer*,,,,,
"""


def test_csv_codebook_with_any_case_headers_lists_and_extra_columns(tmp_path):
    path = tmp_path / "book.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    with pytest.warns(CodebookWarning, match="Category, Notes"):
        cb = load_codebook(path)
    assert cb.name == "book"
    assert cb.ids == ("Funding barriers", "Grant size", "Staff")
    fb = cb.theme("Funding barriers")
    assert fb.keywords == ("commissioning", "tender*", "short-term fund*")
    assert fb.examples == ("We lost the tender.", "Grants are gone.")
    assert fb.threshold == 0.5
    assert fb.meta == {"Category": "money"}
    assert cb.theme("Grant size").label == "Size of grants"
    assert cb.theme("Grant size").meta == {"Category": "money", "Notes": "too small"}
    assert cb.root("Grant size") == "Funding barriers"


def test_csv_problems_carry_row_numbers(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,parent,threshold\n"
        "a,,\n"  # row 2
        ",,\n"  # row 3: blank, skipped
        "b|x,,2\n"  # row 4
        "c,zzz,\n"  # row 5
        ",a,0.3\n"  # row 6: no id
        "a,,\n",  # row 7: duplicate
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as excinfo:
        load_codebook(path)
    problems = _problems(excinfo)
    expected = [
        (4, "contains '|'"),
        (4, "threshold 2.0 is outside [0, 1]"),
        (5, "parent 'zzz' is not a theme id"),
        (6, "missing or empty id"),
        (7, "duplicate id at row 2"),
    ]
    for row, fragment in expected:
        assert any(p.startswith(f"row {row}:") and fragment in p for p in problems), (
            row,
            fragment,
            problems,
        )
    assert len(problems) == len(expected)


def test_csv_without_id_column_lists_the_columns(tmp_path):
    path = tmp_path / "noid.csv"
    path.write_text("name,description\na,b\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"no 'id' or 'theme' column.*'name', 'description'"):
        load_codebook(path)


def test_xlsx_codebook(tmp_path):
    import openpyxl

    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Description", "Keywords", "Threshold", "Owner"])
    ws.append(["money", "Funding.", "grant; tender*", 0.25, "AB"])
    ws.append([None, None, None, None, None])
    ws.append([7, "Numbers as ids become text.", None, None, None])
    ws.append(["bad;id", None, None, 3, None])
    wb.save(path)
    with pytest.raises(CodebookError) as excinfo, pytest.warns(CodebookWarning, match="Owner"):
        load_codebook(path)
    problems = _problems(excinfo)
    assert len(problems) == 2
    assert all(p.startswith("row 5:") for p in problems)
    ws.delete_rows(5)
    wb.save(path)
    with pytest.warns(CodebookWarning):
        cb = load_codebook(path)
    assert cb.ids == ("money", "7")
    assert cb.theme("money").threshold == 0.25
    assert cb.theme("money").keywords == ("grant", "tender*")
    assert cb.theme("money").meta == {"Owner": "AB"}


def test_frame_round_trip():
    cb = load_codebook(TINY)
    again = codebook_from_frame(cb.to_frame(), name="tiny", description=cb.description)
    strip_meta = [Theme(**{**t.__dict__, "meta": {}}) for t in cb.themes]
    assert again == Codebook(cb.name, cb.description, tuple(strip_meta))


# --- structure --------------------------------------------------------------------------


def test_parent_children_root_any_depth():
    cb = Codebook(
        "tree",
        themes=(
            Theme("a"),
            Theme("b", parent="a"),
            Theme("c", parent="b"),
            Theme("d", parent="a"),
            Theme("e"),
        ),
    )
    assert cb.children("a") == ("b", "d")
    assert cb.children("c") == ()
    assert cb.root("c") == "a"
    assert cb.root("e") == "e"
    assert "c" in cb and "z" not in cb and len(cb) == 5
    with pytest.raises(InputError, match="(?i)did you mean 'b'"):
        cb.theme("bb")


def test_codebook_built_in_python_is_validated_all_at_once():
    with pytest.raises(CodebookError) as excinfo:
        Codebook("x", themes=(Theme("a"), Theme("a"), Theme("outlier"), Theme("c", parent="q")))
    problems = _problems(excinfo)
    assert len(problems) == 3
    with pytest.raises(CodebookError, match="no themes"):
        Codebook("x", themes=())


def test_theme_and_codebook_are_frozen_and_hashable():
    cb = load_codebook(TINY)
    assert hash(cb) == hash(load_codebook(TINY))
    with pytest.raises(AttributeError):
        cb.themes[0].id = "other"  # type: ignore[misc]


def test_load_codebook_passes_codebooks_and_mappings_and_rejects_the_rest(tmp_path):
    cb = load_codebook(TINY)
    assert load_codebook(cb) is cb
    assert load_codebook(yaml.safe_load(TINY)) == cb
    with pytest.raises(CodebookError) as excinfo:
        load_codebook("no-such-codebook")
    assert excinfo.value.code == "E102" and "vcse-pcc" in str(excinfo.value)
    with pytest.raises(CommentmineError) as excinfo:
        load_codebook(tmp_path)
    assert excinfo.value.code == "E008"
    other = tmp_path / "book.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(CommentmineError) as excinfo:
        load_codebook(other)
    assert excinfo.value.code == "E006"


# --- YAML round trip --------------------------------------------------------------------


def test_yaml_round_trip_is_exact_and_deterministic():
    shared = {"note": "same object twice"}
    cb = Codebook(
        "rt",
        description="Line one.\nLine two: with a colon.",
        themes=(
            Theme("funding", description="Café, naïve – “quotes”", meta=shared),
            Theme("1", label="Numeric-looking id", keywords=("yes", "null", "0.5")),
            Theme("sub", parent="funding", threshold=0.35, examples=("a # not a comment",)),
        ),
        meta=shared,
    )
    text = cb.to_yaml()
    assert "&" not in text and "*id" not in text  # no anchors/aliases
    assert "Café" in text  # allow_unicode
    assert load_codebook(text) == cb
    assert cb.to_yaml() == text
    assert load_codebook(text).sha256() == cb.sha256()
    assert re.fullmatch(r"[0-9a-f]{64}", cb.sha256())
    changed = Codebook("rt", cb.description, cb.themes[:2], cb.meta)
    assert changed.sha256() != cb.sha256()


def test_builtin_round_trips():
    cb = load_codebook("vcse-pcc")
    assert load_codebook(cb.to_yaml()) == cb


# --- keyword matching -------------------------------------------------------------------


def test_keyword_phrases_wildcards_and_whole_tokens():
    pats = compile_keywords(
        ["grant", "short-term fund*", "commission*", "in * capacity", "funding barriers"],
        lemmatize=_simple_lemmas,
    )
    grant, short, commission, capacity, barriers = pats
    assert grant.search("we lose a grant")
    assert not grant.search("we were granted time")  # whole tokens only
    assert short.lemmas == "short term fund*"
    assert short.search("only short term funding now")
    assert not short.search("short of funding")
    assert commission.search("the commissioner visit")
    assert commission.search("commissioning be hard")
    assert capacity.search("in my capacity as chair")
    assert not capacity.search("in capacity")  # the lone * needs one token
    # plurals in the codebook are lemmatised like the text
    assert barriers.lemmas == "funding barrier"
    assert barriers.search("the funding barrier be real")
    assert barriers.find("funding barrier and funding barrier again") == [(0, 2), (3, 5)]
    assert not barriers.search("barrier to funding")


def test_keywords_match_their_lemma_or_their_written_form():
    def pos_blind(texts):  # lemmatises like a tagger that sees each keyword out of context
        verbs = {"shared": "share", "funding": "fund"}
        return [" ".join(verbs.get(w, w) for w in t.lower().split()) for t in texts]

    funding, shared, cuts = compile_keywords(
        ["funding", "shared services", "funding cuts"], lemmatize=pos_blind
    )
    assert funding.variants == ("fund", "funding")
    assert funding.lemmas == "fund"
    assert funding.search("we lose our funding") and funding.search("they fund us")
    assert shared.variants == ("share services", "shared services")
    assert shared.search("we use shared services")
    assert not shared.search("we use shared service s")
    assert cuts.find("funding cuts and fund cuts") == [(0, 2), (3, 5)]


def test_keyword_matching_uses_the_segment_lemmatizer_by_default():
    from commentmine._segment import lemmatize

    barriers, pcc, fenced, capacity = compile_keywords(
        ["funding barriers", "PCC", "ring-fenc*", "capacity as"]
    )
    texts = [
        "Funding barriers are everywhere.",
        "Our PCCs never reply.",
        "The money was ring-fenced for victims.",
        "In my capacity as chair I see it.",
        "Barriers to funding.",
    ]
    lemmas = lemmatize(texts)
    assert [barriers.search(t) for t in lemmas] == [True, False, False, False, False]
    assert [pcc.search(t) for t in lemmas] == [False, True, False, False, False]
    assert [fenced.search(t) for t in lemmas] == [False, False, True, False, False]
    assert [capacity.search(t) for t in lemmas] == [False, False, False, True, False]


def test_the_tagger_counts_what_keyword_patterns_find():
    # One matcher: the tagger's term counts are KeywordPattern.find's occurrences, which do not
    # overlap ("very very" occurs once in "very very very", "* *" twice in four tokens).
    from commentmine._codebook._match import TokenMatcher

    texts = ["very very very", "a b c d", "very good very very", ""]
    for pattern in compile_keywords(["very very", "* *", "very"], lemmatize=_simple_lemmas):
        counts = TokenMatcher([tuple(pattern.lemmas.split())]).match(texts)[0].toarray()[:, 0]
        assert counts.tolist() == [len(pattern.find(t)) for t in texts], pattern.phrase
    very2, any2, _ = compile_keywords(["very very", "* *", "very"], lemmatize=_simple_lemmas)
    assert very2.find("very very very") == [(0, 2)]
    assert any2.find("a b c d") == [(0, 2), (2, 4)]
    assert very2.search("VERY Very")  # case is ignored, as the regex did


def test_codebook_keyword_patterns_lemmatise_once():
    calls = []

    def counting(texts):
        calls.append(list(texts))
        return _simple_lemmas(texts)

    cb = load_codebook(TINY)
    pats = cb.keyword_patterns(lemmatize=counting)
    assert len(calls) == 1
    kw, ex = pats["money"]
    assert [p.phrase for p in kw] == list(cb.theme("money").keywords)
    assert ex[0].search("the charity commission say")
    assert pats["grants"] == ((), ())
    assert cb.theme("money").keyword_patterns(lemmatize=_simple_lemmas)[1].search("tendering")


# --- the built-in codebook --------------------------------------------------------------

VCSE_IDS = {
    "funding_barriers": None,
    "strategic_input": None,
    "capacity": None,
    "collaboration_competition": None,
    "collaboration": "collaboration_competition",
    "competition": "collaboration_competition",
    "pcc_engagement": None,
    "representation_diversity": None,
    "uncertainty_policy_change": None,
    "sustainability": None,
}


def test_builtin_vcse_pcc_has_the_required_themes():
    assert "vcse-pcc" in builtin_codebooks()
    cb = load_codebook("vcse-pcc")
    assert cb.name == "vcse-pcc"
    assert {t.id: t.parent for t in cb.themes} == VCSE_IDS
    assert cb.children("collaboration_competition") == ("collaboration", "competition")
    raw = yaml.safe_load(builtin_text("vcse-pcc"))
    assert all(theme.get("label") for theme in raw["themes"])  # every label written out
    for t in cb.themes:
        assert 2 <= t.description.count(". ") + 1 <= 5, t.id
        assert 3 <= len(t.examples) <= 5, t.id
        if t.id != "collaboration_competition":  # the parent names the tension only
            assert 10 <= len(t.keywords) <= 30, t.id
        assert len({k.lower() for k in t.keywords}) == len(t.keywords), t.id


def test_builtin_keywords_find_their_own_examples():
    """Each leaf theme's keywords match at least half of its own example quotes."""
    cb = load_codebook("vcse-pcc")
    patterns = cb.keyword_patterns(lemmatize=_simple_lemmas)
    for t in cb.themes:
        if cb.children(t.id):
            continue
        kw, ex = patterns[t.id]
        lemmas = _simple_lemmas(t.examples)
        hits = sum(any(p.search(s) for p in kw) for s in lemmas)
        assert hits * 2 >= len(t.examples), t.id
        assert not any(p.search(s) for p in ex for s in lemmas), t.id


@pytest.mark.slow
def test_nhs_codebook_csv_loads(shared_corpora):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cb = load_codebook(shared_corpora / "nhs_patient_feedback_codebook.csv")
    assert len(cb) == 45
    assert cb.theme("Not assigned").meta["category"] == "General"
    assert any(issubclass(w.category, CodebookWarning) for w in caught)


# --- CLI --------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_validate_ok_and_problems(tmp_path):
    result = runner.invoke(app, ["codebook", "validate", "vcse-pcc"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 10 themes, 2 sub-themes")
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(bad)])
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(BAD_EXPECTED)
    assert lines[0].startswith("line 2:")
    assert "E101" in result.stderr and f"{len(BAD_EXPECTED)} problems" in result.stderr
    result = runner.invoke(app, ["codebook", "validate", "nope"])
    assert result.exit_code == 2 and "E102" in result.stderr
    assert "Traceback" not in result.output


def test_cli_show_table_yaml_csv(tmp_path):
    result = runner.invoke(app, ["codebook", "show", "vcse-pcc"])
    assert result.exit_code == 0, result.output
    for theme_id in VCSE_IDS:
        assert theme_id in result.stdout
    assert "keywords" in result.stdout.splitlines()[1]
    result = runner.invoke(app, ["codebook", "show", "vcse-pcc", "--format", "yaml"])
    assert result.exit_code == 0
    assert load_codebook(result.stdout) == load_codebook("vcse-pcc")
    result = runner.invoke(app, ["codebook", "show", "vcse-pcc", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("id,label,parent")
    result = runner.invoke(app, ["codebook", "show", "vcse-pcc", "--format", "html"])
    assert result.exit_code == 2 and "E301" in result.stderr


def test_cli_init_writes_a_valid_template_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "my.yaml"
    result = runner.invoke(app, ["codebook", "init", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# A commentmine codebook")
    cb = load_codebook(out)
    assert len(cb) == 3 and cb.root("partnership_strain") == "partnership"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["codebook", "init", str(out)])
    assert result.exit_code == 2 and "E105" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    result = runner.invoke(app, ["codebook", "init", str(out), "--force", "--from", "vcse-pcc"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# vcse-pcc")
    assert load_codebook(out) == load_codebook("vcse-pcc")
    assert [p.name for p in tmp_path.iterdir()] == ["my.yaml"]  # no temp files left


def test_cli_commands_have_help():
    for sub in ("validate", "show", "init"):
        result = runner.invoke(app, ["codebook", sub, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.stdout and len(result.stdout) > 200


def test_loaded_paths_accept_strings_and_paths(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(TINY, encoding="utf-8")
    assert load_codebook(str(path)) == load_codebook(Path(path))


# --- comma-separated keywords (issue 20) ----------------------------------------------------


def test_keywords_written_as_one_comma_separated_text_are_split(tmp_path):
    path = tmp_path / "commas.yaml"
    path.write_text(
        "name: commas\nthemes:\n  - id: money\n    keywords: grant, tender; bid*\n"
        "    exclude: no barrier, none\n"
        '    examples: ["Pots are tiny, and bids cost a lot."]\n',
        encoding="utf-8",
    )
    money = load_codebook(path).theme("money")
    assert money.keywords == ("grant", "tender", "bid*")
    assert money.exclude == ("no barrier", "none")
    assert money.examples == ("Pots are tiny, and bids cost a lot.",)  # examples keep commas
    assert Theme(id="x", keywords="grant, tender").keywords == ("grant", "tender")
    result = runner.invoke(app, ["codebook", "show", str(path), "--format", "yaml"])
    assert result.exit_code == 0 and "- bid*" in result.stdout


def test_a_keyword_list_item_holding_a_comma_is_reported(tmp_path):
    path = tmp_path / "item.yaml"
    path.write_text(
        'name: item\nthemes:\n  - id: money\n    keywords: [grant, "tender, bid*"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 2
    assert "line 4: theme 'money': keywords item 2 'tender, bid*' holds several phrases" in (
        result.stdout
    )
    assert "[tender, bid*]" in result.stdout
