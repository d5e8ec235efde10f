"""``SignalStore``: signals, outcomes, profiles and matches in the database.

The store is the only signals code that persists. Saving a signal replaces its
factors and risk inputs (a regenerated signal has the same id, so saving it again
updates it); :meth:`SignalStore.update_outcomes` re-evaluates every active signal
against a later market and writes the outcomes, closing the ones that hit target,
hit stop or expired.

Examples
--------
>>> import datetime as dt, sqlalchemy as sa
>>> from axion_lab.db import Base
>>> from axion_lab.signals import Signal, SignalStore
>>> engine = sa.create_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> store = SignalStore(bind=engine)
>>> s = Signal(symbol="ACME", direction="short", entry_cents=4_000, target_cents=3_700,
...            stop_cents=4_150, risk_score=55, profit_potential_score=40,
...            confidence_score=65, source="bearish_engulfing", horizon="short",
...            as_of=dt.date(2024, 6, 28), expires_on=dt.date(2024, 7, 5))
>>> store.save_signals([s])
1
>>> store.load_signal(s.id) == s
True
>>> [x.symbol for x in store.active_signals(as_of=dt.date(2024, 7, 1))]
['ACME']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa

from axion_lab.exceptions import UnknownNameError
from axion_lab.signals.config import SignalStatus
from axion_lab.signals.matching import MatchResult
from axion_lab.signals.models import RiskAssessment, Signal, SignalFactor, SignalPerformance
from axion_lab.signals.profiles import SignalMatch, UserProfile
from axion_lab.signals.tracking import OutcomeSet, evaluate_outcomes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from axion_lab.data.market import DateLike, Market
    from axion_lab.db.models import SignalRow

__all__ = ["SignalStore"]


class SignalStore:
    """Signals in the database of the settings in force (or ``bind``)."""

    def __init__(self, *, bind: sa.Engine | None = None) -> None:
        self.bind = bind

    @contextmanager
    def _scope(self) -> Iterator[Session]:
        from axion_lab.db import session_scope

        with session_scope(bind=self.bind) as session:
            yield session

    # --- signals ------------------------------------------------------------------
    def save_signals(self, signals: Iterable[Signal]) -> int:
        """Insert or replace signals with their factors and risk inputs; return the count."""
        from axion_lab.db.models import RiskAssessmentRow, SignalFactorRow, SignalRow

        chosen = list(signals)
        ids = [s.id for s in chosen]
        with self._scope() as db:
            for model in (SignalFactorRow, RiskAssessmentRow):
                db.execute(sa.delete(model).where(model.signal_id.in_(ids)))
            for s in chosen:
                row = s.to_row()
                row.pop("risk_level")
                db.merge(SignalRow(**row))
            db.flush()
            for s in chosen:
                for seq, f in enumerate(s.factors):
                    db.add(SignalFactorRow(signal_id=s.id, seq=seq, **f.to_dict()))
                if s.risk is not None:
                    r = s.risk
                    db.add(
                        RiskAssessmentRow(
                            signal_id=s.id,
                            score=r.score,
                            volatility=r.volatility,
                            beta=r.beta,
                            avg_dollar_volume=r.avg_dollar_volume,
                            atr=r.atr,
                            atr_pct=r.atr_pct,
                            components=dict(r.components),
                        )
                    )
        return len(chosen)

    def _hydrate(self, db: Session, rows: Sequence[SignalRow]) -> list[Signal]:
        from axion_lab.db.models import RiskAssessmentRow, SignalFactorRow

        ids = [r.id for r in rows]
        if not ids:
            return []
        factors: dict[str, list[SignalFactor]] = {i: [] for i in ids}
        query = (
            sa.select(SignalFactorRow)
            .where(SignalFactorRow.signal_id.in_(ids))
            .order_by(SignalFactorRow.signal_id, SignalFactorRow.seq)
        )
        for f in db.scalars(query):
            factors[f.signal_id].append(
                SignalFactor(f.name, f.kind, f.value, f.agreement, f.weight, f.points, f.detail)  # type: ignore[arg-type]
            )
        risks = {
            r.signal_id: RiskAssessment(
                score=r.score,
                volatility=r.volatility,
                beta=r.beta,
                avg_dollar_volume=r.avg_dollar_volume,
                atr=r.atr,
                atr_pct=r.atr_pct,
                components=r.components or {},
            )
            for r in db.scalars(
                sa.select(RiskAssessmentRow).where(RiskAssessmentRow.signal_id.in_(ids))
            )
        }
        return [
            Signal(
                id=r.id,
                symbol=r.symbol,
                direction=r.direction,  # type: ignore[arg-type]
                entry_cents=r.entry_cents,
                target_cents=r.target_cents,
                stop_cents=r.stop_cents,
                risk_score=r.risk_score,
                profit_potential_score=r.profit_potential_score,
                confidence_score=r.confidence_score,
                source=r.source,
                horizon=r.horizon,  # type: ignore[arg-type]
                as_of=r.as_of,
                expires_on=r.expires_on,
                asset_class=r.asset_class,
                sector=r.sector,
                factors=tuple(factors[r.id]),
                risk=risks.get(r.id),
            )
            for r in rows
        ]

    def load_signal(self, signal_id: str) -> Signal:
        """One signal by id (raises with suggestions if unknown)."""
        from axion_lab.db.models import SignalRow

        with self._scope() as db:
            row = db.get(SignalRow, signal_id)
            if row is None:
                known = db.scalars(sa.select(SignalRow.id).limit(1000)).all()
                raise UnknownNameError.for_name("signal", signal_id, known)
            return self._hydrate(db, [row])[0]

    def active_signals(self, *, as_of: dt.date | None = None) -> list[Signal]:
        """Open signals (not expired by ``as_of`` if given), most confident first."""
        from axion_lab.db.models import SignalRow

        query = sa.select(SignalRow).where(SignalRow.status == SignalStatus.ACTIVE.value)
        if as_of is not None:
            query = query.where(SignalRow.expires_on > as_of, SignalRow.as_of <= as_of)
        query = query.order_by(SignalRow.confidence_score.desc(), SignalRow.id)
        with self._scope() as db:
            return self._hydrate(db, db.scalars(query).all())

    def signals_for_symbol(
        self, symbol: str, *, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Signal]:
        """Every signal on ``symbol`` dated within ``[start, end]``, oldest first."""
        from axion_lab.db.models import SignalRow

        query = sa.select(SignalRow).where(SignalRow.symbol == symbol.strip().upper())
        if start is not None:
            query = query.where(SignalRow.as_of >= start)
        if end is not None:
            query = query.where(SignalRow.as_of <= end)
        with self._scope() as db:
            return self._hydrate(
                db, db.scalars(query.order_by(SignalRow.as_of, SignalRow.id)).all()
            )

    # --- outcomes -----------------------------------------------------------------
    def save_outcomes(self, outcomes: Iterable[SignalPerformance]) -> int:
        """Write outcomes and set each signal's status; return the count."""
        from axion_lab.db.models import SignalPerformanceRow, SignalRow

        chosen = list(outcomes)
        with self._scope() as db:
            for o in chosen:
                db.merge(SignalPerformanceRow(**o.to_row()))
                db.execute(
                    sa.update(SignalRow)
                    .where(SignalRow.id == o.signal_id)
                    .values(status=o.status.value)
                )
        return len(chosen)

    def update_outcomes(self, market: Market, *, as_of: DateLike | None = None) -> OutcomeSet:
        """Evaluate every active signal against ``market`` (as of a date) and save the outcomes."""
        day = (market.as_of(as_of) if as_of is not None else market).end
        open_signals = [s for s in self.active_signals() if s.as_of < day]
        result = evaluate_outcomes(open_signals, market, as_of=as_of)
        self.save_outcomes(result)
        return result

    def performance(self, signal_id: str) -> SignalPerformance | None:
        """The latest saved outcome of a signal (``None`` if never evaluated)."""
        from axion_lab.db.models import SignalPerformanceRow

        with self._scope() as db:
            row = db.get(SignalPerformanceRow, signal_id)
            if row is None:
                return None
            return SignalPerformance(
                signal_id=row.signal_id,
                status=SignalStatus(row.status),
                evaluated_on=row.evaluated_on,
                entry_cents=row.entry_cents,
                last_cents=row.last_cents,
                exit_cents=row.exit_cents,
                exit_on=row.exit_on,
                return_cents=row.return_cents,
                return_bps=row.return_bps,
                sessions=row.sessions,
            )

    # --- profiles and matches -------------------------------------------------------
    def save_profile(self, profile: UserProfile) -> None:
        """Insert or replace a user profile."""
        from axion_lab.db.models import UserProfileRow

        with self._scope() as db:
            db.merge(UserProfileRow(**profile.to_dict(), updated_at=dt.datetime.now(dt.UTC)))

    def load_profile(self, user_id: str) -> UserProfile:
        """A saved profile (raises with suggestions if unknown)."""
        from axion_lab.db.models import UserProfileRow

        with self._scope() as db:
            row = db.get(UserProfileRow, user_id)
            if row is None:
                known = db.scalars(sa.select(UserProfileRow.user_id)).all()
                raise UnknownNameError.for_name("user profile", user_id, known)
            return UserProfile(
                user_id=row.user_id,
                name=row.name,
                risk_tolerance=row.risk_tolerance,
                asset_classes=row.asset_classes,
                time_horizon=row.time_horizon,  # type: ignore[arg-type]
                portfolio_cents=row.portfolio_cents,
                max_position_pct=row.max_position_pct,
                max_sector_pct=row.max_sector_pct,
                max_loss_pct=row.max_loss_pct,
            )

    def save_matches(self, result: MatchResult) -> int:
        """Replace the user's matches with ``result`` (saving the profile too)."""
        from axion_lab.db.models import SignalMatchRow

        self.save_profile(result.profile)
        user = result.profile.user_id
        with self._scope() as db:
            db.execute(sa.delete(SignalMatchRow).where(SignalMatchRow.user_id == user))
            for m in result.matches:
                db.add(
                    SignalMatchRow(
                        user_id=user,
                        signal_id=m.signal_id,
                        rank=m.rank,
                        score=m.score,
                        breakdown=dict(m.breakdown),
                        reasons=list(m.reasons),
                        shares=m.shares,
                        position_cents=m.position_cents,
                    )
                )
        return len(result.matches)

    def matches_for_user(self, user_id: str) -> list[SignalMatch]:
        """A user's saved matches, best first."""
        from axion_lab.db.models import SignalMatchRow, SignalRow

        query = (
            sa.select(SignalMatchRow, SignalRow.symbol)
            .join(SignalRow, SignalRow.id == SignalMatchRow.signal_id)
            .where(SignalMatchRow.user_id == user_id)
            .order_by(SignalMatchRow.rank)
        )
        with self._scope() as db:
            return [
                SignalMatch(
                    user_id=m.user_id,
                    signal_id=m.signal_id,
                    symbol=symbol,
                    rank=m.rank,
                    score=m.score,
                    breakdown=m.breakdown,
                    reasons=tuple(m.reasons),
                    shares=m.shares,
                    position_cents=m.position_cents,
                )
                for m, symbol in db.execute(query).all()
            ]
