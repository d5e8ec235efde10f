"""A candlestick chart marking a scan hit (plain matplotlib; no pyplot state).

The figure is an :class:`~axion_lab.overview.plots.InlineFigure`: it shows itself as
PNG in Jupyter and in reports, its title becoming the image's alt text.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scanner import PatternDetector, plot_hit
>>> m = load_market()
>>> bars = m.bars_for(m.universe()[0], start="2023-01-03", end="2024-12-31")
>>> hit = next(iter(PatternDetector("chart").detect(bars)))
>>> fig = plot_hit(bars, hit)
>>> png, meta = fig._repr_png_()
>>> type(fig).__name__, png[:4] == b"\\x89PNG", meta["alt"].startswith(hit.symbol)
('InlineFigure', True, True)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.scanner.result import ScanHit

if TYPE_CHECKING:
    from axion_lab.overview.plots import InlineFigure

__all__ = ["plot_hit"]

_UP, _DOWN, _MARK = "#26a69a", "#ef5350", "#1f4e9c"


def plot_hit(
    bars: pl.DataFrame,
    hit: ScanHit | dict[str, object],
    *,
    before: int = 40,
    after: int = 10,
) -> InlineFigure:
    """Candles of the hit's symbol around the hit, the hit bar and pattern points marked.

    ``hit`` is a :class:`ScanHit` or a row of a hit frame. Returns an
    :class:`~axion_lab.overview.plots.InlineFigure` (a matplotlib ``Figure`` that
    Jupyter shows when it is a cell's value; save with ``savefig``).
    """
    from matplotlib.patches import Rectangle

    from axion_lab.overview.plots import InlineFigure

    h = hit if isinstance(hit, ScanHit) else ScanHit.from_row(dict(hit))
    series = bars.filter(pl.col("symbol") == h.symbol).sort("ts")
    where = series["ts"].search_sorted(h.ts)
    if where >= series.height or series["ts"][where] != h.ts:
        raise InputError(f"The bars have no {h.symbol!r} bar at {h.ts}; pass the bars scanned.")
    first = min([where - before, *(int(series["ts"].search_sorted(p[0])) for p in h.points)])
    window = series.slice(max(first, 0), where - max(first, 0) + after + 1)
    ts = window["ts"].to_list()
    fig = InlineFigure(figsize=(10, 4.5), layout="constrained")
    ax = fig.add_subplot()
    for i, (o, hi, lo, c) in enumerate(window.select("open", "high", "low", "close").iter_rows()):
        color = _UP if c >= o else _DOWN
        ax.vlines(i, lo, hi, color=color, linewidth=1)
        ax.add_patch(Rectangle((i - 0.35, min(o, c)), 0.7, max(abs(c - o), 1e-9), color=color))
    x_hit = ts.index(h.ts)
    ax.annotate(
        h.scanner.replace("_", " "),
        xy=(x_hit, h.high),
        xytext=(x_hit, h.high * 1.03),
        ha="center",
        color=_MARK,
        arrowprops={"arrowstyle": "->", "color": _MARK},
    )
    if h.points:
        xs = [ts.index(p[0]) for p in h.points if p[0] in ts]
        ys = [p[1] for p in h.points if p[0] in ts]
        ax.plot(xs, ys, color=_MARK, marker="o", linewidth=1.2)
        for x, y, (_, _, label) in zip(xs, ys, h.points, strict=False):
            ax.annotate(label, (x, y), textcoords="offset points", xytext=(0, 6), fontsize=8)
    step = max(len(ts) // 8, 1)
    ax.set_xticks(range(0, len(ts), step))
    intraday = any(t.time() != dt.time(0) for t in ts)
    fmt = "%m-%d %H:%M" if intraday else "%Y-%m-%d"
    ax.set_xticklabels([t.strftime(fmt) for t in ts[::step]], rotation=30, fontsize=8)
    ax.set_xlim(-1, len(ts))
    # Left-aligned: InlineFigure turns left titles into the PNG's alt text.
    ax.set_title(
        f"{h.symbol}: {h.scanner} ({h.direction}, {h.strength}) on {h.ts:%Y-%m-%d %H:%M}",
        loc="left",
    )
    ax.grid(alpha=0.2)
    return fig
