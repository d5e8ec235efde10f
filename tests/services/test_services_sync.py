"""The sync adapter: plain calls, inside a running event loop, context carried over;
and the sandbox end to end against the session ``market`` as reference."""

from __future__ import annotations

import asyncio
import datetime as dt
import doctest
import warnings
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from services_support import FakeProvider, fixed_clock

from axion_lab.config import override_settings
from axion_lab.data import Market, register_provider
from axion_lab.db import PriceBar, get_sync_engine
from axion_lab.exceptions import DataQualityWarning, InputError
from axion_lab.services import SyncDataService, _coverage, _entries, _periods


def test_plain_calls_resolve_provider_then_cache(fake: FakeProvider) -> None:
    with SyncDataService(fake, clock=fixed_clock) as service:
        first = service.get_prices("AAA", period="3mo")
        second = service.get_prices("AAA", period="3mo")
    assert (first.source, second.source) == ("provider", "cache")
    assert_frame_equal(first.frame, second.frame)
    assert first.to_pandas().shape == (first.frame.height, 7)


@pytest.mark.asyncio
async def test_sync_api_inside_a_running_event_loop(fake: FakeProvider) -> None:
    asyncio.get_running_loop()  # as in a Jupyter cell: a loop is running right here
    service = SyncDataService(fake, clock=fixed_clock)
    try:
        result = service.get_prices(["AAA", "BBB"], period="1mo")
        assert result.source == "provider"
        assert result.symbols == ["AAA", "BBB"]
        # Warnings reach the caller's thread, where catch_warnings sees them.
        with pytest.warns(DataQualityWarning, match="high_below_low|1 error"):
            service.get_prices("BAD", period="1mo")
        assert service.get_universe("FAKE10").symbols == ["AAA", "BBB"]
    finally:
        service.close()


def test_settings_of_the_calling_context_travel_to_the_loop(
    fake: FakeProvider, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere" / "axion.db"
    with SyncDataService(fake, clock=fixed_clock) as service:
        with override_settings(database_url=f"sqlite:///{other}"):
            service.get_prices("AAA", period="5d")
        with sa.orm.Session(get_sync_engine(f"sqlite:///{other}")) as session:
            count = session.scalar(sa.select(sa.func.count()).select_from(PriceBar))
    assert count == 5


def test_registered_provider_by_name(fake: FakeProvider) -> None:
    register_provider("fakesvc", lambda: fake)
    with SyncDataService("fakesvc", clock=fixed_clock) as service:
        assert service.get_instruments().symbols == ["AAA", "BAD", "BBB", "CCC"]
    assert fake.loads == 1


def test_interrupted_call_does_not_wedge_the_loop(fake: FakeProvider) -> None:
    with SyncDataService(fake, clock=fixed_clock) as service:
        with pytest.raises(InputError):
            service.get_prices([], period="1mo")
        assert service.get_prices("AAA", period="5d").frame.height == 5


@pytest.mark.slow
def test_sandbox_end_to_end(market: Market) -> None:
    """Default provider (the sandbox): universe and prices match the market itself."""
    end = dt.datetime.combine(market.end, dt.time(12), tzinfo=dt.UTC)
    with SyncDataService(clock=lambda: end) as service:
        members = service.get_universe("sp500")  # the sandbox's fictional AX500
        assert members.symbols == market.universe(asset_class=None, index="AX500")
        picked = members.symbols[:3]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)  # the subject is the path
            prices = service.get_prices(picked, period="3mo")
        assert prices.source == "provider"
        start = (prices.frame["ts"].min()).date()
        assert start >= market.end - dt.timedelta(days=92)
        assert_frame_equal(prices.frame, market.bars_for(picked, start, market.end))
        universe = service.build_universe(["sp500"], extra=["ZZZZ"])
        assert len(universe) == len(members) + 1
    assert prices.frame.select(pl.col("symbol").unique().sort()).to_series().to_list() == sorted(
        picked
    )


@pytest.mark.parametrize("module", [_coverage, _entries, _periods])
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
