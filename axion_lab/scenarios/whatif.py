"""What-if trades: apply proposed trades and compare the portfolio before and after.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scenarios import Portfolio, ProposedTrade, WhatIfAnalyzer
>>> market = load_market()
>>> stocks = market.universe(index="AX500")[:3]
>>> p = Portfolio.from_positions({stocks[0]: 100, stocks[1]: 50}, cash_cents=5_000_000)
>>> result = WhatIfAnalyzer(market).analyze(p, [ProposedTrade.buy(stocks[2], dollars=10_000)])
>>> result.after.cash_cents < result.before.cash_cents
True
>>> result.to_frame("summary")["metric"].to_list()[:3]
['value', 'cash', 'holdings']
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.scenarios.config import DEFAULT_LOOKBACK_DAYS, DEFAULT_MARKET_PROXY, FACTORS
from axion_lab.scenarios.display import ResultBase, html_table
from axion_lab.scenarios.ledger import Execution, execute_trades
from axion_lab.scenarios.models import Portfolio, ProposedTrade, TaxRates, TradingCosts
from axion_lab.scenarios.money import format_cents
from axion_lab.scenarios.profile import PortfolioProfile, profile_portfolio
from axion_lab.scenarios.risk import RiskModel, build_risk_model, factor_scores, resolve_as_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["RiskContext", "WhatIfAnalyzer", "WhatIfResult"]


class RiskContext:
    """Builds and caches risk models of one market as of one date (engines share it)."""

    def __init__(
        self,
        market: Market,
        *,
        as_of: DateLike | None = None,
        lookback_days: int = DEFAULT_LOOKBACK_DAYS,
        market_proxy: str = DEFAULT_MARKET_PROXY,
    ) -> None:
        self.market = market
        self.as_of = resolve_as_of(market, as_of)
        self.lookback_days = lookback_days
        self.market_proxy = market_proxy
        self._factors: pl.DataFrame | None = None
        self._models: dict[tuple[str, ...], RiskModel] = {}

    def model(self, symbols: Sequence[str]) -> RiskModel:
        """A risk model covering ``symbols`` (resolved, deduplicated, cached)."""
        syms = self.market.resolve_symbols(list(dict.fromkeys(symbols))) if symbols else []
        key = tuple(sorted(syms))
        for cached_key, model in self._models.items():
            if set(key) <= set(cached_key):
                return model
        if self._factors is None:
            self._factors = factor_scores(self.market, self.as_of)
        model = build_risk_model(
            self.market,
            list(key),
            as_of=self.as_of,
            lookback_days=self.lookback_days,
            market_proxy=self.market_proxy,
            factors=self._factors,
        )
        self._models[key] = model
        return model

    @property
    def data_label(self) -> str:
        """The market's label (says when the data is synthetic)."""
        return self.market.label

    @property
    def is_synthetic(self) -> bool:
        """Whether the market is the synthetic sandbox."""
        return self.market.is_synthetic


