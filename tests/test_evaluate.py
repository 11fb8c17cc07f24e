"""Agreement statistics: numbers match scikit-learn, krippendorff and NLTK; readers; CLI."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score, precision_recall_fscore_support

from commentmine import errors
from commentmine._evaluate import _alpha_closed, evaluate, load_codes, metrics_json, per_theme_frame

THEMES = ["cost", "staff", "wait", "food"]


def _random_codings(n: int = 120, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    gold = rng.random((n, len(THEMES))) < 0.3
    pred = gold ^ (rng.random((n, len(THEMES))) < 0.2)
    gold[:, 3] = False  # a theme absent from gold: excluded from macro, counted in micro
    return pred, gold


def _wide(matrix: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "comment_id": [f"c{i}" for i in range(len(matrix))],
            "status": "tagged",
            "themes": [
                "|".join(t for t, x in zip(THEMES, row, strict=True) if x) for row in matrix
            ],
        }
    )


def test_matches_scikit_learn() -> None:
    pred, gold = _random_codings()
    m = evaluate(_wide(pred), _wide(gold), n_boot=0)
    assert m["micro_f1"] == pytest.approx(f1_score(gold, pred, average="micro"))
    present = [j for j in range(len(THEMES)) if gold[:, j].any()]
    assert m["macro_f1"] == pytest.approx(
        f1_score(gold, pred, average="macro", labels=present, zero_division=0)
    )
    assert m["macro_themes"] == sorted(THEMES[j] for j in present)
    p, r, f, s = precision_recall_fscore_support(gold, pred, average=None, zero_division=0)
    for j, t in enumerate(THEMES):
        got = m["per_theme"][t]
        assert got["precision"] == pytest.approx(p[j])
        assert got["recall"] == pytest.approx(r[j])
        assert got["f1"] == pytest.approx(f[j])
        assert got["support"] == s[j]
        assert got["kappa"] == pytest.approx(cohen_kappa_score(gold[:, j], pred[:, j]))


def test_alpha_matches_krippendorff_and_nltk() -> None:
    import krippendorff
    from nltk.metrics.agreement import AnnotationTask

    pred, gold = _random_codings(n=30)
    m = evaluate(_wide(pred), _wide(gold), n_boot=0)
    expected = krippendorff.alpha(
        reliability_data=np.vstack([pred.ravel(), gold.ravel()]).astype(float),
        level_of_measurement="nominal",
    )
    assert m["krippendorff_alpha"] == pytest.approx(expected)
    triples = [
        (coder, f"{i}:{j}", int(mat[i, j]))
        for coder, mat in (("a", pred), ("b", gold))
        for i in range(mat.shape[0])
        for j in range(mat.shape[1])
    ]
    assert AnnotationTask(data=triples).alpha() == pytest.approx(expected)
    tp, fp = (pred & gold).sum(), (pred & ~gold).sum()
    fn, tn = (~pred & gold).sum(), (~pred & ~gold).sum()
    assert _alpha_closed(tp, fp, fn, tn) == pytest.approx(expected)


def test_units_in_one_table_count_as_uncoded() -> None:
    pred = pd.DataFrame({"comment_id": ["1", "2", "3"], "themes": ["cost", "cost", "staff"]})
    gold = pd.DataFrame({"comment_id": ["1", "2"], "themes": ["cost", ""]})
    m = evaluate(pred, gold, n_boot=0)
    assert m["units"] == {"total": 3, "both": 2, "predicted_only": 1, "gold_only": 0}
    assert m["per_theme"]["cost"] == pytest.approx(
        {
            "precision": 0.5,
            "recall": 1.0,
            "f1": 2 / 3,
            "kappa": 0.4,
            "support": 1,
            "predicted": 2,
            "tp": 1,
            "fp": 1,
            "fn": 0,
        }
    )
    assert m["per_theme"]["staff"]["fp"] == 1
    assert m["macro_themes"] == ["cost"]
    assert m["macro_f1"] == pytest.approx(2 / 3)
    assert m["micro_f1"] == pytest.approx(2 * 1 / (2 * 1 + 2 + 0))


def test_bootstrap_is_seeded() -> None:
    pred, gold = _random_codings()
    a = evaluate(_wide(pred), _wide(gold), n_boot=200, seed=1)["intervals"]
    b = evaluate(_wide(pred), _wide(gold), n_boot=200, seed=1)["intervals"]
    c = evaluate(_wide(pred), _wide(gold), n_boot=200, seed=2)["intervals"]
    assert a == b
    assert a != c
    point = evaluate(_wide(pred), _wide(gold), n_boot=0)
    for key in ("micro_f1", "macro_f1", "krippendorff_alpha"):
        lo, hi = a[key]
        assert lo < point[key] < hi


def test_metrics_json_is_deterministic_and_nan_safe() -> None:
    pred = pd.DataFrame({"comment_id": ["1", "2"], "themes": ["cost", "cost"]})
    gold = pd.DataFrame({"comment_id": ["1", "2"], "themes": ["cost", "cost"]})
    m = evaluate(pred, gold, n_boot=10)
    text = metrics_json(m)
    assert text == metrics_json(evaluate(pred, gold, n_boot=10))
    data = json.loads(text)
    assert data["per_theme"]["cost"]["kappa"] is None  # undefined: both coders constant
    assert data["micro_f1"] == 1.0
    frame = per_theme_frame(m)
    assert list(frame["theme"]) == ["cost"]


# --- readers -------------------------------------------------------------------------------


def test_long_and_wide_csv_give_the_same_codes(tmp_path) -> None:
    long = tmp_path / "long.csv"
    long.write_text("id,theme\n1,cost\n1,staff\n2,wait\n3,\n", encoding="utf-8")
    wide = tmp_path / "wide.csv"
    wide.write_text("id,labels\n1,cost|staff\n2,wait\n3,\n", encoding="utf-8")
    a = load_codes(long)
    b = load_codes(wide)
    key = ["id", "theme"]
    assert (
        a.sort_values(key)
        .reset_index(drop=True)[key]
        .equals(b.sort_values(key).reset_index(drop=True)[key])
    )
    assert set(a["id"]) == {"1", "2", "3"}
    assert a.loc[a["id"] == "3", "theme"].tolist() == [""]
    m = evaluate(long, wide, n_boot=0)
    assert m["micro_f1"] == 1.0


def test_xlsx_and_explicit_columns(tmp_path) -> None:
    path = tmp_path / "codes.xlsx"
    pd.DataFrame({"Resp": ["a", "b"], "Codes": ["cost | staff", "uncoded"]}).to_excel(
        path, index=False
    )
    codes = load_codes(path, id_col="Resp", theme_col="Codes")
    assert sorted(zip(codes["id"], codes["theme"], strict=True)) == [
        ("a", "cost"),
        ("a", "staff"),
        ("b", ""),
    ]
    with pytest.raises(errors.CommentmineError, match="E001"):
        load_codes(path, id_col="nope", theme_col="Codes")


def _qdpx(path, sources: dict[str, str], codings: list[tuple[str, str, int | None, int | None]]):
    """Write a minimal REFI-QDA project: sources with inline text, codes, codings."""
    names = sorted({c[1] for c in codings})
    guid = {n: f"00000000-0000-0000-0000-{i:012d}" for i, n in enumerate(names, start=1)}
    code_xml = "".join(f'<Code guid="{guid[n]}" name="{n}" isCodable="true"/>' for n in names)
    src_xml = []
    k = 100
    for s_i, (name, text) in enumerate(sources.items()):
        inner = [f"<PlainTextContent>{text}</PlainTextContent>"]
        whole = []
        for src, code, start, end in codings:
            if src != name:
                continue
            k += 1
            coding = (
                f'<Coding guid="00000000-0000-0000-0001-{k:012d}">'
                f'<CodeRef targetGUID="{guid[code]}"/></Coding>'
            )
            if start is None:
                whole.append(coding)
            else:
                inner.append(
                    f'<PlainTextSelection guid="00000000-0000-0000-0002-{k:012d}" '
                    f'startPosition="{start}" endPosition="{end}">{coding}</PlainTextSelection>'
                )
        src_xml.append(
            f'<TextSource guid="00000000-0000-0000-0003-{s_i:012d}" name="{name}.txt">'
            + "".join(inner)
            + "".join(whole)
            + "</TextSource>"
        )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        f"<CodeBook><Codes>{code_xml}</Codes></CodeBook>"
        f"<Sources>{''.join(src_xml)}</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", xml)
    return xml


def test_qdpx_reader_comment_and_segment(tmp_path) -> None:
    path = tmp_path / "coding.qdpx"
    text1 = "Too expensive. Staff were kind."
    xml = _qdpx(
        path,
        {"c1": text1, "c2": "Nothing to add."},
        [("c1", "cost", 0, 14), ("c1", "staff", 15, 31), ("c2", "food", None, None)],
    )
    codes = load_codes(path)
    assert set(codes["id"]) == {"c1", "c2"}
    span = codes[(codes["id"] == "c1") & (codes["theme"] == "staff")]
    assert (int(span["start"].iloc[0]), int(span["end"].iloc[0])) == (15, 31)
    assert text1[15:31] == "Staff were kind."
    gold = pd.DataFrame({"comment_id": ["c1", "c2"], "themes": ["cost|staff", "food"]})
    assert evaluate(path, gold, n_boot=0)["micro_f1"] == 1.0

    # the project validates against the REFI-QDA schema when it is available
    xsd = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "refi-qda-project-1.0.xsd"
    if xsd.exists():
        import xmlschema

        xmlschema.XMLSchema(str(xsd)).validate(xml)


def test_segment_level_counts_characters(tmp_path) -> None:
    # text: "Too expensive. Staff were kind." (31 chars); gold codes by character offsets
    path = tmp_path / "gold.qdpx"
    _qdpx(path, {"c1": "Too expensive. Staff were kind."}, [("c1", "cost", 0, 14)])
    pred = pd.DataFrame(
        {
            "comment_id": ["c1", "c1"],
            "segment_id": ["c1#1", "c1#2"],
            "start": [0, 15],
            "end": [14, 31],
            "theme": ["cost", "cost"],
            "score": [0.9, 0.4],
        }
    )
    m = evaluate(pred, path, level="segment", n_boot=0)
    cost = m["per_theme"]["cost"]
    # 14 chars agree; 16 predicted chars are wrong; the space at 14 is uncoded by both
    assert (cost["tp"], cost["fp"], cost["fn"], cost["support"]) == (14, 16, 0, 14)
    assert cost["precision"] == pytest.approx(14 / 30)
    tn = 1
    n = 31
    po = (14 + tn) / n
    pe = (30 * 14 + 1 * 17) / n**2
    assert cost["kappa"] == pytest.approx((po - pe) / (1 - pe))

    # partial overlap of spans: pred 0-10 vs gold 5-14 (tags cover 0-14 as one segment)
    pred2 = pd.DataFrame(
        {"comment_id": ["x"] * 2, "start": [0, 10], "end": [10, 14], "theme": ["cost", "uncoded"]}
    )
    gold2 = pd.DataFrame(
        {"comment_id": ["x", "x"], "start": [0, 5], "end": [5, 14], "theme": ["", "cost"]}
    )
    c2 = evaluate(pred2, gold2, level="segment", n_boot=0)["per_theme"]["cost"]
    assert (c2["tp"], c2["fp"], c2["fn"]) == (5, 5, 4)


def test_bad_inputs_raise_numbered_errors(tmp_path) -> None:
    gold = pd.DataFrame({"comment_id": ["1"], "themes": ["cost"]})
    with pytest.raises(errors.CommentmineError, match="E301"):
        evaluate(gold, gold, level="paragraph")
    with pytest.raises(errors.CommentmineError, match="E003"):
        load_codes(tmp_path / "missing.csv")
    bad = pd.DataFrame({"id": ["1"], "theme": ["a"], "start": [5], "end": [2]})
    with pytest.raises(errors.CommentmineError, match="E601"):
        load_codes(bad)


def test_cli_evaluate_writes_json(tmp_path) -> None:
    from typer.testing import CliRunner

    from commentmine.cli import app

    pred, gold = _random_codings(n=40)
    pp, gp = tmp_path / "pred.csv", tmp_path / "gold.csv"
    _wide(pred).to_csv(pp, index=False)
    _wide(gold).rename(columns={"comment_id": "id"}).to_csv(gp, index=False)
    out = tmp_path / "metrics.json"
    res = CliRunner().invoke(
        app, ["evaluate", str(pp), str(gp), "--out", str(out), "--n-boot", "50", "-q"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    for key in ("micro_f1", "macro_f1", "krippendorff_alpha", "per_theme", "intervals"):
        assert key in data
    assert set(data["per_theme"]["cost"]) >= {"precision", "recall", "f1", "kappa", "support"}
    assert set(data["intervals"]) == {"micro_f1", "macro_f1", "krippendorff_alpha"}
    assert data["micro_f1"] == pytest.approx(f1_score(gold, pred, average="micro"), abs=1e-4)
    first = out.read_bytes()
    CliRunner().invoke(app, ["evaluate", str(pp), str(gp), "--out", str(out), "--n-boot", "50"])
    assert out.read_bytes() == first
