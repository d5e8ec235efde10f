"""The in-process cache: TTLs on a fake clock, LRU bounds, and the lazy module-level cache."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import polars as pl
import pytest

from axion_lab import cache as cache_pkg
from axion_lab.cache import (
    MemoryCache,
    MemoryStore,
    RedisCache,
    TTLPolicy,
    cache,
    get_cache,
    reset_cache,
    set_cache,
    use_cache,
)
from axion_lab.config import override_settings


def test_entries_expire_on_the_injected_clock(clock: Any, ttls: TTLPolicy) -> None:
    c = MemoryCache(ttls=ttls, clock=clock)
    c.set_json_sync("quote-ish", 1, kind="quote")  # 15 s
    c.set_json_sync("profile", 2)  # 3600 s
    clock.advance(14.9)
    assert c.get_json_sync("quote-ish") == 1
    assert c.ttl_sync("quote-ish") == pytest.approx(0.1)
    clock.advance(0.1)
    assert c.get_json_sync("quote-ish") is None
    assert not c.exists_sync("quote-ish")
    assert c.get_json_sync("profile") == 2
    clock.advance(3600)
    assert c.get_json_sync("profile") is None


def test_lru_bound_on_entries_keeps_the_recently_used(clock: Any) -> None:
    store = MemoryStore(max_entries=3, clock=clock)
    for key in "abc":
        store.set(key, key.encode(), ttl=None)
    assert store.get("a") == b"a"  # a is now the most recent
    store.set("d", b"d", ttl=None)
    assert store.get("b") is None
    assert [store.get(k) for k in "acd"] == [b"a", b"c", b"d"]
    assert len(store) == 3


def test_lru_bound_on_bytes_and_oversized_values(clock: Any) -> None:
    store = MemoryStore(max_entries=100, max_bytes=10, clock=clock)
    store.set("a", b"1234", ttl=None)
    store.set("b", b"5678", ttl=None)
    store.set("c", b"9012", ttl=None)  # 12 bytes > 10: a goes
    assert store.get("a") is None
    assert store.nbytes == 8
    store.set("huge", b"x" * 11, ttl=None)  # never fits: not stored, nothing evicted
    assert store.get("huge") is None
    assert store.get("b") == b"5678"


def test_expired_entries_are_evicted_before_live_ones(clock: Any) -> None:
    store = MemoryStore(max_entries=2, clock=clock)
    store.set("live", b"1", ttl=None)
    store.set("short", b"2", ttl=1)
    clock.advance(2)
    store.set("new", b"3", ttl=None)
    assert store.get("live") == b"1"
    assert store.get("new") == b"3"


def test_frames_in_memory_are_stored_as_bytes_not_objects(ttls: TTLPolicy) -> None:
    c = MemoryCache(ttls=ttls)
    df = pl.DataFrame({"a": [1, 2]})
    c.set_dataframe_sync("f", df)
    raw = c.store.get(c.key("f"))
    assert isinstance(raw, bytes)
    assert raw[:4] == b"\x93AXC"
    back = c.get_dataframe_sync("f")
    assert back is not df  # a copy: mutating what you read cannot change the cache


def test_namespace_must_be_valid() -> None:
    with pytest.raises(ValueError, match="namespace"):
        MemoryCache(namespace="a:b")


def test_module_cache_is_built_from_the_settings_on_first_use() -> None:
    assert cache_pkg._proxy._current is None
    assert "not created yet" in repr(cache)
    with override_settings(cache_namespace="lab", ttl_daily=123):
        cache.set_dataframe_sync("prices:AAA", pl.DataFrame({"a": [1]}))
    assert isinstance(get_cache(), MemoryCache)
    assert get_cache().namespace == "lab"
    assert cache.ttl_sync("prices:AAA") == pytest.approx(123, abs=1)
    reset_cache()
    assert cache_pkg._proxy._current is None
    assert get_cache().namespace == "axion"


@pytest.mark.redis
def test_module_cache_uses_redis_when_a_url_is_set(redis_url: str) -> None:
    with override_settings(redis_url=redis_url):
        reset_cache()
        assert isinstance(get_cache(), RedisCache)
        assert get_cache().backend == "redis"


def test_set_cache_and_use_cache_redirect_the_proxy(ttls: TTLPolicy) -> None:
    mine = MemoryCache(ttls=ttls, namespace="mine")
    set_cache(mine)
    cache.set_json_sync("k", 1)
    assert mine.get_json_sync("mine:k") == 1
    other = MemoryCache(ttls=ttls)
    with use_cache(other):
        assert cache.get_json_sync("k") is None
    assert cache.get_json_sync("k") == 1


def test_importing_the_cache_connects_to_nothing_and_reads_no_settings() -> None:
    code = (
        "import sys, socket\n"
        "def refuse(*a, **k):\n"
        "    raise AssertionError('network at import')\n"
        "socket.socket.connect = refuse\n"
        "import axion_lab.cache, axion_lab.config as config\n"
        "assert config._cached is None, 'settings were read'\n"
        "assert axion_lab.cache._proxy._current is None\n"
        "heavy = [m for m in ('redis', 'pyarrow', 'pandas') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
