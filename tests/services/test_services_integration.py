"""The same resolution path against real servers: Redis (cache) and PostgreSQL (db).

Marked ``redis``/``postgres``: they skip locally without the servers and FAIL in CI.
The fault test runs a private redis-server and stops it mid-run.
"""

from __future__ import annotations

import warnings

import polars as pl
import pytest
import redis
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from services_support import FakeProvider, RedisServer, fixed_clock

from axion_lab.cache import CacheWarning, RedisCache
from axion_lab.config import override_settings
from axion_lab.db import DataQualityLog, PriceBar, get_sync_engine, upgrade
from axion_lab.exceptions import DataQualityWarning, MigrationError
from axion_lab.services import DataService, SyncDataService


@pytest.mark.postgres
@pytest.mark.asyncio
@pytest.mark.usefixtures("async_engines")
async def test_postgres_without_schema_is_refused_with_advice(
    fake: FakeProvider, pg_database: str
) -> None:
    with override_settings(database_url=pg_database):
        service = DataService(fake, clock=fixed_clock)
        with pytest.raises(MigrationError, match="axion-lab db upgrade"):
            await service.get_prices("AAA", period="5d")
    # Nothing was created behind the owner's back.
    with get_sync_engine(pg_database).connect() as conn:
        assert not sa.inspect(conn).has_table("price_bars")


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.asyncio
@pytest.mark.usefixtures("async_engines")
async def test_redis_and_postgres_end_to_end(
    fake: FakeProvider, pg_database: str, redis_url: str
) -> None:
    upgrade(url=pg_database)
    cache = RedisCache(redis_url)
    raw = redis.Redis.from_url(redis_url)
    try:
        with override_settings(database_url=pg_database):
            service = DataService(fake, cache=cache, clock=fixed_clock)
            with pytest.warns(DataQualityWarning):
                first = await service.get_prices(["AAA", "BAD"], period="3mo")
            assert first.source == "provider"
            assert raw.exists("axion:svc:v1:fakesvc:bars:1d:3mo|||2024-07-01:AAA,BAD:meta")

            second = await service.get_prices(["BAD", "AAA"], period="3mo")
            assert second.source == "cache"
            assert second.quality is not None
            assert second.quality.checks() == ["high_below_low"]

            assert await cache.clear_namespace("svc") > 0
            third = await service.get_prices(["AAA", "BAD"], period="3mo")
            assert third.source == "db"
            assert_frame_equal(third.frame, first.frame)

            with sa.orm.Session(get_sync_engine(pg_database)) as session:
                n_bars = session.scalar(sa.select(sa.func.count()).select_from(PriceBar))
                checks = session.scalars(sa.select(DataQualityLog.check)).all()
            assert n_bars == first.frame.height
            assert checks == ["high_below_low"]
    finally:
        raw.close()
        await cache.aclose()


@pytest.mark.redis
@pytest.mark.slow
def test_redis_stopped_mid_run_the_service_keeps_answering(
    fake: FakeProvider, own_redis: RedisServer
) -> None:
    cache = RedisCache(own_redis.url, retry_interval=3600, connect_timeout=0.5, socket_timeout=1)
    with SyncDataService(fake, cache=cache, clock=fixed_clock) as service:
        first = service.get_prices("AAA", period="1mo")
        assert first.source == "provider"
        assert service.get_prices("AAA", period="1mo").source == "cache"

        own_redis.stop()
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            same = service.get_prices("AAA", period="1mo")  # Redis had it; now the db
            wider = service.get_prices("AAA", period="3mo")  # db plus the provider
            again = service.get_prices("AAA", period="3mo")  # memory fallback meanwhile
        cache_warnings = [w for w in record if issubclass(w.category, CacheWarning)]
        assert len(cache_warnings) == 1
        assert "unreachable" in str(cache_warnings[0].message)
        assert len(record) == 1
    assert same.source == "db"
    assert_frame_equal(same.frame, first.frame)
    assert wider.source == "mixed"
    assert wider.frame.filter(pl.col("ts") >= first.frame["ts"].min()).equals(first.frame)
    assert again.source == "cache"
    cache.close()
