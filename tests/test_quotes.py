"""quotes(): eligibility, ranking with diversity, trimming, redaction, attribution, stance."""

from __future__ import annotations

import re

import _fixtures_report as F
import pandas as pd
import pytest

from commentmine._quotes._public import QUOTE_COLUMNS, attribute, quotes, verify_quotes
from commentmine.errors import CommentmineError

EMB = F.HashEmbedder()


@pytest.fixture
def data():
    c = F.comments()
    return c, F.tags(c)


def _q(tags, comments, **kw):
    kw.setdefault("embedder", EMB)
    kw.setdefault("codebook", F.codebook())
    kw.setdefault("consent_col", False)  # the fixture has a consent column (see test_redact_policy)
    return quotes(tags, comments=comments, **kw)


def test_columns_ranks_and_one_quote_per_respondent(data):
    c, t = data
    q = _q(t, c, n=3)
    assert list(q.columns[: len(QUOTE_COLUMNS)]) == QUOTE_COLUMNS
    for _theme, g in q.groupby("theme"):
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert len(g) <= 3
        assert g["respondent_id"].is_unique
    assert set(q["theme"]) >= {"funding", "collab_comp", "collaboration", "competition"}
    assert "capacity" not in set(q["theme"])  # nobody raised it
    assert q.attrs == {}  # whether quotes are redacted is the caller's own argument


def test_never_interviewer_uncoded_or_do_not_quote(data):
    c, t = data
    q = _q(t, c, n=10, consent_col="consent")
    assert not q["comment_id"].str.startswith("int1").any()
    assert "r04" not in set(q["respondent_id"])  # consent "no"
    assert "r08" not in set(q["respondent_id"])  # consent "do not quote"
    # without the consent column they can be quoted
    q2 = _q(t, c, n=10)
    assert {"r04", "r08"} & set(q2["respondent_id"])
    assert not q2["comment_id"].str.startswith("int1").any()


def test_offsets_index_original_text_and_quote_is_verbatim_after_redaction(data):
    c, t = data
    q = _q(t, c, n=10)
    texts = dict(zip(c["comment_id"], c["text"], strict=True))
    for rec in q.itertuples():
        original = texts[rec.comment_id][rec.start : rec.end]
        assert original.strip() == original and original
        if "@" not in original:
            assert original == rec.text
    verify_quotes(q, c)


def test_email_is_redacted_and_offsets_still_exact():
    c = F.comments()
    # make the email sentence the only funding evidence of r01 by tagging it
    c.loc[c["respondent_id"] == "r01", "text"] = (
        "Email jo.bloggs@example.org about the funding bids and grants we lost last year."
    )
    t = F.tags(c)
    q = _q(t, c, theme="funding", n=12)
    row = q[q["respondent_id"] == "r01"].iloc[0]
    assert "@" not in row["text"] and "jo.bloggs" not in row["text"]
    original = c.loc[c["respondent_id"] == "r01", "text"].iloc[0]
    assert original[row["start"] : row["end"]].startswith("Email jo.bloggs@example.org")
    verify_quotes(q, c)
    # redact=False keeps the address (and the check compares with the raw text)
    raw = _q(t, c, theme="funding", n=12, redact=False)
    assert "jo.bloggs@example.org" in raw[raw["respondent_id"] == "r01"].iloc[0]["text"]
    verify_quotes(raw, c, redact=False)


def test_verify_quotes_raises_on_a_quote_that_is_not_verbatim(data):
    c, t = data
    q = _q(t, c, n=2)
    q.loc[0, "text"] = q.loc[0, "text"] + " (added words)"
    with pytest.raises(CommentmineError, match="E401"):
        verify_quotes(q, c)


