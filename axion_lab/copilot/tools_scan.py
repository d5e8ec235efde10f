"""The ``run_scan`` tool over :class:`axion_lab.scanner.ScannerEngine`.

Preset scanners (gaps, new highs, volume spikes, RSI extremes...) and candlestick or
chart patterns, on the last session on or before a date, over a universe (symbols,
a sector or an index; default every listed equity). Hits are sorted strongest first
and capped at ``limit`` rows; ``data.hits_total`` says how many there were.

Examples
--------
>>> from axion_lab.copilot.tools_scan import RunScanParams
>>> RunScanParams(scanners=["gap_up", "hammer"]).limit
25
"""

from __future__ import annotations

from typing import Final

import polars as pl
from pydantic import Field

from axion_lab.copilot.builtin_tools import _Params
from axion_lab.copilot.tools import Tool, ToolContext, ToolOutput, ToolRegistry
from axion_lab.exceptions import InputError

__all__ = ["RunScanParams", "register_scan_tools"]

_STRENGTH_ORDER: Final = {"strong": 0, "moderate": 1, "weak": 2}
_HIT_COLUMNS: Final = (
    "symbol",
    "date",
    "scanner",
    "category",
    "direction",
    "strength",
    "value",
    "trend",
    "close",
    "volume",
    "values",
)


class RunScanParams(_Params):
    """A scan: preset or pattern names over a universe, as of a date."""

    scanners: list[str] | None = Field(
        None,
        max_length=20,
        description="Preset names, pattern names, or groups 'presets', 'patterns', "
        "'candles', 'chart', 'unusual'; default: every preset.",
    )
    symbols: list[str] | None = Field(None, max_length=200, description="Universe symbols.")
    sector: str | None = Field(None, description="Or: the equities of one sector.")
    index: str | None = Field(None, description="Or: the current members of an index.")
    as_of: str | None = Field(
        None, description="Scan the last session on or before this date (YYYY-MM-DD)."
    )
    limit: int = Field(25, ge=1, le=100, description="Hit rows to return (strongest first).")


def _scan(ctx: ToolContext, p: RunScanParams) -> ToolOutput:
    from axion_lab.scanner import ScannerEngine

    m = ctx.market
    if p.symbols is not None and (p.sector or p.index):
        raise InputError("Give symbols, or a sector and/or an index, not both.")
    symbols = p.symbols if p.symbols is not None else None
    if p.sector or p.index:
        symbols = m.universe(sector=p.sector, index=p.index)
        if not symbols:
            where = " and ".join(x for x in (p.sector, p.index) if x)
            raise InputError(f"No listed equities in {where}; check the sector or index name.")
    result = ScannerEngine(m).scan(p.scanners, as_of=p.as_of, symbols=symbols)
    hits = (
        result.hits.with_columns(
            pl.col("ts").dt.date().alias("date"),
            pl.col("strength").replace_strict(_STRENGTH_ORDER, default=3).alias("_rank"),
        )
        .sort("_rank", "scanner", "symbol")
        .select(_HIT_COLUMNS)
    )
    total = hits.height
    shown = hits.head(p.limit)
    session = result.end.date() if result.end is not None else m.end
    truncated = f" Showing the first {shown.height} of {total} hits." if total > p.limit else ""
    return ToolOutput(
        f"Scan of {result.universe_size} symbols on {session.isoformat()} with "
        f"{len(result.scanners)} scanner(s): {total} hit(s).{truncated} 'value' is the "
        "scanner's trigger value, 'values' the measures behind it (fractions are decimals).",
        data={
            "session": session,
            "universe_size": result.universe_size,
            "hits_total": total,
            "rows_shown": shown.height,
            "truncated": total > p.limit,
            "counts": result.counts().to_dicts(),
        },
        table=shown,
        as_of=session,
        source=f"{ctx.source}; axion_lab.scanner ScannerEngine.scan",
    )


def register_scan_tools(registry: ToolRegistry) -> None:
    """Register ``run_scan``."""
    from axion_lab.scanner import PRESET_SCANNERS

    registry.register(
        Tool(
            "run_scan",
            "Scan for setups on one session: presets ("
            + ", ".join(PRESET_SCANNERS)
            + ") or candlestick/chart pattern names (e.g. hammer, bullish_engulfing, "
            "double_bottom), over symbols, a sector or an index, as of a date.",
            RunScanParams,
            _scan,
            engine="axion_lab.scanner",
        )
    )
