"""The theme model: per-theme classifiers over [embedding | TF-IDF | codebook evidence | tagger
scores], blended with the codebook tagger (the method: :func:`commentmine.train`)."""

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
from commentmine._tagging._table import TagRun, comments_and_segments, finish
from commentmine._training._classifiers import ClassifierSettings, f1s, fit_theme, rescale
from commentmine._training._features import (
    TOKEN_PATTERN,
    Tfidf,
    anchor_matrix,
    embed,
    resolve_embedder,
    theme_texts,
)
from commentmine._training._prior import fit_prior, tagger_scores


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
        Fit the codebook tagger (:class:`commentmine.Tagger`, labels unused) on the coded
        and unlabelled texts and add its per-theme scores as features; a theme with fewer
        than two coded examples then uses the tagger's own decision.
    prior_weight : float, default 3.0
        Scale of the tagger-score columns (``(score - 0.5) * prior_weight``).
    self_train : bool, default False
        With ``unlabelled`` texts: one round of self-training (see :meth:`fit`).
    prior_shift : bool, default True
        With ``unlabelled`` texts: choose thresholds for the pool's estimated share of each
        theme rather than the coded rows' share (see :func:`~commentmine._training._classifiers.shift_weights`).
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
        Further :class:`commentmine.Tagger` parameters.

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
        self._word_cache: dict[str, np.ndarray] = {}

    # -- features

    def _features(
        self, texts: Sequence[str], prior: np.ndarray | None = None
    ) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray | None]:
        """Feature matrix, raw evidence (n, n_themes) and tagger scores (or None) of ``texts``.

        ``prior``: the tagger's text-level scores of ``texts`` when already computed.
        """
        emb = embed(self.embedder_, texts)
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
                prior = tagger_scores(self.tagger_, texts)
            mats.append(sparse.csr_matrix((prior - 0.5) * float(self.prior_weight)))
        else:
            prior = None
        return sparse.hstack(mats, format="csr"), sem + lex, prior

    def _word_max(self, texts: Sequence[str]) -> np.ndarray:
        """Per theme, the best cosine of any content word of the text to the theme's anchor."""
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        tok = re.compile(TOKEN_PATTERN)
        words = [[w for w in tok.findall(t.lower()) if w not in ENGLISH_STOP_WORDS] for t in texts]
        vocab = sorted({w for ws in words for w in ws} - set(self._word_cache))
        if vocab:
            sims = embed(self.embedder_, vocab) @ self.anchors_.T
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
        self.embedder_ = resolve_embedder(self.embedder)
        wording, anchors = theme_texts(self.codebook_)
        min_df = 2 if len(texts) >= 500 else 1
        self.tfidf_ = Tfidf.fit(
            list(texts) + wording, max_features=int(self.max_features), min_df=min_df
        )
        self.theme_vectors_ = self.tfidf_.transform(wording)
        self.anchors_ = anchor_matrix(self.embedder_, anchors)
        self._word_cache: dict[str, np.ndarray] = {}
        self.tagger_ = None

    def _fit_tagger(
        self, texts: Sequence[str], coded: Sequence[str] = (), Y: np.ndarray | None = None
    ) -> np.ndarray | None:
        """Fit the codebook tagger on ``texts`` (``codebook_prior``; :func:`fit_prior`); its
        text-level scores (None without the tagger)."""
        self.tagger_examples_: dict[str, list[str]] = {}
        if not self.codebook_prior:
            self.tagger_ = None
            return None
        prior = fit_prior(
            texts,
            coded,
            Y,
            codebook=self.codebook_,
            themes=self.themes_,
            embedder=self.embedder_,
            per_theme=int(self.tagger_examples),
            options=self.tagger_options,
            seed=int(self.seed),
        )
        self.tagger_, self.tagger_examples_ = prior.tagger, prior.examples
        return prior.scores

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
           ``unlabelled`` texts together (labels unused; see :func:`commentmine.tag`) and its
           per-theme scores of each text (best segment) become features. A theme with fewer
           than two coded examples keeps the tagger's own decision.
        2. Per theme, a class-weighted logistic regression on the coded rows; its threshold
           maximises F1 on ``cv``-fold out-of-fold probabilities of the coded rows only. With
           ``unlabelled`` texts and ``prior_shift``, the coded rows are re-weighted to the
           pool's estimated share of the theme first (:func:`shift_weights`): "20 coded
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
            oof_dec = self._blend(rescale(oof, self.thresholds_[None, :]), prior_l) >= 0.5
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
        settings = ClassifierSettings(
            cv=int(self.cv),
            seed=int(self.seed),
            C=float(self.C),
            threshold_prior=float(self.threshold_prior),
            pseudo_weight=float(self.pseudo_weight),
            self_train=bool(self.self_train),
            prior_shift=bool(self.prior_shift),
        )
        for k in range(Y.shape[1]):
            y = Y[:, k].astype(int)
            n_pos = int(y.sum())
            if n_pos < 2 or n_pos == len(y):
                self.thresholds_[k] = zs_thr[k]
                oof[:, k] = zs_prob[:, k]
                oof_dec[:, k] = zs_prob[:, k] >= zs_thr[k]
                continue
            coef, icpt, thr, oof[:, k], share = fit_theme(X, y, Xu, settings)
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
        micro, macro = f1s(Y, oof_dec)
        micro5, macro5 = f1s(Y, oof >= 0.5)
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
        return self._blend(rescale(p, self.thresholds_[None, :]), prior)

    def predict_labels(self, texts: Sequence[str]) -> list[list[str]]:
        """Theme ids per text (score >= 0.5), in codebook order."""
        s = self.score(texts)
        return [[t for t, on in zip(self.themes_, row, strict=True) if on] for row in s >= 0.5]

    def predict(self, segments: pd.DataFrame, *, include_interviewer: bool = False) -> pd.DataFrame:
        """Tags table (see ``commentmine._tables``) for a segments or comments table.

        A segments table (has ``segment_id``) is scored row by row. A comments table is
        segmented first with :func:`commentmine.segment`. Interviewer segments are left
        out unless ``include_interviewer``.
        """
        from commentmine import _tables as T
        from commentmine._tagging._table import tags_frame

        if not isinstance(segments, pd.DataFrame):
            raise errors.bad_argument(f"expected a DataFrame, got {type(segments).__name__}")
        segs = segments
        if "segment_id" not in segs.columns:
            from commentmine._segment import segment

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
        rows, themes, values = [], [], []
        for i in range(len(segs)):
            hit = np.flatnonzero(scores[i] >= 0.5)
            if len(hit):
                for k in hit:
                    rows.append(i)
                    themes.append(self.themes_[k])
                    values.append(float(round(scores[i, k], 4)))
            else:
                rows.append(i)
                themes.append(T.UNCODED)
                values.append(float(round(scores[i].max(), 4)) if scores.shape[1] else 0.0)
        # a segments table of the caller's may lack the span columns: as before, filled in
        fill = {
            "comment_id": "",
            "start": 0,
            "end": lambda d: d["text"].astype(str).str.len(),
        }
        segs = segs.assign(
            **{c: v for c, v in fill.items() if c not in segs.columns},
            text=segs["text"].astype(str),
        )
        evidence = [json.dumps({"model": True}, sort_keys=True)] * len(rows)
        return tags_frame(segs, np.asarray(rows, dtype=int), themes, values, evidence)

    def tag(
        self,
        comments: pd.DataFrame,
        *,
        level: str = "segment",
        include_interviewer: bool = False,
    ) -> pd.DataFrame:
        """Like :func:`commentmine.tag`, with this model instead of the codebook tagger.

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
            As :func:`commentmine.tag` (:func:`commentmine.accounting` counts it).
        """
        return model_tag_run(
            self, comments, level=level, include_interviewer=include_interviewer
        ).table

    # -- persistence

    def save(self, folder: str | Path) -> Path:
        """Write the model folder (codebook.yaml, weights.npz, tfidf.json, manifest.json and,
        with the codebook tagger, tagger.json; see :func:`commentmine.train`).

        Nothing is pickled: arrays go to ``.npz`` (read with ``allow_pickle=False``; the
        tagger's under ``tagger.<name>``), vocabularies and the tagger's settings to JSON.
        """
        from commentmine._training._persist import save

        self._check_fitted()
        return save(self, folder)


def model_tag_run(
    model: ThemeModel,
    comments: pd.DataFrame,
    *,
    level: str = "segment",
    include_interviewer: bool = False,
) -> TagRun:
    """:meth:`ThemeModel.tag` as a :class:`~commentmine._tagging._table.TagRun` (the table,
    its accounting, the codebook's name and the themes; a model gives no warnings): for the
    package's own callers (the CLI)."""
    from commentmine._tagging._public import check_level

    check_level(level)
    table, segs = comments_and_segments(comments)
    tags = model.predict(segs, include_interviewer=include_interviewer)
    return finish(
        tags,
        table,
        model.themes_,
        level=level,
        include_interviewer=include_interviewer,
        codebook=str(model.codebook_.name),
    )
