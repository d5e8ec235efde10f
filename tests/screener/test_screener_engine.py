"""ScreenerEngine on the sandbox market: presets, point in time, crosses, exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.indicators import compute_indicators
from axion_lab.screener import (
    PRESET_SCREENS,
    FilterCondition,
    Screen,
    ScreenerEngine,
    ScreenResult,
    Universe,
)

pytestmark = pytest.mark.slow
DAY = dt.date(2024, 6, 28)


@pytest.fixture(scope="module")
def engine(market: Market) -> ScreenerEngine:
    return ScreenerEngine(market)


@pytest.mark.parametrize("key", sorted(PRESET_SCREENS))
def test_every_preset_finds_sensible_matches(engine: ScreenerEngine, key: str) -> None:
    result = engine.run(key, as_of=DAY)
    assert 0 < result.matched < result.universe_size
    assert result.funnel[-1].passed == result.matched
    passed = [s.passed for s in result.funnel]
    assert passed == sorted(passed, reverse=True)
    assert result.is_synthetic
    assert "synthetic" in result.source
    screen = PRESET_SCREENS[key]
    if screen.sort_by:  # sorted as the preset says, missing values last
        col = result.frame[screen.sort_by].drop_nulls()
        assert col.to_list() == col.sort(descending=screen.descending).to_list()


def test_index_universe_is_membership_on_the_date(engine: ScreenerEngine, market: Market) -> None:
    day = dt.date(2019, 6, 28)
    result = engine.run(
        Screen(
            "members", filters=(FilterCondition("price", ">", 0),), universe=Universe.index("AX500")
        ),
        as_of=day,
    )
    members = market.index_membership.filter(
        (pl.col("index") == "AX500")
        & (pl.col("start") <= day)
        & (pl.col("end").is_null() | (pl.col("end") > day))
    )["symbol"]
    equities = market.instruments.filter(pl.col("asset_class") == "equity")["symbol"]
    expected = set(members) & set(equities)
    assert result.universe_size == len(expected)
    assert set(result.symbols) <= expected


def test_crosses_match_an_independent_computation(engine: ScreenerEngine, market: Market) -> None:
    # Moving averages on the full split-adjusted history, today vs the session before.
    cut = market.as_of(DAY)
    equities = cut.instruments.filter(pl.col("asset_class") == "equity")["symbol"].to_list()
    bars = cut.adjusted_bars("split", symbols=equities).filter(
        pl.col("ts") >= dt.datetime(2022, 6, 1)
    )
    ind = compute_indicators(bars, ["sma_20", "sma_50"])
    days = ind["ts"].dt.date().unique().sort()
    today, before = days[-1], days[-2]
    wide = ind.filter(pl.col("ts").dt.date() == today).join(
        ind.filter(pl.col("ts").dt.date() == before), on="symbol", suffix="_y"
    )
    expected_up = wide.filter(
        (pl.col("sma_20") > pl.col("sma_50")) & (pl.col("sma_20_y") <= pl.col("sma_50_y"))
    )["symbol"]
    expected_down = wide.filter(
        (pl.col("sma_20") < pl.col("sma_50")) & (pl.col("sma_20_y") >= pl.col("sma_50_y"))
    )["symbol"]
    up = engine.run(
        Screen("up", (FilterCondition("sma_20", "crosses_above", "sma_50"),)), as_of=DAY
    )
    down = engine.run(
        Screen("down", (FilterCondition("sma_20", "crosses_below", "sma_50"),)), as_of=DAY
    )
    assert sorted(up.symbols) == sorted(expected_up)
    assert sorted(down.symbols) == sorted(expected_down)
    assert len(expected_up) + len(expected_down) > 0


def test_a_past_screen_sees_only_the_past(engine: ScreenerEngine) -> None:
    screen = Screen("recent reporters", (FilterCondition("last_report_date", ">=", "2020-01-01"),))
    result = engine.run(screen, as_of="2020-03-31", columns=["last_report_date"])
    assert result.as_of == dt.date(2020, 3, 31)
    assert result.frame["last_report_date"].max() <= dt.date(2020, 3, 31)


@pytest.fixture(scope="module")
def result(engine: ScreenerEngine) -> ScreenResult:
    return engine.run("dividend_growth", as_of=DAY, columns=["name", "indexes", "dividend_yield"])


def test_result_exports(result: ScreenResult, tmp_path: Path) -> None:
    csv = pl.read_csv(result.to_csv(tmp_path / "r.csv"))
    assert csv["symbol"].to_list() == result.symbols
    assert csv.columns == ["symbol", "name", "indexes", "dividend_yield"]
    frame = result.to_pandas()
    assert frame.index.name == "symbol"
    assert list(frame.index) == result.symbols

    import openpyxl

    book = openpyxl.load_workbook(result.to_excel(tmp_path / "r.xlsx"))
    assert book.sheetnames == ["matches", "funnel", "screen"]
    assert book["matches"].max_row == len(result) + 1
    assert book["funnel"].max_row == len(result.funnel) + 1


def test_result_renders_itself(result: ScreenResult) -> None:
    page = result._repr_html_()
    assert "Synthetic data" in page
    assert "Funnel" in page
    assert "years_of_increases" in page
    first_yield = result.frame["dividend_yield"][0]
    assert f"{first_yield:.2%}" in page  # fractions are shown as percents
    assert repr(result).startswith("<ScreenResult 'Dividend growth'")
