"""Sandbox constants: the generator version, the shape of the market, sector profiles.

Everything that decides *what* the synthetic market looks like lives here, so a
reader can see the assumptions in one place. The cache is keyed on
:data:`GENERATOR_VERSION` and a hash of the generator's source files, so any code
change moves it to a new directory; bump the version for a deliberate change of the
generated market all the same (it names the change in the cache's path).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Final

import numpy as np

__all__ = [
    "GENERATOR_VERSION",
    "REGIMES",
    "SECTOR_PROFILES",
    "Regime",
    "SandboxConfig",
    "SectorProfile",
    "stream",
]

# 2: delistings, realistic tails, consistent 13F holdings, borrow fee as a fraction,
#    earnings-anchored valuations.
GENERATOR_VERSION: Final = 2


@dataclasses.dataclass(frozen=True)
class SandboxConfig:
    """The shape of the sandbox market. The defaults are what ``load_market()`` builds.

    Examples
    --------
    >>> cfg = SandboxConfig(seed=7)
    >>> cfg.n_equities >= cfg.n_large + cfg.n_mid + cfg.n_small
    True
    >>> cfg.end.isoformat()
    '2026-10-30'
    """

    seed: int = 42
    # A fixed window so output never depends on today's date.
    start: dt.date = dt.date(2014, 11, 3)
    end: dt.date = dt.date(2026, 10, 30)
    n_large: int = 500  # AX500
    n_mid: int = 400  # AX400
    n_small: int = 600  # AX600
    n_micro: int = 120  # not indexed at the start; feed the AX600's adds and drops
    n_foreign: int = 40  # listed outside the US: not index-eligible, (semi-)annual payers
    ipo_share: float = 0.05  # share of equities listed inside the window
    # Dividend history starts before the bars so long raise streaks are visible.
    dividend_history_start: int = 1996

    @property
    def n_equities(self) -> int:
        """Number of equities generated."""
        return self.n_large + self.n_mid + self.n_small + self.n_micro + self.n_foreign


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    """Independent random stream for ``seed`` and a stable key path.

    Keys are hashed with BLAKE2b (never Python's salted ``hash()``), so a stream is
    the same in every process and on every machine, and adding a new stream never
    shifts the numbers of an existing one.

    Examples
    --------
    >>> a = stream(42, "prices").standard_normal(3)
    >>> b = stream(42, "prices").standard_normal(3)
    >>> bool((a == b).all()), bool((a == stream(42, "volume").standard_normal(3)).any())
    (True, False)
    """
    words: list[int] = [int(seed)]
    for key in keys:
        digest = hashlib.blake2b(str(key).encode(), digest_size=8).digest()
        words.append(int.from_bytes(digest, "little"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))


@dataclasses.dataclass(frozen=True)
class SectorProfile:
    """Typical economics of a GICS sector (annualised where it is a rate)."""

    industries: tuple[str, ...]
    suffixes: tuple[str, ...]
    beta: float  # mean market beta
    idio_vol: float  # annual idiosyncratic volatility of a mid-cap
    sector_vol: float  # annual volatility of the sector factor
    gross_margin: float
    op_margin: float
    growth: float  # mean annual revenue growth
    price_to_sales: float
    assets_to_sales: float
    equity_ratio: float  # equity / assets
    capex_ratio: float  # capex / revenue
    inventory_days: float
    payer_share: float  # share of names paying a dividend
    payout: float  # typical payout ratio of payers
    loss_share: float  # share of structurally loss-making names


SECTOR_PROFILES: Final[dict[str, SectorProfile]] = {
    "Communication Services": SectorProfile(
        ("Interactive Media", "Telecom Services", "Entertainment", "Advertising", "Publishing"),
        ("Media", "Networks", "Telecom", "Interactive", "Studios", "Communications"),
        1.0,
        0.28,
        0.11,
        0.55,
        0.18,
        0.07,
        3.0,
        1.8,
        0.45,
        0.08,
        5,
        0.35,
        0.40,
        0.08,
    ),
    "Consumer Discretionary": SectorProfile(
        (
            "Specialty Retail",
            "Automobiles",
            "Hotels & Leisure",
            "Apparel",
            "Homebuilding",
            "Internet Retail",
        ),
        ("Brands", "Motors", "Retail", "Outfitters", "Resorts", "Homes", "Group"),
        1.15,
        0.30,
        0.12,
        0.38,
        0.09,
        0.07,
        1.4,
        0.9,
        0.35,
        0.04,
        60,
        0.35,
        0.35,
        0.08,
    ),
    "Consumer Staples": SectorProfile(
        ("Packaged Foods", "Beverages", "Household Products", "Food Retail", "Tobacco"),
        ("Foods", "Brands", "Provisions", "Beverage Co", "Household"),
        0.6,
        0.18,
        0.08,
        0.35,
        0.12,
        0.04,
        1.5,
        0.9,
        0.35,
        0.03,
        45,
        0.85,
        0.60,
        0.02,
    ),
    "Energy": SectorProfile(
        ("Oil & Gas E&P", "Integrated Oil", "Oilfield Services", "Midstream", "Refining"),
        ("Energy", "Petroleum", "Resources", "Pipeline", "Drilling"),
        1.1,
        0.30,
        0.22,
        0.30,
        0.12,
        0.04,
        1.2,
        1.6,
        0.45,
        0.15,
        20,
        0.70,
        0.50,
        0.07,
    ),
    "Financials": SectorProfile(
        ("Banks", "Insurance", "Capital Markets", "Consumer Finance", "Asset Management"),
        ("Bancorp", "Financial", "Capital", "Insurance Group", "Trust", "Holdings"),
        1.1,
        0.22,
        0.12,
        0.85,
        0.28,
        0.05,
        2.6,
        8.0,
        0.12,
        0.02,
        0,
        0.75,
        0.35,
        0.03,
    ),
    "Health Care": SectorProfile(
        (
            "Pharmaceuticals",
            "Biotechnology",
            "Medical Devices",
            "Health Care Services",
            "Life Sciences Tools",
        ),
        ("Therapeutics", "Pharma", "Medical", "Biosciences", "Health", "Diagnostics"),
        0.85,
        0.34,
        0.09,
        0.62,
        0.14,
        0.08,
        3.5,
        1.4,
        0.45,
        0.05,
        70,
        0.40,
        0.40,
        0.20,
    ),
    "Industrials": SectorProfile(
        (
            "Aerospace & Defense",
            "Machinery",
            "Airlines",
            "Building Products",
            "Logistics",
            "Electrical Equipment",
        ),
        ("Industries", "Aerospace", "Machinery", "Logistics", "Dynamics", "Works"),
        1.05,
        0.24,
        0.10,
        0.32,
        0.12,
        0.05,
        1.8,
        1.1,
        0.35,
        0.04,
        55,
        0.60,
        0.35,
        0.04,
    ),
    "Information Technology": SectorProfile(
        ("Software", "Semiconductors", "IT Services", "Hardware", "Cybersecurity"),
        ("Systems", "Software", "Semiconductor", "Technologies", "Labs", "Networks", "Data"),
        1.25,
        0.32,
        0.14,
        0.62,
        0.20,
        0.11,
        5.5,
        1.2,
        0.50,
        0.05,
        35,
        0.35,
        0.25,
        0.15,
    ),
    "Materials": SectorProfile(
        ("Chemicals", "Metals & Mining", "Packaging", "Construction Materials"),
        ("Materials", "Chemicals", "Mining", "Minerals", "Packaging"),
        1.05,
        0.27,
        0.13,
        0.30,
        0.13,
        0.04,
        1.5,
        1.3,
        0.40,
        0.08,
        60,
        0.65,
        0.40,
        0.05,
    ),
    "Real Estate": SectorProfile(
        (
            "Residential REITs",
            "Office REITs",
            "Industrial REITs",
            "Retail REITs",
            "Real Estate Services",
        ),
        ("Realty", "Properties", "REIT", "Estates", "Land Trust"),
        0.9,
        0.20,
        0.12,
        0.65,
        0.30,
        0.04,
        8.0,
        7.0,
        0.45,
        0.05,
        0,
        0.90,
        0.80,
        0.04,
    ),
    "Utilities": SectorProfile(
        ("Electric Utilities", "Gas Utilities", "Water Utilities", "Renewable Power"),
        ("Power", "Electric", "Utilities", "Energy Co", "Water"),
        0.5,
        0.15,
        0.09,
        0.45,
        0.18,
        0.03,
        2.3,
        3.5,
        0.30,
        0.20,
        15,
        0.95,
        0.70,
        0.02,
    ),
}


@dataclasses.dataclass(frozen=True)
class Regime:
    """A market episode: the market factor's log return over it is exactly ``log(1+total)``.

    ``vol`` multiplies the market factor's volatility during the episode.
    """

    name: str
    start: dt.date
    end: dt.date
    total: float
    vol: float


# A fictional but plausible history: a fast crash and recovery, later a slow bear.
REGIMES: Final = (
    Regime("late-2015 correction", dt.date(2015, 8, 17), dt.date(2016, 2, 11), -0.13, 1.5),
    Regime("crash", dt.date(2020, 2, 20), dt.date(2020, 3, 23), -0.35, 4.0),
    Regime("recovery", dt.date(2020, 3, 24), dt.date(2020, 8, 31), 0.45, 1.8),
    Regime("bear market", dt.date(2022, 1, 4), dt.date(2022, 10, 12), -0.25, 1.5),
    Regime("rebound", dt.date(2022, 10, 13), dt.date(2023, 7, 31), 0.22, 1.1),
)
