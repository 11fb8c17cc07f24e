"""Tagger behaviour: negation, exclusions, sub-themes, multi-label, determinism, accounting."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from commentmine._tagging._public import Tagger, accounting, rollup, tag
from commentmine.codebook import Codebook, Theme
from commentmine.errors import CommentmineError

CODEBOOK = Codebook(
    "tiny",
    themes=(
        Theme(
            "funding",
            label="Funding",
            description="Money, grants, contracts and funding for the charity.",
            keywords=("fund*", "grant", "short-term contract"),
            examples=("Our grant was cut this year.",),
        ),
        Theme(
            "capacity",
            label="Capacity",
            description="Too few staff or volunteers, not enough time to do the work.",
            keywords=("volunteer*", "staff", "capacity"),
            exclude=("staff party",),
        ),
        Theme(
            "relationship",
            label="Relationship with the commissioner",
            description="Meetings and contact with the police and crime commissioner.",
            keywords=("commissioner", "meeting"),
        ),
        Theme(
            "partners",
            label="Partners",
            description="Working with other organisations.",
            keywords=("partner*",),
        ),
        Theme(
            "collaboration",
            label="Collaboration",
            description="Partnership working, joint bids and consortia.",
            keywords=("consorti*", "joint bid", "work together"),
            parent="partners",
        ),
        Theme(
            "competition",
            label="Competition",
            description="Competing with other charities for the same contracts.",
            keywords=("compet*", "rival"),
            parent="partners",
        ),
        Theme(
            "attitude",
            label="Staff attitude",
            description="Whether people were rude or kind.",
            keywords=("rude", "kind"),
        ),
    ),
)

TEXTS = [
    "Our grant funding was cut and we only get short-term contracts.",
    "We lost our grant funding and we have too few volunteers to cope.",
    "We have no funding at all this year.",
    "The commissioner came to one meeting and never replied afterwards.",
    "We formed a consortium and put in a joint bid with two other charities.",
    "Charities compete with each other for the same small contracts.",
    "We do not have enough volunteers or staff capacity to bid.",
    "The staff party was fun.",
    "The officers were rude to our clients.",
    "The officers were not rude at all.",
    "Meetings with the commissioner's office are regular and useful.",
    "Funding is short-term and unpredictable.",
    "Our volunteers are exhausted and we cannot recruit more.",
    "We work together with partners across the county in a consortium.",
    "Competition for grants has made small groups rivals.",
    "The weather was nice.",
]


def _comments(texts=TEXTS, extra=()):
    rows = [
        dict(
            comment_id=f"c{i:02d}",
            respondent_id=f"r{i:02d}",
            question="q",
            text=t,
            source="inline.csv",
            status="ok",
            speaker="",
            is_interviewer=False,
            region="North",
        )
        for i, t in enumerate(texts)
    ]
    rows.extend(extra)
    return pd.DataFrame(rows)


EXTRA = [
    dict(
        comment_id="e1",
        respondent_id="r90",
        question="q",
        text="   ",
        source="inline.csv",
        status="empty",
        speaker="",
        is_interviewer=False,
        region="South",
    ),
    dict(
        comment_id="e2",
        respondent_id="r91",
        question="q",
        text="n/a",
        source="inline.csv",
        status="non_answer",
        speaker="",
        is_interviewer=False,
        region="South",
    ),
    dict(
        comment_id="e3",
        respondent_id="i1",
        question="q",
        text="Can you tell me about your funding from the commissioner?",
        source="int.txt",
        status="ok",
        speaker="Interviewer",
        is_interviewer=True,
        region="",
    ),
]


@pytest.fixture(scope="module")
def segments():
    from commentmine._segment import segment

    return segment(_comments(extra=EXTRA), include_interviewer=True)


def _evidence(tags, text_start, theme):
    row = tags[tags["text"].str.startswith(text_start) & (tags["theme"] == theme)]
    assert len(row) == 1, (text_start, theme, len(row))
    return json.loads(row["evidence"].iloc[0])


def test_negation_discounts_denied_keywords_but_not_absence(segments):
    tags = tag(segments, CODEBOOK, threshold=0.0, self_train=False)
    rude = _evidence(tags, "The officers were rude", "attitude")["lexical"]
    not_rude = _evidence(tags, "The officers were not rude", "attitude")["lexical"]
    assert rude > 0 and 0 < not_rude < rude
    # "no funding" is about funding: absence words do not discount the match.
    ev = _evidence(tags, "We have no funding", "funding")
    assert "fund*" in ev["keywords"] and ev["lexical"] > 0
    # Same length, same keyword: an absence word before it, or a negator after it, leaves the
    # match whole (every theme kept on every segment, to read its evidence).
    texts = ["We have no funding.", "We have some funding.", "Funding is not available."]
    texts.append("Funding is now available.")
    every = dict(threshold=0.0, relative=0.0, fallback=0.0, max_themes=99, self_train=False)
    four = tag(_comments(texts), CODEBOOK, **every)
    lex = [_evidence(four, t[:-1], "funding")["lexical"] for t in texts]
    assert lex[0] == lex[1] > 0 and lex[2] == lex[3] > 0


def test_exclusion_vetoes_theme(segments):
    tags = tag(segments, CODEBOOK, threshold=0.0)
    party = tags[tags["text"].str.startswith("The staff party")]
    assert "capacity" not in set(party["theme"])
    t = Tagger(CODEBOOK).fit(segments)
    sc = t.score(segments)
    row = np.flatnonzero(segments["text"].str.startswith("The staff party").to_numpy())[0]
    assert sc[row, t.themes_.index("capacity")] == 0.0


def test_subthemes_name_the_child_and_roll_up(segments):
    tags = tag(segments, CODEBOOK)
    assert "partners" not in set(tags["theme"])
    consort = tags[tags["text"].str.startswith("We formed a consortium")]
    assert "collaboration" in set(consort["theme"])
    compete = tags[tags["text"].str.startswith("Charities compete")]
    assert "competition" in set(compete["theme"])
    rolled = rollup(tags, CODEBOOK)
    assert "partners" in set(rolled["theme"])
    assert not {"collaboration", "competition"} & set(rolled["theme"])


def test_multi_label(segments):
    tags = tag(segments, CODEBOOK)
    both = tags[tags["text"].str.startswith("We lost our grant funding")]
    assert {"funding", "capacity"} <= set(both["theme"])


def test_deterministic_bytes(segments):
    a = tag(segments, CODEBOOK, seed=3).to_csv(index=False)
    b = tag(segments, CODEBOOK, seed=3).to_csv(index=False)
    assert a == b


def test_fit_then_predict_in_chunks_matches_one_shot(segments):
    one = tag(segments, CODEBOOK)
    t = Tagger(CODEBOOK).fit(segments)
    parts = [t.predict(segments.iloc[i : i + 5]) for i in range(0, len(segments), 5)]
    chunked = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), chunked)


def test_chunk_rows_leaves_the_tags_unchanged_and_chunk_size_is_its_former_name(segments):
    import commentmine as cm

    one = tag(segments, CODEBOOK)
    pd.testing.assert_frame_equal(tag(segments, CODEBOOK, chunk_rows=3), one)
    with pytest.warns(DeprecationWarning, match=r"tag\(chunk_rows=\.\.\.\)"):
        old = cm.tag(segments, CODEBOOK, chunk_size=3)
    pd.testing.assert_frame_equal(old, one)


def _decide(fused, score, comments, similarity=None, **rules):
    from commentmine._tagging._decide import Decisions, comment_codes, decide

    codes, uniq = comment_codes(np.array(comments))
    fused, score = np.array(fused, dtype=float), np.array(score, dtype=float)
    valid = np.ones(len(codes), dtype=bool)
    th = np.full(fused.shape[1], 0.5)
    sim = None if similarity is None else np.array(similarity, dtype=float)
    rules = Decisions(**rules)
    return decide(fused, score, th, codes, len(uniq), valid, rules, similarity=sim).tolist()


def test_a_comment_gets_its_best_theme_and_only_close_second_themes():
    # c1: one sentence, theme 0 clearly first, theme 1 above its threshold but far behind
    # c2: two sentences about two themes, both strong -> two themes, each on its own sentence
    # c3: below the floor -> uncoded
    fused = [[0.9, 0.5], [0.2, 0.1], [0.1, 0.8], [0.2, 0.25]]
    score = [[0.9, 0.6], [0.2, 0.1], [0.1, 0.8], [0.2, 0.25]]
    hit = _decide(fused, score, ["c1", "c2", "c2", "c3"], relative=0.8, floor=0.4)
    assert hit == [[True, False], [False, False], [False, True], [False, False]]
    hit = _decide([[0.9, 0.8]], [[0.9, 0.8]], ["c1"], relative=0.8)
    assert hit == [[True, True]]  # a close second that reaches its threshold is kept


def test_a_long_comment_is_judged_on_its_thrust_not_its_asides():
    # six sentences about theme 0, one aside strongly about theme 1
    fused = [[0.8, 0.1]] * 6 + [[0.1, 0.9]]
    as_max = _decide(fused, fused, ["c"] * 7, long_comment=None)
    assert any(row[1] for row in as_max)  # judged on its best sentences: the aside counts
    as_mean = _decide(fused, fused, ["c"] * 7, long_comment=3)
    assert not any(row[1] for row in as_mean) and all(row[0] for row in as_mean[:6])


def test_a_chosen_theme_sits_on_its_best_sentence_when_none_reaches_the_threshold():
    fused = [[0.45, 0.1], [0.48, 0.1]]
    hit = _decide(fused, fused, ["c", "c"], floor=0.4)
    assert hit == [[False, False], [True, False]]


def test_at_most_max_themes():
    fused = [[0.9, 0.89, 0.88, 0.87]]
    assert sum(_decide(fused, fused, ["c"], max_themes=2)[0]) == 2


def test_a_near_synonym_of_a_theme_already_taken_is_left_out():
    # themes 0 and 1 are near-synonyms (cosine 0.8 between their texts); 2 is unrelated,
    # and 3 is close to 1 only: once 1 is left out, 3 does not depend on it
    sim = [
        [1.0, 0.8, 0.2, 0.3],
        [0.8, 1.0, 0.1, 0.8],
        [0.2, 0.1, 1.0, 0.2],
        [0.3, 0.8, 0.2, 1.0],
    ]
    fused = [[0.9, 0.88, 0.85, 0.0], [0.9, 0.88, 0.0, 0.86]]
    without = _decide(fused, fused, ["a", "b"], sim, max_themes=3)
    assert without == [[True, True, True, False], [True, True, False, True]]
    got = _decide(fused, fused, ["a", "b"], sim, max_themes=3, max_similarity=0.6)
    assert got == [[True, False, True, False], [True, False, False, True]]
    # the stronger of the two stays, whichever it is
    one = [[0.88, 0.9, 0.0, 0.0]]
    swapped = _decide(one, one, ["c"], sim, max_similarity=0.6)
    assert swapped == [[False, True, False, False]]


SINGLE = [
    "Our grant was cut and the short-term funding stops in March.",
    "We have too few volunteers and our staff are exhausted.",
    "The commissioner never answers our emails or comes to meetings.",
    "Funding is the problem: grants are tiny and contracts go to big providers.",
    "We cannot recruit volunteers and staff leave for better pay.",
    "We met the commissioner once and there was no follow-up meeting.",
] * 3


def test_single_theme_comments_get_one_theme_and_two_theme_comments_two():
    from commentmine._segment import segment

    two = [
        "Our grant was cut this year. We also have too few volunteers to run the service.",
        "The commissioner never meets us. And the short-term funding makes planning impossible.",
    ]
    segs = segment(_comments(SINGLE + two))
    tags = tag(segs, CODEBOOK)
    got = tags[tags["theme"] != "uncoded"].groupby("comment_id")["theme"].agg(set)
    ids = segs["comment_id"].drop_duplicates().tolist()
    singles = [len(got.get(c, set())) for c in ids[: len(SINGLE)]]
    assert np.mean(singles) <= 1.2 and min(singles) >= 1
    assert got[ids[-2]] == {"funding", "capacity"}
    assert got[ids[-1]] == {"relationship", "funding"}


def test_a_codebook_with_two_near_synonym_themes_does_not_tag_both():
    from commentmine._segment import segment

    money = Theme(
        "money", label="Money", description="Lack of money, grants and funds for the charity."
    )
    cb = Codebook("twice", themes=(*CODEBOOK.themes, money))
    segs = segment(_comments(SINGLE))
    # a low threshold lets a second theme through wherever it scores close to the first
    both = Tagger(cb, threshold=0.4, max_similarity=None).fit_predict(segs)
    capped = Tagger(cb, threshold=0.4).fit_predict(segs)

    def pairs(tags):
        per = tags[tags["theme"] != "uncoded"].groupby("comment_id")["theme"].agg(set)
        return sum({"funding", "money"} <= s for s in per)

    assert pairs(both) > 0  # without the cap the two ride together
    assert pairs(capped) == 0
    assert capped["comment_id"].nunique() == segs["comment_id"].nunique()
    with pytest.raises(Exception, match="max_similarity"):
        Tagger(cb, max_similarity=1.5).fit(segs)


def test_an_over_broad_theme_does_not_flood():
    from commentmine._segment import segment

    broad = Theme(
        "service",
        label="Service",
        description="The service, the work, the people, the time, the organisation and things.",
    )
    cb = Codebook("broad", themes=(*CODEBOOK.themes, broad))
    segs = segment(_comments(SINGLE))
    tags = tag(segs, cb)
    on = tags.loc[tags["theme"] == "service", "comment_id"].nunique()
    assert on / segs["comment_id"].nunique() <= 0.4


def test_back_channel_interview_turns_get_no_theme(tmp_path):
    import commentmine as cm

    notes = tmp_path / "interview.txt"
    notes.write_text(
        "Q: How do you hear from the commissioner's office?\n"
        "A: He rings me.\n"
        "Q: And funding?\n"
        "A: Our grant was cut and the short-term funding stops in March, so we lose staff.\n"
        "Q: Right.\n"
        "A: Yes, exactly.\n",
        encoding="utf-8",
    )
    tags = tag(cm.read_interviews(notes), CODEBOOK)
    real = tags[tags["theme"] != "uncoded"]
    assert "He rings me." not in set(real["text"])
    assert "Yes, exactly." not in set(real["text"])
    assert "funding" in set(real["theme"])


def test_warnings_fire_on_an_unreliable_tagging():
    from commentmine._checks import TaggingWarning, tagging_warnings, warn

    rows = []
    for i in range(20):
        for t in ("a", "b", "c"):
            rows.append((f"c{i}", f"c{i}#1", t, 0.52))
    tags = pd.DataFrame(rows, columns=["comment_id", "segment_id", "theme", "score"])
    msgs = tagging_warnings(tags, ["a", "b", "c", "d", "e"])
    assert len(msgs) == 5  # 3 themes per comment, three themes on 100%, scores at the line
    assert all("review-sample" in m for m in msgs)
    calm = pd.DataFrame(
        [(f"c{i}", f"c{i}#1", "abcde"[i % 5] if i < 8 else "uncoded", 0.9) for i in range(12)],
        columns=["comment_id", "segment_id", "theme", "score"],
    )
    assert tagging_warnings(calm, ["a", "b", "c", "d", "e"]) == []
    with pytest.warns(TaggingWarning, match="themes each on average") as caught:
        warn(msgs[:1])
    assert caught[0].filename == __file__  # the warning points at the caller, not the library


def test_many_theme_codebooks_take_purer_pseudo_labels_and_no_count_allowance(segments):
    from commentmine._tagging._public import MANY_THEMES

    small = Tagger(CODEBOOK).fit(segments)
    assert (small.pseudo_frac_, small.count_factor_) == (0.5, 1.3)
    extra = tuple(
        Theme(f"t{i:02d}", label=f"Topic {i}", description=f"Words about topic number {i}.")
        for i in range(MANY_THEMES)
    )
    big_cb = Codebook("big", themes=CODEBOOK.themes + extra)
    big = Tagger(big_cb).fit(segments)
    assert len(big.themes_) > MANY_THEMES
    assert (big.pseudo_frac_, big.count_factor_) == (0.3, 1.0)
    forced = Tagger(big_cb, pseudo_frac=0.5, count_factor=1.3).fit(segments)
    assert (forced.pseudo_frac_, forced.count_factor_) == (0.5, 1.3)


def test_every_comment_accounted_for():
    comments = _comments(extra=EXTRA)
    out = tag(comments, CODEBOOK, level="comment")
    assert list(out["comment_id"]) == list(comments["comment_id"])
    status = dict(zip(out["comment_id"], out["status"], strict=True))
    assert status["e1"] == "empty" and status["e2"] == "non_answer"
    assert status["e3"] == "interviewer"
    assert status["c15"] in ("uncoded", "tagged")
    acc = accounting(out).as_dict()
    assert acc["comments_in"] == len(comments)
    assert acc["tagged"] + acc["uncoded"] + sum(acc["skipped"].values()) == acc["comments_in"]
    assert acc["skipped"] == {"empty": 1, "non_answer": 1, "interviewer": 1}
    # Interviewer segments are not scored and not in the tags table.
    seg = tag(comments, CODEBOOK)
    assert "e3" not in set(seg["comment_id"])
    assert accounting(seg, comments).as_dict() == acc
    # ...unless asked for: the tags then count e3 as the run did (its rows show it).
    inc = tag(comments, CODEBOOK, level="comment", include_interviewer=True)
    assert dict(zip(inc["comment_id"], inc["status"], strict=True))["e3"] != "interviewer"
    seg_inc = tag(comments, CODEBOOK, include_interviewer=True)
    assert "e3" in set(seg_inc["comment_id"])
    assert accounting(seg_inc, comments) == accounting(inc) != accounting(out)
    assert accounting(seg_inc, comments, include_interviewer=False) == accounting(out)


def test_run_metadata_is_not_kept_in_attrs():
    # The tables carry no run metadata (an edited or re-read table would have lost it);
    # the package's own callers get it from tag_run, which counts as accounting() does.
    from commentmine._checks import TaggingWarning
    from commentmine._tagging._public import tag_run

    comments = _comments(extra=EXTRA)
    for level in ("segment", "comment"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = tag(comments, CODEBOOK, level=level)
        assert out.attrs == {}
        run = tag_run(comments, CODEBOOK, level=level)
        pd.testing.assert_frame_equal(run.table, out)
        assert run.accounting == accounting(out, comments)
        leaves = tuple(t for t in CODEBOOK.ids if not CODEBOOK.children(t))
        assert (run.codebook, run.themes) == ("tiny", leaves)
        issued = [str(w.message) for w in caught if issubclass(w.category, TaggingWarning)]
        assert list(run.warnings) == issued
    with pytest.raises(CommentmineError, match="give the comments"):
        accounting(tag(comments, CODEBOOK))


def test_every_segment_appears_once_uncoded_or_tagged(segments):
    tags = tag(segments, CODEBOOK)
    scored = segments[~segments["is_interviewer"]]
    assert set(tags["segment_id"]) == set(scored["segment_id"])
    unc = tags[tags["theme"] == "uncoded"]
    assert not set(unc["segment_id"]) & set(tags.loc[tags["theme"] != "uncoded", "segment_id"])
    assert tags["score"].between(0, 1).all()
    assert list(tags.columns[:8]) == [
        "comment_id",
        "segment_id",
        "start",
        "end",
        "text",
        "theme",
        "score",
        "evidence",
    ]
    assert "region" in tags.columns and "lemmas" not in tags.columns


def test_evidence_is_compact_sorted_json(segments):
    tags = tag(segments, CODEBOOK)
    for ev in tags["evidence"]:
        obj = json.loads(ev)
        assert ev == json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert {"keywords", "lexical", "semantic", "classifier", "nearest_example"} <= set(obj)
    ev = _evidence(tags, "Our grant funding was cut", "funding")
    assert ev["nearest_example"] == "Our grant was cut this year."
    assert "grant" in ev["keywords"]


def test_comment_level_format():
    out = tag(_comments(extra=EXTRA), CODEBOOK, level="comment")
    assert list(out.columns[:4]) == ["comment_id", "status", "themes", "scores"]
    assert "text" not in out.columns and "region" in out.columns
    for st, th, sc in zip(out["status"], out["themes"], out["scores"], strict=True):
        if st == "tagged":
            assert len(th.split("|")) == len(sc.split("|"))
            assert all(re.fullmatch(r"[01]\.\d{3}", s) for s in sc.split("|"))
        else:
            assert th == "" and sc == ""


def test_threshold_override_and_validation(segments):
    everything = tag(segments, CODEBOOK, threshold=0.0)
    assert (everything["theme"] != "uncoded").all()
    from commentmine.errors import CommentmineError

    with pytest.raises(CommentmineError, match="E301"):
        tag(segments, CODEBOOK, threshold=1.5)
    with pytest.raises(CommentmineError, match="E301"):
        tag(segments, CODEBOOK, level="respondent")


def test_features_and_classifier_arrays_for_training(segments):
    from commentmine.errors import CommentmineError

    t = Tagger(CODEBOOK).fit(segments)
    X = t.features(segments)
    assert X.shape[0] == len(segments)
    assert t.coef_.shape == (len(t.themes_), X.shape[1])
    assert t.intercept_.shape == (len(t.themes_),)
    # the classifiers over these columns give the fitted probabilities
    z = np.asarray(X @ t.coef_.T) + t.intercept_
    assert np.all(np.isfinite(z))
    with pytest.raises(CommentmineError, match="E301"):
        Tagger(CODEBOOK, self_train=False).fit(segments).features(segments)


def test_cli_tag_bundled_survey(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from commentmine.cli import app

    survey = Path(__file__).resolve().parents[1] / "corpora" / "vcse_pcc_survey.csv"
    assert survey.exists(), "the bundled survey is tracked in corpora/"
    out = tmp_path / "tags.csv"
    res = CliRunner().invoke(
        app,
        [
            "tag",
            str(survey),
            "--text-col",
            "funding_improvements",
            "--id-col",
            "respondent_id",
            "--codebook",
            "vcse-pcc",
            "--out",
            str(out),
            "--level",
            "comment",
        ],
    )
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, keep_default_na=False)
    assert set(df["status"]) <= {"tagged", "uncoded", "empty", "non_answer"}
    assert (df["status"] == "tagged").mean() > 0.5
    assert "funding_barriers" in set("|".join(df["themes"]).split("|"))
    assert "comments in" in res.output


@pytest.mark.slow
def test_restaurants_sample_macro_f1_floor(shared_corpora):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_tagging as B

    from commentmine._segment import segment

    comments, gold, sets, cb = B.load("restaurants")
    ids = sorted(sets["heldout"])[:600]
    sub = comments[comments["comment_id"].isin(ids)]
    pred = B.run_ours(segment(sub), cb, None, set(ids))
    _, macro, _ = B.score(pred, gold, ids, list(cb.ids))
    assert macro >= 0.55


def test_feature_matrix_equals_stacked_embedding_and_tfidf(segments):
    from scipy import sparse

    from commentmine._tagging._selftrain import feature_matrix

    t = Tagger(CODEBOOK).fit(segments)
    lemmas = segments["lemmas"].astype(str).tolist() + ["", "zzz unknown words"]
    texts = segments["text"].astype(str).tolist() + ["", "zzz unknown words"]
    dense = np.asarray(t.embedder_.embed(texts), dtype=np.float32)
    dense[dense == 0] = 1e-3
    holes = dense.copy()
    holes[-2] = 0.0  # an empty segment's embedding
    holes[0, :5] = 0.0  # zeros inside a row are left out, as csr_matrix(dense) does
    for emb in (dense, holes):
        X = feature_matrix(t.tfidf_, lemmas, emb, t.embedding_scale)
        e = emb.astype(np.float64) * t.embedding_scale
        ref = sparse.hstack([sparse.csr_matrix(e), t.tfidf_.transform(lemmas)], format="csr")
        assert X.shape == ref.shape
        for name in ("indptr", "indices", "data"):
            np.testing.assert_array_equal(getattr(X, name), getattr(ref, name))
    # features() is that matrix for the segments' own embeddings
    X = t.features(segments)
    ref = sparse.hstack(
        [
            sparse.csr_matrix(t.embedder_.embed(texts[:-2]).astype(np.float64) * t.embedding_scale),
            t.tfidf_.transform(lemmas[:-2]),
        ],
        format="csr",
    )
    np.testing.assert_array_equal(X.toarray(), ref.toarray())


def test_tfidf_transform_equals_the_vectorizer_and_hands_other_settings_back(segments):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from commentmine._tagging._selftrain import tfidf_transform

    t = Tagger(CODEBOOK).fit(segments)
    docs = segments["lemmas"].astype(str).tolist() + ["", "fund fund fund grant", "nothing known"]
    got, ref = tfidf_transform(t.tfidf_, docs), t.tfidf_.transform(docs)
    for name in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(got, name), getattr(ref, name))
    other = TfidfVectorizer(ngram_range=(1, 1)).fit(docs)  # not the tagger's settings
    np.testing.assert_array_equal(tfidf_transform(other, docs).data, other.transform(docs).data)


def test_scoring_builds_features_in_row_blocks_with_the_same_values(segments, monkeypatch):
    from commentmine._tagging import _selftrain

    t = Tagger(CODEBOOK).fit(segments)
    scores, tags = t.score(segments), t.predict(segments)
    monkeypatch.setattr(_selftrain, "FEATURE_ROWS", 3)
    np.testing.assert_array_equal(t.score(segments), scores)
    pd.testing.assert_frame_equal(t.predict(segments), tags)


def test_non_answer_sentences_stay_uncoded_and_are_never_the_fallback(segments):
    from commentmine._segment import segment

    texts = [
        "Nothing. Our grant funding was cut this year.",
        "No. The officers were rude.",
        "N/A",
        "Nothing.",  # a comment that is only a non-answer sentence (status left "ok" here)
    ]
    tagger = Tagger(CODEBOOK, seed=0).fit(segments)
    segs = segment(texts)
    tags = tagger.predict(segs)
    assert set(tags["segment_id"]) == set(segs["segment_id"])  # every segment still there
    by_text = tags.groupby("text")["theme"].apply(set).to_dict()
    for t in ("Nothing.", "No.", "N/A"):
        assert by_text[t] == {"uncoded"}
    assert tags.loc[tags["text"].isin(["Nothing.", "No.", "N/A"]), "score"].eq(0.0).all()
    assert "uncoded" not in by_text["Our grant funding was cut this year."]
    # the scores a theme model reads say the same, and fit never learns from them
    s = tagger.score(segs)
    assert not s[segs["text"].isin(["Nothing.", "No.", "N/A"]).to_numpy()].any()
    fitted = Tagger(CODEBOOK, seed=0).fit(pd.concat([segments, segs], ignore_index=True))
    assert fitted.n_fit_ == tagger.n_fit_ + 2  # the two content sentences only


def test_theme_text_is_one_definition_with_or_without_examples():
    from commentmine._tagging._anchors import anchor_texts, theme_text

    th = Theme(id="t", label="Funding", description="Money.", examples=("We need grants.",))
    assert theme_text(th) == "Funding: Money." == anchor_texts(th)[0]  # the tagger's anchor
    assert theme_text(th, examples=True) == "Funding. Money.. We need grants."  # quotes
    bare = Theme(id="t")
    assert theme_text(bare) == bare.label == theme_text(bare, examples=True)
