"""What quotes are cut from: comment texts, their segments in order, and per-comment metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from commentmine._quotes._consent import isna
from commentmine._quotes._options import QuoteOptions
from commentmine._tables import UNCODED

_SENT_END = re.compile(r"[.!?\u2026]+[\"'\u2019\u201d)\]]*(?=\s|$)")

Seg = tuple[str, int, int]  # segment id, start, end (offsets into the comment text)

# Openings that lean on the sentence before ("It works because ...", "But ...", "What doesn't
# work is the timing."): a quote that opens so is extended to the sentence before it. Pronouns,
# "And" before a pronoun (a fragment that carries on: "And that the same organisations seem to
# win.") and contrastive or causal connectives; not "Also", "Plus" or "And" before a clause of
# its own ("And working together takes effort."), which add a point that reads on its own
# (taking in the sentence before would quote two unrelated points).
_LEANS_BACK = re.compile(
    r"^\W*(?:(?:it|its|it's|this|that|that's|these|those|they|they're|them|their|he|she|his|"
    r"her|which|but|so|however|because|although|though|yet|or|nor|then|otherwise|instead|"
    r"therefore|thus|hence|likewise|similarly)\b(?![-'])|"
    r"and\s+(?:it|its|it's|this|that|that's|these|those|they|they're|them|their|he|she|his|"
    r"her|which|so|then)\b(?![-'])|"
    r"(?:what (?:doesn't|does not|didn't|did not|don't|do not|isn't|is not|wasn't)|"
    r"the other|the same|as for|on the other hand|that said|even so|apart from that|"
    r"other than that|for (?:that|this) reason|in (?:that|this) case)\b)",
    re.IGNORECASE,
)


def n_words(text: str) -> int:
    """Words in ``text`` (white-space separated), as the word window counts them."""
    return len(text.split())


def comment_texts(tags: pd.DataFrame, comments: pd.DataFrame | None) -> dict[str, str]:
    """Comment text by id: from the comments table, else rebuilt from the segments."""
    texts: dict[str, str] = {}
    if comments is not None and "text" in comments.columns:
        texts = dict(
            zip(
                comments["comment_id"].astype(str),
                comments["text"].fillna("").astype(str),
                strict=False,
            )
        )
    segs = tags.drop_duplicates("segment_id")
    # Group with plain lists: one pandas group per comment cost ~1.5 ms each (146 s at 100k).
    pieces: dict[str, list[tuple[int, int, str]]] = {}
    for cid, s, e, t in zip(
        segs["comment_id"].astype(str).tolist(),
        segs["start"].astype(int).tolist(),
        segs["end"].astype(int).tolist(),
        segs["text"].astype(str).tolist(),
        strict=True,
    ):
        if cid not in texts:
            pieces.setdefault(cid, []).append((s, e, t))
    for cid, spans in pieces.items():
        buf = [" "] * max(e for _s, e, _t in spans)
        for s, e, t in spans:
            buf[s:e] = list(t[: e - s].ljust(e - s))
        texts[cid] = "".join(buf)
    return texts


def comment_meta(tags: pd.DataFrame, comments: pd.DataFrame | None) -> pd.DataFrame:
    """One row per comment id with every column known for it (comments table wins)."""
    t = tags.drop_duplicates("comment_id").copy()
    t["comment_id"] = t["comment_id"].astype(str)
    t = t.set_index("comment_id")
    if comments is None:
        meta = t
    else:
        c = comments.copy()
        c["comment_id"] = c["comment_id"].astype(str)
        c = c.drop_duplicates("comment_id").set_index("comment_id")
        extra = [col for col in t.columns if col not in c.columns]
        meta = c.join(t[extra], how="outer") if extra else c
    if "respondent_id" not in meta.columns:
        meta["respondent_id"] = meta.index
    meta["respondent_id"] = meta["respondent_id"].astype(str)
    return meta


def interviewees(meta: pd.DataFrame) -> set[str]:
    """Respondents with a comment from interview notes: a speaker label, or a source file of
    notes (``.txt``, ``.md``, ``.docx``, as :func:`commentmine.read_interviews` reads them)."""
    from commentmine.ingest import INTERVIEW_EXTENSIONS

    notes = pd.Series(False, index=meta.index)
    if "speaker" in meta.columns:
        notes |= meta["speaker"].map(lambda v: "" if isna(v) else str(v).strip()) != ""
    if "source" in meta.columns:
        suffix = tuple(sorted(INTERVIEW_EXTENSIONS))
        notes |= meta["source"].map(lambda v: str(v).strip().lower().endswith(suffix))
    return set(meta.loc[notes, "respondent_id"])


@dataclass
class Source:
    """The tags' comments, indexed for cutting quotes.

    Attributes
    ----------
    texts : dict
        Comment id -> full comment text.
    segs : dict
        Comment id -> its segments ``(segment_id, start, end)`` in text order.
    pos : dict
        Segment id -> ``(comment_id, index in segs[comment_id])``.
    respondent, group : dict
        Comment id -> respondent id; -> value of the ``by`` column ("" without ``by``).
    limit : dict
        Respondent id -> most quotes per theme (see ``QuoteOptions.per_respondent``);
        respondents not in it have 1.
    scores : dict
        Segment id -> ``(theme, score)`` of each coded tag row of the segment.
    """

    texts: dict[str, str]
    segs: dict[str, list[Seg]]
    pos: dict[str, tuple[str, int]]
    respondent: dict[str, str]
    group: dict[str, str]
    scores: dict[str, list[tuple[str, float]]]
    limit: dict[str, int]

    @classmethod
    def build(
        cls,
        tags: pd.DataFrame,
        comments: pd.DataFrame | None,
        meta: pd.DataFrame,
        opts: QuoteOptions,
    ) -> Source:
        """Index the comments of ``tags`` (texts from ``comments`` when given)."""
        by = opts.by
        if opts.per_respondent is not None:
            limit = dict.fromkeys(meta["respondent_id"], opts.per_respondent)
        else:
            limit = dict.fromkeys(interviewees(meta), opts.n)
        resp_of = meta["respondent_id"].to_dict()
        group_of = (
            meta[by].map(lambda v: "" if isna(v) else str(v)).to_dict() if by is not None else {}
        )
        texts = comment_texts(tags, comments)
        seg_table = tags.drop_duplicates("segment_id")[["comment_id", "segment_id", "start", "end"]]
        seg_lists: dict[str, list[Seg]] = {}
        for cid, sid, s, e in seg_table.sort_values(["comment_id", "start"]).itertuples(
            index=False
        ):
            seg_lists.setdefault(cid, []).append((sid, int(s), int(e)))
        seg_pos = {
            sid: (cid, i) for cid, lst in seg_lists.items() for i, (sid, _s, _e) in enumerate(lst)
        }
        coded = tags[tags["theme"] != UNCODED]
        seg_scores: dict[str, list[tuple[str, float]]] = {}
        for sid, th, sc in zip(coded["segment_id"], coded["theme"], coded["score"], strict=True):
            seg_scores.setdefault(sid, []).append((th, float(sc)))
        return cls(texts, seg_lists, seg_pos, resp_of, group_of, seg_scores, limit)


def leans_back(text: str) -> bool:
    """Whether ``text`` opens with a pronoun or connective that needs the sentence before it
    ("It works because ...", "But ...", "What doesn't work is the timing.").

    >>> leans_back("It works because the officer knows us."), leans_back("Its staff are kind.")
    (True, True)
    >>> leans_back("Funding is short."), leans_back("Italy"), leans_back("So-called grants")
    (False, False, False)
    """
    return bool(_LEANS_BACK.match(text))


def trim(
    ctext: str,
    segs: list[Seg],
    i: int,
    max_words: int,
    min_words: int,
) -> tuple[int, int] | None:
    """Whole-sentence span for segment ``i`` of a comment, within the word window.

    A span shorter than ``min_words`` grows over the next segments, then the previous ones; a
    span that opens leaning on the sentence before (:func:`leans_back`) takes in the previous
    segments until it stands alone, as long as it stays within ``max_words``.
    """
    _sid, s, e = segs[i]
    if n_words(ctext[s:e]) > max_words:
        best = None
        for m in _SENT_END.finditer(ctext, s, e):
            if n_words(ctext[s : m.end()]) <= max_words:
                best = m.end()
            else:
                break
        if best is None:
            return None
        e = best
    lo, hi = i, i
    while n_words(ctext[s:e]) < min_words:
        grown = False
        if hi + 1 < len(segs):
            ne = segs[hi + 1][2]
            if n_words(ctext[s:ne]) <= max_words:
                hi += 1
                e = ne
                grown = True
        if not grown and lo - 1 >= 0 and n_words(ctext[s:e]) < min_words:
            ns = segs[lo - 1][1]
            if n_words(ctext[ns:e]) <= max_words:
                lo -= 1
                s = ns
                grown = True
        if not grown:
            break
    while (
        lo - 1 >= 0 and leans_back(ctext[s:e]) and n_words(ctext[segs[lo - 1][1] : e]) <= max_words
    ):
        lo -= 1
        s = segs[lo][1]
    while s < e and ctext[s].isspace():
        s += 1
    while e > s and ctext[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None
