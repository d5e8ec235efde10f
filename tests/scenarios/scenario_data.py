"""A small hand-made market for the scenario engines: known betas, sectors, a bond.

Returns are ``beta * m + noise`` for a seeded market path ``m``, so estimated betas
can be compared with the true ones. The index ``AX500`` is the market proxy.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from axion_lab.data import Market

TRUE_BETAS = {"AAA": 1.5, "BBB": 0.5, "CCC": 1.0, "DDD": 1.2, "NEWCO": 1.3}
SECTORS = {
    "AAA": "Information Technology",
    "BBB": "Utilities",
    "CCC": "Financials",
    "DDD": "Information Technology",
    "NEWCO": "Information Technology",
}
N_DAYS = 900
NEWCO_START = 700  # listed late: no data in early windows


def _sessions(n: int) -> list[dt.date]:
    day, out = dt.date(2020, 1, 1), []
    while len(out) < n:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def build_small_market() -> Market:
    rng = np.random.default_rng(7)
    days = _sessions(N_DAYS)
    m = rng.normal(0.0003, 0.01, N_DAYS)
    m[0] = 0.0
    m[300:320] = -0.02  # a selloff window
    closes: dict[str, np.ndarray] = {"AX500": 1000.0 * np.cumprod(1 + m)}
    for i, (sym, beta) in enumerate(TRUE_BETAS.items()):
        noise = rng.normal(0, 0.004, N_DAYS)
        noise[0] = 0.0
        closes[sym] = (20.0 + 10 * i) * np.cumprod(1 + beta * m + noise)
    y = np.cumsum(rng.normal(0, 0.0003, N_DAYS))  # yield path
    closes["BOND"] = 100.0 * np.exp(-5.0 * y)
    closes["ETFX"] = 50.0 * np.cumprod(1 + 0.9 * m)
    rows = []
    for sym, path in closes.items():
        start = NEWCO_START if sym == "NEWCO" else 0
        for t in range(start, N_DAYS):
            c = float(path[t])
            rows.append((sym, dt.datetime.combine(days[t], dt.time()), c, c, c, c, 1000))
    bars = pl.DataFrame(
        rows, schema=["symbol", "ts", "open", "high", "low", "close", "volume"], orient="row"
    )
    symbols = ["AX500", *TRUE_BETAS, "BOND", "ETFX"]
    asset = {"AX500": "index", "BOND": "bond", "ETFX": "etf"}
    instruments = pl.DataFrame(
        {
            "symbol": symbols,
            "name": [f"{s} Corp" for s in symbols],
            "asset_class": [asset.get(s, "equity") for s in symbols],
            "sector": [SECTORS.get(s) for s in symbols],
            "industry": [
                "Corporate bond" if s == "BOND" else "ETF - Blend" if s == "ETFX" else "x"
                for s in symbols
            ],
            "exchange": ["X"] * len(symbols),
            "country": ["US"] * len(symbols),
            "currency": ["USD"] * len(symbols),
            "indexes": [[] for _ in symbols],
            "ipo_date": [None] * len(symbols),
            "is_fictional": [True] * len(symbols),
            "duration": [5.0 if s == "BOND" else None for s in symbols],
        },
        schema_overrides={"indexes": pl.List(pl.String), "ipo_date": pl.Date},
    )
    last = days[-1]
    dividends = pl.DataFrame(
        {
            "symbol": ["BBB"] * 4,
            "declared": [last - dt.timedelta(days=d + 10) for d in (20, 110, 200, 290)],
            "ex_date": [last - dt.timedelta(days=d) for d in (20, 110, 200, 290)],
            "record_date": [last - dt.timedelta(days=d - 1) for d in (20, 110, 200, 290)],
            "pay_date": [last - dt.timedelta(days=d - 10) for d in (20, 110, 200, 290)],
            "amount": [0.25] * 4,
            "frequency": ["quarterly"] * 4,
            "kind": ["regular"] * 4,
        }
    )
    return Market.from_frames(
        {"instruments": instruments, "bars": bars, "dividends": dividends},
        provider="test",
        description="small test market",
        is_synthetic=True,
    )


@pytest.fixture(scope="session")
def small_market() -> Market:
    """The hand-made market (built once per session)."""
    return build_small_market()
