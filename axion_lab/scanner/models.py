"""Scanners as data: ``ScanCriterion`` rules, a ``StrengthRule`` and named parameters.

A :class:`Scanner` fires on a bar when **all** its criteria hold on that bar. A
criterion compares an indicator or bar column with a number, a named parameter of
the scanner (so users can override thresholds), or another column, optionally that
column some bars earlier. Null on either side never passes (polars comparisons with
null are null, and a null mask drops the row); NaN never reaches a comparison,
because the indicator panel stores nulls only.

Operators: ``>``, ``>=``, ``<``, ``<=``, ``crosses_above`` (on this bar ``column >
level`` and on the previous bar ``column <= level``) and ``crosses_below``.

Examples
--------
>>> from axion_lab.scanner import ScanCriterion, create_scanner
>>> s = create_scanner("quiet_rsi", [ScanCriterion("rsi_14", "<", param="level")],
...                    params={"level": 40.0}, category="technical", direction="bullish")
>>> print(s.describe())
quiet_rsi (technical, bullish): rsi_14 < level (40)
>>> s.with_params(levle=35)
Traceback (most recent call last):
...
axion_lab.exceptions.UnknownNameError: Unknown parameter of scanner 'quiet_rsi' 'levle'. \
Did you mean 'level'? ...
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import polars as pl

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.scanner.config import Direction, ScanCategory
from axion_lab.scanner.panel import lag
from axion_lab.scanner.result import no_points, struct_list

__all__ = ["OPERATORS", "Param", "ScanCriterion", "Scanner", "StrengthRule", "create_scanner"]

OPERATORS: Final = (">", ">=", "<", "<=", "crosses_above", "crosses_below")


@dataclass(frozen=True)
class ScanCriterion:
    """``column <op> level``, where the level is exactly one of ``value``, ``param``, ``ref``.

    Parameters
    ----------
    column
        A bar column (``close``...) or an indicator column (``rsi_14``, ``gap``...).
    op
        One of :data:`OPERATORS`.
    value
        A fixed number.
    param
        The name of one of the scanner's parameters (overridable by users).
    ref
        Another column, read ``ref_lag`` bars earlier (``ref_lag=1``: the previous bar).
    negate
        Compare with minus the value or parameter (``gap <= -threshold``).
    """

    column: str
    op: str
    value: float | None = None
    param: str | None = None
    ref: str | None = None
    ref_lag: int = 0
    negate: bool = False

    def __post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise UnknownNameError.for_name("scan operator", self.op, OPERATORS)
        given = [x is not None for x in (self.value, self.param, self.ref)]
        if sum(given) != 1:
            raise InputError(
                f"ScanCriterion({self.column!r}, {self.op!r}) needs exactly one of value=, "
                "param= or ref= (a number, a scanner parameter or another column)."
            )
        if self.value is not None and not _finite(self.value):
            raise InputError(f"ScanCriterion value must be a finite number, got {self.value!r}.")
        if self.ref_lag < 0 or (self.ref_lag and self.ref is None):
            raise InputError("ref_lag must be >= 0 and only goes with ref=.")

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns this criterion reads."""
        return (self.column,) if self.ref is None else (self.column, self.ref)

    def level(self, params: Mapping[str, float]) -> pl.Expr:
        """The right-hand side as an expression."""
        if self.ref is not None:
            return lag(self.ref, self.ref_lag)
        number = self.value if self.value is not None else params[str(self.param)]
        return pl.lit(-number if self.negate else number, pl.Float64)

    def mask(self, params: Mapping[str, float]) -> pl.Expr:
        """True where the criterion holds (null where a side is undefined)."""
        col, lvl = pl.col(self.column), self.level(params)
        match self.op:
            case ">":
                return col > lvl
            case ">=":
                return col >= lvl
            case "<":
                return col < lvl
            case "<=":
                return col <= lvl
            case "crosses_above":
                prev_level = lvl if self.ref is None else lag(self.ref, self.ref_lag + 1)
                return (col > lvl) & (lag(self.column) <= prev_level)
            case _:
                prev_level = lvl if self.ref is None else lag(self.ref, self.ref_lag + 1)
                return (col < lvl) & (lag(self.column) >= prev_level)

    def describe(self, params: Mapping[str, float]) -> str:
        """The rule in words: ``gap >= threshold (0.03)``."""
        op = self.op.replace("_", " ")
        if self.ref is not None:
            rhs = self.ref if not self.ref_lag else f"{self.ref}[{self.ref_lag} bar(s) ago]"
        elif self.param is not None:
            number = params[self.param]
            rhs = f"-{self.param} ({-number:g})" if self.negate else f"{self.param} ({number:g})"
        else:
            rhs = f"{-self.value if self.negate else self.value:g}"  # type: ignore[operator]
        return f"{self.column} {op} {rhs}"


