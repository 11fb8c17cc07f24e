"""Theme models trained from human-coded examples together with the codebook's own evidence.

``train(coded, codebook)`` fits one classifier per theme and returns a :class:`ThemeModel`;
``ThemeModel.save(folder)`` writes it without pickle and :func:`load_theme_model` reads it back.

Semi-supervised on top of the codebook tagger (``codebook_prior``, default). With few coded
examples a classifier alone throws away what the zero-shot tagger (:mod:`commentmine.tag`)
already knows, so:

1. The tagger is fitted on the coded texts plus any ``unlabelled`` texts of the same kind (its
   own self-training on the corpus; the labels are not used), and its per-theme score of each
   text (the best segment's, on its 0.5-is-the-threshold scale) joins the features.
2. Per theme, a class-weighted L2 logistic regression on the coded rows (below); its threshold
   is chosen by cross-validation on the coded rows only, re-weighted to the unlabelled pool's
   estimated share of the theme (``prior_shift``): "20 examples of each theme" over-represent
   the rare ones, and a threshold tuned on them over-tags those themes.
3. The final score blends the two: ``a * classifier + (1 - a) * tagger`` with
   ``a = n_pos / (n_pos + prior_strength)``: the tagger counts as ``prior_strength`` (40) coded
   examples, so 5 examples lean on the codebook and 3,000 on the classifier. A theme with fewer
   than two coded examples keeps the tagger's decision.

The tagger also learns from the coded rows (``tagger_examples``, default 20): up to that many
coded texts per theme (a seeded sample) join the theme's codebook ``examples``, so the tagger's
anchors include them (its semantic evidence is the best cosine to any example, and its
self-training starts from them). The coded rows' own tagger scores are cross-fitted: each half
of the coded rows is scored by a tagger whose examples come from the other half only, so no
row's features (or the cross-validated scores) see its own label.

Defaults (``prior_weight`` 3, ``prior_strength`` 40, ``prior_shift``, no ``self_train``,
``tagger_examples`` 20) were
chosen on development rows only: the restaurants and NHS training splits of
``benchmarks/bench_learning_curve.py``'s repeat 0, cut again 75/25 (k-shot samples and pool
from the 75%, scored on the 25%); see ``benchmarks/results/learning_curve.md``.

Features of a text (the same at training and prediction time):

* its embedding (the chosen embedder; default the bundled static model);
* TF-IDF of lower-cased word 1-2 grams (sublinear tf, L2-normalised; vocabulary and idf are
  learned from the coded and unlabelled texts plus the codebook's own wording);
* the codebook's evidence, per theme: the cosine of the embedding to the theme's anchor (the
  normalised mean embedding of ``"label: description"``, its keywords and examples) and the
  TF-IDF cosine of the text to the theme's wording (label x3, keywords x2, description); these
  ``2 x n_themes`` columns are multiplied by ``evidence_weight`` so that regularisation does not
  drown them when examples are few;
* with ``codebook_prior``, the tagger's score for every (leaf) theme, as
  ``(score - 0.5) * prior_weight``.

Per theme, a class-weighted (``balanced``) L2 logistic regression. Its decision threshold is
chosen by ``cv``-fold cross-validation on the training rows only: out-of-fold probabilities,
threshold maximising (re-weighted) F1 on them, pulled towards 0.5 when the theme has few
examples (``threshold_prior``). Without the tagger, a theme with fewer than two coded examples
keeps the codebook evidence alone: its score is the evidence sum, thresholded so that it tags
as many rows as rank it first (the tagger's count rule, see ``_zero_shot_fit``). Scores are
reported on the tagger's scale: each theme's threshold maps to 0.5, and a text carries every
theme scoring >= 0.5.

Cross-validated scores (``cv_scores_``) are the out-of-fold micro/macro F1 of the blended
scores at the chosen thresholds (slightly optimistic, since the thresholds are picked on the
same out-of-fold scores) and of the classifier alone at 0.5 (not tuned).

Saved folder (``ThemeModel.save``)::

    codebook.yaml     the codebook (load_codebook reads it)
    weights.npz       coef, intercept, thresholds, blend, anchors and the tagger's arrays
                      (``tagger.<name>``), float64/float32/bool, read with allow_pickle=False
    tfidf.json        vocabulary (term -> column) and idf
    tagger.json       the tagger's settings, fitted scalars and TF-IDF vocabulary (with
                      ``codebook_prior``); the lexicon and anchors are rebuilt from the codebook
                      and ``coded_examples`` (the coded texts the tagger uses as examples: a
                      model folder holds up to ``tagger_examples`` coded texts per theme
                      verbatim; use ``tagger_examples=0`` to keep them out)
    manifest.json     format, versions, embedder, codebook sha256, seed, settings, cv scores,
                      themes, estimated pool shares
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from commentmine import errors
from commentmine._io import atomic_path, write_text_atomic

__all__ = ["ThemeModel", "train", "load_theme_model"]

FORMAT = "commentmine-theme-model/1"
_TOKEN_PATTERN = r"(?u)\b\w\w+\b"


# --- features ------------------------------------------------------------------------------


class _Tfidf:
    """TF-IDF with an explicit vocabulary and idf (so it saves as JSON, not pickle)."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self._cv = CountVectorizer(
            vocabulary=vocabulary,
            lowercase=True,
            token_pattern=_TOKEN_PATTERN,
            ngram_range=(1, 2),
            dtype=np.float64,
        )

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_features: int, min_df: int) -> _Tfidf:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(
            lowercase=True,
            token_pattern=_TOKEN_PATTERN,
            ngram_range=(1, 2),
            min_df=min_df,
            max_features=max_features,
            sublinear_tf=True,
            dtype=np.float64,
        )
        vec.fit(list(texts))
        vocab = {str(t): int(i) for t, i in vec.vocabulary_.items()}
        return cls(vocab, vec.idf_)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        X = self._cv.transform(list(texts)).tocsr().astype(np.float64)
        X.data = 1.0 + np.log(X.data)
        X = X @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ X)


def _resolve_embedder(spec: Any) -> Any:
    if spec is not None and hasattr(spec, "embed"):
        return spec
    from commentmine.embed import select_embedder

    return select_embedder(spec)


def _embed(embedder: Any, texts: Sequence[str]) -> np.ndarray:
    if not len(texts):
        return np.zeros((0, 0), dtype=np.float32)
    emb = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return emb / norms


def _theme_texts(codebook: Any) -> tuple[list[str], list[list[str]]]:
    """Per theme: its wording for TF-IDF, and the anchor texts to embed."""
    wording, anchors = [], []
    for th in codebook.themes:
        label = th.label or th.id
        kws = [re.sub(r"\*", "", k) for k in th.keywords]
        wording.append(" ".join([label] * 3 + kws * 2 + [th.description or ""]))
        texts = [f"{label}: {th.description}" if th.description else label]
        texts += kws + list(th.examples)
        anchors.append(texts)
    return wording, anchors


