"""Turn validated filter nodes into boolean polars expressions over a snapshot.

Every expression is wrapped in ``fill_null(False)``: polars propagates null through
comparisons (``null != 5`` is null), and a null must fail the filter rather than be
dropped or kept by accident. The snapshot passed in has NaN already replaced by null
(:func:`sanitize`), because polars orders NaN above every number (``NaN > 5`` is
true).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, TypeAlias

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.screener.config import Operator
from axion_lab.screener.models import FilterCondition, FilterGroup, FilterNode, FormulaFilter

__all__ = [
    "PREV_SUFFIX",
    "Schema",
    "condition_expr",
    "node_expr",
    "prev_column",
    "sanitize",
    "sanitize_exprs",
]

Schema: TypeAlias = Mapping[str, pl.DataType]
"""Column name -> dtype: a ``pl.Schema`` or a plain dict (cheaper to build)."""

PREV_SUFFIX: Final = "__prev"
"""Suffix of the previous-session columns that ``CROSSES_*`` reads."""


def prev_column(field: str) -> str:
    """Name of ``field``'s previous-session column in the evaluation frame."""
    return f"{field}{PREV_SUFFIX}"


def sanitize_exprs(schema: Schema, columns: Iterable[str] | None = None) -> list[pl.Expr]:
    """Expressions replacing NaN and +/-inf with null in the float columns (all, or ``columns``)."""
    names = set(schema) if columns is None else set(columns)
    floats = [c for c, t in schema.items() if c in names and t.is_float()]
    if not floats:
        return []
    # One multi-column expression: polars plans it once instead of once per column.
    finite = pl.col(floats)
    return [pl.when(finite.is_finite()).then(finite).otherwise(None)]


def sanitize(frame: pl.DataFrame, columns: Iterable[str] | None = None) -> pl.DataFrame:
    """``frame`` with NaN and +/-inf replaced by null in the float columns.

    Examples
    --------
    >>> import polars as pl
    >>> sanitize(pl.DataFrame({"x": [1.0, float("nan"), float("inf")]}))["x"].to_list()
    [1.0, None, None]
    """
    exprs = sanitize_exprs(frame.schema, columns)
    return frame.with_columns(exprs) if exprs else frame


def _over(expr: pl.Expr, within: str) -> pl.Expr:
    return expr if within == "universe" else expr.over(within)


def condition_expr(cond: FilterCondition, schema: Schema) -> pl.Expr:
    """The boolean expression of one validated condition (null never passes)."""
    col = pl.col(cond.field)
    op, v = cond.op, cond.value
    other: pl.Expr = pl.col(cond.ref) if cond.ref is not None else pl.lit(v)
    dtype = schema.get(cond.field)
    is_list = isinstance(dtype, pl.List)
    match op:
        case Operator.LT:
            expr = col < other
        case Operator.LTE:
            expr = col <= other
        case Operator.GT:
            expr = col > other
        case Operator.GTE:
            expr = col >= other
        case Operator.EQ:
            expr = col == other
        case Operator.NE:
            expr = col != other
        case Operator.BETWEEN:
            expr = col.is_between(v[0], v[1], closed="both")
        case Operator.NOT_BETWEEN:
            expr = (col < v[0]) | (col > v[1])
        case Operator.IN | Operator.NOT_IN:
            # polars 2 wants the list in the column's own dtype (10 is not 10.0 to is_in).
            inner = dtype.inner if isinstance(dtype, pl.List) else dtype
            values = pl.Series(list(v), strict=False)
            if inner is not None:
                values = values.cast(inner)
            if is_list:
                hit = col.list.set_intersection(pl.lit(values.implode())).list.len() > 0
            else:
                hit = col.is_in(values.implode())
            expr = hit if op is Operator.IN else col.is_not_null() & ~hit
        case Operator.IS_NULL:
            return col.is_null()
        case Operator.NOT_NULL:
            expr = col.is_not_null()
        case Operator.PCT_ABOVE:
            expr = (other > 0) & (col >= other * (1.0 + v))
        case Operator.PCT_BELOW:
            expr = (other > 0) & (col <= other * (1.0 - v))
        case Operator.CROSSES_ABOVE | Operator.CROSSES_BELOW:
            before = pl.col(prev_column(cond.field))
            level_before = pl.col(prev_column(cond.ref)) if cond.ref is not None else pl.lit(v)
            if op is Operator.CROSSES_ABOVE:
                expr = (col > other) & (before <= level_before)
            else:
                expr = (col < other) & (before >= level_before)
        case Operator.TOP_N:
            expr = _over(col.rank("min", descending=True), cond.within) <= v
        case Operator.BOTTOM_N:
            expr = _over(col.rank("min"), cond.within) <= v
        case Operator.PERCENTILE_ABOVE | Operator.PERCENTILE_BELOW:
            # rank / count * 100 >= v, multiplied out: exact for whole ranks, so rank 57
            # of 100 is at the 57th percentile (57 / 100 * 100 is 56.99999999999999).
            scaled, bar = col.rank("max") * 100.0, col.count() * float(v)
            test = scaled >= bar if op is Operator.PERCENTILE_ABOVE else scaled <= bar
            expr = _over(test, cond.within)
        case _:  # pragma: no cover - every Operator is handled above
            raise InputError(f"Operator {op!r} is not implemented.")
    return expr.fill_null(False)


def node_expr(node: FilterNode, schema: Schema) -> pl.Expr:
    """The boolean expression of a validated condition, group or formula."""
    if isinstance(node, FilterCondition):
        return condition_expr(node, schema)
    if isinstance(node, FilterGroup):
        parts = [node_expr(i, schema) for i in node.items]
        return pl.all_horizontal(parts) if node.logic == "and" else pl.any_horizontal(parts)
    if isinstance(node, FormulaFilter):
        return node.to_expr().fill_null(False)
    raise InputError(
        f"A screen filter must be a FilterCondition, a FilterGroup or a compiled formula "
        f"(an object with to_expr() and fields); got {type(node).__name__}."
    )
