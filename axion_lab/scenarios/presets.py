"""Predefined scenarios, as data: seven historical crises and stylised hypotheticals.

Historical crises
-----------------
Each is a named window with its broad-market, sector, rates and credit moves. The
sandbox market's bars start in 2014, so crises before that cannot be replayed from
its history; they are applied as shocks (:meth:`ScenarioAnalyzer.run`). The later
ones (2018, 2020, 2022) can also be replayed over the same dates
(:meth:`ScenarioAnalyzer.replay`), against the sandbox's own, fictional, path.

How exact each number is:

* **Market** (exact): the S&P 500 peak-to-trough price move between the documented
  closing levels in ``index_peak`` and ``index_trough`` (on ``start`` and ``end``).
  ``market`` is computed from those levels and a test checks it against the
  published percentages:

  ======================  ====================  =================  =========
  crisis                  window                S&P 500 closes     move
  ======================  ====================  =================  =========
  1987 crash              1987-08-25..12-04     336.77 -> 223.92   -33.5%
  dot-com bust            2000-03-24..2002-10-09 1527.46 -> 776.76 -49.1%
  2008 financial crisis   2007-10-09..2009-03-09 1565.15 -> 676.53 -56.8%
  2011 US downgrade       2011-04-29..10-03     1363.61 -> 1099.23 -19.4%
  2018 Q4 selloff         2018-09-20..12-24     2930.75 -> 2351.10 -19.8%
  2020 COVID crash        2020-02-19..03-23     3386.15 -> 2237.40 -33.9%
  2022 rate shock         2022-01-03..10-12     4796.56 -> 3577.03 -25.4%
  ======================  ====================  =================  =========

  Sources: S&P Dow Jones Indices closing levels as tabulated by Yardeni Research,
  "S&P 500 Bull & Bear Market Tables" (2020) and by Ned Davis Research (Hartford
  Funds, "Bear markets", 2023); for 2011 S&P Dow Jones Indices via the Associated
  Press, "Past corrections" (2018).

* **Rates and credit** (approximate, rounded to 5 bp): the change of the 10-year
  Treasury constant-maturity yield (FRED ``DGS10``) and of the ICE BofA US
  Corporate and US High Yield option-adjusted spreads (FRED ``BAMLC0A0CM``,
  ``BAMLH0A0HYM2``; these start in December 1996, so the 1987 scenario has no
  credit shock) over the window.
* **Sectors** (approximate, rounded to 5%): total moves of S&P 500 GICS sector
  indices over the window (S&P Dow Jones Indices). Real Estate before its 2016
  GICS split is the REIT segment. Only the sectors that moved materially
  differently from the market are listed; others move with the market.
* **Factors** (stylised, not measured): small tilts that show which styles
  suffered or helped, in return per unit of z-score exposure.

Treat the approximate numbers as a starting point: check them against the cited
series before relying on them for anything beyond illustration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.scenarios.config import ScenarioType
from axion_lab.scenarios.models import Scenario

__all__ = ["PREDEFINED_SCENARIOS", "get_scenario", "market_crash", "rate_hike"]

_SPX = (
    "S&P 500 closing levels: S&P Dow Jones Indices (tabulated by Yardeni Research, "
    "'S&P 500 Bull & Bear Market Tables', and Ned Davis Research via Hartford Funds, "
    "'Bear markets', 2023)"
)
_RATES = "10-year Treasury yield: FRED DGS10 (Federal Reserve H.15), approximate"
_CREDIT = "Credit spreads: FRED BAMLC0A0CM and BAMLH0A0HYM2 (ICE BofA OAS), approximate"
_SECTORS = "Sector moves: S&P 500 GICS sector indices (S&P Dow Jones Indices), approximate"

IT, CD, CS, EN, FN, HC, IN, MT, RE, UT, CM = (
    "Information Technology",
    "Consumer Discretionary",
    "Consumer Staples",
    "Energy",
    "Financials",
    "Health Care",
    "Industrials",
    "Materials",
    "Real Estate",
    "Utilities",
    "Communication Services",
)


def _historical(
    name: str,
    title: str,
    window: tuple[dt.date, dt.date],
    levels: tuple[float, float],
    *,
    sectors: Mapping[str, float],
    rates_bp: float,
    credit_bp: float = 0.0,
    high_yield_bp: float = 0.0,
    factors: Mapping[str, float] | None = None,
    description: str,
    extra_sources: tuple[str, ...] = (),
) -> Scenario:
    (start, end), (peak, trough) = window, levels
    sources = [_SPX, _RATES]
    if credit_bp or high_yield_bp:
        sources.append(_CREDIT)
    if sectors:
        sources.append(_SECTORS)
    return Scenario(
        name=name,
        title=title,
        kind=ScenarioType.HISTORICAL,
        market=trough / peak - 1.0,
        sectors=dict(sectors),
        factors=dict(factors or {}),
        rates_bp=rates_bp,
        credit_bp=credit_bp,
        high_yield_bp=high_yield_bp,
        description=description,
        start=start,
        end=end,
        index_peak=peak,
        index_trough=trough,
        sources=(*sources, *extra_sources),
    )


def market_crash(size: float = 0.2) -> Scenario:
    """A broad market fall of ``size`` (0.2 = -20%), nothing else.

    >>> market_crash(0.3).market
    -0.3
    """
    if not 0.0 < size <= 1.0:
        raise InputError(f"A crash size is a fraction in (0, 1], got {size}.")
    pct = round(size * 100)
    return Scenario(
        name=f"market_crash_{pct}",
        title=f"Market crash -{pct}%",
        kind=ScenarioType.HYPOTHETICAL,
        market=-size,
        description=f"Every equity falls by its beta times {size:.0%}; bonds unchanged.",
    )


def rate_hike(bp: float = 100.0) -> Scenario:
    """A parallel rise of ``bp`` in yields with the equity damage it typically does.

    Rate-sensitive sectors (real estate, utilities, long-duration technology) fall
    more than the market, banks a little less; credit spreads widen modestly.
    """
    k = bp / 100.0
    return Scenario(
        name=f"rate_hike_{round(bp)}bp",
        title=f"Rate hike +{round(bp)} bp",
        kind=ScenarioType.HYPOTHETICAL,
        market=-0.05 * k,
        sectors={RE: -0.12 * k, UT: -0.10 * k, IT: -0.09 * k, FN: 0.0},
        factors={"dividend_yield": -0.01 * k, "value": 0.01 * k},
        rates_bp=bp,
        credit_bp=20.0 * k,
        high_yield_bp=75.0 * k,
        description=(
            f"Yields +{round(bp)} bp across the curve; equities -{5 * k:.0f}%, more for real "
            "estate, utilities and technology; spreads a little wider."
        ),
    )


_LIST: Final = (
    _historical(
        "crash_1987",
        "1987 crash (Black Monday)",
        (dt.date(1987, 8, 25), dt.date(1987, 12, 4)),
        (336.77, 223.92),
        sectors={},
        rates_bp=25.0,
        description=(
            "The August-December 1987 fall, with Black Monday (19 October, S&P 500 -20.5% in "
            "a day) at its heart: broad-based, driven by portfolio insurance and rising yields."
        ),
    ),
    _historical(
        "dotcom_2000",
        "Dot-com bust",
        (dt.date(2000, 3, 24), dt.date(2002, 10, 9)),
        (1527.46, 776.76),
        sectors={
            IT: -0.80,
            CM: -0.70,
            UT: -0.45,
            HC: -0.25,
            FN: -0.20,
            EN: -0.20,
            CS: -0.05,
            MT: -0.10,
            RE: 0.25,
        },
        rates_bp=-250.0,
        credit_bp=110.0,
        high_yield_bp=500.0,
        factors={"value": 0.04, "momentum": -0.03, "size": -0.02, "quality": 0.02},
        description=(
            "The collapse of technology and telecom valuations from the March 2000 peak to "
            "October 2002; value stocks and REITs held up, yields fell a long way."
        ),
    ),
    _historical(
        "gfc_2008",
        "2008 financial crisis",
        (dt.date(2007, 10, 9), dt.date(2009, 3, 9)),
        (1565.15, 676.53),
        sectors={
            FN: -0.80,
            RE: -0.70,
            IN: -0.63,
            MT: -0.60,
            CD: -0.58,
            IT: -0.54,
            EN: -0.50,
            CM: -0.50,
            UT: -0.45,
            HC: -0.38,
            CS: -0.33,
        },
        rates_bp=-180.0,
        credit_bp=430.0,
        high_yield_bp=1450.0,
        factors={"quality": 0.03, "low_volatility": 0.03, "size": 0.01},
        description=(
            "The global financial crisis from the October 2007 peak to the March 2009 low: "
            "a banking collapse, the widest credit spreads on record, yields cut sharply."
        ),
    ),
    _historical(
        "downgrade_2011",
        "2011 US downgrade",
        (dt.date(2011, 4, 29), dt.date(2011, 10, 3)),
        (1363.61, 1099.23),
        sectors={FN: -0.30, MT: -0.28, EN: -0.27, IN: -0.27, CS: -0.03, UT: 0.0, HC: -0.12},
        rates_bp=-150.0,
        credit_bp=90.0,
        high_yield_bp=420.0,
        factors={"low_volatility": 0.02, "dividend_yield": 0.01},
        description=(
            "The euro-area debt crisis and S&P's downgrade of the US (5 August 2011): cyclicals "
            "and banks fell hardest, Treasuries rallied despite the downgrade."
        ),
    ),
    _historical(
        "q4_2018",
        "2018 Q4 selloff",
        (dt.date(2018, 9, 20), dt.date(2018, 12, 24)),
        (2930.75, 2351.10),
        sectors={
            EN: -0.34,
            IT: -0.25,
            CD: -0.22,
            FN: -0.22,
            IN: -0.23,
            HC: -0.15,
            CS: -0.10,
            UT: -0.03,
            RE: -0.09,
        },
        rates_bp=-35.0,
        credit_bp=50.0,
        high_yield_bp=210.0,
        factors={"momentum": -0.02, "low_volatility": 0.02},
        description=(
            "Fed tightening, trade-war fears and an oil slump from the September 2018 record "
            "to Christmas Eve; defensives held up."
        ),
    ),
    _historical(
        "covid_2020",
        "2020 COVID crash",
        (dt.date(2020, 2, 19), dt.date(2020, 3, 23)),
        (3386.15, 2237.40),
        sectors={
            EN: -0.60,
            FN: -0.43,
            IN: -0.42,
            RE: -0.42,
            MT: -0.37,
            UT: -0.36,
            CD: -0.34,
            IT: -0.31,
            CM: -0.31,
            HC: -0.28,
            CS: -0.25,
        },
        rates_bp=-80.0,
        credit_bp=275.0,
        high_yield_bp=730.0,
        factors={"size": 0.02, "value": -0.03, "quality": 0.02},
        description=(
            "The fastest bear market on record: 33 days from the February 2020 high to the "
            "23 March low, as the pandemic shut economies; oil and banks led the fall."
        ),
    ),
    _historical(
        "rate_shock_2022",
        "2022 rate shock",
        (dt.date(2022, 1, 3), dt.date(2022, 10, 12)),
        (4796.56, 3577.03),
        sectors={
            EN: 0.55,
            UT: -0.05,
            CS: -0.10,
            HC: -0.13,
            FN: -0.22,
            IN: -0.20,
            MT: -0.22,
            IT: -0.33,
            CM: -0.42,
            CD: -0.38,
            RE: -0.32,
        },
        rates_bp=230.0,
        credit_bp=70.0,
        high_yield_bp=210.0,
        factors={"value": 0.04, "momentum": -0.01, "dividend_yield": 0.02},
        description=(
            "Inflation and the fastest Fed hiking cycle in decades: long-duration growth "
            "stocks and bonds fell together while energy soared."
        ),
    ),
    Scenario(
        name="recession",
        title="Recession",
        kind=ScenarioType.HYPOTHETICAL,
        market=-0.25,
        sectors={
            CD: -0.35,
            IN: -0.32,
            FN: -0.33,
            MT: -0.32,
            EN: -0.35,
            CS: -0.10,
            HC: -0.12,
            UT: -0.08,
        },
        factors={"quality": 0.02, "low_volatility": 0.02},
        rates_bp=-100.0,
        credit_bp=150.0,
        high_yield_bp=450.0,
        description=(
            "A typical US recession: earnings fall, equities -25% with cyclicals worse and "
            "defensives better, yields fall, credit spreads widen."
        ),
    ),
    rate_hike(100.0),
    rate_hike(200.0),
    Scenario(
        name="inflation_spike",
        title="Inflation spike",
        kind=ScenarioType.HYPOTHETICAL,
        market=-0.12,
        sectors={EN: 0.10, MT: 0.03, CS: -0.08, IT: -0.20, CD: -0.18, RE: -0.15, UT: -0.14},
        factors={"value": 0.02},
        rates_bp=150.0,
        credit_bp=40.0,
        high_yield_bp=150.0,
        description="Inflation well above target: yields +150 bp, real assets beat growth.",
    ),
    Scenario(
        name="oil_shock",
        title="Oil shock",
        kind=ScenarioType.HYPOTHETICAL,
        market=-0.08,
        sectors={EN: 0.25, CD: -0.15, IN: -0.12, MT: -0.05, UT: -0.03},
        rates_bp=25.0,
        high_yield_bp=100.0,
        description="Oil prices double: energy gains, consumers and transport lose.",
    ),
    Scenario(
        name="tech_crash",
        title="Tech crash",
        kind=ScenarioType.HYPOTHETICAL,
        market=-0.15,
        sectors={IT: -0.40, CM: -0.30, CD: -0.20, CS: -0.02, UT: 0.02, HC: -0.05},
        factors={"momentum": -0.03, "value": 0.02},
        rates_bp=-50.0,
        high_yield_bp=150.0,
        description="Technology valuations reset: the sector -40%, the market -15%.",
    ),
    Scenario(
        name="stagflation",
        title="Stagflation",
        kind=ScenarioType.HYPOTHETICAL,
        market=-0.20,
        sectors={EN: 0.15, MT: -0.05, IT: -0.30, CD: -0.30, RE: -0.25, UT: -0.15, CS: -0.10},
        factors={"value": 0.02, "quality": 0.02},
        rates_bp=200.0,
        credit_bp=100.0,
        high_yield_bp=400.0,
        description=(
            "Slow growth with high inflation (the 1970s pattern): stocks and bonds fall "
            "together, energy is the one refuge."
        ),
    ),
    market_crash(0.20),
)

PREDEFINED_SCENARIOS: Final[Mapping[str, Scenario]] = MappingProxyType({s.name: s for s in _LIST})


def get_scenario(name: str | Scenario) -> Scenario:
    """A predefined scenario by name (a :class:`Scenario` passes through).

    ``market_crash_<N>`` gives a crash of N% for any N in 1..100.

    >>> get_scenario("covid_2020").title
    '2020 COVID crash'
    >>> get_scenario("market_crash_35").market
    -0.35
    """
    if isinstance(name, Scenario):
        return name
    key = str(name).strip().lower()
    if key in PREDEFINED_SCENARIOS:
        return PREDEFINED_SCENARIOS[key]
    if key.startswith("market_crash_") and key[13:].isdigit() and 1 <= int(key[13:]) <= 100:
        return market_crash(int(key[13:]) / 100)
    raise UnknownNameError.for_name(
        "scenario",
        name,
        PREDEFINED_SCENARIOS,
        hint="See PREDEFINED_SCENARIOS, or build one with Scenario.custom(...).",
    )
