"""The ten presets fire exactly where their documented rule holds, recomputed here
from raw bars (numpy and direct TA-Lib calls), with documented strength cut-offs."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import talib
from scanner_data import make_bars

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.scanner import (
    PRESET_SCANNERS,
    ScanCriterion,
    ScannerEngine,
    create_scanner,
    get_preset_scanner,
)

PRESETS = (
    "gap_up",
    "gap_down",
    "new_high",
    "new_low",
    "volume_spike",
    "rsi_oversold",
    "rsi_overbought",
    "macd_bullish_cross",
    "big_gainers",
    "big_losers",
)


def _expected(name: str, part: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(mask, graded value) of preset ``name`` for one symbol, from first principles."""
    o, h, lo, c = (part[x].to_numpy() for x in ("open", "high", "low", "close"))
    v = part["volume"].to_numpy().astype(float)
    n = len(c)
    prev_c = np.concatenate([[np.nan], c[:-1]])
    gap = o / prev_c - 1
    ret = c / prev_c - 1
    relv = np.full(n, np.nan)
    for t in range(20, n):
        relv[t] = v[t] / v[t - 20 : t].mean()
    prior_hi = np.full(n, np.nan)
    prior_lo = np.full(n, np.nan)
    for t in range(252, n):
        prior_hi[t] = h[t - 252 : t].max()
        prior_lo[t] = lo[t - 252 : t].min()
    rsi = talib.RSI(c, timeperiod=14)
    macd, sig, _ = talib.MACD(c, 12, 26, 9)
    with np.errstate(invalid="ignore"):
        table = {
            "gap_up": (gap >= 0.03, gap),
            "gap_down": (gap <= -0.03, np.abs(gap)),
            "new_high": (h > prior_hi, relv),
            "new_low": (lo < prior_lo, relv),
            "volume_spike": (relv >= 2.0, relv),
            "rsi_oversold": (rsi < 30, rsi),
            "rsi_overbought": (rsi > 70, rsi),
            "macd_bullish_cross": (
                (macd > sig) & (np.concatenate([[np.nan], macd[:-1] - sig[:-1]]) <= 0),
                relv,
            ),
            "big_gainers": (ret >= 0.05, ret),
            "big_losers": (ret <= -0.05, np.abs(ret)),
        }
    mask, value = table[name]
    return np.nan_to_num(mask, nan=0).astype(bool), value


@pytest.fixture(scope="module")
def history(bars: pl.DataFrame) -> pl.DataFrame:
    return ScannerEngine(bars).scan_history(list(PRESETS)).hits


@pytest.mark.parametrize("name", PRESETS)
def test_preset_fires_exactly_where_its_rule_holds(
    name: str, bars: pl.DataFrame, history: pl.DataFrame
) -> None:
    hits = history.filter(pl.col("scanner") == name)
    expected = []
    for (symbol,), part in bars.sort("symbol", "ts").group_by("symbol", maintain_order=True):
        mask, _ = _expected(name, part)
        expected += [(symbol, t) for t in part["ts"].filter(pl.Series(mask)).to_list()]
    got = sorted(zip(hits["symbol"].to_list(), hits["ts"].to_list(), strict=True))
    assert got == sorted(expected)
    assert hits.height > 0 or name in ("new_high", "new_low"), f"{name} never fired"


@pytest.mark.parametrize("name", ["gap_up", "big_losers", "rsi_oversold", "volume_spike"])
def test_strength_follows_documented_cutoffs(name: str, history: pl.DataFrame) -> None:
    scanner = PRESET_SCANNERS[name]
    hits = history.filter(pl.col("scanner") == name)
    mod, strong = scanner.params["moderate"], scanner.params["strong"]
    for value, strength in hits.select("value", "strength").iter_rows():
        v = abs(value) if scanner.strength.absolute else value
        if scanner.strength.lower_is_stronger:
            want = "strong" if v <= strong else "moderate" if v <= mod else "weak"
        else:
            want = "strong" if v >= strong else "moderate" if v >= mod else "weak"
        assert strength == want, (name, value)


