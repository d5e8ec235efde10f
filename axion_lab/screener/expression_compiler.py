"""Compile a checked formula tree into one polars expression.

The tree must have passed :func:`~axion_lab.screener.expression_checker.check`:
the compiler trusts names and kinds. Semantics (see
:mod:`axion_lab.screener.expression_functions` for the functions):

- numeric fields are read as ``Float64`` with NaN and infinities turned into null;
  text fields as ``String`` (so categorical columns compare with text literals);
- ``+ - * / ^`` give null instead of NaN or an infinity (``x / 0`` is null);
- comparisons involving null are null; ``and``/``or``/``not`` use three-valued logic
  (``null and false`` is false, ``null or true`` is true, ``not null`` is null);
- the caller decides what a null condition means; :class:`Formula.to_expr
  <axion_lab.screener.expression.Formula.to_expr>` makes it false for filters.

Examples
--------
>>> import polars as pl
>>> from axion_lab.screener.expression_parser import parse_tree
>>> frame = pl.DataFrame({"x": [1.0, 0.0, None, float("nan")]})
>>> expr = compile_tree(parse_tree("1 / x"), {"x": "number"})
>>> frame.select(expr).to_series().to_list()
[1.0, None, None, None]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.screener.expression_ast import (
    Binary,
    BoolLit,
    Call,
    Compare,
    FieldRef,
    InList,
    Node,
    NumberLit,
    StringLit,
    Unary,
    children,
)
from axion_lab.screener.expression_functions import FUNCTIONS, finite, safe_div

if TYPE_CHECKING:
    from polars._typing import ClosedInterval

__all__ = ["MAX_SIZE", "compile_tree", "expanded_size"]

MAX_SIZE = 1_000
"""Most operations a compiled formula may hold (see :func:`expanded_size`)."""

_DTYPES: dict[type, type[pl.DataType]] = {
    NumberLit: pl.Float64,
    StringLit: pl.String,
    BoolLit: pl.Boolean,
    float: pl.Float64,
    str: pl.String,
    bool: pl.Boolean,
}
# Two-step chains that polars' is_between computes with the middle operand once.
_BETWEEN: dict[tuple[str, ...], ClosedInterval] = {
    ("<", "<"): "none",
    ("<=", "<="): "both",
    ("<=", "<"): "left",
    ("<", "<="): "right",
    (">", ">"): "none",
    (">=", ">="): "both",
    (">", ">="): "left",
    (">=", ">"): "right",
}


def compile_tree(
    node: Node,
    fields: Mapping[str, str],
    groups: Mapping[str, str] | None = None,
) -> pl.Expr:
    """The polars expression computing ``node``.

    ``fields`` maps field ids to their kind (``number``/``bool``/``string``);
    ``groups`` maps a grouping used by ``sector_*``/``industry_*`` functions to the
    column holding it (default: the grouping's own name).
    """
    return _Compiler(fields, groups or {}).expr(node)


def expanded_size(node: Node) -> int:
    """How many operations the compiled expression holds, counting repeats.

    A polars expression is a tree: where a function uses an argument twice (``if``
    tests its condition twice, ``zscore`` reads ``x`` three times), the argument's
    whole expression is built twice. Nesting such functions multiplies the size, so
    the parser refuses formulas above :data:`MAX_SIZE` instead of hanging.
    """
    if isinstance(node, Compare):
        middle = 1 if tuple(node.ops) in _BETWEEN else 2
        sizes = [expanded_size(operand) for operand in node.operands]
        return 1 + sizes[0] + sizes[-1] + middle * sum(sizes[1:-1])
    reuse = FUNCTIONS[node.name].reuse if isinstance(node, Call) else 1
    return 1 + reuse * sum(expanded_size(child) for child in children(node))


class _Compiler:
    def __init__(self, fields: Mapping[str, str], groups: Mapping[str, str]) -> None:
        self.fields = fields
        self.groups = groups

    def expr(self, node: Node) -> pl.Expr:
        if isinstance(node, NumberLit | StringLit | BoolLit):
            # A full-height column rather than pl.lit: polars 2.1 returns one row
            # for some functions whose first input is a literal (coalesce(0, x),
            # 2.5 ^ x inside a comparison), which then fails to broadcast.
            return pl.repeat(node.value, pl.len(), dtype=_DTYPES[type(node)])
        if isinstance(node, FieldRef):
            return self.field(node.name)
        if isinstance(node, Unary):
            operand = self.expr(node.operand)
            if node.op == "not":
                return ~operand
            return -operand if node.op == "-" else operand
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, InList):
            return self.in_list(node)
        return self.call(node)

    def field(self, name: str) -> pl.Expr:
        kind = self.fields[name]
        column = pl.col(name)
        if kind == "string":
            return column.cast(pl.String)
        if kind == "bool":
            return column.cast(pl.Boolean)
        return finite(column.cast(pl.Float64))

    def binary(self, node: Binary) -> pl.Expr:
        left, right = self.expr(node.left), self.expr(node.right)
        match node.op:
            case "and":
                return left & right
            case "or":
                return left | right
            case "+":
                return finite(left + right)
            case "-":
                return finite(left - right)
            case "*":
                return finite(left * right)
            case "/":
                return safe_div(left, right)
            case _:
                return finite(left.pow(right))

    def compare(self, node: Compare) -> pl.Expr:
        operands = [self.expr(operand) for operand in node.operands]
        closed = _BETWEEN.get(tuple(node.ops))
        if closed is not None:
            low, middle, high = operands if node.ops[0][0] == "<" else operands[::-1]
            return middle.is_between(low, high, closed=closed)
        # Otherwise a < b == c means (a < b) and (b == c).
        result: pl.Expr | None = None
        for op, left, right in zip(node.ops, operands[:-1], operands[1:], strict=True):
            step = _compare(op, left, right)
            result = step if result is None else result & step
        assert result is not None  # the parser builds a Compare with at least one op
        return result

    def in_list(self, node: InList) -> pl.Expr:
        values = [_literal_value(item) for item in node.items]
        dtype = _DTYPES[type(values[0])]
        # implode(): one list of candidates for every row, not a list per row.
        hit = self.expr(node.operand).is_in(pl.lit(pl.Series(values, dtype=dtype)).implode())
        return ~hit if node.negated else hit

    def call(self, node: Call) -> pl.Expr:
        sig = FUNCTIONS[node.name]
        args: list[pl.Expr | int] = []
        for param, arg in zip(
            sig.params + (sig.params[-1],) * len(node.args), node.args, strict=False
        ):
            if param == "digits" and isinstance(arg, NumberLit):
                args.append(int(arg.value))
            else:
                args.append(self.expr(arg))
        result = sig.build(*args)
        if sig.group is None:
            return result
        column = pl.col(self.groups.get(sig.group, sig.group))
        return pl.when(column.is_not_null()).then(result.over(column))


def _compare(op: str, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    match op:
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
        case "==":
            return left == right
        case _:
            return left != right


def _literal_value(node: Node) -> float | str | bool:
    if isinstance(node, Unary) and isinstance(node.operand, NumberLit):
        return -node.operand.value if node.op == "-" else node.operand.value
    assert isinstance(node, NumberLit | StringLit | BoolLit)  # the parser allows no other
    return node.value
