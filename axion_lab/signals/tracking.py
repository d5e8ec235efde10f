"""Outcome tracking: walk each signal forward through the bars after its date.

:func:`evaluate_outcomes` reads the bars strictly after a signal's date up to the
earlier of its expiry and the evaluation date, and marks it:

* ``hit_target`` / ``hit_stop`` on the first session whose range reaches a level.
  A session that **opens** beyond a level exits at the open (a gap fills there, for
  better or worse); otherwise the exit is the level itself, in the signal's cents.
  When one session's range reaches both levels the stop counts first: the order
  within a daily bar is unknown, and assuming the worse is the honest default;
* ``expired`` when the expiry passes with neither reached: the exit is the last
  close on or before the expiry;
* ``active`` otherwise, marked to the last close (no exit price).

Later prices are expressed in the signal date's units: a 2-for-1 split after the
signal doubles the later prices back, so a split is not read as a -50 % move.
Returns are per share, signed (a winning short is positive), in cents and in basis
points (half to even). The same function scores history for calibration.

Examples
--------
>>> import datetime as dt, polars as pl
>>> from axion_lab.data.market import Market
>>> from axion_lab.signals.models import Signal
>>> days = [dt.datetime(2024, 1, d) for d in (2, 3, 4)]
>>> bars = pl.DataFrame({"symbol": "ACME", "ts": days, "open": [100.0, 100.0, 103.0],
...     "high": [101.0, 102.0, 107.0], "low": [99.0, 99.5, 102.0],
...     "close": [100.0, 101.0, 106.0], "volume": 1000})
>>> m = Market.from_frames({"bars": bars})
>>> sig = Signal(symbol="ACME", direction="long", entry_cents=10_000, target_cents=10_500,
...     stop_cents=9_800, risk_score=30, profit_potential_score=40, confidence_score=60,
...     source="demo", horizon="swing", as_of=dt.date(2024, 1, 2),
...     expires_on=dt.date(2024, 1, 30))
>>> out = evaluate_outcomes([sig], m)[0]
>>> out.status.value, out.exit_cents, out.return_cents, out.return_bps, out.sessions
('hit_target', 10500, 500, 500, 2)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.signals.config import SignalStatus
from axion_lab.signals.display import html_table
from axion_lab.signals.models import Signal, SignalPerformance
from axion_lab.signals.money import price_to_cents, return_bps

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OutcomeSet", "evaluate_outcomes"]

_PERF_SCHEMA = pl.Schema(
    {
        "signal_id": pl.String,
        "status": pl.String,
        "evaluated_on": pl.Date,
        "entry_cents": pl.Int64,
        "last_cents": pl.Int64,
        "exit_cents": pl.Int64,
        "exit_on": pl.Date,
        "return_cents": pl.Int64,
        "return_bps": pl.Int64,
        "sessions": pl.Int64,
    }
)


def _split_log_factor(splits: pl.DataFrame) -> pl.DataFrame:
    """Per symbol and ex-date, the running sum of log(ratio) of splits up to it."""
    return (
        splits.sort("symbol", "ex_date")
        .with_columns(pl.col("ratio").log().cum_sum().over("symbol").alias("cum"))
        .select("symbol", pl.col("ex_date").alias("day"), "cum")
    )


def _cum_at(frame: pl.DataFrame, on: str, cum: pl.DataFrame) -> pl.Series:
    """The cumulative split log-factor in force on each row's ``on`` date."""
    joined = (
        frame.with_row_index("_row")
        .sort(on)
        .join_asof(
            cum.sort("day"),
            left_on=on,
            right_on="day",
            by="symbol",
            strategy="backward",
            check_sortedness=False,  # both sides sorted by date above, so within symbols too
        )
    )
    return joined.sort("_row")["cum"].fill_null(0.0)


def _forward_bars(signals: pl.DataFrame, market: Market, day: dt.date) -> pl.DataFrame:
    """Each signal's later bars, in the signal date's price units, numbered 1, 2, ..."""
    syms = signals["symbol"].unique().implode()
    bars = (
        market.bars.filter(pl.col("symbol").is_in(syms) & (pl.col("ts").dt.date() <= day))
        .with_columns(pl.col("ts").dt.date().alias("day"))
        .select("symbol", "day", "open", "high", "low", "close")
    )
    rows = signals.join(bars, on="symbol", how="inner").filter(
        (pl.col("day") > pl.col("as_of")) & (pl.col("day") <= pl.col("end"))
    )
    cum = _split_log_factor(market.splits.filter(pl.col("ex_date") <= day))
    factor = (_cum_at(rows, "day", cum) - _cum_at(rows, "as_of", cum)).exp()
    prices = ("open", "high", "low", "close")
    return (
        rows.with_columns(factor.alias("_f"))
        .with_columns(pl.col(p) * pl.col("_f") for p in prices)
        .sort("id", "day")
        .with_columns(pl.int_range(1, pl.len() + 1).over("id").alias("session"))
    )


