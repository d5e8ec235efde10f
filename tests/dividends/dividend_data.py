"""A tiny hand-made market whose every dividend can be worked out on paper.

AAA (United States, Utilities): close $10.00 until a 2-for-1 split on 2023-08-01,
$5.00 after. Quarterly dividends as declared: 0.25 (Feb, May 2023), 0.13 (Aug,
Nov 2023; a raise: 0.125 split-adjusted), 0.14 in 2024; a $1.00 special in
October 2023. A second 2-for-1 split is announced 2024-11-18, effective
2025-01-10 (after the data).

BBB (Germany, Energy): close $20.00; one annual dividend of 1.234 (2023-06-15).

CCC (United States, Consumer Staples): an annual payer since 2015 whose history
starts before the bars: 1.00, 1.10, 1.20, 1.20 (flat 2018), 1.30, 1.40, a 2-for-1
split on 2021-01-04, then 0.75, 0.80 (+ a 5.00 special), 0.85, 0.90.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

D = dt.date


def _sessions() -> list[dt.date]:
    day, out = D(2023, 1, 2), []
    while day <= D(2024, 12, 31):
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _div(
    symbol: str,
    declared: dt.date,
    ex: dt.date,
    pay: dt.date,
    amount: float,
    frequency: str = "quarterly",
    kind: str = "regular",
) -> dict[str, object]:
    return {
        "symbol": symbol,
        "declared": declared,
        "ex_date": ex,
        "record_date": ex + dt.timedelta(days=1),
        "pay_date": pay,
        "amount": amount,
        "frequency": frequency,
        "kind": kind,
    }


def tiny_frames() -> dict[str, pl.DataFrame]:
    days = _sessions()
    bars = []
    for day in days:
        aaa = 10.0 if day < D(2023, 8, 1) else 5.0
        for symbol, close in (("AAA", aaa), ("BBB", 20.0), ("CCC", 40.0)):
            bars.append(
                {
                    "symbol": symbol,
                    "ts": dt.datetime(day.year, day.month, day.day),
                    "open": close,
                    "high": close,
                    "low": close,
                    "close": close,
                    "volume": 1000,
                }
            )
    instruments = pl.DataFrame(
        {
            "symbol": ["AAA", "BBB", "CCC"],
            "name": [
                "Alpha Utility (fictional)",
                "Beta Energie (fictional)",
                "Gamma Foods (fictional)",
            ],
            "asset_class": ["equity"] * 3,
            "sector": ["Utilities", "Energy", "Consumer Staples"],
            "industry": ["Electric", "Oil", "Food"],
            "exchange": ["AXN"] * 3,
            "country": ["United States", "Germany", "United States"],
            "currency": ["USD"] * 3,
            "indexes": [[], [], []],
            "ipo_date": [D(2000, 1, 3)] * 3,
            "is_fictional": [True] * 3,
        }
    )
    divs = [
        _div("AAA", D(2023, 2, 1), D(2023, 2, 15), D(2023, 3, 1), 0.25),
        _div("AAA", D(2023, 5, 1), D(2023, 5, 15), D(2023, 6, 1), 0.25),
        _div("AAA", D(2023, 8, 1), D(2023, 8, 15), D(2023, 9, 1), 0.13),
        _div("AAA", D(2023, 10, 2), D(2023, 10, 16), D(2023, 11, 1), 1.00, "special", "special"),
        _div("AAA", D(2023, 11, 1), D(2023, 11, 15), D(2023, 12, 1), 0.13),
        _div("AAA", D(2024, 2, 1), D(2024, 2, 15), D(2024, 3, 1), 0.14),
        _div("AAA", D(2024, 5, 1), D(2024, 5, 15), D(2024, 6, 3), 0.14),
        _div("AAA", D(2024, 8, 1), D(2024, 8, 15), D(2024, 9, 3), 0.14),
        _div("AAA", D(2024, 11, 1), D(2024, 11, 15), D(2024, 12, 2), 0.14),
        _div("BBB", D(2023, 6, 1), D(2023, 6, 15), D(2023, 6, 30), 1.234, "annual"),
    ]
    ccc = {
        2015: 1.00,
        2016: 1.10,
        2017: 1.20,
        2018: 1.20,
        2019: 1.30,
        2020: 1.40,
        2021: 0.75,
        2022: 0.80,
        2023: 0.85,
        2024: 0.90,
    }
    for year, amount in ccc.items():
        divs.append(_div("CCC", D(year, 6, 1), D(year, 6, 15), D(year, 7, 1), amount, "annual"))
    divs.append(
        _div("CCC", D(2022, 11, 15), D(2022, 12, 1), D(2022, 12, 15), 5.0, "special", "special")
    )
    splits = pl.DataFrame(
        {
            "symbol": ["AAA", "AAA", "CCC"],
            "announced": [D(2023, 7, 10), D(2024, 11, 18), D(2020, 12, 1)],
            "ex_date": [D(2023, 8, 1), D(2025, 1, 10), D(2021, 1, 4)],
            "ratio": [2.0, 2.0, 2.0],
        }
    )
    quarters = [
        D(2021, 12, 31),
        D(2022, 3, 31),
        D(2022, 6, 30),
        D(2022, 9, 30),
        D(2022, 12, 31),
        D(2023, 3, 31),
        D(2023, 6, 30),
        D(2023, 9, 30),
        D(2023, 12, 31),
        D(2024, 3, 31),
        D(2024, 6, 30),
        D(2024, 9, 30),
    ]
    fundamentals = pl.DataFrame(
        [
            {
                "symbol": "AAA",
                "period_end": q,
                "published": q + dt.timedelta(days=40),
                "fiscal_year": q.year,
                "fiscal_quarter": (q.month - 1) // 3 + 1,
                "revenue": 1000.0,
                "cost_of_revenue": 600.0,
                "gross_profit": 400.0,
                "operating_income": 200.0,
                "ebitda": 250.0,
                "interest_expense": 20.0,
                "net_income": 100.0,
                "eps": 1.0,
                "total_assets": 5000.0,
                "total_liabilities": 2000.0,
                "current_assets": 800.0,
                "current_liabilities": 400.0,
                "cash": 100.0,
                "inventory": 50.0,
                "total_debt": 500.0,
                "shareholders_equity": 3000.0,
                "operating_cash_flow": 175.0,
                "capex": 50.0,
                "free_cash_flow": 125.0,
                "dividends_paid": -50.0,
                "share_buybacks": 0.0,
                "shares_outstanding": 100.0,
            }
            for q in quarters
        ]
    )
    return {
        "instruments": instruments,
        "bars": pl.DataFrame(bars),
        "dividends": pl.DataFrame(divs),
        "splits": splits,
        "fundamentals": fundamentals,
    }
