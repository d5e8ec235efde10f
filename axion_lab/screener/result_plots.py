"""Charts of a :class:`~axion_lab.screener.ScreenResult`: the funnel and the matches.

Each function returns an :class:`~axion_lab.overview.plots.InlineFigure` (a matplotlib
``Figure`` that renders itself as PNG in Jupyter and reports) built without pyplot, so
nothing is shown, saved or left in pyplot's global state. Axes of ``fraction`` fields
read in percent.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.screener import ScreenerEngine
>>> result = ScreenerEngine(load_market()).run("quality", as_of="2024-06-28")
>>> fig = result.plot_funnel()
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
['universe', '1. roe > 0.15']
>>> numeric_columns(result)[:2]
['debt_to_equity', 'fcf_margin']
>>> result.plot().axes[0].get_xlabel()
'Debt / equity (debt_to_equity)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import polars as pl

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.fields import FIELD_REGISTRY
from axion_lab.overview.plots import InlineFigure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from axion_lab.screener.result import ScreenResult

__all__ = ["numeric_columns", "plot_funnel", "plot_matches"]

_MAX_LABELLED: Final = 30
"""Points labelled with their symbol in a scatter; more would overprint."""
_MAX_BARS: Final = 25


def numeric_columns(result: ScreenResult) -> list[str]:
    """The result's numeric columns, in table order (what :func:`plot_matches` can draw)."""
    return [c for c, t in result.frame.schema.items() if t.is_numeric()]


def _label(column: str) -> str:
    if column in FIELD_REGISTRY:
        f = FIELD_REGISTRY.get(column)
        return f"{f.label} ({f.id})"
    return column


def _percent_axis(ax: Axes, column: str, axis: str) -> None:
    if column in FIELD_REGISTRY and FIELD_REGISTRY.get(column).unit == "fraction":
        from matplotlib.ticker import PercentFormatter

        target = ax.xaxis if axis == "x" else ax.yaxis
        target.set_major_formatter(PercentFormatter(xmax=1.0))


def plot_funnel(result: ScreenResult) -> InlineFigure:
    """Horizontal bars: the universe, then how many pass each filter and all before it.

    The pale bar behind each step is how many pass that filter on its own, so a
    filter that removes much alone but little in sequence shows as a long pale bar.
    """
    steps = result.funnel
    labels = ["universe", *(f"{i}. {s.label}" for i, s in enumerate(steps, 1))]
    passed = [result.universe_size, *(s.passed for s in steps)]
    alone = [result.universe_size, *(s.alone for s in steps)]
    fig = InlineFigure(figsize=(8, 0.9 + 0.45 * len(labels)))
    ax = fig.subplots()
    rows = list(range(len(labels)))
    ax.barh(rows, alone, color="#c5d5e8", label="passes alone")
    bars = ax.barh(rows, passed, color="#2f6fad", height=0.55, label="passes with those above")
    ax.bar_label(bars, labels=[f"{n:,}" for n in passed], padding=3, fontsize=8)
    ax.set_yticks(rows, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("symbols")
    ax.set_title(f"{result.screen.name}: {result.matched:,} of {result.universe_size:,} match")
    if steps:
        ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_matches(result: ScreenResult, x: str | None = None, y: str | None = None) -> InlineFigure:
    """The matches over one or two numeric columns of the result.

    With ``x`` and ``y`` (default: the first two numeric columns) a scatter, each
    point a match (labelled with its symbol when there are few); with a single
    numeric column, bars of the first matches in result order.

    Raises
    ------
    InputError
        The result has no numeric column, or ``x``/``y`` is not one of them.
    """
    numeric = numeric_columns(result)
    if not numeric:
        raise InputError(
            f"The result of {result.screen.name!r} has no numeric column to chart; add a "
            "numeric filter or list numeric columns in the screen's `columns`."
        )
    for name in (x, y):
        if name is not None and name not in numeric:
            raise UnknownNameError.for_name("numeric result column", name, numeric)
    if x is None:
        x = next((c for c in numeric if c != y), numeric[0])
    if y is None:
        y = next((c for c in numeric if c != x), None)
    frame = result.frame
    fig = InlineFigure(figsize=(8, 5))
    ax = fig.subplots()
    if y is None or y == x:
        shown = frame.head(_MAX_BARS).filter(pl.col(x).is_not_null())
        ax.barh(shown["symbol"].to_list(), shown[x].to_list(), color="#2f6fad")
        ax.invert_yaxis()
        ax.set_xlabel(_label(x))
        _percent_axis(ax, x, "x")
    else:
        shown = frame.filter(pl.col(x).is_not_null() & pl.col(y).is_not_null())
        xs, ys = shown[x].to_list(), shown[y].to_list()
        ax.scatter(xs, ys, s=18, alpha=0.75, color="#2f6fad")
        if shown.height <= _MAX_LABELLED:
            for sym, xv, yv in zip(shown["symbol"].to_list(), xs, ys, strict=True):
                ax.annotate(sym, (xv, yv), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel(_label(x))
        ax.set_ylabel(_label(y))
        _percent_axis(ax, x, "x")
        _percent_axis(ax, y, "y")
    ax.set_title(f"{result.screen.name}: {shown.height:,} of {result.matched:,} matches shown")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
