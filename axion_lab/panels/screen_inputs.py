"""The screen builder's one unit conversion: the UI's percents vs the engine's fractions.

:func:`to_engine` / :func:`to_display` are the only place the two meet. Reading a
screen or a universe from text is the screener's (:mod:`axion_lab.screener.inputs`).

Examples
--------
>>> from axion_lab.screener import Operator
>>> to_engine(5, "fraction", Operator.GT), to_display(0.07, "fraction", Operator.GT)
(0.05, 7.0)
>>> to_engine(30, "percent", Operator.LT)  # RSI is already on a 0-100 scale
30.0
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from axion_lab.screener import Operator
from axion_lab.screener.config import RANK_OPS

__all__ = ["shows_percent", "to_display", "to_engine"]
_PCT_OPS: Final = frozenset({Operator.PCT_ABOVE, Operator.PCT_BELOW})


def shows_percent(unit: str, op: Operator) -> bool:
    """Whether the UI shows percents (5 means 5%) where the engine holds a fraction.

    ``fraction`` fields compared with a value do, and so does the margin of
    ``PCT_ABOVE``/``PCT_BELOW`` whatever the field; ranks, counts and percentiles
    (already 0-100) do not.
    """
    if op in _PCT_OPS:
        return True
    return unit == "fraction" and op not in RANK_OPS


def to_engine(value: float, unit: str, op: Operator) -> float:
    """A number typed in the UI as the engine wants it (percent to fraction)."""
    if not shows_percent(unit, op):
        return float(value)
    return _shift(value, -2)


def to_display(value: float, unit: str, op: Operator) -> float:
    """An engine number as the UI shows it (fraction to percent)."""
    if not shows_percent(unit, op):
        return float(value)
    return _shift(value, 2)


def _shift(value: float, places: int) -> float:
    """``value`` times ``10**places`` in decimal, so 0.07 is 7.0 and -49.58 is -0.4958.

    Binary multiplication would give 7.000000000000001 and -0.49579999999999996; the
    shortest decimal form of the float (what was typed) is what gets shifted.
    """
    return float(Decimal(repr(float(value))).scaleb(places))
