"""Matching: rank signals for one user, size them, and say why.

For each signal, in order:

1. **Eligibility.** A signal is rejected (with the reason) if its risk score is
   above the user's ``max_risk_score`` (tolerance + 15), its asset class is not in
   the user's preferences, or no whole share fits the limits.
2. **Components, 0-100.** ``risk``: 100 minus 2 points per point above the
   tolerance, or 0.5 per point below it (too timid is a small miss, too risky a big
   one); ``asset``: the class's preference weight; ``horizon``: 100 if it matches,
   50 for a neighbour, 0 otherwise; ``quality``: mean of profit potential and
   confidence; ``sizing``: the share of the intended position (``max_position_pct``)
   the limits allow.
3. **Sizing and concentration.** Signals are sized greedily in order of their score
   without sizing: the smallest of the shares the loss limit allows (``max_loss_pct``
   of the portfolio / risk per share), the position limit (minus any holding in the
   symbol) and the room left in the sector (holdings plus positions proposed above).
   So the proposals together never break the sector limit.
4. **Score** = weighted components (:data:`~axion_lab.signals.config.MATCH_WEIGHTS`),
   rank by score, ties to the lower risk.

Examples
--------
>>> import datetime as dt
>>> from axion_lab.signals import Signal, UserProfile, match_signals
>>> def sig(sym, risk):
...     return Signal(symbol=sym, direction="long", entry_cents=5_000, target_cents=5_600,
...         stop_cents=4_700, risk_score=risk, profit_potential_score=50,
...         confidence_score=60, source="demo", horizon="swing", as_of=dt.date(2024, 6, 28),
...         expires_on=dt.date(2024, 7, 26), sector="Energy")
>>> res = match_signals([sig("HOT", 85), sig("CALM", 20)], UserProfile("ada", risk_tolerance=20))
>>> [m.symbol for m in res.matches], [r.symbol for r in res.rejected]
(['CALM'], ['HOT'])
>>> res.matches[0].shares    # $1,000 loss budget / $3 risk a share = 333; $5,000 cap / $50 = 100
100
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.signals.config import MATCH_WEIGHTS, TimeHorizon
from axion_lab.signals.display import html_table
from axion_lab.signals.models import Signal
from axion_lab.signals.money import format_cents
from axion_lab.signals.profiles import Holding, SignalMatch, UserProfile

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MatchResult", "RejectedSignal", "match_signals"]

_HORIZON_ORDER = list(TimeHorizon)


@dataclass(frozen=True)
class RejectedSignal:
    """A signal not offered to the user, and why."""

    signal_id: str
    symbol: str
    reason: str


def _risk_fit(risk: int, tolerance: int) -> int:
    gap = risk - tolerance
    return round(max(0.0, 100.0 - (2.0 * gap if gap > 0 else -0.5 * gap)))


def _horizon_fit(signal: TimeHorizon, user: TimeHorizon) -> int:
    distance = abs(_HORIZON_ORDER.index(signal) - _HORIZON_ORDER.index(user))
    return {0: 100, 1: 50}.get(distance, 0)


def _weighted(parts: dict[str, int]) -> int:
    return round(sum(MATCH_WEIGHTS[k] * v for k, v in parts.items()) / sum(MATCH_WEIGHTS.values()))


def match_signals(
    signals: Iterable[Signal],
    profile: UserProfile,
    *,
    holdings: Iterable[Holding] = (),
    limit: int | None = None,
) -> MatchResult:
    """Rank ``signals`` for ``profile``; see the module docstring for the rules."""
    held = list(holdings)
    by_symbol: dict[str, int] = defaultdict(int)
    by_sector: dict[str, int] = defaultdict(int)
    for h in held:
        by_symbol[h.symbol] += h.value_cents
        by_sector[h.sector or "(none)"] += h.value_cents
    portfolio = profile.portfolio_cents
    intended = int(profile.max_position_pct * portfolio)
    sector_cap = int(profile.max_sector_pct * portfolio)
    loss_budget = int(profile.max_loss_pct * portfolio)

    rejected: list[RejectedSignal] = []
    candidates: list[tuple[int, Signal, dict[str, int]]] = []
    for s in signals:
        if s.risk_score > profile.max_risk_score:
            rejected.append(
                RejectedSignal(
                    s.id,
                    s.symbol,
                    f"risk {s.risk_score} ({s.risk_level.value}) is above your limit "
                    f"{profile.max_risk_score} (tolerance {profile.risk_tolerance})",
                )
            )
            continue
        weight = profile.asset_weight(s.asset_class)
        if weight <= 0:
            rejected.append(
                RejectedSignal(
                    s.id, s.symbol, f"asset class {s.asset_class!r} is not in your preferences"
                )
            )
            continue
        parts = {
            "risk": _risk_fit(s.risk_score, profile.risk_tolerance),
            "asset": round(100 * weight),
            "horizon": _horizon_fit(s.horizon, profile.time_horizon),
            "quality": round((s.profit_potential_score + s.confidence_score) / 2),
        }
        pre = _weighted(parts)
        candidates.append((pre, s, parts))

    candidates.sort(key=lambda c: (-c[0], c[1].risk_score, c[1].id))
    proposed_sector: dict[str, int] = defaultdict(int)
    sized: list[tuple[int, Signal, dict[str, int], int, int, list[str]]] = []
    for _, s, parts in candidates:
        sector = s.sector or "(none)"
        limits = {
            "the per-trade loss limit": loss_budget // s.risk_cents,
            "the position limit": max(0, intended - by_symbol[s.symbol]) // s.entry_cents,
            f"the {sector} sector limit": max(
                0, sector_cap - by_sector[sector] - proposed_sector[sector]
            )
            // s.entry_cents,
        }
        binding = min(limits, key=lambda k: limits[k])
        shares = limits[binding]
        if shares < 1:
            rejected.append(RejectedSignal(s.id, s.symbol, f"no whole share fits {binding}"))
            continue
        position = shares * s.entry_cents
        proposed_sector[sector] += position
        full = {**parts, "sizing": min(100, round(100 * position / intended)) if intended else 0}
        after = by_sector[sector] + proposed_sector[sector]
        why = _Sizing(shares, position, binding, sector, after)
        sized.append((_weighted(full), s, full, shares, position, _reasons(s, profile, full, why)))

    sized.sort(key=lambda c: (-c[0], c[1].risk_score, c[1].id))
    if limit is not None:
        sized = sized[:limit]
    matches = tuple(
        SignalMatch(
            user_id=profile.user_id,
            signal_id=s.id,
            symbol=s.symbol,
            rank=i,
            score=score,
            breakdown=parts,
            reasons=tuple(reasons),
            shares=shares,
            position_cents=position,
        )
        for i, (score, s, parts, shares, position, reasons) in enumerate(sized, 1)
    )
    return MatchResult(profile, matches, tuple(rejected))


@dataclass(frozen=True)
class _Sizing:
    shares: int
    position: int
    binding: str
    sector: str
    sector_after: int


def _reasons(s: Signal, profile: UserProfile, parts: dict[str, int], z: _Sizing) -> list[str]:
    tol = profile.risk_tolerance
    if s.risk_score <= tol:
        risk = f"risk {s.risk_score} ({s.risk_level.value}) is within your tolerance {tol}"
    else:
        risk = f"risk {s.risk_score} is {s.risk_score - tol} points above your tolerance {tol}"
    horizon = (
        f"{s.horizon.value} horizon matches yours"
        if s.horizon is profile.time_horizon
        else f"{s.horizon.value} horizon differs from your {profile.time_horizon.value}"
    )
    pct = z.position / profile.portfolio_cents
    return [
        risk,
        f"{s.asset_class}: preference {parts['asset']}%",
        horizon,
        f"profit potential {s.profit_potential_score}, confidence {s.confidence_score}",
        f"{z.shares:,} shares = {format_cents(z.position)} ({pct:.1%} of portfolio), "
        f"limited by {z.binding}",
        f"{z.sector}: {z.sector_after / profile.portfolio_cents:.1%} of portfolio after this "
        f"(limit {profile.max_sector_pct:.0%})",
    ]


@dataclass(frozen=True, eq=False)
class MatchResult:
    """What :func:`match_signals` returns: ranked matches and rejected signals."""

    profile: UserProfile
    matches: tuple[SignalMatch, ...]
    rejected: tuple[RejectedSignal, ...] = ()

    def __len__(self) -> int:
        return len(self.matches)

    def __iter__(self) -> Iterator[SignalMatch]:
        return iter(self.matches)

    def __getitem__(self, index: int) -> SignalMatch:
        return self.matches[index]

    def to_frame(self) -> pl.DataFrame:
        """One row per match: rank, symbol, score, breakdown columns, size, reasons."""
        schema: dict[str, pl.DataType] = {
            "rank": pl.Int64(),
            "symbol": pl.String(),
            "score": pl.Int64(),
            **{k: pl.Int64() for k in MATCH_WEIGHTS},
            "shares": pl.Int64(),
            "position_cents": pl.Int64(),
            "signal_id": pl.String(),
            "reasons": pl.List(pl.String),
        }
        rows = [
            {
                "rank": m.rank,
                "symbol": m.symbol,
                "score": m.score,
                **{k: m.breakdown.get(k) for k in MATCH_WEIGHTS},
                "shares": m.shares,
                "position_cents": m.position_cents,
                "signal_id": m.signal_id,
                "reasons": list(m.reasons),
            }
            for m in self.matches
        ]
        return pl.DataFrame(rows, schema=schema)

    to_polars = to_frame

    def to_pandas(self) -> pd.DataFrame:
        """:meth:`to_frame` as pandas, indexed by rank."""
        return self.to_frame().to_pandas().set_index("rank")

    def explain(self) -> str:
        """Every match's explanation, then the rejections."""
        lines = [m.explain() for m in self.matches]
        lines += [f"not offered: {r.symbol}: {r.reason}" for r in self.rejected]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<MatchResult for {self.profile.user_id!r}: {len(self.matches)} matches, "
            f"{len(self.rejected)} rejected>"
        )

    def _repr_html_(self) -> str:
        p = self.profile
        note = (
            f"risk tolerance {p.risk_tolerance} (max {p.max_risk_score}), "
            f"{p.time_horizon.value} horizon, portfolio {format_cents(p.portfolio_cents)}; "
            f"{len(self.rejected)} signals not offered"
        )
        title = f"Signals for {p.name or p.user_id}"
        if not self.matches:
            return (
                f"<div><b>{html.escape(title)}</b>: no matches"
                f"<br><small>{html.escape(note)}</small></div>"
            )
        return html_table(self.to_frame(), title=title, note=note)
