"""Representative, varied, anonymised quotes per theme.

For each theme the candidates are its tagged segments (never interviewer turns, never a
respondent whose consent column says no, never ``uncoded`` rows). Each candidate is trimmed to
whole sentences within a word window, ranked by tag score and by centrality within the theme
(cosine to the theme's embedding centroid), then picked greedily with maximal marginal
relevance (MMR) for variety, at most one quote per respondent, round-robin over groups when
``by`` names a column and over sub-themes when the theme has children (so both sides of
"collaboration vs competition" show), with near-duplicates removed. The picked text is redacted;
offsets refer to the ORIGINAL comment text and the redacted quote is checked to appear
verbatim in the redacted comment.

>>> import commentmine as cm
>>> q = cm.quotes(tags, comments=comments, codebook="vcse-pcc", n=3,
...               attribution="{org_type}, {region}")                    # doctest: +SKIP
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._redacted import Redacted, redact_texts
from commentmine._tables import UNCODED

__all__ = ["quotes", "verify_quotes", "attribute", "check_consent", "QUOTE_COLUMNS"]

# Tag-score floor of a quote (see ``quotes``); chosen on the dev halves of the corpora.
DEFAULT_MIN_SCORE = 0.6

QUOTE_COLUMNS = [
    "theme",
    "rank",
    "comment_id",
    "segment_id",
    "start",
    "end",
    "text",
    "attribution",
    "score",
]

_NO_CONSENT = {
    "no",
    "n",
    "false",
    "f",
    "0",
    "0.0",
    "do not quote",
    "don't quote",
    "dont quote",
    "do-not-quote",
    "do_not_quote",
    "not for quotation",
    "no quote",
    "no quotes",
    "withdrawn",
    "withheld",
    "anonymous only",
}
_REQUIRED = ["comment_id", "segment_id", "start", "end", "text", "theme", "score"]
_SENT_END = re.compile(r"[.!?\u2026]+[\"'\u2019\u201d)\]]*(?=\s|$)")
_WORD = re.compile(r"[a-z0-9']+")
DEFAULT_ATTRIBUTION = "respondent"


# --- small helpers ------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _truthy(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return str(v).strip().lower() in {"true", "1", "yes", "y", "t"}


def no_consent(value: Any) -> bool:
    """True when a consent cell says the respondent must not be quoted (blank means allowed)."""
    if _isna(value):
        return False
    if isinstance(value, (bool, np.bool_)):
        return not bool(value)
    return str(value).strip().lower() in _NO_CONSENT


_CONSENT_NAME = re.compile(r"consent|permission", re.IGNORECASE)
_YES_NO = _NO_CONSENT | {
    "yes", "y", "true", "t", "1", "1.0", "agree", "agreed", "i agree", "disagree", "ok",
    "okay", "not ok", "yes, quote me", "happy to be quoted", "may quote",
}  # fmt: skip


def consent_columns(table: pd.DataFrame) -> list[str]:
    """Columns of ``table`` that look like consent to quote.

    A name with "consent" or "permission" in it, or with "quot" in it and only yes/no,
    agree/disagree, ok or true/false style values.
    """
    out = []
    for col in table.columns:
        name = str(col)
        if _CONSENT_NAME.search(name):
            out.append(name)
        elif "quot" in name.lower():
            values = {str(v).strip().lower() for v in pd.unique(table[col].dropna())[:100]}
            values.discard("")
            if values and values <= _YES_NO:
                out.append(name)
    return out


def check_consent(table: pd.DataFrame, consent_col: str | bool | None) -> str | None:
    """The consent column to honour, refusing to guess when one looks present but is unnamed.

    Parameters
    ----------
    table : DataFrame
        The comments table (with its metadata columns).
    consent_col : str, False or None
        A column name: use it. ``False``: quote everyone, knowingly. ``None``: allowed only
        when no column looks like consent (see :func:`consent_columns`).

    Returns
    -------
    str or None
        The column to use, or None.

    Raises
    ------
    CommentmineError
        E406 when ``consent_col`` is None and a column looks like consent.
    """
    if consent_col is False:
        return None
    if consent_col is None:
        found = consent_columns(table)
        if found:
            raise errors.consent_not_named(found)
        return None
    if consent_col is True:
        raise errors.bad_argument("consent_col must be a column name, False or None, not True")
    return str(consent_col)


def _passage_key(text: str) -> str:
    """What makes two quotes the same passage: their words, whatever the case and punctuation."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _repeats(key: str, picked: set[str], min_words: int = 6) -> bool:
    """Whether a passage (its :func:`_passage_key`) repeats one already quoted: the same words,
    or one inside the other ("Another thing: we have a data-sharing agreement ..." after "We
    have a data-sharing agreement ..."), the shorter of at least ``min_words`` words."""
    if key in picked:
        return True
    k = f" {key} "
    n = len(key.split())
    return any(
        min(n, len(p.split())) >= min_words and (f" {p} " in k or k in f" {p} ") for p in picked
    )


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def _theme_text(theme: Any) -> str:
    """What a theme is about, as one text: label, description, examples."""
    parts = [str(theme.label or theme.id)]
    if getattr(theme, "description", ""):
        parts.append(str(theme.description))
    parts.extend(str(e) for e in getattr(theme, "examples", ()) or ())
    return ". ".join(parts)


