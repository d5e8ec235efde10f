"""Charts of scenario results, as :class:`matplotlib.figure.Figure` objects (no pyplot).

Each is an :class:`~axion_lab.overview.plots.InlineFigure`, which shows itself as
PNG in Jupyter and in reports without ``%matplotlib`` magic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.ticker import FuncFormatter, PercentFormatter

from axion_lab.overview.plots import InlineFigure

__all__ = [
    "fan_chart",
    "grouped_bars_chart",
    "holdings_chart",
    "lines_chart",
    "path_chart",
    "scenario_bars_chart",
    "waterfall_chart",
    "weights_chart",
]

_UP, _DOWN, _TOTAL, _INK, _BAND = "#2e7d32", "#c62828", "#37474f", "#263238", "#1f77b4"


def _figure(width: float = 8.0, height: float = 4.0) -> InlineFigure:
    fig = InlineFigure(figsize=(width, height), layout="constrained")
    fig.set_facecolor("white")
    return fig


def _style(ax: object) -> None:
    ax.spines[["top", "right"]].set_visible(False)  # type: ignore[attr-defined]
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)  # type: ignore[attr-defined]
    ax.set_axisbelow(True)  # type: ignore[attr-defined]


def _dollars(cents: bool = True) -> FuncFormatter:
    k = 100.0 if cents else 1.0
    return FuncFormatter(lambda v, _: f"${v / k:,.0f}")


def waterfall_chart(drivers: pl.DataFrame, *, title: str = "") -> InlineFigure:
    """Waterfall of P&L by driver (``driver``, ``pnl_cents``; last row the total)."""
    rows = drivers.filter((pl.col("pnl_cents") != 0) | (pl.col("driver") == "total"))
    labels = rows["driver"].to_list()
    values = rows["pnl_cents"].to_numpy().astype(float)
    fig = _figure()
    ax = fig.add_subplot()
    running = 0.0
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        if label == "total":
            ax.bar(i, v, color=_TOTAL)
        else:
            ax.bar(i, v, bottom=running, color=_UP if v >= 0 else _DOWN)
            running += v
    ax.axhline(0, color=_INK, linewidth=0.8)
    ax.set_xticks(range(len(labels)), [lb.replace("_", " ") for lb in labels])
    ax.yaxis.set_major_formatter(_dollars())
    ax.set_title(f"P&L by driver: {title}" if title else "P&L by driver", loc="left")
    _style(ax)
    return fig


def holdings_chart(holdings: pl.DataFrame, *, title: str = "", n: int = 15) -> InlineFigure:
    """Horizontal bars of the ``n`` largest per-holding P&Ls."""
    top = holdings.sort(pl.col("pnl_cents").abs(), descending=True).head(n).sort("pnl_cents")
    fig = _figure(8.0, max(2.5, 0.3 * top.height + 1))
    ax = fig.add_subplot()
    v = top["pnl_cents"].to_numpy().astype(float)
    ax.barh(top["symbol"].to_list(), v, color=[_UP if x >= 0 else _DOWN for x in v])
    ax.xaxis.set_major_formatter(_dollars())
    ax.axvline(0, color=_INK, linewidth=0.8)
    ax.set_title(f"P&L by holding: {title}" if title else "P&L by holding", loc="left")
    _style(ax)
    return fig


def scenario_bars_chart(summary: pl.DataFrame, *, title: str = "") -> InlineFigure:
    """Horizontal bars of portfolio impact per scenario (``title``, ``impact``)."""
    frame = summary.sort("impact", descending=True)
    fig = _figure(8.0, max(3.0, 0.32 * frame.height + 1))
    ax = fig.add_subplot()
    v = frame["impact"].to_numpy()
    ax.barh(frame["title"].to_list(), v, color=[_UP if x >= 0 else _DOWN for x in v])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.axvline(0, color=_INK, linewidth=0.8)
    ax.set_title(f"Scenario impact: {title}" if title else "Scenario impact", loc="left")
    _style(ax)
    return fig


def grouped_bars_chart(
    frame: pl.DataFrame, names: Sequence[str], *, title: str = ""
) -> InlineFigure:
    """Grouped horizontal bars: one group per row (``title``), one bar per name column."""
    fig = _figure(8.0, max(3.0, 0.25 * frame.height * len(names) + 1))
    ax = fig.add_subplot()
    y = np.arange(frame.height)
    h = 0.8 / len(names)
    for i, name in enumerate(names):
        ax.barh(y + i * h, frame[name].to_numpy(), height=h, label=name)
    ax.set_yticks(y + h * (len(names) - 1) / 2, frame["title"].to_list())
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.axvline(0, color=_INK, linewidth=0.8)
    ax.legend(frameon=False)
    ax.set_title(title, loc="left")
    _style(ax)
    return fig


def path_chart(path: pl.DataFrame, *, title: str = "") -> InlineFigure:
    """Value (multiple of the start) and drawdown through a replay window."""
    fig = _figure(8.0, 4.5)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    dates = path["date"].to_list()
    top.plot(dates, path["value"].to_numpy(), color=_BAND)
    top.axhline(1.0, color=_INK, linewidth=0.6)
    top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v - 1:+.0%}"))
    top.set_title(title, fontsize=10, loc="left")
    bottom.fill_between(dates, path["drawdown"].to_numpy(), 0, color=_DOWN, alpha=0.4)
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0))
    bottom.set_ylabel("drawdown")
    locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    _style(top)
    _style(bottom)
    return fig


def fan_chart(
    percentiles: pl.DataFrame, *, title: str = "", target: float | None = None
) -> InlineFigure:
    """Percentile fan (p5-p95, p25-p75, median) of wealth by year, today's dollars."""
    fig = _figure()
    ax = fig.add_subplot()
    x = percentiles["year"].to_numpy()
    ax.fill_between(
        x,
        percentiles["p5"],
        percentiles["p95"],
        color=_BAND,
        alpha=0.15,
        label="5th-95th percentile",
    )
    ax.fill_between(
        x,
        percentiles["p25"],
        percentiles["p75"],
        color=_BAND,
        alpha=0.3,
        label="25th-75th percentile",
    )
    ax.plot(x, percentiles["p50"], color=_BAND, linewidth=2, label="median")
    if target is not None:
        ax.axhline(target, color=_INK, linestyle="--", linewidth=1, label="target")
    ax.yaxis.set_major_formatter(_dollars(cents=False))
    ax.set_xlabel("years")
    ax.set_ylabel("wealth (today's $)")
    ax.legend(frameon=False, loc="upper left")
    ax.set_title(title, loc="left")
    _style(ax)
    return fig


