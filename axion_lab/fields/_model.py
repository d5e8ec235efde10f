"""The :class:`Field` record: one screenable quantity, defined once.

Units
-----
One convention for everything that reads a field (screener, panels, formulas,
copilot tools):

``fraction``
    Percent-like quantities are stored as **fractions**: a dividend yield of 5 % is
    ``0.05``, a 12 % margin ``0.12``, a 3 % one-day move ``0.03``. Displays multiply by
    100 and add ``%``. Write ``dividend_yield > 0.05`` (the formula language also
    reads ``5%`` as ``0.05``).
``percent``
    Only oscillators and rates that TA-Lib defines on a 0-100 scale (RSI, ADX,
    stochastics, MFI, Williams %R, ROC). ``rsi_14 < 30`` means 30 on that scale.
``ratio``
    Multiples and dimensionless ratios: P/E ``15.2``, current ratio ``1.8``, beta.
``price`` / ``money``
    Per-share amounts / totals in the instrument's currency (the sandbox is USD).
``shares``, ``count``, ``days``, ``years``, ``score``
    Share counts, plain counts, durations, and scores on their own scale (analyst
    rating 1 = strong buy .. 5 = strong sell, CCI, Altman Z).
``text``, ``flag``, ``date``, ``list``
    Non-numeric fields.

Fundamentals
------------
``basis`` says which statements a fundamentals-derived field uses: ``"TTM"`` is the
sum of the last four **published** quarters (flow items: revenue, earnings, cash
flow), ``"MRQ"`` the most recent published quarter (stock items: assets, debt,
equity), ``"TTM/MRQ"`` a ratio of one over the other (ROE: TTM net income over MRQ
equity). Only quarters published on or before the as-of date count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Literal

import polars as pl

__all__ = [
    "DTYPES",
    "UNITS",
    "Basis",
    "Dtype",
    "Field",
    "FieldCategory",
    "Source",
    "Unit",
    "derived_field",
    "source_field",
]

Dtype = Literal["float", "int", "str", "bool", "date", "list[str]"]
DTYPES: Final[tuple[str, ...]] = ("float", "int", "str", "bool", "date", "list[str]")

Unit = Literal[
    "fraction",
    "percent",
    "ratio",
    "price",
    "money",
    "shares",
    "count",
    "days",
    "years",
    "score",
    "text",
    "flag",
    "date",
    "list",
]
UNITS: Final[tuple[str, ...]] = (
    "fraction",
    "percent",
    "ratio",
    "price",
    "money",
    "shares",
    "count",
    "days",
    "years",
    "score",
    "text",
    "flag",
    "date",
    "list",
)

Basis = Literal["TTM", "MRQ", "TTM/MRQ"]

Source = Literal[
    "instruments",
    "prices",
    "technical",
    "fundamentals",
    "dividends",
    "ownership",
    "short_interest",
    "ratings",
    "derived",
]
"""Where a field's numbers come from; ``derived`` fields are expressions over others."""

_POLARS_DTYPES: Final[dict[str, pl.DataType]] = {
    "float": pl.Float64(),
    "int": pl.Int64(),
    "str": pl.String(),
    "bool": pl.Boolean(),
    "date": pl.Date(),
    "list[str]": pl.List(pl.String()),
}


class FieldCategory(StrEnum):
    """The groups fields are listed under (drop-downs, docs, copilot tool schemas)."""

    DESCRIPTIVE = "descriptive"
    MARKET = "market"
    FUNDAMENTALS = "fundamentals"
    VALUATION = "valuation"
    GROWTH = "growth"
    PROFITABILITY = "profitability"
    FINANCIAL_HEALTH = "financial_health"
    DIVIDENDS = "dividends"
    OWNERSHIP = "ownership"
    ANALYST = "analyst"
    PERFORMANCE = "performance"
    TECHNICAL = "technical"


