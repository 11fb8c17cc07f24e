"""Theme discovery: determinism, few outliers, the draft-codebook round trip, matched/emergent."""

from __future__ import annotations

import hashlib
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from commentmine import errors
from commentmine._discover import Discovery, _comment_majority, discover
from commentmine.codebook import Codebook, Theme, load_codebook

ROOT = Path(__file__).resolve().parents[1]

PARKING = [
    "There was nowhere to park the car at the hospital.",
    "The car park was full and parking cost far too much.",
    "Parking charges are too expensive for patients.",
    "I drove round the car park for half an hour looking for a space.",
    "More parking spaces are needed near the clinic.",
    "The parking machine did not take cards.",
    "Parking is a nightmare, the car park is always full.",
    "We had to park on the street because the car park was closed.",
    "Disabled parking bays were all taken.",
    "Free parking for patients would help a lot.",
    "The car park barrier was broken and we could not get out.",
    "Parking fees went up again this year.",
    "Finding a parking space took longer than the appointment.",
    "The multi storey car park is badly lit.",
    "Please provide more car parking for visitors.",
    "Car parking was easy and close to the entrance. Plenty of parking spaces.",
    "The car park ticket machine was out of order.",
    "No parking near the surgery at all.",
    "Parking costs should be lower for long stays.",
    "The new car park made parking much easier.",
]
FOOD = [
    "The food on the ward was cold and tasteless.",
    "Hospital meals were delicious and hot.",
    "The sandwiches were stale and the soup was cold.",
    "I loved the breakfast, the toast and tea were lovely.",
    "More vegetarian meals on the menu please.",
    "The dinner portions were far too small.",
    "Meals arrived late and the food was cold.",
    "The canteen food was tasty and cheap.",
    "Lunch was the same boring sandwich every day.",
    "Fresh fruit with every meal would be nice.",
    "The menu had good choices of hot food.",
    "My tea and biscuits came quickly every afternoon.",
    "The food made me feel sick, it was undercooked.",
    "Lovely hot dinners and a nice pudding.",
    "There was no gluten free food on the menu.",
    "The breakfast cereal and toast were fine.",
    "Food trolley came round with drinks and snacks.",
    "The chicken curry was the best meal I had.",
    "Meals were bland and lacked flavour.",
    "Better food and drink for patients please.",
]
STAFF = [
    "The nurses were kind and caring.",
    "Staff were friendly and helpful throughout.",
    "The doctor listened to me and explained everything.",
    "Lovely caring nurses who treated me with respect.",
    "The receptionist was rude and unhelpful.",
    "All the staff were polite and professional.",
    "The nurse was very kind to my mother.",
    "Friendly staff who made me feel at ease.",
    "The doctors were compassionate and patient.",
    "Staff were attentive and always smiling.",
    "The nursing team were wonderful and supportive.",
    "A very caring and friendly nurse looked after me.",
    "The staff treated me with dignity and kindness.",
    "The consultant was kind and took time to explain.",
    "Helpful and friendly nurses on every shift.",
    "The healthcare assistant was gentle and kind.",
    "Some staff were abrupt and did not introduce themselves.",
    "The midwife was supportive and reassuring.",
    "Nurses were professional, kind and caring.",
    "Thank you to the lovely staff who cared for me.",
]
TEXTS = PARKING + FOOD + STAFF
TRUTH = ["parking"] * len(PARKING) + ["food"] * len(FOOD) + ["staff"] * len(STAFF)

SMALL_CODEBOOK = Codebook(
    "small",
    themes=(
        Theme(
            "food_drink",
            label="Food and drink",
            description="Meals, food quality, menus, drinks and snacks provided to patients.",
            keywords=("food", "meal", "menu"),
        ),
        Theme(
            "funding",
            label="Funding of charities",
            description="Grants, commissioning and procurement rules for voluntary groups.",
            keywords=("grant", "tender", "commissioning"),
        ),
    ),
)