def test_hits_carry_the_triggering_bar_and_values(
    bars: pl.DataFrame, history: pl.DataFrame
) -> None:
    hit = history.filter(pl.col("scanner") == "gap_up").row(0, named=True)
    bar = bars.filter(pl.col("symbol") == hit["symbol"], pl.col("ts") == hit["ts"]).row(
        0, named=True
    )
    assert [hit[k] for k in ("open", "high", "low", "close", "volume")] == [
        bar[k] for k in ("open", "high", "low", "close", "volume")
    ]
    assert hit["values"] == [{"name": "gap", "value": hit["value"]}]
    assert hit["category"] == "gap"
    assert hit["direction"] == "bullish"


def test_override_changes_the_rule(bars: pl.DataFrame) -> None:
    engine = ScannerEngine(bars)
    loose = engine.scan_history(get_preset_scanner("gap_up", threshold=0.02)).hits
    tight = engine.scan_history(get_preset_scanner("gap_up", threshold=0.05)).hits
    assert tight.height < loose.height
    assert tight["value"].min() >= 0.05  # type: ignore[operator]
    assert tight.join(loose, on=["symbol", "ts"], how="anti").height == 0


def test_scan_reports_only_the_as_of_session(market) -> None:  # type: ignore[no-untyped-def]
    engine = ScannerEngine(market)
    result = engine.scan(["volume_spike", "gap_down"], as_of="2023-06-15")
    session = market.as_of("2023-06-15").end
    assert result.hits.height > 0
    assert set(result.hits["ts"].dt.date()) == {session}


def test_null_warmup_never_passes() -> None:
    # 30 bars: RSI exists from bar 14, relative volume from bar 20, the 252-bar high never.
    frame = make_bars(np.linspace(100, 40, 30), volume=[10] * 29 + [10_000])
    hits = ScannerEngine(frame).scan_history(["rsi_oversold", "new_low", "volume_spike"]).hits
    assert "new_low" not in hits["scanner"].to_list()
    assert hits.filter(pl.col("scanner") == "rsi_oversold")["ts"].min() == frame["ts"][14]
    assert hits.filter(pl.col("scanner") == "volume_spike")["ts"].to_list() == [frame["ts"][29]]


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'gap_up'"):
        get_preset_scanner("gapup")
    with pytest.raises(UnknownNameError, match="Did you mean 'threshold'"):
        get_preset_scanner("gap_up", treshold=0.05)
    with pytest.raises(UnknownNameError, match="'rsi_oversold'"):
        ScannerEngine(make_bars([1.0, 2.0])).scan(["rsi_oversld"])


@pytest.mark.parametrize(
    ("name", "overrides", "match"),
    [
        ("gap_up", {"threshold": -0.01}, r"must lie in"),
        ("gap_up", {"threshold": float("nan")}, "finite number"),
        ("rsi_oversold", {"threshold": 130}, r"must lie in \[0, 100\]"),
        ("gap_up", {"threshold": True}, "finite number"),
        ("gap_up", {"strong": 0.04}, "'strong' cut-off"),
        ("rsi_oversold", {"strong": 28}, "at or below"),
    ],
)
def test_bad_thresholds_are_rejected(name: str, overrides: dict[str, float], match: str) -> None:
    with pytest.raises(InputError, match=match):
        get_preset_scanner(name, **overrides)


def test_empty_universe_and_bad_criteria_are_clear_errors() -> None:
    engine = ScannerEngine(make_bars([1.0, 2.0, 3.0]))
    with pytest.raises(InputError, match="universe is empty"):
        engine.scan(symbols=[])
    with pytest.raises(InputError, match="exactly one of"):
        ScanCriterion("close", ">", value=1.0, param="x")
    with pytest.raises(UnknownNameError, match="scan operator"):
        ScanCriterion("close", "=>", value=1.0)
    with pytest.raises(UnknownNameError, match="parameter of scanner"):
        create_scanner("x", ScanCriterion("close", ">", param="lvl"), params={"level": 1.0})


def test_custom_scanner_with_a_column_reference() -> None:
    close = [10.0] * 5 + [12.0, 11.0, 13.0]
    frame = make_bars(close)
    above = create_scanner(
        "close_above_prev_high",
        ScanCriterion("close", ">", ref="high", ref_lag=1),
        direction="bullish",
    )
    hits = ScannerEngine(frame).scan_history(above).hits
    highs = frame["high"].to_list()
    want = [frame["ts"][t] for t in range(1, len(close)) if close[t] > highs[t - 1]]
    assert hits["ts"].to_list() == want
