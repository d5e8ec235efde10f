"""Name resolution and type checking of a parsed formula.

Three kinds of value exist: numbers, conditions (``bool``) and text (``string``).
The checker walks the tree once, resolving each name against the known fields and
the function whitelist, and collects every problem it finds (so a live editor can
underline all of them). After an error it carries on with the kind unknown, which
keeps one mistake from reporting a cascade of others.

Examples
--------
>>> from axion_lab.screener.expression_parser import parse_tree
>>> text = "pe_ratoi < 10 and roe"
>>> result = check(parse_tree(text), text, {"pe_ratio": "number", "roe": "number"})
>>> [(e.position, e.message) for e in result.errors]  # doctest: +NORMALIZE_WHITESPACE
[(0, "Unknown field 'pe_ratoi'. Did you mean 'pe_ratio'?"),
 (18, "'and' combines conditions, but roe is a number; compare it, e.g. roe > 0.")]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from axion_lab.exceptions import ExpressionError, closest
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
    unparse,
)
from axion_lab.screener.expression_functions import FUNCTIONS, Kind, Signature

__all__ = ["CheckResult", "check"]

_PHRASE = {"number": "a number", "bool": "a condition (true/false)", "string": "text"}
_ORDERING = frozenset({"<", "<=", ">", ">="})
_MAX_DIGITS = 15


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The kind of the whole formula (None if unknown), the fields and groupings it
    uses, and every problem found, in order of position."""

    kind: Kind | None
    fields: frozenset[str]
    groups: frozenset[str]
    errors: tuple[ExpressionError, ...]


def check(node: Node, text: str, fields: Mapping[str, str]) -> CheckResult:
    """Resolve names and check kinds in ``node`` (parsed from ``text``).

    ``fields`` maps each field id to ``"number"``, ``"bool"`` or ``"string"``; any
    other value marks a field that exists but cannot be used in formulas (dates).
    """
    checker = _Checker(text, fields)
    kind = checker.visit(node)
    errors = sorted(checker.errors, key=lambda e: e.position or 0)
    return CheckResult(kind, frozenset(checker.used), frozenset(checker.groups), tuple(errors))


def snippet(node: Node, limit: int = 30) -> str:
    """A node's text for an error message, shortened if long."""
    text = unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def did_you_mean(suggestions: list[str]) -> str:
    """`` Did you mean 'a', 'b'?`` or nothing."""
    if not suggestions:
        return ""
    return " Did you mean " + ", ".join(repr(s) for s in suggestions) + "?"