def _comments(texts: list[str]) -> pd.DataFrame:
    ids = [f"c{i:03d}" for i in range(1, len(texts) + 1)]
    return pd.DataFrame(
        {
            "comment_id": ids,
            "respondent_id": ids,
            "question": "q",
            "text": texts,
            "source": "inline",
            "status": "ok",
            "speaker": "",
            "is_interviewer": False,
        }
    )


@pytest.fixture(scope="module")
def found() -> Discovery:
    return discover(_comments(TEXTS), n_themes=3)


def _fingerprint(d: Discovery) -> str:
    csv = d.assignments.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256((d.codebook.to_yaml() + "\n---\n" + csv).encode()).hexdigest()


def test_three_obvious_topics_are_found(found: Discovery) -> None:
    from sklearn.metrics import adjusted_rand_score

    assert len(found.codebook.themes) == 3
    by_comment = dict(
        zip(found.comment_assignments.comment_id, found.comment_assignments.theme, strict=True)
    )
    pred = [by_comment[f"c{i:03d}"] for i in range(1, len(TEXTS) + 1)]
    assert adjusted_rand_score(TRUTH, pred) >= 0.7
    # each theme's keywords speak its topic
    words = " ".join(found.themes["keywords"])
    for word in ("park", "food", "staff"):
        assert word in words


def test_outlier_share_at_most_5_percent(found: Discovery) -> None:
    assert found.outlier_share <= 0.05
    assert set(found.assignments.theme) <= {*found.codebook.ids, "outlier"}


def test_columns_and_one_row_per_segment(found: Discovery) -> None:
    assert list(found.assignments.columns) == ["comment_id", "segment_id", "theme"]
    assert found.assignments.segment_id.is_unique
    assert list(found.comment_assignments.columns) == ["comment_id", "theme"]
    assert found.comment_assignments.comment_id.is_unique
    assert set(found.comment_assignments.comment_id) == set(found.assignments.comment_id)
    assert list(found.themes.columns) == [
        "id",
        "label",
        "size",
        "keywords",
        "matched_codebook_theme",
        "similarity",
        "status",
    ]
    assert found.themes["size"].sum() == (found.assignments.theme != "outlier").sum()
    assert found.themes["size"].is_monotonic_decreasing


def test_readable_valid_themes(found: Discovery) -> None:
    for theme in found.codebook.themes:
        assert theme.id.startswith("d") and theme.id == theme.id.lower()
        assert "|" not in theme.id and ";" not in theme.id
        assert theme.label and 1 <= len(theme.label.split()) <= 4
        assert theme.description.startswith("Comments about ")
        assert theme.description.count(".") == 1  # one sentence
        assert 1 <= len(theme.keywords) <= 10
        assert 1 <= len(theme.examples) <= 3  # the three most representative quotes
        assert all(any(ex in t for t in TEXTS) for ex in theme.examples)  # verbatim
        assert theme.meta["status"] == "emergent"  # no codebook given
        assert theme.meta["size"] > 0


def test_same_seed_same_bytes_in_process(found: Discovery) -> None:
    again = discover(_comments(TEXTS), n_themes=3)
    assert _fingerprint(again) == _fingerprint(found)


_SCRIPT = """
import hashlib, sys
import pandas as pd
sys.path.insert(0, {tests!r})
from test_discover import TEXTS, _comments, _fingerprint
from commentmine._discover import discover
print(_fingerprint(discover(_comments(TEXTS), n_themes=3, seed=7)))
"""


def test_same_seed_same_bytes_across_processes(tmp_path: Path) -> None:
    script = _SCRIPT.format(tests=str(Path(__file__).parent))
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    runs = []
    for i in range(2):
        env["COMMENTMINE_CACHE"] = str(tmp_path / f"cache{i}")
        out = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        runs.append(out.stdout.strip().splitlines()[-1])
    assert runs[0] == runs[1] and len(runs[0]) == 64


def test_draft_codebook_round_trips(found: Discovery, tmp_path: Path) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(found.codebook.to_yaml(), encoding="utf-8")
    loaded = load_codebook(path)
    assert loaded.to_yaml() == found.codebook.to_yaml()
    assert loaded.ids == found.codebook.ids


