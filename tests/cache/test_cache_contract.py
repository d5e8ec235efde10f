"""One contract, two backends: the in-process cache and real Redis behave the same."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from typing import Any

import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from axion_lab.cache import Cache, CacheWarning, Quote
from axion_lab.exceptions import InputError, UnknownNameError

BARS = pl.DataFrame(
    {
        "symbol": ["AAA", "AAA", "BBB"],
        "ts": [dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3), dt.datetime(2024, 1, 2)],
        "close": [10.5, 10.75, 99.0],
        "volume": [1_000, 1_200, None],
    }
)
QUOTE = Quote(symbol="AAA", price=10.5, ts=dt.datetime(2024, 1, 2, 15, 59), bid=10.49, ask=10.51)


def test_frames_round_trip_as_the_kind_that_went_in(any_cache: Cache) -> None:
    any_cache.set_dataframe_sync("prices:AAA", BARS)
    back = any_cache.get_dataframe_sync("prices:AAA")
    assert isinstance(back, pl.DataFrame)
    assert_frame_equal(back, BARS)

    pdf = BARS.to_pandas()
    any_cache.set_dataframe_sync("prices:pd", pdf)
    back_pd = any_cache.get_dataframe_sync("prices:pd")
    assert isinstance(back_pd, pd.DataFrame)
    pd.testing.assert_frame_equal(back_pd, pdf)
    assert isinstance(any_cache.get_dataframe_sync("prices:pd", to="polars"), pl.DataFrame)


def test_missing_keys_are_none(any_cache: Cache) -> None:
    assert any_cache.get_dataframe_sync("nope") is None
    assert any_cache.get_json_sync("nope") is None
    assert any_cache.get_quote_sync("nope") is None
    assert any_cache.ttl_sync("nope") is None
    assert not any_cache.exists_sync("nope")


def test_prefixed_and_bare_keys_name_one_entry(any_cache: Cache) -> None:
    any_cache.set_json_sync("axion:universe:sp", ["AAA"])
    assert any_cache.get_json_sync("universe:sp") == ["AAA"]
    any_cache.set_json_sync("universe:sp", ["BBB"])
    assert any_cache.get_json_sync("axion:universe:sp") == ["BBB"]
    assert any_cache.key("x") == "axion:x"
    with pytest.raises(InputError):
        any_cache.key("")


def test_json_and_quotes(any_cache: Cache) -> None:
    value = {"name": "Fictional Corp", "employees": 1200, "tags": ["a", "b"], "gone": None}
    any_cache.set_json_sync("profile:AAA", value)
    assert any_cache.get_json_sync("profile:AAA") == value

    any_cache.set_quote_sync("quote:AAA", QUOTE)
    assert any_cache.get_quote_sync("quote:AAA") == QUOTE
    any_cache.set_quote_sync("quote:BBB", {"symbol": "BBB", "price": 5, "ts": "2024-01-02T10:00"})
    got = any_cache.get_quote_sync("quote:BBB")
    assert got is not None
    assert (got.symbol, got.price, got.ts) == ("BBB", 5.0, dt.datetime(2024, 1, 2, 10))


def test_invalid_quotes_are_refused_on_the_way_in(any_cache: Cache) -> None:
    with pytest.raises(InputError, match="price"):
        any_cache.set_quote_sync("quote:X", {"symbol": "X", "price": "n/a", "ts": "2024-01-02"})
    with pytest.raises(InputError, match="prcie"):
        any_cache.set_quote_sync("quote:X", {"symbol": "X", "prcie": 1, "ts": "2024-01-02"})
    assert not any_cache.exists_sync("quote:X")


def test_default_ttl_follows_the_kind(any_cache: Cache) -> None:
    any_cache.set_quote_sync("quote:AAA", QUOTE)
    any_cache.set_dataframe_sync("bars:daily", BARS)
    any_cache.set_dataframe_sync("bars:1m", BARS, kind="intraday")
    any_cache.set_json_sync("fund:AAA", {"pe": 12.5}, kind="fundamentals")
    any_cache.set_json_sync("profile:AAA", {"name": "x"})
    any_cache.set_json_sync("explicit", 1, ttl=3600)
    expected = {
        "quote:AAA": 15,
        "bars:daily": 6 * 3600,
        "bars:1m": 60,
        "fund:AAA": 12 * 3600,
        "profile:AAA": 3600,
        "explicit": 3600,
    }
    for key, seconds in expected.items():
        left = any_cache.ttl_sync(key)
        assert left is not None
        assert seconds - 2 < left <= seconds, key
    with pytest.raises(UnknownNameError, match="intraday"):
        any_cache.set_json_sync("x", 1, kind="intradya")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="ttl"):
        any_cache.set_json_sync("x", 1, ttl=-1)


def test_ttl_zero_stores_nothing_and_drops_the_old_value(any_cache: Cache) -> None:
    any_cache.set_json_sync("k", 1)
    any_cache.set_json_sync("k", 2, ttl=0)
    assert not any_cache.exists_sync("k")


def test_delete_exists_and_clear_namespace(any_cache: Cache) -> None:
    for key in ("prices:AAA", "prices:BBB", "pricesx:AAA", "quote:AAA", "odd*[key]"):
        any_cache.set_json_sync(key, key)
    assert any_cache.exists_sync("prices:AAA")
    assert any_cache.delete_sync("prices:AAA", "never-set") == 1
    assert not any_cache.exists_sync("prices:AAA")

    assert any_cache.clear_namespace_sync("prices") == 1  # not pricesx:*
    assert any_cache.get_json_sync("pricesx:AAA") == "pricesx:AAA"
    assert any_cache.clear_namespace_sync("odd*[") == 0  # glob characters are literal
    assert any_cache.clear_namespace_sync() == 3
    assert not any_cache.exists_sync("quote:AAA")


def test_wrong_type_is_a_miss_with_a_warning_and_kept(any_cache: Cache) -> None:
    any_cache.set_json_sync("profile:AAA", {"a": 1})
    with pytest.warns(CacheWarning, match="get_dataframe"):
        assert any_cache.get_dataframe_sync("profile:AAA") is None
    assert any_cache.get_json_sync("profile:AAA") == {"a": 1}


@pytest.mark.parametrize(
    "blob",
    [
        b"\x00\x01garbage",
        b"\x93AXC\x01\x04\x00\x00\xff\xff\xff\xff truncated arrow",
        b"\x80\x05\x95\x00pickle-ish",
    ],
)
def test_corrupt_entries_are_deleted_misses(any_cache: Cache, blob: bytes) -> None:
    any_cache.store.set(any_cache.key("prices:AAA"), blob, 60)
    with pytest.warns(CacheWarning, match="unreadable"):
        assert any_cache.get_dataframe_sync("prices:AAA") is None
    assert not any_cache.exists_sync("prices:AAA")


def test_bad_inputs_raise_clear_errors(any_cache: Cache) -> None:
    with pytest.raises(InputError, match="set_json"):
        any_cache.set_dataframe_sync("x", [1, 2])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="NaN"):
        any_cache.set_json_sync("x", {"v": math.nan})


@pytest.mark.asyncio
async def test_async_variants_keep_the_same_contract(any_cache: Cache) -> None:
    await any_cache.set_dataframe("prices:AAA", BARS)
    back = await any_cache.get_dataframe("prices:AAA")
    assert isinstance(back, pl.DataFrame)
    assert_frame_equal(back, BARS)
    await any_cache.set_json("profile:AAA", {"a": [1]})
    assert await any_cache.get_json("axion:profile:AAA") == {"a": [1]}
    await any_cache.set_quote("quote:AAA", QUOTE)
    assert await any_cache.get_quote("quote:AAA") == QUOTE
    assert await any_cache.exists("quote:AAA")
    left = await any_cache.ttl("quote:AAA")
    assert left is not None
    assert 13 < left <= 15
    assert await any_cache.delete("quote:AAA") == 1
    assert await any_cache.clear_namespace() == 2
    any_cache.store.set(any_cache.key("bad"), b"junk", 60)
    with pytest.warns(CacheWarning):
        assert await any_cache.get_json("bad") is None
    assert not await any_cache.exists("bad")
    await any_cache.aclose()


@pytest.mark.asyncio
async def test_sync_variants_work_inside_a_running_loop(any_cache: Cache) -> None:
    # A Jupyter cell runs inside an event loop: sync calls must not need asyncio.run.
    asyncio.get_running_loop()
    any_cache.set_dataframe_sync("axion:prices:AAA", BARS, ttl=3600)
    back: Any = any_cache.get_dataframe_sync("axion:prices:AAA")
    assert_frame_equal(back, BARS)
    await any_cache.aclose()
