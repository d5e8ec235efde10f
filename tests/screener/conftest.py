"""A hand-made snapshot for operator semantics, with nulls and NaN planted."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

NAN = float("nan")


@pytest.fixture
def snap() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "symbol": ["A", "B", "C", "D", "E", "F"],
            "name": ["Alpha", "Beta", "Gamma", "Delta", "Eps", "Fund"],
            "asset_class": ["equity"] * 5 + ["etf"],
            "sector": ["Tech", "Tech", "Energy", "Energy", "Tech", None],
            "indexes": [["IDX"], [], ["IDX", "OTHER"], [], None, []],
            "pe_ratio": [10.0, 20.0, None, NAN, 5.0, 8.0],
            "price": [100.0, 50.0, 20.0, 10.0, 5.0, 30.0],
            "sma_200": [90.0, 60.0, 20.0, None, 5.5, 25.0],
            "dividend_yield": [0.01, 0.05, None, 0.03, NAN, 0.0],
            "market_cap": [300.0, 200.0, 500.0, 100.0, 50.0, None],
            "rsi_14": [35.0, 25.0, 31.0, None, 50.0, 30.0],
            "ipo_date": [
                dt.date(2001, 1, 1),
                dt.date(2015, 1, 1),
                None,
                dt.date(2010, 1, 1),
                dt.date(2020, 1, 1),
                dt.date(2012, 1, 1),
            ],
            "is_fictional": [True, True, False, None, True, True],
        },
        schema_overrides={"indexes": pl.List(pl.String)},
    )


@pytest.fixture
def prev() -> pl.DataFrame:
    """The previous session: A was below its SMA, B above; RSI either side of 30."""
    return pl.DataFrame(
        {
            "symbol": ["A", "B", "C", "D", "E", "F"],
            "price": [80.0, 65.0, 19.0, 10.0, None, 31.0],
            "sma_200": [85.0, 58.0, 20.0, None, 5.5, 20.0],
            "rsi_14": [28.0, 31.0, 30.0, 20.0, None, 29.0],
        }
    )
