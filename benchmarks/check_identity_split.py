"""Identity check of the redact / review / codebook / ingest restructure (issue 19).

Runs the public functions of :func:`commentmine.redact`, :mod:`commentmine.review` and
:mod:`commentmine.codebook` over fixed inputs and records the SHA-256 of every output:

* redaction at every level (and with ``ner=False``, and with the user's names, orgs and
  allow-list) over ``tests/data/redaction_planted.csv``, the first 2,000 texts of NHS, ArgKP
  and banking77 (``../shared/corpora``) and the demo survey's free-text columns:
  ``find_redactions`` output and ``redact_many`` texts; ``redact``, ``redaction_spans``,
  ``redaction_spans_many``, ``apply_spans``, ``allow_list``, ``is_common_word``, the
  constants and the error messages;
* review over a fixed, seeded tags table: ``review_sample`` (both units), ``write_review``
  bytes, ``read_review`` of filled-in sheets, ``review_metrics``, ``corrected_prevalence``,
  ``training_rows``, ``wilson``, ``safe_cell`` and error messages;
* codebooks: every built-in codebook and every codebook of ``../shared/corpora``, loaded,
  validated and dumped (``to_yaml``, ``to_dict``, ``to_frame``, ``sha256``, keyword patterns),
  plus the messages of a set of broken codebooks (YAML and CSV);
* ingest: ``read`` of every file in ``tests/data``, the demo survey (CSV and XLSX), the demo
  interviews, the six corpora and a few inline interview notes, with options and error
  messages; ``read_interviews``, ``detect_text_columns``, ``answer_status``; the chunked
  readers (``scale.iter_wide_chunks``, ``scale.iter_comments``); 30 seeded byte mutations of
  each fuzz seed file, read whole and in chunks (outputs or error messages). The ingest part
  was added after the others: its baseline was written on the commit that added it, where
  ``ingest.py`` and ``scale.py`` are still as at the branch base.

Usage::

    python benchmarks/check_identity_split.py --write benchmarks/results/identity_split.json
    python benchmarks/check_identity_split.py --check benchmarks/results/identity_split.json

``--check`` exits 1 and lists the outputs that differ. ``--only redact|review|codebook|ingest``
runs one part (the redaction part runs the NER model: a few minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
N_TEXTS = 2000
DEMO_COLUMNS = ["engagement_experience", "funding_improvements", "collaboration", "other_comments"]

_LAST: list[Any] = [None]  # the value last hashed


class Results(dict):
    """key -> SHA-256; with ``show`` set, prints the value of the keys that contain it."""

    show: str | None = None

    def __setitem__(self, key: str, value: str) -> None:
        if self.show and self.show in key:
            print(f"--- {key}\n{_LAST[0]!r}"[:20000])
        super().__setitem__(key, value)


def _sha(value: Any) -> str:
    _LAST[0] = value
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        data = value.encode("utf-8")
    else:
        data = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _error(fn: Callable[[], Any]) -> str:
    """The type, code and message of the error ``fn`` raises (or what it returns)."""
    try:
        out = fn()
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {getattr(exc, 'code', '')} {exc}"
    return f"returned {out!r}"


def _frame(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, float_format="%.17g")
    design = df.attrs.get("design")
    if isinstance(design, pd.DataFrame):
        buf.write("\n--design--\n")
        design.to_csv(buf, index=False)
    return buf.getvalue() + json.dumps(
        {k: v for k, v in df.attrs.items() if k != "design"}, sort_keys=True, default=repr
    )


# --- redaction ----------------------------------------------------------------------------


def _redaction_sources() -> dict[str, list[str]]:
    read = lambda p: pd.read_csv(p, keep_default_na=False)  # noqa: E731
    out = {"planted": read(ROOT / "tests" / "data" / "redaction_planted.csv")["text"].tolist()}
    for name, file in (
        ("nhs", "nhs_patient_feedback.csv"),
        ("argkp", "argkp_arguments.csv"),
        ("banking77", "banking77.csv"),
    ):
        out[name] = read(CORPORA / file)["text"].astype(str).tolist()[:N_TEXTS]
    demo = read(ROOT / "corpora" / "vcse_pcc_survey.csv")
    out["demo"] = [t for c in DEMO_COLUMNS for t in demo[c].astype(str)]
    return out


def check_redact(res: Results) -> None:
    import importlib

    R = importlib.import_module("commentmine._redact._public")  # noqa: N806 (the module)
    res["redact/constants"] = _sha(
        [
            R.LEVELS,
            R.DEFAULT_LEVEL,
            R.COMMON_WORD_FLOOR,
            R.KNOWN_NAME_FLOOR,
            R.PLACEHOLDER_TYPES,
            R.POLICE_AREAS,
            R.NER_PIPELINE,
            sorted(R.ALLOW),
            sorted(R.__all__),
            R.Redaction._fields,
        ]
    )
    for level in R.LEVELS:
        res[f"redact/allow_list/{level}"] = _sha(sorted(R.allow_list(level)))
    words = [
        "Black", "Mark's", "Calf", "Simpler", "John", "Okafor", "café", "Vũ", "Lê", "the",
        "Leeds", "(Grace)", "X-ray", "Anne-Marie", "", "’s",
    ]  # fmt: skip
    res["redact/is_common_word"] = _sha(
        [[R.is_common_word(w), R.is_common_word(w, floor=-12.0)] for w in words]
    )
    res["redact/errors"] = _sha(
        [
            _error(lambda: R.redact("x", level="everything")),
            _error(lambda: R.redact("x", level=3)),
            _error(lambda: R.find_redactions(["x"], names=5, ner=False)),
            _error(lambda: R.apply_spans("abc", [(0, 9, "[X]")])),
            _error(lambda: R.apply_spans("abc", [(0, "a")])),
            R.apply_spans("Ask Jane now", [(4, 8, "[NAME]"), (5, 10, "[ORG]"), (0, 0, "[X]")]),
            R.apply_spans(None, []),
        ]
    )
    sources = _redaction_sources()
    for name, texts in sources.items():
        res[f"redact/{name}/input"] = _sha(texts)
        for level in R.LEVELS:
            found = R.find_redactions(texts, level=level)
            res[f"redact/{name}/find_redactions/{level}"] = _sha(
                [list(map(list, f)) for f in found]
            )
            res[f"redact/{name}/redact_many/{level}"] = _sha(R.redact_many(texts, level=level))
        res[f"redact/{name}/regex_only"] = _sha(
            [list(map(list, f)) for f in R.find_redactions(texts, ner=False)]
        )
    options = {
        "names": ["Jane Smith", "Denis Davies", "Ann"],
        "orgs": ["Safer Streets Bristol", "Kinmel Bay Youth Trust"],
        "allow": ["Llanidloes", "Eric Brooks"],
    }
    for name in ("planted", "demo"):
        texts = sources[name]
        for level in R.LEVELS:
            found = R.find_redactions(texts, level=level, **options)
            res[f"redact/{name}/with_options/{level}"] = _sha([list(map(list, f)) for f in found])
        res[f"redact/{name}/with_options/no_ner"] = _sha(R.redact_many(texts, ner=False, **options))
    few = sources["planted"][:60]
    res["redact/planted/redact_one"] = _sha([R.redact(t, level="strict") for t in few])
    res["redact/planted/redaction_spans"] = _sha([R.redaction_spans(t) for t in few])
    res["redact/planted/redaction_spans_many"] = _sha(R.redaction_spans_many(few))
    import commentmine

    res["redact/package_function"] = _sha(
        [commentmine.redact("Ring 07700 900123, Jane Smith.", names=["Jane Smith"], ner=False)]
    )


# --- review -------------------------------------------------------------------------------


def _review_tags() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A fixed tags table (segments, themes with sub-themes, uncoded) and its comments."""
    rng = np.random.default_rng(7)
    themes = ["cost", "cost_fees", "staff", "wait", "access", "=formula"]
    rows, comments = [], []
    for c in range(240):
        cid, rid = f"c{c:03d}", f"R{c // 2:03d}"
        texts = []
        for s in range(1 + c % 3):
            sid = f"{cid}#{s + 1}"
            text = f"comment {c} segment {s} " + "word " * int(rng.integers(1, 6))
            texts.append(text.strip())
            k = int(rng.integers(0, 3))
            picked = sorted(rng.choice(len(themes), size=k, replace=False)) if k else []
            if not picked:
                rows.append((cid, rid, sid, s * 40, text, "uncoded", 0.1))
            for t in picked:
                score = round(float(rng.uniform(0.3, 0.95)), 4)
                rows.append((cid, rid, sid, s * 40, text, themes[t], score))
        comments.append((cid, rid, " ".join(texts)))
    cols = ["comment_id", "respondent_id", "segment_id", "start", "text", "theme", "score"]
    return pd.DataFrame(rows, columns=cols), pd.DataFrame(
        comments, columns=["comment_id", "respondent_id", "text"]
    )