@dataclasses.dataclass(frozen=True, eq=False)
class WhatIfResult(ResultBase):
    """Before and after a set of trades.

    Tables: ``summary`` (metric, unit, before, after, change), ``positions``,
    ``sectors``, ``factors``, ``trades`` (one row per fill, money in cents).
    """

    TABLES: ClassVar[tuple[str, ...]] = ("summary", "positions", "sectors", "factors", "trades")
    KIND: ClassVar[str] = "what-if"

    before: PortfolioProfile
    after: PortfolioProfile
    portfolio_after: Portfolio
    execution: Execution
    data_label: str
    is_synthetic: bool

    @property
    def tax_cents(self) -> int:
        """Estimated tax on the realised gains of the sells."""
        return self.execution.tax_cents

    @property
    def costs_cents(self) -> int:
        """Spread and commissions of all the trades."""
        return self.execution.costs_cents

    @property
    def realised_cents(self) -> int:
        """Realised gain of the sells whose cost basis is known."""
        return self.execution.realised_cents

    def _table(self, name: str) -> pl.DataFrame:
        b, a = self.before, self.after
        if name == "summary":
            sb, sa = b.summary(), a.summary()
            units = {
                "total_cents": ("value", "$"),
                "cash_cents": ("cash", "$"),
                "holdings": ("holdings", "#"),
                "beta": ("beta", "x"),
                "volatility": ("volatility", "%"),
                "duration": ("duration", "years"),
                "income_cents": ("dividend income", "$/yr"),
                "dividend_yield": ("yield", "%"),
                "hhi": ("HHI", "x"),
                "effective_positions": ("effective positions", "#"),
                "largest_weight": ("largest weight", "%"),
            }
            rows = [
                (label, unit, float(sb[k]), float(sa[k]), float(sa[k]) - float(sb[k]))
                for k, (label, unit) in units.items()
            ]
            return pl.DataFrame(
                rows, schema=["metric", "unit", "before", "after", "change"], orient="row"
            )
        if name == "positions":
            cols = ["symbol", "name", "group", "shares", "value_cents", "weight"]
            return (
                b.positions.select(cols)
                .join(
                    a.positions.select(cols),
                    on="symbol",
                    how="full",
                    coalesce=True,
                    suffix="_after",
                )
                .select(
                    "symbol",
                    pl.coalesce("name", "name_after").alias("name"),
                    pl.coalesce("group", "group_after").alias("group"),
                    pl.col("shares").fill_null(0.0).alias("shares_before"),
                    pl.col("shares_after").fill_null(0.0),
                    pl.col("value_cents").fill_null(0).alias("value_before_cents"),
                    pl.col("value_cents_after").fill_null(0).alias("value_after_cents"),
                    pl.col("weight").fill_null(0.0).alias("weight_before"),
                    pl.col("weight_after").fill_null(0.0),
                )
                .with_columns(
                    (pl.col("weight_after") - pl.col("weight_before")).alias("weight_change")
                )
                .sort("weight_after", descending=True)
            )
        if name == "sectors":
            return (
                b.sector_weights()
                .join(a.sector_weights(), on="group", how="full", coalesce=True, suffix="_after")
                .select(
                    "group",
                    pl.col("weight").fill_null(0.0).alias("weight_before"),
                    pl.col("weight_after").fill_null(0.0),
                )
                .with_columns(
                    (pl.col("weight_after") - pl.col("weight_before")).alias("weight_change")
                )
                .sort("weight_after", descending=True)
            )
        if name == "factors":
            return pl.DataFrame(
                {
                    "factor": list(FACTORS),
                    "before": [b.factors[f] for f in FACTORS],
                    "after": [a.factors[f] for f in FACTORS],
                }
            ).with_columns((pl.col("after") - pl.col("before")).alias("exposure_change"))
        fills = self.execution.fills
        return pl.DataFrame(
            {
                "symbol": [f.symbol for f in fills],
                "action": [str(f.action) for f in fills],
                "shares": [f.shares for f in fills],
                "price": [f.price for f in fills],
                "gross_cents": [f.gross_cents for f in fills],
                "spread_cents": [f.spread_cents for f in fills],
                "commission_cents": [f.commission_cents for f in fills],
                "cash_cents": [f.cash_cents for f in fills],
                "realised_cents": [f.realised_cents for f in fills],
            },
            schema_overrides={"realised_cents": pl.Int64},
        )

    def headline(self) -> str:
        return (
            f"What-if: {len(self.execution.fills)} trade(s), costs "
            f"{format_cents(self.costs_cents)}, realised {format_cents(self.realised_cents)}, "
            f"estimated tax {format_cents(self.tax_cents)}; as of {self.before.as_of}"
        )

    def _html_tables(self) -> list[str]:
        summary = self._table("summary")
        rows = []
        for metric, unit, before, after, change in summary.iter_rows():
            rows.append(
                f"<tr><td>{metric}</td><td style='text-align:right'>{_fmt(unit, before)}</td>"
                f"<td style='text-align:right'>{_fmt(unit, after)}</td>"
                f"<td style='text-align:right'>{_fmt(unit, change, signed=True)}</td></tr>"
            )
        head = "<tr><th>metric</th><th>before</th><th>after</th><th>change</th></tr>"
        out = [f"<table><caption>summary</caption>{head}{''.join(rows)}</table>"]
        out.append(html_table(self._table("trades"), caption="trades"))
        out.append(html_table(self._table("sectors"), caption="sector weights"))
        return out

    def __repr__(self) -> str:
        return f"<WhatIfResult {self.headline()}>"

    def plot(self) -> Figure:
        """Weights before and after, by position."""
        from axion_lab.scenarios.plots import weights_chart

        return weights_chart(self._table("positions"))


def _fmt(unit: str, value: float, *, signed: bool = False) -> str:
    if math.isnan(value):
        return "–"
    if unit.startswith("$"):
        return format_cents(round(value))
    if unit == "%":
        return f"{value:+.2%}" if signed else f"{value:.2%}"
    return f"{value:+.3g}" if signed else f"{value:.3g}"


class WhatIfAnalyzer:
    """Try trades on a portfolio and see what changes.

    Parameters
    ----------
    market
        The data bundle, e.g. ``load_market()``.
    as_of
        Prices and estimates as of this date (default: the market's last session).
    costs, taxes
        :class:`TradingCosts` and :class:`TaxRates` (default: free, untaxed).
    allow_margin
        Allow buys beyond the cash held (cash goes negative).
    whole_shares
        Trade whole shares only (dollar amounts round down to whole shares).
    """

    def __init__(
        self,
        market: Market,
        *,
        as_of: DateLike | None = None,
        costs: TradingCosts | None = None,
        taxes: TaxRates | None = None,
        allow_margin: bool = False,
        whole_shares: bool = False,
        lookback_days: int = DEFAULT_LOOKBACK_DAYS,
        market_proxy: str = DEFAULT_MARKET_PROXY,
        context: RiskContext | None = None,
    ) -> None:
        self.context = context or RiskContext(
            market, as_of=as_of, lookback_days=lookback_days, market_proxy=market_proxy
        )
        self.costs = costs or TradingCosts()
        self.taxes = taxes or TaxRates()
        self.allow_margin = allow_margin
        self.whole_shares = whole_shares

    def profile(self, portfolio: Portfolio) -> PortfolioProfile:
        """Value and describe ``portfolio`` as of the analyzer's date."""
        return profile_portfolio(portfolio, self.context.model(portfolio.symbols))

    def analyze(self, portfolio: Portfolio, trades: Sequence[ProposedTrade]) -> WhatIfResult:
        """Apply ``trades`` and compare; raises :class:`TradeRefused` for impossible ones."""
        symbols = [*portfolio.symbols, *(t.symbol for t in trades)]
        model = self.context.model(symbols)
        model.require(symbols)
        prices = model.column("price")
        execution = execute_trades(
            portfolio,
            trades,
            prices,
            costs=self.costs,
            taxes=self.taxes,
            on=model.as_of,
            allow_margin=self.allow_margin,
            whole_shares=self.whole_shares,
        )
        return WhatIfResult(
            before=profile_portfolio(portfolio, model),
            after=profile_portfolio(execution.portfolio, model),
            portfolio_after=execution.portfolio,
            execution=execution,
            data_label=self.context.data_label,
            is_synthetic=self.context.is_synthetic,
        )
