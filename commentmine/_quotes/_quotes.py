"""``quotes()`` in named steps, and ``verify_quotes()``."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._options import renamed, resolve, takes_options
from commentmine._quotes._attribution import DEFAULT_ATTRIBUTION, attribute
from commentmine._quotes._candidates import Cand, theme_candidates
from commentmine._quotes._consent import barred_respondents, check_consent, interviewer_comments
from commentmine._quotes._options import QuoteOptions
from commentmine._quotes._pick import Quoted, pick, score_relevance, unit
from commentmine._quotes._source import Source, comment_meta
from commentmine._redacted import redact_by_id, texts_by_id
from commentmine._tables import UNCODED
from commentmine._tagging._anchors import theme_text

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
_REQUIRED = ["comment_id", "segment_id", "start", "end", "text", "theme", "score"]

ThemeCands = tuple[str, list[Cand], list[str]]  # theme, its candidates, sub-themes they cover


def load_codebook_or_none(codebook: Any) -> Any:
    """A :class:`~commentmine.codebook.Codebook` from any source :func:`load_codebook` takes."""
    from commentmine.codebook import load_codebook

    return None if codebook is None else load_codebook(codebook)


def get_embedder(embedder: Any) -> Any:
    """An object with ``embed`` as it is, else :func:`~commentmine.embed.select_embedder`."""
    if embedder is not None and hasattr(embedder, "embed"):
        return embedder
    from commentmine.embed import select_embedder

    return select_embedder(embedder)


def quote_options(
    options: QuoteOptions | None, kwargs: dict[str, Any], *, func: str = "quotes"
) -> QuoteOptions:
    """``options`` with the keyword settings on top (``seed`` dropped with a warning)."""
    if "seed" in kwargs:
        kwargs = {k: v for k, v in kwargs.items() if k != "seed"}
        warnings.warn(
            f"{func}(seed=...) does nothing (quote picking is deterministic) and will be "
            "removed in a later release; drop it.",
            FutureWarning,
            stacklevel=3,
        )
    return resolve(QuoteOptions, options, kwargs, func=func)


@renamed(min_group_size="min_cell")
@takes_options(QuoteOptions)
def quotes(
    tags: pd.DataFrame,
    codebook: Any = None,
    *,
    theme: str | Sequence[str] | None = None,
    comments: pd.DataFrame | None = None,
    embedder: Any = None,
    options: QuoteOptions | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Pick up to ``n`` typical, varied, publishable quotes per theme.

    Parameters
    ----------
    tags : DataFrame
        Segment-level tags table (``commentmine.tag``), possibly edited by an analyst.
    codebook : Codebook or str, optional
        Orders the themes and provides sub-themes for stance-aware picking.
    theme : str or list of str, optional
        Theme id(s). Default: every theme with candidates, in codebook order.
    comments : DataFrame, optional
        The comments table the tags came from: gives full comment texts (for extension and
        the verbatim check), metadata and the group sizes for disclosure control. Without it
        the comment text is rebuilt from the segments.
    embedder : Embedder or str, optional
        Backend for centrality, MMR and near-duplicate detection (default: bundled model).
    options : QuoteOptions, optional
        Every setting below at once; a keyword argument overrides its field.
    **kwargs
        Any field of :class:`QuoteOptions` (below). ``min_group_size``, the former name of
        ``min_cell``, still works with a ``DeprecationWarning``; ``seed`` did nothing and now
        warns (both will be removed).

    Other Parameters
    ----------------
    <options>

    Returns
    -------
    DataFrame
        Columns ``theme, rank, comment_id, segment_id, start, end, text, attribution, score``
        plus ``respondent_id``, ``sub_theme`` and the ``by`` column when given. ``start`` and
        ``end`` index the ORIGINAL comment text; ``text`` is the (redacted) quote; ``score``
        is the tag score of the picked segment.
    """
    opts = quote_options(options, kwargs)
    tags = _checked_tags(tags)
    codebook = load_codebook_or_none(codebook)
    meta = comment_meta(tags, comments)
    consent_col = check_consent(meta, opts.consent_col)
    for col, what in ((opts.by, "--by column"), (consent_col, "--consent-col column")):
        if col is not None and col not in meta.columns:
            raise errors.missing_column(col, meta.columns, what=what)
    wanted = _wanted_themes(tags, codebook, theme)
    src = Source.build(tags, comments, meta, opts)
    usable = _usable(tags, meta, src, consent_col, opts.min_score)
    per_theme: list[ThemeCands] = []
    for tid in wanted:
        found = theme_candidates(tid, usable, src, codebook, opts)
        if found is not None:
            per_theme.append((tid, *found))
    rows, quoted = _pick_themes(per_theme, embedder, codebook, opts, src.limit)
    cols = [*QUOTE_COLUMNS, "respondent_id", "sub_theme"] + ([opts.by] if opts.by else [])
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out.astype({"rank": int, "start": int, "end": int, "score": float})
    _redact_quotes(out, src.texts, sorted(quoted.by_comment), opts)
    # attribution with disclosure control over every respondent in the data
    resp_meta = meta.drop_duplicates("respondent_id").set_index("respondent_id")
    attr = attribute(resp_meta, opts.attribution, min_cell=opts.min_cell)
    out["attribution"] = out["respondent_id"].map(attr).fillna(DEFAULT_ATTRIBUTION)
    out.attrs["redacted"] = bool(opts.redact)
    return out.reset_index(drop=True)


