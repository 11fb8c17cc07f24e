"""The codebook tagger: it runs the parts of :mod:`commentmine._tagging` in order.

:class:`Tagger` is documented in :func:`commentmine.tag` (which exports it); this module holds
the estimator, its fitted state, and :meth:`Tagger.get_state` / :meth:`Tagger.from_state`,
which save it without pickle (:func:`commentmine.train`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentmine import _tables as T
from commentmine._tagging import _rows, _scores, _selftrain
from commentmine._tagging._anchors import Anchors, build_anchors, semantic, theme_similarity
from commentmine._tagging._evidence import evidence_json, hit_rows
from commentmine._tagging._lexicon import Lexicon, build_lexicon
from commentmine._tagging._scores import Prepared, ScoreParts, SeedScores

# More scored themes than this: the many-theme defaults (see commentmine.tag).
MANY_THEMES = 20

#: Fitted attributes that :meth:`Tagger.get_state` keeps (the rest is rebuilt from the codebook
#: and the embedder by :meth:`Tagger._setup`). Arrays, scalars, or the TF-IDF vectoriser.
_FITTED = (
    "avgdl_",
    "coef_",
    "count_factor_",
    "estimated_counts_",
    "idf_",
    "intercept_",
    "lex_scale_",
    "n_fit_",
    "pseudo_counts_",
    "pseudo_frac_",
    "tfidf_",
    "thresholds_",
    "trained_",
)
_REBUILT = frozenset(
    {"codebook_", "themes_", "embedder_", "terms_", "term_weights_", "exclude_map_", "examples_"}
)


class Tagger:
    """Score segments against a codebook's themes; learn corpus-level evidence in ``fit``.

    Parameters
    ----------
    codebook : Codebook or str or Path
        The codebook (anything :func:`commentmine.load_codebook` accepts).
    embedder : Embedder or str, optional
        Embedding backend (see :func:`commentmine.select_embedder`); default
        :data:`commentmine.embed.DEFAULT_EMBEDDER`, the full MiniLM through onnxruntime
        (``"static"``, the bundled static model, is about ten times faster to embed).
    threshold : float, optional
        Global decision threshold on the [0, 1] score; overrides every theme's own. Default
        None: each theme's ``Theme.threshold`` if set, else 0.5 (the learned per-theme point).
    seed : int, default 0
        Seed for the fit sample and the classifiers.
    include_interviewer : bool, default False
        Score interviewer turns too.
    self_train : bool, default True
        Learn a pseudo-labelled classifier on the corpus (step 4 of :func:`commentmine.tag`).
    fit_sample : int, default 20000
        ``fit`` learns from at most this many segments (a seeded sample).
    label_weight, keyword_weight, description_weight : float
        Weights of the lexical term sources.
    lexical_weight : float, default 0.5
        Weight of the [0, 1] lexical score added to the cosine in the seed score.
    negation_window : int, default 3
        Lemmas looked back for a predicate negator.
    negation_weight : float, default 0.3
        Factor applied to a negated keyword match.
    pseudo_frac : float, optional
        Share of each theme's first-ranked segments (by lead) used as pseudo-labels. Default
        None: 0.5, or 0.3 for a codebook of more than ``MANY_THEMES`` scored themes.
    pseudo_max : int, default 300
        At most this many pseudo-labels per theme.
    classifier_weight : float, default 0.5
        Weight of the classifier probability in the fused score (rest: the seed score).
    count_factor : float, optional
        Multiplies each theme's estimated count when setting its threshold (> 1 tags more).
        Default None: 1.3, or 1.0 for a codebook of more than ``MANY_THEMES`` scored themes.
    fallback : float or None, optional
        A comment's best theme is tagged when its score reaches this, even below the theme's
        threshold (None: only at the threshold); a comment whose best theme scores less stays
        ``uncoded``. Segments are grouped by ``comment_id`` within one :meth:`predict` call.
    long_comment : int or None, optional
        A comment with more scored segments than this is judged on the mean of its segments'
        scores (its thrust), a shorter one on its best segment (None: always the best).
    relative : float, optional
        A comment's further themes must reach their own threshold and score at least this
        fraction of its best theme's (raw) score.
    max_themes : int, default 3
        At most this many themes per comment.
    whole_comment : float, optional
        Weight of a multi-segment comment's own text, scored as one piece, beside its
        segments' evidence (0: segments only).
    floor_on_best : bool, optional
        Judge ``fallback`` on the comment's best segment for its best theme rather than on the
        comment's evidence (the mean, for a long comment), so that a long comment making several
        distinct points is not left ``uncoded`` because each point is a minority of it.
    max_similarity : float or None, optional
        A comment's further theme is left out when its text (``label: description``) has at
        least this cosine with a theme the comment already has (the stronger one stays): two
        near-synonym themes are one point scored twice (None: no limit). The cosine is the
        bundled MiniLM's, whichever ``embedder`` scores the comments.

        The defaults of ``fallback``, ``long_comment``, ``relative``, ``whole_comment``,
        ``floor_on_best`` and ``max_similarity`` are the calibrated ones
        (``benchmarks/results/calibration.md``);
        they are written once, in the signature above.
    self_train_rounds : int, default 1
        Rounds of self-training; rounds after the first take pseudo-labels from the fused
        score of the previous round.
    embedding_scale : float, default 0.5
        Scale of the (unit-norm) embedding block against the (unit-norm) TF-IDF block.
    balanced : bool, default True
        Weight pseudo-label classes inversely to their frequency in each classifier.
    max_iter : int, default 100
        Iteration cap of each logistic regression (liblinear, dual, tol 1e-3).
    negative_ratio : int, default 5
        Each theme's classifier sees at most this many negatives (other themes'
        pseudo-labels, a seeded sample) per positive; 0 keeps all.
    C : float, default 1.0
        Inverse regularisation of the logistic regressions.
    max_features : int, default 30000
        Vocabulary size of the TF-IDF block.

    Attributes
    ----------
    codebook_ : Codebook
    themes_ : list[str]
        Ids of the scored (leaf) themes, in codebook order; columns of :meth:`score`.
    embedder_ : Embedder
    terms_ : list of Term
        Lexicon; ``term_weights_`` (n_terms, n_themes) and ``idf_`` (n_terms,) weight it.
    lex_scale_ : float
    tfidf_ : TfidfVectorizer or None
    coef_, intercept_ : ndarray or None
        Per-theme logistic regression over :meth:`features` (``(n_themes, n_features)``).
    thresholds_ : ndarray
        Raw fused-score point mapped to 0.5, per theme.
    n_fit_ : int
        Segments the fit used.
    """

    def __init__(
        self,
        codebook: Any,
        *,
        embedder: Any = None,
        threshold: float | None = None,
        seed: int = 0,
        include_interviewer: bool = False,
        self_train: bool = True,
        fit_sample: int = 20000,
        label_weight: float = 3.0,
        keyword_weight: float = 2.0,
        description_weight: float = 1.0,
        lexical_weight: float = 0.5,
        negation_window: int = 3,
        negation_weight: float = 0.3,
        pseudo_frac: float | None = None,
        pseudo_max: int = 300,
        classifier_weight: float = 0.5,
        count_factor: float | None = None,
        # the decision defaults (calibrated; see the docstring): written here only
        fallback: float | None = 0.45,
        long_comment: int | None = 3,
        relative: float = 0.7,
        max_themes: int = 3,
        whole_comment: float = 0.5,
        floor_on_best: bool = True,
        max_similarity: float | None = 0.6,
        self_train_rounds: int = 1,
        embedding_scale: float = 0.5,
        balanced: bool = True,
        max_iter: int = 100,
        negative_ratio: int = 5,
        C: float = 1.0,
        max_features: int = 30000,
    ) -> None:
        self.codebook = codebook
        self.embedder = embedder
        self.threshold = threshold
        self.seed = seed
        self.include_interviewer = include_interviewer
        self.self_train = self_train
        self.fit_sample = fit_sample
        self.label_weight = label_weight
        self.keyword_weight = keyword_weight
        self.description_weight = description_weight
        self.lexical_weight = lexical_weight
        self.negation_window = negation_window
        self.negation_weight = negation_weight
        self.pseudo_frac = pseudo_frac
        self.pseudo_max = pseudo_max
        self.classifier_weight = classifier_weight
        self.count_factor = count_factor
        self.fallback = fallback
        self.long_comment = long_comment
        self.relative = relative
        self.max_themes = max_themes
        self.whole_comment = whole_comment
        self.floor_on_best = floor_on_best
        self.max_similarity = max_similarity
        self.self_train_rounds = self_train_rounds
        self.embedding_scale = embedding_scale
        self.balanced = balanced
        self.max_iter = max_iter
        self.negative_ratio = negative_ratio
        self.C = C
        self.max_features = max_features

    # ---------------------------------------------------------------- validation / set-up

    def _validate(self) -> None:
        from commentmine.errors import bad_argument

        if self.threshold is not None and not (0.0 <= float(self.threshold) <= 1.0):
            raise bad_argument(f"threshold must be in [0, 1], got {self.threshold!r}.")
        if int(self.fit_sample) < 1:
            raise bad_argument(f"fit_sample must be >= 1, got {self.fit_sample!r}.")
        if not 0.0 <= float(self.classifier_weight) <= 1.0:
            raise bad_argument(
                f"classifier_weight must be in [0, 1], got {self.classifier_weight}."
            )
        if not 0.0 <= float(self.negation_weight) <= 1.0:
            raise bad_argument(f"negation_weight must be in [0, 1], got {self.negation_weight}.")
        if self.max_similarity is not None and not 0.0 < float(self.max_similarity) <= 1.0:
            raise bad_argument(
                f"max_similarity must be in (0, 1] or None, got {self.max_similarity}."
            )

    def _set_up(self) -> None:
        """Load the codebook and the embedder and :meth:`_setup` from them."""
        from commentmine.codebook import load_codebook
        from commentmine.embed import DEFAULT_EMBEDDER, select_embedder

        spec = DEFAULT_EMBEDDER if self.embedder is None else self.embedder
        self._setup(load_codebook(self.codebook), select_embedder(spec))

    def _setup(self, codebook: Any, embedder: Any) -> None:
        """What :meth:`fit` derives from the codebook and the embedder alone: the scored (leaf)
        themes, the codebook-size defaults, the lexicon and the anchors."""
        self.codebook_ = codebook
        parents = {t.parent for t in codebook.themes if getattr(t, "parent", None)}
        self.themes_ = [t.id for t in codebook.themes if t.id not in parents]
        self.embedder_ = embedder
        many = len(self.themes_) > MANY_THEMES
        self.pseudo_frac_ = float(
            self.pseudo_frac if self.pseudo_frac is not None else (0.3 if many else 0.5)
        )
        self.count_factor_ = float(
            self.count_factor if self.count_factor is not None else (1.0 if many else 1.3)
        )
        self._lexicon: Lexicon = build_lexicon(
            codebook,
            self.themes_,
            label_weight=self.label_weight,
            keyword_weight=self.keyword_weight,
            description_weight=self.description_weight,
        )
        self.terms_ = self._lexicon.terms
        self.term_weights_ = self._lexicon.weights
        self.exclude_map_ = self._lexicon.exclude_map
        self._anchors: Anchors = build_anchors(codebook, self.themes_, embedder)
        self.examples_ = self._anchors.examples
        self._theme_sim: np.ndarray | None = None  # the themes' text similarity, on first use

    def _params(self) -> dict[str, Any]:
        """The constructor arguments other than the codebook and the embedder."""
        import inspect

        names = [n for n in inspect.signature(type(self).__init__).parameters if n != "self"]
        return {n: getattr(self, n) for n in names if n not in ("codebook", "embedder")}

    # ------------------------------------------------------------------------------ fit

    def fit(self, segments: pd.DataFrame) -> Tagger:
        """Learn corpus statistics (and the self-trained classifier) from ``segments``.

        Parameters
        ----------
        segments : DataFrame
            Segments table (columns ``segment_id``, ``text``, ``lemmas``; see ``_tables``).
            At most ``fit_sample`` rows (seeded) are used.

        Returns
        -------
        Tagger
            ``self``.
        """
        self._validate()
        segs = self._scored_rows(_rows.check_segments(segments))
        self._set_up()

        if len(segs) > int(self.fit_sample):
            rng = np.random.default_rng(self.seed)
            pick = np.sort(rng.choice(len(segs), size=int(self.fit_sample), replace=False))
            segs = segs.iloc[pick]
        self.n_fit_ = len(segs)
        lemmas = segs["lemmas"].astype(str).tolist()
        pre = self._prepare_rows(segs, lemmas)
        self.idf_ = _scores.bm25_idf(pre.tf, len(lemmas))
        self.avgdl_ = float(pre.lengths.mean()) if len(pre.lengths) else 1.0
        self.lex_scale_ = 1.0
        raw = self._lexical_raw(pre)
        nz = raw[raw > 0]
        self.lex_scale_ = float(np.median(nz)) if nz.size else 1.0

        parts = self._seed_scores(pre, lemmas)
        self.tfidf_ = None
        self.coef_ = None
        self.intercept_ = None
        self.trained_ = np.zeros(len(self.themes_), dtype=bool)
        fused = self._self_train(segs, lemmas, pre.emb, parts)
        self.thresholds_, counts = _scores.count_thresholds(
            fused, parts.veto, float(self.count_factor_)
        )
        if counts is not None:
            self.estimated_counts_ = counts
        return self

    def _self_train(
        self, segs: pd.DataFrame, lemmas: list[str], emb: np.ndarray, parts: SeedScores
    ) -> np.ndarray:
        """Fit the pseudo-labelled classifiers (``self_train``); the fused scores of the fit
        rows (the seed scores when there is no classifier)."""
        fused = parts.seed01
        if not (self.self_train and len(segs) >= 2 and len(self.themes_) >= 2):
            return fused
        try:
            self.tfidf_ = _selftrain.fit_tfidf(lemmas, max_features=int(self.max_features))
            X = self._feature_matrix(lemmas, emb)
        except ValueError:  # no n-gram survives on a tiny sample: seed scores alone
            self.tfidf_ = None
            return fused
        anchor = np.where(parts.veto, -1.0, parts.seed)
        for _ in range(max(1, int(self.self_train_rounds))):
            clf = _selftrain.fit_classifiers(
                X,
                anchor,
                pseudo_frac=self.pseudo_frac_,
                pseudo_max=self.pseudo_max,
                negative_ratio=self.negative_ratio,
                C=self.C,
                balanced=self.balanced,
                max_iter=self.max_iter,
                random_state=self.seed,
            )
            self.pseudo_counts_ = clf.pseudo_counts
            self.coef_, self.intercept_, self.trained_ = clf.coef, clf.intercept, clf.trained
            xw = np.asarray(X @ self.coef_.T)
            proba = _selftrain.sigmoid(xw, self.intercept_, self.trained_, parts.seed01)
            fused = _selftrain.fuse(proba, parts.seed01, self.classifier_weight)
            anchor = np.where(parts.veto, -1.0, fused)
        return fused

    def _scored_rows(self, segs: pd.DataFrame) -> pd.DataFrame:
        """The rows ``fit`` learns from: not interviewer turns, not non-answer segments."""
        return segs[self._keep_mask(segs) & ~_rows.non_answers(segs)]

    def _keep_mask(self, segs: pd.DataFrame) -> np.ndarray:
        return _rows.keep_mask(segs, bool(self.include_interviewer))

    # ------------------------------------------------------------------------- scoring

    def _lexical_raw(self, pre: Prepared) -> np.ndarray:
        return _scores.bm25(pre.tf, pre.lengths, self.term_weights_, self.idf_, self.avgdl_)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._anchors.vectors.shape[1]), dtype=np.float32)
        return np.asarray(self.embedder_.embed(texts), dtype=np.float32)

    def _prepare_rows(self, segs: pd.DataFrame, lemmas: list[str]) -> Prepared:
        """What scoring ``segs`` needs from the codebook and the embedder alone (not from the
        fit): term matches, lengths, exclusion matches and embeddings."""
        tf, lengths = self._lexicon.match(
            lemmas, negation_window=int(self.negation_window), negation_weight=self.negation_weight
        )
        return Prepared(
            tf=tf,
            lengths=lengths,
            ex_tf=self._lexicon.excluded(lemmas),
            emb=self._embed(_rows.embed_texts(segs["text"])),
            rows=len(segs),
        )

    def _seed_scores(self, pre: Prepared, lemmas: list[str]) -> SeedScores:
        sem, nearest = semantic(pre.emb, self._anchors, len(self.themes_))
        return _scores.seed_scores(
            pre.tf,
            self._lexical_raw(pre),
            self.lex_scale_,
            sem,
            nearest,
            self._lexicon.vetoes(pre.ex_tf, lemmas),
            self.lexical_weight,
        )

    def _feature_matrix(self, lemmas: list[str], emb: np.ndarray) -> Any:
        return _selftrain.feature_matrix(self.tfidf_, lemmas, emb, self.embedding_scale)

    def features(self, segments: pd.DataFrame) -> Any:
        """Classifier features ``[embedding_scale * embedding | TF-IDF 1-2 grams of lemmas]``
        of ``segments`` (CSR matrix), as the self-trained classifiers see them.

        A fitted Tagger with ``self_train`` has the TF-IDF vocabulary (``tfidf_``) and the
        per-theme logistic regressions over these columns (``sigmoid(X @ coef_.T +
        intercept_)``).
        """
        self._check_fitted()
        if self.tfidf_ is None:
            from commentmine.errors import bad_argument

            raise bad_argument("this Tagger has no classifier features (self_train=False).")
        emb = self._embed(_rows.embed_texts(segments["text"]))
        return self._feature_matrix(segments["lemmas"].astype(str).tolist(), emb)

    def _check_fitted(self) -> None:
        if not hasattr(self, "thresholds_"):
            from commentmine.errors import bad_argument

            raise bad_argument("this Tagger is not fitted yet; call fit(segments) first.")

    def _parts(self, segs: pd.DataFrame, pre: Prepared | None = None) -> ScoreParts:
        lemmas = segs["lemmas"].astype(str).tolist()
        if pre is None:
            pre = self._prepare_rows(segs, lemmas)
        seed = self._seed_scores(pre, lemmas)
        if self.coef_ is not None and len(segs):
            proba = _selftrain.probabilities(
                self.tfidf_,
                lemmas,
                pre.emb,
                seed.seed01,
                embedding_scale=self.embedding_scale,
                coef=self.coef_,
                intercept=self.intercept_,
                trained=self.trained_,
            )
            fused = _selftrain.fuse(proba, seed.seed01, self.classifier_weight)
        else:
            proba = np.full_like(seed.seed01, np.nan)
            fused = seed.seed01
        score = _scores.rescale(fused, self.thresholds_, seed.veto)
        return ScoreParts(seed=seed, proba=proba, fused=fused, score=score)

    def prepare(self, segments: pd.DataFrame) -> Prepared:
        """The fit-independent part of :meth:`predict` for ``segments``, for
        ``predict(segments, prepared=...)``: the same table, sooner after the fit.

        Needs only the codebook and the embedder, which an unfitted Tagger sets up here on
        its first call, so it can run while the Tagger is still being fitted elsewhere
        (``commentmine.scale.tag_dask``).
        """
        if not hasattr(self, "codebook_"):  # neither fitted nor set up yet
            self._validate()
            self._set_up()
        segs = _rows.check_segments(segments)
        segs = segs[self._keep_mask(segs)]
        return self._prepare_rows(segs, segs["lemmas"].astype(str).tolist())

    def score(self, segments: pd.DataFrame) -> np.ndarray:
        """Scores in [0, 1], shape ``(n_segments, n_themes)``, columns ``themes_``.

        Interviewer segments (when not included) and non-answer segments score 0 for every
        theme.
        """
        self._check_fitted()
        segs = _rows.check_segments(segments)
        out = np.zeros((len(segs), len(self.themes_)), dtype=np.float64)
        keep = self._keep_mask(segs)
        if keep.any():
            out[keep] = self._parts(segs[keep]).score
        out[_rows.non_answers(segs)] = 0.0
        return out

    def _theme_thresholds(self) -> np.ndarray:
        if self.threshold is not None:
            return np.full(len(self.themes_), float(self.threshold))
        out = np.full(len(self.themes_), 0.5)
        for k, tid in enumerate(self.themes_):
            th = getattr(self.codebook_.theme(tid), "threshold", None)
            if th is not None:
                out[k] = float(th)
        return out

    def decision_thresholds(self) -> np.ndarray:
        """Each theme's decision point on the [0, 1] score (``threshold``, else the theme's
        own, else 0.5), in ``themes_`` order."""
        self._check_fitted()
        return self._theme_thresholds()

    # ------------------------------------------------------------------------ decisions

    def _decide(self, segs: pd.DataFrame, parts: ScoreParts, na: np.ndarray) -> np.ndarray:
        """Which theme each segment carries (``_decide``): decided per comment."""
        from commentmine._tagging._decide import Decisions, comment_codes, decide

        th = self._theme_thresholds()
        codes, uniq = comment_codes(segs["comment_id"].to_numpy())
        valid = ~na & ~_rows.back_channel(segs, parts.seed.lex)
        fused = np.where(parts.seed.veto, -1.0, parts.fused)
        whole_f = whole_s = None
        rules = Decisions(
            long_comment=None if self.long_comment is None else int(self.long_comment),
            relative=float(self.relative),
            floor=float(self.fallback) if self.fallback is not None else float(th.min()),
            max_themes=int(self.max_themes),
            whole_weight=float(self.whole_comment),
            floor_on_best=bool(self.floor_on_best),
            max_similarity=None if self.max_similarity is None else float(self.max_similarity),
        )
        if rules.whole_weight > 0:
            whole_f, whole_s = self._whole_scores(segs, codes, len(uniq), valid)
        hit = decide(
            fused,
            parts.score,
            th,
            codes,
            len(uniq),
            valid,
            rules,
            whole_fused=whole_f,
            whole_score=whole_s,
            similarity=self._theme_similarity(rules),
        )
        return hit & ~parts.seed.veto

    def _theme_similarity(self, rules: Any) -> np.ndarray | None:
        """The themes' text similarity (:func:`theme_similarity`), once, when a cap needs it."""
        if rules.max_similarity is None or len(self.themes_) < 2:
            return None
        if self._theme_sim is None:
            self._theme_sim = theme_similarity(self.codebook_, self.themes_)
        return self._theme_sim

    def _whole_scores(
        self, segs: pd.DataFrame, codes: np.ndarray, n: int, valid: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Raw and rescaled scores of each multi-segment comment's text as one piece (its
        valid segments joined, in order); NaN rows for the others."""
        K = len(self.themes_)
        fused = np.full((n, K), np.nan)
        score = np.full((n, K), np.nan)
        counts = np.bincount(codes[valid], minlength=n)
        many = np.flatnonzero(counts > 1)
        if not many.size:
            return fused, score
        texts: dict[int, list[str]] = {}
        lemmas: dict[int, list[str]] = {}
        for c, ok, t, lem in zip(
            codes.tolist(),
            valid.tolist(),
            segs["text"].astype(str).tolist(),
            segs["lemmas"].astype(str).tolist(),
            strict=True,
        ):
            if ok and counts[c] > 1:
                texts.setdefault(c, []).append(t)
                lemmas.setdefault(c, []).append(lem)
        whole = pd.DataFrame(
            {
                "text": [" ".join(texts[c]) for c in many.tolist()],
                "lemmas": [" ".join(lemmas[c]) for c in many.tolist()],
            }
        )
        wp = self._parts(whole)
        fused[many] = np.where(wp.seed.veto, -1.0, wp.fused)
        score[many] = wp.score
        return fused, score

    # ------------------------------------------------------------------------- predict

    def predict(self, segments: pd.DataFrame, *, prepared: Prepared | None = None) -> pd.DataFrame:
        """Tags table for ``segments`` (one row per segment x theme reached, else ``uncoded``).

        Interviewer segments (when not included) are left out; see :func:`commentmine.tag`.
        ``prepared``: :meth:`prepare` of the same ``segments`` (by a Tagger of the same
        codebook, options and embedder), so as not to compute that part again.
        """
        from commentmine._tagging._table import empty_tags, tags_frame

        self._check_fitted()
        segs = _rows.check_segments(segments)
        segs = segs[self._keep_mask(segs)]
        if prepared is not None and prepared.rows != len(segs):
            from commentmine.errors import bad_argument

            raise bad_argument("prepared= was made for other segments than these.")
        if len(segs) == 0:
            return empty_tags(segs)
        parts = self._parts(segs, prepared)
        na = _rows.non_answers(segs)
        parts.score[na] = 0.0  # in place: the decisions see non-answers at 0 too
        hit = self._decide(segs, parts, na)
        seg_idx, kk, uncoded = hit_rows(hit, parts.score)
        themes_arr = np.asarray(self.themes_, dtype=object)
        themes = np.where(uncoded, T.UNCODED, themes_arr[kk]).tolist()
        evid = evidence_json(
            parts,
            seg_idx,
            kk,
            uncoded,
            themes=self.themes_,
            terms=self.terms_,
            term_weights=self.term_weights_,
            examples=self.examples_,
        )
        scores = np.round(parts.score[seg_idx, kk].astype(np.float64), 6)
        return tags_frame(segs, seg_idx, themes, scores, evid)

    transform = predict

    def fit_predict(self, segments: pd.DataFrame) -> pd.DataFrame:
        """``fit(segments).predict(segments)``."""
        return self.fit(segments).predict(segments)

    # ---------------------------------------------------------------------- persistence

    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """The fitted Tagger as plain data, for saving without pickle.

        Returns
        -------
        state : dict
            JSON-able: ``params`` (the constructor arguments other than the codebook and the
            embedder), ``scalars`` (fitted numbers; None for a missing classifier) and
            ``tfidf`` (the TF-IDF vectoriser's parameters and vocabulary, or None).
        arrays : dict of str to ndarray
            Fitted arrays by attribute name (``tfidf_idf``: the vectoriser's idf).

        The lexicon and the anchors are not kept: the codebook and the embedder determine
        them, and :meth:`from_state` rebuilds them.
        """
        self._check_fitted()
        unknown = sorted(
            n
            for n in vars(self)
            if n.endswith("_") and not n.startswith("_") and n not in _FITTED + tuple(_REBUILT)
        )
        if unknown:  # new fitted state must be listed in _FITTED, or it would be lost
            raise TypeError(f"cannot save the tagger attributes {', '.join(unknown)}")
        state: dict[str, Any] = {"params": self._params(), "scalars": {}, "tfidf": None}
        arrays: dict[str, np.ndarray] = {}
        for name in _FITTED:
            if not hasattr(self, name):
                continue
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                arrays[name] = value
            elif value is None or isinstance(value, (bool, int, float, str)):
                state["scalars"][name] = value
            elif name == "tfidf_":
                state["tfidf"], arrays["tfidf_idf"] = _selftrain.tfidf_state(value)
            else:
                raise TypeError(f"cannot save the tagger attribute {name} ({type(value).__name__})")
        return state, arrays

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        arrays: dict[str, np.ndarray],
        *,
        codebook: Any,
        embedder: Any,
    ) -> Tagger:
        """A fitted Tagger from :meth:`get_state`, on the same codebook and embedder.

        Parameters
        ----------
        state, arrays
            What :meth:`get_state` returned (as read back from JSON and ``.npz``).
        codebook : Codebook
            The codebook the Tagger was fitted with (loaded).
        embedder : Embedder
            An embedder giving the same vectors as the one it was fitted with.

        Raises
        ------
        ValueError
            A name in ``state`` or ``arrays`` that is no fitted attribute.
        """
        names = set(state["scalars"]) | (set(arrays) - {"tfidf_idf"})
        if names - set(_FITTED):
            raise ValueError(f"unknown tagger state {', '.join(sorted(names - set(_FITTED)))}")
        tagger = cls(codebook, embedder=embedder, **state["params"])
        tagger._setup(codebook, embedder)
        for name, value in state["scalars"].items():
            setattr(tagger, name, value)
        for name, value in arrays.items():
            if name != "tfidf_idf":
                setattr(tagger, name, value)
        if state.get("tfidf") is not None:
            tagger.tfidf_ = _selftrain.tfidf_from_state(state["tfidf"], arrays["tfidf_idf"])
        return tagger
