"""The sandbox trading calendar: weekdays minus the usual US exchange holidays.

Every sandbox instrument (crypto and forex included) trades on this one calendar,
which keeps the bars a dense symbols x sessions grid.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

__all__ = ["holidays", "next_session", "sessions", "to_day", "to_days"]

_EPOCH = np.datetime64("1970-01-01", "D")


def _easter(year: int) -> dt.date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _observed(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    if n > 0:
        return first + dt.timedelta(days=offset + 7 * (n - 1))
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


@lru_cache(maxsize=8)
def holidays(first_year: int, last_year: int) -> tuple[dt.date, ...]:
    """NYSE-style full-day holidays from ``first_year`` to ``last_year`` inclusive.

    Examples
    --------
    >>> dt.date(2024, 3, 29) in holidays(2024, 2024)  # Good Friday
    True
    """
    out: list[dt.date] = []
    for y in range(first_year, last_year + 1):
        out += [
            _observed(dt.date(y, 1, 1)),
            _nth_weekday(y, 1, 0, 3),  # Martin Luther King Jr. Day
            _nth_weekday(y, 2, 0, 3),  # Presidents' Day
            _easter(y) - dt.timedelta(days=2),  # Good Friday
            _nth_weekday(y, 5, 0, -1),  # Memorial Day
            _observed(dt.date(y, 7, 4)),
            _nth_weekday(y, 9, 0, 1),  # Labor Day
            _nth_weekday(y, 11, 3, 4),  # Thanksgiving
            _observed(dt.date(y, 12, 25)),
        ]
        if y >= 2022:
            out.append(_observed(dt.date(y, 6, 19)))  # Juneteenth
    return tuple(sorted(d for d in out if d.weekday() < 5))


@lru_cache(maxsize=8)
def _holiday_array_years(first_year: int, last_year: int) -> np.ndarray:
    return np.array(holidays(first_year, last_year), dtype="datetime64[D]")


def _holiday_array(start: dt.date, end: dt.date) -> np.ndarray:
    return _holiday_array_years(start.year - 1, end.year + 1)


def sessions(start: dt.date, end: dt.date) -> np.ndarray:
    """Trading sessions in ``[start, end]`` as ``datetime64[D]``.

    Examples
    --------
    >>> s = sessions(dt.date(2024, 12, 23), dt.date(2024, 12, 27))
    >>> [str(d) for d in s]
    ['2024-12-23', '2024-12-24', '2024-12-26', '2024-12-27']
    """
    lo = np.datetime64(start, "D")
    hi = np.datetime64(end, "D") + 1
    days = np.arange(lo, hi, dtype="datetime64[D]")
    mask = np.is_busday(days, holidays=_holiday_array(start, end))
    return days[mask]


def next_session(days: np.ndarray, *, offset: int = 0) -> np.ndarray:
    """Roll ``days`` (``datetime64[D]``) forward to a session, then add ``offset`` sessions."""
    lo = dt.date(1990, 1, 1)
    hi = dt.date(2030, 12, 31)
    return np.busday_offset(
        days.astype("datetime64[D]"), offset, roll="forward", holidays=_holiday_array(lo, hi)
    )


def to_days(values: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` to integer days since 1970-01-01 (the polars ``Date`` encoding)."""
    return (values.astype("datetime64[D]") - _EPOCH).astype(np.int32)


def to_day(value: dt.date) -> int:
    """A date as integer days since 1970-01-01."""
    return int((np.datetime64(value, "D") - _EPOCH).astype(np.int64))
