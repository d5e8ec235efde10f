"""The indicator spec contract: parameters, validation and the columns a spec adds.

An indicator is a frozen dataclass whose fields are its parameters (``SMA(window=50)``).
Class variables say what it is (``name``, ``description``, ``function``) and which bar
columns it reads; :meth:`Indicator.outputs` says which columns it adds, each with a
description and a unit, so the field registry can be built from the specs alone.

Two backends share the contract:

* :class:`TalibIndicator` names TA-Lib calls (:class:`TalibCall`); the kernel runs them
  over contiguous per-symbol numpy slices.
* :class:`PolarsIndicator` returns polars expressions over the whole sorted frame; the
  engine hands it the bar's position within its symbol (``k``) so warm-up rows, the only
  rows a look-back window could carry across a symbol boundary, are nulled.

Either kind may add columns computed from its own outputs in :meth:`Indicator.derived`
(Bollinger %B from the bands, the distance from a 52-week high), a second stage that
reads those outputs by name rather than computing them twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import polars as pl

from axion_lab.exceptions import InputError

__all__ = ["Indicator", "Output", "PolarsIndicator", "TalibCall", "TalibIndicator", "Unit"]

Unit = Literal["price", "percent", "ratio", "fraction", "shares", "index"]


@dataclass(frozen=True)
class Output:
    """One column an indicator adds: its name, what it means and its unit.

    ``unit`` is one of ``price`` (instrument currency), ``percent`` (0-100 scale or
    percent change), ``fraction`` (0.05 means 5 %), ``ratio`` (dimensionless, e.g. a
    beta or a relative volume), ``shares`` (volume-like) or ``index`` (an oscillator
    with its own scale, such as CCI).
    """

    column: str
    description: str
    unit: Unit


@dataclass(frozen=True)
class TalibCall:
    """One TA-Lib function call: ``talib.<func>(*bars[inputs], **kwargs) -> outputs``."""

    func: str
    inputs: tuple[str, ...]
    kwargs: Mapping[str, int | float]
    outputs: tuple[str, ...]


def int_param(default: int, minimum: int = 1) -> int:
    """A window-like integer parameter (bars) with a lower bound checked on creation."""
    result: int = dataclasses.field(default=default, metadata={"min": minimum})
    return result


def float_param(default: float) -> float:
    """A strictly positive float parameter (a number of standard deviations...)."""
    result: float = dataclasses.field(default=default, metadata={"positive": True})
    return result


def number_tag(value: float) -> str:
    """Format a parameter for a column name: ``2.0 -> '2'``, ``2.5 -> '2p5'``."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)).replace(".", "p").replace("-", "m")


@dataclass(frozen=True)
class Indicator:
    """Base of every indicator spec. Subclasses are frozen dataclasses of parameters."""

    name: ClassVar[str]
    """Registry key, also the prefix of the column names (``"sma"``)."""
    label: ClassVar[str]
    description: ClassVar[str]
    function: ClassVar[str]
    """Where the numbers come from: ``"talib.SMA"`` or ``"polars"``."""
    inputs: ClassVar[tuple[str, ...]] = ("close",)
    """Bar columns read."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if "min" in f.metadata:
                minimum = f.metadata["min"]
                if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                    raise InputError(
                        f"{type(self).__name__}: {f.name} must be an integer >= {minimum} "
                        f"(bars), got {value!r}."
                    )
            if f.metadata.get("positive") and (
                isinstance(value, bool) or not isinstance(value, int | float) or not value > 0
            ):
                raise InputError(
                    f"{type(self).__name__}: {f.name} must be a number > 0, got {value!r}."
                )

    @property
    def params(self) -> dict[str, Any]:
        """The parameters as a plain dict."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def outputs(self) -> tuple[Output, ...]:
        """The columns this spec adds, in order."""
        raise NotImplementedError

    def derived(self) -> dict[str, pl.Expr]:
        """Columns computed from this spec's own first-stage outputs (none by default).

        They run after every TA-Lib call and polars expression, so they may read those
        columns by name instead of recomputing them.
        """
        return {}

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the columns this spec adds."""
        return tuple(o.column for o in self.outputs())

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"


@dataclass(frozen=True)
class TalibIndicator(Indicator):
    """An indicator whose numbers are TA-Lib's."""

    def calls(self) -> tuple[TalibCall, ...]:
        """The TA-Lib calls that produce this spec's raw columns."""
        raise NotImplementedError


@dataclass(frozen=True)
class PolarsIndicator(Indicator):
    """An indicator TA-Lib lacks, written as polars expressions.

    :meth:`expressions` receives ``k``, the 0-based position of each bar within its
    symbol (the frame is sorted by symbol then ts), and ``market``, the market's
    one-bar simple return on the same row (only for specs with ``needs_market``).
    Whole-column rolling operations are correct once every row with ``k`` below the
    warm-up is nulled: a look-back window reaches the previous symbol only there.
    """

    needs_market: ClassVar[bool] = False

    def helpers(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        """Scratch columns (names starting ``__axion_``) computed before :meth:`expressions`.

        Materialising a shared intermediate once (a run id to group by, a return series
        read twice) is much cheaper than repeating the expression; the engine drops
        these columns before returning. Specs may share a helper by using the same name
        for the same expression.
        """
        return {}

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        """Column name -> expression over the sorted long frame."""
        raise NotImplementedError
