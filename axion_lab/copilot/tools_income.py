"""Dividend tools: ``drip_simulation`` and ``dividend_safety`` over :mod:`axion_lab.dividends`.

Money convention of every copilot tool result: engines keep ledger money in integer
cents, and a result carries each amount twice, ``*_cents`` (the exact integer the
engine returned) and ``*_usd`` (the same amount in dollars, ``cents / 100``). The
number checker reads ``$1,234.56`` as dollars, so answers quote the ``*_usd`` field
and verify; a ``*_cents`` value is never rescaled by the checker (that would let any
number times a hundred pass).

Examples
--------
>>> from axion_lab.copilot.tools_income import usd
>>> usd(123456)
1234.56
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from typing import TYPE_CHECKING, Any, Final, Literal

import polars as pl
from pydantic import Field, model_validator

from axion_lab.copilot.builtin_tools import _Params
from axion_lab.copilot.tools import Tool, ToolContext, ToolOutput, ToolRegistry
from axion_lab.exceptions import InputError

if TYPE_CHECKING:
    from axion_lab.data.market import Market
    from axion_lab.dividends import TrackRecord

__all__ = [
    "MONEY_NOTE",
    "DividendSafetyParams",
    "DripHoldingParam",
    "DripSimulationParams",
    "register_income_tools",
    "usd",
]

MONEY_NOTE: Final = (
    "Money: *_cents fields are exact integer cents; *_usd fields are the same amounts in "
    "dollars: quote the *_usd values. Fractions are decimals (0.05 = 5%)."
)
MAX_SAFETY_SYMBOLS: Final = 20

# The track record scores every payer at several past dates (seconds on the sandbox);
# it depends only on the market bundle, so one measurement serves every call on it.
_TRACK_RECORDS: weakref.WeakKeyDictionary[Market, TrackRecord] = weakref.WeakKeyDictionary()


def usd(cents: int) -> float:
    """Integer cents as dollars (``123456`` -> ``1234.56``), for answers to quote."""
    return round(cents / 100, 2)


class DripHoldingParam(_Params):
    """One starting position of a DRIP simulation."""

    symbol: str
    shares: float = Field(gt=0, description="Shares held at the start.")


class DripSimulationParams(_Params):
    """DRIP beside taking cash: holdings (or a symbol and an amount) over some years."""

    holdings: list[DripHoldingParam] | None = Field(
        None, max_length=20, description="Starting positions in shares."
    )
    symbol: str | None = Field(None, description="Or one symbol, bought for amount_cents.")
    amount_cents: int | None = Field(
        None,
        gt=0,
        description="Money to invest, in cents (100000 = $1,000): in `symbol`, or split by "
        "the user's portfolio weights when neither holdings nor symbol is given.",
    )
    years: int = Field(10, ge=1, le=40, description="Years to simulate.")
    mode: Literal["forward", "history"] = Field(
        "forward",
        description="forward: project from today at price_growth; history: replay the "
        "last `years` years of actual prices and dividends.",
    )
    monthly_contribution_cents: int = Field(0, ge=0, description="Added every month, in cents.")
    fractional: bool = Field(True, description="Reinvest into fractional shares (else whole).")
    account: Literal["taxable", "tax_deferred", "tax_free"] = "taxable"
    price_growth: float = Field(
        0.06, ge=-0.5, le=0.5, description="Forward mode: annual price growth (0.06 = 6%)."
    )
    dividend_growth: float | None = Field(
        None,
        ge=-0.5,
        le=0.5,
        description="Forward mode: annual dividend growth; null uses each holding's "
        "5-year dividend CAGR capped to -5%..10%.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> DripSimulationParams:
        if self.holdings is not None and (self.symbol is not None or self.amount_cents):
            raise ValueError("give holdings, or symbol with amount_cents, not both")
        if self.symbol is not None and self.amount_cents is None:
            raise ValueError("a symbol needs amount_cents (money to invest, in cents)")
        return self


class DividendSafetyParams(_Params):
    """Dividend safety scores of current payers."""

    symbols: list[str] = Field(
        min_length=1, max_length=MAX_SAFETY_SYMBOLS, description="Ticker symbols."
    )
    track_record: bool = Field(
        True, description="Attach each band's measured cut rate (how often it cut within 12m)."
    )


def _start_prices(market: Market, symbols: list[str], day: dt.date | None) -> dict[str, float]:
    """As-traded close of each symbol on the first session on/after ``day`` (else the last)."""
    from axion_lab.dividends.inputs import closes

    frame = closes(market, symbols)
    if day is not None:
        frame = frame.filter(pl.col("day") >= day)
    pick = frame.group_by("symbol").agg(
        (pl.col("close").first() if day is not None else pl.col("close").last()).alias("close")
    )
    prices = dict(pick.iter_rows())
    for s in symbols:
        if s not in prices:
            raise InputError(f"{s} has no price to buy it at; pick another symbol or date.")
    return prices


def _drip_holdings(
    ctx: ToolContext, p: DripSimulationParams, start: dt.date | None
) -> tuple[str, int | None]:
    """Holdings text (``SYM:SHARES, ...``) for the simulator, and the cents it invests."""
    m = ctx.market
    if p.holdings is not None:
        return ", ".join(f"{h.symbol}:{h.shares!r}" for h in p.holdings), None
    if p.amount_cents is None:
        raise InputError(
            "Give holdings (symbol and shares), or a symbol with amount_cents, or amount_cents "
            "to split by the user's portfolio weights."
        )
    if p.symbol is not None:
        budget = {m.resolve_symbols(p.symbol)[0]: 1.0}
    elif ctx.portfolio is not None and not ctx.portfolio.is_empty:
        budget = dict(zip(ctx.portfolio.symbols, ctx.portfolio.weights, strict=True))
    else:
        raise InputError("Give a symbol with amount_cents, or holdings, or set a portfolio.")
    prices = _start_prices(m, list(budget), start)
    parts = []
    for sym, weight in budget.items():
        shares = p.amount_cents * weight / 100 / prices[sym]
        if not p.fractional:
            shares = math.floor(shares)
        if shares <= 0:
            raise InputError(
                f"${p.amount_cents * weight / 100:,.2f} buys no whole share of {sym} at "
                f"${prices[sym]:,.2f}; raise amount_cents or set fractional=true."
            )
        parts.append(f"{sym}:{shares!r}")
    # Portfolio weights may leave cash aside: only the weighted part is invested.
    return ", ".join(parts), round(p.amount_cents * min(1.0, sum(budget.values())))


def _drip(ctx: ToolContext, p: DripSimulationParams) -> ToolOutput:
    from axion_lab.dividends import DRIPSimulator

    m = ctx.market
    sim = DRIPSimulator(m)
    start = None
    if p.mode == "history":
        start = max(m.start, m.end - dt.timedelta(days=round(365.25 * p.years)))
    holdings, invested = _drip_holdings(ctx, p, start)
    common: dict[str, Any] = {
        "fractional": p.fractional,
        "monthly_contribution": f"{p.monthly_contribution_cents / 100:.2f}",
        "account": p.account,
    }
    if start is not None:
        result = sim.history(holdings, start=start, **common)
    else:
        result = sim.forward(
            holdings,
            years=p.years,
            price_growth=p.price_growth,
            dividend_growth=p.dividend_growth,
            **common,
        )
    comparison = result.comparison().with_columns(
        (pl.col(c) / 100).round(2).alias(c.removesuffix("_cents") + "_usd")
        for c in ("value_cents", "income_cents", "tax_cents", "contributions_cents", "cash_cents")
    )
    drip, cash = result.final("drip"), result.final("cash")
    gain = drip["value_cents"] - cash["value_cents"]
    yearly = (
        result.totals()
        .with_columns(pl.col("date").dt.year().alias("year"))
        .group_by("strategy", "year")
        .agg(pl.col("date").last(), pl.col("value_cents").last())
        .pivot("strategy", index=["year", "date"], values="value_cents")
        .sort("year")
    )
    return ToolOutput(
        f"{p.mode.capitalize()} DRIP vs cash {result.start}..{result.end}, {p.account} account, "
        f"{'fractional' if p.fractional else 'whole'} shares: reinvesting "
        f"ends at ${usd(drip['value_cents']):,.2f}, taking cash at "
        f"${usd(cash['value_cents']):,.2f}. {MONEY_NOTE}",
        data={
            "mode": p.mode,
            "start": result.start,
            "end": result.end,
            "account": p.account,
            "fractional": p.fractional,
            "holdings": [{"symbol": h.symbol, "shares": h.shares} for h in result.holdings],
            "monthly_contribution_usd": usd(p.monthly_contribution_cents),
            "invested_usd": usd(invested) if invested is not None else None,
            "drip_final_value_cents": drip["value_cents"],
            "cash_final_value_cents": cash["value_cents"],
            "drip_final_value_usd": usd(drip["value_cents"]),
            "cash_final_value_usd": usd(cash["value_cents"]),
            "drip_advantage_usd": usd(gain),
            "drip_advantage": gain / cash["value_cents"] if cash["value_cents"] else None,
            "year_end_values_usd": [
                {
                    "year": r["year"],
                    "date": r["date"],
                    "drip_usd": usd(r["drip"]),
                    "cash_usd": usd(r["cash"]),
                }
                for r in yearly.iter_rows(named=True)
            ],
        },
        table=comparison,
        as_of=m.end,
        source=f"{ctx.source}; axion_lab.dividends DRIPSimulator.{p.mode}",
    )


def track_record_for(market: Market) -> TrackRecord:
    """The safety score's track record on ``market`` (measured once per market bundle)."""
    from axion_lab.dividends import SafetyAnalyzer

    record = _TRACK_RECORDS.get(market)
    if record is None:
        record = SafetyAnalyzer(market).track_record()
        _TRACK_RECORDS[market] = record
    return record


