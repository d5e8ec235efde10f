"""Copilot fixtures: a small hand-made market, the loopback Messages API, engines on it.

The tiny market has two fictional stocks over 300 sessions with straight-line
prices, so every tool runs on it in milliseconds and its numbers are easy to state:
ACME closes 100.0 + 0.1 a session (last close 129.9), BOLT 50.0 flat; ACME has four
quarters of statements (revenue 1.0e9, 1.1e9, 1.2e9, 1.3e9; net income a tenth).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pytest
from loopback import LoopbackAPI

from axion_lab.config import override_settings
from axion_lab.copilot import CopilotConfig, CopilotEngine
from axion_lab.data import Market
from axion_lab.data.schema import SCHEMAS

SESSIONS = 300


def _days(n: int) -> list[dt.date]:
    out, day = [], dt.date(2023, 1, 2)
    while len(out) < n:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _frame(name: str, rows: dict[str, list[Any]]) -> pl.DataFrame:
    schema = SCHEMAS[name]
    n = len(next(iter(rows.values())))
    return pl.DataFrame({c: rows.get(c, [None] * n) for c in schema}, schema=schema)


@pytest.fixture(scope="session")
def tiny_market() -> Market:
    days = _days(SESSIONS)
    acme = [100.0 + 0.1 * i for i in range(SESSIONS)]
    bolt = [50.0] * SESSIONS
    bars = _frame(
        "bars",
        {
            "symbol": ["ACME"] * SESSIONS + ["BOLT"] * SESSIONS,
            "ts": [dt.datetime.combine(d, dt.time()) for d in days] * 2,
            "open": acme + bolt,
            "high": [c + 0.5 for c in acme + bolt],
            "low": [c - 0.5 for c in acme + bolt],
            "close": acme + bolt,
            "volume": [1_000_000] * (2 * SESSIONS),
        },
    )
    instruments = _frame(
        "instruments",
        {
            "symbol": ["ACME", "BOLT"],
            "name": ["Acme Tools (fictional)", "Bolt Energy (fictional)"],
            "asset_class": ["equity", "equity"],
            "sector": ["Industrials", "Energy"],
            "industry": ["Machinery", "Oil & Gas"],
            "exchange": ["SBX", "SBX"],
            "country": ["United States"] * 2,
            "currency": ["USD"] * 2,
            "indexes": [[], []],
            "ipo_date": [dt.date(2000, 1, 3)] * 2,
            "is_fictional": [True, True],
        },
    )
    quarters = [
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        dt.date(2023, 9, 30),
        dt.date(2023, 12, 31),
    ]
    fundamentals = _frame(
        "fundamentals",
        {
            "symbol": ["ACME"] * 4,
            "period_end": quarters,
            "published": [q + dt.timedelta(days=40) for q in quarters],
            "fiscal_year": [2023] * 4,
            "fiscal_quarter": [1, 2, 3, 4],
            "revenue": [1.0e9, 1.1e9, 1.2e9, 1.3e9],
            "net_income": [1.0e8, 1.1e8, 1.2e8, 1.3e8],
            "eps": [1.0, 1.1, 1.2, 1.3],
            "shares_outstanding": [1.0e8] * 4,
            "shareholders_equity": [2.0e9] * 4,
            "total_debt": [5.0e8] * 4,
            "cash": [1.0e8] * 4,
            "free_cash_flow": [9.0e7] * 4,
        },
    )
    return Market.from_frames(
        {"bars": bars, "instruments": instruments, "fundamentals": fundamentals},
        provider="tiny",
        description="Tiny test market (fictional)",
        is_synthetic=True,
    )


@pytest.fixture
def api() -> Iterator[LoopbackAPI]:
    server = LoopbackAPI().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def online(api: LoopbackAPI) -> Iterator[LoopbackAPI]:
    """Settings pointing the SDK at the loopback server, with a key set."""
    with override_settings(anthropic_api_key="sk-test", anthropic_base_url=api.url):
        yield api


@pytest.fixture
def make_engine(tiny_market: Market) -> Iterator[Callable[..., CopilotEngine]]:
    """Engines on the tiny market; their HTTP clients are closed after the test."""
    made: list[CopilotEngine] = []

    def make(**config: Any) -> CopilotEngine:
        options: dict[str, Any] = {
            "model": "claude-sonnet-4-6",
            "timeout": 5.0,
            "max_retries": 2,
        }
        options.update(config)
        store = options.pop("store", None)
        engine = CopilotEngine(CopilotConfig(**options), market=tiny_market, store=store)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()
