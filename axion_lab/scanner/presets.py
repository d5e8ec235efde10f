"""The ten preset scanners, each with its exact rule, thresholds and strength cut-offs.

Units follow the indicator registry: gaps and returns are fractions (``0.03`` is 3 %),
RSI is 0-100, relative volume a multiple of the mean of the previous 20 bars.
Every number below is a parameter: override with
``get_preset_scanner("gap_up", threshold=0.05)``. Strength is ``weak`` below
``moderate``, ``moderate`` from it, ``strong`` from ``strong``.

=====================  =========================================  ==========================
preset                 rule (all on the hit bar)                  strength graded on
=====================  =========================================  ==========================
``gap_up``             ``gap >= threshold`` (0.03)                gap: 0.05 / 0.08
``gap_down``           ``gap <= -threshold`` (0.03)               abs(gap): 0.05 / 0.08
``new_high``           ``high > high_252`` of the previous bar    rel_volume_20: 1.5 / 2.5
``new_low``            ``low < low_252`` of the previous bar      rel_volume_20: 1.5 / 2.5
``volume_spike``       ``rel_volume_20 >= threshold`` (2.0)       rel_volume_20: 3 / 5
``rsi_oversold``       ``rsi_14 < threshold`` (30)                rsi_14: 25 / 20 (lower)
``rsi_overbought``     ``rsi_14 > threshold`` (70)                rsi_14: 75 / 80
``macd_bullish_cross`` ``macd`` crosses above ``macd_signal``     rel_volume_20: 1.5 / 2.5
``big_gainers``        ``ret_1 >= threshold`` (0.05)              ret_1: 0.08 / 0.12
``big_losers``         ``ret_1 <= -threshold`` (0.05)             abs(ret_1): 0.08 / 0.12
=====================  =========================================  ==========================

``gap`` is ``open / previous close - 1``; ``high_252``/``low_252`` the highest high and
lowest low of the 252 bars up to and including a bar (so "above the previous bar's
``high_252``" means above every high of the prior 252 bars: a 52-week high needs a
year of history); ``macd`` is MACD(12, 26, 9). Breakouts and crosses are graded by the
volume behind them, the usual confirmation.

Examples
--------
>>> from axion_lab.scanner import PRESET_SCANNERS, get_preset_scanner
>>> len(PRESET_SCANNERS)
10
>>> print(get_preset_scanner("gap_up", threshold=0.05).describe())
gap_up (gap, bullish): gap >= threshold (0.05)
>>> get_preset_scanner("gap_upp")
Traceback (most recent call last):
...
axion_lab.exceptions.UnknownNameError: Unknown preset scanner 'gap_upp'. Did you mean 'gap_up'?
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from axion_lab.exceptions import UnknownNameError
from axion_lab.scanner.config import Direction, ScanCategory
from axion_lab.scanner.models import Param, Scanner, StrengthRule
from axion_lab.scanner.models import ScanCriterion as C

__all__ = ["PRESET_SCANNERS", "get_preset_scanner", "preset_table"]

_FRACTION = Param(0.0, 1.0)
_POSITIVE_FRACTION = Param(1e-6, 1.0)
_RSI = Param(0.0, 100.0)
_MULTIPLE = Param(0.0, None)


def _presets() -> list[Scanner]:
    gap, vol, ret = StrengthRule("gap"), StrengthRule("rel_volume_20"), StrengthRule("ret_1")
    frac = {"threshold": _POSITIVE_FRACTION, "moderate": _FRACTION, "strong": _FRACTION}
    mult = {"moderate": _MULTIPLE, "strong": _MULTIPLE}
    return [
        Scanner(
            "gap_up",
            (C("gap", ">=", param="threshold"),),
            ScanCategory.GAP,
            Direction.BULLISH,
            gap,
            {"threshold": 0.03, "moderate": 0.05, "strong": 0.08},
            frac,
            "Opened at least `threshold` above the previous close.",
        ),
        Scanner(
            "gap_down",
            (C("gap", "<=", param="threshold", negate=True),),
            ScanCategory.GAP,
            Direction.BEARISH,
            StrengthRule("gap", absolute=True),
            {"threshold": 0.03, "moderate": 0.05, "strong": 0.08},
            frac,
            "Opened at least `threshold` below the previous close.",
        ),
        Scanner(
            "new_high",
            (C("high", ">", ref="high_252", ref_lag=1),),
            ScanCategory.TECHNICAL,
            Direction.BULLISH,
            vol,
            {"moderate": 1.5, "strong": 2.5},
            mult,
            "Traded above every high of the previous 252 bars (a 52-week high).",
        ),
        Scanner(
            "new_low",
            (C("low", "<", ref="low_252", ref_lag=1),),
            ScanCategory.TECHNICAL,
            Direction.BEARISH,
            vol,
            {"moderate": 1.5, "strong": 2.5},
            mult,
            "Traded below every low of the previous 252 bars (a 52-week low).",
        ),
        Scanner(
            "volume_spike",
            (C("rel_volume_20", ">=", param="threshold"),),
            ScanCategory.VOLUME,
            Direction.NEUTRAL,
            vol,
            {"threshold": 2.0, "moderate": 3.0, "strong": 5.0},
            {"threshold": Param(1.0, None), **mult},
            "Volume at least `threshold` times the mean of the previous 20 bars.",
        ),
        Scanner(
            "rsi_oversold",
            (C("rsi_14", "<", param="threshold"),),
            ScanCategory.MOMENTUM,
            Direction.BULLISH,
            StrengthRule("rsi_14", lower_is_stronger=True),
            {"threshold": 30.0, "moderate": 25.0, "strong": 20.0},
            {"threshold": _RSI, "moderate": _RSI, "strong": _RSI},
            "RSI(14) below `threshold`.",
        ),
        Scanner(
            "rsi_overbought",
            (C("rsi_14", ">", param="threshold"),),
            ScanCategory.MOMENTUM,
            Direction.BEARISH,
            StrengthRule("rsi_14"),
            {"threshold": 70.0, "moderate": 75.0, "strong": 80.0},
            {"threshold": _RSI, "moderate": _RSI, "strong": _RSI},
            "RSI(14) above `threshold`.",
        ),
        Scanner(
            "macd_bullish_cross",
            (C("macd", "crosses_above", ref="macd_signal"),),
            ScanCategory.TECHNICAL,
            Direction.BULLISH,
            vol,
            {"moderate": 1.5, "strong": 2.5},
            mult,
            "MACD(12, 26, 9) line crossed above its signal line on this bar.",
        ),
        Scanner(
            "big_gainers",
            (C("ret_1", ">=", param="threshold"),),
            ScanCategory.MOMENTUM,
            Direction.BULLISH,
            ret,
            {"threshold": 0.05, "moderate": 0.08, "strong": 0.12},
            frac,
            "Closed at least `threshold` above the previous close.",
        ),
        Scanner(
            "big_losers",
            (C("ret_1", "<=", param="threshold", negate=True),),
            ScanCategory.MOMENTUM,
            Direction.BEARISH,
            StrengthRule("ret_1", absolute=True),
            {"threshold": 0.05, "moderate": 0.08, "strong": 0.12},
            frac,
            "Closed at least `threshold` below the previous close.",
        ),
    ]


PRESET_SCANNERS: Final = MappingProxyType({s.name: s for s in _presets()})
"""Preset name -> :class:`~axion_lab.scanner.Scanner` (read-only)."""


def get_preset_scanner(name: str, **overrides: float) -> Scanner:
    """Return the preset ``name`` with parameters overridden.

    Raises
    ------
    UnknownNameError
        For an unknown preset (suggests close names) or an unknown parameter.
    InputError
        For a parameter outside its documented range or inverted strength cut-offs.
    """
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    scanner = PRESET_SCANNERS.get(key)
    if scanner is None:
        raise UnknownNameError.for_name("preset scanner", str(name), list(PRESET_SCANNERS))
    return scanner.with_params(**overrides) if overrides else scanner


def preset_table() -> list[dict[str, object]]:
    """One dict per preset: name, category, direction, rule, parameters, description."""
    return [
        {
            "name": s.name,
            "category": s.category.value,
            "direction": s.direction.value,
            "rule": s.describe().split(": ", 1)[1],
            "strength_on": s.strength.column,
            "params": dict(s.params),
            "description": s.description,
        }
        for s in PRESET_SCANNERS.values()
    ]
