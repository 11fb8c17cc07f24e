"""Theme discovery on the six development corpora, beside BERTopic's defaults (issue 16).

Usage (from the repository root; ``HF_HUB_OFFLINE=1``)::

    .venv/bin/python benchmarks/bench_discovery_six.py run --method bertopic   # 3 unseeded runs
    .venv/bin/python benchmarks/bench_discovery_six.py run --method ours       # seeds 0, 1, 2
    .venv/bin/python benchmarks/bench_discovery_six.py run --method ours --label fast \\
        --options '{"embedder": "static"}'
    .venv/bin/python benchmarks/bench_discovery_six.py tune --grid '{"distinct": [0.5, 0.6]}'
    .venv/bin/python benchmarks/bench_discovery_six.py report
    .venv/bin/python benchmarks/bench_discovery_six.py demo   # make demo's discovery, label checks
    .venv/bin/python benchmarks/bench_discovery_six.py relabel  # seed 0 labels with the current code

``run`` fits every (dataset, seed) in a fresh subprocess with an empty embedding cache, so wall
time is end to end (imports, model load, embedding, clustering, labels, quotes), and keeps the
predictions, labels and timings in ``benchmarks/results/discovery_six.json``. ``tune`` runs
``discover`` over a grid of options in one process (embeddings cached: timing is not its
point) and picks each option leave-one-corpus-out: for each corpus, the setting with the best
mean score on the other five; it writes ``discovery_six_loco.md``. ``report`` renders
``discovery_six.md`` from the JSON.

Datasets (``../shared/corpora``; single-label rows; every problem is clustered on its own):

* ``nhs``: 3,000 single-label NHS comments (seed 0), scored on the 11 framework categories (the
  README's coarser level; primary) and on the 45 themes.
* ``argkp``: each topic x stance group of the dev and test splits (14 groups, ~75 arguments each,
  0-label rows dropped), mean over groups.
* ``restaurants``: 3,000 single-label SemEval-2014 sentences (5 aspect categories).
* ``cfpb``: all 1,250 complaints, scored on the 8 products (primary) and the 15 issues. Company
  names are the analogue of addressees: a label must not be one.
* ``banking77``: 3,000 messages (seed 0), scored on the 77 intents (primary) and on the intents'
  first words (45 groups).
* ``educator``: each of the three questions (N3, N4, Q5) on its own, single-label answers, mean
  over questions.

BERTopic: ``BERTopic(embedding_model=SentenceTransformer(full MiniLM))`` with every other setting
at its default, fitted, then ``reduce_outliers(strategy="embeddings")`` on the same embeddings
(its own way to put every comment in a topic); both are scored. Outliers count as one cluster.
Stability: mean pairwise ARI between the three runs. Label checks: a label word that is not a
word form found in the corpus text is a lemma artefact; two labels of one run sharing a head
word (the last word's lower case) count as a duplicate; a label containing a name the comments
are addressed to (CFPB: a word of the company names; every corpus: an @handle) is an addressee
label.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as C  # ROOT on sys.path, corpora, machine line (numpy/pandas not loaded)

from commentmine._io import write_text_atomic  # noqa: E402

ROOT, RESULTS = C.ROOT, C.RESULTS
comments_table = C.comments_table  # tune_discovery_granularity takes it from here
JSON_OUT = RESULTS / "discovery_six.json"
MD_OUT = RESULTS / "discovery_six.md"
LOCO_OUT = RESULTS / "discovery_six_loco.md"
DATASETS = ("nhs", "argkp", "restaurants", "cfpb", "banking77", "educator")
N_SAMPLE = 3000
WORD = re.compile(r"[A-Za-z][A-Za-z'&-]*")


def _minilm() -> str:
    from commentmine.embed._st import minilm_dir

    return str(minilm_dir())


# --- data --------------------------------------------------------------------------------


def load_problems(name: str) -> list[dict]:
    """Problems of one dataset: name, ids, texts, gold levels (primary first)."""

    def one(pname, df, levels):
        return {
            "name": pname,
            "ids": df["id"].astype(str).tolist(),
            "texts": df["text"].astype(str).tolist(),
            "gold": {lev: df[col].astype(str).tolist() for lev, col in levels.items()},
        }

    if name == "nhs":
        df = C.read_corpus("nhs_patient_feedback.csv")
        df = df[(df["n_labels"] == 1) & (df["labels"] != "Not assigned")]
        df = df.sample(n=N_SAMPLE, random_state=0)
        return [one("nhs", df, {"categories": "categories", "themes": "labels"})]
    if name == "argkp":
        df = C.read_corpus("argkp_arguments.csv")
        df = df[(df["n_labels"] == 1) & df["split"].isin(["dev", "test"])]
        return [
            one(group, g, {"key points": "labels"})
            for group, g in sorted(df.groupby("group"), key=lambda kv: kv[0])
        ]
    if name == "restaurants":
        df = C.read_corpus("semeval14_restaurants.csv")
        df = df[df["n_labels"] == 1].sample(n=N_SAMPLE, random_state=0)
        return [one("restaurants", df, {"aspects": "labels"})]
    if name == "cfpb":
        df = C.read_corpus("cfpb_complaints.csv")
        return [one("cfpb", df, {"product": "product", "issue": "labels"})]
    if name == "banking77":
        df = C.read_corpus("banking77.csv").sample(n=N_SAMPLE, random_state=0)
        df = df.assign(first=df["labels"].str.lower().str.split("_").str[0])
        return [one("banking77", df, {"intent": "labels", "first word": "first"})]
    if name == "educator":
        df = C.read_corpus("educator_exam_proctoring.csv")
        df = df[df["n_labels"] == 1]
        return [
            one(f"educator {q}", g, {"codes": "labels"})
            for q, g in sorted(df.groupby("question_id"), key=lambda kv: kv[0])
        ]
    raise SystemExit(f"unknown dataset {name!r}")


def addressees(name: str) -> set[str]:
    """Lower-case words of the names the comments are addressed to (CFPB: the companies)."""
    if name != "cfpb":
        return set()
    df = C.read_corpus("cfpb_complaints.csv")
    generic = {
        "inc",
        "llc",
        "co",
        "corp",
        "corporation",
        "company",
        "the",
        "of",
        "and",
        "financial",
        "holdings",
        "intermediate",
        "services",
        "solutions",
        "information",
        "national",
        "association",
        "group",
        "bank",
        "na",
        "lp",
        "us",
        "usa",
        "america",
        "credit",
        "mortgage",
        "loan",
        "servicing",
        "federal",
        "one",
        "capital",
        "first",
        "home",
        "student",
        "education",
        "recovery",
        "management",
        "systems",
        "portfolio",
        "acceptance",
        "card",
        "funding",
        "account",
        "collection",
        "collections",
        "debt",  # "Debt Recovery Solutions": the product (debt collection), like "credit"
    }
    words = set()
    for company in df["company"].unique():
        for w in re.findall(r"[a-z]+", company.lower()):
            if len(w) > 2 and w not in generic:
                words.add(w)
    return words


# --- one run (in a subprocess for timing, or in process for tuning) -----------------------


def run_ours(problems: list[dict], seed: int, options: dict) -> dict:
    from commentmine._discover import discover

    out = {}
    for p in problems:
        found = discover(comments_table(p["ids"], p["texts"]), seed=seed, **options)
        by_id = dict(
            zip(found.comment_assignments.comment_id, found.comment_assignments.theme, strict=True)
        )
        themes = []
        for t in found.codebook.themes:
            themes.append(
                {
                    "id": t.id,
                    "label": t.label,
                    "size": int(t.meta.get("size", 0)),
                    "description": t.description,
                    "quotes": list(t.examples[:3]),
                }
            )
        out[p["name"]] = {"pred": [by_id.get(i, "outlier") for i in p["ids"]], "themes": themes}
    return out


def run_bertopic(problems: list[dict], seed: int) -> dict:
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(_minilm(), device="cpu")
    out = {}
    for p in problems:
        texts = p["texts"]
        emb = model.encode(texts, batch_size=64, show_progress_bar=False)
        topic_model = BERTopic(embedding_model=model)
        topics, _ = topic_model.fit_transform(texts, embeddings=emb)
        fitted = [str(t) if t >= 0 else "outlier" for t in topics]
        if any(t < 0 for t in topics) and len(set(topics) - {-1}) > 0:
            reduced_t = topic_model.reduce_outliers(
                texts, topics, strategy="embeddings", embeddings=emb
            )
        else:
            reduced_t = topics
        reduced = [str(t) if t >= 0 else "outlier" for t in reduced_t]
        info = topic_model.get_topic_info()
        themes = [
            {"id": str(r.Topic), "label": str(r.Name), "size": int(r.Count)}
            for r in info.itertuples(index=False)
            if r.Topic >= 0
        ]
        out[p["name"]] = {"pred": fitted, "pred_reduced": reduced, "themes": themes}
    return out


def worker(method: str, dataset: str, seed: int, options: dict, out: Path) -> None:
    t0 = time.perf_counter()
    problems = load_problems(dataset)
    t_load = time.perf_counter() - t0
    res = run_ours(problems, seed, options) if method == "ours" else run_bertopic(problems, seed)
    wall = time.perf_counter() - t0 - t_load
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    out.write_text(json.dumps({"problems": res, "wall_fit": wall, "peak_mb": peak_kb / 1024}))


def spawn(method: str, dataset: str, seed: int, options: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        env = {
            **os.environ,
            "COMMENTMINE_CACHE": str(Path(tmp) / "cache"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "PYTHONPATH": str(ROOT),
        }
        t0, c0 = time.perf_counter(), C.children_cpu()
        args = [sys.executable, __file__, "worker", method, dataset, str(seed), json.dumps(options)]
        subprocess.run([*args, str(out)], env=env, cwd=ROOT, check=True)
        res = json.loads(out.read_text())
        res["wall"] = time.perf_counter() - t0
        res["cpu"] = C.children_cpu() - c0
        res["load"] = os.getloadavg()[0]
        return res


# --- scoring -----------------------------------------------------------------------------


def _scores(gold: list[str], pred: list[str]) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {
        "nmi": normalized_mutual_info_score(gold, pred),
        "ari": adjusted_rand_score(gold, pred),
        "outliers": sum(x == "outlier" for x in pred) / max(1, len(pred)),
        "themes": len(set(pred) - {"outlier"}),
    }


def corpus_words(problems: list[dict]) -> set[str]:
    return {w.lower() for p in problems for t in p["texts"] for w in WORD.findall(t)}


def label_checks(labels: list[str], words: set[str], names: set[str]) -> dict:
    """Lemma artefacts, duplicate head words, addressee labels among ``labels``."""
    artefacts, heads, addressed = [], {}, []
    for lab in labels:
        toks = [w.lower() for w in WORD.findall(lab)]
        if any(w not in words for w in toks):
            artefacts.append(lab)
        if toks:
            heads.setdefault(toks[-1], []).append(lab)
        if names and any(w in names for w in toks):
            addressed.append(lab)
    dups = sum(len(v) - 1 for v in heads.values() if len(v) > 1)
    return {
        "artefacts": artefacts,
        "artefact_share": len(artefacts) / max(1, len(labels)),
        "duplicate_heads": dups,
        "addressee_labels": addressed,
    }


def summarise(dataset: str, runs: dict[int, dict], method: str) -> dict:
    """Scores over problems (means) for each gold level, stability, label checks."""
    from sklearn.metrics import adjusted_rand_score

    problems = load_problems(dataset)
    seeds = sorted(runs)
    first = runs[seeds[0]]["problems"]
    levels = list(problems[0]["gold"])
    out: dict = {"levels": {}}
    keys = ["pred"] + (["pred_reduced"] if method == "bertopic" else [])
    for key in keys:
        for lev in levels:
            vals = [_scores(p["gold"][lev], first[p["name"]][key]) for p in problems]
            out["levels"][f"{lev}{' (reduced)' if key == 'pred_reduced' else ''}"] = {
                m: sum(v[m] for v in vals) / len(vals) for m in vals[0]
            }
    stab_key = "pred_reduced" if method == "bertopic" else "pred"
    pairs = list(itertools.combinations(seeds, 2))
    stab = [
        sum(
            adjusted_rand_score(
                runs[a]["problems"][p["name"]][stab_key], runs[b]["problems"][p["name"]][stab_key]
            )
            for p in problems
        )
        / len(problems)
        for a, b in pairs
    ]
    out["stability_mean"] = sum(stab) / len(stab) if stab else None
    out["stability_min"] = min(stab) if stab else None
    words = corpus_words(problems)
    names = addressees(dataset)
    handles = {h.lower() for p in problems for t in p["texts"] for h in re.findall(r"@(\w+)", t)}
    labels = [th["label"] for p in problems for th in first[p["name"]]["themes"]]
    per_problem = [
        label_checks([th["label"] for th in first[p["name"]]["themes"]], words, names | handles)
        for p in problems
    ]
    out["labels"] = {
        "n": len(labels),
        "artefact_share": sum(len(c["artefacts"]) for c in per_problem) / max(1, len(labels)),
        "artefacts": [a for c in per_problem for a in c["artefacts"]][:10],
        "duplicate_heads": sum(c["duplicate_heads"] for c in per_problem),
        "addressee_labels": [a for c in per_problem for a in c["addressee_labels"]][:10],
    }
    out["wall"] = sum(runs[s]["wall"] for s in seeds) / len(seeds)
    out["wall_runs"] = [round(runs[s]["wall"], 1) for s in seeds]
    out["cpu"] = sum(runs[s]["cpu"] for s in seeds) / len(seeds)
    out["peak_mb"] = max(runs[s]["peak_mb"] for s in seeds)
    out["load"] = [round(runs[s].get("load", 0.0), 1) for s in seeds]
    return out


# --- commands ----------------------------------------------------------------------------


def _json_path(method: str) -> Path:
    """BERTopic's runs and ours are kept in two files (two runs may write at once)."""
    return JSON_OUT if method == "bertopic" else JSON_OUT.with_name("discovery_six_ours.json")


