"""Dates and timestamps from text, detecting the format and refusing to guess d/m vs m/d.

Formats tried when no ``date_format`` is given:

* unambiguous: ISO ``2024-01-31`` (with ``T`` or space and a time, optional
  fraction), ``2024/01/31``, ``20240131``, ``31 Jan 2024``, ``Jan 31, 2024``,
  ``31-Jan-2024``;
* day-month order: US ``01/31/2024`` (``m/d/Y``, also ``m-d-Y``, 2-digit years and
  times) and day-first ``31/01/2024`` (``d/m/Y``, ``d.m.Y``, ``d-m-Y``).

A column may mix ISO with one slash style. If every slash date reads both ways
(all days <= 12) the column is refused with advice to pass ``date_format``.
A trailing ``Z`` or ``+hh:mm`` offset is dropped and the time kept as written.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from axion_lab.data.files._values import Cells, clean_text

__all__ = ["parse_datetime"]

_TIMES: Final = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S%.f", " %I:%M %p", " %I:%M:%S %p")
_ISO: Final = (
    *(f"%Y-%m-%d{t}" for t in _TIMES),
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    *(f"%Y/%m/%d{t}" for t in _TIMES),
    "%Y%m%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
)
_MDY: Final = tuple(f"%m{s}%d{s}%{y}{t}" for s in "/-" for y in "Yy" for t in _TIMES)
_DMY: Final = tuple(f"%d{s}%m{s}%{y}{t}" for s in "/-." for y in "Yy" for t in _TIMES)
_COMMON: Final = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_TZ_SUFFIX: Final = r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}:?\d{2})$"


def _try(text: pl.Series, formats: tuple[str, ...]) -> pl.Series:
    # Dates repeat across symbols: parse each distinct string once, then map back.
    distinct = text.drop_nulls().unique()
    frame = pl.DataFrame({"t": distinct})
    # %Y happily reads "24" as the year 24 AD; such a year means the wrong format.
    parsed = [pl.col("t").str.to_datetime(f, strict=False, time_unit="us") for f in formats]
    plausible = [pl.when(p.dt.year().is_between(1800, 2200)).then(p) for p in parsed]
    values = frame.select(pl.coalesce(plausible)).to_series()
    return text.replace_strict(distinct, values, default=None, return_dtype=pl.Datetime("us"))


def parse_datetime(cells: Cells, *, date_format: str | None = None) -> tuple[pl.Series, list[str]]:
    """Timestamps (naive ``Datetime("us")``) from text or a temporal Parquet column."""
    raw = cells.values
    notes: list[str] = []
    if raw.dtype == pl.Date:
        return raw.cast(pl.Datetime("us")).alias(cells.column), notes
    if isinstance(raw.dtype, pl.Datetime):
        if raw.dtype.time_zone is not None:
            notes.append(f"'{cells.column}': dropped time zone {raw.dtype.time_zone}.")
            raw = raw.dt.replace_time_zone(None)
        return raw.cast(pl.Datetime("us")).alias(cells.column), notes
    if raw.dtype not in (pl.String, pl.Null):
        raise cells.wrong_dtype("a date")
    text = clean_text(raw)
    present = text.is_not_null()
    stripped = text.str.replace(_TZ_SUFFIX, "${1}")
    if bool((stripped != text).fill_null(False).any()):
        notes.append(f"'{cells.column}': dropped time-zone suffixes; times kept as written.")
    text = stripped
    if date_format is not None:
        try:
            out = _try(text, (date_format,))
        except pl.exceptions.PolarsError as exc:
            raise cells.fail(
                present, f"invalid date_format {date_format!r} ({exc}); first value"
            ) from exc
        bad = present & out.is_null()
        if bad.any():
            raise cells.fail(bad, f"date does not match date_format={date_format!r}:")
        return out.alias(cells.column), notes
    for common in _COMMON:
        quick = _try(text, (common,))
        if bool((~present | quick.is_not_null()).all()):
            return quick.alias(cells.column), notes
    iso = _try(text, _ISO)
    rest = present & iso.is_null()
    if not rest.any():
        return iso.alias(cells.column), notes
    mdy = _try(text, _MDY)
    dmy = _try(text, _DMY)
    mdy_ok = bool((~rest | mdy.is_not_null()).all())
    dmy_ok = bool((~rest | dmy.is_not_null()).all())
    if mdy_ok and dmy_ok and bool((rest & (mdy != dmy)).fill_null(False).any()):
        raise cells.fail(
            rest & (mdy != dmy).fill_null(False),
            "ambiguous date",
            "Every date reads as month/day and as day/month. Pass "
            "date_format='%m/%d/%Y' (US) or date_format='%d/%m/%Y' (day first).",
        )
    if mdy_ok:
        chosen, style = mdy, "US month/day/year"
    elif dmy_ok:
        chosen, style = dmy, "day/month/year"
    else:
        bad = rest & mdy.is_null() & dmy.is_null()
        if not bad.any():
            raise cells.fail(
                rest & mdy.is_null(),
                "date in a different day/month order from the rest:",
                "Use one date style per column, or pass date_format=.",
            )
        raise cells.fail(
            bad,
            "unrecognised date",
            "Use ISO dates (2024-01-31) or pass date_format= (e.g. '%d/%m/%Y %H:%M').",
        )
    notes.append(f"'{cells.column}': read dates as {style}.")
    out = pl.select(pl.coalesce(iso, chosen)).to_series()
    return out.alias(cells.column), notes
