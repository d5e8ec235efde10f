"""Candlestick patterns: TA-Lib's CDL functions where it has them, polars for the rest.

TA-Lib returns, per bar, ``+100`` (bullish), ``-100`` (bearish) or ``0``; a few
functions also return ``+/-200`` for a confirmed form. Each TA-Lib pattern here maps
one function and one sign to one name, so a signed function splits into two names
(``CDLENGULFING`` -> ``bullish_engulfing`` / ``bearish_engulfing``): per-pattern
statistics then never mix the two. Functions are run over contiguous per-symbol
slices by the indicator kernel (:func:`axion_lab.indicators._kernel.run_talib`), so a
pattern never spans two symbols.

Trend context
-------------
TA-Lib's hammer and hanging man (and inverted hammer and shooting star) judge the
candle's shape and its position against the previous candle, not the trend. With
``context=True`` (the default of :class:`~axion_lab.scanner.PatternDetector`) a
``hammer`` or ``inverted_hammer`` counts only after a down trend and a
``hanging_man`` or ``shooting_star`` only after an up trend (trend as in
:mod:`axion_lab.scanner.panel`). With ``context=False`` the hits are TA-Lib's exactly.

Strength
--------
Directional patterns are ``moderate`` when the prior trend is the one they reverse
(down for bullish, up for bearish) and ``strong`` when, in addition, the bar's
volume is at least ``1.5`` times the mean of the previous 20 bars
(``rel_volume_20``); otherwise, and for neutral patterns (doji, spinning top), ``weak``.

Patterns TA-Lib lacks
---------------------
``tweezer_top``: a bullish bar (close > open) followed by a bearish bar whose high
equals the first bar's high within ``0.05`` times the mean high-low range of the 5
bars before the second bar (TA-Lib's own "equal" candle setting);
``tweezer_bottom`` mirrors it on the lows (bearish bar, then bullish bar).

Examples
--------
>>> from axion_lab.scanner import CANDLE_PATTERNS
>>> len(CANDLE_PATTERNS) >= 20, CANDLE_PATTERNS["hammer"].function
(True, 'CDLHAMMER')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np
import polars as pl

from axion_lab.indicators import _kernel
from axion_lab.indicators._spec import TalibCall
from axion_lab.scanner.config import Direction, ScanCategory
from axion_lab.scanner.panel import K, lag
from axion_lab.scanner.result import no_points, struct_list

__all__ = ["CANDLE_PATTERNS", "CandlePattern", "candle_hits", "candle_signals"]

_OHLC: Final = ("open", "high", "low", "close")
VOLUME_CONFIRM: Final = 1.5
"""Relative volume (vs the previous 20 bars) that makes a reversal ``strong``."""
TWEEZER_TOLERANCE: Final = 0.05
TWEEZER_RANGE_BARS: Final = 5


@dataclass(frozen=True)
class CandlePattern:
    """One named candlestick pattern.

    ``function`` is the TA-Lib function (``None`` for patterns computed here); ``sign``
    which of its outputs counts (``+1`` positive, ``-1`` negative, ``0`` either);
    ``needs_trend`` the prior trend required under trend context.
    """

    name: str
    label: str
    direction: Direction
    function: str | None = None
    sign: int = 1
    needs_trend: str | None = None


def _p(
    name: str, func: str | None, direction: Direction, sign: int = 1, needs: str | None = None
) -> CandlePattern:
    return CandlePattern(name, name.replace("_", " "), direction, func, sign, needs)


_B, _S, _N = Direction.BULLISH, Direction.BEARISH, Direction.NEUTRAL

CANDLE_PATTERNS: Final = MappingProxyType(
    {
        p.name: p
        for p in (
            _p("doji", "CDLDOJI", _N, 0),
            _p("long_legged_doji", "CDLLONGLEGGEDDOJI", _N, 0),
            _p("dragonfly_doji", "CDLDRAGONFLYDOJI", _B),
            _p("gravestone_doji", "CDLGRAVESTONEDOJI", _S),
            _p("spinning_top", "CDLSPINNINGTOP", _N, 0),
            _p("hammer", "CDLHAMMER", _B, needs="down"),
            _p("hanging_man", "CDLHANGINGMAN", _S, -1, needs="up"),
            _p("inverted_hammer", "CDLINVERTEDHAMMER", _B, needs="down"),
            _p("shooting_star", "CDLSHOOTINGSTAR", _S, -1, needs="up"),
            _p("bullish_engulfing", "CDLENGULFING", _B),
            _p("bearish_engulfing", "CDLENGULFING", _S, -1),
            _p("bullish_harami", "CDLHARAMI", _B),
            _p("bearish_harami", "CDLHARAMI", _S, -1),
            _p("bullish_harami_cross", "CDLHARAMICROSS", _B),
            _p("bearish_harami_cross", "CDLHARAMICROSS", _S, -1),
            _p("piercing", "CDLPIERCING", _B),
            _p("dark_cloud_cover", "CDLDARKCLOUDCOVER", _S, -1),
            _p("morning_star", "CDLMORNINGSTAR", _B),
            _p("evening_star", "CDLEVENINGSTAR", _S, -1),
            _p("morning_doji_star", "CDLMORNINGDOJISTAR", _B),
            _p("evening_doji_star", "CDLEVENINGDOJISTAR", _S, -1),
            _p("three_white_soldiers", "CDL3WHITESOLDIERS", _B),
            _p("three_black_crows", "CDL3BLACKCROWS", _S, -1),
            _p("three_inside_up", "CDL3INSIDE", _B),
            _p("three_inside_down", "CDL3INSIDE", _S, -1),
            _p("three_outside_up", "CDL3OUTSIDE", _B),
            _p("three_outside_down", "CDL3OUTSIDE", _S, -1),
            _p("bullish_marubozu", "CDLMARUBOZU", _B),
            _p("bearish_marubozu", "CDLMARUBOZU", _S, -1),
            _p("bullish_kicking", "CDLKICKING", _B),
            _p("bearish_kicking", "CDLKICKING", _S, -1),
            _p("tweezer_top", None, _S),
            _p("tweezer_bottom", None, _B),
        )
    }
)
"""Pattern name -> :class:`CandlePattern` (read-only)."""


def _raw_column(func: str) -> str:
    return f"__cdl_{func.lower()}"


def _tweezers() -> dict[str, pl.Expr]:
    o, h, lo, c = (pl.col(x) for x in _OHLC)
    bull, bear = c > o, c < o
    # Per symbol, so the rolling sum's rounding depends on that symbol's bars only.
    avg_range = lag((h - lo).rolling_mean(TWEEZER_RANGE_BARS).over("symbol"), 1)
    tol = TWEEZER_TOLERANCE * avg_range
    ready = pl.col(K) >= TWEEZER_RANGE_BARS
    top = ready & lag(bull) & bear & ((h - lag("high")).abs() <= tol)
    bottom = ready & lag(bear) & bull & ((lo - lag("low")).abs() <= tol)
    return {"tweezer_top": top.fill_null(False), "tweezer_bottom": bottom.fill_null(False)}


def candle_signals(
    panel: pl.DataFrame, names: Sequence[str], *, n_jobs: int | None = None
) -> pl.DataFrame:
    """Boolean column per pattern name (raw, no trend context) over a sorted panel."""
    funcs = sorted({p.function for n in names if (p := CANDLE_PATTERNS[n]).function})
    offsets = np.concatenate(
        [[0], np.cumsum(panel.get_column("symbol").rle().struct.field("len").to_numpy())]
    ).astype(np.int64)
    calls = [TalibCall(f, _OHLC, {}, (_raw_column(f),)) for f in funcs]
    raw = _kernel.run_talib(panel, offsets, calls, n_jobs=n_jobs)
    out: dict[str, pl.Series | pl.Expr] = {}
    tweezers = _tweezers()
    for name in names:
        p = CANDLE_PATTERNS[name]
        if p.function is None:
            out[name] = tweezers[name]
            continue
        values = raw[_raw_column(p.function)]
        hit = values != 0 if p.sign == 0 else values * p.sign > 0
        out[name] = pl.Series(name, hit)
    return panel.with_columns(**out)


def candle_hits(
    panel: pl.DataFrame,
    names: Sequence[str],
    *,
    context: bool = True,
    n_jobs: int | None = None,
) -> list[pl.DataFrame]:
    """Hit frames (one per pattern) for ``names`` over a sorted scan panel."""
    flagged = candle_signals(panel, names, n_jobs=n_jobs)
    rel = pl.col("rel_volume_20") if "rel_volume_20" in panel.columns else pl.lit(None, pl.Float64)
    frames = []
    for name in names:
        p = CANDLE_PATTERNS[name]
        keep = pl.col(name)
        if context and p.needs_trend is not None:
            keep = keep & (pl.col("trend") == p.needs_trend).fill_null(False)
        reverses = {_B: "down", _S: "up"}.get(p.direction)
        agrees = (pl.col("trend") == reverses).fill_null(False) if reverses else pl.lit(False)
        strength = (
            pl.when(agrees & (rel >= VOLUME_CONFIRM).fill_null(False))
            .then(pl.lit("strong"))
            .when(agrees)
            .then(pl.lit("moderate"))
            .otherwise(pl.lit("weak"))
        )
        frames.append(
            flagged.filter(keep).select(
                "symbol",
                "ts",
                pl.lit(name).alias("scanner"),
                pl.lit(ScanCategory.PATTERN.value).alias("category"),
                pl.lit(p.direction.value).alias("direction"),
                strength.alias("strength"),
                rel.alias("value"),
                "trend",
                "open",
                "high",
                "low",
                "close",
                "volume",
                struct_list(
                    pl.struct(pl.lit("rel_volume_20").alias("name"), rel.alias("value"))
                ).alias("values"),
                no_points(),
            )
        )
    return frames
