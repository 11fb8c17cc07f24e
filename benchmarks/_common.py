"""What the benchmark scripts share: paths (``ROOT``, ``CORPORA``, ``RESULTS``), the pieces of
their machine lines (:func:`host`, :func:`utc_now`, :func:`today`, :func:`load_average`,
:func:`git_short`, :func:`commit_note`), child-process CPU time, a corpus file as read
(:func:`read_corpus`), a comments table from ids and texts, cached tagging, the six dev corpora
as tagging tasks with their codebooks and gold labels, and the comment-level scores.

Importing it loads no numpy or pandas (scripts that time their imports can import it first) and
puts this checkout first on ``sys.path`` unless it is on it already: ``commentmine`` is then this
checkout's even when ``PYTHONPATH`` names another one. Scripts that take ``commentmine`` from
the environment (``bench_scale.py``, whose Dask workers import it; ``check_identity_split.py``,
``check_identity_framework.py``, ``report_identity.py``) do not import this module.

The six corpora (``../shared/corpora``, see its README) as *tasks*: one codebook and the comments
it is applied to. ArgKP is one task per topic x stance group (its key points are the themes),
the educator survey one per question (each question has its own codebook); the others are one
task each. Codebooks are used as published: theme id, label and description only (NHS drops its
"Not assigned" bucket, whose comments then have an empty gold set; the restaurants codebook is
the one written for ``bench_tagging.py``).
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import resource
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and pandas load on first use: importing this module stays cheap
    import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = ROOT / "benchmarks" / "results"

#: The six corpora, in the order every table lists them.
CORPUS_NAMES = ("nhs", "restaurants", "argkp", "cfpb", "banking77", "educator")

REST_THEMES = {
    "food": (
        "Food",
        "the food and drinks, dishes, taste, flavour, portions, menu, freshness "
        "and quality of what is served.",
    ),
    "service": (
        "Service",
        "the staff, waiters and servers, how attentive, friendly, fast or "
        "rude the service is, waiting and reservations.",
    ),
    "ambience": (
        "Ambience",
        "the atmosphere, decor, music, noise, seating, space and the feel of the place.",
    ),
    "price": ("Price", "the prices, cost and value for money, cheap or expensive, the bill."),
    "anecdotes/miscellaneous": (
        "Anecdotes and miscellaneous",
        "general remarks, personal stories, recommendations, the visit and the restaurant overall.",
    ),
}


# --------------------------------------------------------------------------- machine lines


def host(cores_note: str = "") -> str:
    """``x86_64, 2 cores, Python 3.11.9``: what every machine line starts with.

    ``cores_note`` goes right after the core count (``" (shared)"``).
    """
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{cores_note}, "
        f"Python {platform.python_version()}"
    )


def utc_now() -> str:
    """The time now, ``2026-12-05 06:40 UTC``."""
    return f"{_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC"


def today() -> str:
    """The local date, ``2026-12-05``."""
    return _dt.date.today().isoformat()


def load_average(sep: str = ", ") -> str:
    """The 1, 5 and 15 minute load averages, one decimal each, joined by ``sep``."""
    return sep.join(f"{x:.1f}" for x in os.getloadavg())


def machine(note: str = "") -> str:
    """One line naming the machine, the time and the load average."""
    return f"{host()}, {utc_now()}, load average {os.getloadavg()[0]:.1f}{note}"


def write_result(path: Path | str, text: str) -> None:
    """Write a result file (UTF-8, atomically, its folder made) and say so."""
    from commentmine._io import write_text_atomic

    write_text_atomic(path, text)
    print(f"wrote {path}")


def git_short() -> str:
    """The short hash of the checkout's HEAD (empty when git does not answer)."""
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def commit_note() -> str:
    """HEAD's short hash, with " (+ uncommitted changes)" when commentmine/ has any."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "commentmine"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip() + (" (+ uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        return "?"


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# --------------------------------------------------------------------------------- corpora


def read_corpus(fname: str) -> pd.DataFrame:
    """One file of ``../shared/corpora`` as written: every cell a string, none read as NaN."""
    import pandas as pd

    return pd.read_csv(CORPORA / fname, keep_default_na=False)


def comments_table(ids: list[str], texts: list[str]) -> pd.DataFrame:
    """A commentmine comments table of one text per id (its own respondent, no question)."""
    import pandas as pd

    return pd.DataFrame(
        {
            "comment_id": ids,
            "respondent_id": ids,
            "question": "",
            "text": texts,
            "source": "bench",
            "status": ["ok" if t.strip() else "empty" for t in texts],
            "speaker": "",
            "is_interviewer": False,
        }
    )


@dataclass
class Task:
    """One codebook applied to a set of comments, with the people's labels."""

    corpus: str
    name: str
    comments: pd.DataFrame  # commentmine comments table (comment_id = the corpus row id)
    codebook: object  # commentmine Codebook
    gold: dict[str, frozenset[str]]  # comment_id -> human themes (may be empty)
    heldout: set[str] = field(default_factory=set)  # rows kept out of earlier tuning, if any

    @property
    def ids(self) -> list[str]:
        return self.comments["comment_id"].astype(str).tolist()