def _load_codebook(codebook: Any) -> Any:
    if codebook is None:
        return None
    if hasattr(codebook, "themes") and hasattr(codebook, "root"):
        return codebook
    from commentmine.codebook import load_codebook

    return load_codebook(codebook)


def _children(codebook: Any, tid: str) -> list[str]:
    if codebook is None or tid not in set(codebook.ids):
        return []
    return [c if isinstance(c, str) else c.id for c in codebook.children(tid)]


def _get_embedder(embedder: Any) -> Any:
    if embedder is not None and hasattr(embedder, "embed"):
        return embedder
    from commentmine.embed import select_embedder

    return select_embedder(embedder)


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / max(1, len(a | b))


# --- attribution ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    template: str
    lead: str
    fields: tuple[str, ...]
    seps: tuple[str, ...]  # literal before each field (after the first)
    tail: str

    @classmethod
    def parse(cls, template: str) -> _Template:
        lead, tail = "", ""
        fields: list[str] = []
        seps: list[str] = []
        pending = ""
        for literal, fname, _spec, _conv in string.Formatter().parse(template):
            if fname is None:
                pending += literal
                continue
            if not fields:
                lead = pending + literal
            else:
                seps.append(pending + literal)
            pending = ""
            fields.append(fname)
        tail = pending
        return cls(template, lead, tuple(fields), tuple(seps), tail)

    def render(self, values: Sequence[str]) -> str:
        """Fill the first ``len(values)`` fields; a shortened template drops the separators and
        the tail of the dropped fields and closes any bracket left open."""
        out = self.lead + values[0]
        for sep, v in zip(self.seps, values[1:], strict=False):
            out += sep + v
        if len(values) == len(self.fields):
            return out + self.tail
        stack: list[str] = []
        pairs = {"(": ")", "[": "]", "{": "}"}
        for ch in self.lead + "".join(self.seps[: len(values) - 1]):
            if ch in pairs:
                stack.append(pairs[ch])
            elif stack and ch == stack[-1]:
                stack.pop()
        return out + "".join(reversed(stack))


def attribute(
    meta: pd.DataFrame,
    template: str | None,
    *,
    min_group_size: int = 5,
    default: str = DEFAULT_ATTRIBUTION,
) -> pd.Series:
    """Attribution per respondent from a template, with disclosure control.

    Parameters
    ----------
    meta : DataFrame
        One row per respondent (index: respondent id) holding the template's columns. The
        whole data, not just the quoted respondents: group sizes are counted over it.
    template : str or None
        Like ``"{org_type}, {region}"``. None gives ``default`` for everyone.
    min_group_size : int, default 5
        A combination of values shared by fewer respondents is generalised by dropping the
        last (most specific) field, then the next, down to ``default``. Blank values are
        dropped the same way.
    default : str, default "respondent"

    Returns
    -------
    Series
        Attribution text per respondent (same index as ``meta``).
    """
    if not template:
        return pd.Series(default, index=meta.index, dtype=object)
    tpl = _Template.parse(template)
    if not tpl.fields:
        return pd.Series(template, index=meta.index, dtype=object)
    missing = [f for f in tpl.fields if f not in meta.columns]
    if missing:
        raise errors.bad_template(template, missing, meta.columns)
    vals = meta[list(tpl.fields)].map(lambda v: "" if _isna(v) else str(v).strip())
    out = pd.Series(default, index=meta.index, dtype=object)
    sizes = [
        vals.groupby(list(tpl.fields[: j + 1])).size().to_dict() for j in range(len(tpl.fields))
    ]
    for rid, row in vals.iterrows():
        values = [row[f] for f in tpl.fields]
        for j in range(len(values), 0, -1):
            kept = values[:j]
            if any(v == "" for v in kept):
                continue
            key = kept[0] if j == 1 else tuple(kept)
            if sizes[j - 1].get(key, 0) >= min_group_size:
                out[rid] = tpl.render(kept)
                break
    return out


