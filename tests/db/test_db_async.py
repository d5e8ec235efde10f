"""The async path: aiosqlite sessions, bulk helpers through ``run_sync``, rollback."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from axion_lab import db
from axion_lab.exceptions import MigrationError

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("async_engines")]


@pytest.mark.usefixtures("migrated")
async def test_async_round_trip(bars: pl.DataFrame, instruments: pl.DataFrame) -> None:
    async with db.async_session_scope() as session:
        assert await session.run_sync(db.write_bars, bars) == 6
        await session.run_sync(db.write_instruments, instruments)
    async with db.async_session_scope() as session:
        back = await session.run_sync(db.read_bars, ["AAA", "BBB"])
        profiles = await session.run_sync(db.read_instruments)
    assert_frame_equal(back, bars)
    assert_frame_equal(profiles, instruments)


@pytest.mark.usefixtures("migrated")
async def test_async_scope_rolls_back(bars: pl.DataFrame) -> None:
    async def write_then_fail() -> None:
        async with db.async_session_scope() as session:
            await session.run_sync(db.write_bars, bars)
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        await write_then_fail()
    async with db.async_session_scope() as session:
        count = await session.scalar(sa.select(sa.func.count()).select_from(db.PriceBar))
    assert count == 0


@pytest.mark.usefixtures("migrated")
async def test_async_orm_objects(tmp_path: Path) -> None:
    async with db.async_session_scope() as session:
        session.add(
            db.DataQualityLog(
                frame="bars",
                check="ohlc_consistent",
                severity="error",
                symbol="AAA",
                message="high < low",
                extra_metadata={"rows": [3, 4]},
            )
        )
    async with db.async_session_scope() as session:
        entry = (await session.scalars(sa.select(db.DataQualityLog))).one()
    assert entry.id == 1
    assert entry.extra_metadata == {"rows": [3, 4]}
    assert entry.checked_at is not None


async def test_async_unmigrated_is_a_migration_error() -> None:
    with pytest.raises(MigrationError, match="axion-lab db upgrade"):
        async with db.async_session_scope() as session:
            await session.run_sync(db.read_bars, "AAA")
