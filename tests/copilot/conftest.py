"""Copilot fixtures: a small hand-made market, the loopback Messages API, engines on it.

The tiny market has two fictional stocks over 300 sessions with straight-line
prices, so every tool runs on it in milliseconds and its numbers are easy to state:
ACME closes 100.0 + 0.1 a session (last close 129.9), BOLT 50.0 flat; ACME has four
quarters of statements (revenue 1.0e9, 1.1e9, 1.2e9, 1.3e9; net income a tenth).

``payer_market`` is the dividend counterpart: six years of three fictional names,
PAYR (a utility raising its quarterly dividend every year), CUTR (an energy name
that cuts its dividend from 0.40 to 0.10 in mid 2021) and GROW (no dividend), with
quarterly statements, so the safety score has a track record to measure.
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


def _days(n: int, first: dt.date = dt.date(2023, 1, 2)) -> list[dt.date]:
    out, day = [], first
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


def _quarter_ends(first: int, last: int) -> list[dt.date]:
    return [
        dt.date(y, m, d)
        for y in range(first, last + 1)
        for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))
    ]


@pytest.fixture(scope="session")
def payer_market() -> Market:
    days = [d for d in _days(1600, dt.date(2018, 1, 1)) if d <= dt.date(2023, 12, 29)]
    n = len(days)
    prices = {
        "PAYR": [40.0 + 0.005 * i for i in range(n)],
        "CUTR": [30.0] * n,
        "GROW": [100.0 + 0.05 * i for i in range(n)],
    }
    bars = _frame(
        "bars",
        {
            "symbol": [s for s in prices for _ in range(n)],
            "ts": [dt.datetime.combine(d, dt.time()) for d in days] * len(prices),
            "open": [c for p in prices.values() for c in p],
            "high": [c + 0.2 for p in prices.values() for c in p],
            "low": [c - 0.2 for p in prices.values() for c in p],
            "close": [c for p in prices.values() for c in p],
            "volume": [500_000] * (n * len(prices)),
        },
    )
    instruments = _frame(
        "instruments",
        {
            "symbol": list(prices),
            "name": ["Payer Power (fictional)", "Cutter Oil (fictional)", "Grow Soft (fictional)"],
            "asset_class": ["equity"] * 3,
            "sector": ["Utilities", "Energy", "Information Technology"],
            "industry": ["Electric", "Oil & Gas", "Software"],
            "exchange": ["SBX"] * 3,
            "country": ["United States"] * 3,
            "currency": ["USD"] * 3,
            "indexes": [[], [], []],
            "ipo_date": [dt.date(2000, 1, 3)] * 3,
            "is_fictional": [True] * 3,
        },
    )
    div_rows: list[dict[str, Any]] = []
    for q in _quarter_ends(2018, 2023):
        ex = q - dt.timedelta(days=15)
        if ex > days[-1]:
            continue
        payr = 0.50 + 0.02 * (q.year - 2018)
        cutr = 0.40 if ex < dt.date(2021, 6, 1) else 0.10
        for sym, amount in (("PAYR", payr), ("CUTR", cutr)):
            div_rows.append(
                {
                    "symbol": sym,
                    "declared": ex - dt.timedelta(days=20),
                    "ex_date": ex,
                    "record_date": ex + dt.timedelta(days=1),
                    "pay_date": ex + dt.timedelta(days=14),
                    "amount": amount,
                    "frequency": "quarterly",
                    "kind": "regular",
                }
            )
    dividends = _frame("dividends", {k: [r[k] for r in div_rows] for k in div_rows[0]})
    fund: dict[str, list[Any]] = {k: [] for k in SCHEMAS["fundamentals"]}
    for i, q in enumerate(_quarter_ends(2016, 2023)):
        for sym, ni, paid, debt in (
            ("PAYR", 1.0e8 + 1e6 * (i % 3), 4.0e7, 3.0e8),
            ("CUTR", 5.0e7 * (1 if i % 2 else -1), 6.0e7, 9.0e8),
            ("GROW", 2.0e8, 0.0, 0.0),
        ):
            row = {
                "symbol": sym,
                "period_end": q,
                "published": q + dt.timedelta(days=35),
                "fiscal_year": q.year,
                "fiscal_quarter": (q.month - 1) // 3 + 1,
                "revenue": 1.0e9,
                "operating_income": ni * 1.5,
                "ebitda": abs(ni) * 2.0,
                "interest_expense": 1.0e7,
                "net_income": ni,
                "eps": ni / 1e8,
                "total_debt": debt,
                "free_cash_flow": ni * 0.9,
                "dividends_paid": -paid,
                "shares_outstanding": 1.0e8,
            }
            for k, column in fund.items():
                column.append(row.get(k))
    fundamentals = _frame("fundamentals", fund)
    return Market.from_frames(
        {
            "bars": bars,
            "instruments": instruments,
            "dividends": dividends,
            "fundamentals": fundamentals,
        },
        provider="payers",
        description="Dividend test market (fictional)",
        is_synthetic=True,
    )


@pytest.fixture
def make_payer_engine(payer_market: Market) -> Iterator[Callable[..., CopilotEngine]]:
    """Engines on the dividend market (closed after the test)."""
    made: list[CopilotEngine] = []

    def make(**config: Any) -> CopilotEngine:
        options: dict[str, Any] = {"model": "claude-sonnet-4-6", "timeout": 5.0, "max_retries": 2}
        options.update(config)
        store = options.pop("store", None)
        engine = CopilotEngine(CopilotConfig(**options), market=payer_market, store=store)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()
