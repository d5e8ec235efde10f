"""Graceful degradation: Redis dies mid-session, calls go on in memory, and come back.

The real-server tests run a private redis-server (see ``own_redis`` in conftest),
never the shared one. The state machine itself is also pinned with an injected fake
client, so "at most one reconnection attempt per interval" is counted, not timed.
"""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import redis
from polars.testing import assert_frame_equal

from axion_lab.cache import CacheWarning, RedisCache, TTLPolicy
from axion_lab.exceptions import CacheError

BARS = pl.DataFrame({"symbol": ["AAA", "BBB"], "close": [1.5, 2.5]})


@contextmanager
def all_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Record every warning, duplicates included, so counts are exact."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        yield record


def _cache_warnings(record: Any) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, CacheWarning)]


class FlakyRedis:
    """Enough of ``redis.Redis`` for the store, with an on/off switch and a call count."""

    def __init__(self) -> None:
        self.up = True
        self.calls = 0
        self.data: dict[str, bytes] = {}

    def _check(self) -> None:
        self.calls += 1
        if not self.up:
            raise redis.ConnectionError("Connection refused (fake)")

    def get(self, key: str) -> bytes | None:
        self._check()
        return self.data.get(key)

    def set(self, key: str, value: bytes, px: int | None = None) -> bool:
        self._check()
        self.data[key] = value
        return True

    def exists(self, key: str) -> int:
        self._check()
        return int(key in self.data)

    def close(self) -> None:
        pass


def test_outage_warns_once_and_retries_at_most_every_interval(clock: Any, ttls: TTLPolicy) -> None:
    fake = FlakyRedis()
    c = RedisCache(
        "redis://fake:6379/0", ttls=ttls, clock=clock, retry_interval=5, client_factory=lambda: fake
    )
    c.set_json_sync("a", 1)
    assert fake.data == {"axion:a": fake.data["axion:a"]}

    fake.up = False
    with all_warnings() as record:
        for i in range(20):
            c.set_json_sync(f"k{i}", i)
            assert c.get_json_sync(f"k{i}") == i  # served from process memory
    assert len(record) == 1
    assert "unreachable" in _cache_warnings(record)[0]
    assert fake.calls == 2  # the first set failed; the rest waited for the interval
    assert c.backend.startswith("memory")

    clock.advance(5)
    with all_warnings() as record2:
        assert c.get_json_sync("k0") == 0
        assert c.get_json_sync("k0") == 0
    assert fake.calls == 3  # one probe per interval, still down...
    assert record2 == []  # ...and the same outage: no second warning

    fake.up = True
    clock.advance(5)
    assert c.get_json_sync("a") == 1  # back on Redis, which still had it
    assert c.backend == "redis"
    assert c.get_json_sync("k0") is None  # outage-era values are forgotten, not resurrected


def test_errors_redis_answers_with_are_not_outages(ttls: TTLPolicy) -> None:
    class FullRedis(FlakyRedis):
        def set(self, key: str, value: bytes, px: int | None = None) -> bool:
            raise redis.ResponseError("OOM command not allowed when used memory > 'maxmemory'")

    c = RedisCache("redis://fake:6379/0", ttls=ttls, client_factory=FullRedis)
    with pytest.raises(CacheError, match="OOM"):
        c.set_json_sync("a", 1)
    assert c.backend == "redis"


@pytest.mark.redis
@pytest.mark.slow
def test_real_redis_killed_mid_session_then_restarted(
    own_redis: Any, clock: Any, ttls: TTLPolicy
) -> None:
    raw = redis.Redis.from_url(own_redis.url)
    c = RedisCache(
        own_redis.url,
        ttls=ttls,
        clock=clock,
        retry_interval=5,
        connect_timeout=0.5,
        socket_timeout=1,
    )
    c.set_dataframe_sync("axion:prices:AAA", BARS, ttl=3600)
    assert raw.exists("axion:prices:AAA")
    assert 3590_000 < raw.pttl("axion:prices:AAA") <= 3600_000

    own_redis.stop()
    with all_warnings() as record:
        assert c.get_dataframe_sync("prices:AAA") is None  # Redis had it; memory does not
        c.set_dataframe_sync("prices:BBB", BARS)
        assert_frame_equal(c.get_dataframe_sync("prices:BBB"), BARS)  # type: ignore[arg-type]
        c.set_json_sync("profile:AAA", {"n": 1})
        assert c.exists_sync("profile:AAA")
        assert c.delete_sync("profile:AAA") == 1
    assert len(_cache_warnings(record)) == 1
    assert len(record) == 1

    own_redis.start()
    c.set_json_sync("during", 1)  # before the retry interval: still in memory
    assert not raw.exists("axion:during")
    clock.advance(5)
    c.set_json_sync("after", 2)
    assert raw.exists("axion:after")
    assert c.backend == "redis"
    assert c.get_json_sync("during") is None
    raw.close()
    c.close()


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.asyncio
async def test_real_redis_outage_async(own_redis: Any, clock: Any, ttls: TTLPolicy) -> None:
    c = RedisCache(
        own_redis.url,
        ttls=ttls,
        clock=clock,
        retry_interval=5,
        connect_timeout=0.5,
        socket_timeout=1,
    )
    await c.set_json("a", 1)
    assert c.backend == "redis"
    own_redis.stop()
    with all_warnings() as record:
        assert await c.get_json("a") is None
        await c.set_json("b", 2)
        assert await c.get_json("b") == 2
        assert await c.clear_namespace() == 1
    assert len(_cache_warnings(record)) == 1
    assert len(record) == 1
    own_redis.start()
    clock.advance(5)
    await c.set_json("c", 3)
    assert c.backend == "redis"
    assert await c.get_json("c") == 3
    await c.aclose()


@pytest.mark.redis
def test_nothing_listening_degrades_at_once(ttls: TTLPolicy, clock: Any) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free, and closed again: connection refused
    c = RedisCache(f"redis://:secret@127.0.0.1:{port}/0", ttls=ttls, clock=clock)
    with all_warnings() as record:
        c.set_json_sync("a", 1)
        assert c.get_json_sync("a") == 1
    messages = _cache_warnings(record)
    assert len(messages) == 1
    assert "secret" not in messages[0]  # the password is masked
    assert "***" in messages[0]


@pytest.mark.redis
def test_pickle_written_under_our_key_in_redis_never_runs(
    redis_url: str, ttls: TTLPolicy, tmp_path: Path
) -> None:
    canary = tmp_path / "pwned"

    class Canary:
        def __reduce__(self) -> tuple[object, tuple[Path]]:
            return (Path.touch, (canary,))

    raw = redis.Redis.from_url(redis_url)
    raw.set("axion:prices:AAA", pickle.dumps(Canary()))
    c = RedisCache(redis_url, ttls=ttls)
    with pytest.warns(CacheWarning, match="pickle"):
        assert c.get_dataframe_sync("axion:prices:AAA") is None
    assert not canary.exists()
    assert not raw.exists("axion:prices:AAA")
    raw.close()
    c.close()
