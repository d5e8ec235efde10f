"""A hand-made market of 4 stocks and 1 ETF over 10 sessions, small enough to work by hand.

Sessions (index: date): 0 2023-12-27, 1 12-28, 2 12-29, 3 2024-01-02, 4 01-03,
5 01-04, 6 01-05, 7 01-08, 8 01-09, 9 01-10.

BBB splits 2-for-1 going ex on 2024-01-05 (index 6), so its as-traded closes halve
there; split-adjusted closes are:

    AAA  10 10 10 11 12 12 13 13 14 15     Information Technology / Software
    BBB  10 10 10 10 10  9  9  9  9  8     Information Technology / Hardware
    CCC  50 50 50 50 40 40 40 40 40 60     Energy / Oil & Gas
    DDD   5  5  5  5  5  5  5  5  5  5     Information Technology / Software, no fundamentals

Shares outstanding: AAA 100, BBB 50 (published before the split), CCC 10, then 20
published 2024-01-04.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data import Market

DAYS = [
    dt.date(2023, 12, 27),
    dt.date(2023, 12, 28),
    dt.date(2023, 12, 29),
    dt.date(2024, 1, 2),
    dt.date(2024, 1, 3),
    dt.date(2024, 1, 4),
    dt.date(2024, 1, 5),
    dt.date(2024, 1, 8),
    dt.date(2024, 1, 9),
    dt.date(2024, 1, 10),
]
RAW_CLOSES = {
    "AAA": [10, 10, 10, 11, 12, 12, 13, 13, 14, 15],
    "BBB": [20, 20, 20, 20, 20, 18, 9, 9, 9, 8],
    "CCC": [50, 50, 50, 50, 40, 40, 40, 40, 40, 60],
    "DDD": [5] * 10,
    "ETF1": [100] * 10,
}


def _instruments() -> pl.DataFrame:
    it = "Information Technology"
    rows = [
        ("AAA", "Alpha Soft", "equity", it, "Software", "NASDAQ", ["AX100"]),
        ("BBB", "Beta Devices", "equity", it, "Hardware", "NASDAQ", ["AX100"]),
        ("CCC", "Gamma Oil", "equity", "Energy", "Oil & Gas", "NYSE", []),
        ("DDD", "Delta Apps", "equity", it, "Software", "NYSE", []),
        ("ETF1", "Broad ETF", "etf", None, None, "NYSE", []),
    ]
    return pl.DataFrame(
        {
            "symbol": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "asset_class": [r[2] for r in rows],
            "sector": [r[3] for r in rows],
            "industry": [r[4] for r in rows],
            "exchange": [r[5] for r in rows],
            "country": ["US"] * len(rows),
            "currency": ["USD"] * len(rows),
            "indexes": [r[6] for r in rows],
            "ipo_date": [dt.date(2000, 1, 1)] * len(rows),
            "is_fictional": [True] * len(rows),
        },
        schema_overrides={
            "indexes": pl.List(pl.String),
            "sector": pl.String,
            "industry": pl.String,
        },
    )


def _bars() -> pl.DataFrame:
    symbols, ts, closes = [], [], []
    for sym, values in RAW_CLOSES.items():
        for day, close in zip(DAYS, values, strict=True):
            symbols.append(sym)
            ts.append(dt.datetime.combine(day, dt.time()))
            closes.append(float(close))
    return pl.DataFrame(
        {
            "symbol": symbols,
            "ts": ts,
            "open": closes,
            "high": closes,
            "low": closes,
            "close": closes,
            "volume": [1000] * len(closes),
        }
    )


def _fundamentals() -> pl.DataFrame:
    rows = [
        ("AAA", dt.date(2023, 9, 30), dt.date(2023, 11, 1), 100.0),
        ("BBB", dt.date(2023, 9, 30), dt.date(2023, 11, 1), 50.0),
        ("CCC", dt.date(2023, 9, 30), dt.date(2023, 11, 1), 10.0),
        ("CCC", dt.date(2023, 12, 31), dt.date(2024, 1, 4), 20.0),
    ]
    frame = pl.DataFrame(
        {
            "symbol": [r[0] for r in rows],
            "period_end": [r[1] for r in rows],
            "published": [r[2] for r in rows],
            "shares_outstanding": [r[3] for r in rows],
            "fiscal_year": [r[1].year for r in rows],
            "fiscal_quarter": [(r[1].month - 1) // 3 + 1 for r in rows],
        }
    )
    from axion_lab.data.schema import SCHEMAS

    missing = [
        pl.lit(None, dtype=dtype).alias(col)
        for col, dtype in SCHEMAS["fundamentals"].items()
        if col not in frame.columns
    ]
    return frame.with_columns(missing)


def build_tiny_market(**meta: object) -> Market:
    return Market.from_frames(
        {
            "instruments": _instruments(),
            "index_membership": pl.DataFrame(
                {
                    "index": ["AX100", "AX100"],
                    "symbol": ["AAA", "BBB"],
                    "start": [dt.date(2020, 1, 1)] * 2,
                    "end": [None, None],
                },
                schema_overrides={"end": pl.Date},
            ),
            "bars": _bars(),
            "fundamentals": _fundamentals(),
            "splits": pl.DataFrame(
                {
                    "symbol": ["BBB"],
                    "announced": [dt.date(2023, 12, 20)],
                    "ex_date": [dt.date(2024, 1, 5)],
                    "ratio": [2.0],
                }
            ),
        },
        provider="tiny",
        description="Tiny hand-made market",
        is_synthetic=True,
        **meta,
    )


@pytest.fixture
def tiny_market() -> Market:
    return build_tiny_market()
