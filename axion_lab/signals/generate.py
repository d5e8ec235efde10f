"""Signal generation: hits in, scored :class:`~axion_lab.signals.models.Signal` out.

For each hit (deduplicated per symbol, direction and source, strongest kept):

* **entry** is the last close on or before the hit date (``market.as_of(date)``);
* **target / stop** are ``entry ± k x ATR(14)`` with the horizon's multiples
  (:class:`~axion_lab.signals.config.TimeHorizon`: swing is +3 / -1.5 ATR), each
  converted to cents half to even (:func:`~axion_lab.signals.money.price_to_cents`);
* **expiry** is the horizon's number of weekdays later (holidays are not known in
  advance, so a holiday makes a signal live one session less);
* the three scores come from :mod:`axion_lab.signals.scoring`.

Hits that cannot become a valid signal are kept in ``skipped`` with the reason (no
price on the date, no ATR yet, a price too small for the levels to differ by a
cent, a stop below zero).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.screener import ScreenerEngine
>>> from axion_lab.signals import generate_signals, hits_from_screen
>>> market = load_market()
>>> screen = ScreenerEngine(market).run("momentum", as_of="2024-06-28", limit=5)
>>> signals = generate_signals(market, hits_from_screen(screen))
>>> len(signals) == 5 and all(s.target_cents > s.entry_cents > s.stop_cents for s in signals)
True
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from axion_lab.data.market import Market
from axion_lab.exceptions import InputError
from axion_lab.signals.config import Direction, TimeHorizon
from axion_lab.signals.display import html_table
from axion_lab.signals.features import signal_features
from axion_lab.signals.hits import Hit, SimpleHit, as_hit
from axion_lab.signals.models import FACTOR_SCHEMA, SIGNAL_SCHEMA, Signal
from axion_lab.signals.money import price_to_cents
from axion_lab.signals.scoring import PatternStats, confidence, profit_potential, risk_assessment

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SignalSet",
    "SkippedHit",
    "expiry_date",
    "generate_signals",
    "signal_from_features",
    "signals_for_day",
]


@dataclass(frozen=True)
class SkippedHit:
    """A hit that did not become a signal, and why."""

    symbol: str
    source: str
    reason: str


def expiry_date(as_of: dt.date, horizon: TimeHorizon) -> dt.date:
    """``horizon.sessions`` weekdays after ``as_of``.

    Examples
    --------
    >>> expiry_date(dt.date(2024, 6, 28), TimeHorizon.SHORT)   # a Friday + 5 weekdays
    datetime.date(2024, 7, 5)
    """
    day = np.busday_offset(np.datetime64(as_of, "D"), horizon.sessions, roll="forward")
    return dt.date.fromisoformat(str(day))


def signal_from_features(
    row: Mapping[str, Any],
    hit: SimpleHit,
    *,
    as_of: dt.date,
    horizon: TimeHorizon,
    stats: PatternStats | None = None,
    agreeing_sources: int = 0,
    opposing_sources: int = 0,
) -> Signal | str:
    """One signal from a features row and its hit, or the reason it cannot be made."""
    close, atr = row.get("close"), row.get("atr_14")
    if close is None or not close > 0:
        return "no positive close on the signal date"
    if atr is None or not atr > 0:
        return "no ATR(14) yet (fewer than 15 sessions of history)"
    direction = Direction.parse(hit.direction)
    s = direction.sign
    target = close + s * horizon.target_atr * atr
    stop = close - s * horizon.stop_atr * atr
    if min(target, stop) <= 0:
        return f"the {'stop' if s > 0 else 'target'} would be at or below zero"
    entry_c, target_c, stop_c = price_to_cents(close), price_to_cents(target), price_to_cents(stop)
    if len({entry_c, target_c, stop_c}) < 3:
        return f"price {close:.4g} is too small for target and stop to differ by a cent"
    risk, risk_factors = risk_assessment(row)
    reward_risk = abs(target_c - entry_c) / abs(entry_c - stop_c)
    profit, profit_factors = profit_potential(
        entry=close, target=target, reward_risk=reward_risk, stats=stats
    )
    conf, conf_factors = confidence(
        row,
        direction=direction,
        strength=float(hit.strength),
        agreeing_sources=agreeing_sources,
        opposing_sources=opposing_sources,
    )
    return Signal(
        symbol=hit.symbol,
        direction=direction,
        entry_cents=entry_c,
        target_cents=target_c,
        stop_cents=stop_c,
        risk_score=risk.score,
        profit_potential_score=profit,
        confidence_score=conf,
        source=hit.source,
        horizon=horizon,
        as_of=as_of,
        expires_on=expiry_date(as_of, horizon),
        asset_class=row.get("asset_class") or "unknown",
        sector=row.get("sector"),
        factors=(*risk_factors, *profit_factors, *conf_factors),
        risk=risk,
    )


def _dedupe(hits: Iterable[SimpleHit]) -> list[SimpleHit]:
    best: dict[tuple[str, str, str], SimpleHit] = {}
    for h in hits:
        key = (h.symbol, Direction.parse(h.direction).value, h.source)
        if key not in best or h.strength > best[key].strength:
            best[key] = h
    return list(best.values())


def generate_signals(
    market: Market,
    hits: Iterable[Hit],
    *,
    horizon: TimeHorizon | str = TimeHorizon.SWING,
    pattern_stats: Mapping[str, PatternStats] | None = None,
    benchmark: str | None = None,
) -> SignalSet:
    """Score ``hits`` into signals, each on its own date, point in time.

    Parameters
    ----------
    market
        The full market; every hit date is read through ``market.as_of(date)``.
    hits
        Scanner or screener hits (:class:`~axion_lab.signals.hits.Hit`).
    horizon
        Sets the expiry and the ATR multiples of target and stop.
    pattern_stats
        Source name -> its resolved history (e.g. from
        :meth:`~axion_lab.signals.calibration.CalibrationResult.pattern_stats`).
    benchmark
        Symbol for beta (default: equal-weight equities).
    """
    term = TimeHorizon.parse(horizon)
    by_day: dict[dt.date, list[SimpleHit]] = defaultdict(list)
    chosen = _dedupe(as_hit(h) for h in hits)
    # A symbol the market never had is a typo: say so. One listed later is skipped.
    market.resolve_symbols(sorted({h.symbol for h in chosen}) or market.symbols[:1])
    for h in chosen:
        assert isinstance(h.ts, dt.date)
        by_day[h.ts].append(h)
    signals: list[Signal] = []
    skipped: list[SkippedHit] = []
    for day in sorted(by_day):
        made, dropped = signals_for_day(
            market.as_of(day),
            by_day[day],
            horizon=term,
            pattern_stats=pattern_stats,
            benchmark=benchmark,
        )
        signals += made
        skipped += dropped
    return SignalSet(tuple(signals), tuple(skipped), term, is_synthetic=market.is_synthetic)


def signals_for_day(
    past: Market,
    hits: Iterable[SimpleHit],
    *,
    horizon: TimeHorizon,
    pattern_stats: Mapping[str, PatternStats] | None = None,
    benchmark: str | None = None,
) -> tuple[list[Signal], list[SkippedHit]]:
    """Signals from hits dated ``past.end``, reading only ``past`` (already cut there)."""
    day = past.end
    day_hits = list(hits)
    late = [h for h in day_hits if h.ts != day]
    if late:
        raise InputError(
            f"Hit on {late[0].symbol} is dated {late[0].ts}, not the market's date {day}."
        )
    if not day_hits:
        return [], []
    listed = set(past.symbols)
    skipped = [
        SkippedHit(h.symbol, h.source, f"not listed on {day.isoformat()}")
        for h in day_hits
        if h.symbol not in listed
    ]
    day_hits = [h for h in day_hits if h.symbol in listed]
    if not day_hits:
        return [], skipped
    wanted = sorted({h.symbol for h in day_hits})
    feats = signal_features(past, symbols=wanted, benchmark=benchmark)
    rows = {r["symbol"]: r for r in feats.iter_rows(named=True)}
    sides: dict[str, list[Direction]] = defaultdict(list)
    for h in day_hits:
        sides[h.symbol].append(Direction.parse(h.direction))
    signals: list[Signal] = []
    for h in day_hits:
        row = rows.get(h.symbol)
        if row is None:
            skipped.append(SkippedHit(h.symbol, h.source, "no bars in the week to the hit date"))
            continue
        side = Direction.parse(h.direction)
        same = sum(d is side for d in sides[h.symbol]) - 1
        made = signal_from_features(
            row,
            h,
            as_of=day,
            horizon=horizon,
            stats=(pattern_stats or {}).get(h.source),
            agreeing_sources=same,
            opposing_sources=len(sides[h.symbol]) - 1 - same,
        )
        if isinstance(made, str):
            skipped.append(SkippedHit(h.symbol, h.source, made))
        else:
            signals.append(made)
    return signals, skipped


@dataclass(frozen=True, eq=False)
class SignalSet:
    """What :func:`generate_signals` returns: signals, skipped hits, the horizon."""

    signals: tuple[Signal, ...]
    skipped: tuple[SkippedHit, ...] = ()
    horizon: TimeHorizon = TimeHorizon.SWING
    is_synthetic: bool = False

    def __len__(self) -> int:
        return len(self.signals)

    def __iter__(self) -> Iterator[Signal]:
        return iter(self.signals)

    def __getitem__(self, index: int) -> Signal:
        return self.signals[index]

    def get(self, symbol: str) -> list[Signal]:
        """Every signal on ``symbol``."""
        wanted = symbol.strip().upper()
        return [s for s in self.signals if s.symbol == wanted]

    def to_frame(self) -> pl.DataFrame:
        """One row per signal (prices in cents, scores, levels), best confidence first."""
        if not self.signals:
            raise InputError("No signals to show; see .skipped for why hits were dropped.")
        frame = pl.DataFrame([s.to_row() for s in self.signals], schema=SIGNAL_SCHEMA)
        return frame.sort(["confidence_score", "symbol"], descending=[True, False])

    to_polars = to_frame

    def to_pandas(self) -> pd.DataFrame:
        """:meth:`to_frame` as pandas, indexed by signal id."""
        return self.to_frame().to_pandas().set_index("id")

    def factors_frame(self) -> pl.DataFrame:
        """Every factor of every signal: id, symbol, kind, name, value, agreement, points."""
        rows = [
            {"id": s.id, "symbol": s.symbol, **f.to_dict()} for s in self.signals for f in s.factors
        ]
        return pl.DataFrame(rows, schema=FACTOR_SCHEMA)

    def skipped_frame(self) -> pl.DataFrame:
        """The hits that did not become signals, with the reason."""
        return pl.DataFrame(
            [{"symbol": k.symbol, "source": k.source, "reason": k.reason} for k in self.skipped],
            schema={"symbol": pl.String, "source": pl.String, "reason": pl.String},
        )

    def __repr__(self) -> str:
        return (
            f"<SignalSet: {len(self.signals)} signals ({self.horizon.value}), "
            f"{len(self.skipped)} skipped>"
        )

    def _repr_html_(self) -> str:
        note = f"{self.horizon.value} horizon; {len(self.skipped)} hits skipped"
        if self.is_synthetic:
            note += "; synthetic data: every company and number is fictional"
        if not self.signals:
            return f"<div><b>No signals</b><br><small>{note}</small></div>"
        return html_table(self.to_frame().drop("id"), title=f"{len(self)} signals", note=note)
