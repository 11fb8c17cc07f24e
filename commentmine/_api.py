"""Entry points that dispatch across layers: the function ``commentmine.tag``.

``commentmine.tag`` takes a pandas or a Dask DataFrame, and a codebook or a trained theme model.
The core stage, :func:`commentmine.tag`, tags a pandas table with a codebook. A Dask
DataFrame goes to :func:`commentmine.scale.tag_dask` and a trained model to
:class:`commentmine.ThemeModel`, both of which sit above the core. The dispatch therefore
lives here, above them all, so that every stage imports only downwards (the import-linter
contract in ``pyproject.toml``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from commentmine._options import renamed


@renamed(chunk_size="chunk_rows")
def tag(
    comments: pd.DataFrame,
    codebook: Any = None,
    *,
    model: Any = None,
    embedder: Any = None,
    level: str = "segment",
    threshold: float | None = None,
    seed: int = 0,
    include_interviewer: bool = False,
    self_train: bool = True,
    fit_sample: int = 20000,
    chunk_rows: int = 50000,
    **options: Any,
) -> pd.DataFrame:
    """Tag comments (or segments) with a codebook's themes.

    Parameters
    ----------
    comments : DataFrame
        A comments table (from :func:`commentmine.read`; it is segmented here) or a segments
        table (has ``segment_id``). A Dask DataFrame holding a comments table is tagged on
        Dask by :func:`commentmine.scale.tag_dask` (a local cluster; same rows, in order).
    codebook : Codebook or str or Path, optional
        A codebook, file or built-in name such as ``"vcse-pcc"``. Give this or ``model``.
    model : ThemeModel or str or Path, optional
        A theme model trained from coded examples (:func:`commentmine.train`, or the folder
        ``commentmine train`` / :meth:`ThemeModel.save` wrote) to tag with instead of the
        codebook tagger; it carries its own codebook. Only ``level``, ``include_interviewer``
        and, for a folder, ``embedder`` apply.
    embedder : Embedder or str, optional
        Backend name, model folder or object (default: full MiniLM through onnxruntime,
        ``"minilm-onnx"``; ``"static"`` for the bundled static model, about ten times faster
        to embed; with a trained model folder, the one it was trained with).
    level : {"segment", "comment"}, default "segment"
        ``"segment"``: the tags table; ``"comment"``: one row per comment with ``status``,
        ``themes`` and ``scores``.
    threshold : float, optional
        Global threshold on the [0, 1] score (default: per theme, 0.5 unless the theme sets one).
    seed : int, default 0
        Seed of the fit sample and classifiers.
    include_interviewer : bool, default False
        Also tag interviewer turns (otherwise they are skipped and counted as such).
    self_train : bool, default True
        Learn a pseudo-labelled classifier on the corpus.
    fit_sample : int, default 20000
        Segments used by the fit pass (a seeded sample when there are more).
    chunk_rows : int, default 50000
        Rows of the segments table scored at a time in the apply pass (never splitting a
        comment); memory grows with it, the output does not change. The streaming paths of
        :mod:`commentmine.scale` count input rows instead. ``chunk_size``, its former name,
        still works for one release (``DeprecationWarning``).
    **options
        Further :class:`Tagger` parameters.

    Returns
    -------
    DataFrame
        Tags table or comment-level table (see ``commentmine._tables``). It carries no run
        metadata in ``attrs``: :func:`commentmine.accounting` counts what happened to
        each comment from the tables (``accounting(tags, comments)``).

    Warns
    -----
    TaggingWarning
        One per sign that the tags look unreliable (:class:`commentmine._checks.TaggingWarning`;
        see that module), issued by the codebook tagger on a pandas table. Keep them with
        ``warnings.catch_warnings(record=True)``.

    See Also
    --------
    commentmine.accounting : comments in, tagged, uncoded and skipped (by reason).

    Examples
    --------
    >>> import commentmine as cm
    >>> comments = cm.read("corpora/vcse_pcc_survey.csv")   # doctest: +SKIP
    >>> tags = cm.tag(comments, "vcse-pcc")                  # doctest: +SKIP
    >>> cm.accounting(tags, comments).tagged                 # doctest: +SKIP
    >>> tags = cm.tag(comments, model="my-model/")           # doctest: +SKIP
    """
    from commentmine._tagging._public import _is_dask, check_call, check_level
    from commentmine._tagging._public import tag as tag_core

    if model is not None:
        check_level(level)
        from commentmine._training._apply import tag_with_model

        return tag_with_model(
            comments,
            model,
            codebook=codebook,
            embedder=embedder,
            level=level,
            include_interviewer=include_interviewer,
            threshold=threshold,
            options=options,
        )
    settings = dict(
        embedder=embedder,
        threshold=threshold,
        seed=seed,
        include_interviewer=include_interviewer,
        self_train=self_train,
        fit_sample=fit_sample,
    )
    if _is_dask(comments):  # a Dask DataFrame: run on the cluster
        from commentmine.scale import tag_dask

        check_call(level, codebook)
        return tag_dask(comments, codebook, level=level, progress=False, **settings, **options)
    return tag_core(comments, codebook, level=level, chunk_rows=chunk_rows, **settings, **options)
