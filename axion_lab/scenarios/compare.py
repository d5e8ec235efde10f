"""Two or more portfolios side by side: exposures, risk, income, scenarios, history.

Historical performance is buy-and-hold of each portfolio's current weights over
a window where every holding of every portfolio has data (total-return prices;
cash earns nothing), so the portfolios are compared on the same days.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scenarios import Portfolio, PortfolioComparer
>>> market = load_market()
>>> a = Portfolio.from_positions({"AXLG": 100}, name="Stocks")
>>> b = Portfolio.from_positions({"AXLG": 60, "AXAG": 200}, name="Balanced")
>>> cmp = PortfolioComparer(market).compare([a, b], scenarios=["covid_2020"])
>>> cmp.to_frame("scenarios").columns
['scenario', 'title', 'Stocks', 'Balanced']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import DateRangeError, InputError
from axion_lab.scenarios.analyzer import ScenarioAnalyzer
from axion_lab.scenarios.config import (
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_MARKET_PROXY,
    FACTORS,
    TRADING_DAYS,
)
from axion_lab.scenarios.display import ResultBase, html_table
from axion_lab.scenarios.models import Portfolio, Scenario
from axion_lab.scenarios.presets import PREDEFINED_SCENARIOS, get_scenario
from axion_lab.scenarios.profile import PortfolioProfile, profile_portfolio
from axion_lab.scenarios.risk import price_panel, resolve_as_of
from axion_lab.scenarios.whatif import RiskContext

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PortfolioComparer", "PortfolioComparison"]


@dataclasses.dataclass(frozen=True, eq=False)
class PortfolioComparison(ResultBase):
    """Portfolios compared. Tables: ``summary``, ``sectors``, ``factors``,
    ``scenarios``, ``performance``, ``values`` (growth of $1 over the window)."""

    TABLES: ClassVar[tuple[str, ...]] = (
        "summary",
        "sectors",
        "factors",
        "scenarios",
        "performance",
        "values",
    )
    KIND: ClassVar[str] = "portfolio comparison"

    profiles: tuple[PortfolioProfile, ...]
    summary: pl.DataFrame
    sectors: pl.DataFrame
    factors: pl.DataFrame
    scenarios: pl.DataFrame
    performance: pl.DataFrame
    values: pl.DataFrame
    data_label: str
    is_synthetic: bool

    @property
    def names(self) -> list[str]:
        """Portfolio names, in order."""
        return [p.name for p in self.profiles]

    def headline(self) -> str:
        window = ""
        if self.values.height:
            window = f"; history {self.values['date'][0]}..{self.values['date'][-1]}"
        return f"Comparing {', '.join(self.names)} as of {self.profiles[0].as_of}{window}"

    def _html_tables(self) -> list[str]:
        return [
            html_table(self.summary, caption="summary"),
            html_table(self.scenarios.drop("scenario"), caption="scenario impact"),
            html_table(self.performance, caption="historical performance"),
        ]

    def __repr__(self) -> str:
        return f"<PortfolioComparison {self.headline()}>"

    def plot(self) -> Figure:
        """Scenario impacts, grouped by scenario."""
        from axion_lab.scenarios.plots import grouped_bars_chart

        return grouped_bars_chart(self.scenarios, self.names, title="Scenario impact")

    def plot_history(self) -> Figure:
        """Growth of $1 in each portfolio over the common window."""
        from axion_lab.scenarios.plots import lines_chart

        return lines_chart(self.values, title="Growth of $1", ylabel="value")


class PortfolioComparer:
    """Compare portfolios as of one date, with one risk model."""

    def __init__(
        self,
        market: Market,
        *,
        as_of: DateLike | None = None,
        lookback_days: int = DEFAULT_LOOKBACK_DAYS,
        market_proxy: str = DEFAULT_MARKET_PROXY,
        context: RiskContext | None = None,
    ) -> None:
        self.context = context or RiskContext(
            market, as_of=as_of, lookback_days=lookback_days, market_proxy=market_proxy
        )
        self.market = self.context.market

    def compare(
        self,
        portfolios: Sequence[Portfolio],
        *,
        scenarios: Iterable[str | Scenario] | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
        history_days: int = 3 * TRADING_DAYS,
    ) -> PortfolioComparison:
        """Compare ``portfolios`` (at least two, with distinct names).

        ``start``/``end`` set the history window; by default the last
        ``history_days`` sessions to the as-of date, cut to when every holding has data.
        """
        if len(portfolios) < 2:
            raise InputError("Compare at least two portfolios.")
        names = [p.name for p in portfolios]
        if len(set(names)) != len(names):
            raise InputError(f"Portfolio names must differ to label the columns: {names}.")
        model = self.context.model([s for p in portfolios for s in p.symbols])
        profiles = tuple(profile_portfolio(p, model) for p in portfolios)
        chosen = [get_scenario(s) for s in (scenarios or PREDEFINED_SCENARIOS.values())]
        analyzer = ScenarioAnalyzer(self.market, context=self.context)
        impacts = {p.name: [analyzer.run(p, s).impact for s in chosen] for p in portfolios}
        scen = pl.DataFrame(
            {"scenario": [s.name for s in chosen], "title": [s.title for s in chosen], **impacts}
        )
        values, perf = self._history(portfolios, profiles, start, end, history_days)
        return PortfolioComparison(
            profiles=profiles,
            summary=pl.DataFrame([{"portfolio": pr.name, **pr.summary()} for pr in profiles]),
            sectors=_wide([pr.sector_weights() for pr in profiles], names, "group", "weight"),
            factors=pl.DataFrame(
                {
                    "factor": list(FACTORS),
                    **{pr.name: [pr.factors[f] for f in FACTORS] for pr in profiles},
                }
            ),
            scenarios=scen,
            performance=perf,
            values=values,
            data_label=self.context.data_label,
            is_synthetic=self.context.is_synthetic,
        )

    def _history(
        self,
        portfolios: Sequence[Portfolio],
        profiles: Sequence[PortfolioProfile],
        start: DateLike | None,
        end: DateLike | None,
        history_days: int,
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        stop = resolve_as_of(self.market, end) if end else self.context.as_of
        days = self.market.trading_days.filter(self.market.trading_days <= stop)
        if start:
            lo = resolve_as_of(self.market, start)
        else:
            first = days[max(0, len(days) - history_days - 1)]
            assert isinstance(first, dt.date)
            lo = first
        symbols = sorted({s for p in portfolios for s in p.symbols})
        closes = price_panel(self.market, symbols, lo, stop)
        listed = closes.filter(pl.all_horizontal(pl.col(symbols).is_not_null()))
        if listed.height < 2:
            raise DateRangeError(
                f"No common window in {lo}..{stop} where every holding has data; "
                "pass a later start."
            )
        common = listed["date"][0]
        closes = closes.filter(pl.col("date") >= common).with_columns(
            pl.col(symbols).forward_fill()
        )
        series: dict[str, np.ndarray] = {}
        rows = []
        years = max((closes["date"][-1] - closes["date"][0]).days / 365.25, 1e-9)
        for pr in profiles:
            weights = dict(pr.positions.select("symbol", "weight").iter_rows())
            cash = pr.cash_cents / pr.total_cents if pr.total_cents else 0.0
            v = np.full(closes.height, cash)
            for s, w in weights.items():
                col = closes[s].to_numpy().astype(float)
                v += w * col / col[0]
            series[pr.name] = v
            rets = v[1:] / v[:-1] - 1.0
            rows.append(
                {
                    "portfolio": pr.name,
                    "total_return": float(v[-1] / v[0] - 1.0),
                    "cagr": float((v[-1] / v[0]) ** (1 / years) - 1.0),
                    "volatility": float(np.std(rets, ddof=1) * math.sqrt(TRADING_DAYS)),
                    "max_drawdown": float((v / np.maximum.accumulate(v) - 1.0).min()),
                }
            )
        values = pl.DataFrame({"date": closes["date"], **series})
        return values, pl.DataFrame(rows)


def _wide(frames: list[pl.DataFrame], names: list[str], key: str, value: str) -> pl.DataFrame:
    out: pl.DataFrame | None = None
    for frame, name in zip(frames, names, strict=True):
        f = frame.select(key, pl.col(value).alias(name))
        out = f if out is None else out.join(f, on=key, how="full", coalesce=True)
    assert out is not None
    return out.fill_null(0.0).sort(names[0], descending=True)
