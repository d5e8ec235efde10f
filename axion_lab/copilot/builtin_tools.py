"""The workbench's engines as copilot tools: one parameter model and one engine call each.

Handlers only wire parameters to engines (the field snapshot, the market frames, the
market overview, the screener) and pick what to return; they compute nothing of
their own. The dividend, portfolio and scanner tools live in ``tools_income``,
``tools_portfolio`` and ``tools_scan``. Tools waiting on engines that have not landed
are listed in :data:`PENDING_TOOLS` and registered as pending.

Examples
--------
>>> from axion_lab.copilot.builtin_tools import default_registry
>>> registry = default_registry()
>>> "get_quote" in registry.names and "propose_trade_idea" in registry.names
True
>>> {"drip_simulation", "dividend_safety", "portfolio_summary"} <= set(registry.names)
True
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from axion_lab.copilot.ideas import TradeIdea, assess_suitability
from axion_lab.copilot.tools import Tool, ToolContext, ToolOutput, ToolRegistry
from axion_lab.exceptions import InputError

__all__ = [
    "DEFAULT_QUOTE_FIELDS",
    "PENDING_TOOLS",
    "FilterParam",
    "FundamentalsParams",
    "MarketOverviewParams",
    "PositionParam",
    "PriceHistoryParams",
    "ProposeTradeIdeaParams",
    "QuoteParams",
    "ScreenParams",
    "SearchFieldsParams",
    "StressTestParams",
    "default_registry",
]

DEFAULT_QUOTE_FIELDS: Final = (
    "name",
    "sector",
    "price",
    "prev_close",
    "ret_1",
    "volume",
    "market_cap",
    "pe_ratio",
    "dividend_yield",
    "rsi_14",
    "target_price",
)
_HISTORY_FIELDS: Final = (
    "price",
    "ret_21",
    "ret_63",
    "ret_252",
    "perf_ytd",
    "high_252",
    "low_252",
    "pct_from_high_252",
    "max_drawdown_1y",
    "realized_vol_60",
    "beta_252",
    "sma_50",
    "sma_200",
    "rsi_14",
)
_FUNDAMENTAL_COLUMNS: Final = (
    "period_end",
    "published",
    "fiscal_year",
    "fiscal_quarter",
    "revenue",
    "gross_profit",
    "operating_income",
    "net_income",
    "eps",
    "free_cash_flow",
    "total_debt",
    "cash",
    "shareholders_equity",
)

PENDING_TOOLS: Final[dict[str, str]] = {
    "run_scan": "axion_lab.scanner",
}
"""Tools that wait on an engine: name -> the module they call; registered ones drop out."""

_UNITS_NOTE = (
    "Units follow the field registry: 'fraction' fields are decimals (0.05 = 5%), "
    "'percent' fields are on a 0-100 scale (RSI), money in the instrument's currency."
)


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuoteParams(_Params):
    """Snapshot rows for a few symbols."""

    symbols: list[str] = Field(min_length=1, max_length=20, description="Ticker symbols.")
    fields: list[str] | None = Field(
        None,
        max_length=30,
        description="Field ids (see search_fields); default: price, change, valuation, RSI.",
    )


class FundamentalsParams(_Params):
    """Recent quarterly statements of one company."""

    symbol: str = Field(description="Ticker symbol.")
    quarters: int = Field(4, ge=1, le=12, description="Most recent published quarters.")


class PriceHistoryParams(_Params):
    """A price history summary of one symbol."""

    symbol: str = Field(description="Ticker symbol.")
    months: int = Field(12, ge=1, le=60, description="Month-end closes to return.")


class MarketOverviewParams(_Params):
    """A market (or sector, or index) overview."""

    sector: str | None = Field(None, description="One sector; null for the whole market.")
    index: str | None = Field(None, description="Only current members of this index.")
    lookback_days: int = Field(63, ge=5, le=756, description="Sessions for movers/breadth.")


class FilterParam(_Params):
    """One screen filter."""

    field: str = Field(description="Field id, e.g. 'pe_ratio' (see search_fields).")
    op: Literal["<", "<=", ">", ">=", "==", "!="] = Field(description="Comparison.")
    value: float | str | bool = Field(
        description="Threshold in the field's unit (fractions for yields), or another field."
    )


class ScreenParams(_Params):
    """A stock screen: a preset, or filters, optionally within a sector."""

    preset: str | None = Field(None, description="A preset screen key.")
    filters: list[FilterParam] = Field(default_factory=list, max_length=12)
    sector: str | None = Field(None, description="Restrict to one sector.")
    sort_by: str | None = Field(None, description="Field to sort by; default market cap.")
    columns: list[str] | None = Field(None, max_length=20, description="Field ids to show.")
    limit: int = Field(10, ge=1, le=50, description="Rows to return.")


class PositionParam(_Params):
    """One holding of a stress-tested portfolio."""

    symbol: str
    weight: float = Field(ge=0, le=1, description="Fraction of the portfolio's value.")


class StressTestParams(_Params):
    """A portfolio under a predefined stress scenario."""

    scenario: str = Field(description="A predefined scenario key, e.g. 'covid_2020'.")
    positions: list[PositionParam] | None = Field(
        None, max_length=50, description="Holdings by weight; default the user's portfolio."
    )
    value: float = Field(1_000_000.0, gt=0, description="Portfolio value in dollars.")


class SearchFieldsParams(_Params):
    """Find field ids by words."""

    text: str = Field(min_length=1, description="Words, e.g. 'dividend yield'.")
    limit: int = Field(10, ge=1, le=30)


class ProposeTradeIdeaParams(_Params):
    """A structured trade idea for the user (never executed)."""

    symbol: str
    direction: Literal["long", "short"]
    thesis: str = Field(description="Why, citing tool results like [T2].")
    entry: float = Field(gt=0)
    target: float = Field(gt=0)
    stop: float = Field(gt=0)
    horizon: Literal["short_term", "medium_term", "long_term"]
    risk_score: int = Field(description="0 (lowest risk) to 100 (highest).")
    supporting: list[str] = Field(
        default_factory=list, description="Ids of the tool results the idea rests on."
    )


def _quote(ctx: ToolContext, p: QuoteParams) -> ToolOutput:
    from axion_lab.fields import FIELD_REGISTRY, build_snapshot

    m = ctx.market
    fields = [FIELD_REGISTRY.resolve(f) for f in (p.fields or DEFAULT_QUOTE_FIELDS)]
    snap = build_snapshot(m, fields=fields, symbols=p.symbols)
    units = {f: FIELD_REGISTRY.get(f).unit for f in fields}
    return ToolOutput(
        f"Snapshot of {snap.height} symbol(s) as of {m.end.isoformat()}. {_UNITS_NOTE}",
        data={"units": units},
        table=snap,
        as_of=m.end,
    )


def _fundamentals(ctx: ToolContext, p: FundamentalsParams) -> ToolOutput:
    m = ctx.market
    (symbol,) = m.resolve_symbols(p.symbol)
    # `as_of` already hid statements published later; restatements keep the latest.
    rows = (
        m.fundamentals.filter(pl.col("symbol") == symbol)
        .sort("period_end", "published")
        .unique("period_end", keep="last", maintain_order=True)
        .tail(p.quarters)
        .select(_FUNDAMENTAL_COLUMNS)
    )
    if rows.height == 0:
        raise InputError(f"{symbol} has no published statements as of {m.end.isoformat()}.")
    name = m.instruments.filter(pl.col("symbol") == symbol)["name"].item()
    return ToolOutput(
        f"{rows.height} quarter(s) of statements of {symbol} ({name}); money in its currency.",
        data={"symbol": symbol, "name": name},
        table=rows,
        as_of=m.end,
    )


def _price_history(ctx: ToolContext, p: PriceHistoryParams) -> ToolOutput:
    from axion_lab.fields import FIELD_REGISTRY, build_snapshot

    m = ctx.market
    (symbol,) = m.resolve_symbols(p.symbol)
    snap = build_snapshot(m, fields=_HISTORY_FIELDS, symbols=[symbol])
    stats = snap.drop("symbol").row(0, named=True)
    months = (
        m.adjusted_bars("split", symbols=[symbol])
        .with_columns(pl.col("ts").dt.date().alias("date"))
        .group_by(pl.col("date").dt.truncate("1mo").alias("month"))
        .agg(pl.col("date").last(), pl.col("close").last())
        .sort("month")
        .tail(p.months)
        .select("date", "close")
    )
    units = {f: FIELD_REGISTRY.get(f).unit for f in _HISTORY_FIELDS}
    return ToolOutput(
        f"Price history of {symbol}: performance, range, volatility and month-end "
        f"split-adjusted closes. {_UNITS_NOTE}",
        data={"symbol": symbol, **stats, "units": units},
        table=months,
        as_of=m.end,
    )


def _overview(ctx: ToolContext, p: MarketOverviewParams) -> ToolOutput:
    from axion_lab.overview import market_overview

    ov = market_overview(ctx.market, sector=p.sector, index=p.index, lookback_days=p.lookback_days)
    perf = ov.to_frame("performance").select(
        "group", "period", "stocks", "equal_weight", "cap_weight"
    )
    last = ov.to_frame("breadth").tail(1).row(0, named=True) if ov.breadth.height else {}
    gainers = ov.to_frame("gainers").head(5).to_dicts()
    losers = ov.to_frame("losers").head(5).to_dicts()
    return ToolOutput(
        f"Overview of {ov.total_label} ({ov.stocks} stocks) as of {ov.as_of.isoformat()}: "
        "returns by group and period (decimals), breadth on the last session, top movers "
        f"over {ov.lookback_days} sessions.",
        data={"breadth": last, "gainers": gainers, "losers": losers},
        table=perf,
        as_of=ov.as_of,
    )


def _screen(ctx: ToolContext, p: ScreenParams) -> ToolOutput:
    from axion_lab.screener import FilterCondition, Screen, ScreenerEngine, Universe, get_preset

    if p.preset is None and not p.filters:
        raise InputError("Give a preset or at least one filter.")
    base = get_preset(p.preset) if p.preset else Screen("copilot screen")
    filters = (*base.filters, *(FilterCondition(f.field, f.op, f.value) for f in p.filters))
    universe = Universe.sector(p.sector) if p.sector else base.universe
    screen = base.replace(filters=filters, universe=universe)
    result = ScreenerEngine(ctx.market).run(
        screen, sort_by=p.sort_by, limit=p.limit, columns=p.columns
    )
    return ToolOutput(
        f"Screen {screen.describe()}: {result.matched} of {result.universe_size} match; "
        f"top {len(result)} shown.",
        data={"matched": result.matched, "universe_size": result.universe_size},
        table=result.to_polars(),
        as_of=result.as_of,
    )


def _stress_test(ctx: ToolContext, p: StressTestParams) -> ToolOutput:
    from axion_lab.scenarios import ScenarioAnalyzer, portfolio_from_weights

    if p.positions is not None:
        weights = {x.symbol.upper(): x.weight for x in p.positions}
    elif ctx.portfolio is not None and not ctx.portfolio.is_empty:
        weights = dict(zip(ctx.portfolio.symbols, ctx.portfolio.weights, strict=True))
    else:
        raise InputError("Give positions (symbol and weight), or set the user's portfolio.")
    m = ctx.market
    portfolio = portfolio_from_weights(m, weights, value_cents=round(p.value * 100))
    result = ScenarioAnalyzer(m).run(portfolio, p.scenario)
    return ToolOutput(
        f"Stress test {result.scenario.name!r} of a ${p.value:,.0f} portfolio: impact as a "
        "decimal fraction, P&L in dollars; per-holding rows follow.",
        data={
            "scenario": result.scenario.name,
            "impact": result.impact,
            "pnl": result.pnl_cents / 100,
            "value": result.total_cents / 100,
        },
        table=result.to_frame("holdings"),
        as_of=result.as_of,
    )


def _search_fields(ctx: ToolContext, p: SearchFieldsParams) -> ToolOutput:
    from axion_lab.fields import FIELD_REGISTRY

    hits = FIELD_REGISTRY.search(p.text, limit=p.limit)
    table = pl.DataFrame(
        {
            "id": [f.id for f in hits],
            "label": [f.label for f in hits],
            "unit": [f.unit for f in hits],
            "description": [f.description for f in hits],
        },
        schema={"id": pl.String, "label": pl.String, "unit": pl.String, "description": pl.String},
    )
    return ToolOutput(f"{table.height} field(s) matching {p.text!r}.", table=table, source="")


def _propose(ctx: ToolContext, p: ProposeTradeIdeaParams) -> ToolOutput:
    idea = TradeIdea(**p.model_dump())
    ctx.market.resolve_symbols(idea.symbol)
    idea = idea.with_warnings(assess_suitability(idea, ctx.risk_tolerance, ctx.style))
    ctx.ideas.append(idea)
    return ToolOutput(
        f"Idea recorded for the user (not executed): {idea.direction.value} {idea.symbol}."
        + (f" Suitability warnings: {' '.join(idea.warnings)}" if idea.warnings else ""),
        data={"reward_to_risk": idea.reward_to_risk, "warnings": list(idea.warnings)},
        source="copilot",
    )


def _scenario_names() -> list[str]:
    from axion_lab.scenarios import PREDEFINED_SCENARIOS

    return list(PREDEFINED_SCENARIOS)


def default_registry() -> ToolRegistry:
    """A registry of every tool whose engine has landed; the rest listed as pending."""
    from axion_lab.screener import PRESET_SCREENS

    registry = ToolRegistry()
    registry.pending.update(PENDING_TOOLS)
    registry.register(
        Tool(
            "get_quote",
            "Point-in-time snapshot rows (price, change, valuation, technicals, any field) "
            "for up to 20 symbols.",
            QuoteParams,
            _quote,
            engine="axion_lab.fields",
        )
    )
    registry.register(
        Tool(
            "get_fundamentals",
            "The most recent published quarterly statements of one company.",
            FundamentalsParams,
            _fundamentals,
            engine="axion_lab.data",
        )
    )
    registry.register(
        Tool(
            "get_price_history",
            "Price history summary of one symbol: 1/3/12-month and YTD returns, 52-week "
            "range, drawdown, volatility, beta, moving averages and month-end closes.",
            PriceHistoryParams,
            _price_history,
            engine="axion_lab.fields",
        )
    )
    registry.register(
        Tool(
            "market_overview",
            "Market, sector or index overview: returns by sector (or industry) over "
            "1W/1M/3M/YTD/1Y, breadth, top gainers and losers.",
            MarketOverviewParams,
            _overview,
            engine="axion_lab.overview",
        )
    )
    registry.register(
        Tool(
            "run_screen",
            "Screen stocks with a preset (" + ", ".join(PRESET_SCREENS) + ") and/or "
            "filters like {field: 'pe_ratio', op: '<', value: 15}.",
            ScreenParams,
            _screen,
            engine="axion_lab.screener",
        )
    )
    registry.register(
        Tool(
            "stress_test",
            "Apply a predefined stress scenario ("
            + ", ".join(_scenario_names())
            + ") to a portfolio given by weights (default: the user's portfolio).",
            StressTestParams,
            _stress_test,
            engine="axion_lab.scenarios",
        )
    )
    registry.register(
        Tool(
            "search_fields",
            "Find field ids (for get_quote and run_screen) by words.",
            SearchFieldsParams,
            _search_fields,
            engine="axion_lab.fields",
        )
    )
    registry.register(
        Tool(
            "propose_trade_idea",
            "Give the user a structured trade idea (advice only: nothing is executed). "
            "Long: target > entry > stop; short: target < entry < stop.",
            ProposeTradeIdeaParams,
            _propose,
            engine="axion_lab.copilot",
        )
    )
    from axion_lab.copilot.tools_income import register_income_tools
    from axion_lab.copilot.tools_portfolio import register_portfolio_tools

    register_income_tools(registry)
    register_portfolio_tools(registry)
    from axion_lab.copilot.tools_scan import register_scan_tools

    try:
        register_scan_tools(registry)
    except ModuleNotFoundError as exc:
        # Without the scanner package run_scan stays pending; any other missing module
        # is a real bug and surfaces.
        if exc.name != "axion_lab.scanner":
            raise
    return registry