def evaluate_outcomes(
    signals: Iterable[Signal], market: Market, *, as_of: DateLike | None = None
) -> OutcomeSet:
    """Mark each signal hit target / hit stop / expired / active as of a date.

    Parameters
    ----------
    signals
        The signals to evaluate (any dates; each uses only bars after its own).
    market
        A market holding the later bars (cut at ``as_of`` here).
    as_of
        The evaluation date (default: the market's last session).
    """
    chosen = list(signals)
    past = market.as_of(as_of) if as_of is not None else market
    day = past.end
    if not chosen:
        return OutcomeSet((), day)
    frame = pl.DataFrame(
        {
            "id": [s.id for s in chosen],
            "symbol": [s.symbol for s in chosen],
            "as_of": [s.as_of for s in chosen],
            "end": [min(s.expires_on, day) for s in chosen],
            "sign": [s.direction.sign for s in chosen],
            "target": [s.target_cents / 100 for s in chosen],
            "stop": [s.stop_cents / 100 for s in chosen],
        },
        schema_overrides={"as_of": pl.Date, "end": pl.Date, "sign": pl.Int8},
    )
    fwd = _forward_bars(frame, past, day)
    long = pl.col("sign") > 0
    o, h, lo = pl.col("open"), pl.col("high"), pl.col("low")
    tgt, stp = pl.col("target"), pl.col("stop")
    gap_stop = pl.when(long).then(o <= stp).otherwise(o >= stp)
    gap_target = pl.when(long).then(o >= tgt).otherwise(o <= tgt)
    touch_stop = pl.when(long).then(lo <= stp).otherwise(h >= stp)
    touch_target = pl.when(long).then(h >= tgt).otherwise(lo <= tgt)
    events = (
        fwd.with_columns(
            pl.when(gap_stop)
            .then(pl.lit(SignalStatus.HIT_STOP.value))
            .when(gap_target)
            .then(pl.lit(SignalStatus.HIT_TARGET.value))
            .when(touch_stop)
            .then(pl.lit(SignalStatus.HIT_STOP.value))
            .when(touch_target)
            .then(pl.lit(SignalStatus.HIT_TARGET.value))
            .alias("event"),
            (gap_stop | gap_target).alias("gapped"),
        )
        .filter(pl.col("event").is_not_null())
        .group_by("id")
        .first()
    )
    last = fwd.group_by("id").agg(
        pl.col("close").last(), pl.col("day").last(), pl.col("session").last()
    )
    hits = {r["id"]: r for r in events.iter_rows(named=True)}
    marks = {r["id"]: r for r in last.iter_rows(named=True)}
    out = []
    for s in chosen:
        hit = hits.get(s.id)
        mark = marks.get(s.id)
        if hit is not None:
            status = SignalStatus(hit["event"])
            level = s.stop_cents if status is SignalStatus.HIT_STOP else s.target_cents
            exit_c = price_to_cents(hit["open"]) if hit["gapped"] else level
            out.append(
                SignalPerformance.closed(
                    s,
                    status,
                    exit_cents=exit_c,
                    exit_on=hit["day"],
                    evaluated_on=day,
                    sessions=hit["session"],
                )
            )
        elif day >= s.expires_on:
            exit_c = price_to_cents(mark["close"]) if mark else s.entry_cents
            out.append(
                SignalPerformance.closed(
                    s,
                    SignalStatus.EXPIRED,
                    exit_cents=exit_c,
                    exit_on=mark["day"] if mark else s.expires_on,
                    evaluated_on=day,
                    sessions=mark["session"] if mark else 0,
                )
            )
        else:
            last_c = price_to_cents(mark["close"]) if mark else s.entry_cents
            sign = s.direction.sign
            out.append(
                SignalPerformance(
                    signal_id=s.id,
                    status=SignalStatus.ACTIVE,
                    evaluated_on=day,
                    entry_cents=s.entry_cents,
                    last_cents=last_c,
                    return_cents=sign * (last_c - s.entry_cents),
                    return_bps=return_bps(s.entry_cents, last_c, sign),
                    sessions=mark["session"] if mark else 0,
                )
            )
    return OutcomeSet(tuple(out), day)


@dataclass(frozen=True, eq=False)
class OutcomeSet:
    """What :func:`evaluate_outcomes` returns: one performance per signal, in order."""

    outcomes: tuple[SignalPerformance, ...]
    as_of: dt.date

    def __len__(self) -> int:
        return len(self.outcomes)

    def __iter__(self) -> Iterator[SignalPerformance]:
        return iter(self.outcomes)

    def __getitem__(self, index: int) -> SignalPerformance:
        return self.outcomes[index]

    def by_id(self) -> dict[str, SignalPerformance]:
        """Signal id -> its outcome."""
        return {o.signal_id: o for o in self.outcomes}

    def to_frame(self) -> pl.DataFrame:
        """One row per signal: status, exit, returns in cents and bps, sessions held."""
        return pl.DataFrame([o.to_row() for o in self.outcomes], schema=_PERF_SCHEMA)

    to_polars = to_frame

    def to_pandas(self) -> pd.DataFrame:
        """:meth:`to_frame` as pandas, indexed by signal id."""
        return self.to_frame().to_pandas().set_index("signal_id")

    def summary(self) -> pl.DataFrame:
        """Count and mean return (bps) per status."""
        return (
            self.to_frame()
            .group_by("status")
            .agg(pl.len().alias("signals"), pl.col("return_bps").mean().alias("mean_return_bps"))
            .sort("status")
        )

    def __repr__(self) -> str:
        counts = {s.value: 0 for s in SignalStatus}
        for o in self.outcomes:
            counts[o.status.value] += 1
        text = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        return f"<OutcomeSet as of {self.as_of}: {text or 'empty'}>"

    def _repr_html_(self) -> str:
        return html_table(self.to_frame(), title=f"Signal outcomes as of {self.as_of}")
