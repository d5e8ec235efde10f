"""The dividend calendar: past and upcoming ex, record and pay dates, with status.

Status is judged on the bundle's reference date ("today": ``market.as_of_date``,
else the last session): **paid** if the pay date has passed, **declared** if
declared but not yet paid, **estimated** if projected. Estimates continue a
symbol's detected frequency (:func:`~axion_lab.dividends.history.detect_frequency`)
from its last declared regular dividend: same amount (restated across any split
already announced), same gaps from ex to record and pay date, ex-dates stepped by
whole months and moved off weekends. A symbol whose last regular ex-date is more
than two periods plus 30 days old is treated as **suspended** and not projected.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.dividends import DividendCalendar
>>> market = load_market()
>>> payer = market.dividends.sort("ex_date")["symbol"][-1]  # a current payer
>>> cal = DividendCalendar(market).build(payer)
>>> {"paid", "estimated"} <= set(cal.to_frame()["status"])
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.dividends.config import DividendFrequency, DividendStatus
from axion_lab.dividends.display import result_html
from axion_lab.dividends.history import add_months, detect_frequency, regular
from axion_lab.dividends.inputs import reference_day
from axion_lab.dividends.models import DividendEvent
from axion_lab.exceptions import DateRangeError, UnknownNameError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

__all__ = ["DividendCalendar", "DividendSchedule"]

EVENT_SCHEMA = {
    "symbol": pl.String,
    "declared": pl.Date,
    "ex_date": pl.Date,
    "record_date": pl.Date,
    "pay_date": pl.Date,
    "amount": pl.Float64,
    "frequency": pl.String,
    "kind": pl.String,
    "status": pl.String,
}
_TABLES = ("events", "frequencies")


def _weekday(day: dt.date) -> dt.date:
    # Estimated dates are moved to the next Monday rather than guessing holidays.
    return day + dt.timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


@dataclasses.dataclass(frozen=True, eq=False)
class DividendSchedule:
    """Dividend events of some symbols between ``start`` and ``end`` (by ex-date).

    ``events``: one row per dividend (columns of the ``dividends`` frame plus
    ``status``); ``frequencies``: one row per symbol with the detected frequency,
    last regular amount and whether payments look suspended.
    """

    today: dt.date
    start: dt.date
    end: dt.date
    symbols: tuple[str, ...]
    events: pl.DataFrame
    frequencies: pl.DataFrame
    is_synthetic: bool = False

    def to_frame(self, table: str = "events") -> pl.DataFrame:
        """``events`` (default) or ``frequencies`` as a polars frame."""
        if table not in _TABLES:
            raise UnknownNameError.for_name("calendar table", table, _TABLES)
        frame: pl.DataFrame = getattr(self, table)
        return frame

    def to_pandas(self, table: str = "events") -> pd.DataFrame:
        """The same table as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def upcoming(self) -> pl.DataFrame:
        """Events not yet paid (declared or estimated), by pay date."""
        return self.events.filter(pl.col("pay_date") > self.today).sort("pay_date", "symbol")

    def past(self) -> pl.DataFrame:
        """Paid events, most recent first."""
        return self.events.filter(pl.col("status") == DividendStatus.PAID).sort(
            "pay_date", descending=True
        )

    def event_objects(self) -> list[DividendEvent]:
        """The events as :class:`DividendEvent` objects."""
        return [
            DividendEvent(
                symbol=r["symbol"],
                ex_date=r["ex_date"],
                record_date=r["record_date"],
                pay_date=r["pay_date"],
                amount=r["amount"],
                frequency=DividendFrequency(r["frequency"])
                if r["frequency"] in DividendFrequency.__members__.values()
                else None,
                kind=r["kind"],
                status=DividendStatus(r["status"]),
                declared=r["declared"],
            )
            for r in self.events.iter_rows(named=True)
        ]

    def __repr__(self) -> str:
        counts = dict(self.events.group_by("status").len().iter_rows())
        return (
            f"<DividendSchedule {len(self.symbols)} symbols {self.start}..{self.end}, today "
            f"{self.today}: {counts}>"
        )

    def _repr_html_(self) -> str:
        lines = [
            f"{len(self.symbols)} symbols, ex-dates {self.start} to {self.end}; "
            f"status as of {self.today}. Estimated dates continue the detected frequency."
        ]
        return result_html(
            "Dividend calendar",
            lines,
            [("Upcoming", self.upcoming()), ("Frequencies", self.frequencies)],
            synthetic=self.is_synthetic,
        )