def test_long_segment_cut_at_sentence_end_and_unsplittable_one_skipped():
    c = F.comments().iloc[:1].copy()
    long_first = " ".join(["funding"] * 8) + ". " + " ".join(["grant"] * 30) + "."
    c["text"] = long_first
    # one segment covering both sentences (as a bullet/line segmenter might give)
    t = pd.DataFrame(
        [
            {
                "comment_id": c["comment_id"].iloc[0],
                "segment_id": "x#1",
                "start": 0,
                "end": len(long_first),
                "text": long_first,
                "theme": "funding",
                "score": 0.9,
                "evidence": "{}",
                "respondent_id": "r01",
            }
        ]
    )
    q = quotes(t, comments=c, embedder=EMB, max_words=10, min_words=1, consent_col=False)
    assert len(q) == 1
    assert q.loc[0, "end"] == long_first.index(".") + 1
    assert len(q.loc[0, "text"].split()) <= 10
    with_no_stop = c.assign(text=" ".join(["funding"] * 40))
    t2 = t.assign(end=len(with_no_stop["text"].iloc[0]), text=with_no_stop["text"].iloc[0])
    assert quotes(t2, comments=with_no_stop, embedder=EMB, max_words=10, consent_col=False).empty


def test_short_segment_extends_to_adjacent_sentence(data):
    c, t = data
    q = _q(t, c, theme="collab_comp", n=10, min_words=12)
    r07 = q[q["respondent_id"] == "r07"]
    assert len(r07) == 1
    text = c.loc[c["respondent_id"] == "r07", "text"].iloc[0]
    # both sentences, contiguous offsets into the original
    assert r07["start"].iloc[0] == 0 and r07["end"].iloc[0] == len(text)
    assert r07["text"].iloc[0] == text


def test_stance_alternates_sub_themes(data):
    c, t = data
    q = _q(t, c, theme="collab_comp", n=4)
    assert list(q["sub_theme"]) == ["collaboration", "competition", "collaboration", "competition"]


def test_by_spreads_across_groups(data):
    c, t = data
    q = _q(t, c, theme="funding", n=3, by="org_type")
    assert q["org_type"].nunique() == 3


def test_near_duplicates_removed(data):
    c, t = data
    # r12 repeats r01 word for word; with diversity off they would both rank top
    q = _q(t, c, theme="funding", n=10, diversity=0.0)
    texts = list(q["text"])
    assert len(texts) == len(set(texts))


def test_attribution_generalised_below_min_cell(data):
    c, t = data
    q = _q(t, c, n=10, attribution="{org_type}, {region}")
    by_resp = dict(zip(q["respondent_id"], q["attribution"], strict=False))
    assert by_resp["r01"] == "small charity, Wales"  # 6 respondents share it
    assert by_resp["r11"] == "respondent"  # only 2 social enterprises
    # min_cell 2: the London social enterprises may be named
    q2 = _q(t, c, n=10, attribution="{org_type}, {region}", min_cell=2)
    assert dict(zip(q2["respondent_id"], q2["attribution"], strict=False))["r11"] == (
        "social enterprise, London"
    )


def test_attribute_drops_most_specific_field_first():
    meta = pd.DataFrame(
        {"org_type": ["small"] * 6, "region": ["Wales"] * 3 + ["North", "South", "East"]},
        index=[f"r{i}" for i in range(6)],
    )
    out = attribute(meta, "{org_type} ({region})", min_cell=3)
    assert out["r0"] == "small (Wales)"
    assert out["r4"] == "small"
    assert attribute(meta, "{org_type} ({region})", min_cell=7)["r0"] == "respondent"
    assert attribute(meta, "({org_type}: {region})", min_cell=3)["r4"] == "(small)"
    with pytest.warns(DeprecationWarning, match="min_cell"):  # the former name, one release
        pd.testing.assert_series_equal(
            attribute(meta, "{org_type} ({region})", min_group_size=3), out
        )
    with pytest.raises(CommentmineError, match="E403"):
        attribute(meta, "{sector}")


def test_deterministic_and_theme_errors(data):
    c, t = data
    a = _q(t, c, n=3, by="region", attribution="{region}")
    b = _q(t.sample(frac=1, random_state=3), c, n=3, by="region", attribution="{region}")
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(CommentmineError, match="E402"):
        _q(t, c, theme="fundin")
    with pytest.raises(CommentmineError, match="E405"):
        quotes(t.drop(columns=["score"]), embedder=EMB)


def test_works_without_comments_table(data):
    _c, t = data
    q = quotes(t, embedder=EMB, n=2, consent_col=False)
    assert len(q) and not q["comment_id"].str.startswith("int1").any()
    assert all(re.search(r"\w", x) for x in q["text"])


