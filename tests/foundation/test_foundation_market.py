"""``Market`` semantics on tiny hand-made frames: as_of, adjustments, lookups."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from axion_lab.data import Market
from axion_lab.data.schema import SCHEMAS, conform
from axion_lab.exceptions import DataError, DateRangeError, InputError, UnknownSymbolError

D = dt.date


def _bars(symbol: str, closes: list[float], start: dt.date | None = None) -> pl.DataFrame:
    start = start or D(2024, 1, 1)
    days = [start + dt.timedelta(days=i) for i in range(len(closes))]
    return pl.DataFrame(
        {
            "symbol": symbol,
            "ts": [dt.datetime(d.year, d.month, d.day) for d in days],
            "open": closes,
            "high": [c * 1.01 for c in closes],
            "low": [c * 0.99 for c in closes],
            "close": closes,
            "volume": [1000] * len(closes),
        }
    )


@pytest.fixture
def tiny() -> Market:
    bars = pl.concat([_bars("AAA", [10.0, 11.0, 12.0, 6.0, 6.5]), _bars("BBB", [50.0] * 5)])
    instruments = pl.DataFrame(
        {
            "symbol": ["AAA", "BBB", "CCC"],
            "name": ["Aaa Corp", "Bbb Inc", "Ccc Ltd"],
            "asset_class": ["equity", "equity", "etf"],
            "sector": ["Energy", "Utilities", None],
            "industry": ["Oil", "Power", None],
            "exchange": ["NYSE", "NASDAQ", "NYSE"],
            "country": ["US", "US", "US"],
            "currency": ["USD", "USD", "USD"],
            "indexes": [["AX500"], [], []],
            "ipo_date": [D(2000, 1, 1), D(2024, 1, 4), D(2000, 1, 1)],
            "is_fictional": [True, True, True],
        }
    )
    membership = pl.DataFrame(
        {
            "index": ["AX500", "AX500"],
            "symbol": ["AAA", "BBB"],
            "start": [D(2023, 1, 1), D(2024, 1, 2)],
            "end": [None, D(2024, 1, 4)],
        },
        schema={"index": pl.String, "symbol": pl.String, "start": pl.Date, "end": pl.Date},
    )
    fundamentals = pl.DataFrame(
        {
            "symbol": ["AAA", "AAA"],
            "period_end": [D(2023, 9, 30), D(2023, 12, 31)],
            "published": [D(2023, 11, 10), D(2024, 1, 3)],
        }
    )
    fundamentals = fundamentals.with_columns(
        [
            pl.lit(1.0 if t == pl.Float64() else 1, dtype=t).alias(c)
            for c, t in SCHEMAS["fundamentals"].items()
            if c not in fundamentals.columns
        ]
    )
    dividends = pl.DataFrame(
        {
            "symbol": ["AAA"],
            "declared": [D(2024, 1, 2)],
            "ex_date": [D(2024, 1, 3)],
            "record_date": [D(2024, 1, 4)],
            "pay_date": [D(2024, 1, 20)],
            "amount": [0.55],
            "frequency": ["quarterly"],
            "kind": ["regular"],
        }
    )
    splits = pl.DataFrame(
        {
            "symbol": ["AAA"],
            "announced": [D(2024, 1, 1)],
            "ex_date": [D(2024, 1, 4)],
            "ratio": [2.0],
        }
    )
    return Market.from_frames(
        {
            "bars": bars,
            "instruments": instruments,
            "index_membership": membership,
            "fundamentals": fundamentals,
            "dividends": dividends,
            "splits": splits,
        },
        provider="test",
        description="Tiny test market",
    )


def test_from_frames_fills_missing_frames_with_canonical_columns(tiny: Market) -> None:
    assert tiny.holdings.height == 0
    assert tiny.holdings.columns == list(SCHEMAS["holdings"])
    assert (tiny.start, tiny.end) == (D(2024, 1, 1), D(2024, 1, 5))


def test_conform_rejects_missing_columns() -> None:
    with pytest.raises(DataError, match=r"missing column\(s\) \['ratio'\]"):
        conform(
            "splits",
            pl.DataFrame(
                {"symbol": ["A"], "announced": [D(2024, 1, 1)], "ex_date": [D(2024, 1, 2)]}
            ),
        )


def test_as_of_hides_everything_published_later(tiny: Market) -> None:
    past = tiny.as_of("2024-01-02")
    assert past.end == D(2024, 1, 2)
    assert past.as_of_date == D(2024, 1, 2)
    assert past.bars["ts"].max() == dt.datetime(2024, 1, 2)
    # Q4 statement published 2024-01-03 is not yet visible; Q3 is.
    assert past.fundamentals["period_end"].to_list() == [D(2023, 9, 30)]
    # Dividend declared on the 2nd is visible, the split announced on the 1st too.
    assert past.dividends.height == 1
    assert past.splits.height == 1
    # CCC and AAA listed; BBB (IPO on the 4th) not yet.
    assert sorted(past.instruments["symbol"].to_list()) == ["AAA", "CCC"]


def test_as_of_membership_is_point_in_time(tiny: Market) -> None:
    on_3rd = tiny.as_of("2024-01-03")
    members = on_3rd.index_membership.filter(pl.col("end").is_null())["symbol"].sort().to_list()
    # BBB left the index on the 4th, which is not known on the 3rd.
    assert members == ["AAA", "BBB"]
    assert tiny.as_of("2024-01-05").index_membership.filter(pl.col("end").is_null())[
        "symbol"
    ].to_list() == ["AAA"]
    instruments = on_3rd.instruments.filter(pl.col("symbol") == "AAA")
    assert instruments["indexes"].to_list() == [["AX500"]]


def test_as_of_outside_range_names_the_valid_range(tiny: Market) -> None:
    with pytest.raises(DateRangeError, match="2024-01-01 to 2024-01-05"):
        tiny.as_of("2030-01-01")
    with pytest.raises(DateRangeError, match="ISO format"):
        tiny.as_of("01/02/2024")


def test_split_adjustment_hand_worked(tiny: Market) -> None:
    adj = tiny.adjusted_bars("split", symbols=["AAA"])
    # 2-for-1 effective 2024-01-04: prices before are halved, volume doubled.
    assert adj["close"].to_list() == pytest.approx([5.0, 5.5, 6.0, 6.0, 6.5])
    assert adj["volume"].to_list() == [2000, 2000, 2000, 1000, 1000]
    # Unaffected symbol passes through unchanged.
    bbb = tiny.adjusted_bars("split", symbols=["BBB"])
    assert_frame_equal(bbb, tiny.bars.filter(pl.col("symbol") == "BBB"))


def test_total_return_adjustment_hand_worked(tiny: Market) -> None:
    adj = tiny.adjusted_bars("total", symbols=["AAA"])
    # Dividend 0.55 goes ex on the 3rd; the previous raw close is 11.0, so earlier
    # prices are multiplied by (1 - 0.55/11) = 0.95, on top of the split's 0.5.
    expected = [10 * 0.5 * 0.95, 11 * 0.5 * 0.95, 12 * 0.5, 6.0, 6.5]
    assert adj["close"].to_list() == pytest.approx(expected)


def test_adjustment_ignores_events_not_yet_visible(tiny: Market) -> None:
    # As of the 3rd, the split (announced the 1st) is known but not yet effective,
    # so nothing is adjusted for it.
    adj = tiny.as_of("2024-01-03").adjusted_bars("split", symbols=["AAA"])
    assert adj["close"].to_list() == pytest.approx([10.0, 11.0, 12.0])


def test_unknown_adjustment_kind(tiny: Market) -> None:
    with pytest.raises(InputError, match="'split' or 'total'"):
        tiny.adjusted_bars("dividend")  # type: ignore[arg-type]


def test_resolve_symbols_normalises_and_suggests(tiny: Market) -> None:
    assert tiny.resolve_symbols([" aaa", "BBB"]) == ["AAA", "BBB"]
    with pytest.raises(UnknownSymbolError, match="Did you mean 'AAA'"):
        tiny.resolve_symbols("AAB")
    with pytest.raises(InputError, match="No symbols"):
        tiny.resolve_symbols([])


def test_bars_for_checks_dates(tiny: Market) -> None:
    got = tiny.bars_for("aaa", "2024-01-02", "2024-01-03")
    assert got["close"].to_list() == [11.0, 12.0]
    with pytest.raises(DateRangeError, match="after the end date"):
        tiny.bars_for("AAA", "2024-01-04", "2024-01-02")
    with pytest.raises(DateRangeError, match="outside this market's data"):
        tiny.bars_for("AAA", "2023-01-01")


def test_universe_filters_and_suggests(tiny: Market) -> None:
    assert tiny.universe() == ["AAA", "BBB"]
    assert tiny.universe(asset_class=None, index="AX500") == ["AAA"]
    assert tiny.universe(sector="energy") == ["AAA"]
    with pytest.raises(UnknownSymbolError, match="Did you mean 'Utilities'"):
        tiny.universe(sector="Utilitys")
    with pytest.raises(UnknownSymbolError, match="Did you mean 'AX500'"):
        tiny.universe(index="AX50")


def test_repr_and_html_label_the_data(tiny: Market) -> None:
    assert "Tiny test market" in repr(tiny)
    assert "2 equity" in repr(tiny)
    synthetic = Market.from_frames(
        {"bars": tiny.bars, "instruments": tiny.instruments}, is_synthetic=True
    )
    assert "fictional" in synthetic._repr_html_()
    assert "fictional" not in tiny._repr_html_()


def test_intraday_without_source_is_a_clear_error(tiny: Market) -> None:
    with pytest.raises(InputError, match="does not supply intraday"):
        tiny.intraday("AAA")


def test_adjusted_bars_are_kept_per_bundle_and_shared_with_restrictions(tiny: Market) -> None:
    first = tiny.adjusted_bars("total", symbols=["AAA", "BBB"])
    # The same symbols in any order are the same request: the kept frame comes back.
    assert tiny.adjusted_bars("total", symbols=["BBB", "AAA", "AAA"]) is first
    assert tiny.adjusted_bars("split", symbols=["AAA", "BBB"]) is not first
    # A restriction keeps every bar of its symbols, so it shares the adjusted frames.
    only_aaa = tiny.restrict(["aaa"])
    assert only_aaa.instruments["symbol"].to_list() == ["AAA"]
    assert set(only_aaa.bars["symbol"].unique()) == {"AAA"}
    assert only_aaa.adjusted_bars("total", symbols=["AAA", "BBB"]) is first
    # "Every symbol" is the bundle's own: the restriction's is AAA alone.
    assert set(tiny.adjusted_bars("split")["symbol"].unique()) == {"AAA", "BBB"}
    assert set(only_aaa.adjusted_bars("split")["symbol"].unique()) == {"AAA"}
    assert_frame_equal(
        only_aaa.adjusted_bars("split"), tiny.adjusted_bars("split", symbols=["AAA"])
    )
    # A bundle cut to an earlier date sees fewer events: nothing is shared with it.
    past = tiny.as_of("2024-01-03").adjusted_bars("split", symbols=["AAA"])
    assert past["close"].to_list() == pytest.approx([10.0, 11.0, 12.0])


def test_adjusted_bars_keep_only_the_last_few(tiny: Market) -> None:
    from axion_lab.data.market import ADJUSTED_CACHE_SIZE

    first = tiny.adjusted_bars("split", symbols=["AAA"])
    others = [("split", ["BBB"]), ("split", ["AAA", "BBB"]), ("total", ["AAA"])]
    others += [("total", ["BBB"]), ("total", ["AAA", "BBB"])]
    assert len(others) > ADJUSTED_CACHE_SIZE
    for kind, symbols in others[: ADJUSTED_CACHE_SIZE - 1]:
        tiny.adjusted_bars(kind, symbols=symbols)  # type: ignore[arg-type]
    assert tiny.adjusted_bars("split", symbols=["AAA"]) is first  # still kept
    for kind, symbols in others:
        tiny.adjusted_bars(kind, symbols=symbols)  # type: ignore[arg-type]
    again = tiny.adjusted_bars("split", symbols=["AAA"])
    assert again is not first  # evicted by newer requests, computed again
    assert_frame_equal(again, first)


def test_adjusted_bars_kept_within_a_memory_budget(
    tiny: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    import axion_lab.data.market as market_module

    one = tiny.adjusted_bars("split", symbols=["AAA"])
    # A budget smaller than two frames: the newest is kept, the older one dropped.
    monkeypatch.setattr(market_module, "ADJUSTED_CACHE_BYTES", one.estimated_size() + 1)
    other = tiny.adjusted_bars("split", symbols=["BBB"])
    assert tiny.adjusted_bars("split", symbols=["BBB"]) is other
    assert tiny.adjusted_bars("split", symbols=["AAA"]) is not one


def test_restrict_to_an_unknown_symbol_is_a_clear_error(tiny: Market) -> None:
    with pytest.raises(UnknownSymbolError, match="Did you mean 'AAA'"):
        tiny.restrict(["AAB"])
    with pytest.raises(InputError, match="No symbols"):
        tiny.restrict([])


def test_with_bars_keeps_the_calendar_and_refuses_other_frames(tiny: Market) -> None:
    window = tiny.bars.filter(pl.col("ts") >= pl.datetime(2024, 1, 4))
    cut = tiny.with_bars(window)
    assert (cut.start, cut.end) == (tiny.start, tiny.end)
    assert cut.as_of(tiny.start).bars.height == 0  # a date before the window is valid
    with pytest.raises(InputError, match="window of this market's bars"):
        tiny.with_bars(window.drop("volume"))
