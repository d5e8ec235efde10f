"""Charts of dividend results, as :class:`matplotlib.figure.Figure` objects.

No pyplot: figures are built directly (no global state, no ``%matplotlib``), and
render themselves as PNG in Jupyter and in reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from matplotlib.ticker import FuncFormatter

from axion_lab.overview.plots import InlineFigure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from axion_lab.dividends.drip import DripResult, MonteCarloResult
    from axion_lab.dividends.income import PortfolioIncome
    from axion_lab.dividends.safety import SafetyReport

__all__ = ["drip_chart", "income_chart", "monte_carlo_chart", "safety_chart"]

_DRIP, _CASH = "#1f77b4", "#ff7f0e"
_DOLLARS = FuncFormatter(lambda v, _: f"${v:,.0f}")


def _figure(
    width: float, height: float, rows: int = 1, cols: int = 1
) -> tuple[InlineFigure, list[Axes]]:
    fig = InlineFigure(figsize=(width, height), layout="constrained")
    fig.set_facecolor("white")
    axes = [fig.add_subplot(rows, cols, i + 1) for i in range(rows * cols)]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
    return fig, axes


def income_chart(income: PortfolioIncome) -> InlineFigure:
    """Stacked monthly income by holding (dollars)."""
    fig, (ax,) = _figure(9, 3.6)
    months = income.monthly()["month"].to_list()
    bottom = [0.0] * len(months)
    wide = income.by_month.pivot("symbol", index="month", values="income_cents").fill_null(0)
    wide = pl.DataFrame({"month": months}).join(wide, on="month", how="left").fill_null(0)
    for symbol in [c for c in wide.columns if c != "month"]:
        values = [v / 100 for v in wide[symbol].to_list()]
        ax.bar(months, values, width=20, bottom=bottom, label=symbol)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.yaxis.set_major_formatter(_DOLLARS)
    ax.set_title(f"Projected dividend income by pay month, from {income.today}", loc="left")
    ax.legend(ncols=4, fontsize=8, frameon=False)
    return fig


def drip_chart(result: DripResult) -> InlineFigure:
    """Portfolio value, shares and monthly income over time; DRIP beside cash."""
    fig, (value_ax, shares_ax, income_ax) = _figure(9, 8, rows=3)
    totals = result.totals()
    shares = result.timeline.group_by("strategy", "date").agg(pl.col("shares").sum())
    for strategy, colour in (("drip", _DRIP), ("cash", _CASH)):
        rows = totals.filter(pl.col("strategy") == strategy)
        label = "DRIP" if strategy == "drip" else "Take cash"
        value_ax.plot(rows["date"], rows["value_cents"] / 100, color=colour, label=label)
        s = shares.filter(pl.col("strategy") == strategy).sort("date")
        shares_ax.plot(s["date"], s["shares"], color=colour, label=label)
        yearly = (
            rows.group_by(pl.col("date").dt.year().alias("year"))
            .agg(pl.col("income_cents").sum())
            .sort("year")
        )
        offset = -0.2 if strategy == "drip" else 0.2
        income_ax.bar(
            [y + offset for y in yearly["year"]],
            yearly["income_cents"] / 100,
            width=0.4,
            color=colour,
            label=label,
        )
    value_ax.set_title(
        f"Portfolio value ({result.mode}, {result.start} to {result.end})", loc="left"
    )
    value_ax.yaxis.set_major_formatter(_DOLLARS)
    shares_ax.set_title("Shares held (all holdings)", loc="left")
    income_ax.set_title("Dividends received per year (gross)", loc="left")
    income_ax.yaxis.set_major_formatter(_DOLLARS)
    value_ax.legend(frameon=False)
    return fig


def monte_carlo_chart(result: MonteCarloResult) -> InlineFigure:
    """Median value with 5-95% and 25-75% bands by year, DRIP beside cash."""
    fig, (ax, income_ax) = _figure(9, 6.5, rows=2)
    for strategy, colour in (("drip", _DRIP), ("cash", _CASH)):
        label = "DRIP" if strategy == "drip" else "Take cash"
        for axis, metric in ((ax, "value_cents"), (income_ax, "income_cents")):
            b = result.bands.filter(
                (pl.col("strategy") == strategy) & (pl.col("metric") == metric)
            ).sort("year")
            years = b["year"].to_list()
            axis.fill_between(years, b["p5"] / 100, b["p95"] / 100, color=colour, alpha=0.12)
            axis.fill_between(years, b["p25"] / 100, b["p75"] / 100, color=colour, alpha=0.25)
            axis.plot(years, b["p50"] / 100, color=colour, label=f"{label} (median)")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_DOLLARS)
    ax.set_title(f"Portfolio value, {result.paths:,} paths (bands 5-95% and 25-75%)", loc="left")
    income_ax.yaxis.set_major_formatter(_DOLLARS)
    income_ax.set_title("Dividends received per year (gross)", loc="left")
    income_ax.set_xlabel("Year")
    ax.legend(frameon=False)
    return fig


def safety_chart(report: SafetyReport, symbol: str) -> InlineFigure:
    """Factor points of ``symbol``'s safety score (bars against each factor's maximum)."""
    from axion_lab.dividends.config import SAFETY_WEIGHTS

    points = report.contributions(symbol)
    row = report.scores.filter(pl.col("symbol") == symbol.upper()).row(0, named=True)
    fig, (ax,) = _figure(7, 3.4)
    names = list(points)
    ax.barh(names, [SAFETY_WEIGHTS[n] for n in names], color="#e0e0e0", label="maximum")
    ax.barh(names, [points[n] for n in names], color=_DRIP, label="points")
    ax.invert_yaxis()
    rate = row.get("band_cut_rate")
    measured = f"; band cut rate {rate:.1%}" if rate is not None else ""
    ax.set_title(f"{symbol.upper()}: safety {row['score']} ({row['rating']}){measured}", loc="left")
    ax.legend(frameon=False, loc="lower right")
    return fig
