"""Synthetic comments/tags tables for the quotes, stats and export tests (no tagger needed)."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

from commentmine.codebook import Codebook, Theme

# respondent id, org_type, region, consent, text
ROWS = [
    (
        "r01",
        "small charity",
        "Wales",
        "yes",
        "Funding is short-term and the pots are tiny. We spend weeks writing bids for grants "
        "that last a year. Contact me at jo.bloggs@example.org for details.",
    ),
    (
        "r02",
        "small charity",
        "Wales",
        "yes",
        "The tendering rules favour large providers. Small charities cannot compete on price.",
    ),
    (
        "r03",
        "small charity",
        "Wales",
        "yes",
        "We work in partnership with other local charities. Our network shares training and "
        "referrals.",
    ),
    (
        "r04",
        "small charity",
        "Wales",
        "no",
        "Funding cuts mean we live off our reserves now. Nobody will fund core costs.",
    ),
    (
        "r05",
        "small charity",
        "Wales",
        "yes",
        "Competing for the same contracts damages trust between charities. We end up rivals "
        "rather than partners.",
    ),
    (
        "r06",
        "large charity",
        "North East",
        "yes",
        "Commissioning is slow and the grants are ring-fenced for police priorities. We could "
        "not bid in time.",
    ),
    (
        "r07",
        "large charity",
        "North East",
        "yes",
        "A consortium bid with three partners helped us win the contract. Joint working made "
        "the offer stronger.",
    ),
    (
        "r08",
        "large charity",
        "North East",
        "do not quote",
        "The competitive tender pitted us against our closest partner. It was bruising for "
        "everyone involved.",
    ),
    ("r09", "large charity", "North East", "yes", "Ok. Funding."),
    (
        "r10",
        "large charity",
        "North East",
        "yes",
        "We share premises and staff with another provider. Collaboration keeps costs down for "
        "both organisations.",
    ),
    (
        "r11",
        "social enterprise",
        "London",
        "yes",
        "Grant funding only lasts twelve months which makes planning impossible for small teams "
        "like ours.",
    ),
    (
        "r12",
        "social enterprise",
        "London",
        "yes",
        "Funding is short-term and the pots are tiny. We spend weeks writing bids for grants "
        "that last a year.",
    ),
]

KEYWORDS = {
    "funding": ("fund", "grant", "tender", "commission", "reserve", "pot", "bid"),
    "collaboration": ("partnership", "network", "consortium", "joint", "share", "collaborat"),
    "competition": ("compet", "rival", "pitted"),
}


def codebook() -> Codebook:
    return Codebook(
        "test",
        themes=(
            Theme("funding", label="Funding barriers", description="money, grants, tenders"),
            Theme(
                "collab_comp",
                label="Collaboration vs competition",
                description="working together or competing",
            ),
            Theme("collaboration", label="Collaboration", parent="collab_comp"),
            Theme("competition", label="Competition", parent="collab_comp"),
            Theme("capacity", label="Capacity", description="staff and time"),
        ),
    )


def comments() -> pd.DataFrame:
    rows = []
    for rid, org, region, consent, text in ROWS:
        rows.append(
            {
                "comment_id": f"{rid}:experience",
                "respondent_id": rid,
                "question": "experience",
                "text": text,
                "source": "survey.csv",
                "status": "ok",
                "speaker": "",
                "is_interviewer": False,
                "org_type": org,
                "region": region,
                "consent": consent,
            }
        )
    rows.append(
        {
            "comment_id": "r13:experience",
            "respondent_id": "r13",
            "question": "experience",
            "text": "n/a",
            "source": "survey.csv",
            "status": "non_answer",
            "speaker": "",
            "is_interviewer": False,
            "org_type": "small charity",
            "region": "Wales",
            "consent": "yes",
        }
    )
    rows.append(
        {
            "comment_id": "int1:1",
            "respondent_id": "int1",
            "question": "",
            "text": "Interviewer: tell me about funding and grants and your partnership network.",
            "source": "notes.txt",
            "status": "ok",
            "speaker": "Interviewer",
            "is_interviewer": True,
            "org_type": "",
            "region": "",
            "consent": "yes",
        }
    )
    return pd.DataFrame(rows)


_SENT = re.compile(r".+?(?:[.!?]+(?=\s|$)|$)", re.S)


def segments(comments: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for rec in comments[comments["status"] == "ok"].itertuples(index=False):
        n = 0
        for m in _SENT.finditer(rec.text):
            s, e = m.start(), m.end()
            while s < e and rec.text[s].isspace():
                s += 1
            if e <= s:
                continue
            n += 1
            row = rec._asdict()
            row.update(
                segment_id=f"{rec.comment_id}#{n}",
                n=n,
                start=s,
                end=e,
                text=rec.text[s:e],
                lemmas=rec.text[s:e].lower(),
            )
            rows.append(row)
    return pd.DataFrame(rows)


def tags(comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Keyword tagger stand-in: one row per segment x theme, uncoded rows for the rest."""
    segs = segments(comments if comments is not None else globals()["comments"]())
    rows = []
    for rec in segs.itertuples(index=False):
        low = rec.text.lower()
        hits = []
        for theme, kws in KEYWORDS.items():
            k = sum(kw in low for kw in kws)
            if k:
                hits.append((theme, min(1.0, 0.4 + 0.2 * k)))
        base = rec._asdict()
        base.pop("lemmas")
        base.pop("n")
        for theme, score in hits or [("uncoded", 0.1)]:
            rows.append({**base, "theme": theme, "score": score, "evidence": "{}"})
    cols = ["comment_id", "segment_id", "start", "end", "text", "theme", "score", "evidence"]
    df = pd.DataFrame(rows)
    return df[cols + [c for c in df.columns if c not in cols]]


class HashEmbedder:
    """Deterministic bag-of-words embedder (no model needed)."""

    name = "hash-bow-64"

    def embed(self, texts):  # noqa: ANN001, ANN201
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"[a-z]+", str(t).lower()):
                h = int(hashlib.md5(w.encode()).hexdigest()[:8], 16)
                out[i, h % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)
