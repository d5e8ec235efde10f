"""Calibration: what each score bucket's signals did historically, point in time.

:func:`calibrate` walks forward through past dates. On each date ``d`` it cuts the
market with ``market.as_of(d)``, asks ``hits_at`` for that day's hits (it sees the
cut market only), generates signals from the cut market, then evaluates them with
the later bars (:func:`~axion_lab.signals.tracking.evaluate_outcomes`). Nothing after
``d`` reaches a score: the sources' pattern statistics used on ``d`` come only from
signals whose outcome was known by ``d`` (exited on or before it).

The table has one row per score and bucket (``0-20`` ... ``80-100``): how many
signals resolved, the **hit rate** (share that reached the target before the stop
within the horizon) and the **mean forward return** in basis points (exit vs
entry, signed for shorts). Signals still open at the end of the data are left out.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.signals import calibrate
>>> cal = calibrate(load_market(), dates=["2023-01-31", "2023-06-30"],
...                 symbols=["GRRM", "SKAA", "WEEN", "MAEA"])
>>> sorted(cal.table()["score"].unique().to_list())
['confidence', 'profit_potential', 'risk']
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.exceptions import InputError
from axion_lab.signals.config import BUCKET_EDGES, SignalStatus, TimeHorizon, bucket_label
from axion_lab.signals.display import html_table
from axion_lab.signals.generate import SignalSet, signals_for_day
from axion_lab.signals.hits import Hit, SimpleHit, as_hit, hits_from_scan
from axion_lab.signals.models import Signal, SignalPerformance
from axion_lab.signals.scoring import PatternStats
from axion_lab.signals.tracking import evaluate_outcomes

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SCORES",
    "CalibrationResult",
    "calibrate",
    "pattern_stats",
    "scan_hits_at",
    "universe_hits",
]

SCORES = ("risk", "profit_potential", "confidence")
"""The calibrated scores, as named in the table's ``score`` column."""

HitsAt = Callable[[Market], Iterable[Hit]]
"""Given the market cut at a date, that date's hits."""


def universe_hits(symbols: Sequence[str] | None = None, *, source: str = "universe") -> HitsAt:
    """A ``hits_at`` that gives every listed equity (or ``symbols``) a neutral long hit.

    Calibrating on the whole universe measures the scores themselves, not a scanner.
    """

    def hits_at(past: Market) -> list[SimpleHit]:
        if symbols is None:
            pool = past.instruments.filter(pl.col("asset_class") == "equity")["symbol"].to_list()
        else:
            pool = [s for s in symbols if s in set(past.symbols)]
        return [SimpleHit(s, past.end, source, "long", 0.5) for s in pool]

    return hits_at


def scan_hits_at(scanners: Sequence[Any], symbols: Sequence[str] | None = None) -> HitsAt:
    """A ``hits_at`` running the scanner presets/patterns ``scanners`` on the cut market.

    The track record is then that of the scan's own signals, each date seeing only
    bars up to that date.
    """
    from axion_lab.scanner import ScannerEngine, resolve_detectors

    detectors = resolve_detectors(list(scanners))

    def hits_at(past: Market) -> list[SimpleHit]:
        listed = set(past.symbols)
        syms = None if symbols is None else [s for s in symbols if s in listed]
        try:
            found = ScannerEngine(past).scan(detectors, symbols=syms)
        except InputError:  # no bars that day for these symbols: no hits, not a failure
            return []
        return hits_from_scan(found)

    return hits_at


def pattern_stats(
    signals: Iterable[Signal],
    outcomes: Iterable[SignalPerformance],
    *,
    known_by: dt.date | None = None,
) -> dict[str, PatternStats]:
    """Per source, hit rate and mean return of resolved signals (exited by ``known_by``)."""
    source = {s.id: s.source for s in signals}
    grouped: dict[str, list[SignalPerformance]] = defaultdict(list)
    for o in outcomes:
        if not o.status.is_closed or o.exit_on is None:
            continue
        if known_by is not None and o.exit_on > known_by:
            continue
        grouped[source[o.signal_id]].append(o)
    return {
        name: PatternStats(
            source=name,
            n=len(rows),
            hit_rate=sum(r.status is SignalStatus.HIT_TARGET for r in rows) / len(rows),
            avg_return_bps=sum(r.return_bps for r in rows) / len(rows),
        )
        for name, rows in grouped.items()
    }


