"""The scanner: find setups as they happen.

Preset and custom :class:`Scanner` rules, the :class:`UnusualActivityDetector` and the
:class:`PatternDetector` (33 candlestick patterns checked against TA-Lib, 11 chart
patterns from zig-zag pivots) all produce hits of one documented shape
(:data:`HIT_SCHEMA`: symbol, ts, scanner, category, direction, strength, the values
that triggered it and the triggering bar). :class:`ScannerEngine` runs them over a
market in batch (:meth:`~ScannerEngine.scan`, :meth:`~ScannerEngine.scan_history`)
or as bars arrive (:meth:`~ScannerEngine.stream` with a :class:`DataFeed`), and
:class:`RedisHitPublisher` publishes hits to a Redis Stream.
:func:`pattern_stats` says whether a pattern has meant anything here.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scanner import ScannerEngine, get_preset_scanner
>>> engine = ScannerEngine(load_market())
>>> result = engine.scan([get_preset_scanner("volume_spike", threshold=1.5), "rsi_oversold"])
>>> set(result.hits["scanner"]) <= {"volume_spike", "rsi_oversold"}
True
"""

from __future__ import annotations

from axion_lab.scanner.candles import CANDLE_PATTERNS, CandlePattern
from axion_lab.scanner.chart_patterns import CHART_PATTERNS, ChartSettings
from axion_lab.scanner.config import (
    STREAM_KEY,
    Direction,
    ScanCategory,
    SignalStrength,
    Trend,
)
from axion_lab.scanner.engine import Detector, ScannerEngine, resolve_detectors, universe_symbols
from axion_lab.scanner.levels import support_resistance
from axion_lab.scanner.models import (
    OPERATORS,
    Param,
    ScanCriterion,
    Scanner,
    StrengthRule,
    create_scanner,
)
from axion_lab.scanner.panel import trend_context
from axion_lab.scanner.patterns import ALL_PATTERNS, PatternDetector
from axion_lab.scanner.pivots import Pivot, zigzag
from axion_lab.scanner.plot import plot_hit
from axion_lab.scanner.presets import PRESET_SCANNERS, get_preset_scanner, preset_table
from axion_lab.scanner.result import HIT_COLUMNS, HIT_SCHEMA, ScanHit, ScanResult
from axion_lab.scanner.stats import PatternStats, forward_returns, pattern_stats
from axion_lab.scanner.stream import (
    DataFeed,
    HitPublisher,
    PollingFeed,
    RedisHitPublisher,
    ReplayFeed,
    StreamingScanner,
    decode_hit,
)
from axion_lab.scanner.unusual import UnusualActivityDetector

__all__ = [
    "ALL_PATTERNS",
    "CANDLE_PATTERNS",
    "CHART_PATTERNS",
    "HIT_COLUMNS",
    "HIT_SCHEMA",
    "OPERATORS",
    "PRESET_SCANNERS",
    "STREAM_KEY",
    "CandlePattern",
    "ChartSettings",
    "DataFeed",
    "Detector",
    "Direction",
    "HitPublisher",
    "Param",
    "PatternDetector",
    "PatternStats",
    "Pivot",
    "PollingFeed",
    "RedisHitPublisher",
    "ReplayFeed",
    "ScanCategory",
    "ScanCriterion",
    "ScanHit",
    "ScanResult",
    "Scanner",
    "ScannerEngine",
    "SignalStrength",
    "StreamingScanner",
    "StrengthRule",
    "Trend",
    "UnusualActivityDetector",
    "create_scanner",
    "decode_hit",
    "forward_returns",
    "get_preset_scanner",
    "pattern_stats",
    "plot_hit",
    "preset_table",
    "resolve_detectors",
    "support_resistance",
    "trend_context",
    "universe_symbols",
    "zigzag",
]