@dataclass(frozen=True)
class StrengthRule:
    """Grade a hit by ``column`` against the scanner's ``moderate`` and ``strong`` params.

    Higher values are stronger unless ``lower_is_stronger``; with ``absolute`` the
    magnitude is graded (a -9 % gap is as strong as a +9 % one). Below ``moderate``
    (or without the parameters, or with a null value) a hit is ``weak``.
    """

    column: str
    lower_is_stronger: bool = False
    absolute: bool = False

    def expr(self, params: Mapping[str, float]) -> pl.Expr:
        """The strength label as an expression."""
        v = pl.col(self.column).abs() if self.absolute else pl.col(self.column)
        if "moderate" not in params or "strong" not in params:
            return pl.lit("weak")
        mod, strong = params["moderate"], params["strong"]
        if self.lower_is_stronger:
            return (
                pl.when(v <= strong)
                .then(pl.lit("strong"))
                .when(v <= mod)
                .then(pl.lit("moderate"))
                .otherwise(pl.lit("weak"))
            )
        return (
            pl.when(v >= strong)
            .then(pl.lit("strong"))
            .when(v >= mod)
            .then(pl.lit("moderate"))
            .otherwise(pl.lit("weak"))
        )


@dataclass(frozen=True)
class Param:
    """A scanner parameter's bounds: ``lo <= value <= hi`` (either may be None)."""

    lo: float | None = None
    hi: float | None = None

    def check(self, scanner: str, name: str, value: object) -> float:
        """Return ``value`` as a float or raise a clear :class:`InputError`."""
        if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
            raise InputError(
                f"Scanner {scanner!r}: parameter {name!r} must be a finite number, got {value!r}."
            )
        v = float(value)
        if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
            lo = "-inf" if self.lo is None else f"{self.lo:g}"
            hi = "inf" if self.hi is None else f"{self.hi:g}"
            raise InputError(
                f"Scanner {scanner!r}: parameter {name!r} must lie in [{lo}, {hi}], got {v:g}."
            )
        return v


