"""The screener: filter a point-in-time snapshot of the market with typed conditions.

Screens are data (:class:`Screen`, :class:`FilterCondition`, :func:`any_of`...), every
filter is a field of :data:`~axion_lab.fields.FIELD_REGISTRY` with an
:class:`Operator` valid for it (:data:`FILTER_REGISTRY`), and :class:`ScreenerEngine`
runs them as of any date. Missing values never pass a filter (only ``IS_NULL``).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.screener import ScreenerEngine
>>> result = ScreenerEngine(load_market()).run("quality", as_of="2024-06-28")
>>> result.matched > 0, result.source.startswith("Sandbox")
(True, True)
"""

from __future__ import annotations

from axion_lab.screener.alerts import AlertRun, ScreenAlert, ScreenAlertManager
from axion_lab.screener.backtest import RankFormula, ScreenBacktester
from axion_lab.screener.backtest_result import BacktestConfig, BacktestResult
from axion_lab.screener.config import SCHEMA_VERSION, Operator, operators_for_dtype
from axion_lab.screener.engine import ScreenerEngine, apply_universe, run_screen
from axion_lab.screener.expression import ExpressionParser, Formula
from axion_lab.screener.filters import FILTER_REGISTRY, FilterRegistry, FilterSpec
from axion_lab.screener.inputs import formula_parser, read_screen, universe_for, years_before
from axion_lab.screener.manager import SavedScreen, ScreenManager
from axion_lab.screener.models import (
    FilterCondition,
    FilterGroup,
    FilterNode,
    FormulaFilter,
    Screen,
    Universe,
    all_of,
    any_of,
)
from axion_lab.screener.presets import PRESET_SCREENS, get_preset
from axion_lab.screener.result import FunnelStep, ScreenResult
from axion_lab.screener.serialize import (
    screen_from_dict,
    screen_from_json,
    screen_from_yaml,
    screen_to_dict,
    screen_to_json,
    screen_to_yaml,
)

__all__ = [
    "FILTER_REGISTRY",
    "PRESET_SCREENS",
    "SCHEMA_VERSION",
    "AlertRun",
    "BacktestConfig",
    "BacktestResult",
    "ExpressionParser",
    "FilterCondition",
    "FilterGroup",
    "FilterNode",
    "FilterRegistry",
    "FilterSpec",
    "Formula",
    "FormulaFilter",
    "FunnelStep",
    "Operator",
    "RankFormula",
    "SavedScreen",
    "Screen",
    "ScreenAlert",
    "ScreenAlertManager",
    "ScreenBacktester",
    "ScreenManager",
    "ScreenResult",
    "ScreenerEngine",
    "Universe",
    "all_of",
    "any_of",
    "apply_universe",
    "formula_parser",
    "get_preset",
    "operators_for_dtype",
    "read_screen",
    "run_screen",
    "screen_from_dict",
    "screen_from_json",
    "screen_from_yaml",
    "screen_to_dict",
    "screen_to_json",
    "screen_to_yaml",
    "universe_for",
    "years_before",
]
