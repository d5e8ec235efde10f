"""Filter masks as numpy arrays: the fast path of :func:`~axion_lab.screener.run_screen`.

A snapshot has a few thousand rows, so planning a polars query per filter costs more
than the comparison itself. The common conditions (numeric comparisons and ranges,
field-to-field and percent-above/below, universe-wide top-N and percentile ranks,
null tests, text equality and lists) are evaluated here on numpy views of the columns,
taken once per screen. Everything else (sector-relative ranks, dates, booleans, list
fields, crosses, formulas) keeps the polars expressions of
:mod:`~axion_lab.screener.compile`, which define the semantics; the tests check that
both paths agree on frames full of null, NaN and inf.

The two rules of :mod:`~axion_lab.screener.compile` hold here too: a missing value
fails every operator but ``IS_NULL``, and NaN and +/-inf count as missing.

Ranks avoid a sort. ``rank("max") * 100 >= count * p`` holds exactly for the values at
or above the k-th smallest, where k is the least rank meeting the test in the same
floating-point arithmetic, so one ``np.partition`` finds the cut.

Examples
--------
>>> import polars as pl
>>> from axion_lab.screener import FilterCondition
>>> frame = pl.DataFrame({"x": [1.0, None, float("nan"), 4.0, float("inf")]})
>>> fast_mask(FilterCondition("x", ">", 0), Columns(frame)).tolist()
[True, False, False, True, False]
>>> fast_mask(FilterCondition("x", "percentile_above", 60), Columns(frame)).tolist()
[False, False, False, True, False]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from axion_lab.screener.compile import Schema
from axion_lab.screener.config import Operator
from axion_lab.screener.models import FilterCondition, FilterGroup, FilterNode

__all__ = ["Columns", "Mask", "fast_mask"]

Mask = npt.NDArray[np.bool_]
_Floats = npt.NDArray[np.float64]

_COMPARISONS: Final = frozenset(
    {Operator.LT, Operator.LTE, Operator.GT, Operator.GTE, Operator.EQ, Operator.NE}
)


def _compare(op: Operator, x: _Floats, other: _Floats | float) -> Mask:
    match op:
        case Operator.LT:
            return x < other
        case Operator.LTE:
            return x <= other
        case Operator.GT:
            return x > other
        case Operator.GTE:
            return x >= other
        case Operator.EQ:
            return np.asarray(x == other, dtype=np.bool_)
        case _:
            return np.asarray(x != other, dtype=np.bool_)


class Columns:
    """Numpy views of a frame's columns, each converted once per screen."""

    def __init__(self, frame: pl.DataFrame, schema: Schema | None = None) -> None:
        self.frame = frame
        self.schema: Schema = frame.schema if schema is None else schema
        self._numeric: dict[str, tuple[_Floats, Mask]] = {}
        self._arrow: dict[str, pa.Array] = {}

    @property
    def height(self) -> int:
        return self.frame.height

    def is_numeric(self, name: str) -> bool:
        dtype = self.schema.get(name)
        return dtype is not None and (dtype.is_float() or dtype.is_integer())

    def is_float(self, name: str) -> bool:
        dtype = self.schema.get(name)
        return dtype is not None and dtype.is_float()

    def is_text(self, name: str) -> bool:
        return self.schema.get(name) == pl.String

    def numeric(self, name: str) -> tuple[_Floats, Mask]:
        """A numeric column as float64 and where it holds a finite value."""
        hit = self._numeric.get(name)
        if hit is None:
            # Through Arrow: null becomes NaN in one pass, twice as fast as polars' to_numpy.
            series = self.frame.get_column(name)
            values = series.to_arrow().to_numpy(zero_copy_only=False).astype(np.float64)
            hit = (values, np.isfinite(values))
            self._numeric[name] = hit
        return hit

    def present(self, name: str) -> Mask:
        """Where a column holds a value (finite, for numbers)."""
        if self.is_numeric(name):
            return self.numeric(name)[1]
        valid: Mask = pc.is_valid(self.text(name)).to_numpy(zero_copy_only=False)
        return valid

    def text(self, name: str) -> pa.Array:
        """A column as an Arrow array (converted once)."""
        hit = self._arrow.get(name)
        if hit is None:
            hit = self._arrow[name] = self.frame.get_column(name).to_arrow()
        return hit


def _kth(values: _Floats, k: int) -> float:
    """The k-th smallest of ``values`` (0-based), in linear time."""
    return float(np.partition(values, k)[k])


