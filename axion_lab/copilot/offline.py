"""The offline analyst: the same tools, a fixed plan per analysis type, templated prose.

Used when no API key is configured, when ``CopilotConfig(offline=True)``, or as the
fallback when the API is unreachable and ``on_unreachable="offline"``. It calls the
same registry tools a model would, writes the answer from the templates
``offline_<type>.md.j2`` with every number cited, and says plainly, first thing,
that no language model was used. It proposes no trade ideas: an idea needs judgement
the templates do not pretend to have.

Plans: a portfolio question runs ``get_quote`` and ``portfolio_summary`` (and, when it
asks about dividends or income, ``dividend_safety`` and ``drip_simulation`` on the
holdings); a dividend or income question about named stocks runs ``get_quote``,
``dividend_safety`` and ``drip_simulation`` (``offline_income.md.j2``); other stock
questions run quote, price history and fundamentals; the rest, the market overview.

Examples
--------
>>> from axion_lab.copilot.offline import detect_symbols
>>> detect_symbols("Compare ACME with $bolt, and the cash?", ["ACME", "BOLT", "CASH"])
('ACME', 'BOLT')
>>> asks_about_income("Is the dividend safe?"), asks_about_income("How is ACME?")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Final

from axion_lab.copilot.config import AnalysisType, CopilotConfig, InvestmentStyle, RiskTolerance
from axion_lab.copilot.models import (
    AnalysisRequest,
    MarketContext,
    PortfolioContext,
    ToolCallRecord,
)
from axion_lab.copilot.prompts import PromptBuilder
from axion_lab.copilot.tools import ToolContext, ToolRegistry
from axion_lab.exceptions import InputError

__all__ = ["OfflineAnalyst", "asks_about_income", "detect_sector", "detect_symbols"]

MAX_SYMBOLS: Final = 3
DRIP_AMOUNT_CENTS: Final = 1_000_000
"""What the offline income plan invests per stock in its DRIP run ($10,000)."""
DRIP_YEARS: Final = 10
DRIP_PRICE_GROWTH: Final = 0.06
_INCOME_WORDS: Final = re.compile(
    r"\b(?:dividends?|income|yields?|drip|payouts?|reinvest\w*|distributions?)\b", re.IGNORECASE
)
_HIGH_VOL: Final = 0.40
_LOW_PE: Final = 15.0
_HIGH_PE: Final = 30.0


def detect_symbols(text: str, known: Iterable[str]) -> tuple[str, ...]:
    """Known ticker symbols mentioned in ``text``, in order of mention.

    A ticker counts when written in capitals (``ABC``) or as a cashtag in any case
    (``$abc``): ordinary words such as "the" or "all" must not be read as tickers
    even where a fictional company happens to trade under them.

    >>> detect_symbols("Is the dividend of THE safe? And $abc?", {"THE", "ABC", "IS"})
    ('THE', 'ABC')
    """
    pool = set(known)
    found: list[str] = []
    for match in re.finditer(r"(\$?)([A-Za-z][A-Za-z0-9.]{0,9})", text):
        cashtag, word = match.group(1), match.group(2).rstrip(".")
        if len(word) < 2 or word.upper() not in pool:
            continue
        if cashtag or word.isupper():
            found.append(word.upper())
    return tuple(dict.fromkeys(found))


def asks_about_income(text: str) -> bool:
    """True when ``text`` asks about dividends, income, yield or reinvesting."""
    return _INCOME_WORDS.search(text) is not None


def detect_sector(text: str, sectors: Iterable[str]) -> str | None:
    """The first sector named in ``text`` (case-insensitive), else None."""
    low = text.lower()
    hits = [(low.find(s.lower()), s) for s in sectors if s and s.lower() in low]
    return min(hits)[1] if hits else None


def _profile_notes(
    tolerance: RiskTolerance, style: InvestmentStyle, facts: list[dict[str, Any]]
) -> list[str]:
    """Plain-words remarks on fit; they carry no numbers (nothing to cite)."""
    notes: list[str] = []
    for f in facts:
        sym = f.get("symbol", "")
        vol = f.get("realized_vol_60")
        pe = f.get("pe_ratio")
        dy = f.get("dividend_yield")
        rsi = f.get("rsi_14")
        if isinstance(vol, float) and vol > _HIGH_VOL and tolerance is not RiskTolerance.AGGRESSIVE:
            notes.append(f"{sym} is volatile for a {tolerance.value} profile; size it small.")
        if style is InvestmentStyle.VALUE and isinstance(pe, float):
            word = "cheap" if pe < _LOW_PE else "expensive" if pe > _HIGH_PE else "fairly priced"
            notes.append(f"On earnings {sym} looks {word} for a value investor.")
        if style is InvestmentStyle.INCOME:
            pays = isinstance(dy, float) and dy > 0
            notes.append(f"{sym} {'pays' if pays else 'pays no'} dividend income.")
        if style is InvestmentStyle.MOMENTUM and isinstance(rsi, float):
            state = "overbought" if rsi > 70 else "oversold" if rsi < 30 else "neutral"
            notes.append(f"{sym}'s RSI reads {state}.")
    if not notes:
        notes.append(
            "Nothing here stands out against the profile; check the cited results before acting."
        )
    notes.append("This is research, not advice: nothing has been traded.")
    return notes


class OfflineAnalyst:
    """Answers a request with a fixed tool plan and the offline templates."""

    def __init__(self, registry: ToolRegistry, prompts: PromptBuilder) -> None:
        self.registry = registry
        self.prompts = prompts

    def answer(
        self,
        request: AnalysisRequest,
        context: ToolContext,
        config: CopilotConfig,
        *,
        next_id: Callable[[], str],
        reason: str = "",
    ) -> tuple[str, list[ToolCallRecord]]:
        """The answer's Markdown and the tool calls it cites."""
        records: list[ToolCallRecord] = []

        def call(tool: str, params: dict[str, Any]) -> ToolCallRecord:
            rec = self.registry.execute(tool, params, context, call_id=next_id())
            records.append(rec)
            return rec

        market = context.market
        base = {
            "market": MarketContext.from_market(market),
            "risk_tolerance": config.risk_tolerance,
            "style": config.style,
            "reason": reason,
        }
        kind = request.analysis_type
        income = asks_about_income(request.question)
        symbols = request.symbols or detect_symbols(request.question, market.symbols)
        if kind is AnalysisType.PORTFOLIO:
            text = self._portfolio(context.portfolio, call, base, income=income)
        elif income and symbols:
            text = self._income(symbols[:MAX_SYMBOLS], call, base)
        elif kind is AnalysisType.STOCK:
            text = self._stock(request, context, call, base)
        else:
            text = self._market(request, context, call, base)
        return text, records

    def _stock(
        self,
        request: AnalysisRequest,
        context: ToolContext,
        call: Callable[[str, dict[str, Any]], ToolCallRecord],
        base: dict[str, Any],
    ) -> str:
        market = context.market
        symbols = request.symbols or detect_symbols(request.question, market.symbols)
        if not symbols:
            raise InputError(
                "A stock analysis needs a symbol: name one in the question or pass symbols=[...]."
            )
        symbols = symbols[:MAX_SYMBOLS]
        quote = call("get_quote", {"symbols": list(symbols)})
        if quote.is_error:
            raise InputError(quote.error or "The quote failed.")
        by_symbol = {r["symbol"]: r for r in quote.rows}
        stocks, facts = [], []
        for sym in symbols:
            history = call("get_price_history", {"symbol": sym})
            funda = call("get_fundamentals", {"symbol": sym, "quarters": 1})
            q = by_symbol.get(sym.upper(), {})
            stocks.append(
                {
                    "symbol": sym.upper(),
                    "quote": _Row(q),
                    "quote_id": quote.id,
                    "as_of": quote.as_of.isoformat() if quote.as_of else "",
                    "history": None if history.is_error else _Row(history.data),
                    "history_id": history.id,
                    "trend_words": "" if history.is_error else _trend(history.data),
                    "latest": None if funda.is_error or not funda.rows else _Row(funda.rows[-1]),
                    "fundamentals_id": funda.id,
                }
            )
            facts.append({**q, **({} if history.is_error else history.data)})
        notes = _profile_notes(base["risk_tolerance"], base["style"], facts)
        return self.prompts.render(
            "offline_stock.md.j2", stocks=stocks, profile_notes=notes, **base
        )

    def _market(
        self,
        request: AnalysisRequest,
        context: ToolContext,
        call: Callable[[str, dict[str, Any]], ToolCallRecord],
        base: dict[str, Any],
    ) -> str:
        sectors = [s for s in context.market.instruments["sector"].unique().to_list() if s]
        sector = detect_sector(request.sector or request.question, sectors) or request.sector
        if request.analysis_type is AnalysisType.SECTOR and sector is None:
            raise InputError(
                "A sector analysis needs a sector: name one in the question or pass sector=..."
            )
        ov = call("market_overview", {"sector": sector} if sector else {})
        if ov.is_error:
            raise InputError(ov.error or "The market overview failed.")
        month = [r for r in ov.rows if r["period"] == "1M"]
        year = {r["group"]: r for r in ov.rows if r["period"] == "1Y"}
        total_label = month[0]["group"] if month else "Market"
        groups = sorted(
            (r for r in month if r["group"] != total_label and r["equal_weight"] is not None),
            key=lambda r: r["equal_weight"],
        )
        total = {
            "group": total_label,
            "period_1M": month[0]["equal_weight"] if month else None,
            "period_1Y": year.get(total_label, {}).get("equal_weight"),
        }
        screen = None
        if sector:
            rec = call(
                "run_screen",
                {
                    "filters": [{"field": "price", "op": ">", "value": 0}],
                    "sector": sector,
                    "columns": ["name", "market_cap", "pe_ratio"],
                    "limit": 5,
                },
            )
            if not rec.is_error:
                rows = [_Row({"pe_ratio": None, "name": "", **r}) for r in rec.rows]
                screen = {"id": rec.id, "rows": rows}
        return self.prompts.render(
            "offline_market.md.j2",
            overview_title=f"{sector} overview" if sector else "Market overview",
            overview_id=ov.id,
            total=total,
            best=groups[::-1][:3],
            worst=groups[:3],
            group_word="industries" if sector else "sectors",
            breadth=_Row(ov.data.get("breadth") or {}) if ov.data.get("breadth") else None,
            gainers=ov.data.get("gainers") or [],
            losers=ov.data.get("losers") or [],
            screen=screen,
            sector=sector,
            profile_notes=_profile_notes(base["risk_tolerance"], base["style"], []),
            **base,
        )

    def _portfolio(
        self,
        portfolio: PortfolioContext | None,
        call: Callable[[str, dict[str, Any]], ToolCallRecord],
        base: dict[str, Any],
        *,
        income: bool = False,
    ) -> str:
        if portfolio is None or portfolio.is_empty:
            raise InputError(
                "A portfolio analysis needs holdings: pass portfolio='AAA:0.6, BBB:0.4'."
            )
        quote = call("get_quote", {"symbols": list(portfolio.symbols)})
        if quote.is_error:
            raise InputError(quote.error or "The quote failed.")
        summary = call("portfolio_summary", {})
        weights = {} if summary.is_error else {r["symbol"]: r for r in summary.rows}
        rows = [_Row({**r, "position": _Row(weights.get(r["symbol"], {}))}) for r in quote.rows]
        notes = _profile_notes(base["risk_tolerance"], base["style"], list(quote.rows))
        dividends = None
        if income:
            dividends = self._dividends(
                list(portfolio.symbols),
                {"amount_cents": summary.data.get("total_cents")} if not summary.is_error else {},
                call,
            )
        return self.prompts.render(
            "offline_portfolio.md.j2",
            portfolio=portfolio,
            rows=rows,
            quote_id=quote.id,
            summary=None if summary.is_error else _Row(summary.data),
            summary_id=summary.id,
            summary_error=summary.error,
            dividends=dividends,
            profile_notes=notes,
            **base,
        )

    def _income(
        self,
        symbols: tuple[str, ...],
        call: Callable[[str, dict[str, Any]], ToolCallRecord],
        base: dict[str, Any],
    ) -> str:
        quote = call("get_quote", {"symbols": list(symbols)})
        if quote.is_error:
            raise InputError(quote.error or "The quote failed.")
        by_symbol = {r["symbol"]: _Row(r) for r in quote.rows}
        dividends = self._dividends(list(symbols), None, call)
        notes = _profile_notes(base["risk_tolerance"], base["style"], list(quote.rows))
        return self.prompts.render(
            "offline_income.md.j2",
            symbols=symbols,
            quotes=[by_symbol.get(s, _Row({"symbol": s})) for s in symbols],
            quote_id=quote.id,
            dividends=dividends,
            profile_notes=notes,
            **base,
        )

    def _dividends(
        self,
        symbols: list[str],
        portfolio_drip: dict[str, Any] | None,
        call: Callable[[str, dict[str, Any]], ToolCallRecord],
    ) -> dict[str, Any]:
        """Safety of every symbol; a DRIP run per symbol, or one for the whole portfolio.

        ``portfolio_drip`` holds the amount to split by the portfolio's weights (None:
        one $10,000 run per symbol).
        """
        safety = call("dividend_safety", {"symbols": symbols})
        scored = {} if safety.is_error else {r["symbol"]: r for r in safety.rows}
        bands = {b["rating"]: _Row(b) for b in safety.data.get("track_record") or []}
        max_points = safety.data.get("max_points") or {}
        safe_rows = []
        for sym in symbols:
            row = scored.get(sym.upper())
            if row is None:
                continue
            factors = [
                {"label": k.replace("_", " "), "points": row[f"pts_{k}"], "max": v}
                for k, v in max_points.items()
            ]
            safe_rows.append(
                _Row(
                    {
                        **row,
                        "label": str(row["rating"]).replace("_", " "),
                        "factors": factors,
                        "band": bands.get(row["rating"]),
                    }
                )
            )
        unscored = [s for s in symbols if s.upper() not in scored]
        common = {
            "years": DRIP_YEARS,
            "price_growth": DRIP_PRICE_GROWTH,
            "monthly_contribution_cents": 0,
        }
        drips = []
        if portfolio_drip is not None:
            if portfolio_drip.get("amount_cents"):
                rec = call("drip_simulation", {**portfolio_drip, **common})
                drips.append(("the portfolio", rec))
        else:
            # A DRIP of a stock that pays nothing says nothing: run the payers when any.
            for sym in [r["symbol"] for r in safe_rows] or symbols:
                rec = call(
                    "drip_simulation",
                    {"symbol": sym, "amount_cents": DRIP_AMOUNT_CENTS, **common},
                )
                drips.append((sym.upper(), rec))
        return {
            "safety_id": safety.id,
            "safety_error": safety.error,
            "scored": safe_rows,
            "unscored": unscored,
            "drips": [
                {
                    "label": label,
                    "id": rec.id,
                    "error": rec.error,
                    "data": _Row(rec.data),
                    "drip": _Row(rec.rows[0]) if rec.rows else None,
                    "cash": _Row(rec.rows[1]) if len(rec.rows) > 1 else None,
                }
                for label, rec in drips
            ],
            "years": DRIP_YEARS,
            "price_growth": DRIP_PRICE_GROWTH,
        }


class _Row(dict[str, Any]):
    """A dict whose keys templates read as attributes; a missing key reads None."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


def _trend(history: dict[str, Any]) -> str:
    price, sma50, sma200 = (history.get(k) for k in ("price", "sma_50", "sma_200"))
    if not (isinstance(price, float) and isinstance(sma50, float) and isinstance(sma200, float)):
        return ""
    if price > sma50 > sma200:
        return "The price is above both averages, an uptrend."
    if price < sma50 < sma200:
        return "The price is below both averages, a downtrend."
    return "The averages give a mixed picture."