def _decide_segments(sample: pd.DataFrame) -> pd.DataFrame:
    out = sample.copy()
    for i, row in enumerate(out.itertuples(index=False)):
        if row.theme == "uncoded":
            d, c = ("correct-theme", "staff|wait") if i % 4 == 0 else ("accept", "")
            d, c = ("reject", "") if i % 7 == 0 else (d, c)
        elif row.band == "low" and i % 2:
            d, c = "reject", ""
        elif i % 5 == 0:
            d, c = "correct-theme", "access"
        elif i % 11 == 0:
            d, c = "", ""
        else:
            d, c = ("Accept" if i % 3 else "accept"), ""
        out.iloc[i, out.columns.get_loc("decision")] = d
        out.iloc[i, out.columns.get_loc("correct_theme")] = c
    out.attrs = dict(sample.attrs)
    return out


def _decide_respondents(sample: pd.DataFrame) -> pd.DataFrame:
    out = sample.copy()
    for i in range(len(out)):
        if i % 6 == 0:
            d, c = "correct-theme", "cost|wait" if i % 12 else "uncoded"
        elif i % 13 == 0:
            d, c = "reject", ""
        elif i % 17 == 0:
            d, c = "", ""
        else:
            d, c = "accept", ""
        out.iloc[i, out.columns.get_loc("decision")] = d
        out.iloc[i, out.columns.get_loc("correct_theme")] = c
    out.attrs = dict(sample.attrs)
    return out