def _percentile(cond: FilterCondition, cols: Columns) -> Mask:
    x, finite = cols.numeric(cond.field)
    values = x[finite]
    n = values.size
    none = np.zeros(cols.height, dtype=np.bool_)
    if n == 0:
        return none
    # The same arithmetic as compile.condition_expr (rank * 100 against count * value),
    # so a rank sitting exactly on the boundary lands on the same side.
    scaled, bar = np.arange(1, n + 1, dtype=np.float64) * 100.0, n * float(cond.value)
    if cond.op is Operator.PERCENTILE_ABOVE:
        ok = np.flatnonzero(scaled >= bar)
        if ok.size == 0:
            return none
        k = int(ok[0]) + 1  # the least passing rank: values >= the k-th smallest pass
        return finite & (x >= _kth(values, k - 1))
    k = int(np.count_nonzero(scaled <= bar))  # the greatest passing rank
    if k == 0:
        return none
    if k >= n:
        return finite
    return finite & (x < _kth(values, k))


def _rank_n(cond: FilterCondition, cols: Columns) -> Mask:
    x, finite = cols.numeric(cond.field)
    values = x[finite]
    n, top = values.size, int(cond.value)
    if top >= n:
        return finite.copy()
    if cond.op is Operator.TOP_N:  # ties at the cut-off are all kept, as rank("min")
        return finite & (x >= _kth(values, n - top))
    return finite & (x <= _kth(values, top - 1))


def _text(cond: FilterCondition, cols: Columns) -> Mask | None:
    if cond.ref is not None:
        return None
    if cond.op in (Operator.EQ, Operator.NE):
        values: Sequence[object] = (cond.value,)
    elif cond.op in (Operator.IN, Operator.NOT_IN):
        values = cond.value
    else:
        return None
    array = cols.text(cond.field)
    # is_in never matches a null (the value set holds none), so a missing value fails.
    hit = pc.is_in(array, value_set=pa.array(values, type=array.type))
    mask: Mask = hit.to_numpy(zero_copy_only=False)
    if cond.op in (Operator.EQ, Operator.IN):
        return mask
    return cols.present(cond.field) & ~mask


def _numeric(cond: FilterCondition, cols: Columns) -> Mask | None:
    op = cond.op
    x, finite = cols.numeric(cond.field)
    if cond.ref is not None:
        if not cols.is_numeric(cond.ref):
            return None
        y, y_finite = cols.numeric(cond.ref)
        both = finite & y_finite
        with np.errstate(invalid="ignore", over="ignore"):
            if op in _COMPARISONS:
                return both & _compare(op, x, y)
            if op is Operator.PCT_ABOVE:
                return both & (y > 0) & (x >= y * (1.0 + float(cond.value)))
            if op is Operator.PCT_BELOW:
                return both & (y > 0) & (x <= y * (1.0 - float(cond.value)))
        return None
    with np.errstate(invalid="ignore"):
        if op in _COMPARISONS:
            return finite & _compare(op, x, float(cond.value))
        if op in (Operator.BETWEEN, Operator.NOT_BETWEEN):
            lo, hi = (float(v) for v in cond.value)
            inside = (x >= lo) & (x <= hi)
            return finite & (inside if op is Operator.BETWEEN else ~inside)
    if cond.within != "universe":
        return None
    if op in (Operator.TOP_N, Operator.BOTTOM_N):
        return _rank_n(cond, cols)
    if op in (Operator.PERCENTILE_ABOVE, Operator.PERCENTILE_BELOW):
        return _percentile(cond, cols)
    return None


def fast_mask(node: FilterNode, cols: Columns) -> Mask | None:
    """The mask of a validated node, or ``None`` when it needs the polars path."""
    if isinstance(node, FilterGroup):
        parts = []
        for item in node.items:
            part = fast_mask(item, cols)
            if part is None:
                return None
            parts.append(part)
        out = parts[0].copy()
        for part in parts[1:]:
            if node.logic == "and":
                out &= part
            else:
                out |= part
        return out
    if not isinstance(node, FilterCondition) or node.field not in cols.schema:
        return None
    if node.op is Operator.IS_NULL:
        return ~cols.present(node.field)
    if node.op is Operator.NOT_NULL:
        return cols.present(node.field)
    if cols.is_numeric(node.field):
        return _numeric(node, cols)
    if cols.is_text(node.field):
        return _text(node, cols)
    return None
