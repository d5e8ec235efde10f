"""Recursive-descent parser of the custom-formula language.

Grammar, loosest binding first (every binary operator is left-associative except
``^``)::

    formula    := or_expr END
    or_expr    := and_expr (("or" | "||") and_expr)*
    and_expr   := not_expr (("and" | "&&") not_expr)*
    not_expr   := ("not" | "!") not_expr | comparison
    comparison := additive (CMP additive)*                  chained: 0 < x < 15
                | additive ["not"] "in" list
    additive   := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | power
    power      := primary [("^" | "**") unary]              right-assoc: 2^3^2 = 2^9
    primary    := NUMBER | STRING | "true" | "false" | NAME
                | NAME "(" [or_expr ("," or_expr)*] ")" | "(" or_expr ")"
    list       := ("(" | "[") literal ("," literal)* (")" | "]")
    CMP        := "<" | "<=" | ">" | ">=" | "==" | "=" | "!=" | "<>"

As in Python and in mathematics, ``^`` binds tighter than a unary minus on its left,
so ``-2^2`` is ``-(2^2) = -4``, while ``2^-1`` is ``0.5``.

The parser checks syntax only; which names are fields or functions, and whether
the types fit, is :mod:`axion_lab.screener.expression_checker`'s job.

Examples
--------
>>> parse_tree("-2^2")
Unary(op='-', operand=Binary(op='^', left=NumberLit(value=2.0, pos=1), right=NumberLit(value=2.0, pos=3), pos=1, op_pos=2), pos=0)
>>> parse_tree("pe_ratio <")
Traceback (most recent call last):
...
axion_lab.exceptions.ExpressionError: Expected a value after '<'.
  pe_ratio <
            ^
"""  # noqa: E501

from __future__ import annotations

from axion_lab.exceptions import ExpressionError
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
from axion_lab.screener.expression_lexer import MAX_LENGTH, Token, tokenize

__all__ = ["MAX_DEPTH", "parse_tree"]

MAX_DEPTH = 40
"""Deepest nesting accepted (parentheses, calls, operator chains): the parser and
compiler recurse once per level, and no hand-written screen needs more."""

_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def parse_tree(text: str, *, max_length: int = MAX_LENGTH, max_depth: int = MAX_DEPTH) -> Node:
    """Parse ``text`` into a syntax tree.

    Raises
    ------
    ExpressionError
        At the first syntax error, with its position.
    """
    return _Parser(text, tokenize(text, max_length=max_length), max_depth).parse()


