"""Matrix products whose rows do not depend on the batch they are computed in.

BLAS picks kernels and blockings by matrix shape, so row ``i`` of ``A @ B.T`` can differ in
the last bits depending on how many other rows are multiplied with it (float32: ~1e-7,
enough to move a rounded score or a tie at a threshold). Tagging a file in chunks must give
the same bytes as tagging it at once, so scores use :func:`rowwise_dot`: float64 products of
fixed-size, zero-padded row blocks. Every row then goes through the same kernel with the same
shapes whatever the chunk, thread count or offset (checked in ``tests/test_scale.py``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["rowwise_dot"]

_BLOCK = 1024


def rowwise_dot(a: np.ndarray, b: np.ndarray, *, block: int = _BLOCK) -> np.ndarray:
    """``a @ b.T`` in float64, each row's result independent of the other rows of ``a``.

    Parameters
    ----------
    a : ndarray, shape (n, d)
    b : ndarray, shape (k, d)
    block : int, default 1024
        Rows multiplied at a time (the last block is zero-padded to this size).

    Returns
    -------
    ndarray, shape (n, k), float64
    """
    bt = np.ascontiguousarray(np.asarray(b, dtype=np.float64).T)
    n, d = a.shape
    out = np.empty((n, bt.shape[1]), dtype=np.float64)
    if n == 0:
        return out
    buf = np.zeros((block, d), dtype=np.float64)
    for i in range(0, n, block):
        m = min(block, n - i)
        buf[:m] = a[i : i + m]
        if m < block:
            buf[m:] = 0.0
        out[i : i + m] = (buf @ bt)[:m]
    return out