def check_review(res: Results) -> None:
    from commentmine import errors
    from commentmine import review as V  # noqa: N812

    tags, comments = _review_tags()
    res["review/input"] = _sha(_frame(tags) + _frame(comments))
    res["review/all"] = _sha(sorted(V.__all__))
    res["review/wilson"] = _sha([V.wilson(k, 20) for k in range(21)] + [V.wilson(0, 0)])
    res["review/safe_cell"] = _sha([V.safe_cell(v) for v in ("=1+1", "@A", "-2", "ok", 3, None)])
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        seg = V.review_sample(tags, per_theme=14, uncoded=25, seed=3)
        res["review/sample/segment"] = _sha(_frame(seg))
        res["review/sample/segment_seed0"] = _sha(_frame(V.review_sample(tags)))
        resp = V.review_sample(tags, unit="respondent", n=40, comments=comments, seed=5)
        res["review/sample/respondent"] = _sha(_frame(resp))
        resp_nc = V.review_sample(tags, unit="respondent", n=30)
        res["review/sample/respondent_no_comments"] = _sha(_frame(resp_nc))
        for name, sample in (("segment", seg), ("respondent", resp)):
            p = tmp_path / f"{name}.xlsx"
            V.write_review(sample, p)
            res[f"review/write/{name}"] = _sha(p.read_bytes())
            V.write_review(sample, p, themes=["cost", "staff", "zzz"])
            res[f"review/write/{name}_themes"] = _sha(p.read_bytes())
        filled = {"segment": _decide_segments(seg), "respondent": _decide_respondents(resp)}
        back = {}
        for name, sample in filled.items():
            p = tmp_path / f"{name}_filled.xlsx"
            V.write_review(sample, p)
            res[f"review/write/{name}_filled"] = _sha(p.read_bytes())
            back[name] = V.read_review(p)
            res[f"review/read/{name}"] = _sha(_frame(back[name]))
            res[f"review/metrics/{name}"] = _sha(V.review_metrics(back[name], seed=2, n_sim=500))
            res[f"review/metrics/{name}_path"] = _sha(V.review_metrics(p))
        res["review/metrics/segment_tags"] = _sha(V.review_metrics(back["segment"], tags=tags))
        nodesign = back["segment"].copy()
        nodesign.attrs = {}
        res["review/metrics/segment_nodesign"] = _sha(V.review_metrics(nodesign))
        res["review/training_rows"] = _sha(_frame(V.training_rows(back["segment"])))
        prev = pd.DataFrame(
            {
                "theme": ["cost", "cost_fees", "staff", "wait", "access", "=formula", "none"],
                "parent": ["", "cost", "", "", "", "", ""],
                "respondents": [40, 12, 30, 22, 9, 3, 0],
                "base": [120, 120, 120, 120, 120, 120, 120],
            }
        )
        for name in ("segment", "respondent"):
            for ti, t in enumerate((None, tags)):
                if name == "respondent" and t is not None:
                    continue
                out = V.corrected_prevalence(prev, back[name], tags=t, seed=1, n_sim=700)
                res[f"review/corrected/{name}/{ti}"] = _sha(_frame(out))
            mapping = {"staff": (30, 120), "cost": (40, 120), "x": (0, 0)}
            res[f"review/corrected/{name}/mapping"] = _sha(
                _frame(V.corrected_prevalence(mapping, back[name]))
            )
        bad = tmp_path / "bad.xlsx"
        V.write_review(_decide_segments(seg).assign(decision="maybe"), bad)
        res["review/errors"] = _sha(
            [
                m.replace(str(tmp_path), "TMP")
                for m in (
                    _error(lambda: V.review_sample(tags, unit="comment")),
                    _error(lambda: V.review_sample(tags.drop(columns="score"))),
                    _error(lambda: V.review_sample(tags, per_theme=-1)),
                    _error(lambda: V.review_sample(tags, unit="respondent", n=0)),
                    _error(lambda: V.write_review(seg, tmp_path / "x.csv")),
                    _error(lambda: V.read_review(tmp_path / "missing.xlsx")),
                    _error(lambda: V.read_review(bad).shape),
                    _error(
                        lambda: V.corrected_prevalence(prev.drop(columns="base"), back["segment"])
                    ),
                    errors.__name__,
                )
            ]
        )