class _Parser:
    def __init__(self, text: str, tokens: list[Token], max_depth: int) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.nesting = 0
        self.max_depth = max_depth

    # -- token helpers -------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tok
        if token.kind != "end":
            self.index += 1
        return token

    def error(self, message: str, position: int | None = None) -> ExpressionError:
        where = self.tok.pos if position is None else position
        return ExpressionError(message, expression=self.text, position=where)

    def expect_close(self, closer: str, opener: Token) -> None:
        if self.tok.is_op(closer):
            self.advance()
            return
        if self.tok.kind == "end":
            raise self.error(
                f"This {opener.text!r} is never closed; add {closer!r}.", position=opener.pos
            )
        raise self.error(f"Expected ',' or {closer!r}, found {describe(self.tok)}.")

    def make(self, node: Node) -> Node:
        depth = 1 + max((child.depth for child in children(node)), default=0)
        if depth > self.max_depth:
            raise self.error(self.too_deep, position=node.pos)
        object.__setattr__(node, "depth", depth)
        return node

    @property
    def too_deep(self) -> str:
        return (
            f"The formula nests too deeply (more than {self.max_depth} levels); "
            "split it into simpler formulas."
        )

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > self.max_depth:
            raise self.error(self.too_deep)

    # -- grammar ----------------------------------------------------------------
    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error("The formula is empty; write a condition such as pe_ratio < 15.")
        node = self.or_expr()
        rest = self.tok
        if rest.kind != "end":
            if rest.is_op(")", "]"):
                raise self.error(f"Unbalanced {rest.text!r}: there is no matching opener.")
            raise self.error(
                f"Expected an operator (such as and, or, +, <) before {describe(rest)}."
            )
        return node

    def or_expr(self) -> Node:
        self.enter()
        left = self.and_expr()
        while self.tok.is_op("or"):
            op = self.advance()
            left = self.make(Binary("or", left, self.and_expr(), pos=left.pos, op_pos=op.pos))
        self.nesting -= 1
        return left

    def and_expr(self) -> Node:
        left = self.not_expr()
        while self.tok.is_op("and"):
            op = self.advance()
            left = self.make(Binary("and", left, self.not_expr(), pos=left.pos, op_pos=op.pos))
        return left

    def not_expr(self) -> Node:
        if self.tok.is_op("not"):
            op = self.advance()
            self.enter()
            operand = self.not_expr()
            self.nesting -= 1
            return self.make(Unary("not", operand, pos=op.pos))
        return self.comparison()

    def comparison(self) -> Node:
        first = self.additive()
        negated = self.tok.is_op("not") and self.peek().is_op("in")
        if negated or self.tok.is_op("in"):
            if negated:
                self.advance()
            self.advance()
            items = self.literal_list()
            return self.make(InList(first, items, negated, pos=first.pos))
        operands, ops, positions = [first], [], []
        while self.tok.kind == "op" and self.tok.value in _COMPARISONS:
            op = self.advance()
            ops.append(str(op.value))
            positions.append(op.pos)
            operands.append(self.additive())
        if not ops:
            return first
        return self.make(
            Compare(tuple(operands), tuple(ops), pos=first.pos, op_positions=tuple(positions))
        )

    def literal_list(self) -> tuple[Node, ...]:
        opener = self.tok
        if not opener.is_op("(", "["):
            raise self.error(
                "Expected a list after 'in', such as ('Energy', 'Utilities'), "
                f"found {describe(opener)}."
            )
        self.advance()
        closer = ")" if opener.value == "(" else "]"
        items: list[Node] = []
        while True:
            start = self.tok
            if start.is_op(closer) and not items:
                raise self.error("The list after 'in' is empty; give at least one value.")
            item = self.unary()
            bare = item.operand if isinstance(item, Unary) and item.op in "+-" else item
            if not isinstance(bare, NumberLit | StringLit | BoolLit):
                raise self.error(
                    "A list after 'in' holds numbers, text or true/false only.", position=start.pos
                )
            items.append(item)
            if not self.tok.is_op(","):
                break
            self.advance()
        self.expect_close(closer, opener)
        return tuple(items)

    def additive(self) -> Node:
        left = self.term()
        while self.tok.is_op("+", "-"):
            op = self.advance()
            right = self.term()
            left = self.make(Binary(str(op.value), left, right, pos=left.pos, op_pos=op.pos))
        return left

    def term(self) -> Node:
        left = self.unary()
        while self.tok.is_op("*", "/"):
            op = self.advance()
            right = self.unary()
            left = self.make(Binary(str(op.value), left, right, pos=left.pos, op_pos=op.pos))
        return left

    def unary(self) -> Node:
        if self.tok.is_op("-", "+"):
            op = self.advance()
            self.enter()
            operand = self.unary()
            self.nesting -= 1
            return self.make(Unary(str(op.value), operand, pos=op.pos))
        return self.power()

    def power(self) -> Node:
        base = self.primary()
        if self.tok.is_op("^"):
            op = self.advance()
            self.enter()
            exponent = self.unary()
            self.nesting -= 1
            return self.make(Binary("^", base, exponent, pos=base.pos, op_pos=op.pos))
        return base

    def primary(self) -> Node:
        token = self.tok
        if token.kind == "number":
            self.advance()
            return NumberLit(float(token.value), pos=token.pos)
        if token.kind == "string":
            self.advance()
            return StringLit(str(token.value), pos=token.pos)
        if token.kind == "keyword" and token.value in ("true", "false"):
            self.advance()
            return BoolLit(token.value == "true", pos=token.pos)
        if token.kind == "name":
            self.advance()
            if self.tok.is_op("(") and not token.text.startswith("`"):
                return self.call(token)
            return FieldRef(str(token.value), pos=token.pos)
        if token.is_op("("):
            self.advance()
            if self.tok.is_op(")"):
                raise self.error("Empty parentheses: put a value or condition inside.")
            node = self.or_expr()
            self.expect_close(")", token)
            return node
        raise self.error(self.missing_value_message(token))

    def call(self, name: Token) -> Node:
        opener = self.advance()
        args: list[Node] = []
        if not self.tok.is_op(")"):
            args.append(self.or_expr())
            while self.tok.is_op(","):
                self.advance()
                args.append(self.or_expr())
        self.expect_close(")", opener)
        return self.make(Call(str(name.value).lower(), tuple(args), pos=name.pos))

    def missing_value_message(self, token: Token) -> str:
        previous = self.tokens[self.index - 1] if self.index else None
        if token.kind == "end":
            return f"Expected a value after {previous.text!r}." if previous else "Empty formula."
        if token.is_op(")", "]", ","):
            return f"Expected a value before {token.text!r}."
        return f"Expected a value, found {describe(token)}."


def describe(token: Token) -> str:
    """How a token is named in an error message."""
    if token.kind == "end":
        return "the end of the formula"
    if token.kind == "string":
        return f"the text {token.text}"
    return repr(token.text)
