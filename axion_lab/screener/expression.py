"""Custom formulas for the screener: a small, safe language compiled to polars.

A formula is either a **filter** (a condition, ``kind == "bool"``) or a **computed
column** to sort by (``kind == "number"``)::

    0 < pe_ratio < 15 and roe > 15% and sector != "Financials"
    sector_relative(pe_ratio) < 0.8 or rank(dividend_yield) >= 0.9
    zscore(log(market_cap)) + 2 * sector_zscore(roe)

The text is read by a hand-written tokenizer and recursive-descent parser; no user
text ever reaches ``eval``, ``exec`` or Python's ``ast``. Names resolve only to the
fields the parser was given and to a fixed list of functions, so ``open("x")``,
``__import__('os')`` and ``().__class__`` are errors, not code.

Language summary
----------------
- values: numbers (``1``, ``1.5``, ``1e-3``, ``1_000``, ``5%`` = 0.05, ``2b`` = 2e9),
  text in quotes, ``true``/``false``, field ids (```odd name``` in backticks)
- operators, loosest first: ``or``/``||``; ``and``/``&&``; ``not``/``!``;
  comparisons ``< <= > >= == !=`` (``=`` and ``<>`` too), chained as in
  ``0 < x < 15``, and ``x in (a, b)`` / ``x not in (...)``; ``+ -``; ``* /``; unary
  ``-``; ``^`` (or ``**``, right-associative; ``-2^2 = -4``)
- keywords and function names are case-insensitive; field ids are not
- functions: see :data:`~axion_lab.screener.expression_functions.FUNCTIONS`
  (``ExpressionParser.functions`` lists them with a summary)

Missing values: numbers never become NaN or infinite (``x / 0``, ``log(0)`` and NaN
in the data are null), a comparison with null is null, and a filter drops rows
whose condition is null.

Examples
--------
>>> import polars as pl
>>> parser = ExpressionParser({"pe_ratio": "float", "roe": "float", "sector": "str"})
>>> f = parser.parse("0 < pe_ratio < 15 AND sector = 'Energy'")
>>> f.kind, sorted(f.fields), str(f)
('bool', ['pe_ratio', 'sector'], '0 < pe_ratio < 15 and sector == "Energy"')
>>> frame = pl.DataFrame({"pe_ratio": [12.0, None, 30.0], "roe": [0.2, 0.1, 0.3],
...                       "sector": ["Energy", "Energy", "Energy"]})
>>> frame.filter(f.to_expr()).height
1
>>> parser.parse("pe_ratoi < 10")
Traceback (most recent call last):
...
axion_lab.exceptions.ExpressionError: Unknown field 'pe_ratoi'. Did you mean 'pe_ratio'?
  pe_ratoi < 10
  ^
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, Self, TypeAlias

import polars as pl

from axion_lab.exceptions import ExpressionError, InputError
from axion_lab.screener.expression_ast import Node, unparse
from axion_lab.screener.expression_checker import check
from axion_lab.screener.expression_compiler import MAX_SIZE, compile_tree, expanded_size
from axion_lab.screener.expression_functions import FUNCTIONS, GROUP_PREFIXES
from axion_lab.screener.expression_lexer import MAX_LENGTH
from axion_lab.screener.expression_parser import MAX_DEPTH, parse_tree

__all__ = ["ExpressionParser", "Formula", "FormulaKind"]

FormulaKind: TypeAlias = Literal["bool", "number"]

# Registry dtype kinds (and polars-ish spellings) to the language's three kinds.
_KINDS = {
    "float": "number", "int": "number", "number": "number", "numeric": "number",
    "str": "string", "string": "string", "text": "string", "category": "string",
    "bool": "bool", "boolean": "bool",
}  # fmt: skip
_WANT = {"bool": "a condition (filter)", "number": "a number (column to sort by)"}


@dataclass(frozen=True)
class Formula:
    """A parsed, checked formula, ready to compile.

    ``fields`` is every column the expression reads: the field ids it names plus the
    group column of any ``sector_*``/``industry_*`` function (``groups`` maps each
    grouping used to that column). ``kind`` is ``"bool"`` for a filter and
    ``"number"`` for a computed column.
    """

    text: str
    ast: Node = field(repr=False)
    kind: FormulaKind
    fields: frozenset[str]
    groups: tuple[tuple[str, str], ...] = ()
    field_kinds: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    def to_expr(self, name: str | None = None) -> pl.Expr:
        """The polars expression, aliased to ``name`` if given.

        A filter's expression is ``fill_null(False)`` at the top, so a row whose
        condition is unknown (a missing value) never passes. A number formula keeps
        its nulls; sort with ``nulls_last=True``.

        Examples
        --------
        >>> import polars as pl
        >>> f = ExpressionParser(["x"]).parse("x > 1")
        >>> pl.DataFrame({"x": [2.0, None, 0.0]}).select(f.to_expr("ok"))["ok"].to_list()
        [True, False, False]
        """
        expr = compile_tree(self.ast, dict(self.field_kinds), dict(self.groups))
        if self.kind == "bool":
            expr = expr.fill_null(False)
        return expr if name is None else expr.alias(name)

    def evaluate(self, frame: pl.DataFrame) -> pl.Series:
        """The formula's value on every row of ``frame`` (named after the text).

        Examples
        --------
        >>> import polars as pl
        >>> f = ExpressionParser(["x"]).parse("rank(x)")
        >>> f.evaluate(pl.DataFrame({"x": [10.0, 30.0, 20.0]})).to_list()
        [0.0, 1.0, 0.5]
        """
        # with_columns broadcasts a constant formula ("1 + 1") to the frame's height.
        return (
            frame.with_columns(self.to_expr("__formula__"))
            .get_column("__formula__")
            .alias(self.text)
        )

    def __str__(self) -> str:
        return unparse(self.ast)


class ExpressionParser:
    """Parse and check formulas over a fixed set of fields.

    Parameters
    ----------
    fields
        Field id -> dtype kind (``"float"``, ``"int"``, ``"str"``, ``"bool"``; other
        kinds, like ``"date"``, are known but cannot be used), or just the ids, which
        are then numeric unless listed in ``text_fields``/``bool_fields``.
    text_fields, bool_fields
        Ids that hold text or true/false values (added to, or overriding, ``fields``).
    group_column, industry_column
        The columns ``sector_*`` and ``industry_*`` functions group by.
    max_length, max_depth
        Caps on formula length (characters) and nesting, against abuse.
    """

    def __init__(
        self,
        fields: Mapping[str, str] | Iterable[str],
        *,
        text_fields: Iterable[str] = (),
        bool_fields: Iterable[str] = (),
        group_column: str = "sector",
        industry_column: str = "industry",
        max_length: int = MAX_LENGTH,
        max_depth: int = MAX_DEPTH,
    ) -> None:
        if isinstance(fields, Mapping):
            kinds = {str(k): _KINDS.get(str(v).lower(), str(v).lower()) for k, v in fields.items()}
        elif isinstance(fields, str):
            raise InputError("fields must be a list of field ids or a mapping, not one string.")
        else:
            kinds = dict.fromkeys(map(str, fields), "number")
        kinds.update(dict.fromkeys(text_fields, "string"))
        kinds.update(dict.fromkeys(bool_fields, "bool"))
        if max_length < 1 or max_depth < 1:
            raise InputError("max_length and max_depth must be positive.")
        self._fields: Mapping[str, str] = MappingProxyType(kinds)
        self._groups = dict(zip(GROUP_PREFIXES, (group_column, industry_column), strict=True))
        self.max_length = max_length
        self.max_depth = max_depth

    @classmethod
    def from_schema(cls, schema: Mapping[str, pl.DataType], **options: Any) -> Self:
        """A parser for a frame's columns, with kinds taken from their dtypes.

        Examples
        --------
        >>> import polars as pl
        >>> frame = pl.DataFrame({"pe": [1.0], "n": [1], "s": ["a"], "ok": [True]})
        >>> dict(ExpressionParser.from_schema(frame.schema).fields)
        {'pe': 'number', 'n': 'number', 's': 'string', 'ok': 'bool'}
        """
        kinds: dict[str, str] = {}
        for name, dtype in schema.items():
            if dtype.is_numeric():
                kinds[name] = "number"
            elif dtype == pl.Boolean:
                kinds[name] = "bool"
            elif dtype in (pl.String, pl.Categorical, pl.Enum) or isinstance(dtype, pl.Enum):
                kinds[name] = "string"
            else:
                kinds[name] = str(dtype).lower()
        return cls(kinds, **options)

    @property
    def fields(self) -> Mapping[str, str]:
        """Field id -> ``"number"``, ``"string"``, ``"bool"`` (or an unusable kind)."""
        return self._fields

    @property
    def functions(self) -> dict[str, str]:
        """Each function's usage (``clip(x, lo, hi)``) -> a one-line summary."""
        return {sig.usage: sig.summary for sig in FUNCTIONS.values()}

    def parse(self, text: str, *, expect: FormulaKind | None = None) -> Formula:
        """Parse and check ``text``; ``expect`` demands a filter or a number.

        Raises
        ------
        ExpressionError
            The first problem, with its position and close-name suggestions.
        """
        formula, problems = self._analyse(text, expect)
        if problems:
            raise problems[0]
        assert formula is not None
        return formula

    def parse_filter(self, text: str) -> Formula:
        """Parse a condition (``kind == "bool"``) to filter on."""
        return self.parse(text, expect="bool")

    def parse_column(self, text: str) -> Formula:
        """Parse a number formula (``kind == "number"``) to compute and sort by."""
        return self.parse(text, expect="number")

    def validate(self, text: str, *, expect: FormulaKind | None = None) -> list[ExpressionError]:
        """Every problem in ``text``, in order of position; empty if it is valid.

        Never raises for bad input: made for validating as the user types. A syntax
        error stops the parse, so it is reported alone.

        Examples
        --------
        >>> parser = ExpressionParser(["pe_ratio", "roe"])
        >>> [(p.position, p.suggestions) for p in parser.validate("pe_ratoi > 1 and rooe > 2")]
        [(0, ['pe_ratio']), (17, ['roe'])]
        """
        return self._analyse(text, expect)[1]

    def _analyse(
        self, text: str, expect: FormulaKind | None
    ) -> tuple[Formula | None, list[ExpressionError]]:
        try:
            tree = parse_tree(text, max_length=self.max_length, max_depth=self.max_depth)
        except ExpressionError as error:
            return None, [error]
        result = check(tree, text, self._fields)
        problems = list(result.errors)
        kind = result.kind
        if not problems and kind == "string":
            problems.append(self._kind_error(text, "gives text", expect))
        elif not problems and expect is not None and kind != expect:
            problems.append(self._kind_error(text, f"is {_WANT[str(kind)]}", expect))
        if not problems and (size := expanded_size(tree)) > MAX_SIZE:
            message = (
                f"The formula is too complex: it compiles to {size:,} operations (the limit "
                f"is {MAX_SIZE:,}); nested if/min/max/clip/rank/zscore calls repeat their "
                "arguments. Simplify it or split it into several formulas."
            )
            problems.append(ExpressionError(message, expression=text, position=0))
        if problems or kind not in ("bool", "number"):
            return None, problems
        groups = tuple((g, self._groups[g]) for g in sorted(result.groups))
        kinds = tuple((f, self._fields[f]) for f in sorted(result.fields))
        columns = result.fields | {column for _, column in groups}
        return Formula(text, tree, kind, columns, groups, kinds), []

    def _kind_error(self, text: str, what: str, expect: FormulaKind | None) -> ExpressionError:
        hints = {
            "bool": "; compare it, e.g. (...) > 0",
            "number": "; turn a condition into a number with if(cond, 1, 0)",
            None: "",
        }
        need = _WANT[expect] if expect else "a condition (filter) or a number"
        message = f"This formula {what}, but {need} is needed{hints[expect]}."
        return ExpressionError(message, expression=text, position=0)