def lines_chart(
    values: pl.DataFrame, *, title: str = "", ylabel: str = "", scale: float = 1.0
) -> InlineFigure:
    """One line per column after ``date``."""
    fig = _figure()
    ax = fig.add_subplot()
    dates = values["date"].to_list()
    for col in values.columns[1:]:
        ax.plot(dates, values[col].to_numpy().astype(float) * scale, label=col, linewidth=1.2)
    ax.set_ylabel(ylabel)
    locator = AutoDateLocator(maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title, fontsize=10, loc="left")
    _style(ax)
    return fig


def weights_chart(positions: pl.DataFrame) -> InlineFigure:
    """Weights before and after a what-if, by position."""
    frame = positions.sort("weight_after", descending=True).head(20)
    fig = _figure(8.0, max(3.0, 0.3 * frame.height + 1))
    ax = fig.add_subplot()
    y = np.arange(frame.height)
    ax.barh(y - 0.2, frame["weight_before"].to_numpy(), height=0.4, label="before", color="#90a4ae")
    ax.barh(y + 0.2, frame["weight_after"].to_numpy(), height=0.4, label="after", color=_BAND)
    ax.set_yticks(y, frame["symbol"].to_list())
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(frameon=False)
    ax.set_title("Weights before and after", loc="left")
    _style(ax)
    return fig
