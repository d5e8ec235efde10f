"""Fixtures for the data-service tests: a small counting provider, a fixed clock,
fresh caches and engines per test, a throw-away PostgreSQL database and a private
redis-server that a test may stop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import pytest_asyncio
from testsupport import RedisServer, throwaway_database

from axion_lab.cache import reset_cache
from axion_lab.data import Market
from axion_lab.data.schema import SCHEMAS
from axion_lab.db import areset_engines, reset_engines
from axion_lab.services._schema import forget_schema_checks

# Monday after the fake market's last session (Friday 2024-06-28).
NOW = dt.datetime(2024, 7, 1, 12, 0, tzinfo=dt.UTC)
FIRST_DAY = dt.date(2023, 1, 2)
LAST_DAY = dt.date(2024, 6, 28)
CCC_IPO = dt.date(2023, 9, 1)
BAD_DAY = dt.date(2024, 6, 3)


def _sessions(first: dt.date, last: dt.date) -> list[dt.datetime]:
    days = np.arange(np.datetime64(first), np.datetime64(last) + 1, dtype="datetime64[D]")
    days = days[np.is_busday(days)]
    return [dt.datetime.combine(d.astype(dt.date), dt.time()) for d in days]


def _bars(symbol: str, first: dt.date, seed: int) -> pl.DataFrame:
    ts = _sessions(first, LAST_DAY)
    rng = np.random.default_rng(seed)
    close = 50.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, len(ts))))
    open_ = close * (1 + rng.normal(0.0, 0.002, len(ts)))
    high = np.maximum(open_, close) * 1.01
    low = np.minimum(open_, close) * 0.99
    return pl.DataFrame(
        {
            "symbol": [symbol] * len(ts),
            "ts": ts,
            "open": open_,
            "high": high,
            "low": low,
            "close": close,
            "volume": rng.integers(1_000, 10_000, len(ts)),
        }
    )


def fake_frames() -> dict[str, pl.DataFrame]:
    """Four fictional symbols; CCC lists mid-way; BAD has one bar with high < low."""
    bad = _bars("BAD", FIRST_DAY, 4).with_columns(
        pl.when(pl.col("ts").dt.date() == BAD_DAY)
        .then(pl.col("low") * 0.9)
        .otherwise(pl.col("high"))
        .alias("high")
    )
    bars = pl.concat(
        [_bars("AAA", FIRST_DAY, 1), _bars("BBB", FIRST_DAY, 2), _bars("CCC", CCC_IPO, 3), bad]
    )
    instruments = pl.DataFrame(
        {
            "symbol": ["AAA", "BAD", "BBB", "CCC"],
            "name": ["Aaa (fictional)", "Bad (fictional)", "Bbb (fictional)", "Ccc (fictional)"],
            "asset_class": ["equity"] * 4,
            "sector": ["Energy", "Utilities", "Financials", "Energy"],
            "industry": ["Oil", "Power", "Banks", "Oil"],
            "exchange": ["FAKE"] * 4,
            "country": ["Nowhere"] * 4,
            "currency": ["USD"] * 4,
            "indexes": [["FAKE10"], [], ["FAKE10"], []],
            "ipo_date": [None, None, None, CCC_IPO],
            "is_fictional": [True] * 4,
        }
    )
    membership = pl.DataFrame(
        {
            "index": ["FAKE10", "FAKE10"],
            "symbol": ["AAA", "BBB"],
            "start": [FIRST_DAY, FIRST_DAY],
            "end": [None, None],
        }
    )
    quarters = [dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 9, 30)]
    fundamentals = pl.DataFrame(
        {
            "symbol": ["AAA"] * 3 + ["BBB"] * 3,
            "period_end": quarters * 2,
            "published": [q + dt.timedelta(days=40) for q in quarters] * 2,
            "revenue": [100.0, 110.0, 120.0, 200.0, 210.0, 220.0],
            "cost_of_revenue": [60.0, 66.0, 72.0, 120.0, 126.0, 132.0],
            "gross_profit": [40.0, 44.0, 48.0, 80.0, 84.0, 88.0],
        }
    )
    fundamentals = fundamentals.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in SCHEMAS["fundamentals"].items()
        if name not in fundamentals.columns
    ).select(list(SCHEMAS["fundamentals"]))
    return {
        "bars": bars,
        "instruments": instruments,
        "index_membership": membership,
        "fundamentals": fundamentals,
    }


class FakeProvider:
    """A provider over :func:`fake_frames` that counts how often it is loaded."""

    name = "fakesvc"
    description = "Four fictional symbols for the data-service tests."

    def __init__(self) -> None:
        self.loads = 0
        self._frames = fake_frames()

    def load(self, **options: Any) -> Market:
        self.loads += 1
        return Market.from_frames(
            self._frames, provider=self.name, description=self.description, is_synthetic=True
        )


def fixed_clock() -> dt.datetime:
    return NOW


@pytest.fixture
def fake() -> FakeProvider:
    return FakeProvider()


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    """Each test starts with an unresolved cache, no engines and no schema checks."""
    reset_cache()
    reset_engines()
    forget_schema_checks()
    yield
    reset_cache()
    reset_engines()
    forget_schema_checks()


@pytest_asyncio.fixture
async def async_engines() -> AsyncIterator[None]:
    """For async tests: close this loop's async engines before the loop ends."""
    yield
    await areset_engines()


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database (no schema), dropped afterwards."""
    with throwaway_database(postgres_url, "axion_svc") as url:
        yield url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A private Redis (never the shared one on 6379) that the test may stop."""
    with RedisServer.running(tmp_path) as server:
        yield server