def test_draft_codebook_tags(found: Discovery, tmp_path: Path) -> None:
    tag_mod = importlib.import_module("commentmine._tagging._public")
    path = tmp_path / "themes.yaml"
    path.write_text(found.codebook.to_yaml(), encoding="utf-8")
    tags = tag_mod.tag(_comments(TEXTS), load_codebook(path))
    assert set(tags.theme) - {"uncoded"} <= set(found.codebook.ids)
    assert (tags.theme != "uncoded").mean() > 0.5


def test_matched_and_emergent_flags() -> None:
    d = discover(_comments(TEXTS), n_themes=3, codebook=SMALL_CODEBOOK)
    statuses = dict(zip(d.themes.id, d.themes.status, strict=True))
    matched = d.themes[d.themes.status == "matched"]
    assert list(matched.matched_codebook_theme) == ["food_drink"]
    food_theme = matched.id.iloc[0]
    food_ids = {f"c{i:03d}" for i in range(len(PARKING) + 1, len(PARKING) + len(FOOD) + 1)}
    ca = d.comment_assignments
    assert (ca[ca.comment_id.isin(food_ids)].theme == food_theme).mean() >= 0.8
    assert sorted(statuses.values()) == ["emergent", "emergent", "matched"]
    for theme in d.codebook.themes:
        assert theme.meta["status"] == statuses[theme.id]
        assert 0 <= theme.meta["similarity"] <= 1
        if theme.meta["status"] == "matched":
            assert theme.meta["matched_theme"] == "food_drink"
    # the flags survive the YAML round trip
    loaded = load_codebook(d.codebook.to_yaml())
    assert [t.meta for t in loaded.themes] == [t.meta for t in d.codebook.themes]


def test_uncoded_only_clusters_just_the_uncoded_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    tag_mod = importlib.import_module("commentmine._tagging._public")
    seen = {}

    def fake_tag(segments, codebook, **kw):  # food segments coded, the rest uncoded
        seen["codebook"] = codebook
        food = segments["text"].isin(FOOD)
        return pd.DataFrame(
            {
                "comment_id": segments["comment_id"],
                "segment_id": segments["segment_id"],
                "theme": ["food_drink" if f else "uncoded" for f in food],
            }
        )

    monkeypatch.setattr(tag_mod, "tag", fake_tag)
    d = discover(_comments(TEXTS), codebook=SMALL_CODEBOOK, uncoded_only=True, n_themes=2)
    assert seen["codebook"] is SMALL_CODEBOOK
    food_comments = {f"c{i:03d}" for i in range(len(PARKING) + 1, len(PARKING) + len(FOOD) + 1)}
    assert not food_comments & set(d.assignments.comment_id)
    assert len(d.assignments) == 61 - len(FOOD)
    assert d.codebook.meta["matched_against"] == "small"


def test_large_input_path_micro_clusters(monkeypatch: pytest.MonkeyPatch) -> None:
    disc = importlib.import_module("commentmine._discover._cluster")
    monkeypatch.setattr(disc, "_WARD_LIMIT", 20)  # force k-means micro-clusters, then Ward
    d = discover(_comments(TEXTS), n_themes=3, seed=3)
    assert len(d.codebook.themes) == 3
    assert d.outlier_share <= 0.05
    again = discover(_comments(TEXTS), n_themes=3, seed=3)
    assert _fingerprint(again) == _fingerprint(d)


def test_comment_majority_ties_to_lower_id() -> None:
    a = pd.DataFrame(
        {
            "comment_id": ["x", "x", "y", "y", "y", "z", "w", "w"],
            "segment_id": ["x#1", "x#2", "y#1", "y#2", "y#3", "z#1", "w#1", "w#2"],
            "theme": ["d02_b", "d01_a", "d03_c", "d03_c", "d01_a", "outlier", "outlier", "d02_b"],
        }
    )
    got = dict(_comment_majority(a).itertuples(index=False))
    assert got == {"x": "d01_a", "y": "d03_c", "z": "outlier", "w": "d02_b"}


def test_plain_texts_and_data_chosen_count() -> None:
    d = discover(TEXTS)
    assert 2 <= len(d.codebook.themes) <= 6
    assert d.assignments.comment_id.iloc[0] == "1"


