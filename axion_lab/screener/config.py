"""Screener enums and constants: operators, what each accepts, rank scopes, versions.

Operator semantics (every one but ``IS_NULL`` rejects a missing value):

=================  ===================================================================
``LT`` .. ``GTE``  ``field < value`` (a number, a date, or another field via ``ref``)
``EQ`` / ``NE``    equality; ``NE`` does **not** pass a null
``BETWEEN``        ``lo <= field <= hi`` (inclusive); ``NOT_BETWEEN`` its complement
``IN``/``NOT_IN``  membership in a list; on a list field (``indexes``) any overlap
``IS_NULL``        the value is missing (the only operator a null passes)
``NOT_NULL``       the value is present
``PCT_ABOVE``      ``field >= ref * (1 + value)``: price at least 5 % above sma_200
``PCT_BELOW``      ``field <= ref * (1 - value)``
``CROSSES_ABOVE``  today ``field > level`` and on the previous session ``field <= level``;
                   the level is ``value`` or another field (``ref``)
``CROSSES_BELOW``  the mirror image
``TOP_N``          among the ``N`` largest in the universe (or within each sector or
                   industry); ties at the cut-off are all kept
``BOTTOM_N``       among the ``N`` smallest
``PERCENTILE_*``   percentile rank (0-100: the share of non-null values at or below
                   it) at least / at most ``value``
=================  ===================================================================

Ranks and percentiles are taken over the **universe**, before any other filter, so
the order of filters never changes a result; "the 20 cheapest of the matches" is
``sort_by`` plus ``limit``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

from axion_lab.exceptions import UnknownNameError

__all__ = [
    "COMPARISON_OPS",
    "CROSS_OPS",
    "NUMERIC_ONLY_OPS",
    "RANK_OPS",
    "REF_OPS",
    "SCHEMA_VERSION",
    "SCOPES",
    "VALUELESS_OPS",
    "Operator",
    "Scope",
    "operators_for_dtype",
]

SCHEMA_VERSION: Final = 1
"""Version written into serialised screens; see :mod:`axion_lab.screener.serialize`."""

Scope = Literal["universe", "sector", "industry"]
SCOPES: Final = ("universe", "sector", "industry")


class Operator(StrEnum):
    """Filter operators. ``Operator.parse`` also reads ``<``, ``>=``, ``==``, ``!=``..."""

    LT = "lt"
    LTE = "lte"
    GT = "gt"
    GTE = "gte"
    EQ = "eq"
    NE = "ne"
    BETWEEN = "between"
    NOT_BETWEEN = "not_between"
    IN = "in"
    NOT_IN = "not_in"
    IS_NULL = "is_null"
    NOT_NULL = "not_null"
    PCT_ABOVE = "pct_above"
    PCT_BELOW = "pct_below"
    CROSSES_ABOVE = "crosses_above"
    CROSSES_BELOW = "crosses_below"
    TOP_N = "top_n"
    BOTTOM_N = "bottom_n"
    PERCENTILE_ABOVE = "percentile_above"
    PERCENTILE_BELOW = "percentile_below"

    @classmethod
    def parse(cls, value: Operator | str) -> Operator:
        """Read an operator from its name, value or symbol.

        Examples
        --------
        >>> Operator.parse(">="), Operator.parse("NOT_IN")
        (<Operator.GTE: 'gte'>, <Operator.NOT_IN: 'not_in'>)
        >>> Operator.parse("crosses above")
        <Operator.CROSSES_ABOVE: 'crosses_above'>
        """
        if isinstance(value, Operator):
            return value
        text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        text = _SYMBOLS.get(text, text)
        try:
            return cls(text)
        except ValueError:
            raise UnknownNameError.for_name(
                "operator", str(value), [*(o.value for o in cls), *_SYMBOLS]
            ) from None

    @property
    def symbol(self) -> str:
        """How the operator reads in a sentence: ``<``, ``between``, ``crosses above``."""
        return _DISPLAY.get(self, self.value.replace("_", " "))


_SYMBOLS: Final = {
    "<": "lt",
    "<=": "lte",
    ">": "gt",
    ">=": "gte",
    "=": "eq",
    "==": "eq",
    "!=": "ne",
    "<>": "ne",
    "not_equal": "ne",
    "isnull": "is_null",
    "notnull": "not_null",
    "is_not_null": "not_null",
    "in_range": "between",
    "not_in_range": "not_between",
}
_DISPLAY: Final = {
    Operator.LT: "<",
    Operator.LTE: "<=",
    Operator.GT: ">",
    Operator.GTE: ">=",
    Operator.EQ: "==",
    Operator.NE: "!=",
}

COMPARISON_OPS: Final = frozenset(
    {Operator.LT, Operator.LTE, Operator.GT, Operator.GTE, Operator.EQ, Operator.NE}
)
RANK_OPS: Final = frozenset(
    {Operator.TOP_N, Operator.BOTTOM_N, Operator.PERCENTILE_ABOVE, Operator.PERCENTILE_BELOW}
)
CROSS_OPS: Final = frozenset({Operator.CROSSES_ABOVE, Operator.CROSSES_BELOW})
REF_OPS: Final = frozenset({*COMPARISON_OPS, *CROSS_OPS, Operator.PCT_ABOVE, Operator.PCT_BELOW})
"""Operators that may compare with another field (``ref``)."""
VALUELESS_OPS: Final = frozenset({Operator.IS_NULL, Operator.NOT_NULL})
NUMERIC_ONLY_OPS: Final = frozenset({*RANK_OPS, *CROSS_OPS, Operator.PCT_ABOVE, Operator.PCT_BELOW})

_ORDERED = (
    Operator.LT,
    Operator.LTE,
    Operator.GT,
    Operator.GTE,
    Operator.EQ,
    Operator.NE,
    Operator.BETWEEN,
    Operator.NOT_BETWEEN,
)
_NULLS = (Operator.IS_NULL, Operator.NOT_NULL)
_BY_DTYPE: Final[dict[str, tuple[Operator, ...]]] = {
    "float": (*_ORDERED, Operator.IN, Operator.NOT_IN, *_NULLS, *sorted(NUMERIC_ONLY_OPS)),
    "int": (*_ORDERED, Operator.IN, Operator.NOT_IN, *_NULLS, *sorted(NUMERIC_ONLY_OPS)),
    "date": (*_ORDERED, *_NULLS),
    "str": (Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN, *_NULLS),
    "bool": (Operator.EQ, Operator.NE, *_NULLS),
    "list[str]": (Operator.IN, Operator.NOT_IN, *_NULLS),
}


def operators_for_dtype(dtype: str) -> tuple[Operator, ...]:
    """The operators valid for a field of ``dtype`` (``"float"``, ``"str"``...).

    Examples
    --------
    >>> [o.value for o in operators_for_dtype("str")]
    ['eq', 'ne', 'in', 'not_in', 'is_null', 'not_null']
    """
    return _BY_DTYPE[dtype]
