"""check_bars: each planted problem is found, and clean data yields no findings."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from axion_lab.data.quality import check_bars
from axion_lab.data.schema import SCHEMAS


def clean_bars(symbol: str = "AAA", n: int = 60, seed: int = 1) -> pl.DataFrame:
    """A plausible random walk on consecutive business days from 2024-01-01."""
    rng = np.random.default_rng(seed)
    days = np.busday_offset("2024-01-01", np.arange(n), roll="forward").astype("datetime64[us]")
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    open_ = np.concatenate([[close[0]], close[:-1]])
    return pl.DataFrame(
        {
            "symbol": [symbol] * n,
            "ts": days,
            "open": open_,
            "high": np.maximum(open_, close) * 1.005,
            "low": np.minimum(open_, close) * 0.995,
            "close": close,
            "volume": rng.integers(1_000, 5_000, n),
        },
        schema=SCHEMAS["bars"],
    )


def _set(frame: pl.DataFrame, index: int, **values: float) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == index).then(pl.lit(v)).otherwise(pl.col(c)).alias(c)
        for c, v in values.items()
    )


def test_clean_bars_have_no_findings():
    bars = pl.concat([clean_bars("AAA", seed=1), clean_bars("BBB", seed=2)])
    report = check_bars(bars)
    assert len(report) == 0
    assert report.ok
    assert report.rows_checked == 120


def test_empty_bars_are_fine():
    assert len(check_bars(pl.DataFrame(schema=SCHEMAS["bars"]))) == 0


def test_duplicate_bars():
    bars = clean_bars()
    report = check_bars(pl.concat([bars, bars.slice(10, 2)]))
    row = report.to_frame().row(0, named=True)
    assert report.checks() == ["duplicate_bars"]
    assert (row["severity"], row["count"], row["symbol"]) == ("error", 2, "AAA")
    assert row["start"] == bars["ts"][10].date()
    assert row["end"] == bars["ts"][11].date()


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"low": 0.0}, "non_positive_price"),
        ({"close": -1.0, "low": -2.0, "open": -1.5}, "non_positive_price"),
        ({"high": 40.0, "low": 60.0, "open": 50.0, "close": 50.0}, "high_below_low"),
        ({"close": 1000.0}, "open_close_outside_range"),
        ({"open": 0.5}, "open_close_outside_range"),
        ({"volume": -5}, "negative_volume"),
    ],
)
def test_price_sanity(change, check):
    bars = _set(clean_bars(), 30, **change)
    report = check_bars(bars, outlier_k=1e9)  # the planted value is also an outlier
    found = report.to_frame().filter(pl.col("check") == check)
    assert found.height == 1
    assert found["severity"][0] == "error"
    assert found["start"][0] == bars["ts"][30].date()


def test_missing_close_is_a_warning():
    bars = clean_bars().with_columns(
        pl.when(pl.int_range(pl.len()) == 5).then(None).otherwise(pl.col("close")).alias("close")
    )
    report = check_bars(bars)
    assert report.checks() == ["missing_close"]
    assert report.count("warning") == 1


@pytest.mark.parametrize(("dropped", "flagged"), [(3, False), (4, True)])
def test_gaps_beyond_tolerance(dropped, flagged):
    bars = clean_bars()
    # Rows 20.. are consecutive business days: dropping k rows leaves k missing days.
    holed = bars.filter(~pl.int_range(pl.len()).is_between(20, 19 + dropped))
    report = check_bars(holed, outlier_k=1e9)
    gaps = report.to_frame().filter(pl.col("check") == "gap")
    assert gaps.height == int(flagged)
    if flagged:
        assert gaps["count"][0] == dropped
        assert gaps["start"][0] == bars["ts"][19].date()
        assert gaps["end"][0] == bars["ts"][20 + dropped].date()


def test_weekends_are_not_gaps():
    bars = clean_bars()
    assert bars["ts"].dt.weekday().max() == 5  # Mon..Fri only, weekends skipped
    assert "gap" not in check_bars(bars).checks()


def test_outlier_is_reported_not_removed():
    bars = clean_bars()
    spiked = bars.with_columns(
        pl.when(pl.int_range(pl.len()) >= 40).then(pl.col(c) * 1.5).otherwise(pl.col(c))
        for c in ("open", "high", "low", "close")
    )
    spiked = _set(spiked, 40, open=bars["close"][39], low=bars["close"][39] * 0.99)
    report = check_bars(spiked)
    outliers = report.to_frame().filter(pl.col("check") == "outlier_return")
    assert outliers["start"].to_list() == [bars["ts"][40].date()]
    expected = np.log(spiked["close"][40] / spiked["close"][39])
    assert f"Log return {expected:+.3f}" in outliers["message"][0]
    assert report.checks() == ["outlier_return"]
    assert outliers["severity"][0] == "warning"


def test_outlier_on_split_ex_date_is_excused():
    bars = clean_bars()
    split = bars.with_columns(
        pl.when(pl.int_range(pl.len()) >= 40).then(pl.col(c) / 2).otherwise(pl.col(c))
        for c in ("open", "high", "low", "close")
    )
    assert check_bars(split).checks() == ["outlier_return"]
    splits = pl.DataFrame(
        {
            "symbol": ["AAA"],
            "announced": [dt.date(2024, 1, 1)],
            "ex_date": [bars["ts"][40].date()],
            "ratio": [2.0],
        },
        schema=SCHEMAS["splits"],
    )
    assert check_bars(split, splits=splits).checks() == []


@pytest.mark.parametrize(("run", "flagged"), [(4, False), (5, True)])
def test_stale_prices(run, flagged):
    bars = clean_bars()
    flat = bars.with_columns(
        pl.when(pl.int_range(pl.len()).is_between(10, 9 + run))
        .then(pl.lit(bars["close"][10]))
        .otherwise(pl.col("close"))
        .alias("close")
    ).with_columns(
        pl.max_horizontal("high", "close").alias("high"),
        pl.min_horizontal("low", "close").alias("low"),
    )
    stale = check_bars(flat).to_frame().filter(pl.col("check") == "stale_prices")
    assert stale.height == int(flagged)
    if flagged:
        assert stale["count"][0] == run
        assert (stale["start"][0], stale["end"][0]) == (
            bars["ts"][10].date(),
            bars["ts"][9 + run].date(),
        )


def test_findings_are_per_symbol():
    bad = _set(clean_bars("BBB", seed=2), 3, volume=-1)
    report = check_bars(pl.concat([clean_bars("AAA"), bad]))
    assert report.to_frame()["symbol"].to_list() == ["BBB"]


def test_date_typed_ts_works():
    bars = clean_bars().with_columns(pl.col("ts").dt.date())
    assert check_bars(bars).ok
