"""The indicator registry: every spec class once, the default panel, and name parsing.

This is the one table of indicator columns: :func:`indicator_table` lists each
indicator's function, parameters, outputs, description and unit, and
:func:`indicator_columns` lists column by column what a set of specs adds. The field
registry reads these; nothing else names indicator columns by hand.

Examples
--------
>>> from axion_lab.indicators import resolve_indicators
>>> [str(s) for s in resolve_indicators(["rsi", "sma_50"])]
['RSI(window=14)', 'SMA(window=50)']
>>> resolve_indicators(["rsii"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
axion_lab.exceptions.UnknownNameError: Unknown indicator 'rsii'. Did you mean 'rsi', 'rsi_14'? ...
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Final

import polars as pl

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.indicators._spec import Indicator
from axion_lab.indicators.polars_indicators import (
    VWAP,
    AnchoredVWAP,
    Beta,
    Gap,
    RealizedVol,
    RelativeVolume,
    Return,
)
from axion_lab.indicators.talib_indicators import (
    ADX,
    ATR,
    CCI,
    EMA,
    MACD,
    MFI,
    OBV,
    ROC,
    RSI,
    SMA,
    WMA,
    BBands,
    HighLow,
    Stochastic,
    WilliamsR,
)

__all__ = [
    "DEFAULT_PANEL",
    "INDICATORS",
    "IndicatorLike",
    "indicator_columns",
    "indicator_table",
    "resolve_indicators",
]

IndicatorLike = str | Indicator
"""A registry name (``"rsi"``), a default-parameter column (``"sma_50"``) or a spec."""

INDICATORS: Final[dict[str, type[Indicator]]] = {
    cls.name: cls
    for cls in (
        SMA,
        EMA,
        WMA,
        RSI,
        MACD,
        BBands,
        ATR,
        ADX,
        Stochastic,
        WilliamsR,
        CCI,
        OBV,
        MFI,
        ROC,
        Return,
        Gap,
        HighLow,
        RelativeVolume,
        RealizedVol,
        VWAP,
        AnchoredVWAP,
        Beta,
    )
}

RETURN_WINDOWS: Final = (1, 5, 21, 63, 126, 252)
"""One day, week, month, quarter, half-year and year of daily bars."""

DEFAULT_PANEL: Final[tuple[Indicator, ...]] = (
    SMA(20),
    SMA(50),
    SMA(200),
    EMA(12),
    EMA(26),
    WMA(20),
    RSI(14),
    MACD(),
    BBands(20),
    ATR(14),
    ADX(14),
    Stochastic(14),
    WilliamsR(14),
    CCI(20),
    OBV(),
    MFI(14),
    ROC(10),
    *(Return(w) for w in RETURN_WINDOWS),
    Gap(),
    HighLow(20),
    HighLow(50),
    HighLow(252),
    RelativeVolume(20),
    RealizedVol(20),
    RealizedVol(60),
    VWAP(20),
    AnchoredVWAP("year"),
    Beta(252),
)
"""What :func:`~axion_lab.indicators.compute_indicators` computes when given no list."""


def _from_name(text: str) -> Indicator:
    cls = INDICATORS.get(text)
    if cls is not None:
        return cls()
    # "sma_50" -> SMA(window=50): the column name of a one-window spec.
    prefix, _, tail = text.rpartition("_")
    cls = INDICATORS.get(prefix)
    if cls is not None and tail.isdigit():
        fields = [f.name for f in dataclasses.fields(cls)]
        if fields[:1] == ["window"]:
            return cls(int(tail))  # type: ignore[call-arg]
    # A default column of a multi-output spec ("macd_signal", "plus_di_14"...).
    for spec in DEFAULT_PANEL:
        if text in spec.columns:
            return spec
    choices = [*INDICATORS, *(c for s in DEFAULT_PANEL for c in s.columns)]
    raise UnknownNameError.for_name(
        "indicator",
        text,
        choices,
        hint="See axion_lab.indicators.indicator_table() for the list.",
    )


def resolve_indicators(
    indicators: Iterable[IndicatorLike] | IndicatorLike | None,
) -> tuple[Indicator, ...]:
    """Turn names and specs into specs: ``None`` is :data:`DEFAULT_PANEL`; duplicates go.

    Raises
    ------
    UnknownNameError
        For a name that is neither an indicator nor a default column; suggests the closest.
    InputError
        For something that is not a name or a spec, or two specs writing the same column.
    """
    if indicators is None:
        return DEFAULT_PANEL
    if isinstance(indicators, str | Indicator):
        indicators = [indicators]
    specs: list[Indicator] = []
    for item in indicators:
        if isinstance(item, Indicator):
            spec = item
        elif isinstance(item, str):
            spec = _from_name(item.strip().lower())
        else:
            raise InputError(
                f"Expected an indicator name or spec (e.g. 'rsi' or SMA(50)), got {item!r}."
            )
        if spec not in specs:
            specs.append(spec)
    owner: dict[str, Indicator] = {}
    for spec in specs:
        for col in spec.columns:
            if col in owner:
                raise InputError(
                    f"{owner[col]} and {spec} both write column {col!r}; keep one of them."
                )
            owner[col] = spec
    return tuple(specs)


def indicator_columns(
    indicators: Iterable[IndicatorLike] | IndicatorLike | None = None,
) -> pl.DataFrame:
    """One row per column the specs add: column, indicator, params, description, unit.

    Examples
    --------
    >>> from axion_lab.indicators import indicator_columns
    >>> indicator_columns(["adx"]).select("column", "unit").rows()
    [('adx_14', 'percent'), ('plus_di_14', 'percent'), ('minus_di_14', 'percent')]
    """
    rows = [
        {
            "column": out.column,
            "indicator": spec.name,
            "spec": str(spec),
            "description": out.description,
            "unit": out.unit,
        }
        for spec in resolve_indicators(indicators)
        for out in spec.outputs()
    ]
    return pl.DataFrame(
        rows,
        schema={c: pl.String for c in ("column", "indicator", "spec", "description", "unit")},
    )


def indicator_table() -> pl.DataFrame:
    """One row per registered indicator, with default parameters and output columns.

    Examples
    --------
    >>> from axion_lab.indicators import indicator_table
    >>> row = indicator_table().filter(name="rsi").row(0, named=True)
    >>> row["function"], row["parameters"], row["outputs"], row["unit"]
    ('talib.RSI', 'window=14', ['rsi_14'], 'percent')
    """
    rows = []
    for name, cls in INDICATORS.items():
        spec = cls()
        units = sorted({o.unit for o in spec.outputs()})
        rows.append(
            {
                "name": name,
                "spec": cls.__name__,
                "label": cls.label,
                "function": cls.function,
                "parameters": ", ".join(f"{k}={v!r}" for k, v in spec.params.items()),
                "inputs": list(cls.inputs),
                "outputs": list(spec.columns),
                "description": cls.description,
                "unit": ", ".join(units),
            }
        )
    return pl.DataFrame(rows)
