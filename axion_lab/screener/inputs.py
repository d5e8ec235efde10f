"""Screens from user input: a preset name or a YAML/JSON document, a universe name.

Shared by the screen builder panel, its notebook and the CLI-like surfaces, so each
reads a screen the same way.

Examples
--------
>>> read_screen("value").name, read_screen("version: 1\\nname: mine\\nfilters: []").name
('Value', 'mine')
>>> universe_for("all").describe(), universe_for("ax500").describe()
('equity', 'equity in AX500')
>>> formula_parser().parse_filter("pe_ratio < 15 and roe > 0.1").kind
'bool'
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Final

from axion_lab.exceptions import InputError
from axion_lab.fields import FIELD_REGISTRY
from axion_lab.screener.expression import ExpressionParser
from axion_lab.screener.models import Screen, Universe
from axion_lab.screener.presets import get_preset
from axion_lab.screener.serialize import screen_from_yaml

__all__ = ["ALL", "formula_parser", "read_screen", "universe_for", "years_before"]

ALL: Final = "all"
"""The universe name meaning every listed equity."""


@cache
def formula_parser() -> ExpressionParser:
    """The formula parser over every field of the registry (built once)."""
    # The registry passes itself in: the formula language never imports it.
    return ExpressionParser({f.id: f.dtype for f in FIELD_REGISTRY})


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
