"""cache -> db -> provider on the embedded defaults (per-test SQLite, in-process cache).

The provider is a small fake that counts its loads; the market it returns is also
the independent reference each answer is compared with.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from services_support import BAD_DAY, CCC_IPO, LAST_DAY, FakeProvider, fake_frames, fixed_clock

from axion_lab.cache import get_cache
from axion_lab.data.schema import SCHEMAS
from axion_lab.db import DataQualityLog, current, head, read_bars, session_scope
from axion_lab.exceptions import (
    DataQualityWarning,
    DateRangeError,
    InputError,
    UnknownNameError,
    UnknownSymbolError,
)
from axion_lab.services import DataService

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("async_engines")]


def reference(fake: FakeProvider, symbols: list[str], start: dt.date, end: dt.date):
    bars = fake_frames()["bars"]  # not fake.load(): that would count as a provider load
    return (
        bars.filter(pl.col("symbol").is_in(symbols), pl.col("ts").dt.date().is_between(start, end))
        .select(list(SCHEMAS["bars"]))
        .sort("symbol", "ts")
    )


def stored_bars(symbols: list[str] | None = None) -> pl.DataFrame:
    with session_scope() as session:
        return read_bars(session, symbols)


async def test_provider_then_cache_then_db(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    first = await service.get_prices(["aaa", "BBB"], period="1mo")
    # "1mo" back from the provider's last day (Fri 28 June): 29 May .. 28 June.
    expected = reference(fake, ["AAA", "BBB"], dt.date(2024, 5, 29), LAST_DAY)
    assert first.source == "provider"
    assert first.as_of == fixed_clock()
    assert first.provider == "fakesvc"
    assert_frame_equal(first.frame, expected)
    assert first.quality is not None
    assert first.quality.ok

    second = await service.get_prices(["BBB", "AAA"], period="1mo")
    assert second.source == "cache"
    assert second.as_of == first.as_of
    assert_frame_equal(second.frame, expected)

    # Written back: the database holds exactly what the provider delivered.
    assert_frame_equal(stored_bars(["AAA", "BBB"]), expected)

    await get_cache().clear_namespace()
    third = await service.get_prices(["AAA", "BBB"], period="1mo")
    assert third.source == "db"
    assert_frame_equal(third.frame, expected)
    assert service.stats == {
        "cache_hits": 1,  # the second request; a hit needs no symbol check
        "db_hits": 2,  # instruments, then bars, after the cache was cleared
        "provider_fetches": 2,  # instruments and bars, once each
        "provider_loads": 1,
        "shared": 0,
    }
    assert fake.loads == 1


async def test_a_fresh_service_answers_from_the_db_without_loading_the_provider(
    fake: FakeProvider,
) -> None:
    await DataService(fake, clock=fixed_clock).get_prices("AAA", period="3mo")
    await get_cache().clear_namespace()
    other = FakeProvider()
    result = await DataService(other, clock=fixed_clock).get_prices("AAA", period="3mo")
    assert result.source == "db"
    assert other.loads == 0
    # Without the provider, "3mo" counts back from today (Monday 1 July), which the
    # stored bars cover up to Friday's session.
    assert result.frame["ts"].max() == dt.datetime(2024, 6, 28)
    assert result.frame["ts"].min() == dt.datetime(2024, 4, 2)


async def test_partial_coverage_fetches_only_what_is_missing(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    month = await service.get_prices("AAA", period="1mo")
    year = await service.get_prices("AAA", period="1y")
    n_month = month.frame.height
    assert n_month == 23  # 29 May .. 28 June 2024, weekdays
    assert year.source == "mixed"
    assert year.rows_by_source == {"db": n_month, "provider": year.frame.height - n_month}
    assert_frame_equal(year.frame, reference(fake, ["AAA"], dt.date(2023, 6, 29), LAST_DAY))
    # Only the head was fetched and checked, not the month the database already had.
    assert year.quality is not None
    assert year.quality.rows_checked == year.frame.height - n_month
    assert_frame_equal(stored_bars(["AAA"]), year.frame)
    assert "mixed (23 db" in repr(year)


async def test_a_hole_inside_the_window_is_fetched_alone(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    await service.get_prices("BBB", start="2023-01-02", end="2023-03-31")
    await service.get_prices("BBB", start="2023-06-01", end="2023-08-31")
    before = stored_bars(["BBB"]).height
    whole = await service.get_prices("BBB", start="2023-01-02", end="2023-08-31")
    assert whole.source == "mixed"
    fetched = whole.rows_by_source["provider"]
    hole = reference(fake, ["BBB"], dt.date(2023, 4, 1), dt.date(2023, 5, 31))
    assert fetched == hole.height
    assert whole.rows_by_source["db"] == before
    assert_frame_equal(
        whole.frame, reference(fake, ["BBB"], dt.date(2023, 1, 2), dt.date(2023, 8, 31))
    )


async def test_no_refetch_before_a_listing(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    first = await service.get_prices("CCC", period="1y")
    assert first.frame["ts"].min().date() == CCC_IPO
    await get_cache().clear_namespace()
    again = await service.get_prices("CCC", period="1y")
    # The days before the listing look missing in the database; the provider's
    # market shows there is nothing there, so nothing is fetched.
    assert again.source == "db"
    assert service.stats["provider_fetches"] == 2  # instruments and the first bars


async def test_quality_findings_are_persisted_warned_once_and_shown(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    with pytest.warns(DataQualityWarning, match="1 error") as record:
        result = await service.get_prices("BAD", period="1mo")
    assert len(record) == 1
    assert result.quality is not None
    findings = result.quality.to_frame()
    assert findings["check"].to_list() == ["high_below_low"]
    assert findings["start"].to_list() == [BAD_DAY]
    assert "high_below_low" in result._repr_html_()
    # Shown, not hidden: the bad bar is returned unchanged.
    assert result.frame.filter(pl.col("high") < pl.col("low")).height == 1

    with session_scope() as session:
        rows = session.scalars(sa.select(DataQualityLog)).all()
    assert [(r.frame, r.check, r.severity, r.symbol, r.provider) for r in rows] == [
        ("bars", "high_below_low", "error", "BAD", "fakesvc")
    ]
    assert rows[0].extra_metadata == {
        "start": BAD_DAY.isoformat(),
        "end": BAD_DAY.isoformat(),
        "source": "fakesvc",
    }

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hit = await service.get_prices("BAD", period="1mo")  # no second warning
    assert hit.source == "cache"
    assert hit.quality is not None
    assert hit.quality.checks() == ["high_below_low"]


async def test_concurrent_identical_requests_share_one_fetch(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    with pytest.warns(DataQualityWarning) as record:
        results = await asyncio.gather(
            *(service.get_prices(["AAA", "BAD"], period="6mo") for _ in range(8))
        )
    assert len(record) == 1  # the caller that loaded warns; the seven that joined do not
    assert fake.loads == 1
    assert service.stats["provider_fetches"] == 2  # instruments + bars, not 8 x bars
    assert service.stats["shared"] == 7
    assert {r.source for r in results} == {"provider"}
    for r in results[1:]:
        assert r.frame.equals(results[0].frame)
    assert stored_bars().height == results[0].frame.height


async def test_download_forces_the_provider(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    await service.get_prices("AAA", period="5d")
    again = await service.download_price_data("AAA", period="5d")
    assert again.source == "provider"
    assert fake.loads == 2  # reloaded: a download means fresh data
    assert again.frame.height == 5
    assert (await service.get_prices("AAA", period="5d")).source == "cache"


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"period": "1yr"}, UnknownNameError, "Did you mean '1y'"),
        ({"period": "1y", "start": "2024-01-02"}, InputError, "not both"),
        ({"start": "2024-05-01", "end": "2024-04-01"}, DateRangeError, "after the end date"),
        ({"end": "2024-08-01"}, DateRangeError, "in the future"),
        ({"start": "1 May"}, DateRangeError, "YYYY-MM-DD"),
        ({"interval": "5m"}, InputError, "only daily"),
    ],
)
async def test_bad_requests_say_how_to_fix(
    fake: FakeProvider, kwargs: dict[str, str], error: type[Exception], text: str
) -> None:
    service = DataService(fake, clock=fixed_clock)
    with pytest.raises(error, match=text):
        await service.get_prices("AAA", **kwargs)
    assert fake.loads == 0  # refused before any I/O


@pytest.mark.parametrize("tickers", [[], "", ["AAA", ""], [1]])
async def test_bad_tickers(fake: FakeProvider, tickers: object) -> None:
    with pytest.raises(InputError):
        await DataService(fake, clock=fixed_clock).get_prices(tickers)  # type: ignore[arg-type]


async def test_unknown_ticker_suggests_close_names(fake: FakeProvider) -> None:
    with pytest.raises(UnknownSymbolError, match="Did you mean 'AAA'") as info:
        await DataService(fake, clock=fixed_clock).get_prices(["BBB", "AAB"])
    assert info.value.suggestions[0] == "AAA"


async def test_universe_and_instruments(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    members = await service.get_universe("FAKE10")
    assert members.symbols == ["AAA", "BBB"]
    assert members.source == "provider"
    assert (await service.get_universe("FAKE10")).source == "cache"
    instruments = await service.get_instruments()
    assert instruments.source == "cache"
    assert instruments.symbols == ["AAA", "BAD", "BBB", "CCC"]
    with pytest.raises(UnknownSymbolError, match="Did you mean 'FAKE10'"):
        await service.get_universe("FAKE1O")


async def test_fundamentals_point_in_time_and_partial(fake: FakeProvider) -> None:
    service = DataService(fake, clock=fixed_clock)
    aaa = await service.get_fundamentals("AAA", as_of="2023-09-01")
    assert aaa.source == "provider"
    # Q1 published 10 May, Q2 on 9 Aug; Q3 (9 Nov) was not yet known on 1 Sept.
    assert aaa.frame["period_end"].to_list() == [dt.date(2023, 3, 31), dt.date(2023, 6, 30)]
    both = await service.get_fundamentals(["AAA", "BBB"])
    assert both.source == "mixed"
    assert both.rows_by_source == {"db": 3, "provider": 3}
    assert both.frame.height == 6


async def test_sqlite_schema_is_created_on_first_use(fake: FakeProvider) -> None:
    assert current() is None
    await DataService(fake, clock=fixed_clock).get_prices("AAA", period="5d")
    assert current() == head()