# --- codebooks ----------------------------------------------------------------------------


BROKEN_YAML = [
    "name: x\nthemes:\n  - id: a\n    keywords: [grant, 'tender, bid*']\n    threshold: 2\n"
    "  - id: A\n    parent: zz\n  - label: no id\n  - id: uncoded\n    colour: red\n",
    "name: x\nthemes:\n  - id: a\n    parent: b\n  - id: b\n    parent: a\n  - id: c\n"
    "    parent: c\n    meta: 3\n    examples: 4\n",
    "name: 5\ndescription: [1]\nthemes: {}\nextra: 1\n",
    "name: x\nthemes: []\n",
    "- just\n- a list\n",
    "name: x\nname: y\nthemes:\n  - id: a\n    id: b\n",
    "name: x\nthemes:\n  - id: a|b\n    keywords: '!!'\n    label: [1]\n",
    "name: x\nthemes:\n  - !!python/object:os.system {}\n",
    "name: [unclosed\n",
    "name: x\nthemes:\n  - id: 'a\x00'\n",
    "name: x\nthemes:\n  - 12\n  - id: 12\n    threshold: 'high'\n  - id: t\n    threshold: .5\n",
]
BROKEN_CSV = [
    "label,description\nx,y\n",
    "id,theme,keyword,keywords\na,b,c,d\n",
    "id,parent,threshold,colour\na,b,1.5,red\nA,,x,\n,,,\nc,c,,\n",
    "theme;label\nx;y\n",
    "",
]


