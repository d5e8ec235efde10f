"""Preset screens: well-known strategies with their thresholds written out.

Thresholds follow the common textbook or screener-site versions (finviz, AAII,
Graham, O'Shaughnessy) and use the field registry's units: fractions for percents
(``0.15`` is 15 %), ratios as multiples. Each preset is an ordinary
:class:`~axion_lab.screener.Screen`: copy it with ``.replace(...)`` to tune it.

Examples
--------
>>> from axion_lab.screener import PRESET_SCREENS, get_preset
>>> len(PRESET_SCREENS) >= 15
True
>>> print(get_preset("value").describe())
Value (equity)
  1. pe_ratio < 15
  2. pb_ratio < 2.0
  3. debt_to_equity < 1.0
  4. market_cap > 1000000000.0
>>> get_preset("valeu")
Traceback (most recent call last):
...
axion_lab.exceptions.UnknownNameError: Unknown preset screen 'valeu'. Did you mean 'value'? ...
"""

from __future__ import annotations

from typing import Final

from axion_lab.exceptions import UnknownNameError
from axion_lab.screener.models import FilterCondition as C
from axion_lab.screener.models import Screen, any_of

__all__ = ["PRESET_SCREENS", "get_preset"]

_LIQUID = C("avg_dollar_volume_20", ">", 1e6)
"""At least $1m traded a day: keeps untradeable names out of every preset."""