def test_errors() -> None:
    with pytest.raises(errors.InputError, match="E502"):
        discover(_comments(TEXTS), uncoded_only=True)
    with pytest.raises(errors.InputError, match="E502"):
        discover(_comments(TEXTS), n_themes=1)
    with pytest.raises(errors.InputError, match="E501"):
        discover(_comments(TEXTS[:3]))


def test_cli_discover_then_tag_round_trip(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from commentmine.cli import app

    src = tmp_path / "answers.csv"
    pd.DataFrame({"rid": [f"r{i}" for i in range(len(TEXTS))], "answer": TEXTS}).to_csv(
        src, index=False
    )
    draft, assigned, tags = tmp_path / "themes.yaml", tmp_path / "a.csv", tmp_path / "tags.csv"
    common = [str(src), "--text-col", "answer", "--id-col", "rid"]
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "discover",
            *common,
            "--n-themes",
            "3",
            "--out",
            str(draft),
            "--assignments",
            str(assigned),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "3 themes from 61 segments" in res.output
    ids = load_codebook(draft).ids
    a = pd.read_csv(assigned, keep_default_na=False)
    assert list(a.columns) == ["comment_id", "segment_id", "theme"] and len(a) == 61
    assert set(a.theme) <= {*ids, "outlier"}
    res = runner.invoke(app, ["tag", *common, "--codebook", str(draft), "--out", str(tags)])
    assert res.exit_code == 0, res.output
    tagged = pd.read_csv(tags, keep_default_na=False)
    assert set(tagged.theme) - {"uncoded"} <= set(ids) and (tagged.theme != "uncoded").any()
    res = runner.invoke(app, ["discover", *common, "--uncoded-only", "--out", str(draft)])
    assert res.exit_code == 2 and "E502" in res.output


def test_lexical_features_steer_the_clusters() -> None:
    import importlib

    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    mod = importlib.import_module("commentmine._discover._cluster")
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(60, 16))  # embeddings that carry no theme at all
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    truth = np.repeat([0, 1, 2], 20)
    lexical = np.zeros((60, 3))
    lexical[np.arange(60), truth] = 1.0  # words that separate the three themes perfectly

    def fit(weight: float) -> np.ndarray:
        clusterer = mod._WardClusterer(
            n_clusters=3,
            k_min=2,
            k_max=3,
            min_size=3,
            outlier_similarity=-1.0,
            seed=0,
            lexical=lexical,
            lexical_weight=weight,
        )
        return clusterer.fit(noise).labels_

    assert adjusted_rand_score(truth, fit(0.9)) == 1.0
    assert adjusted_rand_score(truth, fit(0.0)) < 0.5


def test_smoothing_pulls_a_segment_to_the_theme_its_neighbours_share() -> None:
    import importlib

    import numpy as np

    mod = importlib.import_module("commentmine._discover._cluster")
    rng = np.random.default_rng(0)
    e0, e1 = np.eye(8)[0], np.eye(8)[1]
    a = e0 + 0.02 * rng.normal(size=(10, 8))
    b = e1 + 0.02 * rng.normal(size=(10, 8))
    between = (0.5 * e0 + 0.52 * e1)[None, :]  # as near one theme as the other, on its own
    X = np.vstack([a, b, between])
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    p = X[-1]
    assert abs(p @ e1 - p @ e0) < 0.05
    S = mod._smooth(X, 5)  # its five nearest segments are all of the second theme
    assert S[-1] @ e1 - S[-1] @ e0 > 0.5
    assert np.allclose(np.linalg.norm(S, axis=1), 1.0)
    assert np.array_equal(S, mod._smooth(X, 5))  # a function of the rows only
    assert np.array_equal(mod._smooth(X, 0), X)  # 0: off