def _load_json(path: Path | None = None) -> dict:
    if path is not None:
        return json.loads(path.read_text()) if path.exists() else {}
    data: dict = {}
    for p in (JSON_OUT, _json_path("ours")):
        if p.exists():
            for method, entries in json.loads(p.read_text()).items():
                data.setdefault(method, {}).update(entries)
    return data


def cmd_relabel(args) -> None:
    """Seed 0 again with the current code: only the labels, their checks and the seed-0 themes
    of an existing ``ours`` entry are replaced (label code does not move the clusters: scores,
    stability and timings stay those of the full run, which is kept under ``runs_when``)."""
    path = _json_path("ours")
    label = args.label or "ours"
    for dataset in args.datasets:
        data = _load_json(path)
        entry = data.get(label, {}).get(dataset)
        if not entry:
            continue
        run = spawn("ours", dataset, 0, entry.get("options", {}))
        new = summarise(dataset, {0: run}, "ours")
        old_pred = {k: v["pred"] for k, v in entry["runs"]["0"].items()}
        ari = _same_partition(old_pred, {k: v["pred"] for k, v in run["problems"].items()})
        entry["labels"] = new["labels"]
        entry["runs"] = {"0": run["problems"]}
        entry["relabel"] = {
            "when": C.utc_now(),
            "command": shlex.join(
                [".venv/bin/python", "benchmarks/bench_discovery_six.py", *sys.argv[1:]]
            ),
            "partition_ari_to_full_run": ari,
        }
        data = _load_json(path)
        data.setdefault(label, {})[dataset] = entry
        write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True))
        print(f"{label} {dataset}: relabelled, seed-0 partition ARI to the full run {ari:.4f}")
    cmd_report(args)