def _codebook_dump(cb: Any) -> dict[str, Any]:
    simple = lambda texts: [" ".join(str(t).lower().split()) for t in texts]  # noqa: E731
    pats = cb.keyword_patterns(lemmatize=simple)
    return {
        "yaml": cb.to_yaml(),
        "dict": cb.to_dict(),
        "frame": _frame(cb.to_frame()),
        "sha256": cb.sha256(),
        "ids": cb.ids,
        "roots": [cb.root(t) for t in cb.ids],
        "children": [cb.children(t) for t in cb.ids],
        "repr": repr(cb),
        "patterns": {
            t: [[(p.phrase, p.lemmas, p.variants, p.regex.pattern) for p in part] for part in v]
            for t, v in pats.items()
        },
    }


def _load(fn: Callable[[], Any]) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out: Any = _codebook_dump(fn())
        except Exception as exc:  # noqa: BLE001
            out = f"{type(exc).__name__}: {getattr(exc, 'code', '')} {exc}"
    return [out, [(w.category.__name__, str(w.message), Path(w.filename).name) for w in caught]]


def check_codebook(res: Results) -> None:
    from commentmine import codebook as C  # noqa: N812

    res["codebook/api"] = _sha(
        [sorted(C.__all__), C.THEME_KEYS, C.CODEBOOK_KEYS, C.RESERVED_IDS, C.FORBIDDEN_ID_CHARS]
    )
    res["codebook/builtins"] = _sha(C.builtin_codebooks())
    for name in C.builtin_codebooks():
        res[f"codebook/builtin/{name}/text"] = _sha(C.builtin_text(name))
        res[f"codebook/builtin/{name}"] = _sha(_load(lambda n=name: C.load_codebook(n)))
        cb = C.load_codebook(name)
        res[f"codebook/builtin/{name}/roundtrip"] = _sha(
            [
                _load(lambda cb=cb: C.load_codebook(cb.to_yaml())),
                _load(lambda cb=cb: C.Codebook.from_dict(cb.to_dict())),
                _load(lambda cb=cb: C.codebook_from_frame(cb.to_frame(), name=cb.name)),
                _load(lambda cb=cb: C.Codebook(cb.name, cb.description, cb.themes, cb.meta)),
            ]
        )
    for path in sorted(CORPORA.glob("*_codebook.csv")):
        res[f"codebook/corpora/{path.name}"] = _sha(_load(lambda p=path: C.load_codebook(p)))
        df = pd.read_csv(path, keep_default_na=False)
        res[f"codebook/corpora/{path.name}/frame"] = _sha(
            _load(lambda df=df, p=path: C.codebook_from_frame(df, name=p.stem))
        )
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for i, text in enumerate(BROKEN_YAML):
            res[f"codebook/broken_yaml/{i}"] = _sha(
                [
                    _load(lambda t=text: C.Codebook.from_yaml(t)),
                    _load(lambda t=text: C.load_codebook(t)),
                ]
            )
            p = tmp_path / f"b{i}.yaml"
            p.write_text(text, encoding="utf-8")
            res[f"codebook/broken_yaml/{i}/file"] = _sha(
                _load(lambda p=p: C.load_codebook(p)).__repr__().replace(str(tmp_path), "TMP")
            )
        for i, text in enumerate(BROKEN_CSV):
            p = tmp_path / f"b{i}.csv"
            p.write_text(text, encoding="utf-8")
            res[f"codebook/broken_csv/{i}"] = _sha(
                _load(lambda p=p: C.load_codebook(p)).__repr__().replace(str(tmp_path), "TMP")
            )
        cb = C.load_codebook(C.builtin_codebooks()[0])
        xlsx = tmp_path / "cb.xlsx"
        cb.to_frame().to_excel(xlsx, index=False, sheet_name="themes")
        res["codebook/xlsx"] = _sha(
            [
                _load(lambda: C.load_codebook(xlsx)),
                _load(lambda: C.load_codebook(xlsx, sheet="themes")),
                repr(_load(lambda: C.load_codebook(xlsx, sheet=3))).replace(str(tmp_path), "TMP"),
                repr(_load(lambda: C.load_codebook(tmp_path))).replace(str(tmp_path), "TMP"),
                repr(_load(lambda: C.load_codebook(tmp_path / "x.txt"))).replace(
                    str(tmp_path), "TMP"
                ),
            ]
        )
        (tmp_path / "x.txt").write_text("id\na\n")
        res["codebook/misc"] = _sha(
            [
                repr(_load(lambda: C.load_codebook(tmp_path / "x.txt"))).replace(
                    str(tmp_path), "TMP"
                ),
                _load(lambda: C.load_codebook("no-such-codebook")),
                _load(lambda: C.load_codebook({"name": "m", "themes": [{"id": "a"}]})),
                _load(lambda: C.Codebook("bad", themes=(C.Theme(""), C.Theme("x", parent="y")))),
                _load(lambda: C.Codebook("", themes=())),
                _error(lambda: cb.theme("nope")),
                C.default_label("funding_barriers  x"),
                repr(C.Theme(" a ", keywords="grant, tender; bid*", examples="one", threshold=1)),
            ]
        )


