"""Theme models: training, cross-validated scores, save/load without pickle, CLI."""

from __future__ import annotations

import hashlib
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from commentmine import errors
from commentmine._training._public import load_theme_model, train
from commentmine.codebook import Codebook, Theme


def _text_scores(tagger, texts: list[str]) -> np.ndarray:
    """A fitted Tagger's score of each text: its best sentence's, per theme (0: no sentence)."""
    from commentmine._segment import segment

    segs = segment(list(texts))
    out = np.zeros((len(texts), len(tagger.themes_)))
    rows = segs["comment_id"].astype(int).to_numpy() - 1  # segment(texts) numbers from 1
    np.maximum.at(out, rows, tagger.score(segs))
    return out


CODEBOOK = Codebook(
    name="tiny",
    description="",
    themes=(
        Theme(
            id="cost",
            label="Cost",
            description="Prices, money and value.",
            keywords=("price", "expensive"),
            exclude=(),
            examples=(),
            parent=None,
            threshold=None,
            meta={},
        ),
        Theme(
            id="staff",
            label="Staff",
            description="Staff, nurses and how kind they were.",
            keywords=("nurse",),
            exclude=(),
            examples=(),
            parent=None,
            threshold=None,
            meta={},
        ),
        Theme(
            id="wait",
            label="Waiting",
            description="Waiting times and delays.",
            keywords=(),
            exclude=(),
            examples=(),
            parent=None,
            threshold=None,
            meta={},
        ),
    ),
    meta={},
)

_COST = [
    "far too expensive",
    "the price was high",
    "cheap and good value",
    "costly parking fees",
    "money well spent",
    "overpriced drinks",
    "prices went up again",
    "a fair price",
]
_STAFF = [
    "the nurse was kind",
    "staff were rude",
    "lovely helpful staff",
    "the doctor listened",
    "friendly reception team",
    "nurses were caring",
    "staff ignored us",
    "kind carers",
]
_WAIT = [
    "waited four hours",
    "long delays",
    "the queue was slow",
    "seen quickly, no wait",
    "delay before surgery",
    "waiting time too long",
    "kept waiting",
    "slow to answer",
]
_NONE = ["nothing to add", "n/a thanks", "ok", "no comment"]


def _coded() -> pd.DataFrame:
    rows = []
    for theme, texts in (("cost", _COST), ("staff", _STAFF), ("wait", _WAIT)):
        rows += [(t, theme) for t in texts]
    rows += [
        ("expensive and the nurse was rude", "cost|staff"),
        ("waited long and the price was high", "cost|wait"),
    ]
    rows += [(t, "") for t in _NONE]
    return pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(len(rows))],
            "text": [r[0] for r in rows],
            "labels": [r[1] for r in rows],
        }
    )


class HashEmbedder:
    """Deterministic bag-of-words hashing embedder (no model files needed)."""

    name = "hash-32"

    def embed(self, texts):
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in str(t).lower().split():
                h = int(hashlib.md5(w.encode()).hexdigest(), 16)
                out[i, h % 32] += 1.0 if (h >> 8) % 2 else -1.0
        n = np.linalg.norm(out, axis=1, keepdims=True)
        n[n == 0] = 1.0
        return out / n


def test_train_learns_and_reports_cv_scores() -> None:
    model = train(
        _coded(),
        CODEBOOK,
        text_col="text",
        id_col="id",
        labels_col="labels",
        embedder=HashEmbedder(),
        cv=3,
    )
    assert model.themes_ == ["cost", "staff", "wait"]
    assert model.trained_.all()
    assert model.n_examples_ == {"cost": 10, "staff": 9, "wait": 9}
    s = model.cv_scores_
    assert 0.0 <= s["macro_f1"] <= 1.0 and s["n_rows"] == 30
    assert set(s["per_theme_f1"]) == {"cost", "staff", "wait"}
    labels = model.predict_labels(["the price was high", "the nurse was kind", "waited four hours"])
    assert labels == [["cost"], ["staff"], ["wait"]]
    scores = model.score(["the price was high"])
    assert scores.shape == (1, 3) and scores.min() >= 0.0 and scores.max() <= 1.0


