"""``latest``: the last bar of each symbol as of a date, with its indicator values.

This is the screener's view of an indicator panel: one row per symbol. A symbol that
stopped trading keeps its last row unless ``max_age_days`` drops it, so stale values
are visible (their ``ts`` says how old they are) rather than silently mixed in.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from axion_lab.data.market import DateLike, to_date
from axion_lab.exceptions import InputError

__all__ = ["latest"]


def latest(
    frame: pl.DataFrame,
    as_of: DateLike | None = None,
    *,
    max_age_days: int | None = None,
) -> pl.DataFrame:
    """Return the last row per symbol with ``ts`` on or before ``as_of`` (default: all).

    Parameters
    ----------
    frame
        A long frame with ``symbol`` and ``ts``, typically from
        :func:`~axion_lab.indicators.compute_indicators`.
    as_of
        Last date to consider (inclusive, whole day); ``None`` takes each symbol's last row.
    max_age_days
        Drop symbols whose last row is more than this many calendar days before
        ``as_of`` (or before the frame's last date when ``as_of`` is None).

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> from axion_lab.indicators import latest
    >>> f = pl.DataFrame({
    ...     "symbol": ["A", "A", "B", "B"],
    ...     "ts": [dt.datetime(2024, 1, d) for d in (1, 2, 1, 3)],
    ...     "rsi_14": [40.0, 55.0, 70.0, 65.0],
    ... })
    >>> latest(f, "2024-01-02").select("symbol", "rsi_14").rows()
    [('A', 55.0), ('B', 70.0)]
    >>> latest(f, max_age_days=0)["symbol"].to_list()
    ['B']
    """
    missing = [c for c in ("symbol", "ts") if c not in frame.columns]
    if missing:
        raise InputError(f"latest() needs columns 'symbol' and 'ts'; missing {missing}.")
    day = pl.col("ts").cast(pl.Date)
    if as_of is not None:
        cutoff: dt.date | None = to_date(as_of, what="as_of date")
        frame = frame.filter(day <= cutoff)
    else:
        cutoff = frame.select(day.max()).item()
    out = frame.sort("symbol", "ts").group_by("symbol", maintain_order=True).last()
    if max_age_days is not None and cutoff is not None:
        if max_age_days < 0:
            raise InputError(f"max_age_days must be >= 0, got {max_age_days}.")
        out = out.filter(day >= cutoff - dt.timedelta(days=max_age_days))
    return out.select(frame.columns)
