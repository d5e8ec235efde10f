"""Unusual activity against each symbol's own history (z-scores recomputed with numpy);
per-pattern forward-return statistics hand-worked."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scanner_data import make_bars

from axion_lab.exceptions import InputError
from axion_lab.scanner import UnusualActivityDetector, forward_returns, pattern_stats


def _planted() -> pl.DataFrame:
    rng = np.random.default_rng(3)
    n = 120
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    close[100] = close[99] * 1.08  # a 8 % day, about 8 sigma for this symbol
    close[101:] = close[100] * np.exp(np.cumsum(rng.normal(0, 0.01, n - 101)))
    volume = rng.integers(900_000, 1_100_000, n)
    volume[90] = 6_000_000
    return make_bars(close, volume=volume)


def test_unusual_volume_and_move_match_numpy_zscores() -> None:
    frame = _planted()
    hits = UnusualActivityDetector().detect(frame).hits
    c, v = frame["close"].to_numpy(), frame["volume"].to_numpy().astype(float)
    ret, logv = c[1:] / c[:-1] - 1, np.log(v)
    want_move, want_vol = [], []
    for t in range(61, len(c)):
        r_hist = ret[t - 61 : t - 1]  # returns of bars t-60 .. t-1
        z = (ret[t - 1] - r_hist.mean()) / r_hist.std(ddof=1)
        if abs(z) >= 3:
            want_move.append((t, z))
        lv = logv[t - 60 : t]
        zv = (logv[t] - lv.mean()) / lv.std(ddof=1)
        if zv >= 3 and v[t] / v[t - 20 : t].mean() >= 2:
            want_vol.append((t, zv))
    ts = frame["ts"].to_list()
    for name, want in (("unusual_move", want_move), ("unusual_volume", want_vol)):
        got = hits.filter(pl.col("scanner") == name)
        assert [ts.index(t) for t in got["ts"]] == [t for t, _ in want]
        assert got["value"].to_list() == pytest.approx([z for _, z in want])
    assert 100 in [t for t, _ in want_move]
    assert 90 in [t for t, _ in want_vol]
    move = hits.filter(pl.col("scanner") == "unusual_move", pl.col("ts") == ts[100]).row(
        0, named=True
    )
    assert move["direction"] == "bullish"
    assert move["strength"] == "strong"


def test_range_expansion_against_previous_atr() -> None:
    close = np.full(40, 100.0)
    high, low = close + 1.0, close - 1.0
    high[35], low[35] = 104.0, 97.0  # range 7 vs a previous ATR of 2
    hits = UnusualActivityDetector().detect(make_bars(close, high=high, low=low)).hits
    got = hits.filter(pl.col("scanner") == "range_expansion")
    assert got["value"].to_list() == pytest.approx([3.5])
    assert got["strength"].to_list() == ["moderate"]  # 2.5 + 1 <= 3.5 < 2.5 + 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lookback": 2}, "at least 5"),
        ({"volume_z": -1}, "> 0"),
        ({"range_atr": float("inf")}, "finite"),
    ],
)
def test_unusual_settings_validate(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(InputError, match=match):
        UnusualActivityDetector(**kwargs)  # type: ignore[arg-type]


def test_forward_returns_and_pattern_stats_hand_worked() -> None:
    close = [100.0, 110.0, 99.0, 121.0, 100.0, 90.0]
    bars = make_bars(close)
    fwd = forward_returns(bars, [1, 2])
    assert fwd["fwd_1"].to_list()[:2] == pytest.approx([0.10, -0.10])
    assert fwd["fwd_2"].to_list()[-2:] == [None, None]
    ts = bars["ts"].to_list()
    hits = pl.DataFrame(
        {
            "symbol": ["T", "T", "T"],
            "ts": [ts[0], ts[2], ts[1]],
            "scanner": ["up", "up", "down"],
            "direction": ["bullish", "bullish", "bearish"],
        }
    )
    table = pattern_stats(hits, bars, horizons=[1]).frame
    up = table.filter(pl.col("scanner") == "up").row(0, named=True)
    # up: +10 % and +22.2 % one bar later; both went the bullish way.
    assert up["mean_1"] == pytest.approx((0.10 + 121 / 99 - 1) / 2)
    assert up["hit_rate_1"] == 1.0
    assert up["hits"] == 2
    base = np.mean([110 / 100 - 1, 99 / 110 - 1, 121 / 99 - 1, 100 / 121 - 1, 90 / 100 - 1])
    assert up["base_1"] == pytest.approx(base)
    down = table.filter(pl.col("scanner") == "down").row(0, named=True)
    assert down["hit_rate_1"] == 1.0  # 110 -> 99 fell, as a bearish hit says
    assert down["edge_1"] == pytest.approx(base - (99 / 110 - 1))
    with pytest.raises(InputError, match="positive integers"):
        pattern_stats(hits, bars, horizons=[0])


def test_pattern_stats_on_the_sandbox(bars: pl.DataFrame) -> None:
    from axion_lab.scanner import ScannerEngine

    hits = ScannerEngine(bars).scan_history(["gap_up", "hammer", "double_bottom"]).hits
    table = pattern_stats(hits, bars).frame
    counts = hits.group_by("scanner").len()
    joined = table.join(counts, on="scanner")
    assert (joined["hits"] == joined["len"]).all()
    assert table["hit_rate_5"].is_between(0, 1).all()
    assert "<table>" in pattern_stats(hits, bars)._repr_html_()
