"""``BacktestResult``: the equity curve, holdings, per-period table, statistics and plots.

Frozen; renders itself in a notebook (``_repr_html_``); converts at the edge
(:meth:`~BacktestResult.to_frame`, :meth:`~BacktestResult.to_pandas`); plots return
:class:`~axion_lab.overview.plots.InlineFigure` objects: matplotlib Figures that show
themselves as PNG in Jupyter and in reports (nothing is shown or saved otherwise).

Statistics are computed on the daily returns of the (net of cost) equity curve with
:mod:`axion_lab.screener.backtest_stats` (quantstats conventions, ``rf=0``, 252
sessions a year). ``hit_rate`` is the share of rebalance periods in which the
portfolio beat the benchmark (or, without one, made money); ``turnover`` the mean
one-way turnover per rebalance and ``annual_turnover`` that times rebalances per year;
``cost_drag`` the CAGR lost to costs (gross CAGR minus net CAGR).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from axion_lab.screener.backtest_stats import (
    cagr,
    drawdown,
    max_drawdown,
    sharpe,
    sortino,
    volatility,
)

if TYPE_CHECKING:
    import pandas as pd

    from axion_lab.overview.plots import InlineFigure
    from axion_lab.screener.models import Screen

__all__ = ["BacktestConfig", "BacktestResult"]

_PER_YEAR = {"monthly": 12, "quarterly": 4}
_PCT = (
    "cagr",
    "volatility",
    "max_drawdown",
    "hit_rate",
    "turnover",
    "annual_turnover",
    "cost_drag",
    "total_return",
    "benchmark_cagr",
    "benchmark_volatility",
    "benchmark_max_drawdown",
    "excess_cagr",
)


@dataclass(frozen=True)
class BacktestConfig:
    """The options a backtest ran with (dates resolved to sessions)."""

    start: dt.date
    """The first rebalance session (the equity curve starts here at 1.0)."""
    end: dt.date
    rebalance: str
    top_n: int
    rank_by: str
    ascending: bool
    weighting: str
    cost_bps: float
    benchmark: str | None
    prices: str


def _stats(
    equity: pl.DataFrame, periods: pl.DataFrame, cost_drag: float, rebalance: str
) -> dict[str, float]:
    curve = equity["equity"].to_numpy()
    # Returns start from the initial capital (1.0), so the first rebalance's cost,
    # paid on the first session, is in the series.
    r = equity["returns"].to_numpy()
    out = {
        "total_return": float(curve[-1] - 1.0),
        "cagr": cagr(r),
        "volatility": volatility(r),
        "sharpe": sharpe(r),
        "sortino": sortino(r),
        "max_drawdown": max_drawdown(r),
    }
    dates = equity["date"].to_list()
    starts = periods["rebalance_date"].to_list()
    index = {d: i for i, d in enumerate(dates)}
    bounds = [index[d] for d in starts] + [len(dates) - 1]
    before = np.concatenate([[1.0], curve[1:]])  # the value the first period starts from
    port = np.array([curve[b] / before[a] - 1.0 for a, b in itertools.pairwise(bounds)])
    bench = equity["benchmark"]
    if bench.null_count() == 0:
        b = bench.to_numpy()
        br = b / np.concatenate([[1.0], b[:-1]]) - 1.0
        ref = np.array([b[j] / b[i] - 1.0 for i, j in itertools.pairwise(bounds)])
        out |= {
            "benchmark_cagr": cagr(br),
            "benchmark_volatility": volatility(br),
            "benchmark_sharpe": sharpe(br),
            "benchmark_max_drawdown": max_drawdown(br),
        }
        out["excess_cagr"] = out["cagr"] - out["benchmark_cagr"]
    else:
        ref = np.zeros_like(port)
    out["hit_rate"] = float(np.mean(port > ref)) if port.size else math.nan
    turnover = periods["turnover"].to_numpy()
    # The first rebalance buys from cash: it is set-up, not turnover.
    later = turnover[1:] if turnover.size > 1 else turnover
    out["turnover"] = float(later.mean()) if later.size else 0.0
    out["annual_turnover"] = out["turnover"] * _PER_YEAR[rebalance]
    out["cost_drag"] = float(cost_drag)
    out["periods"] = float(len(starts))
    out["avg_holdings"] = float(periods["held"].cast(pl.Float64).mean() or 0.0)  # type: ignore[arg-type]
    return out


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """What :meth:`ScreenBacktester.run` returns."""

    screen: Screen
    config: BacktestConfig
    equity: pl.DataFrame
    """Per session: date, equity (net of costs; the initial capital is 1.0, so the first
    session shows the first rebalance's cost), gross_equity, benchmark, drawdown, returns."""
    holdings: pl.DataFrame
    """Per rebalance and holding: rebalance_date, symbol, weight, rank_value."""
    periods: pl.DataFrame
    """Per rebalance: rebalance_date, matched, held, turnover (one-way), cost (fraction)."""
    delisted: pl.DataFrame
    """Holdings sold because their bars ended: date, symbol."""
    stats: dict[str, float]
    source: str
    is_synthetic: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        screen: Screen,
        config: BacktestConfig,
        equity: pl.DataFrame,
        holdings: pl.DataFrame,
        periods: pl.DataFrame,
        delisted: pl.DataFrame,
        cost_drag: float,
        source: str,
        is_synthetic: bool,
        timings: dict[str, float],
    ) -> BacktestResult:
        """Assemble a result, adding drawdown and returns columns and the statistics."""
        curve = np.concatenate([[1.0], equity["equity"].to_numpy()])
        equity = equity.with_columns(
            pl.Series("drawdown", drawdown(curve)[1:]),
            pl.Series("returns", curve[1:] / curve[:-1] - 1.0),
        )
        return cls(
            screen=screen,
            config=config,
            equity=equity,
            holdings=holdings,
            periods=periods,
            delisted=delisted,
            stats=_stats(equity, periods, cost_drag, config.rebalance),
            source=source,
            is_synthetic=is_synthetic,
            timings=timings,
        )

    @property
    def rebalance_dates(self) -> list[dt.date]:
        """The rebalance sessions."""
        return self.periods["rebalance_date"].to_list()

    @property
    def returns(self) -> pl.Series:
        """Daily returns of the net equity curve (the first from the initial 1.0)."""
        return self.equity["returns"]

    def holdings_at(self, date: dt.date) -> list[str]:
        """The symbols bought at the rebalance on ``date``."""
        return self.holdings.filter(pl.col("rebalance_date") == date)["symbol"].to_list()

    def to_frame(self) -> pl.DataFrame:
        """The daily equity curve as a polars frame."""
        return self.equity

    to_polars = to_frame

    def to_pandas(self) -> pd.DataFrame:
        """The daily equity curve as a pandas frame indexed by date."""
        import pandas as pd

        out = self.equity.to_pandas().set_index("date")
        out.index = pd.DatetimeIndex(out.index)
        return out

    def stats_frame(self) -> pl.DataFrame:
        """The statistics as a two-column frame (metric, value)."""
        return pl.DataFrame(
            {"metric": list(self.stats), "value": list(self.stats.values())},
            schema={"metric": pl.String, "value": pl.Float64},
        )

    # --- plots ----------------------------------------------------------------------
    def plot_equity(self, *, log: bool = False) -> InlineFigure:
        """Equity against the benchmark (both start at 1.0)."""
        from axion_lab.overview.plots import InlineFigure

        fig = InlineFigure(figsize=(9, 4))
        ax = fig.subplots()
        dates = self.equity["date"].to_list()
        ax.plot(dates, self.equity["equity"].to_list(), label=self.screen.name, lw=1.4)
        if self.config.benchmark is not None:
            ax.plot(
                dates,
                self.equity["benchmark"].to_list(),
                label=self.config.benchmark,
                lw=1.0,
                color="0.45",
            )
        if log:
            ax.set_yscale("log")
        ax.set_title(
            f"{self.screen.name}: top {self.config.top_n} by {self.config.rank_by}", loc="left"
        )
        ax.set_ylabel("growth of 1")
        ax.legend(loc="upper left")
        ax.grid(alpha=0.3)
        fig.autofmt_xdate()
        return fig

    def plot_drawdown(self) -> InlineFigure:
        """The drawdown of the equity curve (and the benchmark's)."""
        from axion_lab.overview.plots import InlineFigure

        fig = InlineFigure(figsize=(9, 2.8))
        ax = fig.subplots()
        dates = self.equity["date"].to_list()
        ax.fill_between(
            dates, self.equity["drawdown"].to_list(), 0.0, alpha=0.4, label=self.screen.name
        )
        if self.config.benchmark is not None:
            bench = drawdown(self.equity["benchmark"].to_numpy())
            ax.plot(dates, bench.tolist(), color="0.45", lw=1.0, label=self.config.benchmark)
        ax.set_title(f"{self.screen.name}: drawdown", loc="left")
        ax.set_ylabel("drawdown")
        ax.legend(loc="lower left")
        ax.grid(alpha=0.3)
        fig.autofmt_xdate()
        return fig

    def plot(self) -> InlineFigure:
        """Equity (top) and drawdown (bottom) in one figure."""
        from axion_lab.overview.plots import InlineFigure

        fig = InlineFigure(figsize=(9, 6))
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
        dates = self.equity["date"].to_list()
        top.plot(dates, self.equity["equity"].to_list(), label=self.screen.name)
        if self.config.benchmark is not None:
            top.plot(
                dates, self.equity["benchmark"].to_list(), color="0.45", label=self.config.benchmark
            )
        top.set_title(
            f"{self.screen.name}: top {self.config.top_n} by {self.config.rank_by}", loc="left"
        )
        top.legend(loc="upper left")
        top.grid(alpha=0.3)
        bottom.fill_between(dates, self.equity["drawdown"].to_list(), 0.0, alpha=0.4)
        bottom.grid(alpha=0.3)
        fig.autofmt_xdate()
        return fig

    # --- display ----------------------------------------------------------------------
    def _fmt(self, key: str) -> str:
        value = self.stats.get(key, math.nan)
        if not math.isfinite(value):
            return "—"
        return f"{value:.2%}" if key in _PCT else f"{value:,.2f}"

    def __repr__(self) -> str:
        c = self.config
        return (
            f"<BacktestResult {self.screen.name!r} {c.start}..{c.end}: CAGR "
            f"{self._fmt('cagr')}, Sharpe {self._fmt('sharpe')}, max DD "
            f"{self._fmt('max_drawdown')}; top {c.top_n} by {c.rank_by}, {c.rebalance}>"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        c = self.config
        keys = [
            k
            for k in (
                "total_return",
                "cagr",
                "benchmark_cagr",
                "excess_cagr",
                "volatility",
                "sharpe",
                "sortino",
                "max_drawdown",
                "hit_rate",
                "turnover",
                "annual_turnover",
                "cost_drag",
                "avg_holdings",
            )
            if k in self.stats
        ]
        rows = "".join(
            f"<tr><td>{esc(k)}</td><td style='text-align:right'>{self._fmt(k)}</td></tr>"
            for k in keys
        )
        warn = (
            "<p style='color:#a15c00'><b>Synthetic data:</b> every company and number here "
            "is fictional.</p>"
            if self.is_synthetic
            else ""
        )
        last = self.rebalance_dates[-1]
        latest = ", ".join(self.holdings_at(last))
        bench = f" vs {esc(c.benchmark)}" if c.benchmark else ""
        return (
            f"<div><b>{esc(self.screen.name)}</b>: top {c.top_n} by {esc(c.rank_by)}, "
            f"{c.weighting}-weighted, {c.rebalance}, {c.cost_bps:g} bps, {c.prices}-return "
            f"prices, {c.start} .. {c.end}{bench}<br><small>{esc(self.source)}</small>{warn}"
            f"<table><tr><th>metric</th><th>value</th></tr>{rows}</table>"
            f"<details><summary>Latest holdings ({last})</summary>{esc(latest)}</details></div>"
        )
