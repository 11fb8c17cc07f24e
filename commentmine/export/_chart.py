"""Bar charts as deterministic PNG bytes (matplotlib, Agg backend)."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence

#: Chart width in inches and resolution: 8 in at 144 dpi is 1,152 px, sharp when the chart is
#: shown across the full text width of the HTML page (52 rem) or of an A4/Letter page.
WIDTH_IN = 8.0
DPI = 144
FONT = "DejaVu Sans"
#: A bar label wraps at this many characters, over at most :data:`LABEL_LINES` lines.
LABEL_WIDTH = 34
LABEL_LINES = 3


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

    Long labels wrap onto up to three lines instead of being cut, so two labels that begin
    alike stay distinguishable. Suppressed bars are drawn empty and labelled
    "suppressed (small group)".
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    n = len(labels)
    suppressed = list(suppressed or [False] * n)
    wrapped = [wrap_label(lab) for lab in labels]
    lines = [w.count("\n") + 1 for w in wrapped]
    title_text = wrap_label(title, width=90, max_lines=2) if title else ""
    # one row per bar, taller for wrapped labels; room for the axis label and the title
    height = sum(0.28 + 0.17 * k for k in lines) + 0.9 + 0.2 * title_text.count("\n")
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "commentmine",
            "font.family": FONT,
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        fig = Figure(figsize=(WIDTH_IN, max(1.6, height)), dpi=DPI)
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
            ax.text(
                v + hi_err + 1.5, y, text, va="center", fontsize=8, color="#222222", family=FONT
            )
        ax.set_yticks(ys)
        ax.set_yticklabels(wrapped)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, 110)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel("% of respondents who answered (95% CI)")
        if title_text:
            ax.set_title(title_text, fontsize=10, loc="left")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def wrap_label(text: str, *, width: int = LABEL_WIDTH, max_lines: int = LABEL_LINES) -> str:
    """``text`` wrapped at word boundaries onto at most ``max_lines`` lines.

    Only text longer than ``max_lines`` full lines is shortened, at its end, with "…".

    >>> wrap_label("Representation and diversity of the sector", width=20)
    'Representation and\\ndiversity of the\\nsector'
    """
    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        last = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [last[: width - 1].rstrip() + "\u2026"]
    return "\n".join(lines)
