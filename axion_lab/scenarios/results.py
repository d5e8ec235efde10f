"""Frozen results of the :class:`~axion_lab.scenarios.ScenarioAnalyzer`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import polars as pl

from axion_lab.scenarios.display import ResultBase, html_table
from axion_lab.scenarios.impact import DRIVERS
from axion_lab.scenarios.models import Scenario
from axion_lab.scenarios.money import format_cents

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ReplayResult", "ReverseStressResult", "ScenarioComparison", "ScenarioResult"]

_HOLDING_COLUMNS = (
    "symbol",
    "name",
    "group",
    "value_cents",
    "weight",
    "beta",
    "duration",
    *DRIVERS,
    "impact",
    "pnl_cents",
)


@dataclasses.dataclass(frozen=True, eq=False)
class ScenarioResult(ResultBase):
    """A scenario applied to a portfolio.

    Tables: ``holdings`` (per-holding drivers, impact and P&L), ``drivers`` (P&L by
    driver), ``shocks`` (the scenario's shocks). ``impact`` is the P&L over the
    whole portfolio's value, cash included.
    """

    TABLES: ClassVar[tuple[str, ...]] = ("holdings", "drivers", "shocks")
    KIND: ClassVar[str] = "scenario"

    scenario: Scenario
    portfolio_name: str
    as_of: dt.date
    total_cents: int
    holdings: pl.DataFrame
    data_label: str
    is_synthetic: bool

    @property
    def pnl_cents(self) -> int:
        """Profit (negative: loss) of the whole portfolio, in cents."""
        return int(self.holdings["pnl_cents"].sum())

    @property
    def impact(self) -> float:
        """P&L as a fraction of the portfolio's value (cash included)."""
        return self.pnl_cents / self.total_cents if self.total_cents else 0.0

    def _table(self, name: str) -> pl.DataFrame:
        if name == "holdings":
            return self.holdings.select(_HOLDING_COLUMNS).sort("pnl_cents")
        if name == "drivers":
            # Each driver's P&L is rounded on its own, so they may differ from the
            # total by a few cents; the total row is the exact sum of holdings.
            values = self.holdings["value_cents"].cast(pl.Float64)
            rows = [(d, round(float((values * self.holdings[d]).sum()))) for d in DRIVERS]
            rows.append(("total", self.pnl_cents))
            frame = pl.DataFrame(rows, schema=["driver", "pnl_cents"], orient="row")
            return frame.with_columns(
                (pl.col("pnl_cents") / (self.total_cents or 1)).alias("impact")
            )
        shocks = self.scenario.shocks()
        return pl.DataFrame(
            {"shock": list(shocks), "value": list(shocks.values())},
            schema={"shock": pl.String, "value": pl.Float64},
        )

    def headline(self) -> str:
        return (
            f"{self.scenario.title}: {self.impact:+.2%} ({format_cents(self.pnl_cents)}) on "
            f"{self.portfolio_name} ({format_cents(self.total_cents)}) as of {self.as_of}"
        )

    def _html_tables(self) -> list[str]:
        drivers = self._table("drivers").filter(pl.col("pnl_cents") != 0)
        holdings = self._table("holdings").select(
            "symbol",
            "name",
            "weight",
            "beta",
            "market",
            "sector",
            "factors",
            "rates",
            "credit",
            "impact",
            "pnl_cents",
        )
        return [
            html_table(drivers, caption="P&L by driver"),
            html_table(holdings, caption="Holdings, worst first", max_rows=15),
        ]

    def __repr__(self) -> str:
        return f"<ScenarioResult {self.headline()}>"

    def plot(self) -> Figure:
        """Waterfall of P&L by driver, ending at the total."""
        from axion_lab.scenarios.plots import waterfall_chart

        return waterfall_chart(self._table("drivers"), title=self.scenario.title)

    def plot_holdings(self, n: int = 15) -> Figure:
        """Bar chart of the ``n`` largest per-holding P&Ls (by size)."""
        from axion_lab.scenarios.plots import holdings_chart

        return holdings_chart(self._table("holdings"), title=self.scenario.title, n=n)


@dataclasses.dataclass(frozen=True, eq=False)
class ScenarioComparison(ResultBase):
    """Several scenarios applied to one portfolio (``summary``: one row per scenario)."""

    TABLES: ClassVar[tuple[str, ...]] = ("summary",)
    KIND: ClassVar[str] = "scenario comparison"

    portfolio_name: str
    results: tuple[ScenarioResult, ...]
    data_label: str
    is_synthetic: bool

    def __getitem__(self, name: str) -> ScenarioResult:
        for r in self.results:
            if r.scenario.name == name:
                return r
        from axion_lab.exceptions import UnknownNameError

        raise UnknownNameError.for_name("scenario", name, [r.scenario.name for r in self.results])

    def _table(self, name: str) -> pl.DataFrame:
        rows = []
        for r in self.results:
            worst = r.holdings.sort("pnl_cents").row(0, named=True) if r.holdings.height else {}
            rows.append(
                {
                    "scenario": r.scenario.name,
                    "title": r.scenario.title,
                    "kind": str(r.scenario.kind),
                    "market": r.scenario.market,
                    "impact": r.impact,
                    "pnl_cents": r.pnl_cents,
                    "worst_holding": worst.get("symbol"),
                    "worst_impact": worst.get("impact"),
                }
            )
        return pl.DataFrame(
            rows,
            schema={
                "scenario": pl.String,
                "title": pl.String,
                "kind": pl.String,
                "market": pl.Float64,
                "impact": pl.Float64,
                "pnl_cents": pl.Int64,
                "worst_holding": pl.String,
                "worst_impact": pl.Float64,
            },
        )

    def headline(self) -> str:
        return f"{len(self.results)} scenarios on {self.portfolio_name}"

    def _html_tables(self) -> list[str]:
        return [html_table(self._table("summary").drop("scenario"), caption="impact by scenario")]

    def __repr__(self) -> str:
        return f"<ScenarioComparison {self.headline()}>"

    def plot(self) -> Figure:
        """Horizontal bars: portfolio impact under each scenario."""
        from axion_lab.scenarios.plots import scenario_bars_chart

        return scenario_bars_chart(self._table("summary"), title=self.portfolio_name)


@dataclasses.dataclass(frozen=True, eq=False)
class ReplayResult(ResultBase):
    """A portfolio run through the actual path of a window of the market's history.

    Tables: ``path`` (date, value as a multiple of the start, drawdown),
    ``holdings`` (symbol, proxy used or null, weight, return, contribution),
    ``proxies`` (which holdings had no data and what stood in for them).
    """

    TABLES: ClassVar[tuple[str, ...]] = ("holdings", "path", "proxies")
    KIND: ClassVar[str] = "replay"

    title: str
    portfolio_name: str
    start: dt.date
    end: dt.date
    total_return: float
    max_drawdown: float
    predicted: float | None
    holdings: pl.DataFrame
    path: pl.DataFrame
    proxies: pl.DataFrame
    data_label: str
    is_synthetic: bool

    @property
    def proxied(self) -> tuple[str, ...]:
        """Holdings that were replayed through a proxy."""
        return tuple(self.proxies["symbol"].to_list())

    def headline(self) -> str:
        model = (
            f"; the shock model predicted {self.predicted:+.2%}"
            if self.predicted is not None
            else ""
        )
        proxies = f"; {len(self.proxied)} holding(s) proxied" if self.proxied else ""
        return (
            f"Replay {self.title} ({self.start}..{self.end}): {self.total_return:+.2%}, "
            f"max drawdown {self.max_drawdown:.2%}{model}{proxies}"
        )

    def _html_tables(self) -> list[str]:
        out = [html_table(self.holdings, caption="holdings over the window")]
        if self.proxies.height:
            out.append(html_table(self.proxies, caption="proxies used"))
        return out

    def __repr__(self) -> str:
        return f"<ReplayResult {self.headline()}>"

    def plot(self) -> Figure:
        """The portfolio's value through the window, with its drawdown."""
        from axion_lab.scenarios.plots import path_chart

        return path_chart(self.path, title=self.headline())


@dataclasses.dataclass(frozen=True, eq=False)
class ReverseStressResult(ResultBase):
    """The smallest market shock that loses ``loss`` of the portfolio, and its result."""

    TABLES: ClassVar[tuple[str, ...]] = ("summary",)
    KIND: ClassVar[str] = "reverse stress"

    loss: float
    market_shock: float
    portfolio_beta: float
    method: str
    result: ScenarioResult
    data_label: str
    is_synthetic: bool

    def _table(self, name: str) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "loss": [self.loss],
                "market_shock": [self.market_shock],
                "portfolio_beta": [self.portfolio_beta],
                "method": [self.method],
                "achieved": [self.result.impact],
            }
        )

    def headline(self) -> str:
        return (
            f"A market move of {self.market_shock:+.2%} loses {self.loss:.2%} of "
            f"{self.result.portfolio_name} (beta {self.portfolio_beta:.2f}; {self.method})"
        )

    def _html_tables(self) -> list[str]:
        return self.result._html_tables()

    def __repr__(self) -> str:
        return f"<ReverseStressResult {self.headline()}>"