@dataclass(frozen=True, eq=False)
class Field:
    """One screenable quantity.

    Attributes
    ----------
    id
        snake_case name: the snapshot column, the filter key and the formula identifier.
    label
        Human name for tables and drop-downs.
    category, dtype, unit
        See :class:`FieldCategory` and the module docstring for the unit convention.
    description
        What it means and how it is computed, in one or two sentences.
    source
        ``"derived"`` fields are :attr:`expr` over other fields; every other source
        names the builder in :mod:`axion_lab.fields._sources` that fills the column.
    expr
        For derived fields: a polars expression over other field ids.
    basis
        ``"TTM"``, ``"MRQ"`` or ``"TTM/MRQ"`` for fundamentals-derived fields.
    valid_range
        Plausible ``(low, high)`` bounds (either may be None) used to catch unit
        mistakes in filters, e.g. ``dividend_yield > 5`` when yields are fractions.
    indicator
        For technical fields, the indicator spec (``SMA(window=50)``) that computes it.
    history_days
        Calendar days of bars before the as-of date the field needs.
    """

    id: str
    label: str
    category: FieldCategory
    dtype: Dtype
    unit: Unit
    description: str
    source: Source
    expr: pl.Expr | None = field(default=None, repr=False)
    basis: Basis | None = None
    valid_range: tuple[float | None, float | None] | None = None
    indicator: Any = field(default=None, repr=False)
    history_days: int = 0

    def __post_init__(self) -> None:
        if self.source == "derived" and self.expr is None:
            raise ValueError(f"Derived field {self.id!r} needs an expression.")

    @property
    def depends(self) -> tuple[str, ...]:
        """Field ids a derived field's expression reads (empty for source fields)."""
        if self.expr is None:
            return ()
        return tuple(dict.fromkeys(self.expr.meta.root_names()))

    @property
    def polars_dtype(self) -> pl.DataType:
        """The snapshot column's polars dtype."""
        return _POLARS_DTYPES[self.dtype]

    @property
    def is_numeric(self) -> bool:
        """True for ``float`` and ``int`` fields."""
        return self.dtype in ("float", "int")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (no expression objects)."""
        return {
            "id": self.id,
            "label": self.label,
            "category": str(self.category),
            "dtype": self.dtype,
            "unit": self.unit,
            "description": self.description,
            "source": self.source,
            "basis": self.basis,
            "depends": list(self.depends),
            "valid_range": list(self.valid_range) if self.valid_range else None,
        }

    def json_schema(self) -> dict[str, Any]:
        """A JSON-Schema fragment for a value of this field (tool schemas, forms)."""
        kinds: dict[str, dict[str, Any]] = {
            "float": {"type": "number"},
            "int": {"type": "integer"},
            "str": {"type": "string"},
            "bool": {"type": "boolean"},
            "date": {"type": "string", "format": "date"},
            "list[str]": {"type": "array", "items": {"type": "string"}},
        }
        schema = dict(kinds[self.dtype])
        unit_note = f" Unit: {self.unit}."
        if self.unit == "fraction":
            unit_note = " Unit: fraction (0.05 means 5%)."
        schema["title"] = self.label
        schema["description"] = self.description + unit_note
        if self.valid_range:
            lo, hi = self.valid_range
            if lo is not None:
                schema["minimum"] = lo
            if hi is not None:
                schema["maximum"] = hi
        return schema


def source_field(
    id: str,
    label: str,
    category: FieldCategory,
    source: Source,
    description: str,
    *,
    dtype: Dtype = "float",
    unit: Unit = "ratio",
    **options: Any,
) -> Field:
    """A field whose column a source builder fills (catalog shorthand)."""
    return Field(id, label, category, dtype, unit, description, source, **options)


def derived_field(
    id: str,
    label: str,
    category: FieldCategory,
    expr: pl.Expr,
    description: str,
    *,
    dtype: Dtype = "float",
    unit: Unit = "ratio",
    **options: Any,
) -> Field:
    """A field computed as a polars expression over other fields (catalog shorthand)."""
    return Field(id, label, category, dtype, unit, description, "derived", expr=expr, **options)