def test_prefer_primary_puts_segments_owned_by_the_theme_first(data):
    c, t = data
    # r08's sentence is tagged funding 0.6 and competition 0.8: it belongs to competition
    t = t.copy()
    r08 = t["segment_id"].str.startswith("r08")
    t.loc[(t["theme"] == "funding") & r08, "score"] = 0.95
    t.loc[(t["theme"] == "competition") & r08, "score"] = 1.0
    top = _q(t, c, theme="funding", n=1, weights=(1.0, 0.0, 0.0))
    assert top["respondent_id"].iloc[0] == "r08"
    owned = _q(t, c, theme="funding", n=1, weights=(1.0, 0.0, 0.0), prefer_primary=True)
    assert owned["respondent_id"].iloc[0] != "r08"


def test_theme_text_weight_picks_the_quote_closest_to_the_description():
    from commentmine.codebook import Codebook, Theme

    cb = Codebook("t", themes=(Theme("funding", description="reserves cuts core costs"),))
    c = F.comments()
    t = F.tags(c)
    t = t[t["theme"] == "funding"]
    q = quotes(
        t, comments=c, codebook=cb, embedder=EMB, n=1, weights=(0.0, 0.0, 1.0), consent_col=False
    )
    assert q["respondent_id"].iloc[0] == "r04"  # "Funding cuts mean we live off our reserves"


def test_tags_read_back_as_text_give_the_same_quotes(data, tmp_path):
    c, t = data
    path = tmp_path / "tags.csv"
    t.to_csv(path, index=False)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(_q(back, c, n=3), _q(t, c, n=3))


def test_min_score_quotes_only_confident_tags_and_may_leave_a_theme_unquoted(data):
    c, t = data
    t = t.copy()
    funding = t["theme"] == "funding"
    t.loc[funding, "score"] = 0.55  # tagged (>= 0.5) but not confidently
    first = t.index[funding][0]
    t.loc[first, "score"] = 0.9
    q = _q(t, c, n=3)
    assert (q["score"] >= 0.6).all()
    fq = q[q["theme"] == "funding"]
    assert list(fq["segment_id"]) == [t.loc[first, "segment_id"]]
    assert len(_q(t, c, n=3, min_score=0.0).query("theme == 'funding'")) > 1
    t.loc[first, "score"] = 0.59
    assert "funding" not in set(_q(t, c, n=3)["theme"])
    with pytest.raises(CommentmineError):
        _q(t, c, min_score=1.5)


def test_cli_min_score_default_is_the_library_default():
    import inspect

    from commentmine._cli import report as cli_report
    from commentmine._quotes._public import DEFAULT_MIN_SCORE

    for fn in (cli_report.quotes_cmd, cli_report.report_cmd):
        assert inspect.signature(fn).parameters["min_score"].default == DEFAULT_MIN_SCORE


def test_comment_text_rebuilt_from_segments_at_their_offsets():
    from commentmine._quotes._source import comment_texts as _comment_texts

    tags = pd.DataFrame(
        {
            "comment_id": ["a", "a", "a", "b", "c"],
            "segment_id": ["a-1", "a-2", "a-2", "b-1", "c-1"],
            "start": [0, 8, 8, 0, 2],
            "end": [6, 12, 12, 3, 4],
            "text": ["Hello.", "Bye.", "Bye.", "Hi!", "Ok"],
        }
    )
    comments = pd.DataFrame({"comment_id": ["b"], "text": ["Hi! from the table"]})
    assert _comment_texts(tags, None) == {"a": "Hello.  Bye.", "b": "Hi!", "c": "  Ok"}
    assert _comment_texts(tags, comments) == {
        "b": "Hi! from the table",
        "a": "Hello.  Bye.",
        "c": "  Ok",
    }