def _same_partition(a: dict, b: dict) -> float:
    """Mean ARI between two runs' predictions over the problems (1.0: the same clusters)."""
    from sklearn.metrics import adjusted_rand_score

    return sum(adjusted_rand_score(a[k], b[k]) for k in a) / max(1, len(a))


def cmd_run(args) -> None:
    path = _json_path(args.method)
    options = json.loads(args.options or "{}")
    label = args.label or args.method
    seeds = [int(s) for s in args.seeds]
    for dataset in args.datasets:
        runs: dict = {}
        for seed in seeds:
            runs[seed] = spawn(args.method, dataset, seed, options)
            print(f"{label} {dataset} seed {seed}: {runs[seed]['wall']:.1f} s", flush=True)
        entry = summarise(dataset, runs, args.method)
        if args.method == "ours" and not args.no_rerun:  # same seed again: identical output?
            again = spawn(args.method, dataset, seeds[0], options)
            entry["identical_rerun"] = again["problems"] == runs[seeds[0]]["problems"]
        entry["runs"] = {str(s): runs[s]["problems"] for s in seeds[:1]}
        entry["options"] = options
        entry["when"] = C.utc_now()
        entry["command"] = shlex.join(
            [".venv/bin/python", "benchmarks/bench_discovery_six.py", *sys.argv[1:]]
        )
        data = _load_json(path)  # as it is now: another run may have added to it
        data.setdefault(label, {})[dataset] = entry
        write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True))
        print(json.dumps({k: v for k, v in entry.items() if k != "runs"}, indent=1), flush=True)
    cmd_report(args)