@dataclass(frozen=True)
class Scanner:
    """A named rule over bars: all ``criteria`` must hold; ``strength`` grades the hit.

    Build presets with :func:`~axion_lab.scanner.get_preset_scanner`, custom ones with
    :func:`create_scanner`; change thresholds with :meth:`with_params`.
    """

    name: str
    criteria: tuple[ScanCriterion, ...]
    category: ScanCategory
    direction: Direction
    strength: StrengthRule
    params: Mapping[str, float] = field(default_factory=dict)
    bounds: Mapping[str, Param] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise InputError("A scanner needs a non-empty name.")
        if not self.criteria:
            raise InputError(f"Scanner {self.name!r} has no criteria; give at least one.")
        object.__setattr__(self, "params", dict(self.params))
        for c in self.criteria:
            if c.param is not None and c.param not in self.params:
                raise UnknownNameError.for_name(
                    f"parameter of scanner {self.name!r}", c.param, list(self.params)
                )
        for name, value in self.params.items():
            self.bounds.get(name, Param()).check(self.name, name, value)
        mod, strong = self.params.get("moderate"), self.params.get("strong")
        if mod is not None and strong is not None:
            bad = strong > mod if self.strength.lower_is_stronger else strong < mod
            if bad:
                way = "at or below" if self.strength.lower_is_stronger else "at or above"
                raise InputError(
                    f"Scanner {self.name!r}: the 'strong' cut-off ({strong:g}) must be {way} "
                    f"the 'moderate' one ({mod:g})."
                )

    @property
    def names(self) -> tuple[str, ...]:
        """The one hit name this scanner reports (its ``name``)."""
        return (self.name,)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the scanner reads (criteria and strength)."""
        cols = [c for crit in self.criteria for c in crit.columns]
        return tuple(dict.fromkeys([*cols, self.strength.column]))

    @property
    def lookback(self) -> int:
        """Bars before the hit bar the rule reads directly (indicator warm-up aside)."""
        return max(c.ref_lag + (1 if c.op.startswith("crosses") else 0) for c in self.criteria)

    def with_params(self, **overrides: float) -> Scanner:
        """A copy with some parameters changed; unknown names raise with suggestions."""
        for name in overrides:
            if name not in self.params:
                raise UnknownNameError.for_name(
                    f"parameter of scanner {self.name!r}",
                    name,
                    list(self.params),
                    hint=f"Its parameters are {', '.join(self.params) or 'none'}.",
                )
        return dataclasses.replace(self, params={**self.params, **overrides})

    def mask(self) -> pl.Expr:
        """True on bars where every criterion holds."""
        return pl.all_horizontal(c.mask(self.params) for c in self.criteria).fill_null(False)

    def hits(self, panel: pl.DataFrame) -> pl.DataFrame:
        """Every bar of ``panel`` where the scanner fires, as hit rows."""
        values = struct_list(
            *(
                pl.struct(pl.lit(c).alias("name"), pl.col(c).cast(pl.Float64).alias("value"))
                for c in self.columns
            )
        )
        return panel.filter(self.mask()).select(
            "symbol",
            "ts",
            pl.lit(self.name).alias("scanner"),
            pl.lit(self.category.value).alias("category"),
            pl.lit(self.direction.value).alias("direction"),
            self.strength.expr(self.params).alias("strength"),
            pl.col(self.strength.column).cast(pl.Float64).alias("value"),
            "trend",
            "open",
            "high",
            "low",
            "close",
            "volume",
            values.alias("values"),
            no_points(),
        )

    def describe(self) -> str:
        """One line: name, category, direction and every rule with its numbers."""
        rules = " and ".join(c.describe(self.params) for c in self.criteria)
        return f"{self.name} ({self.category.value}, {self.direction.value}): {rules}"


def create_scanner(
    name: str,
    criteria: Sequence[ScanCriterion] | ScanCriterion,
    *,
    category: ScanCategory | str = ScanCategory.TECHNICAL,
    direction: Direction | str = Direction.NEUTRAL,
    strength: StrengthRule | str | None = None,
    params: Mapping[str, float] | None = None,
    bounds: Mapping[str, Param] | None = None,
    description: str = "",
) -> Scanner:
    """Build a custom :class:`Scanner`.

    ``strength`` is a :class:`StrengthRule` or a column name (graded upward with the
    ``moderate``/``strong`` params when given); by default the first criterion's column.
    """
    crits: Iterable[ScanCriterion] = [criteria] if isinstance(criteria, ScanCriterion) else criteria
    crit_tuple = tuple(crits)
    if not crit_tuple:
        raise InputError(f"Scanner {name!r} has no criteria; give at least one.")
    if strength is None:
        strength = StrengthRule(crit_tuple[0].column)
    elif isinstance(strength, str):
        strength = StrengthRule(strength)
    return Scanner(
        name=name,
        criteria=crit_tuple,
        category=ScanCategory.parse(category),
        direction=Direction.parse(direction),
        strength=strength,
        params=dict(params or {}),
        bounds=dict(bounds or {}),
        description=description,
    )


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