def test_options_object_and_keywords_are_one_api(data):
    import inspect

    from commentmine._quotes._public import DEFAULT_MIN_SCORE, QuoteOptions

    c, t = data
    by_keywords = _q(t, c, n=2, by="region", diversity=0.5)
    opts = QuoteOptions(n=2, by="region", diversity=0.5, consent_col=False)
    by_object = quotes(t, comments=c, codebook=F.codebook(), embedder=EMB, options=opts)
    pd.testing.assert_frame_equal(by_keywords, by_object)
    # a keyword overrides its field of the options object
    one = quotes(t, comments=c, codebook=F.codebook(), embedder=EMB, options=opts, n=1)
    assert one.groupby("theme").size().max() == 1
    with pytest.raises(TypeError, match="max_word"):
        _q(t, c, max_word=10)
    with pytest.raises(CommentmineError, match="E301"):
        QuoteOptions(n=0)
    with pytest.raises(CommentmineError, match="E301"):
        _q(t, c, options={"n": 2})
    # help() and inspect show every setting with its default
    params = inspect.signature(quotes).parameters
    assert params["n"].default == 5 and params["min_score"].default == DEFAULT_MIN_SCORE
    assert "max_similarity" in quotes.__doc__ and "<options>" not in quotes.__doc__


def test_seed_warns_that_it_does_nothing_and_min_group_size_is_min_cell(data):
    c, t = data
    with pytest.warns(FutureWarning, match="seed"):
        seeded = _q(t, c, n=2, seed=3)
    pd.testing.assert_frame_equal(seeded, _q(t, c, n=2))
    kw = {"n": 10, "attribution": "{org_type}, {region}"}
    with pytest.warns(DeprecationWarning, match=r"quotes\(min_cell=\.\.\.\)"):
        old = _q(t, c, min_group_size=2, **kw)
    pd.testing.assert_frame_equal(old, _q(t, c, min_cell=2, **kw))
    with pytest.raises(TypeError, match="both"):
        _q(t, c, min_group_size=2, min_cell=2)


def test_codebook_is_the_second_positional_argument(data):
    c, t = data
    cb = F.codebook()
    kw = {"comments": c, "embedder": EMB, "consent_col": False, "n": 3}
    pos = quotes(t, cb, **kw)
    pd.testing.assert_frame_equal(pos, quotes(t, codebook=cb, **kw))
    assert set(pos["sub_theme"]) - {""}  # sub-themes come from the codebook: it was used


