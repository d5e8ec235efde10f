"""Screens as data: conditions, groups, formulas, the universe and the screen itself.

Everything here is a frozen dataclass that serialises to a readable document (see
:mod:`axion_lab.screener.serialize`), so a screen can be saved, diffed and shared.

Examples
--------
>>> from axion_lab.screener import FilterCondition, Screen, any_of
>>> s = Screen("cheap and liquid", filters=(
...     FilterCondition("pe_ratio", "<", 15),
...     FilterCondition("price", "pct_above", 0.05, ref="sma_200"),
...     any_of(FilterCondition("sector", "==", "Energy"),
...            FilterCondition("dividend_yield", ">", 0.03)),
... ))
>>> print(s.describe())
cheap and liquid (equity)
  1. pe_ratio < 15
  2. price pct above sma_200 by 5%
  3. (sector == 'Energy' OR dividend_yield > 0.03)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.screener.config import SCOPES, Operator, Scope

__all__ = [
    "FilterCondition",
    "FilterGroup",
    "FilterNode",
    "FormulaFilter",
    "Screen",
    "Universe",
    "all_of",
    "any_of",
]


@runtime_checkable
class FormulaFilter(Protocol):
    """A compiled custom formula the engine can filter on.

    The formula language (``ExpressionParser``) returns objects with this shape. The
    expression must be boolean over snapshot columns; ``fields`` names the field ids
    it reads so the engine computes them. To be saved in a screen document the object
    should also carry its source text as a ``text`` attribute.
    """

    @property
    def fields(self) -> AbstractSet[str]:
        """Field ids the formula reads."""
        ...

    def to_expr(self) -> pl.Expr:
        """The boolean polars expression."""
        ...


@dataclass(frozen=True, init=False)
class FilterCondition:
    """One test on one field: ``FilterCondition("pe_ratio", "<", 15)``.

    Parameters
    ----------
    field
        A field id or alias (``FIELD_REGISTRY``).
    op
        An :class:`~axion_lab.screener.Operator` or its name / symbol.
    value
        A number, string, bool or date; ``(lo, hi)`` for ``BETWEEN``; a list for ``IN``;
        ``N`` for ``TOP_N``; a fraction for ``PCT_ABOVE`` (``0.05`` is 5 %); a percentile
        0-100 for ``PERCENTILE_*``. For a numeric field, a string naming another field
        means that field (``FilterCondition("price", ">", "sma_200")``).
    ref
        Another field to compare with (comparisons, crosses, ``PCT_ABOVE/BELOW``).
    within
        Ranking scope for ``TOP_N``/``BOTTOM_N``/``PERCENTILE_*``: the universe, or each
        sector or industry.
    """

    field: str
    op: Operator
    value: Any
    ref: str | None
    within: Scope

    def __init__(
        self,
        field: str,
        op: Operator | str,
        value: Any = None,
        ref: str | None = None,
        within: Scope = "universe",
    ) -> None:
        if isinstance(value, list | set | frozenset):
            value = tuple(sorted(value) if isinstance(value, set | frozenset) else value)
        if within not in SCOPES:
            raise InputError(f"within must be one of {list(SCOPES)}, got {within!r}.")
        # A frozen dataclass with a hand-written __init__: the operator may be given as
        # text ("<", "between") and is stored as an Operator.
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "op", Operator.parse(op))
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "ref", ref)
        object.__setattr__(self, "within", within)

    @property
    def fields(self) -> set[str]:
        """The field ids this condition reads (before alias resolution)."""
        out = {self.field}
        if self.ref:
            out.add(self.ref)
        if self.within != "universe":
            out.add(self.within)
        return out

    def __str__(self) -> str:
        op = self.op
        target = (
            self.ref
            if self.ref
            else repr(self.value)
            if isinstance(self.value, str)
            else self.value
        )
        if op in (Operator.IS_NULL, Operator.NOT_NULL):
            return f"{self.field} {op.symbol}"
        if op in (Operator.PCT_ABOVE, Operator.PCT_BELOW):
            return f"{self.field} {op.symbol} {self.ref} by {float(self.value):.0%}"
        if op in (Operator.BETWEEN, Operator.NOT_BETWEEN):
            lo, hi = self.value
            return f"{self.field} {op.symbol} {lo} and {hi}"
        if op in (Operator.IN, Operator.NOT_IN):
            return f"{self.field} {op.symbol} {list(self.value)}"
        scope = f" within {self.within}" if self.within != "universe" else ""
        return f"{self.field} {op.symbol} {target}{scope}"


@dataclass(frozen=True)
class FilterGroup:
    """Conditions combined with AND (``logic="and"``) or OR; groups nest."""

    items: tuple[FilterNode, ...]
    logic: Literal["and", "or"] = "and"

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        if self.logic not in ("and", "or"):
            raise InputError(f"A group's logic is 'and' or 'or', got {self.logic!r}.")
        if not self.items:
            raise InputError("A filter group needs at least one condition.")

    def __str__(self) -> str:
        joiner = f" {self.logic.upper()} "
        return "(" + joiner.join(str(i) for i in self.items) + ")"


FilterNode = FilterCondition | FilterGroup | FormulaFilter
"""Anything a screen can hold as a filter."""


def all_of(*items: FilterNode) -> FilterGroup:
    """An AND group: every item must pass."""
    return FilterGroup(items, "and")


def any_of(*items: FilterNode) -> FilterGroup:
    """An OR group: at least one item must pass."""
    return FilterGroup(items, "or")


def _tuple(values: str | Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(values)


@dataclass(frozen=True)
class Universe:
    """Which symbols a screen looks at, as of the screen's date.

    Every non-empty criterion must hold: ``Universe(asset_classes=("equity",),
    indexes=("AX500",))`` is the equities in AX500 on the as-of date. Empty
    ``asset_classes`` means any asset class.

    Examples
    --------
    >>> Universe.index("AX500").describe()
    'equity in AX500'
    >>> Universe.of(["AAA", "BBB"]).describe()
    '2 symbols'
    """

    asset_classes: tuple[str, ...] = ("equity",)
    indexes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("asset_classes", "indexes", "sectors", "symbols", "exclude"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        if any(not isinstance(v, str) or not v.strip() for v in self.symbols):
            raise InputError(f"Universe symbols must be non-empty strings, got {self.symbols}.")

    @classmethod
    def equities(cls) -> Universe:
        """Every listed equity."""
        return cls()

    @classmethod
    def etfs(cls) -> Universe:
        """Every listed ETF."""
        return cls(asset_classes=("etf",))

    @classmethod
    def index(cls, *names: str) -> Universe:
        """Equities in any of the named indexes on the as-of date."""
        return cls(indexes=names)

    @classmethod
    def sector(cls, *names: str) -> Universe:
        """Equities in any of the named sectors."""
        return cls(sectors=names)

    @classmethod
    def of(cls, symbols: Iterable[str]) -> Universe:
        """Exactly these symbols (any asset class)."""
        chosen = _tuple(symbols)
        if not chosen:
            raise InputError("Universe.of() needs at least one symbol; the universe is empty.")
        return cls(asset_classes=(), symbols=chosen)

    @property
    def fields(self) -> set[str]:
        """Snapshot columns needed to apply this universe."""
        out = {"symbol"}
        if self.asset_classes:
            out.add("asset_class")
        if self.indexes:
            out.add("indexes")
        if self.sectors:
            out.add("sector")
        return out

    def describe(self) -> str:
        """A short human description."""
        if self.symbols:
            return f"{len(self.symbols)} symbols"
        parts = ["/".join(self.asset_classes) or "all assets"]
        if self.indexes:
            parts.append("in " + "/".join(self.indexes))
        if self.sectors:
            parts.append("in " + ", ".join(self.sectors))
        if self.exclude:
            parts.append(f"excluding {len(self.exclude)}")
        return " ".join(parts)


@dataclass(frozen=True)
class Screen:
    """A named set of filters over a universe, and how to present the matches.

    The top-level ``filters`` are ANDed in order (the funnel reports each step); put
    alternatives in :func:`any_of` groups.
    """

    name: str
    filters: tuple[FilterNode, ...] = ()
    universe: Universe = field(default_factory=Universe)
    description: str = ""
    columns: tuple[str, ...] = ()
    sort_by: str | None = None
    descending: bool = True
    limit: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", tuple(self.filters))
        object.__setattr__(self, "columns", _tuple(self.columns))
        if not self.name.strip():
            raise InputError("A screen needs a name.")
        if self.limit is not None and (isinstance(self.limit, bool) or self.limit < 1):
            raise InputError(f"limit must be a positive integer or None, got {self.limit!r}.")

    def replace(self, **changes: Any) -> Screen:
        """A copy with some attributes changed."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A versioned, JSON-ready document (see :mod:`axion_lab.screener.serialize`)."""
        from axion_lab.screener.serialize import screen_to_dict

        return screen_to_dict(self)

    def to_yaml(self) -> str:
        """The screen as a YAML document."""
        from axion_lab.screener.serialize import screen_to_yaml

        return screen_to_yaml(self)

    @classmethod
    def from_dict(cls, doc: dict[str, Any], **options: Any) -> Screen:
        """Load a document written by :meth:`to_dict` (older versions are migrated)."""
        from axion_lab.screener.serialize import screen_from_dict

        return screen_from_dict(doc, **options)

    @classmethod
    def from_yaml(cls, text: str, **options: Any) -> Screen:
        """Load a YAML document written by :meth:`to_yaml`."""
        from axion_lab.screener.serialize import screen_from_yaml

        return screen_from_yaml(text, **options)

    def describe(self) -> str:
        """The screen as readable text: name, universe and numbered filters."""
        lines = [f"{self.name} ({self.universe.describe()})"]
        lines += [f"  {i}. {_node_text(n)}" for i, n in enumerate(self.filters, 1)]
        return "\n".join(lines)


def _node_text(node: FilterNode) -> str:
    if isinstance(node, FilterCondition | FilterGroup):
        return str(node)
    text = getattr(node, "text", None)
    return f"formula: {text}" if text else f"formula over {sorted(node.fields)}"


def node_fields(nodes: Sequence[FilterNode]) -> set[str]:
    """Every field id (or alias) a list of filter nodes reads."""
    out: set[str] = set()
    for n in nodes:
        if isinstance(n, FilterGroup):
            out |= node_fields(n.items)
        else:
            out |= set(n.fields)
    return out
