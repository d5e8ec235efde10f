"""``PatternDetector``: candlestick and chart patterns as scan hits.

One detector runs any mix of the candlestick patterns of
:data:`~axion_lab.scanner.CANDLE_PATTERNS` (TA-Lib's CDL functions, plus tweezers)
and the chart patterns of :data:`~axion_lab.scanner.CHART_PATTERNS` (zig-zag pivots,
flags, channel breakouts). Hits have the shape of every other scan hit, category
``"pattern"``, with the defining points of chart patterns in ``points``.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scanner import PatternDetector
>>> m = load_market()
>>> bars = m.bars_for(m.universe()[:5], start="2024-01-02", end="2024-12-31")
>>> result = PatternDetector(["hammer", "double_top", "bull_flag"]).detect(bars)
>>> set(result.hits["scanner"]) <= {"hammer", "double_top", "bull_flag"}
True
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import polars as pl

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.scanner.candles import CANDLE_PATTERNS, candle_hits
from axion_lab.scanner.chart_patterns import CHART_PATTERNS, ChartSettings, chart_hits
from axion_lab.scanner.panel import build_panel, needed_indicators
from axion_lab.scanner.result import ScanResult, finish_hits

__all__ = ["ALL_PATTERNS", "PatternDetector"]

ALL_PATTERNS: Final = (*CANDLE_PATTERNS, *CHART_PATTERNS)
"""Every pattern name, candlesticks first."""


def _resolve(names: Iterable[str] | str | None) -> tuple[str, ...]:
    if names is None:
        return ALL_PATTERNS
    if isinstance(names, str):
        names = [names]
    out: list[str] = []
    for raw in names:
        key = str(raw).strip().lower().replace(" ", "_").replace("-", "_")
        if key == "candles":
            out.extend(CANDLE_PATTERNS)
        elif key == "chart":
            out.extend(CHART_PATTERNS)
        elif key in CANDLE_PATTERNS or key in CHART_PATTERNS:
            out.append(key)
        else:
            raise UnknownNameError.for_name(
                "pattern",
                str(raw),
                [*ALL_PATTERNS, "candles", "chart"],
                hint="See axion_lab.scanner.ALL_PATTERNS for the list.",
            )
    if not out:
        raise InputError("No patterns given; pass pattern names, 'candles', 'chart' or None.")
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class PatternDetector:
    """Detect candlestick and chart patterns.

    Parameters
    ----------
    patterns
        Pattern names, ``"candles"``, ``"chart"``, or ``None`` for all of them.
    context
        Resolve hammer / hanging man (and inverted hammer / shooting star) by the
        prior trend; ``False`` returns TA-Lib's raw hits (see :mod:`~.candles`).
    chart
        Tolerances of the chart-pattern rules.
    """

    patterns: tuple[str, ...] | Iterable[str] | str | None = None
    context: bool = True
    chart: ChartSettings = field(default_factory=ChartSettings)
    n_jobs: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns", _resolve(self.patterns))

    @property
    def names(self) -> tuple[str, ...]:
        """The pattern names this detector reports."""
        assert isinstance(self.patterns, tuple)
        return self.patterns

    @property
    def columns(self) -> tuple[str, ...]:
        """Indicator columns read (relative volume grades strength)."""
        return ("rel_volume_20",)

    def hits(self, panel: pl.DataFrame) -> pl.DataFrame:
        """Every pattern hit over a sorted scan panel (see :func:`~.build_panel`)."""
        candles = [n for n in self.names if n in CANDLE_PATTERNS]
        charts = [n for n in self.names if n in CHART_PATTERNS]
        frames = []
        if candles:
            frames += candle_hits(panel, candles, context=self.context, n_jobs=self.n_jobs)
        if charts:
            frames += chart_hits(panel, charts, self.chart)
        return finish_hits(frames)

    def detect(self, bars: pl.DataFrame) -> ScanResult:
        """Patterns over every bar of ``bars`` (long frame: symbol, ts, OHLCV)."""
        t0 = time.perf_counter()
        panel = build_panel(bars, needed_indicators(self.columns, bars.columns), n_jobs=self.n_jobs)
        t1 = time.perf_counter()
        hits = self.hits(panel)
        t2 = time.perf_counter()
        return ScanResult(
            hits=hits,
            scanners=self.names,
            universe_size=panel["symbol"].n_unique(),
            start=panel["ts"].min(),  # type: ignore[arg-type]
            end=panel["ts"].max(),  # type: ignore[arg-type]
            timings={"indicators": t1 - t0, "detect": t2 - t1, "total": t2 - t0},
        )