# --- ingest -------------------------------------------------------------------------------

INTERVIEW_TEXTS = {
    "labels.txt": "Interview with Jane Doe, Director, Safe Homes Trust, 12 March 2024\n"
    "Role: Director\n\nQ: How is funding?\nJD: Short. We lose staff.\nQ: And the PCC?\n"
    "JD: We met once.\nNote: not a turn.\n",
    "bold.md": "# Interview notes\n\nDate: 3/4/2024\n\n## Funding\n\n**Q:** Is it enough?\n\n"
    "**Sarah Jones:** No, never.\n\n---\n\n**Q:** Why?\n\n**Sarah Jones:** Tenders.\n",
    "plain.txt": "Notes from a call\nInterviewee: youth worker\n\nThey said the grants are "
    "too short.\n\nAlso: the portal is slow.\n",
    "empty.txt": "",
    "header_only.md": "# Interview with the chair of a network (online), 2 Feb 2023\n",
}
ANSWERS = [
    "",
    " ",
    "N/A",
    "n/a",
    "na",
    "none",
    "None.",
    "nothing",
    "-",
    "--",
    "...",
    "no comment",
    "No comments",
    "not applicable",
    "?",
    "0",
    "no",
    "No.",
    "yes",
    "ok",
    "dunno",
    "idk",
    "See above",
    "as above",
    "nil",
    "Nothing to add",
    "Good",
    "\u2014",
    "x",
    "The funding is short.",
]


