"""Widget-free inputs of the screen builder, shared by the panel and the notebook.

The one place where the UI's percent convention meets the engine's fractions
(:func:`to_engine` / :func:`to_display`), how a screen is read from a preset name or
a YAML/JSON document (:func:`read_screen`), and how a universe name becomes a
:class:`~axion_lab.screener.Universe` (:func:`universe_for`).

Examples
--------
>>> from axion_lab.screener import Operator
>>> to_engine(5, "fraction", Operator.GT), to_display(0.07, "fraction", Operator.GT)
(0.05, 7.0)
>>> to_engine(30, "percent", Operator.LT)  # RSI is already on a 0-100 scale
30.0
>>> read_screen("value").name, read_screen("version: 1\\nname: mine\\nfilters: []").name
('Value', 'mine')
>>> universe_for("all").describe(), universe_for("ax500").describe()
('equity', 'equity in AX500')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Final

from axion_lab.exceptions import InputError
from axion_lab.fields import FIELD_REGISTRY
from axion_lab.screener import Operator, Screen, Universe, get_preset, screen_from_yaml
from axion_lab.screener.config import RANK_OPS
from axion_lab.screener.expression import ExpressionParser

__all__ = [
    "formula_parser",
    "read_screen",
    "shows_percent",
    "to_display",
    "to_engine",
    "universe_for",
    "years_before",
]

ALL: Final = "all"
"""The universe name meaning every listed equity."""
_PCT_OPS: Final = frozenset({Operator.PCT_ABOVE, Operator.PCT_BELOW})


@cache
def formula_parser() -> ExpressionParser:
    """The formula parser over every field of the registry (built once)."""
    # The registry passes itself in: the formula language never imports it.
    return ExpressionParser({f.id: f.dtype for f in FIELD_REGISTRY})


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


def read_screen(text: str) -> Screen:
    """A preset (key or display name) or a screen document in YAML or JSON.

    Formula filters in a document are compiled with :func:`formula_parser`.

    Raises
    ------
    UnknownNameError
        A name that is no preset (with suggestions).
    InputError
        A malformed document.
    """
    source = text.strip()
    if not source:
        raise InputError("Give a preset name (e.g. 'quality') or a screen document.")
    if "\n" not in source and ":" not in source and not source.startswith("{"):
        return get_preset(source)
    # JSON is YAML, so one reader takes both.
    return screen_from_yaml(source, parse_formula=formula_parser().parse_filter)


def universe_for(name: str) -> Universe:
    """``"all"`` (or blank): every equity; otherwise the members of that index.

    The index name is checked against the market when the screen runs (with
    suggestions for a misspelt one).
    """
    clean = name.strip()
    if not clean or clean.lower() == ALL:
        return Universe.equities()
    return Universe.index(clean.upper())


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (28 February for a 29th)."""
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise InputError(f"years must be a positive whole number, got {years!r}.")
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
