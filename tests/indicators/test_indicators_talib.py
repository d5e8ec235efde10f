"""TA-Lib-backed indicators equal a direct TA-Lib call on each symbol's own series.

The reference calls are written out by hand here (not taken from the specs), so a
wrong parameter mapping in a spec would show up as a mismatch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import polars as pl
import pytest
import talib
from polars.testing import assert_frame_equal

from axion_lab.indicators import (
    ADX,
    ATR,
    CCI,
    EMA,
    MACD,
    MFI,
    OBV,
    ROC,
    RSI,
    SMA,
    WMA,
    AnchoredVWAP,
    BBands,
    Beta,
    HighLow,
    Indicator,
    Return,
    Stochastic,
    TalibIndicator,
    WilliamsR,
    _kernel,
    compute_indicators,
)


class A(NamedTuple):
    o: np.ndarray
    h: np.ndarray
    l: np.ndarray  # noqa: E741
    c: np.ndarray
    v: np.ndarray


Ref = Callable[[A], dict[str, np.ndarray]]


def _bb(window: int, k: float, tag: str) -> Ref:
    def ref(a: A) -> dict[str, np.ndarray]:
        up, mid, lo = talib.BBANDS(a.c, timeperiod=window, nbdevup=k, nbdevdn=k, matype=0)
        return {f"bb_upper{tag}": up, f"bb_middle{tag}": mid, f"bb_lower{tag}": lo}

    return ref


def _macd(f: int, s: int, g: int, tag: str) -> Ref:
    def ref(a: A) -> dict[str, np.ndarray]:
        m, sig, hist = talib.MACD(a.c, fastperiod=f, slowperiod=s, signalperiod=g)
        return {f"macd{tag}": m, f"macd_signal{tag}": sig, f"macd_hist{tag}": hist}

    return ref


def _stoch(n: int, ks: int, d: int, tag: str) -> Ref:
    def ref(a: A) -> dict[str, np.ndarray]:
        k, dd = talib.STOCH(a.h, a.l, a.c, n, ks, 0, d, 0)
        return {f"stoch_k{tag}": k, f"stoch_d{tag}": dd}

    return ref


CASES: list[tuple[Indicator, Ref]] = [
    (SMA(20), lambda a: {"sma_20": talib.SMA(a.c, 20)}),
    (SMA(200), lambda a: {"sma_200": talib.SMA(a.c, 200)}),
    (EMA(12), lambda a: {"ema_12": talib.EMA(a.c, 12)}),
    (WMA(20), lambda a: {"wma_20": talib.WMA(a.c, 20)}),
    (RSI(14), lambda a: {"rsi_14": talib.RSI(a.c, 14)}),
    (RSI(2), lambda a: {"rsi_2": talib.RSI(a.c, 2)}),
    (MACD(), _macd(12, 26, 9, "")),
    (MACD(5, 35, 5), _macd(5, 35, 5, "_5_35_5")),
    (BBands(20), _bb(20, 2.0, "_20")),
    (BBands(10, 2.5), _bb(10, 2.5, "_10_2p5")),
    (ATR(14), lambda a: {"atr_14": talib.ATR(a.h, a.l, a.c, 14)}),
    (
        ADX(14),
        lambda a: {
            "adx_14": talib.ADX(a.h, a.l, a.c, 14),
            "plus_di_14": talib.PLUS_DI(a.h, a.l, a.c, 14),
            "minus_di_14": talib.MINUS_DI(a.h, a.l, a.c, 14),
        },
    ),
    (Stochastic(14), _stoch(14, 3, 3, "_14")),
    (Stochastic(5, 3, 5), _stoch(5, 3, 5, "_5_3_5")),
    (WilliamsR(14), lambda a: {"willr_14": talib.WILLR(a.h, a.l, a.c, 14)}),
    (CCI(20), lambda a: {"cci_20": talib.CCI(a.h, a.l, a.c, 20)}),
    (OBV(), lambda a: {"obv": talib.OBV(a.c, a.v)}),
    (MFI(14), lambda a: {"mfi_14": talib.MFI(a.h, a.l, a.c, a.v, 14)}),
    (ROC(10), lambda a: {"roc_10": talib.ROC(a.c, 10)}),
    (HighLow(20), lambda a: {"high_20": talib.MAX(a.h, 20), "low_20": talib.MIN(a.l, 20)}),
    (HighLow(252), lambda a: {"high_252": talib.MAX(a.h, 252), "low_252": talib.MIN(a.l, 252)}),
]


def _arrays(bars: pl.DataFrame, symbol: str) -> A:
    one = bars.filter(pl.col("symbol") == symbol).sort("ts")
    cols = [one[c].cast(pl.Float64).to_numpy().copy() for c in ("open", "high", "low", "close")]
    return A(*cols, one["volume"].cast(pl.Float64).to_numpy().copy())


def test_every_talib_spec_of_the_registry_is_covered() -> None:
    from axion_lab.indicators import INDICATORS

    covered = {type(spec) for spec, _ in CASES}
    talib_specs = {cls for cls in INDICATORS.values() if issubclass(cls, TalibIndicator)}
    assert talib_specs <= covered


@pytest.mark.parametrize(("spec", "ref"), CASES, ids=[str(s) for s, _ in CASES])
def test_values_equal_direct_talib_per_symbol(
    panel_bars: pl.DataFrame, spec: Indicator, ref: Ref
) -> None:
    out = compute_indicators(panel_bars, [spec], n_jobs=1)
    for symbol in panel_bars["symbol"].unique().sort():
        expected = ref(_arrays(panel_bars, symbol))
        assert set(expected) <= set(spec.columns)
        mine = out.filter(pl.col("symbol") == symbol)
        for col, values in expected.items():
            got = mine[col]
            # Warm-up: null exactly where TA-Lib has NaN, and never NaN.
            assert got.is_nan().sum() == 0
            np.testing.assert_array_equal(got.is_null().to_numpy(), np.isnan(values), col)
            np.testing.assert_allclose(got.to_numpy(), values, rtol=1e-12, equal_nan=True)


def test_bollinger_pct_b_and_width_follow_the_bands(panel_bars: pl.DataFrame) -> None:
    out = compute_indicators(panel_bars, [BBands(20)])
    a = _arrays(panel_bars, "AAA")
    up, mid, lo = talib.BBANDS(a.c, 20, 2.0, 2.0, 0)
    mine = out.filter(pl.col("symbol") == "AAA")
    np.testing.assert_allclose(mine["bb_pct_b_20"].to_numpy(), (a.c - lo) / (up - lo), rtol=1e-12)
    np.testing.assert_allclose(mine["bb_width_20"].to_numpy(), (up - lo) / mid, rtol=1e-12)


def test_threaded_path_equals_serial_path(
    panel_bars: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With polars specs too, the large-input path also overlaps the polars stage.
    specs = [spec for spec, _ in CASES] + [Return(5), HighLow(20), Beta(20), AnchoredVWAP()]
    serial = compute_indicators(panel_bars, specs, n_jobs=1)
    monkeypatch.setattr(_kernel, "PARALLEL_MIN_ROWS", 0)
    threaded = compute_indicators(panel_bars, specs, n_jobs=2)
    assert_frame_equal(serial, threaded)


def test_chunks_cover_every_symbol_once() -> None:
    offsets = np.array([0, 5, 6, 100, 101, 400, 401, 402])
    for n in (1, 2, 3, 8, 50):
        spans = _kernel._chunks(offsets, n)
        covered = [i for a, b in spans for i in range(a, b)]
        assert covered == list(range(len(offsets) - 1))
