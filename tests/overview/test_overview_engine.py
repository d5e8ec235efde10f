"""market_overview on the hand-made market of tests/overview/conftest.py.

Every expected number below is worked by hand from the closes in that docstring.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from axion_lab.data import Market
from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.overview import MarketOverview, market_overview
from axion_lab.overview.performance import market_caps

JAN = dt.date(2024, 1, 1).replace


def _cell(ov: MarketOverview, group: str, period: str, column: str) -> float | None:
    row = ov.performance.filter(pl.col("group") == group, pl.col("period") == period)
    assert row.height == 1
    value: float | None = row[column][0]
    return value


def test_period_returns_equal_and_cap_weight(tiny_market: Market) -> None:
    ov = market_overview(tiny_market)
    # YTD from 2023-12-29: AAA 10->15 +50%, BBB 10->8 -20% (split-adjusted), CCC 50->60
    # +20%, DDD flat. Cap weights at the base: AAA 1000, BBB 1000, CCC 500; DDD has none.
    assert _cell(ov, "Market", "YTD", "equal_weight") == pytest.approx((0.5 - 0.2 + 0.2 + 0) / 4)
    assert _cell(ov, "Market", "YTD", "cap_weight") == pytest.approx(400 / 2500)
    assert _cell(ov, "Information Technology", "YTD", "equal_weight") == pytest.approx(0.1)
    assert _cell(ov, "Information Technology", "YTD", "cap_weight") == pytest.approx(0.15)
    # 1W from 2024-01-03: AAA 12->15 +25%, BBB 10->8 -20%, CCC 40->60 +50%, DDD 0.
    # Cap weights: AAA 12x100, BBB 20x50 (as traded), CCC 40x10 (the 20 shares are
    # published the next day, so not yet visible).
    assert _cell(ov, "Market", "1W", "equal_weight") == pytest.approx(0.55 / 4)
    assert _cell(ov, "Market", "1W", "cap_weight") == pytest.approx(300 / 2600)
    assert _cell(ov, "Energy", "1W", "cap_weight") == pytest.approx(0.5)
    assert _cell(ov, "Market", "1W", "stocks") == 4


def test_periods_without_history_are_null(tiny_market: Market) -> None:
    ov = market_overview(tiny_market)
    for period in ("1M", "3M", "1Y"):
        assert _cell(ov, "Market", period, "equal_weight") is None
        assert _cell(ov, "Market", period, "stocks") == 0
    assert ov.performance["group"].to_list()[:3] == ["Market", "Energy", "Information Technology"]


def test_market_caps_are_point_in_time_and_split_aware(tiny_market: Market) -> None:
    def caps(day: dt.date) -> dict[str, float]:
        frame = market_caps(tiny_market.bars, tiny_market.fundamentals, tiny_market.splits, day)
        return dict(zip(frame["symbol"], frame["market_cap"], strict=True))

    # Before the split and before CCC's second filing.
    assert caps(JAN(day=3)) == {"AAA": 1200.0, "BBB": 1000.0, "CCC": 400.0}
    # After: BBB's 50 shares were published before its 2-for-1 split, so 8 x 50 x 2;
    # CCC's 20 shares are published by then.
    assert caps(JAN(day=10)) == {"AAA": 1500.0, "BBB": 800.0, "CCC": 1200.0}


def test_sector_filter_groups_by_industry_case_insensitively(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, sector="information TECHNOLOGY")
    assert ov.sector == "Information Technology"
    assert ov.group_by == "industry"
    assert ov.stocks == 3
    assert set(ov.performance["group"]) == {"Information Technology", "Software", "Hardware"}
    # Software = AAA (+50%) and DDD (flat, no market cap): EW 25%, CW AAA alone.
    assert _cell(ov, "Software", "YTD", "equal_weight") == pytest.approx(0.25)
    assert _cell(ov, "Software", "YTD", "cap_weight") == pytest.approx(0.5)
    universe = ov.to_frame("universe")
    industries = universe.filter(pl.col("dimension") == "industry")
    assert dict(zip(industries["value"], industries["count"], strict=True)) == {
        "Software": 2,
        "Hardware": 1,
    }


def test_unknown_sector_suggests_the_closest(tiny_market: Market) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'Information Technology'"):
        market_overview(tiny_market, sector="Informaton Technology")


def test_unknown_index_suggests_the_closest(tiny_market: Market) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'AX100'"):
        market_overview(tiny_market, index="AX10")


def test_index_filter_keeps_current_members(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, index="ax100")
    assert ov.total_label == "AX100"
    assert ov.stocks == 2
    assert set(ov.gainers["symbol"]) == {"AAA", "BBB"}


def test_blank_strings_mean_not_set(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, sector="", as_of="", index=" ")
    assert (ov.sector, ov.index, ov.as_of, ov.stocks) == (None, None, JAN(day=10), 4)


def test_universe_counts_every_asset_class(tiny_market: Market) -> None:
    rows = [
        ("asset_class", "equity", 4),
        ("asset_class", "etf", 1),
        ("sector", "Information Technology", 3),
        ("sector", "(none)", 1),
        ("sector", "Energy", 1),
        ("exchange", "NYSE", 3),
        ("exchange", "NASDAQ", 2),
        ("index", "AX100", 2),
    ]
    expected = pl.DataFrame(rows, schema=["dimension", "value", "count"], orient="row")
    assert_frame_equal(market_overview(tiny_market).to_frame("universe"), expected)


def test_breadth_uses_split_adjusted_closes(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, lookback_days=3)
    b = ov.to_frame("breadth")
    assert b["date"].to_list() == [JAN(day=5), JAN(day=8), JAN(day=9), JAN(day=10)]
    # On the ex-date BBB's as-traded close halves (18 -> 9); adjusted it is unchanged.
    assert b.select("advancers", "decliners", "unchanged").rows() == [
        (1, 0, 3),
        (0, 0, 4),
        (1, 0, 3),
        (2, 1, 1),
    ]
    assert b["ad_line"].to_list() == [1, 1, 2, 3]
    # Ten sessions are too few for a 50-day average or a 52-week high.
    assert b["pct_above_ma50"].null_count() == 4
    assert b["new_highs"].sum() == 0


def test_movers_over_the_window(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, lookback_days=3)
    # From 2024-01-05: CCC 40->60, AAA 13->15, DDD flat, BBB 9->8.
    assert ov.window_start == JAN(day=5)
    assert ov.gainers["symbol"].to_list() == ["CCC", "AAA", "DDD", "BBB"]
    assert ov.losers["symbol"].to_list() == ["BBB", "DDD", "AAA", "CCC"]
    assert ov.gainers["return"].to_list() == pytest.approx([0.5, 2 / 13, 0.0, -1 / 9])


def test_cumulative_line_ends_at_the_period_return(tiny_market: Market) -> None:
    # A 5-session window is the 1W period: each line's last value is its 1W EW return.
    ov = market_overview(tiny_market, lookback_days=5)
    last = ov.cumulative.sort("date").group_by("group").last()
    for group, value in zip(last["group"], last["cumulative_return"], strict=True):
        assert value == pytest.approx(_cell(ov, group, "1W", "equal_weight"))
    first = ov.cumulative.filter(pl.col("date") == ov.window_start)
    assert first["cumulative_return"].to_list() == [0.0, 0.0, 0.0]


def test_lookback_longer_than_history_is_clamped(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, lookback_days=500)
    assert ov.window_start == dt.date(2023, 12, 27)
    assert ov.breadth.height == 10


def test_as_of_hides_later_data(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, as_of="2024-01-05")
    assert ov.as_of == JAN(day=5)
    # YTD to 01-05: AAA 10->13 +30%, BBB 10->9 -10%, CCC 50->40 -20%, DDD 0.
    assert _cell(ov, "Market", "YTD", "equal_weight") == pytest.approx(0.0)


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_bad_lookback_is_refused(tiny_market: Market, bad: object) -> None:
    with pytest.raises(InputError, match="lookback_days"):
        market_overview(tiny_market, lookback_days=bad)  # type: ignore[arg-type]