def _codebook(name: str, frame: pd.DataFrame, label_col: str | None = "label"):
    from commentmine.codebook import Codebook, Theme

    themes = tuple(
        Theme(
            str(r["theme"]),
            label=str(r[label_col]) if label_col else str(r["theme"]),
            description=str(r["description"]),
        )
        for _, r in frame.iterrows()
    )
    return Codebook(name, themes=themes)


def nhs_codebook(name: str = "nhs-fft-v6"):
    """The NHS framework's content themes (the name is the label), "Not assigned" left out."""
    cbf = read_corpus("nhs_patient_feedback_codebook.csv")
    return _codebook(name, cbf[cbf["theme"] != "Not assigned"], label_col=None)


def restaurants_codebook():
    """The five SemEval-2014 restaurant categories with :data:`REST_THEMES`' descriptions."""
    from commentmine.codebook import Codebook, Theme

    return Codebook(
        "semeval14-restaurants",
        themes=tuple(Theme(k, label=lab, description=d) for k, (lab, d) in REST_THEMES.items()),
    )


def _read(fname: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from commentmine.ingest import read

    comments = read(CORPORA / fname, text_cols=["text"], id_col="id")
    raw = read_corpus(fname)
    # ingest strips the ids (two restaurant ids end in a space): key the gold by its ids.
    if comments["comment_id"].astype(str).tolist() != raw["id"].astype(str).str.strip().tolist():
        raise SystemExit(f"{fname}: comment ids do not follow the file's rows")
    return comments, raw.assign(id=comments["comment_id"].astype(str).to_numpy())


def _gold(raw: pd.DataFrame, drop: Iterable[str] = ()) -> dict[str, frozenset[str]]:
    skip = set(drop)
    return {
        str(i): frozenset(x for x in str(lab).split("|") if x and x not in skip)
        for i, lab in zip(raw["id"], raw["labels"], strict=True)
    }


def load_tasks(corpus: str) -> list[Task]:
    """The tagging tasks of one corpus (see the module docs)."""
    import numpy as np
    import pandas as pd

    if corpus == "nhs":
        comments, raw = _read("nhs_patient_feedback.csv")
        cb = nhs_codebook()
        ids = raw["id"].astype(str).to_numpy()
        perm = np.random.default_rng(123).permutation(len(ids))
        heldout = set(ids[perm[len(ids) // 2 :]])
        return [Task("nhs", "nhs", comments, cb, _gold(raw, ["Not assigned"]), heldout)]
    if corpus == "restaurants":
        comments, raw = _read("semeval14_restaurants.csv")
        cb = restaurants_codebook()
        heldout = set(raw.loc[raw["split"] == "test", "id"].astype(str))
        return [Task("restaurants", "restaurants", comments, cb, _gold(raw), heldout)]
    if corpus == "cfpb":
        comments, raw = _read("cfpb_complaints.csv")
        cbf = read_corpus("cfpb_complaints_codebook.csv")
        return [Task("cfpb", "cfpb", comments, _codebook("cfpb-issues", cbf), _gold(raw))]
    if corpus == "banking77":
        comments, raw = _read("banking77.csv")
        keep = (raw["split"] == "test").to_numpy()
        cbf = read_corpus("banking77_codebook.csv")
        sub = comments[keep].reset_index(drop=True)
        return [Task("banking77", "banking77", sub, _codebook("banking77", cbf), _gold(raw[keep]))]
    if corpus == "educator":
        comments, raw = _read("educator_exam_proctoring.csv")
        cbf = read_corpus("educator_exam_proctoring_codebook.csv")
        tasks = []
        for q in ("N3", "N4", "Q5"):
            keep = (raw["question_id"] == q).to_numpy()
            sub = comments[keep].reset_index(drop=True)
            cb = _codebook(f"educator-{q}", cbf[cbf["question_id"] == q])
            tasks.append(Task("educator", f"educator {q}", sub, cb, _gold(raw[keep])))
        return tasks
    if corpus == "argkp":
        comments, raw = _read("argkp_arguments.csv")
        kps = read_corpus("argkp_key_points.csv")
        tasks = []
        for group, rows in raw.groupby("group", sort=True):
            keep = raw.index.isin(rows.index)
            sub = comments[keep].reset_index(drop=True)
            kp = kps[kps["group"] == group] if "group" in kps.columns else kps
            # A key point is one sentence: it is the theme's label, with no description.
            cbf = pd.DataFrame(
                {
                    "theme": kp["key_point_id"].astype(str),
                    "label": kp["key_point"].astype(str),
                    "description": "",
                }
            )
            tasks.append(
                Task("argkp", f"argkp {group}", sub, _codebook(str(group), cbf), _gold(rows))
            )
        return tasks
    raise SystemExit(f"unknown corpus {corpus!r}; one of {', '.join(CORPUS_NAMES)}")


def cached_tags(name: str, comments: pd.DataFrame, codebook, emb, cache: Path) -> pd.DataFrame:
    """``commentmine.tag(comments, codebook, embedder=emb)``, pickled in ``cache`` under ``name``.

    The identity and variety scripts share the default cache folder: the same name is the
    same tagging (delete the folder after changing the tagger).
    """
    import pickle

    import commentmine as cm

    path = cache / (name.replace(" ", "_").replace("/", "_") + ".pkl")
    if path.exists():
        return pickle.loads(path.read_bytes())
    tags = cm.tag(comments, codebook, embedder=emb)
    path.write_bytes(pickle.dumps(tags))
    return tags


# --------------------------------------------------------------------------------- scoring


def f1_scores(
    gold: Sequence[frozenset[str]], pred: Sequence[Iterable[str]], themes: Sequence[str]
) -> tuple[float, float]:
    """(micro-F1, macro-F1); macro over the themes with at least one gold row."""
    import numpy as np

    tp = fp = fn = 0
    per = []
    pred_sets = [set(p) for p in pred]
    for t in themes:
        g = np.fromiter((t in s for s in gold), dtype=bool, count=len(gold))
        p = np.fromiter((t in s for s in pred_sets), dtype=bool, count=len(gold))
        a, b, c = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
        tp, fp, fn = tp + a, fp + b, fn + c
        if g.any():
            per.append(2 * a / max(2 * a + b + c, 1))
    return 2 * tp / max(2 * tp + fp + fn, 1), float(np.mean(per)) if per else 0.0


def comment_metrics(
    parts: Sequence[tuple[Sequence[frozenset[str]], Sequence[Iterable[str]], Sequence[str]]],
) -> dict[str, float]:
    """Comment-level metrics of a corpus, from one ``(gold, predicted, themes)`` per task.

    Theme ids must differ between tasks (they do in the six corpora). ``macro``/``micro``:
    F1 over the pooled comments, macro over themes with gold support. ``card``: mean themes
    per tagged comment (``card_gold``: per comment the people coded). ``prev_mae``: mean over
    themes (with gold support or a prediction) of |predicted - human share of the task's
    comments|, in points. ``worst_ratio``: the largest predicted / human share among themes the
    people gave to >= 2% of their task's comments; ``over2x``: how many of those are predicted
    at more than twice their share (and ``n_2pct`` how many there are).
    """
    import numpy as np

    gold_all: list[frozenset[str]] = []
    pred_all: list[set[str]] = []
    themes_all: list[str] = []
    errs: list[float] = []
    ratios: list[float] = []
    for gold, pred, themes in parts:
        pred_sets = [set(p) for p in pred]
        gold_all += list(gold)
        pred_all += pred_sets
        themes_all += list(themes)
        n = max(len(gold), 1)
        for t in themes:
            gs = sum(t in g for g in gold) / n
            ps = sum(t in p for p in pred_sets) / n
            if gs > 0 or ps > 0:
                errs.append(abs(ps - gs))
            if gs >= 0.02:
                ratios.append(ps / gs)
    mi, ma = f1_scores(gold_all, pred_all, themes_all)
    card_p = [len(p) for p in pred_all if p]
    card_g = [len(g) for g in gold_all if g]
    return {
        "micro": mi,
        "macro": ma,
        "card": float(np.mean(card_p)) if card_p else 0.0,
        "card_gold": float(np.mean(card_g)) if card_g else 0.0,
        "uncoded": float(np.mean([not p for p in pred_all])) if pred_all else 0.0,
        "uncoded_gold": float(np.mean([not g for g in gold_all])) if gold_all else 0.0,
        "prev_mae": 100.0 * float(np.mean(errs)) if errs else 0.0,
        "worst_ratio": float(max(ratios)) if ratios else float("nan"),
        "over2x": float(sum(r > 2.0 for r in ratios)),
        "n_2pct": float(len(ratios)),
        "n": float(len(gold_all)),
    }