class _Checker:
    def __init__(self, text: str, fields: Mapping[str, str]) -> None:
        self.text = text
        self.fields = fields
        self.errors: list[ExpressionError] = []
        self.used: set[str] = set()
        self.groups: set[str] = set()
        self.enclosing_group: Call | None = None

    def fail(self, message: str, at: Node | int, suggestions: list[str] | None = None) -> None:
        position = at if isinstance(at, int) else at.pos
        self.errors.append(
            ExpressionError(
                message, expression=self.text, position=position, suggestions=suggestions
            )
        )

    def want(self, node: Node, kind: Kind | None, wanted: Kind, why: str) -> None:
        if kind is not None and kind != wanted:
            self.fail(f"{why}, but {snippet(node)} is {_PHRASE[kind]}.", node)

    def visit(self, node: Node) -> Kind | None:
        if isinstance(node, NumberLit):
            return "number"
        if isinstance(node, StringLit):
            return "string"
        if isinstance(node, BoolLit):
            return "bool"
        if isinstance(node, FieldRef):
            return self.field(node)
        if isinstance(node, Unary):
            kind = self.visit(node.operand)
            if node.op == "not":
                self.want(node.operand, kind, "bool", "'not' applies to a condition")
                return "bool"
            self.want(node.operand, kind, "number", f"'{node.op}' applies to a number")
            return "number"
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, InList):
            return self.in_list(node)
        return self.call(node)

    def field(self, node: FieldRef) -> Kind | None:
        kind = self.fields.get(node.name)
        if kind is None:
            if node.name.lower() in FUNCTIONS:
                self.fail(f"{node.name!r} is a function; call it as {node.name}(...).", node)
                return None
            suggestions = closest(node.name, self.fields)
            message = f"Unknown field {node.name!r}.{did_you_mean(suggestions)}"
            if not suggestions and 0 < len(self.fields) <= 12:
                message += " Known fields: " + ", ".join(sorted(self.fields)) + "."
            self.fail(message, node, suggestions)
            return None
        self.used.add(node.name)
        if kind not in _PHRASE:
            self.fail(f"Field {node.name!r} holds {kind} values, which formulas cannot use.", node)
            return None
        return kind  # type: ignore[return-value]

    def binary(self, node: Binary) -> Kind:
        left, right = self.visit(node.left), self.visit(node.right)
        if node.op in ("and", "or"):
            for side, kind in ((node.left, left), (node.right, right)):
                if kind is not None and kind != "bool":
                    self.fail(
                        f"'{node.op}' combines conditions, but {snippet(side)} is "
                        f"{_PHRASE[kind]}; compare it, e.g. {snippet(side)} > 0.",
                        side,
                    )
            return "bool"
        for side, kind in ((node.left, left), (node.right, right)):
            self.want(side, kind, "number", f"'{node.op}' needs numbers")
        return "number"

    def compare(self, node: Compare) -> Kind:
        kinds = [self.visit(operand) for operand in node.operands]
        pairs = zip(node.ops, node.op_positions, kinds[:-1], kinds[1:], strict=True)
        for op, op_pos, left, right in pairs:
            if left is None or right is None:
                continue
            if op in _ORDERING and "number" not in (left, right) and left == right:
                self.fail(
                    f"{_PHRASE[left].capitalize()} can only be compared with == or !=.", op_pos
                )
            elif op in _ORDERING and (left != "number" or right != "number"):
                odd = left if left != "number" else right
                self.fail(f"'{op}' compares numbers, but one side is {_PHRASE[odd]}.", op_pos)
            elif left != right:
                self.fail(f"Cannot compare {_PHRASE[left]} with {_PHRASE[right]}.", op_pos)
        return "bool"

    def in_list(self, node: InList) -> Kind:
        kind = self.visit(node.operand)
        for item in node.items:
            item_kind = self.visit(item)
            if kind is not None and item_kind is not None and item_kind != kind:
                self.fail(
                    f"The list holds {_PHRASE[item_kind]}, but {snippet(node.operand)} is "
                    f"{_PHRASE[kind]}.",
                    item,
                )
        return "bool"

    def call(self, node: Call) -> Kind | None:
        sig = FUNCTIONS.get(node.name)
        if sig is None:
            for arg in node.args:
                self.visit(arg)
            if node.name in self.fields:
                self.fail(f"{node.name!r} is a field, not a function; drop the parentheses.", node)
                return None
            suggestions = closest(node.name, FUNCTIONS)
            message = f"Unknown function {node.name!r}.{did_you_mean(suggestions)}"
            if not suggestions:
                message += " Functions: " + ", ".join(sorted(FUNCTIONS)) + "."
            self.fail(message, node, suggestions)
            return None
        if sig.window is not None and self.enclosing_group is not None:
            outer = self.enclosing_group.name
            self.fail(
                f"{node.name}() cannot be used inside {outer}(): {outer} evaluates its "
                f"argument group by group, so {node.name} would not see the whole universe.",
                node,
            )
        if sig.group is not None:
            self.groups.add(sig.group)
        count = len(node.args)
        most = None if sig.variadic else len(sig.params)
        if count < sig.min_args or (most is not None and count > most):
            wanted = (
                f"at least {sig.min_args}"
                if most is None
                else (str(most) if sig.min_args == most else f"{sig.min_args} to {most}")
            )
            plural = "" if wanted == "1" else "s"
            self.fail(
                f"{node.name}() takes {wanted} argument{plural}, got {count}: write {sig.usage}.",
                node,
            )
        return self.arguments(node, sig)

    def arguments(self, node: Call, sig: Signature) -> Kind | None:
        outer = self.enclosing_group
        if sig.window == "group":
            self.enclosing_group = node
        same: Kind | None = None
        for index, arg in enumerate(node.args):
            param = sig.params[min(index, len(sig.params) - 1)]
            kind = self.visit(arg)
            why = f"Argument {index + 1} of {sig.name}() must be"
            if param in _PHRASE:
                self.want(arg, kind, cast(Kind, param), f"{why} {_PHRASE[param]}")
            elif param == "digits":
                if not _is_digits(arg):
                    self.fail(f"{why} a whole number of decimals from 0 to {_MAX_DIGITS}.", arg)
            elif param == "same" and kind is not None:
                if same is None:
                    same = kind
                elif kind != same:
                    self.fail(f"{why} {_PHRASE[same]} like the others, not {_PHRASE[kind]}.", arg)
        self.enclosing_group = outer
        return same if sig.result == "same" else sig.result


def _is_digits(node: Node) -> bool:
    return (
        isinstance(node, NumberLit) and node.value.is_integer() and 0 <= node.value <= _MAX_DIGITS
    )
