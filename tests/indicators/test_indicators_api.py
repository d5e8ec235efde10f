"""Validation, the registry table, name resolution, helpers and ``latest``."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import subprocess
import sys

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from axion_lab.exceptions import InputError, UnknownNameError, UnknownSymbolError
from axion_lab.indicators import (
    DEFAULT_PANEL,
    INDICATORS,
    MACD,
    RSI,
    SMA,
    AnchoredVWAP,
    BBands,
    HighLow,
    Return,
    Stochastic,
    compute_indicators,
    indicator_columns,
    indicator_table,
    latest,
    resolve_indicators,
    returns,
    rsi,
)

# --- spec validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SMA(0), "window must be an integer >= 1"),
        (lambda: SMA(-5), "window must be an integer >= 1"),
        (lambda: SMA(2.5), "window must be an integer"),
        (lambda: SMA(True), "window must be an integer"),
        (lambda: RSI(1), "window must be an integer >= 2"),
        (lambda: Return(0), "window must be an integer >= 1"),
        (lambda: HighLow(1), "window must be an integer >= 2"),
        (lambda: MACD(26, 12), "fast (26) must be shorter than slow (12)"),
        (lambda: BBands(20, num_std=0), "num_std must be a number > 0"),
        (lambda: Stochastic(14, 0), "k_smooth must be an integer >= 1"),
    ],
)
def test_bad_parameters_raise_input_error(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_unknown_anchor_suggests_a_valid_one() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'year'"):
        AnchoredVWAP("yeer")


def test_specs_are_frozen_and_hashable() -> None:
    spec = SMA(50)
    assert spec == SMA(window=50)
    assert len({spec, SMA(50), SMA(20)}) == 2
    with pytest.raises(AttributeError):
        spec.window = 10  # type: ignore[misc]


# --- name resolution ----------------------------------------------------------------


def test_names_resolve_to_specs() -> None:
    specs = resolve_indicators(
        ["rsi", "SMA_50", "macd_signal", "plus_di_14", "high_low_20", SMA(50)]
    )
    assert [str(s) for s in specs] == [
        "RSI(window=14)",
        "SMA(window=50)",
        "MACD(fast=12, slow=26, signal=9)",
        "ADX(window=14)",
        "HighLow(window=20)",
    ]


def test_unknown_name_suggests_close_names() -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_indicators(["bolinger"])
    assert "Unknown indicator 'bolinger'" in str(info.value)
    with pytest.raises(UnknownNameError, match="Did you mean 'stoch'"):
        compute_indicators(pl.DataFrame(), ["stoch_"])


def test_two_specs_writing_one_column_are_rejected() -> None:
    class Clash(SMA):
        pass

    with pytest.raises(InputError, match="both write column 'sma_20'"):
        resolve_indicators([SMA(20), Clash(20)])


def test_non_spec_is_rejected() -> None:
    with pytest.raises(InputError, match="Expected an indicator name or spec"):
        resolve_indicators([14])  # type: ignore[list-item]


# --- input validation ---------------------------------------------------------------


def _bars(n: int = 30, symbols: tuple[str, ...] = ("A",)) -> pl.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for s in symbols:
        close = 10 + np.cumsum(rng.normal(0, 0.1, n))
        rows.append(
            pl.DataFrame(
                {
                    "symbol": s,
                    "ts": [dt.datetime(2024, 1, 1) + dt.timedelta(days=i) for i in range(n)],
                    "open": close,
                    "high": close + 0.1,
                    "low": close - 0.1,
                    "close": close,
                    "volume": np.full(n, 1000, dtype=np.int64),
                }
            )
        )
    return pl.concat(rows)


def test_missing_columns_are_named() -> None:
    with pytest.raises(InputError, match=r"missing column\(s\) \['high', 'low'\]"):
        compute_indicators(_bars().drop("high", "low"), ["atr"])
    # A close-only frame is enough for close-only indicators.
    out = compute_indicators(_bars().select("symbol", "ts", "close"), ["rsi"])
    assert out.columns == ["symbol", "ts", "close", "rsi_14"]


def test_null_and_nan_prices_are_rejected_with_a_fix() -> None:
    bars = _bars().with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise(pl.col("close")).alias("close")
    )
    with pytest.raises(InputError, match=r"close null: 1.*drop_nulls"):
        compute_indicators(bars, ["sma"])
    nan = _bars().with_columns(pl.col("high").fill_nan(None))
    nan = nan.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(float("nan"))
        .otherwise(pl.col("high"))
        .alias("high")
    )
    with pytest.raises(InputError, match="high NaN: 1"):
        compute_indicators(nan, ["atr"])


def test_duplicate_bars_are_rejected() -> None:
    bars = _bars()
    with pytest.raises(InputError, match=r"1 duplicate \(symbol, ts\).*'A'"):
        compute_indicators(pl.concat([bars, bars.head(1)]), ["sma"])


def test_non_polars_input_is_rejected() -> None:
    with pytest.raises(InputError, match=r"pl\.from_pandas"):
        compute_indicators(_bars().to_pandas(), ["sma"])  # type: ignore[arg-type]


def test_unknown_benchmark_symbol_suggests() -> None:
    bars = _bars(symbols=("SPYX", "A"))
    with pytest.raises(UnknownSymbolError, match="Did you mean 'SPYX'"):
        compute_indicators(bars, ["beta"], benchmark="SPY")
    with pytest.raises(InputError, match="needs columns 'ts' and 'close'"):
        compute_indicators(bars, ["beta"], benchmark=pl.DataFrame({"ts": []}))


def test_existing_output_columns_are_replaced_and_extra_columns_kept() -> None:
    bars = _bars().with_columns(sma_20=pl.lit(-1.0), note=pl.lit("x"))
    out = compute_indicators(bars, ["sma"])
    assert out["sma_20"].drop_nulls().min() > 0  # type: ignore[operator]
    assert "note" in out.columns
    assert out.columns.count("sma_20") == 1


def test_integer_prices_are_accepted_and_input_dtypes_kept() -> None:
    bars = _bars().with_columns(pl.col("close").round(0).cast(pl.Int64))
    out = compute_indicators(bars, ["sma", "obv"])
    assert out.schema["close"] == pl.Int64
    assert out.schema["volume"] == pl.Int64
    assert out.schema["sma_20"] == pl.Float64


def test_helpers_equal_compute_indicators() -> None:
    bars = _bars(symbols=("A", "B"))
    assert_frame_equal(rsi(bars, 10), compute_indicators(bars, [RSI(10)]))
    assert returns(bars, [1, 5]).columns[-2:] == ["ret_1", "ret_5"]


def test_empty_frame_gives_empty_columns() -> None:
    out = compute_indicators(_bars().head(0), ["sma", "ret_5"])
    assert out.height == 0
    assert out.schema["sma_20"] == pl.Float64


# --- registry -----------------------------------------------------------------------


def test_indicator_table_has_one_row_per_indicator_with_metadata() -> None:
    table = indicator_table()
    assert table["name"].to_list() == list(INDICATORS)
    assert table.columns == [
        "name", "spec", "label", "function", "parameters", "inputs", "outputs",
        "description", "unit",
    ]  # fmt: skip
    for row in table.iter_rows(named=True):
        assert row["description"], row["name"]
        assert row["unit"], row["name"]
        assert row["outputs"], row["name"]
    talib_rows = table.filter(pl.col("function").str.starts_with("talib."))
    assert set(talib_rows["name"]) == {
        "sma", "ema", "wma", "rsi", "macd", "bbands", "atr", "adx", "stoch", "willr",
        "cci", "obv", "mfi", "roc", "high_low",
    }  # fmt: skip


def test_default_panel_columns_are_unique_snake_case_and_described() -> None:
    cols = indicator_columns()
    assert cols["column"].is_unique().all()
    assert cols["column"].str.contains(r"^[a-z][a-z0-9_]*$").all()
    assert set(cols["unit"]) <= {"price", "percent", "ratio", "fraction", "shares", "index"}
    assert cols.height == sum(len(s.columns) for s in DEFAULT_PANEL)
    expected = {"sma_20", "ema_12", "rsi_14", "macd", "macd_signal", "macd_hist",
                "bb_upper_20", "bb_pct_b_20", "atr_14", "adx_14", "plus_di_14",
                "minus_di_14", "stoch_k_14", "stoch_d_14", "willr_14", "cci_20", "obv",
                "mfi_14", "vwap_20", "vwap_ytd", "ret_1", "ret_252", "realized_vol_20",
                "realized_vol_60", "beta_252", "high_252", "pct_from_high_252",
                "rel_volume_20", "gap"}  # fmt: skip
    assert expected <= set(cols["column"])


def test_every_default_column_resolves_back_to_its_spec() -> None:
    for spec in DEFAULT_PANEL:
        for col in spec.columns:
            assert resolve_indicators([col]) == (spec,), col


# --- latest -------------------------------------------------------------------------


def test_latest_takes_the_last_bar_on_or_before_the_date() -> None:
    bars = _bars(n=10, symbols=("A", "B")).filter(
        ~((pl.col("symbol") == "B") & (pl.col("ts") > dt.datetime(2024, 1, 5)))
    )
    out = compute_indicators(bars, ["sma_3"])
    snap = latest(out, "2024-01-07")
    assert snap["symbol"].to_list() == ["A", "B"]
    assert snap["ts"].to_list() == [dt.datetime(2024, 1, 7), dt.datetime(2024, 1, 5)]
    a = out.filter((pl.col("symbol") == "A") & (pl.col("ts") == dt.datetime(2024, 1, 7)))
    assert snap["sma_3"][0] == a["sma_3"][0]
    assert latest(out, "2024-01-07", max_age_days=1)["symbol"].to_list() == ["A"]
    assert latest(out)["ts"].to_list() == [dt.datetime(2024, 1, 10), dt.datetime(2024, 1, 5)]
    assert latest(out, "2023-12-31").height == 0


# --- docs and imports ---------------------------------------------------------------

MODULES = [
    "axion_lab.indicators",
    "axion_lab.indicators.engine",
    "axion_lab.indicators.registry",
    "axion_lab.indicators.helpers",
    "axion_lab.indicators.snapshot",
    "axion_lab.indicators.talib_indicators",
    "axion_lab.indicators.polars_indicators",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_importing_indicators_does_not_import_talib() -> None:
    code = "import sys, axion_lab.indicators; print('talib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
