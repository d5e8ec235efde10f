"""Fixtures for the cache tests: a fake clock, both backends, a private redis-server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from testsupport import RedisServer

from axion_lab.cache import Cache, MemoryCache, RedisCache, TTLPolicy, reset_cache

TTLS = TTLPolicy(quote=15, intraday=60, daily=6 * 3600, fundamentals=12 * 3600, profile=3600)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ttls() -> TTLPolicy:
    """The settings' default TTLs, fixed so tests do not depend on the environment."""
    return TTLS


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def _fresh_global_cache() -> Iterator[None]:
    """Each test starts and ends with the module-level cache unresolved."""
    reset_cache()
    yield
    reset_cache()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def any_cache(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Cache]:
    """The same contract, once per backend (Redis: the shared server's db 15)."""
    c: Cache
    if request.param == "memory":
        c = MemoryCache(ttls=TTLS, clock=clock)
    else:
        c = RedisCache(request.getfixturevalue("redis_url"), ttls=TTLS, clock=clock)
    yield c
    c.close()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A private Redis (never the shared one on 6379) that the test may kill."""
    with RedisServer.running(tmp_path) as server:
        yield server