def _safety(ctx: ToolContext, p: DividendSafetyParams) -> ToolOutput:
    from axion_lab.dividends import SafetyAnalyzer
    from axion_lab.dividends.config import SAFETY_WEIGHTS

    m = ctx.market
    record = track_record_for(m) if p.track_record else False
    report = SafetyAnalyzer(m).analyze(p.symbols, track_record=record)
    asked = m.resolve_symbols(p.symbols)
    table = report.scores.with_columns(pl.col("missing").list.join(", "))
    unscored = sorted(set(asked) - set(table["symbol"].to_list()))
    data: dict[str, Any] = {"max_points": dict(SAFETY_WEIGHTS), "unscored": unscored}
    tr = report.track_record
    if tr is not None:
        data["track_record"] = tr.by_band.to_dicts()
        data["track_record_dates"] = (
            {"first": tr.dates[0], "last": tr.dates[-1], "count": len(tr.dates)} if tr.dates else {}
        )
    return ToolOutput(
        f"Dividend safety as of {report.today}: score 0-100 = sum of the pts_* factor points "
        "(max points in data.max_points); rating is the band; band_cut_rate is the share of "
        "payers in that band that cut or suspended within 12 months, measured point in time "
        "on history (null without a track record). Ratios are decimals or multiples; streak "
        "is years of raises."
        + (f" Not current payers (not scored): {', '.join(unscored)}." if unscored else ""),
        data=data,
        table=table,
        as_of=report.today,
        source=f"{ctx.source}; axion_lab.dividends SafetyAnalyzer",
    )


def register_income_tools(registry: ToolRegistry) -> None:
    """Register ``drip_simulation`` and ``dividend_safety``."""
    registry.register(
        Tool(
            "drip_simulation",
            "Reinvesting dividends (DRIP) beside taking them in cash, for holdings in shares, "
            "or a symbol and an amount in cents: forward projection or a replay of the last "
            "years, monthly contributions in cents, fractional or whole shares, account type. "
            "Returns final values, income and taxes in cents and dollars.",
            DripSimulationParams,
            _drip,
            engine="axion_lab.dividends",
        )
    )
    registry.register(
        Tool(
            "dividend_safety",
            "Dividend safety score (0-100) of current payers with its band, the points each "
            "factor contributes (payout ratios, coverage, leverage, stability, streak, sector) "
            "and the band's measured cut rate.",
            DividendSafetyParams,
            _safety,
            engine="axion_lab.dividends",
        )
    )
