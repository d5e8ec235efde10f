"""Request windows: ``period`` strings and ``start``/``end`` dates to a date range.

Periods count back from an *anchor*: the provider's last day of data or today,
whichever is earlier (a synthetic market with a fixed window ends in the past).
Day periods (``1d``, ``5d``) count trading days, Monday to Friday; month and year
periods are calendar offsets (``1mo`` on 31 March starts on 29 February in a leap
year), and a window is inclusive at both ends.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Final

import numpy as np

from axion_lab.data.market import DateLike, to_date
from axion_lab.exceptions import DateRangeError, InputError, UnknownNameError

__all__ = ["PERIODS", "Window", "resolve_window"]

PERIODS: Final = ("1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max")
_DAYS: Final = {"1d": 1, "5d": 5}
_MONTHS: Final = {"1mo": 1, "3mo": 3, "6mo": 6, "1y": 12, "2y": 24, "5y": 60, "10y": 120}


@dataclasses.dataclass(frozen=True)
class Window:
    """An inclusive date range; ``start`` is ``None`` for ``period="max"``.

    ``label`` names the request in cache keys: the period and its anchor, or the
    explicit dates, so "1y asked on Monday" and "1y asked on Tuesday" differ.
    """

    start: dt.date | None
    end: dt.date
    label: str

    def clamp_end(self, last: dt.date) -> Window:
        """The same window ending no later than ``last`` (the provider's data end)."""
        if self.end <= last:
            return self
        return dataclasses.replace(self, end=last)


def _minus_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    # Clamp to the month's last day: 31 March minus one month is 29 February (leap).
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")  # pragma: no cover


def _period_start(period: str, anchor: dt.date) -> dt.date | None:
    if period == "max":
        return None
    if period == "ytd":
        return dt.date(anchor.year, 1, 1)
    if period in _DAYS:
        last = np.busday_offset(np.datetime64(anchor, "D"), 0, roll="backward")
        first = np.busday_offset(last, -(_DAYS[period] - 1), roll="backward")
        out: dt.date = first.astype(dt.date)
        return out
    # A month back from the anchor, then the next day: "1mo" of 15 May is 16 Apr..15 May.
    return _minus_months(anchor, _MONTHS[period]) + dt.timedelta(days=1)


def resolve_window(
    *,
    period: str | None,
    start: DateLike | None,
    end: DateLike | None,
    today: dt.date,
    data_end: dt.date | None = None,
) -> Window:
    """Turn ``period`` or ``start``/``end`` into a :class:`Window`.

    ``today`` comes from the service's clock; ``data_end`` (if known) is the last
    day the provider has, and the anchor is the earlier of the two. Without any
    of ``period``, ``start`` and ``end`` the period is ``"1y"``.

    Examples
    --------
    >>> import datetime as dt
    >>> w = resolve_window(period="1mo", start=None, end=None, today=dt.date(2024, 3, 31))
    >>> w.start, w.end
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))
    >>> resolve_window(period="5d", start=None, end=None, today=dt.date(2024, 3, 9)).start
    datetime.date(2024, 3, 4)
    >>> resolve_window(period="1yr", start=None, end=None, today=dt.date(2024, 3, 9))
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.UnknownNameError: Unknown period '1yr'. Did you mean '1y', '10y'? ...
    """
    if period is not None and start is not None:
        raise InputError(
            f"Pass either period= ({period!r}) or start= ({start!r}), not both; "
            "end= may go with either."
        )
    if period is not None and (not isinstance(period, str) or period not in PERIODS):
        raise UnknownNameError.for_name(
            "period",
            str(period),
            PERIODS,
            hint="Periods: " + ", ".join(PERIODS) + "; or pass start= and end= dates.",
        )
    anchor = today if data_end is None else min(today, data_end)
    stop = to_date(end, what="end date") if end is not None else anchor
    if stop > today:
        raise DateRangeError(
            f"The end date {stop.isoformat()} is in the future (today is {today.isoformat()})."
        )
    if start is not None:
        first: dt.date | None = to_date(start, what="start date")
        assert first is not None
        if first > stop:
            raise DateRangeError(
                f"The start date {first.isoformat()} is after the end date {stop.isoformat()}."
            )
        return Window(first, stop, f"{first.isoformat()}..{stop.isoformat()}")
    chosen = period or "1y"
    first = _period_start(chosen, stop)
    return Window(first, stop, f"{chosen}@{stop.isoformat()}")
