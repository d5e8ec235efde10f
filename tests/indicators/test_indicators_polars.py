"""Polars-backed indicators against hand-worked cases and numpy references."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from axion_lab.indicators import (
    VWAP,
    AnchoredVWAP,
    Beta,
    Gap,
    HighLow,
    RealizedVol,
    RelativeVolume,
    Return,
    compute_indicators,
)

D = [dt.datetime(2024, 1, d) for d in range(1, 10)]


def _tiny() -> pl.DataFrame:
    """Two symbols, B listed first in the rows and shorter; numbers chosen to check by eye."""
    return pl.DataFrame(
        {
            "symbol": ["B", "B", "A", "A", "A", "A", "A"],
            "ts": [D[0], D[1], D[0], D[1], D[2], D[3], D[4]],
            "open": [9.0, 6.0, 1.0, 2.2, 3.6, 8.8, 8.0],
            "high": [11.0, 7.0, 1.5, 3.0, 4.5, 9.0, 8.5],
            "low": [9.0, 4.0, 0.5, 1.0, 3.0, 7.0, 7.5],
            "close": [10.0, 5.0, 1.0, 2.0, 4.0, 8.0, 8.0],
            "volume": [50, 70, 100, 200, 300, 600, 0],
        }
    )


def _col(out: pl.DataFrame, symbol: str, col: str) -> list[float | None]:
    return out.filter(pl.col("symbol") == symbol)[col].to_list()


def test_returns_hand_worked() -> None:
    out = compute_indicators(_tiny(), [Return(1), Return(2)])
    assert _col(out, "A", "ret_1") == [None, 1.0, 1.0, 1.0, 0.0]
    assert _col(out, "A", "ret_2") == [None, None, 3.0, 3.0, 1.0]
    # B's first row must not see A's last close (A sorts first).
    assert _col(out, "B", "ret_1") == [None, -0.5]
    assert _col(out, "B", "ret_2") == [None, None]


def test_gap_hand_worked() -> None:
    out = compute_indicators(_tiny(), [Gap()])
    assert _col(out, "A", "gap") == pytest.approx([None, 1.2, 0.8, 1.2, 0.0])
    assert _col(out, "B", "gap") == [None, pytest.approx(-0.4)]


def test_rolling_high_low_and_distance() -> None:
    out = compute_indicators(_tiny(), [HighLow(2)])
    assert _col(out, "A", "high_2") == [None, 3.0, 4.5, 9.0, 9.0]
    assert _col(out, "A", "low_2") == [None, 0.5, 1.0, 3.0, 7.0]
    assert _col(out, "A", "pct_from_high_2") == pytest.approx(
        [None, 2 / 3 - 1, 4 / 4.5 - 1, 8 / 9 - 1, 8 / 9 - 1]
    )
    assert _col(out, "A", "pct_from_low_2") == pytest.approx(
        [None, 2 / 0.5 - 1, 4 / 1 - 1, 8 / 3 - 1, 8 / 7 - 1]
    )
    assert _col(out, "B", "high_2") == [None, 11.0]


def test_relative_volume_uses_previous_bars() -> None:
    out = compute_indicators(_tiny(), [RelativeVolume(2)])
    # 300 / mean(100, 200); 600 / mean(200, 300); 0 / mean(300, 600).
    assert _col(out, "A", "rel_volume_2") == pytest.approx([None, None, 2.0, 2.4, 0.0])
    assert _col(out, "B", "rel_volume_2") == [None, None]


def test_rolling_vwap_hand_worked() -> None:
    out = compute_indicators(_tiny(), [VWAP(2)])
    tp = [(1.5 + 0.5 + 1) / 3, (3 + 1 + 2) / 3, (4.5 + 3 + 4) / 3, (9 + 7 + 8) / 3, 8.0]
    v = [100, 200, 300, 600, 0]
    expected = [None] + [
        (tp[i - 1] * v[i - 1] + tp[i] * v[i]) / (v[i - 1] + v[i]) for i in range(1, 5)
    ]
    assert _col(out, "A", "vwap_2") == pytest.approx(expected)


def test_anchored_vwap_resets_at_the_period_start() -> None:
    ts = [dt.datetime(2023, 12, 28), dt.datetime(2023, 12, 29), dt.datetime(2024, 1, 2)]
    bars = pl.DataFrame(
        {
            "symbol": "A",
            "ts": ts,
            "high": [2.0, 4.0, 10.0],
            "low": [2.0, 4.0, 10.0],
            "close": [2.0, 4.0, 10.0],
            "volume": [1, 3, 5],
        }
    )
    out = compute_indicators(bars, [AnchoredVWAP("year")])
    assert out["vwap_ytd"].to_list() == pytest.approx([2.0, (2 * 1 + 4 * 3) / 4, 10.0])
    month = compute_indicators(bars, [AnchoredVWAP("month")])["vwap_mtd"]
    assert month.to_list() == pytest.approx([2.0, 3.5, 10.0])


def test_zero_volume_window_gives_null_not_nan() -> None:
    bars = pl.DataFrame(
        {
            "symbol": "A",
            "ts": D[:4],
            "high": [1.0] * 4,
            "low": [1.0] * 4,
            "close": [1.0] * 4,
            "volume": [0, 0, 0, 5],
        }
    )
    out = compute_indicators(bars, [VWAP(2), RelativeVolume(2), AnchoredVWAP()])
    assert out["vwap_2"].to_list() == [None, None, None, 1.0]
    assert out["rel_volume_2"].to_list() == [None, None, None, None]
    assert out["vwap_ytd"].to_list() == [None, None, None, 1.0]


def _walk(n: int, seed: int, start: float = 50.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return start * np.exp(np.cumsum(rng.normal(0.0, 0.015, n)))


def _frame(closes: dict[str, np.ndarray], first: dict[str, int] | None = None) -> pl.DataFrame:
    first = first or {}
    rows = []
    for sym, close in closes.items():
        start = first.get(sym, 0)
        ts = [dt.datetime(2020, 1, 1) + dt.timedelta(days=start + i) for i in range(len(close))]
        rows.append(pl.DataFrame({"symbol": sym, "ts": ts, "close": close}))
    return pl.concat(rows)


@pytest.mark.parametrize("window", [20, 60])
def test_realized_vol_matches_numpy_std(window: int) -> None:
    close = _walk(150, seed=1)
    out = compute_indicators(_frame({"A": close, "B": _walk(90, 2, 500.0)}), [RealizedVol(window)])
    got = out.filter(pl.col("symbol") == "A")[f"realized_vol_{window}"].to_numpy()
    log_ret = np.diff(np.log(close))
    assert np.isnan(got[:window]).all()  # nulls, which to_numpy shows as NaN
    for i in range(window, len(close)):
        expected = np.std(log_ret[i - window : i], ddof=1) * math.sqrt(252)
        assert got[i] == pytest.approx(expected, rel=1e-9)


def test_beta_against_a_benchmark_frame_matches_numpy_cov_var() -> None:
    w = 30
    market = _walk(120, seed=5, start=1000.0)
    rng = np.random.default_rng(9)
    m_ret = market[1:] / market[:-1] - 1
    a_ret = 1.5 * m_ret + rng.normal(0, 0.005, len(m_ret))
    a_close = 20 * np.concatenate([[1.0], np.cumprod(1 + a_ret)])
    bars = _frame({"A": a_close, "B": _walk(120, 6)})
    bench = _frame({"M": market}).select("ts", "close")
    out = compute_indicators(bars, [Beta(w)], benchmark=bench)
    got = out.filter(pl.col("symbol") == "A")[f"beta_{w}"].to_numpy()
    assert np.isnan(got[:w]).all()
    for i in range(w, len(a_close)):
        x, y = a_ret[i - w : i], m_ret[i - w : i]
        expected = np.cov(x, y, ddof=1)[0, 1] / np.var(y, ddof=1)
        assert got[i] == pytest.approx(expected, rel=1e-8)
    assert np.nanmean(got) == pytest.approx(1.5, abs=0.1)


def test_beta_to_a_symbol_equals_beta_to_its_series() -> None:
    bars = _frame({"A": _walk(100, 1), "B": _walk(100, 2), "M": _walk(100, 3)})
    by_symbol = compute_indicators(bars, [Beta(20)], benchmark="M")
    bench = bars.filter(pl.col("symbol") == "M").select("ts", "close")
    by_frame = compute_indicators(bars, [Beta(20)], benchmark=bench)
    assert by_symbol["beta_20"].to_list() == pytest.approx(by_frame["beta_20"].to_list())
    beta_m = by_symbol.filter(pl.col("symbol") == "M")["beta_20"].drop_nulls()
    assert beta_m.to_list() == pytest.approx([1.0] * beta_m.len())


def test_beta_to_equal_weight_market() -> None:
    w = 25
    closes = {"A": _walk(80, 1), "B": _walk(80, 2), "C": _walk(60, 3)}
    first = {"C": 20}  # C lists later: the market is the mean of whoever trades that day
    bars = _frame(closes, first)
    out = compute_indicators(bars, [Beta(w)])
    rets = {s: np.full(80, np.nan) for s in closes}
    for s, c in closes.items():
        off = first.get(s, 0)
        rets[s][off + 1 : off + len(c)] = c[1:] / c[:-1] - 1
    stacked = np.vstack(list(rets.values()))
    counts = (~np.isnan(stacked)).sum(axis=0)
    market = np.where(counts > 0, np.nansum(stacked, axis=0) / np.maximum(counts, 1), np.nan)
    got = out.filter(pl.col("symbol") == "A")[f"beta_{w}"].to_numpy()
    for i in range(w, 80):
        x, y = rets["A"][i - w + 1 : i + 1], market[i - w + 1 : i + 1]
        assert got[i] == pytest.approx(np.cov(x, y)[0, 1] / np.var(y, ddof=1), rel=1e-8)


def test_beta_missing_benchmark_day_nulls_the_windows_that_contain_it() -> None:
    bars = _frame({"A": _walk(40, 1)})
    bench = _frame({"M": _walk(40, 2)}).select("ts", "close")
    holiday = bench["ts"][25]
    out = compute_indicators(bars, [Beta(10)], benchmark=bench.filter(pl.col("ts") != holiday))
    got = out["beta_10"]
    # Bar 25 has no market return, nor has bar 26 (its previous benchmark bar is missing:
    # a two-bar benchmark return must not pair with a one-bar stock return).
    assert got[10:25].null_count() == 0
    assert got[25:36].null_count() == 11
    assert got.is_nan().sum() == 0
