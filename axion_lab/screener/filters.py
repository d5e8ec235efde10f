"""The filter registry: every (field, operator) pair a screen may use, built from fields.

A filter is a field with an operator valid for its dtype, so the registry is derived
from :data:`~axion_lab.fields.FIELD_REGISTRY` and never listed by hand.
:meth:`FilterRegistry.validate` checks a :class:`FilterCondition` against it and
returns the condition normalised (aliases resolved, dates parsed, a field name given
as a value turned into ``ref``), or raises an error that says how to fix it.

Examples
--------
>>> from axion_lab.screener import FILTER_REGISTRY, FilterCondition
>>> len(FILTER_REGISTRY) > 1000, FILTER_REGISTRY.field_count > 100
(True, True)
>>> FILTER_REGISTRY.validate(FilterCondition("close", ">", "sma_200"))
FilterCondition(field='price', op=<Operator.GT: 'gt'>, value=None, ref='sma_200', within='universe')
>>> FILTER_REGISTRY.validate(FilterCondition("dividend_yield", ">", 5))
Traceback (most recent call last):
...
axion_lab.exceptions.InputError: dividend_yield > 5: 5 is outside the plausible range [0, 1] ...
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from axion_lab.data.market import to_date
from axion_lab.exceptions import DateRangeError, InputError, UnknownNameError
from axion_lab.fields import FIELD_REGISTRY, Field, FieldRegistry
from axion_lab.screener.config import (
    COMPARISON_OPS,
    CROSS_OPS,
    RANK_OPS,
    REF_OPS,
    VALUELESS_OPS,
    Operator,
    operators_for_dtype,
)
from axion_lab.screener.models import FilterCondition

__all__ = ["FILTER_REGISTRY", "FilterRegistry", "FilterSpec", "dtype_of_polars"]

_UNIT_HELP: Final = {
    "fraction": "it is stored as a fraction (0.05 means 5%)",
    "percent": "it is on a 0-100 scale",
}


def dtype_of_polars(dtype: pl.DataType) -> str:
    """The field dtype name (``"float"``, ``"str"``...) for a polars dtype."""
    if dtype.is_float():
        return "float"
    if dtype.is_integer():
        return "int"
    if dtype == pl.Boolean:
        return "bool"
    if dtype == pl.Date or dtype.is_temporal():
        return "date"
    if isinstance(dtype, pl.List):
        return "list[str]"
    return "str"


@dataclass(frozen=True)
class FilterSpec:
    """The operators one field accepts."""

    field: str
    dtype: str
    unit: str
    operators: tuple[Operator, ...]
    definition: Field | None = None


def _fmt(x: float | None) -> str:
    return "-inf" if x is None else f"{x:g}"


class FilterRegistry:
    """Every valid (field, operator) pair, derived from a field registry."""

    def __init__(self, fields: FieldRegistry = FIELD_REGISTRY) -> None:
        self.fields = fields
        self._specs = {
            f.id: FilterSpec(f.id, f.dtype, f.unit, operators_for_dtype(f.dtype), f) for f in fields
        }

    def __len__(self) -> int:
        """The number of (field, operator) filters."""
        return sum(len(s.operators) for s in self._specs.values())

    def __repr__(self) -> str:
        return f"<FilterRegistry: {len(self)} filters over {self.field_count} fields>"

    @property
    def field_count(self) -> int:
        """The number of filterable fields."""
        return len(self._specs)

    def get(self, name: str) -> FilterSpec:
        """The filter spec of a field id or alias (raises with suggestions)."""
        return self._specs[self.fields.resolve(name)]

    def to_frame(self) -> pl.DataFrame:
        """One row per field: id, category, dtype, unit and its operators."""
        return pl.DataFrame(
            [
                {
                    "field": s.field,
                    "category": str(s.definition.category) if s.definition else None,
                    "dtype": s.dtype,
                    "unit": s.unit,
                    "operators": [o.value for o in s.operators],
                }
                for s in self._specs.values()
            ]
        )

    # --- validation ------------------------------------------------------------------
    def _spec(self, name: str, schema: Mapping[str, pl.DataType] | None) -> FilterSpec:
        fid = self.fields.resolve_or_none(name)
        if fid is not None:
            return self._specs[fid]
        if schema is not None and name in schema:
            dtype = dtype_of_polars(schema[name])
            return FilterSpec(name, dtype, "", operators_for_dtype(dtype))
        choices = [*self.fields.ids, *(schema or {})]
        raise UnknownNameError.for_name(
            "field", name, choices, hint="See FIELD_REGISTRY.search('...') for field ids."
        )

    def validate(
        self,
        cond: FilterCondition,
        schema: Mapping[str, pl.DataType] | None = None,
    ) -> FilterCondition:
        """Check ``cond`` and return it normalised; raise :class:`InputError` if it is wrong.

        ``schema`` lets a hand-made snapshot filter on columns the registry lacks.
        """
        spec = self._spec(cond.field, schema)
        op, value, ref = cond.op, cond.value, cond.ref
        where = f"{cond.field} {op.symbol} {value if ref is None else ref}".strip()
        if op not in spec.operators:
            kind = {"str": "text", "list[str]": "list", "bool": "true/false"}.get(
                spec.dtype, spec.dtype
            )
            valid = ", ".join(o.value for o in spec.operators)
            raise InputError(
                f"{where}: operator {op.value!r} does not apply to {spec.field!r}, a {kind} "
                f"field. Use one of: {valid}."
            )
        names_field = isinstance(value, str) and (
            self.fields.resolve_or_none(value) is not None
            or (schema is not None and value in schema)
        )
        if ref is None and names_field and op in REF_OPS and spec.dtype != "str":
            ref, value = value, None
        if ref is not None:
            ref = self._check_ref(where, spec, op, ref, schema)
        if cond.within != "universe" and op not in RANK_OPS:
            raise InputError(f"{where}: within={cond.within!r} only applies to rank operators.")
        value = self._check_value(where, spec, op, value, ref=ref)
        return dataclasses.replace(cond, field=spec.field, value=value, ref=ref)

    def _check_ref(
        self,
        where: str,
        spec: FilterSpec,
        op: Operator,
        ref: str,
        schema: Mapping[str, pl.DataType] | None,
    ) -> str:
        if op not in REF_OPS:
            raise InputError(f"{where}: operator {op.value!r} cannot compare with another field.")
        other = self._spec(ref, schema)
        groups = {"float": "number", "int": "number"}
        if groups.get(other.dtype, other.dtype) != groups.get(spec.dtype, spec.dtype):
            raise InputError(
                f"{where}: cannot compare {spec.field!r} ({spec.dtype}) with {other.field!r} "
                f"({other.dtype})."
            )
        return other.field

    def _check_value(
        self,
        where: str,
        spec: FilterSpec,
        op: Operator,
        value: Any,
        *,
        ref: str | None,
    ) -> Any:
        if op in VALUELESS_OPS or (ref is not None and op in COMPARISON_OPS | CROSS_OPS):
            if value is not None:
                raise InputError(f"{where}: {op.value} takes no value here; drop value={value!r}.")
            return None
        if op in (Operator.PCT_ABOVE, Operator.PCT_BELOW):
            if ref is None:
                raise InputError(f"{where}: {op.value} needs ref=<field>, e.g. ref='sma_200'.")
            pct = self._number(where, value)
            if not 0 <= pct < 2:
                raise InputError(
                    f"{where}: the percentage is a fraction (0.05 means 5%), got {value!r}; "
                    f"did you mean {pct / 100:g}?"
                )
            return pct
        if op in (Operator.TOP_N, Operator.BOTTOM_N):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"{where}: {op.value} needs a positive whole number N.")
            return value
        if op in (Operator.PERCENTILE_ABOVE, Operator.PERCENTILE_BELOW):
            pct = self._number(where, value)
            if not 0 <= pct <= 100:
                raise InputError(f"{where}: a percentile is between 0 and 100, got {value!r}.")
            if 0 < pct < 1:
                raise InputError(
                    f"{where}: percentiles are on a 0-100 scale; did you mean {pct * 100:g}?"
                )
            return pct
        if op in (Operator.BETWEEN, Operator.NOT_BETWEEN):
            if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
                raise InputError(f"{where}: {op.value} needs two values (low, high).")
            lo, hi = (self._scalar(where, spec, v) for v in value)
            if lo > hi:
                raise InputError(f"{where}: the low bound {lo!r} is above the high {hi!r}.")
            return (lo, hi)
        if op in (Operator.IN, Operator.NOT_IN):
            if not isinstance(value, Sequence) or isinstance(value, str) or not value:
                raise InputError(f"{where}: {op.value} needs a non-empty list of values.")
            return tuple(self._scalar(where, spec, v, element=True) for v in value)
        if value is None:
            raise InputError(
                f"{where}: {op.value} needs a value; use is_null / not_null for missing values."
            )
        return self._scalar(where, spec, value)

    @staticmethod
    def _number(where: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"{where}: expected a number, got {value!r}.")
        return float(value)

    def _scalar(self, where: str, spec: FilterSpec, value: Any, *, element: bool = False) -> Any:
        dtype = spec.dtype
        if dtype in ("float", "int"):
            number = self._number(where, value)
            self._check_unit(where, spec, number)
            return value
        if dtype == "date":
            if isinstance(value, dt.date | str):
                try:
                    return to_date(value, what="date")
                except DateRangeError as exc:
                    raise InputError(f"{where}: {exc}") from exc
            raise InputError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}.")
        if dtype == "bool":
            if not isinstance(value, bool):
                raise InputError(f"{where}: expected true or false, got {value!r}.")
            return value
        if not isinstance(value, str):
            what = "list of strings" if dtype == "list[str]" or element else "string"
            raise InputError(f"{where}: expected a {what}, got {value!r}.")
        return value

    @staticmethod
    def _check_unit(where: str, spec: FilterSpec, value: float) -> None:
        f = spec.definition
        if f is None or f.valid_range is None:
            return
        lo, hi = f.valid_range
        if (lo is None or value >= lo) and (hi is None or value <= hi):
            return
        why = _UNIT_HELP.get(f.unit, f"its unit is {f.unit}")
        hint = ""
        if (
            f.unit == "fraction"
            and (lo is None or value / 100 >= lo)
            and (hi is None or value / 100 <= hi)
        ):
            hint = f" Did you mean {value / 100:g}?"
        raise InputError(
            f"{where}: {value:g} is outside the plausible range [{_fmt(lo)}, "
            f"{_fmt(hi) if hi is not None else 'inf'}] for {f.id}; {why}.{hint}"
        )


FILTER_REGISTRY: Final = FilterRegistry()
"""Every (field, operator) filter over :data:`~axion_lab.fields.FIELD_REGISTRY`."""
