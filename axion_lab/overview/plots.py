"""Charts of a market overview, as :class:`matplotlib.figure.Figure` objects.

No pyplot: figures are built directly, so nothing touches matplotlib's global
state and no ``%matplotlib`` magic is needed. Each figure is an
:class:`InlineFigure`, which renders itself as PNG in Jupyter (and so in reports).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.overview import market_overview
>>> fig = market_overview(load_market(), lookback_days=21).plot_breadth()
>>> png, meta = fig._repr_png_()
>>> png[:4] == b"\\x89PNG", meta["alt"].startswith("Advance/decline line")
(True, True)
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import matplotlib
import polars as pl
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from axion_lab.exceptions import UnknownNameError
from axion_lab.overview.config import PERIOD_LABELS

if TYPE_CHECKING:
    from axion_lab.overview.models import MarketOverview

__all__ = ["InlineFigure", "breadth_chart", "cumulative_chart", "sector_performance_chart"]

_UP, _DOWN, _GREY, _INK = "#2e7d32", "#c62828", "#9e9e9e", "#263238"
_EW, _CW = "#1f77b4", "#ff7f0e"
_DPI = 110


class InlineFigure(Figure):
    """A ``Figure`` that shows itself in Jupyter without pyplot or the inline backend."""

    def _repr_png_(self) -> tuple[bytes, dict[str, str]]:
        # (data, metadata): the chart titles become the image's alt text in reports.
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight", facecolor="white")
        titles = [t for ax in self.axes if (t := ax.get_title(loc="left"))]
        return buffer.getvalue(), {"alt": "; ".join(titles) or "Chart"}


def _figure(width: float, height: float) -> InlineFigure:
    fig = InlineFigure(figsize=(width, height), layout="constrained")
    fig.set_facecolor("white")
    return fig


def _style(ax: object) -> None:
    ax.spines[["top", "right"]].set_visible(False)  # type: ignore[attr-defined]
    ax.grid(axis="both", color="#e0e0e0", linewidth=0.6)  # type: ignore[attr-defined]
    ax.set_axisbelow(True)  # type: ignore[attr-defined]


def sector_performance_chart(ov: MarketOverview, *, period: str = "1M") -> InlineFigure:
    """Horizontal bars: equal- and cap-weight return of each group over ``period``.

    Groups are sorted by equal-weight return; the total is drawn first, in bold.
    """
    if period not in PERIOD_LABELS:
        raise UnknownNameError.for_name("period", period, PERIOD_LABELS)
    rows = ov.performance.filter(pl.col("period") == period)
    total = rows.filter(pl.col("group") == ov.total_label)
    others = rows.filter(pl.col("group") != ov.total_label).sort(
        "equal_weight", descending=False, nulls_last=False
    )
    rows = pl.concat([others, total])  # barh draws bottom-up: total ends on top
    labels = rows["group"].to_list()
    ew = [v if v is not None else 0.0 for v in rows["equal_weight"].to_list()]
    cw = [v if v is not None else 0.0 for v in rows["cap_weight"].to_list()]
    fig = _figure(9.0, max(3.0, 0.42 * len(labels) + 1.4))
    ax = fig.add_subplot()
    ys = list(range(len(labels)))
    h = 0.38
    ax.barh([y + h / 2 for y in ys], ew, height=h, color=_EW, label="Equal weight")
    ax.barh([y - h / 2 for y in ys], cw, height=h, color=_CW, label="Cap weight")
    ax.set_yticks(ys, labels)
    for tick in ax.get_yticklabels():
        if tick.get_text() == ov.total_label:
            tick.set_fontweight("bold")
    ax.axvline(0, color=_INK, linewidth=0.8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    start = rows["start"].drop_nulls()
    since = f" since {start[0]}" if start.len() else " (not enough history)"
    ax.set_title(f"{ov.group_by.capitalize()} performance, {period}{since}", loc="left")
    ax.legend(loc="lower right", frameon=False)
    _style(ax)
    return fig


def breadth_chart(ov: MarketOverview) -> InlineFigure:
    """Three panels: advance/decline line, % above moving averages, new highs and lows."""
    b = ov.breadth
    dates = b["date"].to_list()
    fig = _figure(9.0, 7.5)
    ax1, ax2, ax3 = fig.subplots(3, 1, sharex=True, height_ratios=[1.0, 1.0, 0.8])
    ax1.plot(dates, b["ad_line"].to_list(), color=_INK, linewidth=1.3)
    ax1.set_title("Advance/decline line (running sum of advancers minus decliners)", loc="left")
    mas = [c for c in b.columns if c.startswith("pct_above_ma")]
    for col, colour in zip(mas, (_EW, _CW, _GREY), strict=False):
        ax2.plot(
            dates,
            b[col].to_list(),
            color=colour,
            linewidth=1.3,
            label=f"above {col.removeprefix('pct_above_ma')}-day MA",
        )
    ax2.set_ylim(0, 100)
    ax2.yaxis.set_major_formatter(PercentFormatter(100.0, decimals=0))
    ax2.set_title("Share of stocks above their moving average", loc="left")
    ax2.legend(loc="upper left", frameon=False, ncols=2)
    ax3.bar(dates, b["new_highs"].to_list(), color=_UP, width=1.0, label="new 52-week highs")
    ax3.bar(
        dates,
        [-v for v in b["new_lows"].to_list()],
        color=_DOWN,
        width=1.0,
        label="new 52-week lows",
    )
    ax3.axhline(0, color=_INK, linewidth=0.6)
    ax3.set_title("New 52-week highs (up) and lows (down)", loc="left")
    ax3.legend(loc="upper left", frameon=False, ncols=2)
    for ax in (ax1, ax2, ax3):
        _style(ax)
    fig.autofmt_xdate()
    return fig


def cumulative_chart(ov: MarketOverview) -> InlineFigure:
    """Cumulative equal-weight return of each group (thin) and the total (thick)."""
    fig = _figure(9.0, 5.5)
    ax = fig.add_subplot()
    lines = ov.cumulative.sort("group", "date").partition_by("group", as_dict=True)
    last = {key[0]: frame["cumulative_return"][-1] for key, frame in lines.items()}
    # tab20 rather than the default 10-colour cycle: 11 sectors must not share a colour.
    tab20 = matplotlib.colormaps["tab20"]
    palette = [tab20(k) for k in (*range(0, 20, 2), *range(1, 20, 2))]  # dark shades first
    ordered = sorted(lines.items(), key=lambda kv: -last[kv[0][0]])
    for i, ((group,), frame) in enumerate(ordered):
        is_total = group == ov.total_label
        ax.plot(
            frame["date"].to_list(),
            frame["cumulative_return"].to_list(),
            linewidth=2.6 if is_total else 1.1,
            color=_INK if is_total else palette[i % len(palette)],
            alpha=1.0 if is_total else 0.85,
            label=str(group),
            zorder=3 if is_total else 2,
        )
    ax.axhline(0, color=_GREY, linewidth=0.8)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(
        f"Cumulative equal-weight return by {ov.group_by} since {ov.window_start}", loc="left"
    )
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize="small")
    _style(ax)
    fig.autofmt_xdate()
    return fig