def test_a_theme_whose_members_are_spread_is_split() -> None:
    import importlib

    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    mod = importlib.import_module("commentmine._discover._cluster")
    rng = np.random.default_rng(0)
    centres = np.zeros((3, 16))
    centres[0, 0] = 1.0  # a tight theme far from the other two
    centres[1, 1] = 1.0
    centres[2, 1:3] = (0.8, 0.6)  # two themes near each other: the silhouette sees one
    truth = np.repeat([0, 1, 2], 30)
    X = centres[truth] + np.array([0.05, 0.12, 0.12])[truth, None] * rng.normal(size=(90, 16))
    X /= np.linalg.norm(X, axis=1, keepdims=True)

    def fit(split: float, n_clusters: int | None = None) -> np.ndarray:
        return (
            mod._WardClusterer(
                n_clusters=n_clusters,
                k_min=2,
                k_max=3,
                min_size=5,
                outlier_similarity=-1.0,
                seed=0,
                split_spread=split,
            )
            .fit(X)
            .labels_
        )

    assert len(set(fit(0.0).tolist())) == 2  # the two near themes as one
    assert adjusted_rand_score(truth, fit(0.9)) == 1.0  # the spread theme split in two
    assert len(set(fit(0.9, n_clusters=2).tolist())) == 2  # a number asked for is kept
    with pytest.raises(errors.InputError):
        discover(_comments(TEXTS), split_spread=1.5)
    with pytest.raises(errors.InputError):
        discover(_comments(TEXTS), neighbours=-1)


def test_lexical_features_unit_rows_and_no_vocabulary() -> None:
    import importlib

    import numpy as np

    mod = importlib.import_module("commentmine._discover._cluster")
    docs = ["car park full", "park car space", "food cold meal", "meal hot food", "the of and"]
    Z = mod._lexical(docs)
    assert Z is not None and Z.shape[0] == len(docs)
    norms = np.linalg.norm(Z, axis=1)
    assert np.allclose(norms[:4], 1.0) and norms[4] == 0.0  # stop words only: zero row
    assert np.array_equal(Z, mod._lexical(docs))
    assert mod._lexical(["the", "and of"]) is None
    with pytest.raises(errors.InputError):
        discover(_comments(TEXTS), lexical_weight=1.0)


_LIGHT = """
import sys
sys.path.insert(0, {tests!r})
from test_discover import TEXTS, _comments, _fingerprint
from commentmine._discover import discover
fp = _fingerprint(discover(_comments(TEXTS), n_themes=3, seed=7))
loaded = sorted(m for m in ("torch", "sentence_transformers", "umap", "plotly", "bertopic")
                if m in sys.modules)
print(fp, ",".join(loaded) or "-")
{after}
"""


def test_discovery_leaves_bertopics_heavy_extras_unimported(tmp_path: Path) -> None:
    """Discovery imports BERTopic without torch, UMAP or plotly, with the same result as with
    the full library, and a later ``import bertopic`` still gets the full library."""
    after = (
        "import bertopic._bertopic as b\n"
        "print(type(b.plotting).__name__, 'umap' in sys.modules or b.BERTopic.__name__)"
    )
    full = "import bertopic\n" + _LIGHT.format(tests=str(Path(__file__).parent), after="")
    runs = []
    for script in (_LIGHT.format(tests=str(Path(__file__).parent), after=after), full):
        env = {**os.environ, "COMMENTMINE_CACHE": str(tmp_path / f"c{len(runs)}")}
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT
        )
        assert out.returncode == 0, out.stderr[-2000:]
        runs.append(out.stdout.strip().splitlines())
    fp_light, loaded_light = runs[0][-2].split()
    fp_full, loaded_full = runs[1][-1].split()
    assert loaded_light == "-"  # nothing heavy, and bertopic itself dropped again
    assert "torch" in loaded_full and "bertopic" in loaded_full  # the full import did load it
    assert fp_light == fp_full  # same themes either way
    assert runs[0][-1].split()[0] == "module"  # later import: real plotting, not the mock


_FALLBACK = """
import importlib
import sys
d = importlib.import_module("commentmine._discover._bertopic")
assert "bertopic" not in sys.modules and "tqdm" not in sys.modules
d._BERTOPIC_UNUSED = ("tqdm",)  # bertopic imports tqdm unguarded: the light import fails
BERTopic = d._bertopic()[0]
print(BERTopic.__name__, "bertopic" in sys.modules, "tqdm" in sys.modules)
"""


