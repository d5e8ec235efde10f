"""The ``portfolio_summary`` tool over :meth:`axion_lab.scenarios.ScenarioAnalyzer.profile`.

A portfolio comes as holdings in shares (plus cash), holdings by weight (bought at
the last close with ``value_cents``), one of the example portfolios, or, by default,
the user's session portfolio (weights). Money follows the copilot convention of
:mod:`axion_lab.copilot.tools_income`: ``*_cents`` exact, ``*_usd`` to quote.

Examples
--------
>>> from axion_lab.copilot.tools_portfolio import PortfolioSummaryParams
>>> PortfolioSummaryParams(holdings=[{"symbol": "ACME", "weight": 0.6}]).value_cents
100000000
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import polars as pl
from pydantic import Field, model_validator

from axion_lab.copilot.builtin_tools import _Params
from axion_lab.copilot.tools import Tool, ToolContext, ToolOutput, ToolRegistry
from axion_lab.copilot.tools_income import MONEY_NOTE, usd
from axion_lab.exceptions import InputError

if TYPE_CHECKING:
    from axion_lab.scenarios import Portfolio

__all__ = ["PortfolioHoldingParam", "PortfolioSummaryParams", "register_portfolio_tools"]

MAX_HOLDINGS: Final = 50


class PortfolioHoldingParam(_Params):
    """One holding: shares, or a weight (all holdings use the same one)."""

    symbol: str
    shares: float | None = Field(None, gt=0, description="Shares held.")
    weight: float | None = Field(None, ge=0, le=1, description="Fraction of the value.")

    @model_validator(mode="after")
    def _one_size(self) -> PortfolioHoldingParam:
        if (self.shares is None) == (self.weight is None):
            raise ValueError(f"give {self.symbol} either shares or weight")
        return self


class PortfolioSummaryParams(_Params):
    """A portfolio described: weights, sectors, beta, volatility, concentration, income."""

    holdings: list[PortfolioHoldingParam] | None = Field(
        None, max_length=MAX_HOLDINGS, description="Holdings; default the user's portfolio."
    )
    example: str | None = Field(
        None, description="Or an example portfolio: balanced, growth, income, tech_heavy."
    )
    value_cents: int = Field(
        100_000_000, gt=0, description="Value to buy weights with, in cents (default $1m)."
    )
    cash_cents: int = Field(0, ge=0, description="Cash beside holdings given in shares.")

    @model_validator(mode="after")
    def _one_kind(self) -> PortfolioSummaryParams:
        if self.holdings is not None and self.example is not None:
            raise ValueError("give holdings or example, not both")
        if self.holdings:
            kinds = {h.shares is None for h in self.holdings}
            if len(kinds) > 1:
                raise ValueError("give every holding in shares, or every holding by weight")
        return self


def _portfolio(ctx: ToolContext, p: PortfolioSummaryParams) -> Portfolio:
    from axion_lab.scenarios import Portfolio, example_portfolio, portfolio_from_weights

    m = ctx.market
    if p.example is not None:
        return example_portfolio(m, p.example, value_cents=p.value_cents)
    if p.holdings:
        if p.holdings[0].shares is not None:
            symbols = m.resolve_symbols([h.symbol for h in p.holdings])
            shares = {s: float(h.shares or 0.0) for s, h in zip(symbols, p.holdings, strict=True)}
            return Portfolio.from_positions(shares, cash_cents=p.cash_cents, name="Portfolio")
        weights = {h.symbol.upper(): float(h.weight or 0.0) for h in p.holdings}
    elif ctx.portfolio is not None and not ctx.portfolio.is_empty:
        weights = dict(zip(ctx.portfolio.symbols, ctx.portfolio.weights, strict=True))
    else:
        raise InputError(
            "Give holdings (symbol with shares or weight), an example portfolio, or set the "
            "user's portfolio."
        )
    return portfolio_from_weights(m, weights, value_cents=p.value_cents, name="Portfolio")


def _summary(ctx: ToolContext, p: PortfolioSummaryParams) -> ToolOutput:
    from axion_lab.scenarios import ScenarioAnalyzer

    portfolio = _portfolio(ctx, p)
    prof = ScenarioAnalyzer(ctx.market).profile(portfolio)
    head = prof.summary()
    positions = (
        prof.positions.select(
            "symbol",
            "name",
            "group",
            "shares",
            "price",
            "value_cents",
            (pl.col("value_cents") / 100).round(2).alias("value_usd"),
            "weight",
            "beta",
            "volatility",
            "income_cents",
            (pl.col("income_cents") / 100).round(2).alias("income_usd"),
        )
        .sort("weight", descending=True)
        .head(MAX_HOLDINGS)
    )
    sectors = prof.sector_weights().to_dicts()
    return ToolOutput(
        f"Portfolio summary as of {prof.as_of}: {positions.height} holdings; weights are "
        "fractions of the total including cash; group is the sector (asset class for "
        "non-equities); beta against the market proxy; volatility annualised; HHI of the "
        "invested weights (1/HHI = effective positions); income is expected annual dividends "
        f"from the trailing 12 months. {MONEY_NOTE}",
        data={
            "total_cents": prof.total_cents,
            "total_usd": usd(prof.total_cents),
            "cash_cents": prof.cash_cents,
            "cash_usd": usd(prof.cash_cents),
            "holdings": head["holdings"],
            "beta": prof.beta,
            "volatility": prof.volatility,
            "expected_income_cents": prof.income_cents,
            "expected_income_usd": usd(prof.income_cents),
            "dividend_yield": head["dividend_yield"],
            "hhi": prof.hhi,
            "effective_positions": head["effective_positions"],
            "largest_weight": head["largest_weight"],
            "sectors": sectors,
        },
        table=positions,
        as_of=ctx.market.end,
        source=f"{ctx.source}; axion_lab.scenarios ScenarioAnalyzer.profile",
    )


def register_portfolio_tools(registry: ToolRegistry) -> None:
    """Register ``portfolio_summary``."""
    registry.register(
        Tool(
            "portfolio_summary",
            "Describe a portfolio (holdings in shares or by weight, an example portfolio, or "
            "by default the user's): value, per-holding weights, sector exposures, beta, "
            "volatility, concentration (HHI, effective positions) and expected dividend income.",
            PortfolioSummaryParams,
            _summary,
            engine="axion_lab.scenarios",
        )
    )