def calibrate(
    market: Market,
    *,
    dates: Iterable[DateLike] | None = None,
    every: int = 21,
    hits_at: HitsAt | None = None,
    symbols: Sequence[str] | None = None,
    horizon: TimeHorizon | str = TimeHorizon.SWING,
    benchmark: str | None = None,
) -> CalibrationResult:
    """Walk-forward calibration of the three scores on the market's history.

    Parameters
    ----------
    dates
        Signal dates; default every ``every`` sessions from a year after the start
        (the indicators' warm-up) to the horizon before the end.
    hits_at
        Hits for a date, given only the market cut there; default
        :func:`universe_hits` over ``symbols`` (or every equity).
    horizon
        The signals' horizon (expiry and ATR multiples).
    """
    term = TimeHorizon.parse(horizon)
    days = market.trading_days
    if dates is None:
        lo = days.filter(days >= market.start + dt.timedelta(days=370))
        usable = lo.head(max(0, lo.len() - term.sessions))
        chosen = usable.gather_every(every).to_list()
    else:
        chosen = sorted({market.check_date(to_date(d)) for d in dates})
    if not chosen:
        raise InputError(
            "No calibration dates: the market is shorter than a year plus the horizon."
        )
    source_hits = hits_at or universe_hits(symbols)
    signals: list[Signal] = []
    outcomes: list[SignalPerformance] = []
    for day in chosen:
        past = market.as_of(day)
        stats = pattern_stats(signals, outcomes, known_by=past.end)
        hits = [as_hit(h) for h in source_hits(past)]
        made, _ = signals_for_day(
            past, hits, horizon=term, pattern_stats=stats, benchmark=benchmark
        )
        signals += made
        outcomes += evaluate_outcomes(made, market).outcomes
    return CalibrationResult(
        signals=SignalSet(tuple(signals), horizon=term, is_synthetic=market.is_synthetic),
        outcomes=tuple(outcomes),
        dates=tuple(chosen),
        evaluated_on=market.end,
    )


def _score_frame(signals: Sequence[Signal], outcomes: Sequence[SignalPerformance]) -> pl.DataFrame:
    by_id = {o.signal_id: o for o in outcomes}
    rows = []
    for s in signals:
        o = by_id[s.id]
        if not o.status.is_closed:
            continue
        for name in SCORES:
            score = getattr(s, f"{name}_score")
            rows.append(
                {
                    "score": name,
                    "bucket": bucket_label(score),
                    "hit": o.status is SignalStatus.HIT_TARGET,
                    "stop": o.status is SignalStatus.HIT_STOP,
                    "return_bps": o.return_bps,
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "score": pl.String,
            "bucket": pl.String,
            "hit": pl.Boolean,
            "stop": pl.Boolean,
            "return_bps": pl.Int64,
        },
    )


@dataclass(frozen=True, eq=False)
class CalibrationResult:
    """What :func:`calibrate` returns: the signals, their outcomes, the bucket table."""

    signals: SignalSet
    outcomes: tuple[SignalPerformance, ...]
    dates: tuple[dt.date, ...]
    evaluated_on: dt.date

    def table(self) -> pl.DataFrame:
        """Per score and bucket: resolved signals, hit rate, stop rate, mean return (bps).

        Every bucket is listed, empty ones with ``signals = 0`` and null rates.
        """
        raw = _score_frame(self.signals.signals, self.outcomes)
        stats = raw.group_by("score", "bucket").agg(
            pl.len().cast(pl.Int64).alias("signals"),
            pl.col("hit").mean().alias("hit_rate"),
            pl.col("stop").mean().alias("stop_rate"),
            pl.col("return_bps").mean().alias("mean_return_bps"),
        )
        labels = [bucket_label(lo) for lo in BUCKET_EDGES[:-1]]
        grid = pl.DataFrame(
            {"score": [s for s in SCORES for _ in labels], "bucket": labels * len(SCORES)}
        )
        return (
            grid.join(stats, on=["score", "bucket"], how="left")
            .with_columns(pl.col("signals").fill_null(0))
            .with_columns(
                pl.col("score").replace_strict({s: i for i, s in enumerate(SCORES)}).alias("_o")
            )
            .sort("_o", maintain_order=True)
            .drop("_o")
        )

    to_frame = table
    to_polars = table

    def to_pandas(self) -> pd.DataFrame:
        """The table as pandas, indexed by (score, bucket)."""
        return self.table().to_pandas().set_index(["score", "bucket"])

    def pattern_stats(self) -> dict[str, PatternStats]:
        """Each source's resolved history, for :func:`~axion_lab.signals.generate_signals`."""
        return pattern_stats(self.signals.signals, self.outcomes)

    def beside(self, signals: Iterable[Signal]) -> pl.DataFrame:
        """Each signal's scores with their bucket's historical hit rate and mean return."""
        table = {(r["score"], r["bucket"]): r for r in self.table().iter_rows(named=True)}
        rows = []
        for s in signals:
            row: dict[str, object] = {"id": s.id, "symbol": s.symbol, "source": s.source}
            for name in SCORES:
                score = getattr(s, f"{name}_score")
                hist: Mapping[str, object] = table[(name, bucket_label(score))]
                row[f"{name}_score"] = score
                row[f"{name}_hit_rate"] = hist["hit_rate"]
                row[f"{name}_mean_return_bps"] = hist["mean_return_bps"]
            rows.append(row)
        return pl.DataFrame(rows)

    def __repr__(self) -> str:
        resolved = sum(o.status.is_closed for o in self.outcomes)
        return (
            f"<CalibrationResult: {len(self.signals)} signals on {len(self.dates)} dates, "
            f"{resolved} resolved by {self.evaluated_on}>"
        )

    def _repr_html_(self) -> str:
        note = (
            f"{len(self.signals)} signals on {len(self.dates)} dates "
            f"({self.dates[0]} to {self.dates[-1]}), evaluated with bars to {self.evaluated_on}; "
            "hit rate = target before stop within the horizon"
        )
        return html_table(self.table(), title="Score calibration", note=note, max_rows=20)