def test_light_bertopic_import_falls_back_to_the_full_import() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _FALLBACK], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["BERTopic", "True", "True"]


# --- issue 16: content, not boilerplate; labels people would write -------------------------

AIRLINES = ["JetBlue", "United", "Delta", "SouthwestAir"]
_COMPLAINTS = {
    "delay": [
        "my flight was delayed three hours and nobody told us why",
        "another delay at the gate, we sat on the plane for ages",
        "the flight delay made me miss my connection",
        "delayed again, the departure board kept changing",
        "two hour delay and no updates from the crew",
        "flight delayed overnight and we had to sleep at the airport",
    ],
    "bags": [
        "lost my luggage and the baggage desk was useless",
        "my suitcase never arrived, lost baggage claim still open",
        "they damaged my bag and refuse to pay for the repair",
        "baggage fees are ridiculous for a short flight",
        "checked bag went to the wrong city",
        "waited an hour at baggage claim for my luggage",
    ],
    "staff": [
        "the cabin crew were so friendly and helpful",
        "lovely crew on my flight today, thank you",
        "the gate agent was rude and unhelpful",
        "flight attendants were kind to my kids",
        "customer service agent on the phone was patient and helpful",
        "the crew made the long flight pleasant",
    ],
}


def _airline_comments() -> tuple[list[str], list[str]]:
    texts, truth = [], []
    for k, airline in enumerate(AIRLINES):
        for reason, lines in _COMPLAINTS.items():
            for j, line in enumerate(lines):
                url = f" https://t.co/x{k}{j}" if j % 2 else ""
                texts.append(f"@{airline} {line}, {airline} please sort this out{url}")
                truth.append(reason)
    return texts, truth


def test_handles_urls_and_names_across_themes_never_reach_a_label() -> None:
    from sklearn.metrics import adjusted_rand_score

    texts, truth = _airline_comments()
    d = discover(_comments(texts), n_themes=3, min_theme_size=3)
    words = {
        w.lower()
        for t in d.codebook.themes
        for phrase in (t.label, *t.keywords)
        for w in phrase.replace("-", " ").split()
    }
    for airline in AIRLINES:
        assert airline.lower() not in words
    assert not any(w.startswith(("@", "http", "t.co")) or "/" in w for w in words)
    # the themes are the complaint reasons, not the airlines the tweets are addressed to
    by_comment = dict(
        zip(d.comment_assignments.comment_id, d.comment_assignments.theme, strict=True)
    )
    pred = [by_comment[f"c{i:03d}"] for i in range(1, len(texts) + 1)]
    assert adjusted_rand_score(truth, pred) >= 0.5
    assert adjusted_rand_score([t.split()[0] for t in texts], pred) < 0.1
    left_out = set(d.codebook.meta.get("names_left_out", []))
    assert {a.lower() for a in AIRLINES} & left_out


def test_stop_phrases_never_reach_a_label() -> None:
    d = discover(_comments(TEXTS), n_themes=3, stop_phrases=["car park", "food"])
    text = " ".join(f"{t.label} {' '.join(t.keywords)} {t.description}" for t in d.codebook.themes)
    assert "car park" not in text.lower()
    assert "food" not in text.lower().split()


def test_labels_keep_surface_forms_and_unique_head_words(found: Discovery) -> None:
    corpus = {w.lower().strip(".,!?") for t in TEXTS for w in t.split()}
    data_texts = [
        "We share data with our partners under a data sharing agreement.",
        "Data sharing between charities would save clients time.",
        "Our data sharing agreement with the police works well.",
        "The data we collect is never shared back with us.",
        "Sharing data safely needs a proper data sharing agreement.",
        "Data protection rules make data sharing hard.",
    ] * 2
    d2 = discover(_comments(TEXTS + data_texts), n_themes=4)
    corpus |= {w.lower().strip(".,!?") for t in data_texts for w in t.split()}
    for d in (found, d2):
        heads = [t.label.split()[-1].lower() for t in d.codebook.themes]
        assert len(heads) == len(set(heads)), heads
        for t in d.codebook.themes:
            for w in t.label.split():
                assert w.lower() in corpus, (w, t.label)  # a word form of the text, no lemma
    labels = " ".join(t.label.lower() for t in d2.codebook.themes)
    assert "datum" not in labels and "data" in labels


