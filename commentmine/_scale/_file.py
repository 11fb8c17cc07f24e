""":func:`commentmine.scale.tag_file`: a fit pass over the file, then a chunked apply pass."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from commentmine._ingest._chunks import _check_input, iter_comments
from commentmine._scale._chunk import Accounting, TimedEmbedder, tag_chunk
from commentmine._scale._output import appending, check_output
from commentmine._scale._sample import FitPass

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._scale._options import ScaleOptions
    from commentmine._tagging._tagger import Tagger


def fit_tagger(
    sample: pd.DataFrame, codebook: Any, *, fit_sample: int, **tagger_kw: Any
) -> tuple[Tagger, int]:
    """A Tagger fitted on the sample's segments, and how many segments there were."""
    from commentmine._segment import segment
    from commentmine._tagging._tagger import Tagger

    segs = segment(sample, include_interviewer=True)
    tagger = Tagger(codebook, fit_sample=fit_sample, **tagger_kw).fit(segs)
    return tagger, len(segs)


def fit_pass(
    path: Path,
    codebook: Any,
    *,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    opts: ScaleOptions,
    bar: Any,
    tagger_kw: dict[str, Any],
) -> tuple[Tagger, dict[str, Any]]:
    """Read every chunk once: ids across chunks, the sample, the text columns; fit the Tagger."""
    t0 = time.perf_counter()
    fit_sample, seed, chunk_rows = opts.fit_sample, opts.seed, opts.chunk_rows
    acc = FitPass(fit_sample, seed, id_col)
    task = bar.add_task("read (fit)", total=None)
    for chunk in iter_comments(path, text_cols=text_cols, id_col=id_col, chunk_rows=chunk_rows):
        acc.add(chunk)
        bar.advance(task, len(chunk))
    acc.check()
    t1 = time.perf_counter()
    sample = acc.result()
    task = bar.add_task("fit", total=1)
    tagger, n_seg = fit_tagger(sample, codebook, fit_sample=fit_sample, seed=seed, **tagger_kw)
    bar.advance(task, 1)
    info = {
        "comments": acc.n,
        "answered": acc.n_ok,
        "fit_comments": len(sample),
        "fit_segments": int(min(n_seg, fit_sample)),
        "text_cols": acc.detected if text_cols is None else list(text_cols),
        "read_fit_s": t1 - t0,
        "fit_s": time.perf_counter() - t1,
    }
    return tagger, info


def apply_pass(
    src: Path,
    out: Path,
    ext: str,
    tagger: Tagger,
    *,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    opts: ScaleOptions,
    bar: Any,
    total: int,
) -> dict[str, Any]:
    """Read -> segment -> embed -> tag -> append each chunk in turn; the counts and timings."""
    tasks = {name: bar.add_task(name, total=total) for name in ("read", "segment")}
    tasks["embed"] = bar.add_task("embed", total=None)  # segments: not known in advance
    tasks["tag"] = bar.add_task("tag", total=total)
    timed = TimedEmbedder(tagger.embedder_, lambda n: bar.advance(tasks["embed"], n))
    tagger.embedder_ = timed
    timings: dict[str, float] = {"read": 0.0, "segment": 0.0, "tag": 0.0, "write": 0.0}
    accounting = Accounting()
    n_chunks = 0
    try:
        with appending(out, ext) as writer:
            chunks = iter_comments(
                src, text_cols=text_cols, id_col=id_col, chunk_rows=opts.chunk_rows
            )
            while True:
                t0 = time.perf_counter()
                comments = next(chunks, None)
                timings["read"] += time.perf_counter() - t0
                if comments is None:
                    break
                n = len(comments)
                bar.advance(tasks["read"], n)
                rows, acc = tag_chunk(
                    tagger,
                    comments,
                    level=opts.level,
                    include_interviewer=opts.include_interviewer,
                    timings=timings,
                )
                bar.advance(tasks["segment"], n)
                accounting += acc
                t0 = time.perf_counter()
                writer.write(rows)
                timings["write"] += time.perf_counter() - t0
                bar.advance(tasks["tag"], n)
                n_chunks += 1
    finally:
        tagger.embedder_ = timed.inner
    timings["embed"] = timed.seconds
    timings["tag"] = max(0.0, timings["tag"] - timed.seconds)
    return {
        "accounting": accounting.as_dict(),
        "rows_out": writer.rows,
        "chunks": n_chunks,
        "timings": timings,
    }


def run_tag_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    codebook: Any,
    *,
    text_cols: Sequence[str] | str | None,
    id_col: str | None,
    opts: ScaleOptions,
    tagger_kw: dict[str, Any],
) -> dict[str, Any]:
    """:func:`commentmine.scale.tag_file` (``tagger_kw``: the Tagger's parameters,
    :meth:`ScaleOptions.tagger_kw`)."""
    from commentmine._progress import progress as _bar

    opts.check()
    if isinstance(text_cols, str):
        text_cols = [text_cols]
    src = Path(input_path)
    _check_input(src)
    out, ext = check_output(output_path)
    t_start = time.perf_counter()
    with _bar(quiet=not opts.progress) as bar:
        tagger, info = fit_pass(
            src,
            codebook,
            text_cols=text_cols,
            id_col=id_col,
            opts=opts,
            bar=bar,
            tagger_kw=tagger_kw,
        )
        cols = info["text_cols"]
        applied = apply_pass(
            src,
            out,
            ext,
            tagger,
            text_cols=cols,
            id_col=id_col,
            opts=opts,
            bar=bar,
            total=info["comments"],
        )
    timings = applied["timings"]
    timings["read_fit"] = info.pop("read_fit_s")
    timings["fit"] = info.pop("fit_s")
    timings["total"] = time.perf_counter() - t_start
    return {
        "accounting": applied["accounting"],
        "rows_out": applied["rows_out"],
        "chunks": applied["chunks"],
        "comments": info["comments"],
        "fit_comments": info["fit_comments"],
        "fit_segments": info["fit_segments"],
        "text_cols": cols,
        "themes": list(tagger.themes_),
        "codebook": str(getattr(tagger.codebook_, "name", "")),
        "output": str(out),
        "timings": {k: round(v, 4) for k, v in timings.items()},
    }
