"""``UnusualActivityDetector``: volume and price moves unusual *for that symbol*.

Each bar is compared with the same symbol's previous ``lookback`` bars (default 60),
never with other symbols, and never with itself (a spike would dilute its own
baseline):

=====================  ========================================================================
hit                    rule (defaults)
=====================  ========================================================================
``unusual_volume``     z-score of log volume ``>= volume_z`` (3.0) **and**
                       ``rel_volume_20 >= rel_volume`` (2.0)
``unusual_move``       ``|z| >= return_z`` (3.0), ``z`` the one-bar return's z-score;
                       bullish if up, bearish if down
``range_expansion``    ``(high - low) / atr_14`` of the previous bar ``>= range_atr`` (2.5)
=====================  ========================================================================

z-scores are ``(x - mean) / std`` (ddof=1) of the previous ``lookback`` bars. Log
volume because volume is skewed: a z-score of raw volume would flag routine days of
thinly traded names. A zero volume or a flat history (std 0) gives a null z, which
never passes. Strength: ``weak`` at the threshold, ``moderate`` at threshold + 1,
``strong`` at threshold + 2 (in z units; in ATRs for the range).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scanner import UnusualActivityDetector
>>> m = load_market()
>>> bars = m.bars_for(m.universe()[:20], start="2023-01-02", end="2024-12-31")
>>> hits = UnusualActivityDetector().detect(bars).hits
>>> set(hits["scanner"]) <= {"unusual_volume", "unusual_move", "range_expansion"}
True
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Final

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.scanner.config import ScanCategory
from axion_lab.scanner.panel import K, build_panel, lag, needed_indicators
from axion_lab.scanner.result import ScanResult, finish_hits, no_points, struct_list

__all__ = ["UNUSUAL_NAMES", "UnusualActivityDetector"]

UNUSUAL_NAMES: Final = ("unusual_volume", "unusual_move", "range_expansion")


def _zscore(x: pl.Expr, lookback: int) -> pl.Expr:
    # Per symbol: a whole-frame rolling sum would carry rounding from the previous
    # symbol's bars, so a stream (shorter history) and a batch would differ in the ULPs.
    prev = x.shift(1)
    mean = prev.rolling_mean(lookback).over("symbol")
    std = prev.rolling_std(lookback).over("symbol")
    return pl.when((pl.col(K) >= lookback + 1) & (std > 0)).then((x - mean) / std)


def _grade(v: pl.Expr, threshold: float) -> pl.Expr:
    return (
        pl.when(v >= threshold + 2)
        .then(pl.lit("strong"))
        .when(v >= threshold + 1)
        .then(pl.lit("moderate"))
        .otherwise(pl.lit("weak"))
    )


@dataclass(frozen=True)
class UnusualActivityDetector:
    """Volume and price moves unusual for the symbol (rules in the module docstring)."""

    lookback: int = 60
    volume_z: float = 3.0
    rel_volume: float = 2.0
    return_z: float = 3.0
    range_atr: float = 2.5
    n_jobs: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.lookback, bool) or not isinstance(self.lookback, int):
            raise InputError(f"lookback must be an integer >= 5 bars, got {self.lookback!r}.")
        if self.lookback < 5:
            raise InputError(f"lookback must be at least 5 bars, got {self.lookback}.")
        for name in ("volume_z", "rel_volume", "return_z", "range_atr"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise InputError(f"{name} must be a finite number, got {v!r}.")
            if v <= 0:
                raise InputError(f"{name} must be > 0, got {v!r}.")

    @property
    def names(self) -> tuple[str, ...]:
        """The hit names this detector reports."""
        return UNUSUAL_NAMES

    @property
    def columns(self) -> tuple[str, ...]:
        """Indicator columns read."""
        return ("rel_volume_20", "atr_14", "ret_1")

    def hits(self, panel: pl.DataFrame) -> pl.DataFrame:
        """Unusual-activity hits over a sorted scan panel."""
        vol = pl.col("volume").cast(pl.Float64)
        log_vol = pl.when(vol > 0).then(vol.log())
        scored = panel.with_columns(
            _zscore(log_vol, self.lookback).alias("__vz"),
            _zscore(pl.col("ret_1"), self.lookback).alias("__rz"),
            ((pl.col("high") - pl.col("low")) / lag("atr_14")).alias("__ra"),
        )
        rz = pl.col("__rz")
        rules = {
            "unusual_volume": (
                (pl.col("__vz") >= self.volume_z) & (pl.col("rel_volume_20") >= self.rel_volume),
                ScanCategory.VOLUME,
                pl.lit("neutral"),
                pl.col("__vz"),
                _grade(pl.col("__vz"), self.volume_z),
                ("volume_z", "__vz", "rel_volume_20", "rel_volume_20"),
            ),
            "unusual_move": (
                rz.abs() >= self.return_z,
                ScanCategory.MOMENTUM,
                pl.when(rz > 0).then(pl.lit("bullish")).otherwise(pl.lit("bearish")),
                rz,
                _grade(rz.abs(), self.return_z),
                ("return_z", "__rz", "ret_1", "ret_1"),
            ),
            "range_expansion": (
                pl.col("__ra") >= self.range_atr,
                ScanCategory.TECHNICAL,
                pl.lit("neutral"),
                pl.col("__ra"),
                _grade(pl.col("__ra"), self.range_atr),
                ("range_atr", "__ra", "atr_14", "atr_14"),
            ),
        }
        frames = []
        for name, (mask, cat, direction, value, strength, vals) in rules.items():
            n1, c1, n2, c2 = vals
            frames.append(
                scored.filter(mask.fill_null(False)).select(
                    "symbol",
                    "ts",
                    pl.lit(name).alias("scanner"),
                    pl.lit(cat.value).alias("category"),
                    direction.alias("direction"),
                    strength.alias("strength"),
                    value.alias("value"),
                    "trend",
                    "open",
                    "high",
                    "low",
                    "close",
                    "volume",
                    struct_list(
                        pl.struct(pl.lit(n1).alias("name"), pl.col(c1).alias("value")),
                        pl.struct(pl.lit(n2).alias("name"), pl.col(c2).alias("value")),
                    ).alias("values"),
                    no_points(),
                )
            )
        return finish_hits(frames)

    def detect(self, bars: pl.DataFrame) -> ScanResult:
        """Unusual activity over every bar of ``bars`` (long frame: symbol, ts, OHLCV)."""
        t0 = time.perf_counter()
        specs = needed_indicators(self.columns, bars.columns)
        panel = build_panel(bars, specs, n_jobs=self.n_jobs)
        hits = self.hits(panel)
        return ScanResult(
            hits=hits,
            scanners=self.names,
            universe_size=panel["symbol"].n_unique(),
            start=panel["ts"].min(),  # type: ignore[arg-type]
            end=panel["ts"].max(),  # type: ignore[arg-type]
            timings={"total": time.perf_counter() - t0},
        )