# --- candidates -----------------------------------------------------------------------------


@dataclass
class _Cand:
    theme: str
    side: str
    comment_id: str
    segment_id: str
    respondent: str
    group: str
    start: int
    end: int
    text: str
    score: float
    primary: bool = True
    rel: float = 0.0
    emb: np.ndarray | None = field(default=None, repr=False)
    toks: set[str] = field(default_factory=set, repr=False)


def _trim(
    ctext: str,
    segs: list[tuple[str, int, int]],
    i: int,
    max_words: int,
    min_words: int,
) -> tuple[int, int] | None:
    """Whole-sentence span for segment ``i`` of a comment, within the word window."""
    _sid, s, e = segs[i]
    if _words(ctext[s:e]) > max_words:
        best = None
        for m in _SENT_END.finditer(ctext, s, e):
            if _words(ctext[s : m.end()]) <= max_words:
                best = m.end()
            else:
                break
        if best is None:
            return None
        e = best
    lo, hi = i, i
    while _words(ctext[s:e]) < min_words:
        grown = False
        if hi + 1 < len(segs):
            ne = segs[hi + 1][2]
            if _words(ctext[s:ne]) <= max_words:
                hi += 1
                e = ne
                grown = True
        if not grown and lo - 1 >= 0 and _words(ctext[s:e]) < min_words:
            ns = segs[lo - 1][1]
            if _words(ctext[ns:e]) <= max_words:
                lo -= 1
                s = ns
                grown = True
        if not grown:
            break
    while s < e and ctext[s].isspace():
        s += 1
    while e > s and ctext[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def _comment_texts(tags: pd.DataFrame, comments: pd.DataFrame | None) -> dict[str, str]:
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


def _comment_meta(tags: pd.DataFrame, comments: pd.DataFrame | None) -> pd.DataFrame:
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


# --- the public function ------------------------------------------------------------------


def quotes(
    tags: pd.DataFrame,
    *,
    theme: str | Sequence[str] | None = None,
    n: int = 5,
    by: str | None = None,
    max_words: int = 60,
    min_words: int = 5,
    attribution: str | None = None,
    consent_col: str | bool | None = None,
    comments: pd.DataFrame | None = None,
    codebook: Any = None,
    redact: bool | str = True,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    allow: Sequence[str] = (),
    embedder: Any = None,
    seed: int = 0,
    min_group_size: int = 5,
    diversity: float = 0.3,
    max_similarity: float = 0.9,
    max_overlap: float = 0.6,
    weights: tuple[float, float, float] = (0.75, 0.25, 0.0),
    prefer_primary: bool = False,
    min_score: float = DEFAULT_MIN_SCORE,
) -> pd.DataFrame:
    """Pick up to ``n`` typical, varied, publishable quotes per theme.

    Parameters
    ----------
    tags : DataFrame
        Segment-level tags table (``commentmine.tag``), possibly edited by an analyst.
    theme : str or list of str, optional
        Theme id(s). Default: every theme with candidates, in codebook order.
    n : int, default 5
        Quotes per theme (fewer when there are not enough eligible respondents).
    by : str, optional
        Metadata column to spread quotes across (round-robin over its groups).
    max_words, min_words : int, default 60, 5
        Word window. A segment longer than ``max_words`` is cut at its last sentence end
        inside the window (or skipped); a shorter one than ``min_words`` is extended to the
        adjacent segments of the same comment when that stays inside the window.
    attribution : str, optional
        Template such as ``"{org_type}, {region}"`` filled from metadata columns, generalised
        when fewer than ``min_group_size`` respondents share the values (see
        :func:`attribute`). Without a template every quote is attributed to "respondent".
    consent_col : str or False, optional
        Column saying whether a respondent may be quoted; no/false/0/"do not quote" (in any
        row of the respondent) excludes them. Blank means allowed. When it is not given and
        the comments table has a column that looks like consent (a name with "consent" or
        "permission", or with "quote" and yes/no values), quoting stops with E406: name the
        column, or pass ``False`` to quote everyone knowingly.
    comments : DataFrame, optional
        The comments table the tags came from: gives full comment texts (for extension and
        the verbatim check), metadata and the group sizes for disclosure control. Without it
        the comment text is rebuilt from the segments.
    codebook : Codebook or str, optional
        Orders the themes and provides sub-themes for stance-aware picking.
    redact : bool or {"identifiers", "names", "strict"}, default True
        Redact the quote text at this level (True: ``"names"``, see
        :mod:`commentmine.redact`; plus ``names``/``orgs``). False quotes the text as written.
    names, orgs : sequence of str
        Extra names and organisations to redact.
    allow : sequence of str
        Extra phrases never redacted (added to the package's allow-list).
    embedder : Embedder or str, optional
        Backend for centrality, MMR and near-duplicate detection (default: bundled model).
    seed : int, default 0
        Kept for the common signature; the picking itself is deterministic.
    min_group_size : int, default 5
        Disclosure threshold for attributions.
    diversity : float, default 0.3
        MMR weight on dissimilarity to the quotes already picked (0 = relevance only).
    max_similarity, max_overlap : float, default 0.9, 0.6
        A candidate whose cosine (or word Jaccard) to a picked quote exceeds this is a
        near-duplicate and skipped.
    weights : (float, float, float), default (0.75, 0.25, 0.0)
        Relevance = weighted sum of the tag score, the centrality (cosine to the centroid of
        the theme's candidates) and the cosine to the theme's own text (label, description
        and examples; needs a codebook). The default leans on the tag score: on the dev
        corpora (benchmarks/results/quotes.md) more weight on centrality gave less precise
        and less varied quotes.
    prefer_primary : bool, default False
        Pick first among segments whose best-scoring theme is this one (or one of its
        sub-themes), so that a quote illustrates its theme rather than a neighbour's.
    min_score : float, default 0.6
        Quote only segments whose tag score is at least this (the tagger's per-theme decision
        point is 0.5): a theme with fewer confident segments gets fewer quotes, or none. A
        wrong quote in a report costs more than a missing one; on the dev corpora raising the
        floor from 0.5 to 0.6 made quotes more precise at little cost in themes quoted, and
        0.8 roughly doubled precision again while quoting a quarter of the themes
        (benchmarks/results/quotes.md). Use 0 to quote any tagged segment (an analyst's
        hand-added tag should carry score 1).

    Returns
    -------
    DataFrame
        Columns ``theme, rank, comment_id, segment_id, start, end, text, attribution, score``
        plus ``respondent_id``, ``sub_theme`` and the ``by`` column when given. ``start`` and
        ``end`` index the ORIGINAL comment text; ``text`` is the (redacted) quote; ``score``
        is the tag score of the picked segment.
    """
    del seed  # deterministic by construction
    if not isinstance(tags, pd.DataFrame):
        raise errors.bad_argument(f"tags must be a DataFrame, got {type(tags).__name__}")
    missing = [c for c in _REQUIRED if c not in tags.columns]
    if missing:
        raise errors.not_tags_table(missing, tags.columns)
    if n < 1:
        raise errors.bad_argument(f"n must be >= 1, got {n}")
    if max_words < 1 or min_words < 0:
        raise errors.bad_argument("max_words must be >= 1 and min_words >= 0")
    if not 0.0 <= diversity <= 1.0:
        raise errors.bad_argument(f"diversity must lie in [0, 1], got {diversity}")
    if not 0.0 <= float(min_score) <= 1.0:
        raise errors.bad_argument(f"min_score must lie in [0, 1], got {min_score}")
    codebook = _load_codebook(codebook)
    tags = tags.copy()
    for col in ("comment_id", "segment_id", "theme"):
        tags[col] = tags[col].astype(str)
    try:  # a table read back from CSV may hold these as text
        tags["start"] = pd.to_numeric(tags["start"]).astype(int)
        tags["end"] = pd.to_numeric(tags["end"]).astype(int)
        tags["score"] = pd.to_numeric(tags["score"]).astype(float)
    except (TypeError, ValueError) as exc:
        raise errors.bad_argument(f"tags: start, end and score must be numbers ({exc})") from exc
    meta = _comment_meta(tags, comments)
    consent_col = check_consent(meta, consent_col)
    for col, what in ((by, "--by column"), (consent_col, "--consent-col column")):
        if col is not None and col not in meta.columns:
            raise errors.missing_column(col, meta.columns, what=what)

    # themes to quote
    present = [t for t in pd.unique(tags["theme"]) if t != UNCODED]
    if codebook is not None:
        known = list(codebook.ids) + [t for t in present if t not in set(codebook.ids)]
    else:
        known = sorted(present)
    if theme is None:
        wanted = known
    else:
        wanted = [theme] if isinstance(theme, str) else list(theme)
        for t in wanted:
            if t not in known:
                raise errors.unknown_theme(t, known)

    # eligibility: respondent-level exclusions
    excluded: set[str] = set()
    if "is_interviewer" in meta.columns:
        inter = meta.index[meta["is_interviewer"].map(_truthy)]
        interviewer_comments = set(inter)
    else:
        interviewer_comments = set()
    if "is_interviewer" in tags.columns:
        interviewer_comments |= set(tags.loc[tags["is_interviewer"].map(_truthy), "comment_id"])
    if consent_col is not None:
        flagged = meta[meta[consent_col].map(no_consent)]
        excluded = set(flagged["respondent_id"])
    resp_of = meta["respondent_id"].to_dict()
    group_of = (
        meta[by].map(lambda v: "" if _isna(v) else str(v)).to_dict() if by is not None else {}
    )

    texts = _comment_texts(tags, comments)
    seg_table = tags.drop_duplicates("segment_id")[["comment_id", "segment_id", "start", "end"]]
    seg_lists: dict[str, list[tuple[str, int, int]]] = {}
    for cid, sid, s, e in seg_table.sort_values(["comment_id", "start"]).itertuples(index=False):
        seg_lists.setdefault(cid, []).append((sid, int(s), int(e)))
    seg_pos = {
        sid: (cid, i) for cid, lst in seg_lists.items() for i, (sid, _s, _e) in enumerate(lst)
    }

    usable = tags[
        (tags["theme"] != UNCODED)
        & (tags["score"] >= float(min_score))
        & ~tags["comment_id"].isin(interviewer_comments)
        & ~tags["comment_id"].map(lambda c: resp_of.get(c, c)).isin(excluded)
    ]

    coded = tags[tags["theme"] != UNCODED]
    seg_scores: dict[str, list[tuple[str, float]]] = {}
    for sid, th, sc in zip(coded["segment_id"], coded["theme"], coded["score"], strict=True):
        seg_scores.setdefault(sid, []).append((th, float(sc)))

    emb = None
    per_theme: list[tuple[str, list[_Cand], list[str]]] = []
    for tid in wanted:
        sides = _children(codebook, tid)
        members = [tid, *sides]
        sub = usable[usable["theme"].isin(members)]
        if sub.empty:
            continue
        sub = sub.assign(side_=sub["theme"].where(sub["theme"] != tid, ""))
        sub = sub.sort_values(["score", "segment_id"], ascending=[False, True], kind="mergesort")
        sub = sub.drop_duplicates("segment_id")
        cands: list[_Cand] = []
        seen_spans: set[tuple[str, int, int]] = set()
        family = set(members)
        if codebook is not None and tid in set(codebook.ids):
            root = codebook.root(tid)
            family |= {root, *_children(codebook, root)}
        for rec in sub.itertuples(index=False):
            cid, sid = rec.comment_id, rec.segment_id
            other = max((sc for th, sc in seg_scores.get(sid, ()) if th not in family), default=0.0)
            ctext = texts.get(cid, "")
            _c, i = seg_pos[sid]
            span = _trim(ctext, seg_lists[cid], i, max_words, min_words)
            if span is None or (cid, *span) in seen_spans:
                continue
            seen_spans.add((cid, *span))
            cands.append(
                _Cand(
                    theme=tid,
                    side=str(rec.side_),
                    comment_id=cid,
                    segment_id=sid,
                    respondent=str(resp_of.get(cid, cid)),
                    group=group_of.get(cid, ""),
                    start=span[0],
                    end=span[1],
                    text=ctext[span[0] : span[1]],
                    score=float(rec.score),
                    primary=float(rec.score) >= other,
                )
            )
        # prefer candidates inside the word window; fall back to short ones if needed
        long_enough = [c for c in cands if _words(c.text) >= min_words]
        cands = long_enough if len(long_enough) >= min(n, len(cands)) else cands
        if cands:
            per_theme.append((tid, cands, [s for s in sides if any(c.side == s for c in cands)]))

    theme_vec: dict[str, np.ndarray] = {}
    if per_theme:
        all_texts = sorted({c.text for _t, cs, _s in per_theme for c in cs})
        enc = _get_embedder(embedder)
        vecs = _unit(np.asarray(enc.embed(all_texts), dtype=np.float32))
        emb = dict(zip(all_texts, vecs, strict=True))
        if weights[2] and codebook is not None:
            ids = sorted({t for t, _c, sides in per_theme for t in [t, *sides]})
            ids = [t for t in ids if t in set(codebook.ids)]
            tv = _unit(
                np.asarray(
                    enc.embed([_theme_text(codebook.theme(t)) for t in ids]), dtype=np.float32
                )
            )
            theme_vec = dict(zip(ids, tv, strict=True))

    rows: list[dict[str, Any]] = []
    picked_by_comment: dict[str, list[_Cand]] = {}
    picked_texts: set[str] = set()
    for tid, cands, sides in per_theme:
        assert emb is not None
        # a passage quoted under one theme (or its parent) is not quoted again under another
        cands = [
            c
            for c in cands
            if not _repeats(_passage_key(c.text), picked_texts)
            and not any(
                c.start < p.end and p.start < c.end for p in picked_by_comment.get(c.comment_id, ())
            )
        ]
        if not cands:
            continue
        for c in cands:
            c.emb = emb[c.text]
            c.toks = _tokens(c.text)
        centroid = np.mean([c.emb for c in cands], axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        w_s, w_c, w_d = weights
        for c in cands:
            tv = theme_vec.get(c.side or tid)
            c.rel = w_s * c.score + w_c * float(c.emb @ centroid)
            if tv is not None:
                c.rel += w_d * float(c.emb @ tv)
            if prefer_primary and c.primary:
                c.rel += 10.0
        chosen = _pick(
            cands,
            sides=sides,
            n=n,
            use_groups=by is not None,
            diversity=diversity,
            max_similarity=max_similarity,
            max_overlap=max_overlap,
        )
        for rank, c in enumerate(chosen, start=1):
            picked_by_comment.setdefault(c.comment_id, []).append(c)
            picked_texts.add(_passage_key(c.text))
            row = {
                "theme": tid,
                "rank": rank,
                "comment_id": c.comment_id,
                "segment_id": c.segment_id,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "attribution": DEFAULT_ATTRIBUTION,
                "score": round(c.score, 6),
                "respondent_id": c.respondent,
                "sub_theme": c.side,
            }
            if by is not None:
                row[by] = c.group
            rows.append(row)

    cols = [*QUOTE_COLUMNS, "respondent_id", "sub_theme"] + ([by] if by is not None else [])
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out.astype({"rank": int, "start": int, "end": int, "score": float})

    # redaction: spans over the whole comment; the quote is widened so no span is cut
    cids = sorted(picked_by_comment)
    red = dict(
        zip(
            cids,
            redact_texts(
                [texts[c] for c in cids], names=names, orgs=orgs, enabled=redact, allow=allow
            ),
            strict=False,
        )
    )
    starts, ends, qtexts = [], [], []
    for rec in out.itertuples(index=False):
        r: Redacted = red[rec.comment_id]
        s, e = r.expand(int(rec.start), int(rec.end))
        q = r.slice(s, e)
        if q not in r.text:
            raise errors.quote_not_verbatim(rec.comment_id, q)
        starts.append(s)
        ends.append(e)
        qtexts.append(q)
    out["start"], out["end"], out["text"] = starts, ends, qtexts

    # attribution with disclosure control over every respondent in the data
    resp_meta = meta.drop_duplicates("respondent_id").set_index("respondent_id")
    attr = attribute(resp_meta, attribution, min_group_size=min_group_size)
    out["attribution"] = out["respondent_id"].map(attr).fillna(DEFAULT_ATTRIBUTION)
    out.attrs["redacted"] = bool(redact)
    return out.reset_index(drop=True)


def _pick(
    cands: list[_Cand],
    *,
    sides: list[str],
    n: int,
    use_groups: bool,
    diversity: float,
    max_similarity: float,
    max_overlap: float,
) -> list[_Cand]:
    """Greedy MMR with one quote per respondent, side rotation and group balancing."""
    pool = sorted(cands, key=lambda c: (-c.rel, c.segment_id, c.start))
    m = len(pool)
    emb = np.vstack([c.emb for c in pool]).astype(np.float32)
    rel = np.array([c.rel for c in pool], dtype=np.float64)
    resp = np.array([c.respondent for c in pool], dtype=object)
    side = np.array([c.side for c in pool], dtype=object)
    group = np.array([c.group for c in pool], dtype=object)
    alive = np.ones(m, dtype=bool)
    maxsim = np.full(m, -np.inf)
    chosen: list[int] = []
    group_use: dict[str, int] = {}
    rotation = list(sides) + ([""] if sides and (side == "").any() else [])
    step = 0
    while len(chosen) < n and alive.any():
        eligible = alive.copy()
        if rotation:
            for k in range(len(rotation)):
                on_side = eligible & (side == rotation[(step + k) % len(rotation)])
                if on_side.any():
                    eligible = on_side
                    step = step + k + 1
                    break
        if use_groups:
            use = np.array([group_use.get(g, 0) for g in group], dtype=np.int64)
            least = use[eligible].min()
            eligible &= use == least
        value = rel if not chosen else (1 - diversity) * rel - diversity * maxsim
        value = np.where(eligible, value, -np.inf)
        best = int(np.argmax(value))  # first index wins ties: pool order is deterministic
        chosen.append(best)
        group_use[group[best]] = group_use.get(group[best], 0) + 1
        sim = emb @ emb[best]
        maxsim = np.maximum(maxsim, sim)
        alive &= resp != resp[best]
        alive &= sim <= max_similarity
        toks = pool[best].toks
        for i in np.flatnonzero(alive):
            if _jaccard(pool[i].toks, toks) > max_overlap:
                alive[i] = False
    return [pool[i] for i in chosen]


def verify_quotes(
    quotes: pd.DataFrame,
    comments: pd.DataFrame,
    *,
    redact: bool | str = True,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    allow: Sequence[str] = (),
) -> None:
    """Check that every quote appears verbatim in its (redacted) source comment.

    Parameters
    ----------
    quotes : DataFrame
        Output of :func:`quotes`.
    comments : DataFrame
        The comments table the quotes came from.
    redact : bool or str, default True
        Whether (and at which level) the quotes were redacted.
    names, orgs, allow : sequence of str
        The same extra names/organisations/allowed phrases given to :func:`quotes`.

    Raises
    ------
    CommentmineError
        E401 for the first quote that is not verbatim, or whose offsets do not map onto it.
    """
    texts = dict(
        zip(
            comments["comment_id"].astype(str),
            comments["text"].fillna("").astype(str),
            strict=False,
        )
    )
    cids = sorted(set(quotes["comment_id"].astype(str)))
    missing = [c for c in cids if c not in texts]
    if missing:
        raise errors.quote_not_verbatim(missing[0], "(comment not in the comments table)")
    red = dict(
        zip(
            cids,
            redact_texts(
                [texts[c] for c in cids], names=names, orgs=orgs, enabled=redact, allow=allow
            ),
            strict=False,
        )
    )
    for rec in quotes.itertuples(index=False):
        r = red[str(rec.comment_id)]
        q = str(rec.text)
        if q not in r.text or r.slice(int(rec.start), int(rec.end)) != q:
            raise errors.quote_not_verbatim(str(rec.comment_id), q)
