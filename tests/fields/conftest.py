"""A tiny hand-made market whose snapshot values can be worked out by hand.

Symbols
-------
A  equity (Tech): close rises 0.01 a session from 10.00; quarterly EPS 1.0 .. 1.4 and a
   planted future quarter (EPS 100, published after the as-of date); dividends raised
   every year 2020-2024; in index IDX until 2024-03-01; short interest, ratings, 13F.
B  equity (Energy): a 2-for-1 split effective 2024-01-15; as-traded close 100 before,
   50 after; EPS 2.0 a quarter before the split, 1.0 after; dividend 1.0 before, 0.5
   after; joins IDX on 2024-03-01.
D  equity (Energy): zero equity and zero EPS, so ratios over them are null.
E  ETF.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.data.schema import SCHEMAS

AS_OF = dt.date(2024, 6, 28)


def _bars() -> pl.DataFrame:
    days = [
        d for d in pl.date_range(dt.date(2022, 12, 1), AS_OF, "1d", eager=True) if d.weekday() < 5
    ]
    n = len(days)
    split = dt.date(2024, 1, 15)
    closes = {
        "A": 10.0 + 0.01 * np.arange(n),
        "B": np.array([100.0 if d < split else 50.0 for d in days]),
        "D": np.full(n, 20.0),
        "E": np.full(n, 30.0),
    }
    frames = [
        pl.DataFrame(
            {
                "symbol": sym,
                "ts": [dt.datetime.combine(d, dt.time()) for d in days],
                "open": close,
                "high": close,
                "low": close,
                "close": close,
                "volume": np.full(n, 1000, dtype=np.int64),
            }
        )
        for sym, close in closes.items()
    ]
    return pl.concat(frames)


def _fundamentals() -> pl.DataFrame:
    base = {c: 0.0 for c, t in SCHEMAS["fundamentals"].items() if t == pl.Float64}
    rows = []

    def add(sym: str, end: dt.date, eps: float, **kw: float) -> None:
        shares = kw.pop("shares_outstanding", 1e7)
        row = {
            **base,
            "symbol": sym,
            "period_end": end,
            "published": kw.pop("published", end + dt.timedelta(days=40)),
            "fiscal_year": end.year,
            "fiscal_quarter": (end.month - 1) // 3 + 1,
            "eps": eps,
            "net_income": eps * shares,
            "shares_outstanding": shares,
            "revenue": 100.0,
            "gross_profit": 40.0,
            "total_assets": 1e8,
            "shareholders_equity": 5e7,
            "total_debt": 2e7,
            "cash": 1e7,
            "current_assets": 3e7,
            "current_liabilities": 1.5e7,
        }
        row.update(kw)
        rows.append(row)

    ends = [
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        dt.date(2023, 9, 30),
        dt.date(2023, 12, 31),
        dt.date(2024, 3, 31),
    ]
    for end, eps in zip(ends, [1.0, 1.1, 1.2, 1.3, 1.4], strict=True):
        add("A", end, eps, revenue=100.0 + 10 * ends.index(end))
    # Planted future quarter: published after the as-of date, must be ignored.
    add("A", dt.date(2024, 6, 30), 100.0, published=dt.date(2024, 8, 10), revenue=1e9)
    for end, eps in zip(ends[1:], [2.0, 2.0, 2.0, 1.0], strict=True):
        shares = 2e6 if end < dt.date(2024, 1, 15) else 4e6
        add("B", end, eps, shares_outstanding=shares)
    for end in ends[1:]:
        add("D", end, 0.0, shareholders_equity=0.0)
    return pl.DataFrame(rows)


def _dividends() -> pl.DataFrame:
    rows = []
    levels = {2020: 0.20, 2021: 0.22, 2022: 0.25, 2023: 0.30, 2024: 0.35}
    for year, amount in levels.items():
        for month in (2, 5, 8, 11):
            ex = dt.date(year, month, 15)
            if ex <= AS_OF:
                rows.append(("A", ex, amount, "quarterly", "regular"))
    rows.append(("A", dt.date(2024, 3, 1), 5.0, "special", "special"))
    for ex, amount in [(dt.date(2023, m, 15), 1.0) for m in (2, 5, 8, 11)] + [
        (dt.date(2024, 2, 15), 0.5),
        (dt.date(2024, 5, 15), 0.5),
    ]:
        rows.append(("B", ex, amount, "quarterly", "regular"))
    frame = pl.DataFrame(
        rows, schema=["symbol", "ex_date", "amount", "frequency", "kind"], orient="row"
    )
    return frame.with_columns(
        (pl.col("ex_date") - pl.duration(days=10)).alias("declared"),
        (pl.col("ex_date") + pl.duration(days=1)).alias("record_date"),
        (pl.col("ex_date") + pl.duration(days=10)).alias("pay_date"),
    )


@pytest.fixture
def tiny_market() -> Market:
    instruments = pl.DataFrame(
        {
            "symbol": ["A", "B", "D", "E"],
            "name": ["Alpha", "Beta", "Delta", "Echo ETF"],
            "asset_class": ["equity", "equity", "equity", "etf"],
            "sector": ["Tech", "Energy", "Energy", None],
            "industry": ["Software", "Oil", "Oil", None],
            "exchange": "X",
            "country": "US",
            "currency": "USD",
            "indexes": [["IDX"], ["IDX"], [], []],
            "ipo_date": [dt.date(2000, 1, 3), dt.date(2010, 1, 4), dt.date(2015, 1, 5), None],
            "is_fictional": True,
        }
    )
    membership = pl.DataFrame(
        {
            "index": ["IDX", "IDX"],
            "symbol": ["A", "B"],
            "start": [dt.date(2020, 1, 1), dt.date(2024, 3, 1)],
            "end": [dt.date(2024, 3, 1), None],
        }
    )
    splits = pl.DataFrame(
        {
            "symbol": ["B"],
            "announced": [dt.date(2023, 12, 15)],
            "ex_date": [dt.date(2024, 1, 15)],
            "ratio": [2.0],
        }
    )
    short = pl.DataFrame(
        {
            "symbol": ["A", "A", "A"],
            "date": [dt.date(2024, 5, 31), dt.date(2024, 6, 14), dt.date(2024, 6, 28)],
            "published": [dt.date(2024, 6, 12), dt.date(2024, 6, 26), dt.date(2024, 7, 10)],
            "short_shares": [8e5, 1e6, 5e6],
            "float_shares": [1e7, 1e7, 1e7],
            "days_to_cover": [2.0, 2.5, 9.0],
            "borrow_fee": [0.004, 0.005, 0.09],  # fractions a year
        }
    )
    ratings = pl.DataFrame(
        {
            "symbol": ["A", "A", "A"],
            "date": [dt.date(2024, 3, 29), dt.date(2024, 6, 28), dt.date(2024, 7, 31)],
            "rating": [2.0, 1.5, 4.0],
            "target_price": [12.0, 15.0, 1.0],
            "analyst_count": [5, 6, 7],
        }
    )
    holdings = pl.DataFrame(
        {
            "fund": ["F1", "F1", "F2"],
            "symbol": ["A", "A", "A"],
            "quarter": [dt.date(2023, 12, 31), dt.date(2024, 3, 31), dt.date(2024, 3, 31)],
            "filed": [dt.date(2024, 2, 10), dt.date(2024, 5, 10), dt.date(2024, 7, 5)],
            "shares": [8e5, 1e6, 5e6],
            "value": [1.0, 1.0, 1.0],
            "weight": [0.1, 0.1, 0.1],
        }
    )
    return Market.from_frames(
        {
            "instruments": instruments,
            "index_membership": membership,
            "bars": _bars(),
            "fundamentals": _fundamentals(),
            "dividends": _dividends(),
            "splits": splits,
            "short_interest": short,
            "ratings": ratings,
            "holdings": holdings,
        },
        provider="tiny",
        description="Tiny hand-made test market",
        is_synthetic=True,
    )