def _presets() -> list[Screen]:
    return [
        Screen(
            "Value",
            (
                C("pe_ratio", "<", 15),
                C("pb_ratio", "<", 2.0),
                C("debt_to_equity", "<", 1.0),
                C("market_cap", ">", 1e9),
            ),
            description="Cheap on earnings and book, not over-levered, at least $1bn.",
            sort_by="pe_ratio",
            descending=False,
        ),
        Screen(
            "Deep value",
            (
                C("pb_ratio", "<", 1.0),
                C("ev_ebitda", "<", 6.0),
                C("current_ratio", ">", 1.0),
                _LIQUID,
            ),
            description="Below book and cheap on EV/EBITDA, with liquid assets covering "
            "short-term debts.",
            sort_by="pb_ratio",
            descending=False,
        ),
        Screen(
            "GARP",
            (
                C("peg_ratio", "<", 1.5),
                C("eps_growth_ttm", ">", 0.10),
                C("revenue_growth_ttm", ">", 0.05),
                C("pe_ratio", "<", 30),
                _LIQUID,
            ),
            description="Growth at a reasonable price: PEG under 1.5 with real earnings "
            "and sales growth.",
            sort_by="peg_ratio",
            descending=False,
        ),
        Screen(
            "Quality",
            (
                C("roe", ">", 0.15),
                C("gross_margin", ">", 0.40),
                C("debt_to_equity", "<", 0.5),
                C("interest_coverage", ">", 8.0),
                C("fcf_margin", ">", 0.10),
            ),
            description="High returns on equity and margins, low debt, cash-backed profits.",
            sort_by="roe",
        ),
        Screen(
            "Dividend growth",
            (
                C("years_of_increases", ">=", 10),
                C("dividend_cagr_5y", ">", 0.05),
                C("payout_ratio", "<", 0.70),
            ),
            description="Ten or more years of raises, 5 %+ a year, with room in the payout.",
            sort_by="years_of_increases",
        ),
        Screen(
            "High yield, safe",
            (
                C("dividend_yield", ">", 0.04),
                C("payout_ratio", "<", 0.80),
                C("fcf_payout_ratio", "<", 1.0),
                C("debt_to_equity", "<", 1.5),
                C("interest_coverage", ">", 4.0),
            ),
            description="A 4 %+ yield covered by earnings and free cash flow, with "
            "serviceable debt.",
            sort_by="dividend_yield",
        ),
        Screen(
            "Momentum",
            (
                C("ret_126", "percentile_above", 80),
                C("price", ">", "sma_50"),
                C("price", ">", "sma_200"),
                C("ret_21", ">", 0.0),
                _LIQUID,
            ),
            description="Top-quintile 6-month return, trending above both moving averages, "
            "still rising this month.",
            sort_by="ret_126",
        ),
        Screen(
            "52-week high breakout",
            (C("pct_from_high_252", ">=", -0.02), C("rel_volume_20", ">", 1.0), _LIQUID),
            description="Within 2 % of the 52-week high on above-average volume.",
            sort_by="rel_volume_20",
        ),
        Screen(
            "Golden cross",
            (
                any_of(
                    C("sma_50", "crosses_above", "sma_200"),
                    C("sma_50_vs_sma_200", "between", (0.0, 0.005)),
                ),
                C("price", ">", "sma_50"),
                _LIQUID,
            ),
            description="SMA50 crossed above SMA200 today, or did so recently (SMA50 at most "
            "0.5 % above SMA200), with price above SMA50.",
            sort_by="sma_50_vs_sma_200",
            descending=False,
        ),
        Screen(
            "Oversold quality",
            (
                C("rsi_14", "<", 35),
                C("roe", ">", 0.12),
                C("net_margin", ">", 0.08),
                C("debt_to_equity", "<", 1.0),
            ),
            description="Profitable, conservatively financed companies with an RSI under 35.",
            sort_by="rsi_14",
            descending=False,
        ),
        Screen(
            "Low volatility",
            (
                C("realized_vol_60", "percentile_below", 20),
                C("beta_252", "<", 0.8),
                C("market_cap", ">", 2e9),
            ),
            description="Calmest fifth of the universe by 60-day volatility, beta under 0.8, "
            "at least $2bn.",
            sort_by="realized_vol_60",
            descending=False,
        ),
        Screen(
            "Small-cap growth",
            (
                C("market_cap", "between", (3e8, 2e9)),
                C("revenue_growth_ttm", ">", 0.15),
                C("gross_margin", ">", 0.30),
                _LIQUID,
            ),
            description="$300m-$2bn companies growing sales 15 %+ with healthy gross margins.",
            sort_by="revenue_growth_ttm",
        ),
        Screen(
            "High FCF yield",
            (
                C("fcf_yield", ">", 0.08),
                C("net_debt_to_ebitda", "<", 2.0),
                C("market_cap", ">", 5e8),
            ),
            description="Free cash flow at least 8 % of market cap, modest leverage.",
            sort_by="fcf_yield",
        ),
        Screen(
            "Short squeeze candidates",
            (
                C("short_float", ">", 0.15),
                C("days_to_cover", ">", 5.0),
                C("ret_5", ">", 0.0),
                _LIQUID,
            ),
            description="Heavily shorted (15 %+ of float, 5+ days to cover) and rising this week.",
            sort_by="short_float",
        ),
        Screen(
            "Institutional accumulation",
            (
                C("institutional_shares_change_qoq", ">", 0.10),
                C("institutional_holders_change_qoq", ">=", 1),
                _LIQUID,
            ),
            description="13F filers added 10 %+ shares last quarter and new funds arrived.",
            sort_by="institutional_shares_change_qoq",
        ),
        Screen(
            "Analyst upgrades",
            (C("rating_change_3m", "<=", -0.25), C("target_upside", ">", 0.10), _LIQUID),
            description="Consensus rating improved by a quarter point or more in 3 months, "
            "10 %+ upside to target.",
            sort_by="target_upside",
        ),
        Screen(
            "Graham defensive",
            (
                C("price_to_graham", "<", 1.0),
                C("current_ratio", ">", 1.5),
                C("market_cap", ">", 1e9),
            ),
            description="Below the Graham number (sqrt(22.5 EPS x book)), liquid balance sheet.",
            sort_by="price_to_graham",
            descending=False,
        ),
    ]


def _key(name: str) -> str:
    return name.lower().replace("-", " ").replace(",", "").replace(" ", "_").replace("__", "_")


PRESET_SCREENS: Final[dict[str, Screen]] = {_key(s.name): s for s in _presets()}
"""Preset key (``"value"``, ``"golden_cross"``...) -> screen."""


def get_preset(name: str) -> Screen:
    """The preset called ``name`` (key or display name, any case)."""
    screen = PRESET_SCREENS.get(_key(name))
    if screen is None:
        raise UnknownNameError.for_name(
            "preset screen", name, PRESET_SCREENS, hint="See PRESET_SCREENS for the list."
        )
    return screen
