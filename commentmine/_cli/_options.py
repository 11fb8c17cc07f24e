"""Groups of CLI options declared once and shared by several commands.

A *builder* is a plain function whose parameters are typer options (``n: NOpt = 5``) and which
returns what the command needs (a :class:`~commentmine.QuoteOptions`, an input
description). :func:`with_options` gives a command the parameters of its builders, so typer
shows and parses them as the command's own, and calls the command with each builder's result:

    @command("quotes")
    @with_options(src=source_options, quoting=quote_options)
    def quotes_cmd(src: Source, quoting: QuoteOptions, out: OutOpt) -> None: ...
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def with_options(**builders: Callable[..., Any]) -> Callable[[F], F]:
    """Decorator: the command takes its builders' parameters; each keyword of ``builders``
    receives that builder's result."""

    def deco(fn: F) -> F:
        own = inspect.signature(fn, eval_str=True)
        params = [p for p in own.parameters.values() if p.name not in builders]
        names = {p.name for p in params}
        split: dict[str, list[str]] = {}
        for key, builder in builders.items():
            bsig = inspect.signature(builder, eval_str=True)
            split[key] = list(bsig.parameters)
            for p in bsig.parameters.values():
                if p.name in names:
                    raise TypeError(f"option {p.name!r} declared twice for {fn.__name__}")
                names.add(p.name)
                params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY))
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            for key, builder in builders.items():
                kwargs[key] = builder(**{name: kwargs.pop(name) for name in split[key]})
            return fn(**kwargs)

        del wrapper.__wrapped__  # typer must read the merged signature, not fn's
        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return wrapper  # type: ignore[return-value]

    return deco