class DividendCalendar:
    """Builds :class:`DividendSchedule` objects from a market's ``dividends`` and ``splits``."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def build(
        self,
        symbols: str | Iterable[str],
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        as_of: DateLike | None = None,
        estimate: bool = True,
    ) -> DividendSchedule:
        """Events of ``symbols`` with ex-dates from ``start`` to ``end``.

        Parameters
        ----------
        symbols
            A portfolio's or watchlist's tickers (case-insensitive).
        start, end
            Ex-date window; default one year either side of today.
        as_of
            Judge status (and see only what was declared) as of this date.
        estimate
            Project estimated events after the last declared one, up to ``end``.
        """
        market = self.market.as_of(as_of) if as_of is not None else self.market
        syms = market.resolve_symbols(symbols)
        today = reference_day(market)
        lo = to_date(start, what="start date") if start is not None else today - dt.timedelta(365)
        hi = to_date(end, what="end date") if end is not None else today + dt.timedelta(365)
        if lo > hi:
            raise DateRangeError(f"The start date {lo} is after the end date {hi}.")
        divs = market.dividends.filter(pl.col("symbol").is_in(syms)).sort("symbol", "ex_date")
        actual = divs.with_columns(
            pl.when(pl.col("pay_date") <= today)
            .then(pl.lit(DividendStatus.PAID.value))
            .otherwise(pl.lit(DividendStatus.DECLARED.value))
            .alias("status")
        )
        rows: list[dict[str, Any]] = []
        freq_rows: list[dict[str, Any]] = []
        splits = market.splits.filter(pl.col("symbol").is_in(syms))
        for symbol in syms:
            reg = regular(divs.filter(pl.col("symbol") == symbol))
            if reg.height == 0:
                continue
            freq = detect_frequency(reg["ex_date"].to_list(), declared=reg["frequency"][-1])
            last = reg.row(-1, named=True)
            stale = today - last["ex_date"] > dt.timedelta(days=2 * freq.days + 30)
            freq_rows.append(
                {
                    "symbol": symbol,
                    "frequency": freq.value,
                    "per_year": freq.per_year,
                    "last_ex_date": last["ex_date"],
                    "last_amount": last["amount"],
                    "suspended": stale,
                }
            )
            if estimate and not stale:
                rows.extend(
                    _estimates(last, freq, splits.filter(pl.col("symbol") == symbol), hi, today)
                )
        estimated = pl.DataFrame(rows, schema=EVENT_SCHEMA)
        events = (
            pl.concat([actual.select(list(EVENT_SCHEMA)), estimated])
            .filter(pl.col("ex_date").is_between(lo, hi))
            .sort("ex_date", "symbol")
        )
        frequencies = pl.DataFrame(
            freq_rows,
            schema={
                "symbol": pl.String,
                "frequency": pl.String,
                "per_year": pl.Int64,
                "last_ex_date": pl.Date,
                "last_amount": pl.Float64,
                "suspended": pl.Boolean,
            },
        )
        return DividendSchedule(
            today, lo, hi, tuple(syms), events, frequencies, market.is_synthetic
        )


def _estimates(
    last: dict[str, Any],
    freq: DividendFrequency,
    splits: pl.DataFrame,
    until: dt.date,
    today: dt.date,
) -> list[dict[str, Any]]:
    """Project payments after ``last`` and ``today`` every ``freq.months`` months to ``until``."""
    out: list[dict[str, Any]] = []
    to_record = last["record_date"] - last["ex_date"]
    to_pay = last["pay_date"] - last["ex_date"]
    split_list = [(r[0], r[1]) for r in splits.select("ex_date", "ratio").iter_rows()]
    k = 1
    while True:
        ex = _weekday(add_months(last["ex_date"], k * freq.months))
        k += 1
        if ex > until:
            return out
        if ex <= today:  # a payment that did not come is missed, not estimated
            continue
        factor = 1.0
        for split_day, ratio in split_list:
            if last["ex_date"] < split_day <= ex:
                factor *= ratio
        out.append(
            {
                "symbol": last["symbol"],
                "declared": None,
                "ex_date": ex,
                "record_date": ex + to_record,
                "pay_date": ex + to_pay,
                "amount": last["amount"] / factor,
                "frequency": freq.value,
                "kind": "regular",
                "status": DividendStatus.ESTIMATED.value,
            }
        )
