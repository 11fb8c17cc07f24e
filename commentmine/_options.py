"""Options objects behind keyword arguments.

A stage with many settings declares them once, as a frozen dataclass (``QuoteOptions``,
``ReportOptions``). Its function takes ``options=`` (an instance) and the same settings as
keyword arguments (``quotes(tags, n=3)``), which :func:`resolve` maps onto the dataclass;
:func:`takes_options` gives the function a signature and an "Other Parameters" docstring
section built from the dataclass, so ``help()`` and ``inspect.signature`` show every keyword
with its default. The CLI builds the same dataclass from its flags (``commentmine._cli``).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from commentmine import errors

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

#: Line in a function's docstring replaced by its options class's parameter docs.
OPTIONS_DOC = "    <options>"


def option_names(cls: type) -> list[str]:
    """The settings a dataclass declares, in declaration order."""
    return [f.name for f in dataclasses.fields(cls)]


def resolve(
    cls: type[T],
    options: T | None,
    kwargs: Mapping[str, Any],
    *,
    func: str,
    nested: Mapping[str, type] | None = None,
) -> T:
    """``options`` (default ``cls()``) with the keyword arguments ``kwargs`` applied on top.

    Parameters
    ----------
    cls : dataclass type
    options : cls instance or None
    kwargs : mapping
        Settings given as keywords; each must name a field of ``cls`` or a field of one of the
        ``nested`` options objects.
    func : str
        Name of the calling function, for the messages.
    nested : mapping, optional
        Field of ``cls`` -> its options class, whose fields may be given flat
        (``report(n=3)`` sets ``ReportOptions.quoting.n``).

    Raises
    ------
    TypeError
        For a keyword that is not a setting (as Python does for any function).
    CommentmineError
        E301 when ``options`` is not a ``cls``, or a value is out of range (checked by the
        options class).
    """
    if options is None:
        options = cls()
    elif not isinstance(options, cls):
        raise errors.bad_argument(
            f"{func}(options=...) must be a {cls.__name__}, got {type(options).__name__}"
        )
    nested = nested or {}
    owner = {name: "" for name in option_names(cls) if name not in nested}
    for attr, ncls in nested.items():
        owner.update({name: attr for name in option_names(ncls) if name not in owner})
    changes: dict[str, dict[str, Any]] = {}
    for name, value in kwargs.items():
        if name not in owner:
            raise TypeError(
                f"{func}() got an unexpected keyword argument {name!r}; its settings are "
                f"{', '.join(sorted(owner))}"
            )
        changes.setdefault(owner[name], {})[name] = value
    top = changes.pop("", {})
    for attr, inner in changes.items():
        top[attr] = dataclasses.replace(getattr(options, attr), **inner)
    return dataclasses.replace(options, **top) if top else options


def renamed(**old_to_new: str) -> Callable[[F], F]:
    """Decorator: a keyword argument's former name still works for one release, with a
    ``DeprecationWarning`` (``@renamed(chunk_size="chunk_rows")``).

    The signature and docstring shown are the function's own (new names only). Giving both
    names raises ``TypeError``, as Python does for a repeated argument.
    """

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(
                        f"{fn.__name__}() got both {old!r} and its new name {new!r}; "
                        f"give {new!r} only"
                    )
                warnings.warn(
                    f"{fn.__name__}({old}=...) is now {fn.__name__}({new}=...); the old name "
                    "will be removed in the next release.",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return deco


def _field_default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return inspect.Parameter.empty


def _params_doc(cls: type) -> str:
    """The "Parameters" section of ``cls``'s numpydoc docstring, without its heading."""
    doc = cls.__doc__ or ""
    lines = doc.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "Parameters") + 2
    except StopIteration:
        return ""
    end = len(lines)
    for i in range(start, len(lines) - 1):
        if lines[i + 1].strip() and set(lines[i + 1].strip()) == {"-"} and lines[i].strip():
            end = i
            break
    return "\n".join(lines[start:end]).rstrip()


def takes_options(*classes: type, rest: bool = False) -> Callable[[F], F]:
    """Decorator: ``fn(..., options=None, **kwargs)`` shows the fields of ``classes`` as keywords.

    The signature gets one keyword-only parameter per field (with its default; a field that
    holds another options object is left out, its class is listed too) in place of
    ``**kwargs`` (before it, with ``rest=True``: ``fn`` takes other keywords too); the
    docstring line :data:`OPTIONS_DOC` becomes the field docs of the classes.
    """

    def deco(fn: F) -> F:
        sig = inspect.signature(fn)
        own = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
        taken = {p.name for p in own}
        extra = []
        for cls in classes:
            for f in dataclasses.fields(cls):
                default = _field_default(f)
                if f.name in taken or dataclasses.is_dataclass(default):
                    continue
                taken.add(f.name)
                extra.append(
                    inspect.Parameter(
                        f.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=f.type
                    )
                )
        var = [p for p in sig.parameters.values() if p.kind is p.VAR_KEYWORD] if rest else []
        fn.__signature__ = sig.replace(parameters=[*own, *extra, *var])  # type: ignore[attr-defined]
        if fn.__doc__ and OPTIONS_DOC in fn.__doc__:
            docs = "\n".join(_params_doc(cls) for cls in classes)
            fn.__doc__ = fn.__doc__.replace(OPTIONS_DOC, docs)
        return fn

    return deco
