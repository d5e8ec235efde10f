"""Candlestick patterns agree with TA-Lib's CDL functions bar for bar; tweezers and the
trend context are checked on hand-worked bars."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import talib
from scanner_data import make_bars

from axion_lab.exceptions import UnknownNameError
from axion_lab.scanner import CANDLE_PATTERNS, PatternDetector

TALIB_PATTERNS = [n for n, p in CANDLE_PATTERNS.items() if p.function]

# Written out independently of CANDLE_PATTERNS: name -> (TA-Lib function, which sign).
REFERENCE = {
    "doji": ("CDLDOJI", 0),
    "long_legged_doji": ("CDLLONGLEGGEDDOJI", 0),
    "dragonfly_doji": ("CDLDRAGONFLYDOJI", 1),
    "gravestone_doji": ("CDLGRAVESTONEDOJI", 1),
    "spinning_top": ("CDLSPINNINGTOP", 0),
    "hammer": ("CDLHAMMER", 1),
    "hanging_man": ("CDLHANGINGMAN", -1),
    "inverted_hammer": ("CDLINVERTEDHAMMER", 1),
    "shooting_star": ("CDLSHOOTINGSTAR", -1),
    "bullish_engulfing": ("CDLENGULFING", 1),
    "bearish_engulfing": ("CDLENGULFING", -1),
    "bullish_harami": ("CDLHARAMI", 1),
    "bearish_harami": ("CDLHARAMI", -1),
    "bullish_harami_cross": ("CDLHARAMICROSS", 1),
    "bearish_harami_cross": ("CDLHARAMICROSS", -1),
    "piercing": ("CDLPIERCING", 1),
    "dark_cloud_cover": ("CDLDARKCLOUDCOVER", -1),
    "morning_star": ("CDLMORNINGSTAR", 1),
    "evening_star": ("CDLEVENINGSTAR", -1),
    "morning_doji_star": ("CDLMORNINGDOJISTAR", 1),
    "evening_doji_star": ("CDLEVENINGDOJISTAR", -1),
    "three_white_soldiers": ("CDL3WHITESOLDIERS", 1),
    "three_black_crows": ("CDL3BLACKCROWS", -1),
    "three_inside_up": ("CDL3INSIDE", 1),
    "three_inside_down": ("CDL3INSIDE", -1),
    "three_outside_up": ("CDL3OUTSIDE", 1),
    "three_outside_down": ("CDL3OUTSIDE", -1),
    "bullish_marubozu": ("CDLMARUBOZU", 1),
    "bearish_marubozu": ("CDLMARUBOZU", -1),
    "bullish_kicking": ("CDLKICKING", 1),
    "bearish_kicking": ("CDLKICKING", -1),
}


def test_at_least_twenty_patterns_and_the_reference_covers_talibs() -> None:
    assert len(CANDLE_PATTERNS) >= 20
    assert set(TALIB_PATTERNS) == set(REFERENCE)
    assert {"tweezer_top", "tweezer_bottom"} <= set(CANDLE_PATTERNS)


@pytest.fixture(scope="module")
def raw_hits(bars: pl.DataFrame) -> pl.DataFrame:
    return PatternDetector("candles", context=False).detect(bars).hits


@pytest.mark.parametrize("name", TALIB_PATTERNS)
def test_candle_pattern_matches_talib(
    name: str, bars: pl.DataFrame, raw_hits: pl.DataFrame
) -> None:
    func, sign = REFERENCE[name]
    expected = []
    for (symbol,), part in bars.sort("symbol", "ts").group_by("symbol", maintain_order=True):
        o, h, lo, c = (part[x].to_numpy() for x in ("open", "high", "low", "close"))
        out = getattr(talib, func)(o, h, lo, c)
        mask = out != 0 if sign == 0 else out * sign > 0
        expected += [(symbol, t) for t in part["ts"].filter(pl.Series(mask)).to_list()]
    hits = raw_hits.filter(pl.col("scanner") == name)
    got = sorted(zip(hits["symbol"].to_list(), hits["ts"].to_list(), strict=True))
    assert got == sorted(expected)


def test_some_patterns_occur_in_the_sample(raw_hits: pl.DataFrame) -> None:
    # Guards against the comparison above passing because both sides are empty.
    seen = set(raw_hits["scanner"])
    assert {"doji", "hammer", "bullish_engulfing", "bearish_harami", "tweezer_top"} <= seen


def test_context_keeps_hammers_after_downtrends_only(bars: pl.DataFrame) -> None:
    raw = PatternDetector(["hammer", "hanging_man", "doji"], context=False).detect(bars).hits
    ctx = PatternDetector(["hammer", "hanging_man", "doji"], context=True).detect(bars).hits
    for name, trend in (("hammer", "down"), ("hanging_man", "up")):
        want = raw.filter(pl.col("scanner") == name, pl.col("trend") == trend)
        got = ctx.filter(pl.col("scanner") == name)
        assert got.select("symbol", "ts").equals(want.select("symbol", "ts"))
        assert 0 < got.height < raw.filter(pl.col("scanner") == name).height
    # Patterns without a trend requirement are untouched.
    assert (
        ctx.filter(pl.col("scanner") == "doji").height
        == raw.filter(pl.col("scanner") == "doji").height
    )


def _hammer_after(trend: np.ndarray) -> pl.DataFrame:
    """``trend`` closes, then a hammer: small body at the top, long lower shadow."""
    last = trend[-1]
    frame = make_bars(trend)
    hammer = pl.DataFrame(
        {
            "symbol": "T",
            "ts": [frame["ts"][-1] + (frame["ts"][-1] - frame["ts"][-2])],
            "open": [last * 0.985],
            "high": [last * 0.9905],
            "low": [last * 0.94],
            "close": [last * 0.99],
            "volume": [1_000_000],
        }
    )
    return pl.concat([frame, hammer])


def test_hammer_shape_is_named_by_its_trend() -> None:
    down = _hammer_after(np.linspace(120, 100, 30))
    o, h, lo, c = (down[x].to_numpy() for x in ("open", "high", "low", "close"))
    assert talib.CDLHAMMER(o, h, lo, c)[-1] == 100  # a hammer shape by TA-Lib's rule
    hits = PatternDetector(["hammer", "hanging_man"]).detect(down).hits
    last = hits.filter(pl.col("ts") == down["ts"][-1])
    assert last.select("scanner", "trend", "direction").rows() == [("hammer", "down", "bullish")]
    assert last["strength"].item() == "moderate"  # reverses the trend, normal volume


def test_tweezers_hand_worked() -> None:
    # Bars 0-4 set the average range (2.0); bar 5 bullish, bar 6 bearish with a high
    # 0.05 above bar 5's (tolerance 0.05 * 2.0 = 0.1): a tweezer top. Bar 8's high is
    # 0.2 above bar 7's: not equal enough.
    o = [10, 10, 10, 10, 10, 10.0, 11.0, 10.0, 11.0]
    c = [10, 10, 10, 10, 10, 11.0, 10.0, 11.0, 10.0]
    h = [11, 11, 11, 11, 11, 11.5, 11.55, 11.5, 11.7]
    lo = [9, 9, 9, 9, 9, 9.5, 9.5, 9.6, 9.8]
    frame = make_bars(c, open_=o, high=h, low=lo)
    hits = PatternDetector(["tweezer_top", "tweezer_bottom"]).detect(frame).hits
    got = [(frame["ts"].to_list().index(t), s) for t, s in hits.select("ts", "scanner").rows()]
    # Bar 6 -> 7: bearish then bullish, lows 9.5 vs 9.6: 0.1 apart, within
    # 0.05 * mean range of bars 2..6 (2, 2, 2, 2, 2.05) = 0.1005.
    assert got == [(6, "tweezer_top"), (7, "tweezer_bottom")]


def test_unknown_pattern_name_suggests() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'hammer'"):
        PatternDetector(["hamer"])