def test_save_load_round_trip_without_pickle(tmp_path) -> None:
    emb = HashEmbedder()
    model = train(
        _coded(), CODEBOOK, embedder=emb, cv=3, unlabelled=["a fair price", "kept waiting"]
    )
    folder = model.save(tmp_path / "model")
    assert sorted(p.name for p in folder.iterdir()) == [
        "codebook.yaml",
        "manifest.json",
        "tagger.json",
        "tfidf.json",
        "weights.npz",
    ]
    with zipfile.ZipFile(folder / "weights.npz") as z:  # only plain arrays, no object dtype
        for name in z.namelist():
            assert name.endswith(".npy")
    with np.load(folder / "weights.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["embedder"] == "hash-32"
    assert manifest["codebook_sha256"] == CODEBOOK.sha256()
    assert manifest["seed"] == 0 and "macro_f1" in manifest["cv_scores"]
    assert manifest["n_unlabelled"] == 2

    loaded = load_theme_model(folder, embedder=emb)
    texts = ["price too high", "kind nurse", "long wait", "nothing"]
    np.testing.assert_array_equal(loaded.score(texts), model.score(texts))
    assert loaded.predict_labels(texts) == model.predict_labels(texts)
    # saving again gives the same bytes
    again = loaded.save(tmp_path / "model2")
    for name in ("codebook.yaml", "tagger.json", "tfidf.json", "weights.npz"):
        assert (again / name).read_bytes() == (folder / name).read_bytes()


def test_predict_gives_a_tags_table() -> None:
    model = train(_coded(), CODEBOOK, embedder=HashEmbedder(), cv=3)
    segs = pd.DataFrame(
        {
            "segment_id": ["a#1", "a#2", "b#1"],
            "comment_id": ["a", "a", "b"],
            "start": [0, 19, 0],
            "end": [18, 38, 2],
            "text": ["the price was high", "the nurse was kind", "ok"],
            "lemmas": ["", "", ""],
            "region": ["N", "N", "S"],
        }
    )
    tags = model.predict(segs)
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
    assert "region" in tags.columns
    assert set(tags["segment_id"]) == {"a#1", "a#2", "b#1"}  # every segment appears
    got = dict(zip(tags["segment_id"], tags["theme"], strict=False))
    assert got["a#1"] == "cost" and got["a#2"] == "staff"
    assert (tags.loc[tags["theme"] != "uncoded", "score"] >= 0.5).all()


def test_errors() -> None:
    bad = _coded().assign(labels=lambda d: d["labels"].replace("cost", "costs"))
    with pytest.raises(errors.CommentmineError, match="E603"):
        train(bad, CODEBOOK, embedder=HashEmbedder())
    dup = _coded().assign(id="same")
    with pytest.raises(errors.CommentmineError, match="E005"):
        train(dup, CODEBOOK, id_col="id", embedder=HashEmbedder())
    with pytest.raises(errors.CommentmineError, match="E001"):
        train(_coded(), CODEBOOK, text_col="comment", embedder=HashEmbedder())


def test_load_rejects_tampered_folders(tmp_path) -> None:
    emb = HashEmbedder()
    folder = train(_coded(), CODEBOOK, embedder=emb, cv=3).save(tmp_path / "m")
    (folder / "codebook.yaml").write_text(
        (folder / "codebook.yaml").read_text().replace("Waiting", "Queues")
    )
    with pytest.raises(errors.CommentmineError, match="E604"):
        load_theme_model(folder, embedder=emb)
    with pytest.raises(errors.CommentmineError, match="E604"):
        load_theme_model(tmp_path / "nowhere", embedder=emb)
    # an object array in the weights is refused (np.load with allow_pickle=False)
    folder2 = train(_coded(), CODEBOOK, embedder=emb, cv=3).save(tmp_path / "m2")
    np.savez(folder2 / "weights.npz", coef=np.array([{"a": 1}], dtype=object))
    with pytest.raises(errors.CommentmineError, match="E604"):
        load_theme_model(folder2, embedder=emb)


def test_cli_train(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from commentmine.cli import app

    coded = tmp_path / "coded.csv"
    _coded().to_csv(coded, index=False)
    cb = tmp_path / "cb.yaml"
    cb.write_text(CODEBOOK.to_yaml(), encoding="utf-8")
    out = tmp_path / "model"
    res = CliRunner().invoke(
        app,
        [
            "train",
            str(coded),
            "--text-col",
            "text",
            "--id-col",
            "id",
            "--labels-col",
            "labels",
            "--codebook",
            str(cb),
            "--cv",
            "3",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "cross-validated" in res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["themes"] == ["cost", "staff", "wait"]
    assert manifest["tagger_examples"] == 20
    coded_texts = set(_coded()["text"])
    saved = json.loads((out / "tagger.json").read_text())["coded_examples"]
    assert saved and all(x in coded_texts for xs in saved.values() for x in xs)

    # --tagger-examples 0 keeps the coded texts out of the model folder
    out0 = tmp_path / "model0"
    res = CliRunner().invoke(
        app,
        ["train", str(coded), "--id-col", "id", "--codebook", str(cb), "--cv", "3"]
        + ["--tagger-examples", "0", "--out", str(out0)],
    )
    assert res.exit_code == 0, res.output
    folder_text = "".join(p.read_text(errors="ignore") for p in out0.glob("*.json"))
    assert json.loads((out0 / "tagger.json").read_text())["coded_examples"] == {}
    assert "the nurse was kind" not in folder_text


def test_cli_tag_with_model(tmp_path) -> None:
    from typer.testing import CliRunner

    from commentmine.cli import app

    folder = train(_coded(), CODEBOOK, cv=3).save(tmp_path / "model")
    survey = tmp_path / "survey.csv"
    pd.DataFrame(
        {"id": ["1", "2", "3"], "answer": ["The price was high.", "The nurse was kind.", ""]}
    ).to_csv(survey, index=False)
    out = tmp_path / "tags.csv"
    res = CliRunner().invoke(
        app,
        [
            "tag",
            str(survey),
            "--text-col",
            "answer",
            "--id-col",
            "id",
            "--model",
            str(folder),
            "--level",
            "comment",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert list(got.columns[:4]) == ["comment_id", "status", "themes", "scores"]
    assert got["status"].tolist() == ["tagged", "tagged", "empty"]
    assert got["themes"].tolist()[:2] == ["cost", "staff"]
    res = CliRunner().invoke(app, ["tag", str(survey), "--text-col", "answer", "--out", str(out)])
    assert res.exit_code == 2 and "--codebook" in res.output


def test_cli_quotes_and_report_with_model(tmp_path) -> None:
    """``quotes --model`` quotes the model's tags, as ``tag --model`` + ``quotes --tags`` do."""
    from typer.testing import CliRunner

    from commentmine.cli import app

    folder = train(_coded(), CODEBOOK, cv=3).save(tmp_path / "model")
    survey = tmp_path / "survey.csv"
    texts = [
        "The price was far too high.",
        "The nurse was kind and caring.",
        "We waited three hours in the queue.",
        "Parking cost a fortune.",
        "Staff were rude at the desk.",
    ]
    pd.DataFrame({"id": [str(i) for i in range(1, 6)], "answer": texts}).to_csv(survey, index=False)
    base = [str(survey), "--text-col", "answer", "--id-col", "id"]
    run = CliRunner().invoke
    direct, via_tags, tags = tmp_path / "q1.csv", tmp_path / "q2.csv", tmp_path / "tags.csv"
    res = run(app, ["quotes", *base, "--model", str(folder), "--min-score", "0", "-o", str(direct)])
    assert res.exit_code == 0, res.output
    assert run(app, ["tag", *base, "--model", str(folder), "-o", str(tags)]).exit_code == 0
    cb = tmp_path / "model" / "codebook.yaml"
    res = run(
        app,
        [
            "quotes",
            *base,
            "-c",
            str(cb),
            "--tags",
            str(tags),
            "--min-score",
            "0",
            "-o",
            str(via_tags),
        ],
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(direct, keep_default_na=False, dtype=str)
    assert set(got["theme"]) <= {"cost", "staff", "wait"} and len(got)
    assert got.equals(pd.read_csv(via_tags, keep_default_na=False, dtype=str))
    manifest = json.loads((tmp_path / "q1.manifest.json").read_text())
    assert manifest["parameters"]["model"] == str(folder)
    assert any(i["file"] == "weights.npz" and i["sha256"] for i in manifest["inputs"])

    # a report from the model; --codebook and --model together, or neither, is a one-line error
    res = run(
        app, ["report", *base, "--model", str(folder), "--formats", "md", "-o", str(tmp_path / "r")]
    )
    assert res.exit_code == 0, res.output
    md = (tmp_path / "r" / "report.md").read_text()
    assert all(f"## {label} <a id=" in md for label in ("Cost", "Staff", "Waiting"))
    res = run(app, ["quotes", *base, "-c", str(cb), "--model", str(folder), "-o", str(direct)])
    assert res.exit_code == 2 and "not both" in res.output
    res = run(app, ["quotes", *base, "-o", str(direct)])
    assert res.exit_code == 2 and "--model" in res.output


# --- semi-supervised on top of the codebook tagger ------------------------------------------


def test_codebook_tagger_is_fitted_on_coded_and_unlabelled_texts() -> None:
    from commentmine._segment import segment
    from commentmine.ingest import answer_status

    pool = ["a fair price for once", "kept waiting again", "the nurse was lovely"]
    model = train(_coded(), CODEBOOK, embedder=HashEmbedder(), cv=3, unlabelled=pool)
    assert model.tagger_ is not None
    assert model.tagger_.themes_ == ["cost", "staff", "wait"]
    texts = _coded()["text"].tolist() + pool
    segs = segment(texts)
    content = [answer_status(t) != "non_answer" for t in segs["text"]]  # "no comment" is not
    assert model.tagger_.n_fit_ == sum(content)  # labels unused, pool included
    # the tagger's scores are features: one column per tagger theme after the others
    plain = train(
        _coded(), CODEBOOK, embedder=HashEmbedder(), cv=3, unlabelled=pool, codebook_prior=False
    )
    assert plain.tagger_ is None
    assert model.coef_.shape[1] == plain.coef_.shape[1] + 3


def test_theme_without_examples_keeps_the_taggers_decision() -> None:
    coded = _coded()
    coded["labels"] = coded["labels"].str.replace("wait", "").str.strip("|")
    model = train(coded, CODEBOOK, embedder=HashEmbedder(), cv=3)
    assert model.trained_.tolist() == [True, True, False]
    texts = ["waited four hours", "the price was high", "kept waiting"]
    tagger = _text_scores(model.tagger_, texts)[:, 2]
    np.testing.assert_allclose(model.predict_proba(texts)[:, 2], tagger)
    assert model.thresholds_[2] == 0.5
    want = [tagger[i] >= 0.5 for i in range(3)]
    assert [("wait" in ls) for ls in model.predict_labels(texts)] == want
    plain = train(coded, CODEBOOK, embedder=HashEmbedder(), cv=3, codebook_prior=False)
    assert not np.allclose(plain.predict_proba(texts)[:, 2], tagger)


def test_best_threshold_weights_and_shift_weights() -> None:
    from commentmine._training._classifiers import best_threshold as _best_threshold
    from commentmine._training._classifiers import shift_weights as _shift_weights

    p = np.array([0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1])
    y = np.array([1, 1, 0, 1, 0, 1, 0, 0])
    t = _best_threshold(p, y)
    assert t == pytest.approx(0.25)  # F1 0.8, all four positives in
    # negatives weighted up 10x: cutting above the first negative wins
    w = np.where(y == 1, 1.0, 10.0)
    assert _best_threshold(p, y, w) == pytest.approx(0.75)
    assert _best_threshold(p, y, np.ones(8)) == t
    # a perfectly separating classifier: the pool's mean probability is its share
    oof = np.r_[np.ones(5), np.zeros(15)]
    yy = oof.astype(int)
    pu = np.r_[np.ones(10), np.zeros(90)]
    w, share = _shift_weights(oof, yy, pu)
    assert share == pytest.approx(0.10)
    assert (w * yy).sum() / w.sum() == pytest.approx(0.10)  # coded rows re-weighted to it
    # a classifier that does not separate the coded rows gives no estimate
    assert _shift_weights(np.full(20, 0.5), yy, pu) == (None, None)


def test_prior_shift_raises_the_threshold_of_an_over_sampled_theme() -> None:
    # 'cost' is a third of the coded rows but a small share of the pool
    pool = ["the nurse was kind"] * 40 + ["waited four hours"] * 40 + ["far too expensive"] * 4
    kw = {"embedder": HashEmbedder(), "cv": 3, "unlabelled": pool}
    shifted = train(_coded(), CODEBOOK, **kw)
    plain = train(_coded(), CODEBOOK, prior_shift=False, **kw)
    assert shifted.pool_share_["cost"] < 0.2
    assert shifted.thresholds_[0] > plain.thresholds_[0]
    assert train(_coded(), CODEBOOK, embedder=HashEmbedder(), cv=3).pool_share_ == {}


def test_cli_train_with_unlabelled_then_tag_matches_the_library(tmp_path) -> None:
    from typer.testing import CliRunner

    import commentmine as cm
    from commentmine.cli import app

    coded = tmp_path / "coded.csv"
    _coded().to_csv(coded, index=False)
    pool = tmp_path / "pool.csv"
    texts = ["a fair price for once", "kept waiting again", "", "the nurse was lovely"]
    pd.DataFrame({"text": texts}).to_csv(pool, index=False)
    cb = tmp_path / "cb.yaml"
    cb.write_text(CODEBOOK.to_yaml(), encoding="utf-8")
    out = tmp_path / "model"
    args = ["train", str(coded), "--codebook", str(cb), "--cv", "3", "--out", str(out)]
    res = CliRunner().invoke(app, [*args, "--unlabelled", str(pool)])
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["n_unlabelled"] == 3 and manifest["codebook_prior"] is True
    assert (out / "tagger.json").exists()

    survey = tmp_path / "survey.csv"
    answers = ["The price was high. The nurse was kind.", "We waited four hours.", "Fine."]
    pd.DataFrame({"id": ["1", "2", "3"], "answer": answers}).to_csv(survey, index=False)
    tags = tmp_path / "tags.csv"
    res = CliRunner().invoke(
        app,
        [
            "tag",
            str(survey),
            "--text-col",
            "answer",
            "--id-col",
            "id",
            "--model",
            str(out),
            "--level",
            "comment",
            "--out",
            str(tags),
        ],
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(tags, keep_default_na=False, dtype=str)
    comments = cm.read(survey, id_col="id", text_cols=["answer"])
    lib = load_theme_model(out).tag(comments, level="comment")
    assert got["themes"].tolist() == lib["themes"].fillna("").astype(str).tolist()
    assert got["scores"].tolist() == lib["scores"].fillna("").astype(str).tolist()
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"comment": ["x"]}).to_csv(bad, index=False)
    res = CliRunner().invoke(app, [*args, "--unlabelled", str(bad)])
    assert res.exit_code == 2 and "E001" in res.output


def test_training_with_the_tagger_is_deterministic(tmp_path) -> None:
    pool = ["a fair price for once", "kept waiting again", "the nurse was lovely"] * 3
    folders = []
    for name in ("a", "b"):
        model = train(_coded(), CODEBOOK, embedder=HashEmbedder(), cv=3, unlabelled=pool)
        folders.append(model.save(tmp_path / name))
    for name in ("tagger.json", "tfidf.json", "weights.npz", "manifest.json"):
        assert (folders[0] / name).read_bytes() == (folders[1] / name).read_bytes()


def test_coded_rows_join_the_taggers_examples_cross_fitted(tmp_path) -> None:
    from commentmine._training._prior import fit_prior

    coded = _coded()
    model = train(coded, CODEBOOK, embedder=HashEmbedder(), cv=3, tagger_examples=4)
    ex = model.tagger_examples_
    assert sorted(ex) == ["cost", "staff", "wait"] and all(len(v) == 4 for v in ex.values())
    labels = dict(zip(coded["text"], coded["labels"].str.split("|"), strict=True))
    assert all(t in labels[x] for t, xs in ex.items() for x in xs)  # only that theme's rows
    assert model.tagger_.examples_[0] == ex["cost"]  # the fitted tagger's anchors

    # cross-fitted: a coded row's tagger features do not come from the tagger that holds it
    texts = coded["text"].tolist()
    Y = np.array([[t in labels[x] for t in model.themes_] for x in texts])
    fold_scores = fit_prior(
        texts,
        texts,
        Y,
        codebook=model.codebook_,
        themes=model.themes_,
        embedder=model.embedder_,
        per_theme=4,
        options=None,
        seed=0,
    ).scores
    final = _text_scores(model.tagger_, texts)
    used = [i for i, t in enumerate(texts) if any(t in xs for xs in ex.values())]
    assert not np.allclose(fold_scores[used], final[used])

    # the examples travel with the saved model and rebuild the same tagger
    folder = model.save(tmp_path / "m")
    state = json.loads((folder / "tagger.json").read_text())
    assert state["coded_examples"] == ex
    loaded = load_theme_model(folder, embedder=HashEmbedder())
    probe = ["price too high", "kind nurse", "long wait"]
    np.testing.assert_array_equal(loaded.score(probe), model.score(probe))

    off = train(coded, CODEBOOK, embedder=HashEmbedder(), cv=3, tagger_examples=0)
    assert off.tagger_examples_ == {} and off.tagger_.examples_ == [[], [], []]
    with pytest.raises(errors.CommentmineError, match="tagger_examples"):
        train(coded, CODEBOOK, embedder=HashEmbedder(), cv=3, tagger_examples=-1)
