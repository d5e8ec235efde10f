"""Canonical frames written with the bulk helpers read back identical (SQLite)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from axion_lab.data.schema import SCHEMAS
from axion_lab.db import (
    Instrument,
    PriceBar,
    read_bars,
    read_fundamentals,
    read_instruments,
    read_macro,
    session_scope,
    write_bars,
    write_fundamentals,
    write_instruments,
    write_macro,
)
from axion_lab.exceptions import DataError, DateRangeError

pytestmark = pytest.mark.usefixtures("migrated")


def _count(model: type) -> int:
    with session_scope() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_bars_round_trip(bars: pl.DataFrame) -> None:
    with session_scope() as session:
        assert write_bars(session, bars) == 6
    with session_scope() as session:
        back = read_bars(session)
    assert_frame_equal(back, bars)
    assert back.schema == pl.Schema(SCHEMAS["bars"])


def test_bars_upsert_updates_in_place_and_keeps_last_duplicate(bars: pl.DataFrame) -> None:
    with session_scope() as session:
        write_bars(session, bars)
    revised = bars.filter(pl.col("symbol") == "BBB").with_columns(close=pl.lit(99.0))
    duplicate = revised.tail(1).with_columns(close=pl.lit(100.0))
    with session_scope() as session:
        assert write_bars(session, pl.concat([revised, duplicate])) == 3
    with session_scope() as session:
        back = read_bars(session, "BBB")
    assert _count(PriceBar) == 6
    assert back["close"].to_list() == [99.0, 99.0, 100.0]
    assert back["volume"].to_list() == bars.filter(pl.col("symbol") == "BBB")["volume"].to_list()


def test_bars_filters_symbols_dates_and_interval(bars: pl.DataFrame) -> None:
    hourly = pl.DataFrame(
        {
            "symbol": ["AAA", "AAA"],
            "ts": [dt.datetime(2024, 1, 3, 10), dt.datetime(2024, 1, 3, 11)],
            "open": [1.0, 2.0],
            "high": [1.0, 2.0],
            "low": [1.0, 2.0],
            "close": [1.0, 2.0],
            "volume": [1, 2],
        },
        schema=SCHEMAS["bars"],
    )
    with session_scope() as session:
        write_bars(session, bars)
        write_bars(session, hourly, interval="1h")
    with session_scope() as session:
        daily = read_bars(session, ["AAA"], start="2024-01-03", end=dt.date(2024, 1, 3))
        by_time = read_bars(session, "AAA", end=dt.datetime(2024, 1, 3, 10), interval="1h")
        everything = read_bars(session, ["AAA", "BBB", "AAA"], start=dt.date(2024, 1, 4))
        none = read_bars(session, [])
    assert daily["ts"].to_list() == [dt.datetime(2024, 1, 3)]
    assert_frame_equal(by_time, hourly.head(1))
    assert everything["symbol"].to_list() == ["AAA", "BBB"]
    assert none.is_empty()
    assert none.schema == pl.Schema(SCHEMAS["bars"])


def test_nan_is_stored_as_null(bars: pl.DataFrame) -> None:
    with_nan = bars.with_columns(
        pl.when(pl.col("symbol") == "AAA").then(float("nan")).otherwise("open").alias("open")
    )
    with session_scope() as session:
        write_bars(session, with_nan)
    with session_scope() as session:
        back = read_bars(session, "AAA")
    assert back["open"].null_count() == 3
    assert back["open"].is_nan().sum() == 0


def test_small_chunks_give_the_same_result(bars: pl.DataFrame) -> None:
    with session_scope() as session:
        assert write_bars(session, bars, chunk_size=4) == 6
    with session_scope() as session:
        assert_frame_equal(read_bars(session), bars)


def test_instruments_round_trip_and_updated_at(instruments: pl.DataFrame) -> None:
    extra = instruments.with_columns(pl.lit("ignored").alias("provider_note"))
    with session_scope() as session:
        assert write_instruments(session, extra) == 3
    with session_scope() as session:
        back = read_instruments(session)
        first = session.get(Instrument, "AAA")
        assert first is not None
        stamp = first.updated_at
    assert_frame_equal(back, instruments)
    with session_scope() as session:
        write_instruments(session, instruments.head(1).with_columns(name=pl.lit("Renamed")))
    with session_scope() as session:
        again = session.get(Instrument, "AAA")
        assert again is not None
        assert again.name == "Renamed"
        assert again.updated_at > stamp
        assert again.indexes == ["SBX500", "SBX100"]
        only = read_instruments(session, "CCC")
    assert_frame_equal(only, instruments.filter(pl.col("symbol") == "CCC"))


def test_fundamentals_round_trip_and_point_in_time(fundamentals: pl.DataFrame) -> None:
    with session_scope() as session:
        assert write_fundamentals(session, fundamentals) == 3
    with session_scope() as session:
        everything = read_fundamentals(session, "AAA")
        known_in_june = read_fundamentals(session, as_of="2024-06-30")
        q2 = read_fundamentals(session, start="2024-04-01", end="2024-06-30")
    assert_frame_equal(everything, fundamentals)
    # Before the August restatement only the first Q1 print was known.
    assert known_in_june["revenue"].to_list() == [1.5e9]
    assert q2["fiscal_quarter"].to_list() == [2]


def test_macro_round_trip(macro: pl.DataFrame) -> None:
    with session_scope() as session:
        write_macro(session, macro)
    with session_scope() as session:
        assert_frame_equal(read_macro(session), macro)
        assert read_macro(session, "cpi", as_of="2024-05-31")["value"].to_list() == [313.0]


def test_bad_frames_are_refused_before_writing(bars: pl.DataFrame) -> None:
    with session_scope() as session, pytest.raises(DataError, match="missing column"):
        write_bars(session, bars.drop("close"))
    with session_scope() as session, pytest.raises(DataError, match=r"\['symbol'\].*nulls"):
        write_bars(session, bars.with_columns(symbol=pl.lit(None, dtype=pl.String)))
    with session_scope() as session, pytest.raises(DateRangeError, match="ISO format"):
        read_bars(session, start="January")
    assert _count(PriceBar) == 0


def test_nothing_is_committed_without_the_callers_commit(
    bars: pl.DataFrame, migrated: Path
) -> None:
    from axion_lab.db import SyncSessionLocal

    session = SyncSessionLocal()
    write_bars(session, bars)
    session.close()
    assert _count(PriceBar) == 0