def _frames(fn: Callable[[], Any]) -> Any:
    """``fn``'s frame (CSV, attrs), list of frames, or error; and the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = fn()
            if isinstance(out, pd.DataFrame):
                out = _frame(out)
            elif isinstance(out, list) and out and isinstance(out[0], pd.DataFrame):
                out = [_frame(f) for f in out]
        except Exception as exc:  # noqa: BLE001
            out = f"{type(exc).__name__}: {getattr(exc, 'code', '')} {exc}"
    return [out, [(w.category.__name__, str(w.message)) for w in caught]]


def _mutations(data: bytes, seed: int, n: int) -> list[bytes]:
    rng = np.random.RandomState(seed)
    out = []
    for _ in range(n):
        b = bytearray(data)
        for _ in range(int(rng.randint(1, 5))):
            if not b:
                break
            i, op = int(rng.randint(0, len(b))), int(rng.randint(0, 4))
            if op == 0:
                b[i] = int(rng.randint(0, 256))
            elif op == 1:
                del b[i:]
            elif op == 2:
                b[i:i] = bytes(rng.randint(0, 256, size=int(rng.randint(1, 32))).tolist())
            else:
                j = int(rng.randint(0, len(b)))
                b[i:i] = b[j : j + int(rng.randint(1, 256))]
        out.append(bytes(b))
    return out


def check_ingest(res: Results) -> None:
    import importlib

    ingest = importlib.import_module("commentmine.ingest")
    scale = importlib.import_module("commentmine.scale")
    data = ROOT / "tests" / "data"
    res["ingest/api"] = _sha(
        [
            sorted(ingest.__all__),
            sorted(ingest.SURVEY_EXTENSIONS),
            sorted(ingest.INTERVIEW_EXTENSIONS),
            ingest.INTERVIEW_METADATA,
            ingest.ENCODINGS,
            sorted(ingest.NON_ANSWERS),
            sorted(ingest.DEFAULT_INTERVIEWER_LABELS),
            ingest.MIN_VALUES_TO_JUDGE,
            sorted(scale.STREAM_FORMATS),
        ]
    )
    res["ingest/answer_status"] = _sha([ingest.answer_status(a) for a in ANSWERS])
    for f in sorted(data.iterdir()):
        if f.suffix in (".py",) or f.name.startswith("redaction"):
            continue
        res[f"ingest/read/{f.name}"] = _sha(_frames(lambda f=f: ingest.read(f)))
        if f.suffix.lower() in scale.STREAM_FORMATS:
            for rows in (1, 2, 1000):
                res[f"ingest/chunks/{f.name}/{rows}"] = _sha(
                    _frames(lambda f=f, r=rows: list(scale.iter_wide_chunks(f, chunk_rows=r)))
                )
            res[f"ingest/comments/{f.name}"] = _sha(
                _frames(lambda f=f: list(scale.iter_comments(f, chunk_rows=2)))
            )
    survey = data / "survey_utf8.csv"
    res["ingest/read/options"] = _sha(
        [
            _frames(lambda: ingest.read(survey, text_cols=["funding"], id_col="id")),
            _frames(lambda: ingest.read(survey, text_cols="engagement")),
            _frames(lambda: ingest.read(survey, text_cols=["nope"])),
            _frames(lambda: ingest.read(survey, id_col="nope")),
            _frames(lambda: ingest.read(survey, id_col="region")),
            _frames(lambda: ingest.read(survey, respondent_col="id", id_col="region")),
            _frames(lambda: ingest.read(survey, sheet=1)),
            _frames(lambda: ingest.read(data / "survey_two_sheets.xlsx", sheet=1)),
            _frames(lambda: ingest.read(data / "survey_two_sheets.xlsx", sheet="nope")),
            _frames(lambda: ingest.read(data / "interview.txt", text_cols=["x"])),
            _frames(lambda: ingest.read(data / "no-such-file.csv")),
            _frames(lambda: ingest.read(data / "make_data.py")),
            _frames(lambda: ingest.read(pd.read_csv(survey, dtype=str), id_col="id")),
            _frames(lambda: list(scale.iter_wide_chunks(survey, chunk_rows=0))),
            _frames(lambda: list(scale.iter_comments(survey, text_cols=["funding"], id_col="id"))),
        ]
    )
    demo = ROOT / "corpora" / "vcse_pcc_survey.csv"
    res["ingest/demo"] = _sha(_frames(lambda: ingest.read(demo, id_col="respondent_id")))
    res["ingest/demo_xlsx"] = _sha(
        _frames(lambda: ingest.read(demo.with_suffix(".xlsx"), id_col="respondent_id"))
    )
    wide = pd.read_csv(demo, dtype=str, keep_default_na=False)
    res["ingest/detect_text_columns"] = _sha(
        [
            ingest.detect_text_columns(wide),
            ingest.detect_text_columns(wide, exclude=["other_comments"], min_mean_chars=60),
        ]
    )
    interviews = ROOT / "corpora" / "interviews"
    res["ingest/interviews"] = _sha(_frames(lambda: ingest.read(interviews)))
    res["ingest/interviews/labels"] = _sha(
        _frames(lambda: ingest.read_interviews(interviews, interviewer_labels=["q", "facilitator"]))
    )
    for name in sorted(p.name for p in CORPORA.glob("*.csv")):
        if "codebook" in name or "key_points" in name:
            continue
        res[f"ingest/corpus/{name}"] = _sha(_frames(lambda n=name: ingest.read(CORPORA / n)))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for name, text in INTERVIEW_TEXTS.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
            res[f"ingest/interview/{name}"] = _sha(
                [
                    str(x).replace(str(tmp_path), "TMP")
                    for x in _frames(lambda n=name: ingest.read(tmp_path / n))
                ]
            )
        seeds = [
            "survey_utf8.csv",
            "survey_semicolon.csv",
            "unclosed_quote.csv",
            "survey.json",
            "survey.jsonl",
            "interview.txt",
            "interview.md",
            "interview.docx",
            "survey_two_sheets.xlsx",
        ]
        for k, seed in enumerate(seeds):
            outs = []
            for i, blob in enumerate(_mutations((data / seed).read_bytes(), k, 30)):
                f = tmp_path / f"m{i}{Path(seed).suffix}"
                f.write_bytes(blob)
                outs.append(str(_frames(lambda f=f: ingest.read(f))).replace(str(tmp_path), "TMP"))
                if f.suffix in scale.STREAM_FORMATS:
                    outs.append(
                        str(
                            _frames(lambda f=f: list(scale.iter_wide_chunks(f, chunk_rows=3)))
                        ).replace(str(tmp_path), "TMP")
                    )
                f.unlink()
            res[f"ingest/mutated/{seed}"] = _sha(outs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", type=Path, help="write the hashes to this JSON file")
    ap.add_argument("--check", type=Path, help="compare with the hashes in this JSON file")
    ap.add_argument("--only", choices=["redact", "review", "codebook", "ingest"], action="append")
    ap.add_argument("--corpora", type=Path, default=CORPORA, help="the six corpora's folder")
    ap.add_argument("--show", help="print the outputs whose key contains this text")
    args = ap.parse_args(argv)
    parts = {
        "redact": check_redact,
        "review": check_review,
        "codebook": check_codebook,
        "ingest": check_ingest,
    }
    globals()["CORPORA"] = args.corpora
    res = Results()
    res.show = args.show
    for name, fn in parts.items():
        if args.only and name not in args.only:
            continue
        fn(res)
        print(f"{name}: {sum(k.startswith(name) for k in res)} outputs", flush=True)
    if args.write:
        args.write.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n")
    if args.check:
        want = json.loads(args.check.read_text())
        keys = [k for k in want if any(k.startswith(p) for p in (args.only or parts))]
        differ = [k for k in keys if res.get(k) != want[k]]
        new = sorted(set(res) - set(want))
        for k in differ:
            print(f"DIFFERS: {k}")
        print(f"identical: {len(keys) - len(differ)} of {len(keys)} outputs; new: {len(new)}")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
