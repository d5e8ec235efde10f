"""Syntax tree of the custom-formula language, and its canonical printed form.

Nodes are frozen dataclasses. ``pos`` (the 0-based offset where the node's text
starts) and ``depth`` are left out of equality, so two formulas that differ only in
spacing, keyword case or redundant parentheses have equal trees, and
``parse(unparse(tree)) == tree`` holds for every tree the parser builds.

Examples
--------
>>> from axion_lab.screener.expression_parser import parse_tree
>>> print(unparse(parse_tree("(PE_RATIO<15)AND(roe>=10%)  ||  NOT is_null(x)")))
PE_RATIO < 15 and roe >= 0.1 or not is_null(x)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from axion_lab.screener.expression_lexer import _NAME, KEYWORDS

__all__ = [
    "Binary",
    "BoolLit",
    "Call",
    "Compare",
    "FieldRef",
    "InList",
    "Node",
    "NumberLit",
    "StringLit",
    "Unary",
    "children",
    "unparse",
]

# Binding strength, loosest first; the parser and the printer share it.
OR, AND, NOT, COMPARE, ADD, MUL, UNARY, POWER, ATOM = range(1, 10)
BINARY_PRECEDENCE = {"or": OR, "and": AND, "+": ADD, "-": ADD, "*": MUL, "/": MUL, "^": POWER}


@dataclass(frozen=True, slots=True)
class NumberLit:
    """A number literal (never negative: ``-2`` is a :class:`Unary` minus)."""

    value: float
    pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class StringLit:
    """A text literal, compared with text fields: ``sector == "Energy"``."""

    value: str
    pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BoolLit:
    """``true`` or ``false``."""

    value: bool
    pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field id, read from the frame's column of that name."""

    name: str
    pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Unary:
    """``-x``, ``+x`` or ``not x``."""

    op: str
    operand: Node
    pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Binary:
    """``left op right`` for ``+ - * / ^ and or``; ``op_pos`` is the operator's offset."""

    op: str
    left: Node
    right: Node
    pos: int = field(default=0, compare=False)
    op_pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Compare:
    """A comparison, possibly chained: ``0 < pe_ratio < 15`` has two ``ops``."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]
    pos: int = field(default=0, compare=False)
    op_positions: tuple[int, ...] = field(default=(), compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class InList:
    """``x in (a, b, ...)`` or ``x not in (...)``, the items being literals."""

    operand: Node
    items: tuple[Node, ...]
    negated: bool = False
    pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a whitelisted function; ``name`` is lower case."""

    name: str
    args: tuple[Node, ...]
    pos: int = field(default=0, compare=False)
    depth: int = field(default=1, compare=False, repr=False)


Node: TypeAlias = (
    NumberLit | StringLit | BoolLit | FieldRef | Unary | Binary | Compare | InList | Call
)


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of ``node``, left to right."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Compare):
        return node.operands
    if isinstance(node, InList):
        return (node.operand, *node.items)
    if isinstance(node, Call):
        return node.args
    return ()


def precedence(node: Node) -> int:
    """How tightly ``node`` binds; decides where the printer needs parentheses."""
    if isinstance(node, Binary):
        return BINARY_PRECEDENCE[node.op]
    if isinstance(node, Compare | InList):
        return COMPARE
    if isinstance(node, Unary):
        return NOT if node.op == "not" else UNARY
    return ATOM


def unparse(node: Node) -> str:
    """The canonical text of ``node``: lower-case keywords, single spaces, only the
    parentheses the tree needs, numbers in plain decimal."""
    if isinstance(node, NumberLit):
        return format_number(node.value)
    if isinstance(node, StringLit):
        return '"' + node.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(node, BoolLit):
        return "true" if node.value else "false"
    if isinstance(node, FieldRef):
        return format_name(node.name)
    if isinstance(node, Unary):
        if node.op == "not":
            return "not " + _wrap(node.operand, precedence(node.operand) < NOT)
        return node.op + _wrap(node.operand, precedence(node.operand) < UNARY)
    if isinstance(node, Binary):
        own = BINARY_PRECEDENCE[node.op]
        if node.op == "^":
            # Right-associative, and tighter than unary minus on its left: (-2) ^ 2.
            left = _wrap(node.left, precedence(node.left) <= POWER)
            right = _wrap(node.right, precedence(node.right) < UNARY)
        else:
            left = _wrap(node.left, precedence(node.left) < own)
            right = _wrap(node.right, precedence(node.right) <= own)
        return f"{left} {node.op} {right}"
    if isinstance(node, Compare):
        parts = [_wrap(node.operands[0], precedence(node.operands[0]) <= COMPARE)]
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            parts += [op, _wrap(operand, precedence(operand) <= COMPARE)]
        return " ".join(parts)
    if isinstance(node, InList):
        subject = _wrap(node.operand, precedence(node.operand) <= COMPARE)
        keyword = "not in" if node.negated else "in"
        return f"{subject} {keyword} ({', '.join(unparse(i) for i in node.items)})"
    return f"{node.name}({', '.join(unparse(a) for a in node.args)})"


def format_number(value: float) -> str:
    """``15.0`` -> ``"15"``, ``0.05`` -> ``"0.05"``; exact, so it parses back equal."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def format_name(name: str) -> str:
    """A field id as written in a formula: backticked unless it is a plain name."""
    if _NAME.fullmatch(name) and name.lower() not in KEYWORDS:
        return name
    return f"`{name}`"


def _wrap(node: Node, needed: bool) -> str:
    text = unparse(node)
    return f"({text})" if needed else text
