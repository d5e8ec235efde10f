"""The cross-section of sandbox equities: who they are and the parameters of each.

One :class:`Universe` holds per-equity arrays (length ``n``, in a fixed order:
large, mid, small, micro, then foreign listings). Everything downstream indexes
into these arrays, so no per-symbol Python objects are created.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from axion_lab.data.sandbox.calendar import to_day
from axion_lab.data.sandbox.config import SECTOR_PROFILES, SandboxConfig, stream
from axion_lab.data.sandbox.names import company_names, make_ticker
from axion_lab.data.schema import GICS_SECTORS

__all__ = ["FOREIGN_LISTINGS", "Universe", "build_universe"]

# exchange, country, currency, share of foreign listings, typical price level
FOREIGN_LISTINGS = (
    ("LSE", "United Kingdom", "GBP", 0.30, 8.0),
    ("XETRA", "Germany", "EUR", 0.25, 60.0),
    ("TSX", "Canada", "CAD", 0.25, 40.0),
    ("TSE", "Japan", "JPY", 0.20, 3000.0),
)
# Sector weights of the listed universe (roughly a broad US index by count).
_SECTOR_WEIGHTS = np.array([0.05, 0.11, 0.06, 0.05, 0.13, 0.14, 0.14, 0.14, 0.05, 0.07, 0.06])


@dataclasses.dataclass(frozen=True, eq=False)
class Universe:
    """Per-equity attributes and model parameters (numpy arrays of length ``n``)."""

    symbol: np.ndarray  # str
    name: np.ndarray  # str
    sector: np.ndarray  # int index into GICS_SECTORS
    industry: np.ndarray  # str
    exchange: np.ndarray
    country: np.ndarray
    currency: np.ndarray
    tier: np.ndarray  # 0 large, 1 mid, 2 small, 3 micro, 4 foreign
    ipo_day: np.ndarray  # int days since epoch; <= start for names listed before it
    mcap0: np.ndarray  # market value at the start, in the listing currency
    fx: np.ndarray  # listing currency per US dollar (a rough, fixed rate; 1 for USD)
    price0: np.ndarray
    beta: np.ndarray
    sector_loading: np.ndarray
    idio_vol: np.ndarray  # annual
    growth: np.ndarray  # mean annual revenue growth
    loss_maker: np.ndarray  # bool
    turnover: np.ndarray  # mean daily volume / shares outstanding
    earnings_vol: np.ndarray  # std of the earnings-day gap
    squeeze: np.ndarray  # bool: heavily shorted, squeeze-prone

    @property
    def n(self) -> int:
        """Number of equities."""
        return len(self.symbol)

    @property
    def sector_names(self) -> np.ndarray:
        """Sector name of each equity."""
        names: np.ndarray = np.asarray(GICS_SECTORS, dtype=object)[self.sector]
        return names


def _profile_array(sector: np.ndarray, attr: str) -> np.ndarray:
    values = np.array([getattr(SECTOR_PROFILES[s], attr) for s in GICS_SECTORS])
    return np.asarray(values[sector], dtype=np.float64)


def build_universe(cfg: SandboxConfig, reserved: set[str]) -> Universe:
    """Draw the equity universe for ``cfg``; tickers avoid ``reserved`` and real tickers."""
    rng = stream(cfg.seed, "universe")
    tiers = np.repeat(
        np.arange(5),
        [cfg.n_large, cfg.n_mid, cfg.n_small, cfg.n_micro, cfg.n_foreign],
    )
    n = len(tiers)
    sector = rng.choice(len(GICS_SECTORS), size=n, p=_SECTOR_WEIGHTS / _SECTOR_WEIGHTS.sum())

    # Market value (USD-equivalent) by tier: a heavy-tailed top, tiers that overlap a
    # little at their edges so reconstitution has names to swap.
    lo = np.array([12e9, 3e9, 0.45e9, 0.12e9, 1e9])[tiers]
    hi = np.array([9e10, 12e9, 3e9, 0.5e9, 8e10])[tiers]
    u = rng.random(n)
    mcap = lo * (hi / lo) ** u
    mega = (tiers == 0) & (rng.random(n) < 0.06)
    mcap[mega] *= np.minimum(rng.pareto(1.2, mega.sum()), 2.0) * 2 + 2
    mcap[tiers < 4] = -np.sort(-mcap[tiers < 4])  # keep the tier order by size

    exchange = np.where(rng.random(n) < 0.55, "NYSE", "NASDAQ").astype(object)
    exchange[(rng.random(n) < 0.04) & (tiers >= 2) & (tiers < 4)] = "NYSE American"
    country = np.full(n, "United States", dtype=object)
    currency = np.full(n, "USD", dtype=object)
    level = np.ones(n)
    foreign = np.flatnonzero(tiers == 4)
    shares = np.array([f[3] for f in FOREIGN_LISTINGS])
    pick = rng.choice(len(FOREIGN_LISTINGS), size=len(foreign), p=shares / shares.sum())
    for j, (exch, ctry, ccy, _, px) in enumerate(FOREIGN_LISTINGS):
        rows = foreign[pick == j]
        exchange[rows], country[rows], currency[rows], level[rows] = exch, ctry, ccy, px / 50
    # A few US-listed names are headquartered abroad (ADR-like).
    abroad = (tiers < 4) & (rng.random(n) < 0.03)
    country[abroad] = rng.choice(["Ireland", "Netherlands", "Israel", "Bermuda"], abroad.sum())

    price0 = np.exp(rng.normal(np.log(45.0), 0.8, n)).clip(4, 900) * level
    mcap[foreign] *= level[foreign]  # in the listing currency, at a rough exchange rate
    price0[tiers == 3] = np.exp(rng.normal(np.log(6.0), 0.6, (tiers == 3).sum())).clip(1.5, 40)
    price0 = np.round(price0, 2)

    start_day, end_day = to_day(cfg.start), to_day(cfg.end)
    ipo_day = start_day - rng.integers(400, 15000, n)
    ipos = (tiers < 4) & (rng.random(n) < cfg.ipo_share)
    ipo_day[ipos] = rng.integers(start_day + 40, end_day - 300, ipos.sum())

    size_mult = np.array([0.7, 0.85, 1.1, 1.35, 0.8])[tiers]
    beta = (_profile_array(sector, "beta") * np.exp(rng.normal(0, 0.22, n))).clip(0.25, 2.3)
    idio_vol = _profile_array(sector, "idio_vol") * size_mult * np.exp(rng.normal(0, 0.2, n))
    growth = _profile_array(sector, "growth") + rng.normal(0, 0.05, n) + 0.03 * (tiers >= 2)
    loss_maker = rng.random(n) < _profile_array(sector, "loss_share") * (1 + 0.8 * (tiers >= 2))
    growth[loss_maker] += 0.08
    turnover = np.exp(rng.normal(np.log(0.007), 0.45, n)) * np.array([0.8, 1, 1.2, 1.4, 0.6])[tiers]
    # Earnings moves scale with how volatile the name is anyway (a utility gaps 1-2%,
    # a small biotech 5-10%).
    earnings_vol = 0.14 * idio_vol * np.exp(rng.normal(0, 0.25, n))
    squeeze = (tiers >= 1) & (tiers < 4) & (rng.random(n) < 0.025)

    suffixes = [SECTOR_PROFILES[GICS_SECTORS[s]].suffixes for s in sector]
    names = company_names(rng, suffixes)
    taken = set(reserved)
    symbols = [make_ticker(nm, taken, rng) for nm in names]
    industry = np.array(
        [
            SECTOR_PROFILES[GICS_SECTORS[s]].industries[
                rng.integers(len(SECTOR_PROFILES[GICS_SECTORS[s]].industries))
            ]
            for s in sector
        ],
        dtype=object,
    )
    return Universe(
        symbol=np.array(symbols, dtype=object),
        name=np.array(names, dtype=object),
        sector=sector,
        industry=industry,
        exchange=exchange,
        country=country,
        currency=currency,
        tier=tiers,
        ipo_day=ipo_day,
        mcap0=mcap,
        fx=level,
        price0=price0,
        beta=beta,
        sector_loading=rng.uniform(0.7, 1.3, n),
        idio_vol=idio_vol,
        growth=growth,
        loss_maker=loss_maker,
        turnover=turnover,
        earnings_vol=earnings_vol,
        squeeze=squeeze,
    )
