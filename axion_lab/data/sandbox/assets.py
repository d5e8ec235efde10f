"""Non-equity instruments: ETFs, crypto, forex pairs, bonds and futures.

Each comes from the same factors as the equities, so cross-asset stress tests see
coherent moves: equity ETFs are cap-weighted baskets of their (point-in-time)
members, bond ETFs and bonds reprice off the simulated yield curve, the index
future tracks the AX500, crude loads on the Energy factor, the yen and the franc
rally when the market falls. Tickers are fictional except forex pairs, which use
ISO currency codes (their paths are still synthetic).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from axion_lab.data.sandbox.config import SandboxConfig, stream
from axion_lab.data.sandbox.macro import Rates
from axion_lab.data.sandbox.prices import (
    DAYS_PER_YEAR,
    SHOCK_CLIP,
    Factors,
    cap_moves,
    garch,
    std_t,
)

__all__ = ["RESERVED_SYMBOLS", "AssetBlock", "Distribution", "bond_price", "build_assets"]

# Letter-only symbols of the non-equity instruments; equity tickers avoid them.
RESERVED_SYMBOLS = frozenset(
    [
        "AXLG",
        "AXMD",
        "AXSM",
        "AXTM",
        "AXDV",
        "AXGR",
        "AXVL",
        "AXLV",
        "AXST",
        "AXAG",
        "AXTL",
        "AXIG",
        "AXHY",
        "AXAU",
        "AXCM",
        "SXCM",
        "SXCD",
        "SXCS",
        "SXEN",
        "SXFN",
        "SXHC",
        "SXIN",
        "SXIT",
        "SXMT",
        "SXRE",
        "SXUT",
        "XIF",
        "XCO",
        "XGD",
        "XNG",
        "XCU",
        "XTN",
    ]
)


@dataclasses.dataclass(frozen=True, eq=False)
class Distribution:
    """A cash distribution of a non-equity instrument (ETF dividend)."""

    col: int
    t: int  # ex-date session
    fraction: float  # of the previous close
    frequency: str


@dataclasses.dataclass(frozen=True, eq=False)
class AssetBlock:
    """OHLCV ``(T, K)`` arrays of the non-equity instruments and their descriptions."""

    rows: list[dict[str, object]]  # instrument rows (symbol, name, asset_class, extras)
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray
    distributions: list[Distribution]


def bond_price(yield_pct: np.ndarray, coupon: float, years: np.ndarray) -> np.ndarray:
    """Clean price per 100 face of a semi-annual bond (accrued interest ignored).

    Examples
    --------
    >>> round(float(bond_price(np.array([4.0]), 4.0, np.array([10.0]))[0]), 6)
    100.0
    """
    n = np.maximum(2 * years, 1e-6)
    y = np.maximum(yield_pct, 1e-4) / 200
    c = coupon / 2
    disc = (1 + y) ** -n
    return np.asarray(c * (1 - disc) / y + 100 * disc)


def _curve(rates: Rates, years: np.ndarray | float) -> np.ndarray:
    tau = np.broadcast_to(np.asarray(years, dtype=float), rates.y10.shape)
    lo = rates.y2 + (rates.y10 - rates.y2) * np.clip((tau - 2) / 8, 0, 1)
    hi = rates.y10 + (rates.y30 - rates.y10) * np.clip((tau - 10) / 20, 0, 1)
    return np.asarray(np.where(tau <= 10, lo, hi))


def _ohlc(
    rng: np.random.Generator, close: np.ndarray, daily_vol: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    prev = np.concatenate([close[:1], close[:-1]])
    open_ = prev * np.exp(0.3 * np.log(close / prev) + rng.normal(0, 0.1, close.shape) * daily_vol)
    wick = np.abs(rng.standard_normal((2, *close.shape))) * 0.4 * daily_vol
    high = np.maximum(open_, close) * np.exp(wick[0])
    low = np.minimum(open_, close) * np.exp(-wick[1])
    return open_, high, low


def _ease(x: np.ndarray, *, halflife: float) -> np.ndarray:
    """Exponential smoothing of ``x`` (a gradual approach to each new level).

    Examples
    --------
    >>> np.round(_ease(np.array([0.0, 1.0, 1.0, 1.0]), halflife=1.0), 3).tolist()
    [0.0, 0.5, 0.75, 0.875]
    """
    keep = 0.5 ** (1.0 / halflife)
    out = np.empty_like(x)
    level = float(x[0])
    for t, value in enumerate(x.tolist()):
        level = keep * level + (1.0 - keep) * value
        out[t] = level
    return out


def _pinned(
    x: np.ndarray, sessions: np.ndarray, episodes: tuple[tuple[str, str, float], ...]
) -> np.ndarray:
    out = x.copy()
    for a, b, total in episodes:
        idx = np.flatnonzero((sessions >= np.datetime64(a)) & (sessions <= np.datetime64(b)))
        if len(idx) > 1:
            out[idx] = out[idx] - out[idx].mean() + math.log1p(total) / len(idx)
    return out


def build_assets(
    cfg: SandboxConfig,
    sessions: np.ndarray,
    factors: Factors,
    rates: Rates,
    *,
    basket_returns: Callable[[str], np.ndarray],
    ax500: np.ndarray,
) -> AssetBlock:
    """Build every non-equity instrument.

    ``basket_returns(name)`` gives the daily total-return log returns of an equity
    basket (an ETF's holdings); ``ax500`` is the AX500 level.
    """
    rng = stream(cfg.seed, "assets")
    n_t = len(sessions)
    mult = factors.regime_vol
    # Credit spreads widen over a couple of weeks, not overnight: a step in the
    # regime multiplier would reprice a high-yield fund by 20% in one session.
    stress = _ease((mult - 1.0) / 3.0, halflife=25.0)
    rows: list[dict[str, object]] = []
    closes: list[np.ndarray] = []
    vols: list[np.ndarray] = []
    volume: list[np.ndarray] = []
    dists: list[Distribution] = []

    def add(  # noqa: PLR0917 - a local helper whose calls read as a table
        row: dict[str, object],
        log_ret: np.ndarray,
        start: float,
        daily_vol: float,
        adv: float,
        dist: tuple[str, float] | None = None,
    ) -> None:
        close = start * np.exp(np.cumsum(log_ret))
        col = len(rows)
        if dist is not None:
            freq, yld = dist
            step = {"monthly": 21, "quarterly": 63}[freq]
            first = int(rng.integers(5, step))
            for t in range(first, n_t, step):
                dists.append(Distribution(col, t, yld * step / DAYS_PER_YEAR, freq))
        rows.append({"currency": "USD", "country": "United States", **row})
        closes.append(close)
        vols.append(np.full(n_t, daily_vol) * np.sqrt(mult))
        noise = np.exp(rng.normal(0, 0.35, n_t) + 0.5 * (mult - 1))
        volume.append(adv * noise)

    def etf_noise() -> np.ndarray:  # tracking error
        return rng.normal(0, 0.0004, n_t)

    equity_etfs = (
        ("AXLG", "Axiom Large Cap 500 ETF", "AX500", 0.0009, 0.016, "Blend"),
        ("AXMD", "Axiom Mid Cap 400 ETF", "AX400", 0.0012, 0.014, "Blend"),
        ("AXSM", "Axiom Small Cap 600 ETF", "AX600", 0.0015, 0.013, "Blend"),
        ("AXTM", "Axiom Total Market ETF", "total", 0.0005, 0.015, "Blend"),
        ("AXDV", "Axiom Dividend Leaders ETF", "dividend", 0.0035, 0.036, "Dividend"),
        ("AXGR", "Axiom Growth ETF", "growth", 0.0018, 0.007, "Growth"),
        ("AXVL", "Axiom Value ETF", "value", 0.0018, 0.025, "Value"),
        ("AXLV", "Axiom Low Volatility ETF", "low_vol", 0.0025, 0.022, "Low volatility"),
    )
    for sym, name, basket, fee, yld, style in equity_etfs:
        r = basket_returns(basket) - fee / DAYS_PER_YEAR + etf_noise()
        add(
            {
                "symbol": sym,
                "name": name,
                "asset_class": "etf",
                "sector": None,
                "industry": f"ETF - {style}",
                "exchange": "NYSE Arca",
                "etf_basket": basket,
            },
            r,
            float(rng.uniform(60, 250)),
            0.01,
            float(rng.uniform(2e6, 4e7)),
            ("quarterly", yld),
        )
    from axion_lab.data.schema import GICS_SECTORS

    codes = ("SXCM", "SXCD", "SXCS", "SXEN", "SXFN", "SXHC", "SXIN", "SXIT", "SXMT", "SXRE", "SXUT")
    for code, sector in zip(codes, GICS_SECTORS, strict=True):
        basket = f"sector:{sector}"
        r = basket_returns(basket) - 0.001 / DAYS_PER_YEAR + etf_noise()
        add(
            {
                "symbol": code,
                "name": f"Axiom {sector} Sector ETF",
                "asset_class": "etf",
                "sector": sector,
                "industry": "ETF - Sector",
                "exchange": "NYSE Arca",
                "etf_basket": basket,
            },
            r,
            float(rng.uniform(30, 120)),
            0.013,
            float(rng.uniform(1e6, 1.5e7)),
            ("quarterly", 0.035 if sector in ("Utilities", "Real Estate") else 0.017),
        )

    # Bond ETFs: carry plus duration times the yield change (and spread for credit).
    ig_spread = 1.0 + 1.2 * stress
    hy_spread = 3.6 + 5.0 * stress
    bond_etfs = (
        ("AXST", "Axiom Short Treasury ETF", rates.y2, 1.9),
        ("AXAG", "Axiom Aggregate Bond ETF", 0.5 * (rates.y2 + rates.y10), 6.2),
        ("AXTL", "Axiom Long Treasury ETF", rates.y30, 17.0),
        ("AXIG", "Axiom Investment Grade Corporate ETF", rates.y10 + ig_spread, 8.3),
        ("AXHY", "Axiom High Yield Bond ETF", rates.y10 * 0.4 + hy_spread, 3.8),
    )
    for sym, name, y, dur in bond_etfs:
        dy = np.diff(y, prepend=y[0])
        r = y / 100 / DAYS_PER_YEAR - dur * dy / 100 + etf_noise() * 0.5
        add(
            {
                "symbol": sym,
                "name": name,
                "asset_class": "etf",
                "sector": None,
                "industry": "ETF - Fixed Income",
                "exchange": "NASDAQ",
                "duration": dur,
            },
            r,
            float(rng.uniform(40, 110)),
            0.003 * dur / 6,
            float(rng.uniform(1e6, 1e7)),
            ("monthly", float(np.mean(y)) / 100),
        )

    # Futures (continuous, back-adjusted).
    oil = _pinned(
        factors.oil,
        sessions,
        (
            ("2014-11-03", "2016-02-11", -0.55),
            ("2020-02-20", "2020-04-21", -0.62),
            ("2020-04-22", "2021-12-31", 1.9),
            ("2022-01-03", "2022-06-08", 0.55),
            ("2022-06-09", "2022-12-09", -0.33),
        ),
    )
    gold_z = std_t(rng, 5.0, (n_t, 3), clip=SHOCK_CLIP)
    commodity_vol = np.array([0.15, 0.55, 0.22]) / math.sqrt(DAYS_PER_YEAR)
    other = cap_moves(garch(gold_z, commodity_vol)[0], commodity_vol)
    gold = other[:, 0] + 0.05 / DAYS_PER_YEAR - 0.08 * factors.market
    natgas = other[:, 1] - 0.02 * np.cumsum(other[:, 1]) / DAYS_PER_YEAR
    copper = other[:, 2] + 0.5 * factors.market
    index_fut = np.diff(np.log(ax500), prepend=math.log(ax500[0])) + rng.normal(0, 0.0003, n_t)
    note = bond_price(rates.y10, 6.0, np.full(n_t, 10.0))
    futures = (
        ("XIF", "AX500 Index Future", index_fut, float(ax500[0]), 0.011, 50.0, "AX500"),
        ("XCO", "Crude Oil Future", oil, 78.0, 0.022, 1000.0, "crude oil"),
        ("XGD", "Gold Future", gold, 1180.0, 0.009, 100.0, "gold"),
        ("XNG", "Natural Gas Future", natgas, 4.1, 0.035, 10000.0, "natural gas"),
        ("XCU", "Copper Future", copper, 3.0, 0.014, 25000.0, "copper"),
        (
            "XTN",
            "10-Year Note Future",
            np.diff(np.log(note), prepend=math.log(note[0])),
            float(note[0]),
            0.004,
            1000.0,
            "10-year treasury note",
        ),
    )
    for sym, name, r, start, dv, mult_c, under in futures:
        add(
            {
                "symbol": sym,
                "name": name,
                "asset_class": "future",
                "sector": None,
                "industry": "Futures",
                "exchange": "AXFE",
                "contract_multiplier": mult_c,
                "underlying": under,
            },
            r,
            start,
            dv,
            float(rng.uniform(5e4, 1e6)),
        )
    add(
        {
            "symbol": "AXAU",
            "name": "Axiom Gold Trust",
            "asset_class": "etf",
            "sector": None,
            "industry": "ETF - Commodity",
            "exchange": "NYSE Arca",
            "etf_basket": "gold",
        },
        gold - 0.004 / DAYS_PER_YEAR + etf_noise(),
        115.0,
        0.009,
        8e6,
    )
    add(
        {
            "symbol": "AXCM",
            "name": "Axiom Broad Commodity ETF",
            "asset_class": "etf",
            "sector": None,
            "industry": "ETF - Commodity",
            "exchange": "NYSE Arca",
            "etf_basket": "commodities",
        },
        0.4 * oil + 0.25 * gold + 0.15 * natgas + 0.2 * copper + etf_noise(),
        25.0,
        0.011,
        2e6,
    )

    # Crypto: a common boom-bust factor plus some equity beta.
    cz = std_t(rng, 3.0, (n_t, 7), clip=SHOCK_CLIP)
    coin_vol = np.array([0.65, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9]) / math.sqrt(DAYS_PER_YEAR)
    cx = cap_moves(garch(cz, coin_vol)[0], coin_vol)
    crypto_factor = _pinned(
        cx[:, 0] + 0.25 / DAYS_PER_YEAR,
        sessions,
        (
            ("2017-03-01", "2017-12-15", 4.0),
            ("2017-12-18", "2018-12-14", -0.8),
            ("2020-10-01", "2021-11-08", 5.0),
            ("2021-11-09", "2022-11-21", -0.75),
        ),
    )
    coins = (
        ("NVX-USD", "Novex", 320.0, 1.0),
        ("QRL-USD", "Quarrel", 12.0, 1.1),
        ("ZEPH-USD", "Zephyr", 0.9, 1.2),
        ("LUMA-USD", "Lumacoin", 0.06, 1.3),
        ("ORBT-USD", "Orbit Token", 2.5, 1.25),
        ("KELP-USD", "Kelpcoin", 0.015, 1.4),
    )
    for j, (sym, name, start, load) in enumerate(coins):
        r = load * crypto_factor + 0.4 * factors.market + cx[:, j + 1]
        add(
            {
                "symbol": sym,
                "name": f"{name} (fictional coin)",
                "asset_class": "crypto",
                "sector": None,
                "industry": "Crypto",
                "exchange": "AXCX",
                "country": None,
            },
            r,
            start,
            0.04,
            float(rng.uniform(1e6, 5e7)) / start,
        )

    # Forex: mean-reverting log rates with risk-on/risk-off betas.
    pairs = (
        ("EURUSD", 1.25, 0.08, 0.05),
        ("USDJPY", 112.0, 0.09, 0.15),
        ("GBPUSD", 1.57, 0.09, 0.08),
        ("AUDUSD", 0.87, 0.10, 0.25),
        ("USDCAD", 1.13, 0.07, -0.15),
        ("USDCHF", 0.96, 0.08, 0.1),
    )
    fz = rng.standard_normal((n_t, len(pairs)))
    for j, (sym, start, vol, beta) in enumerate(pairs):
        shocks = fz[:, j] * vol / math.sqrt(DAYS_PER_YEAR) + beta * factors.market * 0.3
        level = np.empty(n_t)
        x = 0.0
        for t in range(n_t):  # OU in log: a two-year half-life keeps rates plausible
            x = x * (1 - math.log(2) / 500) + shocks[t]
            level[t] = x
        r = np.diff(level, prepend=0.0)
        add(
            {
                "symbol": sym,
                "name": f"{sym[:3]}/{sym[3:]}",
                "asset_class": "forex",
                "sector": None,
                "industry": "Currency pair",
                "exchange": "AXFX",
                "country": None,
                "currency": sym[3:],
            },
            r,
            start,
            vol / math.sqrt(DAYS_PER_YEAR),
            2e5,
        )

    # Bonds: fixed-coupon bonds priced off the curve (plus a credit spread).
    years_to_start = np.arange(n_t) / DAYS_PER_YEAR
    bonds = (
        ("UST27", "US Treasury 2.25% 2027", "2027-11-15", 13.0, 0.0),
        ("UST31", "US Treasury 2031", "2031-05-15", 16.5, 0.0),
        ("UST36", "US Treasury 2036", "2036-02-15", 21.3, 0.0),
        ("UST44", "US Treasury 3.125% 2044", "2044-08-15", 29.8, 0.0),
        ("CRVB29", "Corvane Systems 2029 Notes", "2029-06-01", 14.6, 0.9),
        ("HALB33", "Halvex Industries 2033 Notes", "2033-03-15", 18.4, 1.4),
        ("MRDB40", "Meridane Power 2040 Bonds", "2040-09-01", 25.8, 1.1),
        ("TBRB26", "Tobrin Retail 2026 Notes", "2027-04-01", 12.4, 2.6),
    )
    for sym, name, maturity, tenor0, spread in bonds:
        tau = tenor0 - years_to_start
        y = _curve(rates, tau) + spread * (1 + 1.2 * stress)
        coupon = round(float(y[0]) * 8) / 8
        price = bond_price(y, coupon, tau)
        r = np.diff(np.log(price), prepend=math.log(price[0]))
        dy = 0.0001
        dur = float(
            (
                bond_price(y[-1:] - 100 * dy, coupon, tau[-1:])[0]
                - bond_price(y[-1:] + 100 * dy, coupon, tau[-1:])[0]
            )
            / (2 * price[-1] * dy)
        )
        add(
            {
                "symbol": sym,
                "name": f"{name} (fictional)" if spread else name,
                "asset_class": "bond",
                "sector": None,
                "industry": "Treasury" if not spread else "Corporate bond",
                "exchange": "OTC",
                "coupon": coupon,
                "maturity": np.datetime64(maturity, "D"),
                "duration": round(dur, 3),
            },
            r,
            float(price[0]),
            0.003,
            float(rng.uniform(5e3, 5e4)),
        )

    close = np.column_stack(closes)
    open_, high, low = _ohlc(rng, close, np.column_stack(vols))
    return AssetBlock(rows, open_, high, low, close, np.column_stack(volume), dists)