def _checked_tags(tags: Any) -> pd.DataFrame:
    """A copy of the tags table with ids as text and offsets and scores as numbers."""
    if not isinstance(tags, pd.DataFrame):
        raise errors.bad_argument(f"tags must be a DataFrame, got {type(tags).__name__}")
    missing = [c for c in _REQUIRED if c not in tags.columns]
    if missing:
        raise errors.not_tags_table(missing, tags.columns)
    tags = tags.copy()
    for col in ("comment_id", "segment_id", "theme"):
        tags[col] = tags[col].astype(str)
    try:  # a table read back from CSV may hold these as text
        tags["start"] = pd.to_numeric(tags["start"]).astype(int)
        tags["end"] = pd.to_numeric(tags["end"]).astype(int)
        tags["score"] = pd.to_numeric(tags["score"]).astype(float)
    except (TypeError, ValueError) as exc:
        raise errors.bad_argument(f"tags: start, end and score must be numbers ({exc})") from exc
    return tags


def _wanted_themes(
    tags: pd.DataFrame, codebook: Any, theme: str | Sequence[str] | None
) -> list[str]:
    """The themes to quote, in codebook order (then the tags' other themes)."""
    present = [t for t in pd.unique(tags["theme"]) if t != UNCODED]
    if codebook is not None:
        known = list(codebook.ids) + [t for t in present if t not in set(codebook.ids)]
    else:
        known = sorted(present)
    if theme is None:
        return known
    wanted = [theme] if isinstance(theme, str) else list(theme)
    for t in wanted:
        if t not in known:
            raise errors.unknown_theme(t, known)
    return wanted


def _usable(
    tags: pd.DataFrame,
    meta: pd.DataFrame,
    src: Source,
    consent_col: str | None,
    min_score: float,
) -> pd.DataFrame:
    """Tag rows that may be quoted: coded, confident, not an interviewer, consent not refused."""
    inter = interviewer_comments(meta, tags)
    excluded = barred_respondents(meta, consent_col)
    resp_of = src.respondent
    return tags[
        (tags["theme"] != UNCODED)
        & (tags["score"] >= float(min_score))
        & ~tags["comment_id"].isin(inter)
        & ~tags["comment_id"].map(lambda c: resp_of.get(c, c)).isin(excluded)
    ]


def _vectors(
    per_theme: list[ThemeCands], embedder: Any, codebook: Any, weights: Sequence[float]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Unit vectors of every candidate text, and of each theme's own text when weighted."""
    all_texts = sorted({c.text for _t, cs, _s in per_theme for c in cs})
    enc = get_embedder(embedder)
    vecs = unit(np.asarray(enc.embed(all_texts), dtype=np.float32))
    emb = dict(zip(all_texts, vecs, strict=True))
    theme_vec: dict[str, np.ndarray] = {}
    if weights[2] and codebook is not None:
        ids = sorted({t for t, _c, sides in per_theme for t in [t, *sides]})
        ids = [t for t in ids if t in set(codebook.ids)]
        tv = unit(
            np.asarray(
                enc.embed([theme_text(codebook.theme(t), examples=True) for t in ids]),
                dtype=np.float32,
            )
        )
        theme_vec = dict(zip(ids, tv, strict=True))
    return emb, theme_vec


def _pick_themes(
    per_theme: list[ThemeCands],
    embedder: Any,
    codebook: Any,
    opts: QuoteOptions,
    limit: dict[str, int],
) -> tuple[list[dict[str, Any]], Quoted]:
    """Each theme's quotes in turn (a passage quoted under one is not quoted again), as rows."""
    rows: list[dict[str, Any]] = []
    quoted = Quoted()
    if not per_theme:
        return rows, quoted
    emb, theme_vec = _vectors(per_theme, embedder, codebook, opts.weights)
    for tid, all_cands, sides in per_theme:
        cands = quoted.fresh(all_cands)
        if not cands:
            continue
        score_relevance(cands, tid, emb, theme_vec, opts)
        for rank, c in enumerate(pick(cands, sides, opts, limit), start=1):
            quoted.add(c)
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
            if opts.by is not None:
                row[opts.by] = c.group
            rows.append(row)
    return rows, quoted


def _redact_quotes(
    out: pd.DataFrame, texts: dict[str, str], cids: list[str], opts: QuoteOptions
) -> None:
    """Redact each quote in place: spans over the whole comment, the quote widened so that no
    span is cut, and checked to appear verbatim in the redacted comment."""
    red = redact_by_id(
        texts, cids, names=opts.names, orgs=opts.orgs, enabled=opts.redact, allow=opts.allow
    )
    starts, ends, qtexts = [], [], []
    for rec in out.itertuples(index=False):
        r = red[rec.comment_id]
        s, e = r.expand(int(rec.start), int(rec.end))
        q = r.slice(s, e)
        if q not in r.text:
            raise errors.quote_not_verbatim(rec.comment_id, q)
        starts.append(s)
        ends.append(e)
        qtexts.append(q)
    out["start"], out["end"], out["text"] = starts, ends, qtexts


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
    texts = texts_by_id(comments)
    cids = sorted(set(quotes["comment_id"].astype(str)))
    missing = [c for c in cids if c not in texts]
    if missing:
        raise errors.quote_not_verbatim(missing[0], "(comment not in the comments table)")
    red = redact_by_id(texts, cids, names=names, orgs=orgs, enabled=redact, allow=allow)
    for rec in quotes.itertuples(index=False):
        r = red[str(rec.comment_id)]
        q = str(rec.text)
        if q not in r.text or r.slice(int(rec.start), int(rec.end)) != q:
            raise errors.quote_not_verbatim(str(rec.comment_id), q)