def test_near_duplicate_themes_merge() -> None:
    many = discover(_comments(TEXTS), n_themes=9, merge_similarity=1.0)
    merged = discover(_comments(TEXTS), n_themes=9, merge_similarity=0.7)
    assert len(merged.codebook.themes) < len(many.codebook.themes)
    heads = [t.label.split()[-1].lower() for t in many.codebook.themes]
    assert len(heads) == len(set(heads))


def test_quotes_are_redacted() -> None:
    texts = [
        f"{t} Call Jane Smith on 07700 900123." if i % 7 == 0 else t for i, t in enumerate(TEXTS)
    ]
    d = discover(_comments(texts), n_themes=3)
    quotes = [q for t in d.codebook.themes for q in t.examples]
    assert quotes
    assert not any("07700" in q for q in quotes)


def test_label_is_what_the_members_share_not_a_one_off() -> None:
    # every parking comment says "parking"; each also has a phrase no other comment has
    one_offs = [f"{a} {b}" for a in ("ticket", "barrier", "meter") for b in ("machine", "arm")]
    texts = [
        f"{t} The {w} was no help with the parking."
        for t, w in zip(PARKING, one_offs * 4, strict=False)
    ]
    d = discover(_comments(texts + FOOD + STAFF), n_themes=3)
    labels = [t.label.lower() for t in d.codebook.themes]
    assert any(lab.split()[-1] == "parking" for lab in labels), labels
    assert not any(w in lab for lab in labels for w in one_offs), labels


def test_hyphenated_words_are_not_cut_into_labels_or_keywords() -> None:
    texts = [f"{t} It felt like a tick-box exercise with part-time staff." for t in PARKING]
    d = discover(_comments(texts + FOOD + STAFF), n_themes=3)
    words = " | ".join(
        phrase.lower() for t in d.codebook.themes for phrase in (t.label, *t.keywords)
    )
    assert "box exercise" not in words and "time staff" not in words, words
    assert not any(p.strip() in {"box", "tick", "time", "part"} for p in words.split("|"))


def test_list_lead_ins_are_layout_not_a_theme() -> None:
    lead_ins = ["Three things really:", "Main points:", "A few things:"]
    texts = [
        f"{lead_ins[i % 3]}\n\u2022 {p}\n\u2022 {f}\n\u2022 {s}"
        for i, (p, f, s) in enumerate(zip(PARKING, FOOD, STAFF, strict=True))
    ]
    d = discover(_comments(texts), n_themes=3)
    rows = d.assignments
    assert (rows.groupby("comment_id").size() >= 4).all()  # the lead-in is a segment ...
    lead = rows[rows.segment_id.str.endswith("#1")]
    assert (lead.theme == "outlier").all()  # ... and no theme's member
    assert (rows[~rows.segment_id.str.endswith("#1")].theme != "outlier").mean() >= 0.95
    labels = " ".join(t.label.lower() for t in d.codebook.themes)
    assert "things" not in labels and "points" not in labels, labels


def test_no_idea_and_today_are_not_label_words() -> None:
    texts = [f"{t} I paid by card today." for t in PARKING] + FOOD + STAFF
    texts += ["No idea.", "No idea really.", "I have no idea.", "No idea, sorry."] * 2
    # five groups: parking, card payments, food, staff and the "no idea" answers (a 4-way cut
    # once merged food with staff; with the smoothed embeddings it keeps them apart instead)
    d = discover(_comments(texts), n_themes=5)
    labels = [t.label.lower() for t in d.codebook.themes]
    assert "idea" not in labels and not any(lab.endswith("today") for lab in labels), labels
    short = [t for t in d.codebook.themes if "idea" in t.label.lower()]
    assert short and short[0].description.startswith("Short answers such as")  # as written
