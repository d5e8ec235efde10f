"""Which parts of a requested date range the database does not hold yet.

The ``price_bars`` table records bars, not which ranges were fetched, so coverage is
inferred from the bars themselves, without an exchange calendar: for each symbol the
stored sessions inside the window are compared with the business days (Monday to
Friday) of the window. A stretch of more than ``tolerance`` missing business days at
the start, inside, or at the end of the window is *missing* and is fetched from the
provider; shorter stretches are holidays. Only the missing stretches are fetched,
never the whole window again.

Consequences, by design: a symbol with no bars at all in part of the window (not
yet listed, delisted, suspended) is asked for again each time the cache has expired,
because "the provider has nothing there" is not recorded; and the end of a window
that reaches today tolerates only one missing business day (today's session may not
have closed), so recent data is never more than one session stale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence

import numpy as np
import polars as pl

__all__ = ["Gap", "missing_ranges"]

_DAY = dt.timedelta(days=1)
# Earliest date asked of a provider when a window is open-ended (period="max").
EPOCH = dt.date(1900, 1, 1)


@dataclasses.dataclass(frozen=True, order=True)
class Gap:
    """Bars of ``symbol`` from ``start`` to ``end`` (inclusive) that must be fetched."""

    symbol: str
    start: dt.date
    end: dt.date


def _busdays(first: dt.date, last: dt.date) -> int:
    """Business days in ``[first, last]`` (0 if the range is empty)."""
    if last < first:
        return 0
    return int(np.busday_count(first, last + _DAY))


def missing_ranges(
    stored: pl.DataFrame,
    symbols: Sequence[str],
    start: dt.date | None,
    end: dt.date,
    *,
    tolerance: int = 3,
    edge_tolerance: int | None = None,
) -> list[Gap]:
    """Stretches of ``[start, end]`` per symbol that ``stored`` bars do not cover.

    Parameters
    ----------
    stored
        Bars read from the database (``symbol``, ``ts``) for the window.
    start
        ``None`` (period ``"max"``): the full history is wanted and the database
        cannot tell where it begins, so every symbol is fetched whole.
    tolerance
        Missing business days accepted at the start and inside the window.
    edge_tolerance
        Missing business days accepted at the end (default ``tolerance``); the
        service passes 1 when the window ends today.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> days = [dt.datetime(2024, 1, d) for d in (15, 16, 17, 18, 19)]
    >>> stored = pl.DataFrame({"symbol": ["AAA"] * 5, "ts": days})
    >>> for gap in missing_ranges(stored, ["AAA", "BBB"], dt.date(2024, 1, 2),
    ...                           dt.date(2024, 1, 19)):
    ...     print(gap.symbol, gap.start, gap.end)
    AAA 2024-01-02 2024-01-14
    BBB 2024-01-02 2024-01-19
    """
    edge = tolerance if edge_tolerance is None else edge_tolerance
    if start is None:
        return [Gap(s, EPOCH, end) for s in symbols]
    days_by_symbol: dict[str, list[dt.date]] = {}
    if stored.height:
        grouped = (
            stored.select("symbol", pl.col("ts").dt.date().alias("day"))
            .unique()
            .group_by("symbol")
            .agg(pl.col("day").sort())
        )
        days_by_symbol = dict(zip(grouped["symbol"], grouped["day"].to_list(), strict=True))
    gaps: list[Gap] = []
    for symbol in symbols:
        days = [d for d in days_by_symbol.get(symbol, []) if start <= d <= end]
        if not days:
            if _busdays(start, end) > 0:
                gaps.append(Gap(symbol, start, end))
            continue
        if _busdays(start, days[0] - _DAY) > tolerance:
            gaps.append(Gap(symbol, start, days[0] - _DAY))
        for before, after in itertools.pairwise(days):
            if _busdays(before + _DAY, after - _DAY) > tolerance:
                gaps.append(Gap(symbol, before + _DAY, after - _DAY))
        if _busdays(days[-1] + _DAY, end) > edge:
            gaps.append(Gap(symbol, days[-1] + _DAY, end))
    return gaps