def _anchor_matrix(embedder: Any, anchors: list[list[str]]) -> np.ndarray:
    flat = [t for group in anchors for t in group]
    emb = _embed(embedder, flat)
    out, i = [], 0
    for group in anchors:
        v = emb[i : i + len(group)]
        i += len(group)
        desc = v[0]
        rest = v[1:].mean(axis=0) if len(v) > 1 else desc
        m = desc + rest
        out.append(m / max(float(np.linalg.norm(m)), 1e-12))
    return np.vstack(out).astype(np.float32)


def _split_labels(values: pd.Series) -> list[list[str]]:
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append([])
            continue
        parts = [p.strip() for p in str(v).split("|")]
        out.append([p for p in parts if p and p.lower() != "uncoded"])
    return out


def _best_threshold(p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Threshold on ``p`` maximising F1 for labels ``y`` (midpoint between candidates).

    ``w`` weights the rows (importance weights; default 1 each).
    """
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order].astype(np.float64)
    ws = np.ones(len(ps)) if w is None else np.asarray(w, dtype=np.float64)[order]
    tp = np.cumsum(ys * ws)
    k = np.cumsum(ws)
    f1 = 2 * tp / (k + (ys * ws).sum())
    # only cut between distinct values
    valid = np.r_[ps[1:] < ps[:-1], True]
    f1 = np.where(valid, f1, -1)
    i = int(np.argmax(f1))
    if f1[i] <= 0:
        return 0.5
    nxt = ps[i + 1] if i + 1 < len(ps) else ps[i] - 1e-3
    return float(np.clip((ps[i] + nxt) / 2, 1e-6, 1 - 1e-6))


def _shift_weights(
    oof: np.ndarray, y: np.ndarray, pu: np.ndarray, *, min_gap: float = 0.2
) -> tuple[np.ndarray | None, float | None]:
    """Importance weights that give the coded rows the unlabelled pool's share of a theme.

    Coded examples picked per theme ("20 of each") over-represent rare themes, so a threshold
    maximising F1 on them over-tags those themes on real data (label shift). The pool's share
    is estimated by probabilistic adjusted classify-and-count (Bella et al. 2010): ``(mean(pu)
    - m0) / (m1 - m0)``, with ``m1`` / ``m0`` the mean out-of-fold probability of the coded
    positives / negatives. Positives are then weighted ``pi / pi_coded`` and negatives
    ``(1 - pi) / (1 - pi_coded)``. Returns ``(None, None)`` when the classifier separates the
    coded rows too weakly (``m1 - m0 < min_gap``) for the estimate to mean anything.
    """
    pos = y == 1
    if not pos.any() or pos.all() or not len(pu):
        return None, None
    m1, m0 = float(oof[pos].mean()), float(oof[~pos].mean())
    if m1 - m0 < min_gap:
        return None, None
    lo = 0.5 / len(pu)
    pi = float(np.clip((float(np.mean(pu)) - m0) / (m1 - m0), lo, 1.0 - lo))
    pc = float(pos.mean())
    return np.where(pos, pi / pc, (1.0 - pi) / (1.0 - pc)), pi


def _rescale(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Map each column's threshold ``t`` to 0.5, keeping [0, 1] monotone."""
    t = np.clip(t, 1e-9, 1 - 1e-9)
    s = np.where(p < t, 0.5 * p / t, 0.5 + 0.5 * (p - t) / (1.0 - t))
    return np.clip(s, 0.0, 1.0)


def _f1s(Y: np.ndarray, P: np.ndarray) -> tuple[float, float]:
    tp = (Y & P).sum(0).astype(float)
    fp = (~Y & P).sum(0).astype(float)
    fn = (Y & ~P).sum(0).astype(float)
    den = 2 * tp + fp + fn
    per = np.divide(2 * tp, den, out=np.zeros_like(den), where=den > 0)
    micro_den = den.sum()
    micro = float(2 * tp.sum() / micro_den) if micro_den > 0 else 0.0
    present = Y.sum(0) > 0
    macro = float(per[present].mean()) if present.any() else 0.0
    return micro, macro


# --- the codebook tagger inside a theme model ----------------------------------------------

# Fitted Tagger attributes that the codebook and the embedder determine (rebuilt, not saved).
_TAGGER_REBUILT = frozenset(
    {"codebook_", "themes_", "embedder_", "terms_", "term_weights_", "exclude_map_", "examples_"}
)


def _tagger_params(tagger: Any) -> dict[str, Any]:
    """The Tagger's constructor arguments other than the codebook and the embedder."""
    import inspect

    names = [n for n in inspect.signature(type(tagger).__init__).parameters if n != "self"]
    return {n: getattr(tagger, n) for n in names if n not in ("codebook", "embedder")}


def _tagger_state(tagger: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A fitted Tagger's learned state as (JSON-able dict, arrays), without pickle.

    Every public fitted attribute (name ending in ``_``) that the codebook does not determine
    is kept: arrays in the arrays dict, scalars in JSON, the TF-IDF vectorizer as its
    parameters, vocabulary and idf. Anything else raises, so new fitted state cannot be lost
    silently (the save/load tests compare scores).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    state: dict[str, Any] = {"params": _tagger_params(tagger), "scalars": {}, "tfidf": None}
    arrays: dict[str, np.ndarray] = {}
    for name, value in sorted(vars(tagger).items()):
        if not name.endswith("_") or name.startswith("_") or name in _TAGGER_REBUILT:
            continue
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif value is None or isinstance(value, (bool, int, float, str)):
            state["scalars"][name] = value
        elif isinstance(value, TfidfVectorizer):
            vec = value.get_params()
            tok = vec.pop("tokenizer")
            if tok is not None and tok is not str.split:
                raise TypeError(f"cannot save the tagger's TF-IDF tokenizer {tok!r}")
            vec["tokenizer"] = None if tok is None else "str.split"
            vec["dtype"] = np.dtype(vec["dtype"]).name
            vec["ngram_range"] = list(vec["ngram_range"])
            vec.pop("vocabulary", None)
            vocab = sorted(value.vocabulary_.items(), key=lambda kv: kv[1])
            state["tfidf"] = {"attr": name, "params": vec, "terms": [str(t) for t, _ in vocab]}
            arrays["tfidf_idf"] = np.asarray(value.idf_, dtype=np.float64)
        else:
            raise TypeError(f"cannot save the tagger attribute {name} ({type(value).__name__})")
    return state, arrays


def _tagger_from_state(
    state: dict[str, Any], arrays: dict[str, np.ndarray], codebook: Any, embedder: Any
) -> Any:
    """Rebuild a fitted Tagger from :func:`_tagger_state`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from commentmine.tag import Tagger

    tagger = Tagger(codebook, embedder=embedder, **state["params"])
    tagger._setup(codebook, embedder)
    for name, value in state["scalars"].items():
        setattr(tagger, name, value)
    for name, value in arrays.items():
        if name != "tfidf_idf":
            setattr(tagger, name, value)
    tf = state.get("tfidf")
    if tf is not None:
        params = dict(tf["params"])
        params["tokenizer"] = str.split if params["tokenizer"] == "str.split" else None
        params["dtype"] = np.dtype(params["dtype"]).type
        params["ngram_range"] = tuple(params["ngram_range"])
        vec = TfidfVectorizer(vocabulary={t: i for i, t in enumerate(tf["terms"])}, **params)
        vec.idf_ = arrays["tfidf_idf"]
        setattr(tagger, tf["attr"], vec)
    return tagger


def _with_examples(codebook: Any, examples: dict[str, list[str]]) -> Any:
    """``codebook`` with ``examples`` (theme id -> coded texts) added to its themes' own."""
    if not examples:
        return codebook
    import dataclasses

    themes = tuple(
        dataclasses.replace(t, examples=tuple(t.examples) + tuple(examples.get(t.id, ())))
        if t.id in examples
        else t
        for t in codebook.themes
    )
    return dataclasses.replace(codebook, themes=themes)


def _tagger_scores(
    tagger: Any, texts: Sequence[str], segs: pd.DataFrame | None = None
) -> np.ndarray:
    """Text-level tagger scores (n_texts, n_leaf_themes): the best segment's score per theme
    (a text with no segment scores 0).

    ``segs``: ``segment(texts)`` when already made, or the rows of it to score (the other
    texts then score 0).
    """
    from commentmine.segment import segment

    out = np.zeros((len(texts), len(tagger.themes_)))
    if not len(texts):
        return out
    if segs is None:
        segs = segment(list(texts))
    if len(segs):
        s = tagger.score(segs)
        rows = segs["comment_id"].astype(int).to_numpy() - 1
        np.maximum.at(out, rows, s)
    return out


# --- the model -----------------------------------------------------------------------------


class ThemeModel:
    """Per-theme classifiers over [embedding | TF-IDF | codebook evidence | tagger scores],
    blended with the codebook tagger (see the module docstring).

    Build one with :func:`train` (or :meth:`fit`); apply it with :meth:`predict` (tags table)
    or :meth:`score` / :meth:`predict_labels` (plain texts); save it with :meth:`save`.

    Parameters
    ----------
    codebook : Codebook or str or Path
        Themes to learn (anything :func:`commentmine.load_codebook` accepts).
    embedder : Embedder or str, optional
        Embedding backend (default: the bundled static model).
    seed : int, default 0
        Seed of the cross-validation folds and the classifiers.
    cv : int, default 5
        Cross-validation folds used to choose each theme's threshold.
    C : float, default 4.0
        Inverse L2 regularisation of the logistic regressions.
    evidence_weight : float, default 3.0
        Scale of the codebook-evidence columns.
    max_features : int, default 30000
        TF-IDF vocabulary size.
    word_evidence : bool, default True
        Add, per theme, the best cosine of any content word of the text to the theme's anchor
        (catches a short mention inside a long text).
    threshold_prior : float, default 20
        Each theme's cross-validated threshold is pulled towards 0.5 (the class-balanced
        classifier's natural cut) as if 0.5 had been seen on this many extra examples:
        ``(n_pos * t_cv + prior * 0.5) / (n_pos + prior)``; few examples give noisy thresholds.
    pseudo_weight : float, default 0.3
        Weight of a pseudo-labelled text (self-training, when ``unlabelled`` texts are given).
    max_unlabelled : int, default 5000
        At most this many unlabelled texts are used (a seeded sample).
    codebook_prior : bool, default True
        Fit the codebook tagger (:class:`commentmine.tag.Tagger`, labels unused) on the coded
        and unlabelled texts and add its per-theme scores as features; a theme with fewer
        than two coded examples then uses the tagger's own decision.
    prior_weight : float, default 3.0
        Scale of the tagger-score columns (``(score - 0.5) * prior_weight``).
    self_train : bool, default False
        With ``unlabelled`` texts: one round of self-training (see :meth:`fit`).
    prior_shift : bool, default True
        With ``unlabelled`` texts: choose thresholds for the pool's estimated share of each
        theme rather than the coded rows' share (see :func:`_shift_weights`).
    prior_strength : float, default 40
        The tagger counts as this many coded examples: a trained theme's score is
        ``a * model + (1 - a) * tagger`` (both on the 0.5-is-the-threshold scale) with
        ``a = n_pos / (n_pos + prior_strength)``, so few examples lean on the codebook and
        many on the classifier.
    tagger_examples : int, default 20
        Coded texts per theme (a seeded sample) that join the tagger's codebook examples;
        the coded rows' own tagger scores are cross-fitted (see the module docstring). 0: the
        tagger sees the codebook alone. The saved model folder keeps these texts.
    tagger_options : dict, optional
        Further :class:`commentmine.tag.Tagger` parameters.

    Attributes
    ----------
    codebook_ : Codebook
    themes_ : list of str
        Theme ids, columns of :meth:`score`.
    coef_ : ndarray (n_themes, n_features)
    intercept_ : ndarray (n_themes,)
    thresholds_ : ndarray (n_themes,)
        Probability mapped to score 0.5.
    trained_ : ndarray of bool (n_themes,)
        Themes with a classifier (others use the tagger's decision, or without the tagger
        the codebook evidence alone).
    tagger_ : Tagger or None
        The fitted codebook tagger (``codebook_prior``).
    blend_ : ndarray (n_themes,)
        The classifier's share of each theme's score (the rest: the tagger's score).
    pool_share_ : dict
        Estimated share of each theme in the unlabelled pool (themes where it was estimated).
    n_examples_ : dict
        Coded examples per theme.
    tagger_examples_ : dict
        The coded texts the tagger uses as extra examples, per theme id.
    cv_scores_ : dict
        Cross-validated micro/macro F1 (see the module docstring) and per-theme F1.
    """

    def __init__(
        self,
        codebook: Any,
        *,
        embedder: Any = None,
        seed: int = 0,
        cv: int = 5,
        C: float = 4.0,
        evidence_weight: float = 3.0,
        max_features: int = 30000,
        pseudo_weight: float = 0.3,
        max_unlabelled: int = 5000,
        word_evidence: bool = True,
        threshold_prior: float = 20.0,
        codebook_prior: bool = True,
        prior_weight: float = 3.0,
        self_train: bool = False,
        prior_shift: bool = True,
        prior_strength: float = 40.0,
        tagger_examples: int = 20,
        tagger_options: dict[str, Any] | None = None,
    ) -> None:
        self.codebook = codebook
        self.embedder = embedder
        self.seed = seed
        self.cv = cv
        self.C = C
        self.evidence_weight = evidence_weight
        self.max_features = max_features
        self.pseudo_weight = pseudo_weight
        self.max_unlabelled = max_unlabelled
        self.word_evidence = word_evidence
        self.threshold_prior = threshold_prior
        self.codebook_prior = codebook_prior
        self.prior_weight = prior_weight
        self.self_train = self_train
        self.prior_shift = prior_shift
        self.prior_strength = prior_strength
        self.tagger_examples = tagger_examples
        self.tagger_options = tagger_options

    # -- features

    def _features(
        self, texts: Sequence[str], prior: np.ndarray | None = None
    ) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray | None]:
        """Feature matrix, raw evidence (n, n_themes) and tagger scores (or None) of ``texts``.

        ``prior``: the tagger's text-level scores of ``texts`` when already computed.
        """
        emb = _embed(self.embedder_, texts)
        X_t = self.tfidf_.transform(texts)
        sem = emb @ self.anchors_.T
        lex = np.asarray((X_t @ self.theme_vectors_.T).todense())
        blocks = [sem, lex]
        if self.word_evidence:
            blocks.append(self._word_max(texts))
        ev = np.hstack(blocks) * float(self.evidence_weight)
        mats = [sparse.csr_matrix(emb.astype(np.float64)), X_t, sparse.csr_matrix(ev)]
        if self.tagger_ is not None:
            if prior is None:
                prior = _tagger_scores(self.tagger_, texts)
            mats.append(sparse.csr_matrix((prior - 0.5) * float(self.prior_weight)))
        else:
            prior = None
        return sparse.hstack(mats, format="csr"), sem + lex, prior

    def _word_max(self, texts: Sequence[str]) -> np.ndarray:
        """Per theme, the best cosine of any content word of the text to the theme's anchor."""
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        tok = re.compile(_TOKEN_PATTERN)
        words = [[w for w in tok.findall(t.lower()) if w not in ENGLISH_STOP_WORDS] for t in texts]
        vocab = sorted({w for ws in words for w in ws} - set(self._word_cache))
        if vocab:
            sims = _embed(self.embedder_, vocab) @ self.anchors_.T
            self._word_cache.update(zip(vocab, sims, strict=True))
        K = self.anchors_.shape[0]
        out = np.zeros((len(texts), K))
        for i, ws in enumerate(words):
            if ws:
                out[i] = np.max([self._word_cache[w] for w in ws], axis=0)
        return out

    def _prepare(self, texts: Sequence[str]) -> None:
        from commentmine.codebook import load_codebook

        self.codebook_ = load_codebook(self.codebook)
        self.themes_ = list(self.codebook_.ids)
        self.embedder_ = _resolve_embedder(self.embedder)
        wording, anchors = _theme_texts(self.codebook_)
        min_df = 2 if len(texts) >= 500 else 1
        self.tfidf_ = _Tfidf.fit(
            list(texts) + wording, max_features=int(self.max_features), min_df=min_df
        )
        self.theme_vectors_ = self.tfidf_.transform(wording)
        self.anchors_ = _anchor_matrix(self.embedder_, anchors)
        self._word_cache: dict[str, np.ndarray] = {}
        self.tagger_ = None

    def _pick_examples(self, texts: Sequence[str], Y: np.ndarray, rows: np.ndarray) -> dict:
        """Up to ``tagger_examples`` coded texts per theme among ``rows`` (seeded, in row
        order): ``{theme id: [text, ...]}``, themes without one left out."""
        n = int(self.tagger_examples)
        rng = np.random.default_rng(int(self.seed))
        out: dict[str, list[str]] = {}
        for k, t in enumerate(self.themes_):
            pos = rows[Y[rows, k]]
            if n <= 0 or not len(pos):
                continue
            keep = np.sort(rng.permutation(len(pos))[:n])
            out[t] = [texts[int(i)] for i in pos[keep]]
        return out

    def _fit_tagger(
        self, texts: Sequence[str], coded: Sequence[str] = (), Y: np.ndarray | None = None
    ) -> np.ndarray | None:
        """Fit the codebook tagger on ``texts`` (unlabelled); its text-level scores.

        ``texts`` starts with the ``coded`` texts, whose labels ``Y`` supply the tagger's extra
        examples (``tagger_examples``). Their own scores are cross-fitted: two taggers, each
        with examples from one half of the coded rows, score the other half.
        """
        self.tagger_examples_: dict[str, list[str]] = {}
        if not self.codebook_prior:
            self.tagger_ = None
            return None
        from commentmine.segment import segment

        segs = segment(list(texts))
        n = len(coded)
        rows = np.arange(n)
        if Y is not None and n and int(self.tagger_examples) > 0:
            self.tagger_examples_ = self._pick_examples(coded, Y, rows)
        self.tagger_ = self._new_tagger(self.tagger_examples_, segs)
        scores = _tagger_scores(self.tagger_, texts, segs)
        if not self.tagger_examples_:
            return scores
        half = np.random.default_rng(int(self.seed)).permutation(n) % 2
        seg_text = segs["comment_id"].astype(int).to_numpy() - 1  # segment(texts) numbers from 1
        for f in (0, 1):
            tagger = self._new_tagger(self._pick_examples(coded, Y, rows[half != f]), segs)
            own = rows[half == f]
            scores[own] = _tagger_scores(tagger, texts, segs[np.isin(seg_text, own)])[own]
        return scores

    def _new_tagger(self, examples: dict[str, list[str]], segs: pd.DataFrame) -> Any:
        """A Tagger on the codebook plus ``examples``, fitted on ``segs``."""
        from commentmine.tag import Tagger

        cb = _with_examples(self.codebook_, examples)
        opts = dict(self.tagger_options or {})
        opts.setdefault("seed", int(self.seed))
        return Tagger(cb, embedder=self.embedder_, **opts).fit(segs)

    # -- fitting

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        *,
        unlabelled: Sequence[str] | None = None,
    ) -> ThemeModel:
        """Fit from texts and their theme ids (a list of ids per text; empty = no theme).

        Steps:

        1. With ``codebook_prior`` (default), the codebook tagger is fitted on the coded and
           ``unlabelled`` texts together (labels unused; see :mod:`commentmine.tag`) and its
           per-theme scores of each text (best segment) become features. A theme with fewer
           than two coded examples keeps the tagger's own decision.
        2. Per theme, a class-weighted logistic regression on the coded rows; its threshold
           maximises F1 on ``cv``-fold out-of-fold probabilities of the coded rows only. With
           ``unlabelled`` texts and ``prior_shift``, the coded rows are re-weighted to the
           pool's estimated share of the theme first (:func:`_shift_weights`): "20 coded
           examples per theme" over-represent rare themes.
        3. With ``unlabelled`` texts and ``self_train``, one round of self-training: each
           theme's first classifier labels the pool, and the final classifier learns from the
           coded rows plus these pseudo-labels (weight ``pseudo_weight``); the thresholds are
           chosen again on out-of-fold probabilities, the pseudo-labels of each fold made by
           that fold's own first classifier.

        ``unlabelled`` texts (for example the rest of the corpus; at most ``max_unlabelled``,
        a seeded sample) also join the TF-IDF vocabulary.

        Returns
        -------
        ThemeModel
            ``self``.
        """

        texts = [str(t) for t in texts]
        if len(texts) != len(labels):
            raise errors.bad_training_data("texts and labels differ in length")
        if len(texts) < 2:
            raise errors.bad_training_data("at least two coded texts are needed")
        if int(self.cv) < 2:
            raise errors.bad_argument(f"cv must be at least 2, got {self.cv!r}")
        if int(self.tagger_examples) < 0:
            raise errors.bad_argument(
                f"tagger_examples must be 0 or more, got {self.tagger_examples!r}"
            )
        pool = [str(t) for t in unlabelled] if unlabelled is not None else []
        if len(pool) > int(self.max_unlabelled):
            rng = np.random.default_rng(self.seed)
            keep = np.sort(rng.choice(len(pool), size=int(self.max_unlabelled), replace=False))
            pool = [pool[i] for i in keep]
        self._prepare(texts + pool)
        known = set(self.themes_)
        unknown = sorted({t for ls in labels for t in ls} - known)
        if unknown:
            raise errors.bad_training_data(
                f"labels not in the codebook: {', '.join(repr(u) for u in unknown[:10])}"
                + (f" (+{len(unknown) - 10} more)" if len(unknown) > 10 else "")
            )
        K = len(self.themes_)
        tpos = {t: k for k, t in enumerate(self.themes_)}
        Y = np.zeros((len(texts), K), dtype=bool)
        for i, ls in enumerate(labels):
            for t in ls:
                Y[i, tpos[t]] = True
        prior_all = self._fit_tagger(texts + pool, texts, Y)
        prior_l = prior_all[: len(texts)] if prior_all is not None else None
        prior_u = prior_all[len(texts) :] if prior_all is not None else None
        X, evidence, prior_l = self._features(texts, prior_l)
        Xu = self._features(pool, prior_u)[0] if pool else None
        self.n_unlabelled_ = len(pool)
        n_feat = X.shape[1]
        self.coef_ = np.zeros((K, n_feat))
        self.intercept_ = np.zeros(K)
        self.thresholds_ = np.full(K, 0.5)
        self.trained_ = np.zeros(K, dtype=bool)
        self.n_examples_ = {t: int(Y[:, k].sum()) for k, t in enumerate(self.themes_)}
        self.pool_share_: dict[str, float] = {}
        oof = np.zeros((len(texts), K))
        oof_dec = np.zeros((len(texts), K), dtype=bool)
        zs_prob, zs_thr = self._zero_shot_fit(evidence, prior_l)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # small problems: threads only oversubscribe
            self._fit_all(X, Xu, Y, oof, oof_dec, zs_prob, zs_thr)
        self.blend_ = self._blend_weights()
        if prior_l is not None:
            oof_dec = self._blend(_rescale(oof, self.thresholds_[None, :]), prior_l) >= 0.5
        self._report_cv(Y, oof, oof_dec, len(texts))
        return self

    def _fit_all(
        self,
        X: sparse.csr_matrix,
        Xu: sparse.csr_matrix | None,
        Y: np.ndarray,
        oof: np.ndarray,
        oof_dec: np.ndarray,
        zs_prob: np.ndarray,
        zs_thr: np.ndarray,
    ) -> None:
        for k in range(Y.shape[1]):
            y = Y[:, k].astype(int)
            n_pos = int(y.sum())
            if n_pos < 2 or n_pos == len(y):
                self.thresholds_[k] = zs_thr[k]
                oof[:, k] = zs_prob[:, k]
                oof_dec[:, k] = zs_prob[:, k] >= zs_thr[k]
                continue
            coef, icpt, thr, oof[:, k], share = self._fit_theme(X, y, Xu)
            self.coef_[k], self.intercept_[k], self.thresholds_[k] = coef, icpt, thr
            self.trained_[k] = True
            if share is not None:
                self.pool_share_[self.themes_[k]] = share
            oof_dec[:, k] = oof[:, k] >= self.thresholds_[k]

    def _blend_weights(self) -> np.ndarray:
        """Per theme, the classifier's share of the score (1: the classifier or rule alone)."""
        cols = self._prior_columns()
        n_pos = np.array([self.n_examples_[t] for t in self.themes_], dtype=np.float64)
        a = n_pos / np.maximum(n_pos + float(self.prior_strength), 1e-12)
        return np.where(self.trained_ & (cols >= 0), a, 1.0)

    def _blend(self, scores: np.ndarray, prior: np.ndarray | None) -> np.ndarray:
        """Blend rescaled classifier scores with the tagger's scores (``blend_``)."""
        cols = self._prior_columns()
        if prior is None or not (cols >= 0).any():
            return scores
        t = np.where(cols[None, :] >= 0, prior[:, np.maximum(cols, 0)], scores)
        a = self.blend_[None, :]
        return a * scores + (1.0 - a) * t

    def _report_cv(self, Y: np.ndarray, oof: np.ndarray, oof_dec: np.ndarray, n: int) -> None:
        micro, macro = _f1s(Y, oof_dec)
        micro5, macro5 = _f1s(Y, oof >= 0.5)
        tp = (Y & oof_dec).sum(0)
        den = Y.sum(0) + oof_dec.sum(0)
        per = {t: float(2 * tp[k] / den[k]) if den[k] else 0.0 for k, t in enumerate(self.themes_)}
        self.cv_scores_ = {
            "micro_f1": micro,
            "macro_f1": macro,
            "micro_f1_at_0.5": micro5,
            "macro_f1_at_0.5": macro5,
            "per_theme_f1": per,
            "n_rows": n,
            "folds": int(self.cv),
        }

    def _fit_theme(
        self, X: sparse.csr_matrix, y: np.ndarray, Xu: sparse.csr_matrix | None
    ) -> tuple[np.ndarray, float, float, np.ndarray, float | None]:
        """One theme: (coef, intercept, threshold, out-of-fold probabilities, pool share)."""
        from sklearn.model_selection import StratifiedKFold

        n_pos = int(y.sum())
        folds = min(int(self.cv), n_pos, len(y) - n_pos)
        oof = np.full(len(y), np.nan)
        splits = []
        if folds >= 2:
            skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=int(self.seed))
            splits = list(skf.split(np.zeros(len(y)), y))
        oof1 = np.zeros(len(y))
        pu_fold = []
        self_train = bool(self.self_train) and Xu is not None
        for tr, te in splits:
            clf = self._fit_lr(X[tr], y[tr])
            oof1[te] = clf.predict_proba(X[te])[:, 1]
            if self_train:
                pu_fold.append(clf.predict_proba(Xu)[:, 1])
        clf = self._fit_lr(X, y)
        w, share = None, None
        if splits and Xu is not None and self.prior_shift:
            w, share = _shift_weights(oof1, y, clf.predict_proba(Xu)[:, 1])
        thr1 = self._shrink(_best_threshold(oof1, y, w), n_pos) if splits else 0.5
        if not self_train:
            return clf.coef_[0], float(clf.intercept_[0]), thr1, oof1 if splits else oof, share
        # self-training: pseudo-labels from the first classifier, per fold and overall
        yu = (clf.predict_proba(Xu)[:, 1] >= thr1).astype(int)
        for (tr, te), pu in zip(splits, pu_fold, strict=True):
            c2 = self._fit_lr(X[tr], y[tr], Xu, (pu >= thr1).astype(int))
            oof[te] = c2.predict_proba(X[te])[:, 1]
        thr = self._shrink(_best_threshold(oof, y, w), n_pos) if splits else 0.5
        c2 = self._fit_lr(X, y, Xu, yu)
        return c2.coef_[0], float(c2.intercept_[0]), thr, oof if splits else oof1, share

    def _shrink(self, thr: float, n_pos: int) -> float:
        """Pull a cross-validated threshold towards 0.5 when the theme has few examples."""
        m = float(self.threshold_prior)
        return float((n_pos * thr + m * 0.5) / (n_pos + m))

    def _fit_lr(
        self,
        X: sparse.csr_matrix,
        y: np.ndarray,
        Xu: sparse.csr_matrix | None = None,
        yu: np.ndarray | None = None,
    ) -> Any:
        from sklearn.linear_model import LogisticRegression

        clf = self._clf(LogisticRegression)
        if Xu is None or yu is None or yu.sum() == 0:
            clf.fit(X, y)
            return clf
        w = np.r_[np.ones(len(y)), np.full(len(yu), float(self.pseudo_weight))]
        # class weights computed on the coded rows only (the pseudo-labels follow them)
        pos = max(int(y.sum()), 1)
        neg = max(len(y) - int(y.sum()), 1)
        yy = np.r_[y, yu]
        w = w * np.where(yy == 1, len(y) / (2 * pos), len(y) / (2 * neg))
        clf.set_params(class_weight=None)
        clf.fit(sparse.vstack([X, Xu], format="csr"), yy, sample_weight=w)
        return clf

    def _clf(self, cls: Any) -> Any:
        return cls(
            C=float(self.C),
            class_weight="balanced",
            solver="liblinear",
            max_iter=500,
            random_state=int(self.seed),
        )

    def _zero_shot_fit(
        self, evidence: np.ndarray, prior: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rule for themes without examples. A theme the tagger scores keeps the tagger's
        decision (its score, threshold 0.5). Otherwise the evidence squashed to [0, 1], with
        the threshold that tags as many rows as rank the theme first (the tagger's count
        rule)."""
        prob = self._zero_shot(evidence, prior)
        top = np.argmax(evidence, axis=1)
        thr = np.ones(evidence.shape[1])
        cols = self._prior_columns()
        for k in range(evidence.shape[1]):
            if cols[k] >= 0:
                thr[k] = 0.5
                continue
            c = int((top == k).sum())
            if c:
                thr[k] = float(np.clip(np.sort(prob[:, k])[::-1][c - 1], 1e-6, 1 - 1e-6))
        return prob, thr

    def _prior_columns(self) -> np.ndarray:
        """Per theme, its column in the tagger's scores (-1: no tagger, or a parent theme the
        tagger does not score)."""
        tagger = getattr(self, "tagger_", None)
        cols = {t: i for i, t in enumerate(tagger.themes_)} if tagger is not None else {}
        return np.array([cols.get(t, -1) for t in self.themes_], dtype=np.int64)

    def _zero_shot(self, evidence: np.ndarray, prior: np.ndarray | None) -> np.ndarray:
        prob = np.clip(evidence / 2.0, 0.0, 1.0)
        cols = self._prior_columns()
        if prior is not None and (cols >= 0).any():
            has = cols >= 0
            prob[:, has] = prior[:, cols[has]]
        return prob

    # -- applying

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise errors.bad_argument("this ThemeModel is not fitted; use train() or fit()")

    def _proba_prior(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        self._check_fitted()
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.themes_))), None
        X, evidence, prior = self._features(texts)
        z = np.asarray(X @ self.coef_.T) + self.intercept_
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))
        return np.where(self.trained_[None, :], p, self._zero_shot(evidence, prior)), prior

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Per-theme classifier probabilities (n_texts, n_themes), before threshold rescaling
        and before the blend with the tagger (a theme without a classifier: its rule)."""
        return self._proba_prior(texts)[0]

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [0, 1] (n_texts, n_themes); a theme applies when its score is >= 0.5.

        The classifier's probability rescaled so that its threshold sits at 0.5, blended with
        the tagger's score (``blend_``; see ``prior_strength``).
        """
        p, prior = self._proba_prior(texts)
        return self._blend(_rescale(p, self.thresholds_[None, :]), prior)

    def predict_labels(self, texts: Sequence[str]) -> list[list[str]]:
        """Theme ids per text (score >= 0.5), in codebook order."""
        s = self.score(texts)
        return [[t for t, on in zip(self.themes_, row, strict=True) if on] for row in s >= 0.5]

    def predict(self, segments: pd.DataFrame, *, include_interviewer: bool = False) -> pd.DataFrame:
        """Tags table (see ``commentmine._tables``) for a segments or comments table.

        A segments table (has ``segment_id``) is scored row by row. A comments table is
        segmented first with :func:`commentmine.segment.segment`. Interviewer segments are left
        out unless ``include_interviewer``.
        """
        from commentmine import _tables as T

        if not isinstance(segments, pd.DataFrame):
            raise errors.bad_argument(f"expected a DataFrame, got {type(segments).__name__}")
        segs = segments
        if "segment_id" not in segs.columns:
            from commentmine.segment import segment

            for col in ("comment_id", "text"):
                if col not in segs.columns:
                    raise errors.missing_column(col, segs.columns, what="comments column")
            if "status" not in segs.columns:
                segs = segs.assign(status=T.STATUS_OK)
            segs = segment(segs)
        if "is_interviewer" in segs.columns and not include_interviewer:
            segs = segs[~segs["is_interviewer"].astype(bool).to_numpy()]
        segs = segs.reset_index(drop=True)
        scores = self.score(segs["text"].astype(str).tolist())
        carried = [c for c in segs.columns if c not in (*T.TAG_COLUMNS, "lemmas", "n")]
        rows = []
        themes = np.asarray(self.themes_, dtype=object)
        for i in range(len(segs)):
            hit = np.flatnonzero(scores[i] >= 0.5)
            if len(hit):
                for k in hit:
                    rows.append((i, themes[k], float(round(scores[i, k], 4)), "model"))
            else:
                best = float(round(scores[i].max(), 4)) if scores.shape[1] else 0.0
                rows.append((i, T.UNCODED, best, "model"))
        idx = [r[0] for r in rows]
        out = segs.iloc[idx].reset_index(drop=True)
        out = pd.DataFrame(
            {
                "comment_id": out["comment_id"].astype(str) if "comment_id" in out else "",
                "segment_id": out["segment_id"].astype(str),
                "start": out.get("start", 0),
                "end": out["end"] if "end" in out else out["text"].astype(str).str.len(),
                "text": out["text"].astype(str),
                "theme": [r[1] for r in rows],
                "score": [r[2] for r in rows],
                "evidence": [json.dumps({"model": True}, sort_keys=True)] * len(rows),
                **{c: out[c].to_numpy() for c in carried},
            }
        )
        return out

    def tag(
        self,
        comments: pd.DataFrame,
        *,
        level: str = "segment",
        include_interviewer: bool = False,
    ) -> pd.DataFrame:
        """Like :func:`commentmine.tag.tag`, with this model instead of the codebook tagger.

        Parameters
        ----------
        comments : DataFrame
            A comments table (segmented here) or a segments table.
        level : {"segment", "comment"}, default "segment"
            The tags table, or one row per comment (``status``, ``themes``, ``scores``).
        include_interviewer : bool, default False
            Also tag interviewer turns.

        Returns
        -------
        DataFrame
            As :func:`commentmine.tag.tag`, with ``attrs["accounting"]``, ``attrs["codebook"]``
            and ``attrs["themes"]``.
        """
        from commentmine import _tables as T
        from commentmine.tag import comment_level

        if level not in ("segment", "comment"):
            raise errors.bad_argument(f"level must be 'segment' or 'comment', got {level!r}.")
        if "segment_id" in comments.columns:
            segs = comments
            keep = [
                c
                for c in ("comment_id", "respondent_id", "question", "source", "is_interviewer")
                if c in segs.columns
            ]
            table = segs[keep].drop_duplicates("comment_id").assign(status=T.STATUS_OK)
        else:
            from commentmine.segment import segment

            table = comments
            if "status" not in table.columns:
                table = table.assign(status=T.STATUS_OK)
            segs = segment(table, include_interviewer=True)
        tags = self.predict(segs, include_interviewer=include_interviewer)
        per_comment = comment_level(
            tags, table, self.themes_, include_interviewer=include_interviewer
        )
        out = per_comment if level == "comment" else tags
        status = per_comment["status"].value_counts()
        out.attrs["accounting"] = {
            "comments_in": int(len(per_comment)),
            "tagged": int(status.get(T.STATUS_TAGGED, 0)),
            "uncoded": int(status.get(T.STATUS_UNCODED, 0)),
            "skipped": {k: int(status.get(k, 0)) for k in ("empty", "non_answer", "interviewer")},
        }
        out.attrs["codebook"] = str(self.codebook_.name)
        out.attrs["themes"] = list(self.themes_)
        return out

    # -- persistence

    def _embedder_spec(self) -> str:
        """What :func:`select_embedder` needs to rebuild the embedder at load time."""
        if self.embedder is None:
            return "default"
        if isinstance(self.embedder, (str, Path)):
            return str(self.embedder)
        return str(getattr(self.embedder_, "name", type(self.embedder_).__name__))

    def save(self, folder: str | Path) -> Path:
        """Write the model folder (codebook.yaml, weights.npz, tfidf.json, manifest.json and,
        with the codebook tagger, tagger.json).

        Nothing is pickled: arrays go to ``.npz`` (read with ``allow_pickle=False``; the
        tagger's under ``tagger.<name>``), vocabularies and the tagger's settings to JSON.
        """
        import sklearn

        from commentmine import __version__

        self._check_fitted()
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise errors.is_directory(folder)
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(folder / "codebook.yaml", self.codebook_.to_yaml())
        tagger_arrays: dict[str, np.ndarray] = {}
        if self.tagger_ is not None:
            state, arrays = _tagger_state(self.tagger_)
            state["coded_examples"] = dict(self.tagger_examples_)
            tagger_arrays = {f"tagger.{k}": v for k, v in arrays.items()}
            write_text_atomic(
                folder / "tagger.json",
                json.dumps(state, ensure_ascii=False, sort_keys=True) + "\n",
            )
        elif (folder / "tagger.json").exists():
            (folder / "tagger.json").unlink()
        with atomic_path(folder / "weights.npz") as tmp, open(tmp, "wb") as fh:
            np.savez(
                fh,
                coef=self.coef_.astype(np.float64),
                intercept=self.intercept_.astype(np.float64),
                thresholds=self.thresholds_.astype(np.float64),
                trained=self.trained_.astype(np.bool_),
                anchors=self.anchors_.astype(np.float32),
                blend=self.blend_.astype(np.float64),
                **tagger_arrays,
            )
        vocab = sorted(self.tfidf_.vocabulary.items(), key=lambda kv: kv[1])
        tfidf = {"terms": [t for t, _ in vocab], "idf": [float(x) for x in self.tfidf_.idf]}
        write_text_atomic(folder / "tfidf.json", json.dumps(tfidf, ensure_ascii=False) + "\n")
        manifest = {
            "format": FORMAT,
            "commentmine": __version__,
            "scikit_learn": sklearn.__version__,
            "numpy": np.__version__,
            "embedder": str(getattr(self.embedder_, "name", type(self.embedder_).__name__)),
            "embedder_spec": self._embedder_spec(),
            "embedding_dim": int(self.anchors_.shape[1]),
            "codebook": str(self.codebook_.name),
            "codebook_sha256": self.codebook_.sha256(),
            "themes": list(self.themes_),
            "n_examples": self.n_examples_,
            "seed": int(self.seed),
            "cv": int(self.cv),
            "C": float(self.C),
            "evidence_weight": float(self.evidence_weight),
            "max_features": int(self.max_features),
            "pseudo_weight": float(self.pseudo_weight),
            "max_unlabelled": int(self.max_unlabelled),
            "word_evidence": bool(self.word_evidence),
            "threshold_prior": float(self.threshold_prior),
            "codebook_prior": self.tagger_ is not None,
            "prior_weight": float(self.prior_weight),
            "self_train": bool(self.self_train),
            "prior_shift": bool(self.prior_shift),
            "prior_strength": float(self.prior_strength),
            "tagger_examples": int(self.tagger_examples),
            "tagger_options": dict(self.tagger_options or {}),
            "pool_share": dict(self.pool_share_),
            "n_unlabelled": int(self.n_unlabelled_),
            "cv_scores": self.cv_scores_,
        }
        write_text_atomic(
            folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        )
        return folder


def train(
    coded: pd.DataFrame,
    codebook: Any,
    *,
    text_col: str = "text",
    id_col: str | None = None,
    labels_col: str = "labels",
    embedder: Any = None,
    seed: int = 0,
    cv: int = 5,
    unlabelled: Sequence[str] | None = None,
    **options: Any,
) -> ThemeModel:
    """Fit a :class:`ThemeModel` from human-coded examples and the codebook.

    Parameters
    ----------
    coded : DataFrame
        One row per coded text.
    codebook : Codebook or str or Path
        The codebook whose theme ids the labels use.
    text_col : str, default "text"
        Text column.
    id_col : str, optional
        Id column (checked for duplicates; not used as a feature).
    labels_col : str, default "labels"
        Theme ids joined by ``|``; ``""`` = coded with no theme (a negative example for every
        theme).
    embedder : Embedder or str, optional
        Embedding backend (default: the bundled static model).
    seed : int, default 0
        Seed of folds and classifiers.
    cv : int, default 5
        Folds for the per-theme thresholds and the reported cross-validated scores.
    unlabelled : sequence of str, optional
        Uncoded texts of the same kind (e.g. the rest of the corpus): the codebook tagger is
        fitted on them too, and the thresholds aim at their estimated theme shares (see
        :meth:`ThemeModel.fit`).
    **options
        Further :class:`ThemeModel` parameters (``C``, ``evidence_weight``, ``max_features``,
        ``codebook_prior``, ``prior_weight``, ``prior_strength``, ``prior_shift``,
        ``self_train`` ...).

    Returns
    -------
    ThemeModel
        Fitted; ``cv_scores_`` holds the cross-validated scores.
    """
    if not isinstance(coded, pd.DataFrame):
        raise errors.bad_argument(f"expected a DataFrame, got {type(coded).__name__}")
    for col in (text_col, labels_col, *([id_col] if id_col else [])):
        if col not in coded.columns:
            raise errors.missing_column(col, coded.columns)
    if id_col:
        dup = coded[id_col][coded[id_col].duplicated()].astype(str).unique()
        if len(dup):
            raise errors.duplicate_ids(id_col, dup)
    texts = coded[text_col].fillna("").astype(str).tolist()
    labels = _split_labels(coded[labels_col])
    model = ThemeModel(codebook, embedder=embedder, seed=seed, cv=cv, **options)
    return model.fit(texts, labels, unlabelled=unlabelled)


def load_theme_model(folder: str | Path, *, embedder: Any = None) -> ThemeModel:
    """Load a theme model folder written by :meth:`ThemeModel.save` (no pickle).

    Parameters
    ----------
    folder : str or Path
        The model folder.
    embedder : Embedder or str, optional
        Embedding backend; default the one named in the manifest. Its dimension must match.

    Returns
    -------
    ThemeModel
    """
    from commentmine.codebook import load_codebook

    folder = Path(folder)
    if not folder.is_dir():
        raise errors.bad_theme_model(folder, "not a folder")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        tfidf = json.loads((folder / "tfidf.json").read_text(encoding="utf-8"))
        with np.load(folder / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError) as exc:
        raise errors.bad_theme_model(folder, str(exc)) from exc
    if manifest.get("format") != FORMAT:
        raise errors.bad_theme_model(folder, f"unknown format {manifest.get('format')!r}")
    codebook = load_codebook(folder / "codebook.yaml")
    if codebook.sha256() != manifest.get("codebook_sha256"):
        raise errors.bad_theme_model(folder, "codebook.yaml does not match the manifest's hash")
    model = ThemeModel(
        codebook,
        embedder=embedder if embedder is not None else manifest.get("embedder_spec", "default"),
        seed=manifest["seed"],
        cv=manifest["cv"],
        C=manifest["C"],
        evidence_weight=manifest["evidence_weight"],
        max_features=manifest["max_features"],
        pseudo_weight=manifest["pseudo_weight"],
        max_unlabelled=manifest["max_unlabelled"],
        word_evidence=manifest["word_evidence"],
        threshold_prior=manifest["threshold_prior"],
        codebook_prior=bool(manifest.get("codebook_prior", False)),
        prior_weight=float(manifest.get("prior_weight", 0.0)),
        self_train=bool(manifest.get("self_train", True)),
        prior_shift=bool(manifest.get("prior_shift", False)),
        prior_strength=float(manifest.get("prior_strength", 0.0)),
        tagger_examples=int(manifest.get("tagger_examples", 0)),
        tagger_options=manifest.get("tagger_options") or None,
    )
    model.codebook_ = codebook
    model.themes_ = list(codebook.ids)
    if model.themes_ != manifest["themes"]:
        raise errors.bad_theme_model(folder, "themes differ from the manifest")
    model.embedder_ = _resolve_embedder(model.embedder)
    vocab = {t: i for i, t in enumerate(tfidf["terms"])}
    model.tfidf_ = _Tfidf(vocab, np.asarray(tfidf["idf"], dtype=np.float64))
    wording, _ = _theme_texts(codebook)
    model.theme_vectors_ = model.tfidf_.transform(wording)
    model.anchors_ = arrays["anchors"]
    model._word_cache = {}
    model.coef_ = arrays["coef"]
    model.intercept_ = arrays["intercept"]
    model.thresholds_ = arrays["thresholds"]
    model.trained_ = arrays["trained"].astype(bool)
    model.blend_ = arrays["blend"] if "blend" in arrays else np.ones(len(model.themes_))
    model.n_examples_ = dict(manifest.get("n_examples", {}))
    model.n_unlabelled_ = int(manifest.get("n_unlabelled", 0))
    model.cv_scores_ = dict(manifest.get("cv_scores", {}))
    model.pool_share_ = dict(manifest.get("pool_share", {}))
    model.tagger_ = None
    model.tagger_examples_ = {}
    if model.codebook_prior:
        try:
            state = json.loads((folder / "tagger.json").read_text(encoding="utf-8"))
            t_arrays = {
                k.removeprefix("tagger."): v for k, v in arrays.items() if k.startswith("tagger.")
            }
            examples = {
                str(k): [str(x) for x in v] for k, v in state.pop("coded_examples", {}).items()
            }
            model.tagger_examples_ = examples
            model.tagger_ = _tagger_from_state(
                state, t_arrays, _with_examples(codebook, examples), model.embedder_
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise errors.bad_theme_model(folder, f"tagger: {exc}") from exc
    probe = _embed(model.embedder_, ["probe"])
    if probe.shape[1] != model.anchors_.shape[1]:
        raise errors.bad_theme_model(
            folder,
            f"the embedder gives {probe.shape[1]} dimensions, the model expects "
            f"{model.anchors_.shape[1]} ({manifest['embedder']})",
        )
    return model