def _interviews(tmp_path):
    from commentmine.ingest import read_interviews

    turns = {
        "alpha_trust": [
            "The grant pots are tiny and we chase funding every single month.",
            "Our funding from the council ended, so the grants we win now pay for rent.",
            "Tenders for funding favour big providers with bid writers on the payroll.",
        ],
        "beta_project": [
            "We lost two grants this year and funding for core costs is gone entirely.",
            "Funding rules change every year and each new grant brings new reporting.",
        ],
    }
    folder = tmp_path / "notes"
    folder.mkdir(exist_ok=True)
    for stem, answers in turns.items():
        lines = []
        for i, a in enumerate(answers):
            lines += [f"Q: What about question {i}?", f"A: {a}"]
        (folder / f"{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_interviews(folder)


def test_interviewees_give_several_quotes_from_different_turns(tmp_path):
    c = _interviews(tmp_path)
    t = F.tags(c)
    kw = {"theme": "funding", "n": 5, "max_similarity": 1.0, "max_overlap": 1.0}
    q = _q(t, c, **kw)
    # two interviews fill five quotes, spread evenly (3 + 2), one per turn, no interviewer
    assert len(q) == 5 and q["comment_id"].is_unique
    assert sorted(q["respondent_id"].value_counts().tolist()) == [2, 3]
    assert set(c.loc[c["comment_id"].isin(q["comment_id"]), "speaker"]) == {"A"}
    assert q["respondent_id"].tolist()[:2] in (["alpha_trust", "beta_project"],
                                               ["beta_project", "alpha_trust"])  # fmt: skip
    # the limit is a setting: one per interviewee gives two quotes, two gives four
    assert len(_q(t, c, per_respondent=1, **kw)) == 2
    assert _q(t, c, per_respondent=2, **kw)["respondent_id"].value_counts().max() == 2
    assert len(_q(t, c, per_respondent=2, **kw)) == 4
    with pytest.raises(CommentmineError, match="E301"):
        _q(t, c, per_respondent=0)


def test_cli_per_respondent_reaches_the_quotes(tmp_path):
    from typer.testing import CliRunner

    from commentmine.cli import app

    c = _interviews(tmp_path)
    tags = tmp_path / "tags.csv"
    F.tags(c).to_csv(tags, index=False)
    cb = tmp_path / "cb.yaml"
    cb.write_text(F.codebook().to_yaml())
    args = ["quotes", str(tmp_path / "notes"), "--codebook", str(cb), "--tags", str(tags), "--theme",
            "funding", "--embedder", "tfidf", "--no-redact"]  # fmt: skip
    for extra, expected in (([], 3), (["--per-respondent", "1"], 1)):
        out = tmp_path / f"q{expected}.csv"
        res = CliRunner().invoke(app, [*args, *extra, "--n", "5", "--out", str(out)])
        assert res.exit_code == 0, res.output
        got = pd.read_csv(out)
        assert got["comment_id"].str.split(":").str[0].value_counts().max() == expected


def _survey(texts):
    rows = [
        {"comment_id": f"s{i}", "respondent_id": f"s{i}", "question": "q", "text": t,
         "source": "survey.csv", "status": "ok", "speaker": "", "is_interviewer": False}
        for i, t in enumerate(texts)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_a_quote_that_leans_on_the_sentence_before_takes_it_in():
    c = _survey(
        [
            "The scheme itself is simple to apply for. What doesn't work is the timing of the "
            "funding rounds.",
            "Our officer knows the sector well. It works because the officer funds what we ask.",
        ]
    )
    q = _q(F.tags(c), c, theme="funding", n=5, max_similarity=1.0, max_overlap=1.0)
    assert sorted(q["text"]) == sorted(c["text"])  # both extended back to the whole comment
    # unless the window is too small to take the sentence before in
    short = _q(F.tags(c), c, theme="funding", n=5, max_words=10, min_words=1, max_similarity=1.0)
    assert "What doesn't work is the timing of the funding rounds." in set(short["text"])


def test_quotes_that_stand_alone_come_before_ones_that_do_not():
    alone = ["Funding for youth work stops every March.", "Rent grants are far too small."]
    leaning = ["But the funding stops in March, every single year.", "It funds too little now."]
    c = _survey(leaning + alone)
    t = F.tags(c).assign(score=lambda d: d["text"].map(lambda s: 1.0 if s in leaning else 0.7))
    picked = _q(t, c, theme="funding", n=2, max_similarity=1.0, max_overlap=1.0)["text"]
    assert sorted(picked) == sorted(alone)  # though the leaning ones score higher
    # they are the fall-back when too few stand alone
    assert len(_q(t, c, theme="funding", n=4, max_similarity=1.0, max_overlap=1.0)) == 4


def test_a_theme_s_quotes_share_no_long_run_of_words():
    # issue 20 item 11: five answers that differ in one slot are one quote, not five
    slots = ("the sector", "the voluntary sector", "the VCSE sector", "small charities")
    c = _survey(
        [
            f"Co-designing the commissioning framework with {s} would help the funding."
            for s in slots
        ]
        + ["Multi-year funding would let us keep our youth workers beyond March."]
    )
    kw = {"theme": "funding", "n": 5, "max_similarity": 1.0, "max_overlap": 1.0}
    q = _q(F.tags(c), c, **kw)
    assert len(q) == 2 and sum("Co-designing" in x for x in q["text"]) == 1
    assert len(_q(F.tags(c), c, max_shared_words=None, **kw)) == 5  # the check switched off
    assert len(_q(F.tags(c), c, max_shared_words=20, **kw)) == 5  # no run that long
    with pytest.raises(CommentmineError, match="E301"):
        _q(F.tags(c), c, max_shared_words=0)


def test_which_openings_lean_on_the_sentence_before():
    from commentmine._quotes._source import leans_back

    for text in ("It works because they know us.", "But the forms are long.", "- So we stopped.",
                 "What doesn't work is the timing.", "These rules hurt.", "However, it ended.", "And that the same ones win."):  # fmt: skip
        assert leans_back(text), text
    # additive connectives and ordinary openings stand alone
    for text in ("Plus we were consulted late.", "Also the forms are long.", "Italy is far.",
                 "Sometimes grants help.", "Each day we heard.",
                 "And working together takes effort.", "Andrew rang."):  # fmt: skip
        assert not leans_back(text), text