def cmd_report(args) -> None:
    data = _load_json()
    host = C.host()
    lines = [
        "# Theme discovery on the six corpora, beside BERTopic's defaults",
        "",
        f"Machine: {host}. Written by `benchmarks/bench_discovery_six.py report` from "
        "`discovery_six.json` (each row: when and with what command it ran, load average at "
        "the start of each run). See the script's docstring for the rows and the rules. "
        "`ours` is the current code; a method named `ours@<commit>` holds runs of that earlier "
        "commit, kept for comparison.",
        "",
        "| corpus | level | method | NMI | ARI | outliers | themes | stability (ARI, 3 runs: mean / min) | same seed identical | wall s (mean of runs) | CPU s | peak MB | load |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |",
    ]
    methods = [m for m in data if m != "bertopic"]
    for dataset in DATASETS:
        for method in ["bertopic", *methods]:
            e = data.get(method, {}).get(dataset)
            if not e:
                continue
            for lev, s in e["levels"].items():
                stab = (
                    "-"
                    if e["stability_mean"] is None
                    else f"{e['stability_mean']:.3f} / {e['stability_min']:.3f}"
                )
                ident = (  # "--no-rerun": not measured (older entries stored False)
                    ""
                    if "--no-rerun" in e.get("command", "")
                    else {True: "yes", False: "NO"}.get(e.get("identical_rerun"), "")
                )
                lines.append(
                    f"| {dataset} | {lev} | {method} | {s['nmi']:.3f} | {s['ari']:.3f} | "
                    f"{s['outliers']:.1%} | {s['themes']:.1f} | {stab} | {ident} | "
                    f"{e['wall']:.1f} | {e['cpu']:.1f} | {e['peak_mb']:.0f} | "
                    f"{', '.join(str(x) for x in e['load'])} |"
                )
    lines += [
        "",
        "## Label checks",
        "",
        "| corpus | method | labels | lemma artefacts | duplicate head words | addressee labels |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for dataset in DATASETS:
        for method in ["bertopic", *methods]:
            e = data.get(method, {}).get(dataset)
            if not e:
                continue
            lab = e["labels"]
            arts = f"{lab['artefact_share']:.1%}" + (
                f" ({'; '.join(lab['artefacts'][:4])})" if lab["artefacts"] else ""
            )
            lines.append(
                f"| {dataset} | {method} | {lab['n']} | {arts} | {lab['duplicate_heads']} | "
                f"{'; '.join(lab['addressee_labels'][:4]) or '0'} |"
            )
    for method in methods:
        lines += ["", f"## The labels `{method}` gave (seed 0), for a person to read", ""]
        for dataset in DATASETS:
            e = data.get(method, {}).get(dataset)
            if not e:
                continue
            for pname, res in e["runs"][min(e["runs"], key=int)].items():
                lines.append(f"**{pname}** ({len(res['themes'])} themes)")
                lines.append("")
                for th in res["themes"]:
                    lines.append(f"- {th['label']} ({th['size']}): {th.get('description', '')}")
                lines.append("")
    if DEMO_JSON.exists():
        demo = json.loads(DEMO_JSON.read_text())
        lab = demo["labels"]
        lines += [
            "",
            "## `make demo`'s discovery (bundled survey, codebook vcse-pcc, seed 0)",
            "",
            f"{len(demo['themes'])} themes from {demo['segments']:,} segments, outliers "
            f"{demo['outliers']:.1%}; lemma artefacts {lab['artefact_share']:.1%}"
            f"{' (' + '; '.join(lab['artefacts']) + ')' if lab['artefacts'] else ''}, "
            f"duplicate head words {lab['duplicate_heads']}; {demo['wall']:.1f} s in process "
            f"(load {demo['load']}), {demo['when']}, `{demo['command']}`.",
            "",
        ]
        lines += [f"- {t['label']} ({t['size']}): {t['description']}" for t in demo["themes"]]
    lines += ["", "## Commands", ""]
    for method in ["bertopic", *methods]:
        for dataset in DATASETS:
            e = data.get(method, {}).get(dataset)
            if e:
                lines.append(f"- {method} / {dataset}, {e['when']}: `{e['command']}`")
                if e.get("relabel"):
                    r = e["relabel"]
                    lines.append(
                        f"  - labels (seed 0) again {r['when']}: `{r['command']}`; the seed-0 "
                        f"clusters' ARI to the full run's: {r['partition_ari_to_full_run']:.4f}"
                    )
    C.write_result(MD_OUT, "\n".join(lines) + "\n")


DEMO_JSON = RESULTS / "discovery_six_demo.json"


def cmd_demo(args) -> None:
    """``make demo``'s discovery (bundled survey, codebook vcse-pcc, seed 0) and its labels'
    checks against the survey's own words: no lemma artefact, no duplicate head word."""
    from commentmine import read
    from commentmine._discover import discover

    survey = ROOT / "corpora" / "vcse_pcc_survey.csv"
    comments = read(survey, id_col="respondent_id")
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    found = discover(comments, codebook="vcse-pcc", seed=0)
    wall = time.perf_counter() - t0
    texts = comments["text"].astype(str).tolist()
    words = {w.lower() for t in texts for w in WORD.findall(t)}
    labels = [t.label for t in found.codebook.themes]
    entry = {
        "labels": label_checks(labels, words, set()),
        "themes": [
            {"label": t.label, "size": int(t.meta.get("size", 0)), "description": t.description}
            for t in found.codebook.themes
        ],
        "outliers": found.outlier_share,
        "segments": len(found.assignments),
        "wall": wall,
        "load": round(load, 1),
        "when": C.utc_now(),
        "command": ".venv/bin/python benchmarks/bench_discovery_six.py demo",
    }
    write_text_atomic(DEMO_JSON, json.dumps(entry, indent=1, sort_keys=True))
    print(json.dumps({k: v for k, v in entry.items() if k != "themes"}, indent=1))
    cmd_report(args)


def _memo_analysis() -> None:
    """Tuning only: reuse spaCy's analysis of the same texts across grid settings."""
    from commentmine._discover import _content

    inner = _content.analyse
    memo: dict = {}

    def analyse(texts, stop_words):
        key = (tuple(texts), stop_words)
        if key not in memo:
            memo[key] = inner(texts, stop_words)
        return memo[key]

    _content.analyse = analyse


def cmd_tune(args) -> None:
    """Every grid setting on every corpus (in process, cached embeddings); LOCO choice."""
    _memo_analysis()
    grid = json.loads(args.grid)
    base = json.loads(args.options or "{}")
    keys = sorted(grid)
    settings = [
        dict(zip(keys, vals, strict=True)) for vals in itertools.product(*[grid[k] for k in keys])
    ]
    table: dict[str, dict[str, dict]] = {}
    for dataset in args.datasets:
        problems = load_problems(dataset)
        for st in settings:
            key = json.dumps(st, sort_keys=True)
            t0 = time.perf_counter()
            res = run_ours(problems, 0, {**base, **st})
            levels = list(problems[0]["gold"])
            prim = levels[0]
            vals = [_scores(p["gold"][prim], res[p["name"]]["pred"]) for p in problems]
            sc = {
                m: sum(v[m] for v in vals) / len(vals) for m in ("nmi", "ari", "outliers", "themes")
            }
            table.setdefault(key, {})[dataset] = sc
            print(f"{dataset} {key}: {sc} ({time.perf_counter() - t0:.0f} s)", flush=True)
    # objective per corpus: NMI + ARI relative to BERTopic (reduced) when known, else raw
    bt = _load_json().get("bertopic", {})

    def objective(dataset: str, sc: dict) -> float:
        ref = bt.get(dataset)
        if ref:
            lev = next(iter(ref["levels"]))
            r = ref["levels"].get(f"{lev} (reduced)", ref["levels"][lev])
            return (sc["nmi"] - r["nmi"]) / max(r["nmi"], 1e-3) + (sc["ari"] - r["ari"]) / max(
                abs(r["ari"]), 0.02
            )
        return sc["nmi"] + sc["ari"]

    lines = [
        "# Leave-one-corpus-out choice of discovery defaults",
        "",
        f"Command: `{shlex.join(['.venv/bin/python', 'benchmarks/bench_discovery_six.py', *sys.argv[1:]])}`, "
        f"{C.utc_now()}, load "
        f"{os.getloadavg()[0]:.1f}. Seed 0, primary level of each corpus. Objective per corpus: "
        "relative NMI gain plus relative ARI gain over BERTopic's defaults with outliers "
        "reduced (ARI's denominator at least 0.02); a setting is chosen for a corpus by its "
        "mean objective on the other five.",
        "",
        "| setting | " + " | ".join(args.datasets) + " |",
        "| --- | " + " | ".join("---" for _ in args.datasets) + " |",
    ]
    for key, row in table.items():
        cells = [
            f"{row[d]['nmi']:.3f} / {row[d]['ari']:.3f} ({row[d]['themes']:.0f})"
            if d in row
            else ""
            for d in args.datasets
        ]
        lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| held-out corpus | chosen on the other five | NMI / ARI there |",
        "| --- | --- | --- |",
    ]
    for d in args.datasets if len(args.datasets) > 1 else []:
        others = [o for o in args.datasets if o != d]
        best = max(
            table,
            key=lambda k: sum(objective(o, table[k][o]) for o in others) / len(others),
        )
        sc = table[best][d]
        lines.append(f"| {d} | `{best}` | {sc['nmi']:.3f} / {sc['ari']:.3f} |")
    overall = max(table, key=lambda k: sum(objective(o, table[k][o]) for o in args.datasets))
    lines += ["", f"On all six: `{overall}`."]
    out = Path(args.out) if args.out else LOCO_OUT
    write_text_atomic(out, "\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "worker":
        _, method, dataset, seed, options, out = argv
        worker(method, dataset, int(seed), json.loads(options), Path(out))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("--method", choices=("ours", "bertopic"), default="ours")
    run.add_argument("--label", default="")
    run.add_argument("--options", default="")
    run.add_argument("--seeds", nargs="+", default=["0", "1", "2"])
    run.add_argument("--datasets", nargs="+", default=list(DATASETS))
    run.add_argument("--no-rerun", action="store_true", help="skip the same-seed rerun")
    tune = sub.add_parser("tune")
    tune.add_argument("--grid", required=True)
    tune.add_argument("--options", default="")
    tune.add_argument("--datasets", nargs="+", default=list(DATASETS))
    tune.add_argument("--out", default="")
    sub.add_parser("report")
    sub.add_parser("demo")
    relabel = sub.add_parser("relabel")
    relabel.add_argument("--label", default="")
    relabel.add_argument("--datasets", nargs="+", default=list(DATASETS))
    args = parser.parse_args(argv)
    commands = {"run": cmd_run, "tune": cmd_tune, "report": cmd_report, "demo": cmd_demo}
    commands["relabel"] = cmd_relabel
    commands[args.cmd](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
