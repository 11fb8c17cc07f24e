"""Bar charts as deterministic PNG bytes (matplotlib, Agg backend)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence


def bar_chart(
    labels: Sequence[str],
    shares: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    *,
    title: str = "",
    suppressed: Sequence[bool] | None = None,
) -> bytes:
    """Horizontal bars of shares (0-1) with interval whiskers; same input -> same bytes.

    Suppressed groups are drawn without a bar and labelled "suppressed (< min)".
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    n = len(labels)
    suppressed = list(suppressed or [False] * n)
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "commentmine",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        fig = Figure(figsize=(6.0, 0.45 * n + 0.9), dpi=100)
        ax = fig.add_subplot(1, 1, 1)
        ys = list(range(n))[::-1]
        vals, errs_lo, errs_hi = [], [], []
        for s, lo, hi, sup in zip(shares, lows, highs, suppressed, strict=True):
            ok = not sup and not (isinstance(s, float) and math.isnan(s))
            vals.append(100 * s if ok else 0.0)
            errs_lo.append(max(0.0, 100 * (s - lo)) if ok and not math.isnan(lo) else 0.0)
            errs_hi.append(max(0.0, 100 * (hi - s)) if ok and not math.isnan(hi) else 0.0)
        ax.barh(ys, vals, color="#3b6ea5", height=0.6)
        ax.errorbar(
            vals, ys, xerr=[errs_lo, errs_hi], fmt="none", ecolor="#222222", capsize=3, linewidth=1
        )
        for y, v, hi_err, sup in zip(ys, vals, errs_hi, suppressed, strict=True):
            text = "suppressed (small group)" if sup else f"{v:.0f}%"
            ax.text(v + hi_err + 1.5, y, text, va="center", fontsize=8, color="#222222")
        ax.set_yticks(ys)
        ax.set_yticklabels([_short(lab) for lab in labels])
        ax.set_xlim(0, 110)
        ax.set_xlabel("% of respondents who answered (95% CI)")
        if title:
            ax.set_title(_short(title, 70), fontsize=10, loc="left")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _short(text: str, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
