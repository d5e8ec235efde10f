"""Fixtures for the database tests: small canonical frames, migrated databases, and a
throw-away PostgreSQL database per test (created from ``postgres_url``, dropped after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import polars as pl
import pytest
import pytest_asyncio
from testsupport import throwaway_database

from axion_lab.config import get_settings, reload_settings
from axion_lab.data.schema import SCHEMAS
from axion_lab.db import areset_engines, reset_engines, upgrade


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    """Every test builds its own engines; none leak into the next test."""
    reset_engines()
    yield
    reset_engines()


@pytest_asyncio.fixture
async def async_engines() -> AsyncIterator[None]:
    """For async tests: close this loop's async engines before the loop ends."""
    yield
    await areset_engines()


@pytest.fixture
def sqlite_file() -> Path:
    """The default SQLite file of this test (under the per-test data dir)."""
    return get_settings().data_dir / "axion.db"


@pytest.fixture
def migrated(sqlite_file: Path) -> Path:
    """The test's SQLite database, migrated to head."""
    upgrade()
    return sqlite_file


@pytest.fixture
def pg_url(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database, set as AXION_DATABASE_URL.

    Plain ``postgresql://`` so sync code uses psycopg and async code asyncpg.
    Dropped (connections forced closed) after the test, so runs are repeatable and
    parallel-safe.
    """
    with throwaway_database(postgres_url, "axion_test") as db_url:
        url = db_url.set(drivername="postgresql").render_as_string(hide_password=False)
        monkeypatch.setenv("AXION_DATABASE_URL", url)
        reload_settings()
        yield url


# --- small canonical frames ---------------------------------------------------------------


@pytest.fixture
def bars() -> pl.DataFrame:
    """Two symbols x three sessions of daily bars, with a null and a NaN."""
    days = [dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3), dt.datetime(2024, 1, 4)]
    return pl.DataFrame(
        {
            "symbol": ["AAA"] * 3 + ["BBB"] * 3,
            "ts": days * 2,
            "open": [10.0, 10.5, 10.25, 50.0, 51.0, 49.5],
            "high": [10.75, 10.9, 10.5, 51.5, 51.25, 50.0],
            "low": [9.9, 10.2, 10.0, 49.75, 50.5, 48.8],
            "close": [10.5, 10.3, 10.4, 51.0, 50.9, None],
            "volume": [1_000, 1_200, None, 5_000_000_000, 4_000, 4_500],
        },
        schema=SCHEMAS["bars"],
    )


@pytest.fixture
def instruments() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "symbol": ["AAA", "BBB", "CCC"],
            "name": ["Aaa Industries (fictional)", "Bbb Bank (fictional)", None],
            "asset_class": ["equity", "equity", "etf"],
            "sector": ["Industrials", "Financials", None],
            "industry": ["Machinery", "Banks", None],
            "exchange": ["SBX", "SBX", "SBX"],
            "country": ["United States", "United States", "Canada"],
            "currency": ["USD", "USD", "CAD"],
            "indexes": [["SBX500", "SBX100"], [], None],
            "ipo_date": [dt.date(1999, 5, 4), None, dt.date(2010, 1, 15)],
            "is_fictional": [True, True, False],
        },
        schema=SCHEMAS["instruments"],
    )


@pytest.fixture
def fundamentals() -> pl.DataFrame:
    """AAA Q1 2024 as first published and as restated, plus Q2."""
    schema = SCHEMAS["fundamentals"]
    rows = [
        ("AAA", dt.date(2024, 3, 31), dt.date(2024, 5, 2), 2024, 1, 1.5e9),
        ("AAA", dt.date(2024, 3, 31), dt.date(2024, 8, 1), 2024, 1, 1.45e9),
        ("AAA", dt.date(2024, 6, 30), dt.date(2024, 8, 1), 2024, 2, 1.6e9),
    ]
    base = pl.DataFrame(
        rows,
        schema=["symbol", "period_end", "published", "fiscal_year", "fiscal_quarter", "revenue"],
        orient="row",
    )
    others = [c for c in schema if c not in base.columns]
    filled = base.with_columns(
        (pl.col("revenue") * (i + 1) / 100).alias(c) for i, c in enumerate(others)
    ).with_columns(pl.lit(None, dtype=pl.Float64).alias("inventory"))
    return filled.select([pl.col(c).cast(t) for c, t in schema.items()])


@pytest.fixture
def macro() -> pl.DataFrame:
    apr, may, jun = dt.date(2024, 4, 1), dt.date(2024, 5, 1), dt.date(2024, 6, 12)
    return pl.DataFrame(
        {
            "series": ["cpi", "cpi", "cpi", "policy_rate"],
            "date": [apr, apr, may, may],
            "published": [dt.date(2024, 5, 15), jun, jun, may],
            "value": [313.0, 313.2, 313.5, 5.5],
        },
        schema=SCHEMAS["macro"],
    )
