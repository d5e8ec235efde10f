"""``ScannerEngine``: run scanners and pattern detectors over a market, batch or streaming.

A *detector* is anything with ``names``, ``columns`` (the indicator columns it reads)
and ``hits(panel)``: a :class:`~axion_lab.scanner.Scanner`, a
:class:`~axion_lab.scanner.PatternDetector` or an
:class:`~axion_lab.scanner.UnusualActivityDetector`. The engine computes one indicator
panel for all of them (see :mod:`axion_lab.scanner.panel`) and concatenates their hits.

* :meth:`ScannerEngine.scan` — hits on the last session on or before ``as_of``.
* :meth:`ScannerEngine.scan_history` — every hit between two dates (statistics,
  back-tests, the batch side of the streaming check).
* :meth:`ScannerEngine.stream` — hits as bars arrive from a
  :class:`~axion_lab.scanner.DataFeed` (see :mod:`axion_lab.scanner.stream`).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scanner import ScannerEngine
>>> engine = ScannerEngine(load_market())
>>> result = engine.scan(["gap_up", "volume_spike", "hammer"], as_of="2024-06-28")
>>> import datetime
>>> set(result.hits["ts"].dt.date()) <= {datetime.date(2024, 6, 28)}
True
>>> engine.scan(["gapup"])
Traceback (most recent call last):
...
axion_lab.exceptions.UnknownNameError: Unknown scanner 'gapup'. Did you mean 'gap_up'? ...
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import polars as pl

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.scanner.config import DEFAULT_TREND_THRESHOLD, DEFAULT_TREND_WINDOW
from axion_lab.scanner.models import Scanner
from axion_lab.scanner.patterns import ALL_PATTERNS, PatternDetector
from axion_lab.scanner.presets import PRESET_SCANNERS
from axion_lab.scanner.result import ScanResult, finish_hits
from axion_lab.scanner.unusual import UNUSUAL_NAMES, UnusualActivityDetector

if TYPE_CHECKING:
    from axion_lab.scanner.stream import DataFeed, HitPublisher

__all__ = ["Detector", "ScannerEngine", "resolve_detectors", "run_detectors", "universe_symbols"]

DEFAULT_HISTORY_BARS = 400
"""Bars per symbol read before ``as_of`` by :meth:`ScannerEngine.scan`: a 252-bar high
needs 253, and recursive indicators (RSI, MACD) settle long before 400."""


@runtime_checkable
class Detector(Protocol):
    """What the engine runs: names, the columns it reads, and hits over a panel."""

    @property
    def names(self) -> tuple[str, ...]: ...

    @property
    def columns(self) -> tuple[str, ...]: ...

    def hits(self, panel: pl.DataFrame) -> pl.DataFrame: ...


ScannerLike = str | Scanner | PatternDetector | UnusualActivityDetector | Detector


def resolve_detectors(
    scanners: Iterable[ScannerLike] | ScannerLike | None,
) -> tuple[Detector, ...]:
    """Turn names and objects into detectors.

    ``None`` is the ten presets. A string is a preset name, a pattern name (grouped
    into one :class:`PatternDetector`), ``"patterns"``, ``"candles"``, ``"chart"``,
    ``"unusual"`` or ``"presets"``.
    """
    if scanners is None:
        return tuple(PRESET_SCANNERS.values())
    if isinstance(scanners, str) or not isinstance(scanners, Iterable):
        scanners = [scanners]
    out: list[Detector] = []
    patterns: list[str] = []
    for item in scanners:
        if isinstance(item, str):
            key = item.strip().lower().replace(" ", "_").replace("-", "_")
            if key in PRESET_SCANNERS:
                out.append(PRESET_SCANNERS[key])
            elif key == "presets":
                out.extend(PRESET_SCANNERS.values())
            elif key in ALL_PATTERNS or key in ("candles", "chart"):
                patterns.append(key)
            elif key == "patterns":
                patterns.extend(ALL_PATTERNS)
            elif key in ("unusual", *UNUSUAL_NAMES):
                out.append(UnusualActivityDetector())
            else:
                choices = [*PRESET_SCANNERS, *ALL_PATTERNS, "presets", "patterns", "unusual"]
                raise UnknownNameError.for_name(
                    "scanner",
                    item,
                    choices,
                    hint="Presets are in PRESET_SCANNERS, patterns in ALL_PATTERNS.",
                )
        elif isinstance(item, Detector):
            out.append(item)
        else:
            raise InputError(
                f"Expected a scanner name, Scanner, PatternDetector or "
                f"UnusualActivityDetector, got {type(item).__name__}."
            )
    if patterns:
        out.append(PatternDetector(patterns))
    if not out:
        raise InputError("No scanners given; pass names, Scanner objects or None for presets.")
    unique: list[Detector] = []
    for d in out:
        if d not in unique:
            unique.append(d)
    return tuple(unique)


def run_detectors(
    bars: pl.DataFrame,
    detectors: Sequence[Detector],
    *,
    trend_window: int = DEFAULT_TREND_WINDOW,
    trend_threshold: float = DEFAULT_TREND_THRESHOLD,
    n_jobs: int | None = None,
) -> tuple[pl.DataFrame, dict[str, float]]:
    """Build one panel for ``detectors`` over ``bars`` and return (hits, timings)."""
    from axion_lab.scanner.panel import build_panel, needed_indicators

    t0 = time.perf_counter()
    specs = needed_indicators([c for d in detectors for c in d.columns], bars.columns)
    panel = build_panel(
        bars, specs, trend_window=trend_window, trend_threshold=trend_threshold, n_jobs=n_jobs
    )
    t1 = time.perf_counter()
    hits = finish_hits([d.hits(panel) for d in detectors])
    t2 = time.perf_counter()
    return hits, {"indicators": t1 - t0, "detect": t2 - t1, "total": t2 - t0}


class ScannerEngine:
    """Scan a market (or a long bars frame) with presets, custom scanners and patterns.

    Parameters
    ----------
    market
        A :class:`~axion_lab.data.Market` or a long bars frame (symbol, ts, OHLCV).
    history_bars
        Bars per symbol read before the scan date by :meth:`scan`.
    trend_window, trend_threshold
        The trend-context rule of every hit (see :mod:`axion_lab.scanner.panel`).
    n_jobs
        Threads for the TA-Lib pass (``None``: every core for large panels).
    """

    def __init__(
        self,
        market: Market | pl.DataFrame,
        *,
        history_bars: int = DEFAULT_HISTORY_BARS,
        trend_window: int = DEFAULT_TREND_WINDOW,
        trend_threshold: float = DEFAULT_TREND_THRESHOLD,
        n_jobs: int | None = None,
    ) -> None:
        if isinstance(market, Market):
            self.market: Market | None = market
            self._bars = market.bars
            self.source = market.label
            self.is_synthetic = market.is_synthetic
        elif isinstance(market, pl.DataFrame):
            self.market, self._bars = None, market
            self.source, self.is_synthetic = "bars frame", False
        else:
            raise InputError(
                f"ScannerEngine needs a Market or a polars bars frame, got {type(market).__name__}."
            )
        if history_bars < 2:
            raise InputError(f"history_bars must be at least 2, got {history_bars}.")
        self.history_bars = history_bars
        self.trend_window = trend_window
        self.trend_threshold = trend_threshold
        self.n_jobs = n_jobs

    def __repr__(self) -> str:
        return f"<ScannerEngine over {self.source}>"

    # --- universe -----------------------------------------------------------------
    def _symbols(self, symbols: str | Iterable[str] | None) -> list[str]:
        if symbols is None:
            if self.market is not None:
                chosen = self.market.universe()
            else:
                chosen = self._bars["symbol"].unique().sort().to_list()
        elif self.market is not None:
            chosen = self.market.resolve_symbols(symbols)
        else:
            chosen = [symbols] if isinstance(symbols, str) else list(symbols)
        if not chosen:
            raise InputError(
                "The universe is empty: no symbols to scan. Pass symbols=[...] or check the "
                "market's instruments."
            )
        return chosen

    def _run(self, bars: pl.DataFrame, detectors: Sequence[Detector], universe: int) -> ScanResult:
        hits, timings = run_detectors(
            bars,
            detectors,
            trend_window=self.trend_window,
            trend_threshold=self.trend_threshold,
            n_jobs=self.n_jobs,
        )
        return ScanResult(
            hits=hits,
            scanners=tuple(n for d in detectors for n in d.names),
            universe_size=universe,
            start=bars["ts"].min() if bars.height else None,  # type: ignore[arg-type]
            end=bars["ts"].max() if bars.height else None,  # type: ignore[arg-type]
            source=self.source,
            is_synthetic=self.is_synthetic,
            timings=timings,
        )

    # --- batch ---------------------------------------------------------------------
    def scan(
        self,
        scanners: Iterable[ScannerLike] | ScannerLike | None = None,
        *,
        as_of: DateLike | None = None,
        symbols: str | Iterable[str] | None = None,
    ) -> ScanResult:
        """Hits on the last session on or before ``as_of`` (default: the last one).

        Each symbol is read over its last ``history_bars`` bars up to that session;
        a symbol with no bar that session has no hits.
        """
        detectors = resolve_detectors(scanners)
        syms = self._symbols(symbols)
        bars = self._bars.filter(pl.col("symbol").is_in(syms))
        if as_of is not None:
            day = self.market.check_date(as_of, what="as_of") if self.market else to_date(as_of)
            bars = bars.filter(pl.col("ts").dt.date() <= day)
        if not bars.height:
            raise InputError("No bars to scan on or before that date for those symbols.")
        session = bars["ts"].dt.date().max()
        bars = (
            bars.sort("symbol", "ts")
            .group_by("symbol", maintain_order=True)
            .tail(self.history_bars)
        )
        result = self._run(bars, detectors, len(syms))
        return result.filter(pl.col("ts").dt.date() == session)

    def scan_history(
        self,
        scanners: Iterable[ScannerLike] | ScannerLike | None = None,
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        symbols: str | Iterable[str] | None = None,
    ) -> ScanResult:
        """Every hit from ``start`` to ``end`` (inclusive), indicators warmed up before.

        Bars from ``history_bars`` sessions before ``start`` feed the indicators; hits
        are kept from ``start`` on.
        """
        detectors = resolve_detectors(scanners)
        syms = self._symbols(symbols)
        bars = self._bars.filter(pl.col("symbol").is_in(syms))
        lo = to_date(start, what="start") if start is not None else None
        hi = to_date(end, what="end") if end is not None else None
        if lo and hi and lo > hi:
            raise InputError(f"start {lo} is after end {hi}.")
        if hi is not None:
            bars = bars.filter(pl.col("ts").dt.date() <= hi)
        if lo is not None:
            days = bars["ts"].dt.date().unique().sort()
            before = days.filter(days < lo)
            warm = before[-self.history_bars] if len(before) >= self.history_bars else None
            if warm is not None:
                bars = bars.filter(pl.col("ts").dt.date() >= warm)
        if not bars.height:
            raise InputError("No bars to scan in that range for those symbols.")
        result = self._run(bars, detectors, len(syms))
        if lo is not None:
            result = result.filter(pl.col("ts").dt.date() >= lo)
        return result

    # --- streaming -------------------------------------------------------------------
    def stream(
        self,
        feed: DataFeed,
        scanners: Iterable[ScannerLike] | ScannerLike | None = None,
        *,
        warmup: pl.DataFrame | None = None,
        publisher: HitPublisher | None = None,
    ) -> Iterator[pl.DataFrame]:
        """Yield new hits as ``feed`` delivers bars (one hit frame per batch of bars).

        ``warmup`` bars (e.g. the previous session) seed the indicators and emit
        nothing. Hits are de-duplicated on ``(symbol, ts, scanner)``; each carries the
        bar that triggered it. With a ``publisher`` each batch is also published.
        """
        from axion_lab.scanner.stream import StreamingScanner

        streaming = StreamingScanner(
            resolve_detectors(scanners),
            warmup=warmup,
            trend_window=self.trend_window,
            trend_threshold=self.trend_threshold,
            n_jobs=self.n_jobs,
        )
        for batch in feed:
            new = streaming.update(batch)
            if publisher is not None and new.height:
                publisher.publish(new)
            yield new


def universe_symbols(market: Market, universe: str) -> list[str] | None:
    """Symbols for a universe text: blank is every equity (``None``), an index name
    (``"AX400"``) its current members, else comma-separated symbols (checked).

    Examples
    --------
    >>> from axion_lab import load_market
    >>> len(universe_symbols(load_market(), "ax400"))
    400
    """
    text = universe.strip()
    if not text:
        return None
    indexes = {i.upper() for i in market.index_membership["index"].unique().to_list()}
    if text.upper() in indexes:
        return market.universe(index=text.upper())
    return market.resolve_symbols([s.strip() for s in text.split(",") if s.strip()])
