"""The Dask side shared by :func:`~commentmine.scale.tag_dask` and
:func:`~commentmine.scale.discover_dask`: the client, task priorities, per-thread copies of
pickled objects, the workers' warm-up and the window of chunks on the cluster."""

from __future__ import annotations

import contextlib
from typing import Any

from commentmine import errors

# Task priorities (higher runs first on a worker): what the client waits for, then tagging
# (so finished partitions stream back while others are still being segmented), then the rest.
P_CLIENT = 20
P_TAG = 10


def require_dask() -> Any:
    """The ``distributed`` module, or E201 naming the ``dask`` extra."""
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
        import distributed
    except ImportError as exc:
        raise errors.missing_extra(
            "The Dask engine", "dask", "dask[dataframe] distributed"
        ) from exc
    return distributed


def is_dask_frame(obj: Any) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("dask") and hasattr(obj, "to_delayed") and hasattr(obj, "npartitions")


class Client:
    """A distributed Client for ``scheduler``: a Client, an address, or None (the client
    already active in this process, else a new LocalCluster closed on exit)."""

    def __init__(self, scheduler: Any, n_workers: int, processes: bool) -> None:
        distributed = require_dask()
        self._own: list[Any] = []
        if scheduler is None:
            try:
                scheduler = distributed.default_client()
            except ValueError:
                scheduler = None
        if scheduler is not None and isinstance(scheduler, distributed.Client):
            self.client = scheduler
        elif scheduler is not None:
            self.client = distributed.Client(str(scheduler))
            self._own.append(self.client)
        else:
            cluster = distributed.LocalCluster(
                n_workers=int(n_workers),
                threads_per_worker=1,
                processes=bool(processes),
                dashboard_address=None,
            )
            self.client = distributed.Client(cluster)
            self._own += [self.client, cluster]

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: Any) -> None:
        for obj in self._own:
            with contextlib.suppress(Exception):
                obj.close()


def live_workers(client: Any) -> int:
    """Client side: the workers the scheduler has now (at least 1)."""
    return max(1, len(client.scheduler_info().get("workers", {})))


def default_window(n_workers: int) -> int:
    """Most chunks on the cluster at once, by default (``max(8, 4 x workers)``)."""
    return max(8, 4 * n_workers)


class Window:
    """Client side: chunks shipped to the cluster and not yet released, at most ``limit``.

    A chunk counts from the moment it is shipped until its result is collected (or, for a
    partition only scanned for the fit sample, until its ids and candidates are in). ``peak``
    is the most there ever were.
    """

    def __init__(self, limit: int) -> None:
        self.limit = int(limit)
        self.alive = 0
        self.peak = 0

    @property
    def full(self) -> bool:
        return self.alive >= self.limit

    def add(self) -> None:
        self.alive += 1
        self.peak = max(self.peak, self.alive)

    def release(self) -> None:
        self.alive -= 1

    def stats(self, chunks: int, **more: int) -> dict[str, int]:
        """``window`` (the limit), ``peak``, ``chunks`` and ``more``: what a run reports."""
        return {"window": self.limit, **more, "peak": self.peak, "chunks": int(chunks)}


def collect(tagging: dict[int, Any], oldest: int | None) -> dict[int, Any]:
    """Client side: the results of the finished futures of ``tagging`` (removed from it),
    after waiting for chunk ``oldest`` or, when None, for any one of them."""
    import distributed

    if oldest is not None:
        distributed.wait(tagging[oldest])
    else:
        distributed.wait(list(tagging.values()), return_when="FIRST_COMPLETED")
    done = [i for i, f in tagging.items() if f.done()]
    return {i: tagging.pop(i).result() for i in sorted(done)}


def pickled(obj: Any) -> tuple[str, bytes]:
    """``(key, blob)``: ``obj`` pickled and a short hash of it (its per-thread copies' key)."""
    import hashlib
    import pickle

    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(blob).hexdigest()[:16], blob


_LOCAL: dict[tuple[int, str], Any] = {}


def local_copy(key: str, blob: bytes, store: dict[tuple[int, str], Any] = _LOCAL) -> Any:
    """Worker side: unpickle ``blob`` once per thread and keep the copy for later tasks.

    Each worker thread gets its own copy, so the embedding cache's SQLite connection is never
    shared between threads (in-process clusters) and the model loads once per worker. A
    ``store`` holds one live copy per thread.
    """
    import pickle
    import threading

    slot = (threading.get_ident(), key)
    obj = store.get(slot)
    if obj is None:
        for old in [k for k in store if k[0] == slot[0]]:  # one live copy per thread
            del store[old]
        obj = store[slot] = pickle.loads(blob)  # noqa: S301 - our own object, just pickled
    return obj


_WARM: dict[str, Any] = {}


def start_warm() -> bool:
    """Worker side (``client.run``): import scikit-learn and load the segmenter in a
    background thread, once per process, so the first tasks do not pay for it in turn."""
    import threading

    if "thread" not in _WARM:
        thread = threading.Thread(target=_warm_up, name="commentmine-warm", daemon=True)
        _WARM["thread"] = thread
        thread.start()
    return True


def _warm_up() -> None:
    try:
        from commentmine._segment import segment

        segment(["Warm up the pipeline."])
        _WARM["segmenter"] = True
        import_fit_modules()
    except Exception:  # noqa: BLE001, S110 - the tasks load what they need themselves
        pass
    finally:
        _WARM["segmenter"] = True


def wait_warm(*, segmenter_only: bool = False) -> None:
    """Worker side: let the warm-up finish (or load the segmenter) before loading the same
    things again."""
    import threading

    thread = _WARM.get("thread")
    if thread is None or thread is threading.current_thread():
        return
    while thread.is_alive():
        if segmenter_only and _WARM.get("segmenter"):
            return
        thread.join(0.02)


def import_fit_modules() -> None:
    """Import what :meth:`commentmine._tagging._public.Tagger.fit` imports on first use (scikit-learn)."""
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401
