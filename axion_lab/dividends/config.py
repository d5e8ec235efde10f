"""Enums and defaults of the dividend engines: frequencies, safety bands, tiers, taxes.

Every threshold an engine uses is named here, so a reader can see (and a caller can
override) what "safe", "a cut" or "an aristocrat" means.
"""

from __future__ import annotations

import enum
from typing import Final

__all__ = [
    "CUT_THRESHOLD",
    "DEFAULT_FOREIGN_WITHHOLDING",
    "DEFAULT_ORDINARY_RATE",
    "DEFAULT_QUALIFIED_RATE",
    "DEFAULT_TIERS",
    "HOME_COUNTRY",
    "SAFETY_WEIGHTS",
    "SECTOR_SAFETY",
    "AccountType",
    "DividendFrequency",
    "DividendStatus",
    "SafetyRating",
]


class DividendFrequency(enum.StrEnum):
    """How often a company pays its regular dividend (values as in the ``dividends`` frame)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"

    @property
    def per_year(self) -> int:
        """Payments a year: 12, 4, 2 or 1."""
        return {"monthly": 12, "quarterly": 4, "semi_annual": 2, "annual": 1}[self.value]

    @property
    def months(self) -> int:
        """Months between payments: 1, 3, 6 or 12."""
        return 12 // self.per_year

    @property
    def days(self) -> float:
        """Typical days between ex-dates (365.25 / payments a year)."""
        return 365.25 / self.per_year


class DividendStatus(enum.StrEnum):
    """Where a dividend event stands on the calendar's reference date."""

    PAID = "paid"  # pay date on or before the reference date
    DECLARED = "declared"  # declared, not yet paid
    ESTIMATED = "estimated"  # projected from the detected frequency; not declared


class SafetyRating(enum.StrEnum):
    """Bands of the 0-100 dividend safety score (see :meth:`from_score`)."""

    VERY_SAFE = "very_safe"  # 80-100
    SAFE = "safe"  # 60-79
    BORDERLINE = "borderline"  # 40-59
    UNSAFE = "unsafe"  # 20-39
    CUT_RISK = "cut_risk"  # 0-19

    @classmethod
    def from_score(cls, score: int) -> SafetyRating:
        """The band of an integer score.

        Examples
        --------
        >>> SafetyRating.from_score(80), SafetyRating.from_score(19)
        (<SafetyRating.VERY_SAFE: 'very_safe'>, <SafetyRating.CUT_RISK: 'cut_risk'>)
        """
        if not 0 <= score <= 100:
            raise ValueError(f"A safety score lies in 0..100, got {score}.")
        for floor, band in ((80, cls.VERY_SAFE), (60, cls.SAFE), (40, cls.BORDERLINE)):
            if score >= floor:
                return band
        return cls.UNSAFE if score >= 20 else cls.CUT_RISK

    @property
    def label(self) -> str:
        """Human label: "Very safe", "Cut risk"..."""
        return self.value.replace("_", " ").capitalize()


class AccountType(enum.StrEnum):
    """Where a holding sits, which decides how its dividends are taxed now."""

    TAXABLE = "taxable"  # qualified/ordinary rates on each payment
    TAX_DEFERRED = "tax_deferred"  # traditional IRA/401(k): no tax until withdrawal
    TAX_FREE = "tax_free"  # Roth: no tax


# Safety score: maximum points of each factor; they sum to 100. Each factor earns a
# share of its points from 0 (worst) to 1 (best); see axion_lab.dividends.safety.
SAFETY_WEIGHTS: Final[dict[str, int]] = {
    "earnings_payout": 25,
    "fcf_payout": 20,
    "interest_coverage": 10,
    "leverage": 15,
    "earnings_stability": 10,
    "streak": 15,
    "sector": 5,
}
# Share of the sector factor's points: defensive sectors keep paying through a
# recession more often than cyclical ones.
SECTOR_SAFETY: Final[dict[str, float]] = {
    "Consumer Staples": 1.0,
    "Utilities": 1.0,
    "Health Care": 0.9,
    "Industrials": 0.7,
    "Information Technology": 0.7,
    "Financials": 0.6,
    "Materials": 0.5,
    "Communication Services": 0.5,
    "Real Estate": 0.4,
    "Consumer Discretionary": 0.4,
    "Energy": 0.2,
}
# A regular payment (split-adjusted, annualised by its frequency) more than this
# fraction below the previous one is a cut.
CUT_THRESHOLD: Final = 0.10

# Consecutive years of increases -> tier name, highest first.
DEFAULT_TIERS: Final[tuple[tuple[str, int], ...]] = (
    ("king", 50),
    ("aristocrat", 25),
    ("achiever", 10),
    ("contender", 5),
)

HOME_COUNTRY: Final = "United States"
# Illustrative 15% US federal rate on qualified dividends, 24% on ordinary income.
DEFAULT_QUALIFIED_RATE: Final = 0.15
DEFAULT_ORDINARY_RATE: Final = 0.24
# Treaty withholding on dividends paid to a US holder, by issuer country. Parameters,
# not advice: pass your own `foreign_withholding` mapping.
DEFAULT_FOREIGN_WITHHOLDING: Final[dict[str, float]] = {
    "Canada": 0.15,
    "Germany": 0.15,
    "Ireland": 0.0,
    "Israel": 0.25,
    "Japan": 0.10,
    "Netherlands": 0.15,
    "United Kingdom": 0.0,
    "Bermuda": 0.0,
}
