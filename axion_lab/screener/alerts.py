"""``ScreenAlertManager``: re-run saved screens and alert on names entering or leaving.

Each :meth:`~ScreenAlertManager.run` runs a saved screen (its latest version) as of
a date, stores the run and the symbols it matched, and compares them with the
previous run of that screen: a symbol present now and not then **entered**, one
present then and not now **exited**. A name that stays in is therefore alerted once,
not on every run. ``cooldown_days`` debounces names that flap around a threshold: an
alert of the same kind for the same symbol within that many days of an earlier one is
not raised again (the membership is still recorded, so the next comparison is exact).

The first run of a screen is a baseline: it records the members and raises no alert
unless ``alert_on_first_run=True``. Runs step forward in time; a run dated before the
screen's latest run is refused (alerts are a timeline, not a backfill).

Examples
--------
>>> import sqlalchemy as sa
>>> from axion_lab import load_market
>>> from axion_lab.db import Base
>>> from axion_lab.screener import ScreenerEngine, get_preset
>>> from axion_lab.screener.alerts import ScreenAlertManager
>>> from axion_lab.screener.manager import ScreenManager
>>> engine = sa.create_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> screens = ScreenManager(bind=engine)
>>> _ = screens.save(get_preset("quality"), name="quality")
>>> alerts = ScreenAlertManager(ScreenerEngine(load_market()), screens=screens)
>>> first = alerts.run("quality", as_of="2024-05-31")
>>> first.is_baseline, first.alerts
(True, ())
>>> later = alerts.run("quality", as_of="2024-06-28")
>>> set(later.entered) == set(later.members) - set(first.members)
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import polars as pl

from axion_lab.data.market import DateLike
from axion_lab.exceptions import InputError
from axion_lab.screener.manager import ScreenManager

if TYPE_CHECKING:
    from axion_lab.screener.engine import ScreenerEngine

__all__ = ["AlertRun", "ScreenAlert", "ScreenAlertManager"]

AlertKind = Literal["entered", "exited"]


@dataclass(frozen=True)
class ScreenAlert:
    """A symbol that entered or left a saved screen's matches."""

    id: int
    screen: str
    symbol: str
    kind: AlertKind
    as_of: dt.date
    acknowledged: bool = False


@dataclass(frozen=True)
class AlertRun:
    """What one :meth:`ScreenAlertManager.run` found."""

    screen: str
    version: int
    as_of: dt.date
    run_id: int
    members: tuple[str, ...]
    alerts: tuple[ScreenAlert, ...]
    is_baseline: bool
    suppressed: tuple[str, ...] = ()
    """Symbols whose change fell inside the cool-down and raised no alert."""

    @property
    def entered(self) -> tuple[str, ...]:
        """Symbols alerted as entering at this run."""
        return tuple(a.symbol for a in self.alerts if a.kind == "entered")

    @property
    def exited(self) -> tuple[str, ...]:
        """Symbols alerted as leaving at this run."""
        return tuple(a.symbol for a in self.alerts if a.kind == "exited")

    def __repr__(self) -> str:
        what = (
            "baseline"
            if self.is_baseline
            else (f"+{len(self.entered)} entered, -{len(self.exited)} exited")
        )
        return (
            f"<AlertRun {self.screen!r} v{self.version} as of {self.as_of}: "
            f"{len(self.members)} members; {what}>"
        )


_ALERT_SCHEMA = {
    "id": pl.Int64,
    "screen": pl.String,
    "symbol": pl.String,
    "kind": pl.String,
    "as_of": pl.Date,
    "acknowledged": pl.Boolean,
}


class ScreenAlertManager:
    """Runs saved screens on a market and keeps their alerts in the database.

    Parameters
    ----------
    engine
        The screener engine (and so the market) runs use.
    screens
        Where the saved screens are (its ``bind`` is used for the alert tables too).
    cooldown_days
        Calendar days during which a symbol is not alerted again for the same kind of
        change (0: every change alerts).
    alert_on_first_run
        Alert every member of a screen's first run as entered.
    """

    def __init__(
        self,
        engine: ScreenerEngine,
        *,
        screens: ScreenManager | None = None,
        cooldown_days: int = 0,
        alert_on_first_run: bool = False,
    ) -> None:
        if isinstance(cooldown_days, bool) or cooldown_days < 0:
            raise InputError(
                f"cooldown_days must be a non-negative integer, got {cooldown_days!r}."
            )
        self.engine = engine
        self.screens = screens if screens is not None else ScreenManager()
        self.cooldown_days = int(cooldown_days)
        self.alert_on_first_run = alert_on_first_run

    def __repr__(self) -> str:
        return f"<ScreenAlertManager cooldown={self.cooldown_days}d over {self.engine!r}>"

    def run(self, name: str, *, as_of: DateLike | None = None) -> AlertRun:
        """Run saved screen ``name`` as of ``as_of``; store it; alert on changes."""
        import sqlalchemy as sa

        from axion_lab.db.models.screens import (
            ScreenAlertRow,
            ScreenRunMember,
            ScreenRunRow,
        )

        saved = self.screens.get(name)
        market = self.engine.market
        day = market.end if as_of is None else market.check_date(as_of, what="as-of date")
        # Every match counts, not just the first `limit` shown: an alert is about
        # membership, and a display limit would make names flap at the cut-off.
        result = self.engine.run(saved.screen.replace(limit=None), as_of=day, columns=("symbol",))
        members = tuple(sorted(result.frame["symbol"].to_list()))
        with self.screens._scope() as db:
            row = self.screens._row(db, saved.name)
            last = db.scalar(
                sa.select(ScreenRunRow)
                .where(ScreenRunRow.screen_id == row.id)
                .order_by(ScreenRunRow.as_of.desc(), ScreenRunRow.id.desc())
                .limit(1)
            )
            if last is not None and last.as_of > day:
                raise InputError(
                    f"Screen {saved.name!r} was last run as of {last.as_of}; runs step forward "
                    f"in time, so {day} is too early. Run a later date."
                )
            previous: set[str] | None = None
            if last is not None:
                previous = set(
                    db.scalars(
                        sa.select(ScreenRunMember.symbol).where(ScreenRunMember.run_id == last.id)
                    )
                )
            run = ScreenRunRow(
                screen_id=row.id,
                version=saved.version,
                as_of=day,
                matched=result.matched,
                universe_size=result.universe_size,
            )
            db.add(run)
            db.flush()
            db.add_all(ScreenRunMember(run_id=run.id, symbol=s) for s in members)
            baseline = previous is None
            if baseline and not self.alert_on_first_run:
                changes: list[tuple[str, AlertKind]] = []
            else:
                before = previous or set()
                now = set(members)
                changes = [(s, "entered") for s in sorted(now - before)]
                changes += [(s, "exited") for s in sorted(before - now)]
            recent = self._recent(db, row.id, day, [s for s, _ in changes])
            raised: list[ScreenAlertRow] = []
            suppressed: list[str] = []
            for symbol, kind in changes:
                if (symbol, kind) in recent:
                    suppressed.append(symbol)
                    continue
                alert = ScreenAlertRow(
                    screen_id=row.id, run_id=run.id, symbol=symbol, kind=kind, as_of=day
                )
                db.add(alert)
                raised.append(alert)
            db.flush()
            alerts = tuple(
                ScreenAlert(a.id, saved.name, a.symbol, kind_of(a.kind), day) for a in raised
            )
            return AlertRun(
                screen=saved.name,
                version=saved.version,
                as_of=day,
                run_id=run.id,
                members=members,
                alerts=alerts,
                is_baseline=baseline,
                suppressed=tuple(suppressed),
            )

    def _recent(
        self, db: object, screen_id: int, day: dt.date, symbols: Sequence[str]
    ) -> set[tuple[str, str]]:
        """(symbol, kind) pairs alerted within the cool-down before ``day``."""
        if self.cooldown_days == 0 or not symbols:
            return set()
        import sqlalchemy as sa
        from sqlalchemy.orm import Session

        from axion_lab.db.models.screens import ScreenAlertRow

        assert isinstance(db, Session)
        since = day - dt.timedelta(days=self.cooldown_days)
        rows = db.execute(
            sa.select(ScreenAlertRow.symbol, ScreenAlertRow.kind).where(
                ScreenAlertRow.screen_id == screen_id,
                ScreenAlertRow.as_of > since,
                ScreenAlertRow.as_of <= day,
                ScreenAlertRow.symbol.in_(list(symbols)),
            )
        ).all()
        return {(r[0], r[1]) for r in rows}

    def alerts(
        self,
        name: str | None = None,
        *,
        unacknowledged: bool = False,
        since: DateLike | None = None,
    ) -> pl.DataFrame:
        """Alerts (of one screen, or all), oldest first, as a frame."""
        import sqlalchemy as sa

        from axion_lab.data.market import to_date
        from axion_lab.db.models.screens import SavedScreenRow, ScreenAlertRow

        query = (
            sa.select(
                ScreenAlertRow.id,
                SavedScreenRow.name,
                ScreenAlertRow.symbol,
                ScreenAlertRow.kind,
                ScreenAlertRow.as_of,
                ScreenAlertRow.acknowledged_at.is_not(None),
            )
            .join(SavedScreenRow, SavedScreenRow.id == ScreenAlertRow.screen_id)
            .order_by(ScreenAlertRow.as_of, ScreenAlertRow.id)
        )
        with self.screens._scope() as db:
            if name is not None:
                query = query.where(ScreenAlertRow.screen_id == self.screens._row(db, name).id)
            if unacknowledged:
                query = query.where(ScreenAlertRow.acknowledged_at.is_(None))
            if since is not None:
                query = query.where(ScreenAlertRow.as_of >= to_date(since, what="since"))
            rows = db.execute(query).all()
        return pl.DataFrame([tuple(r) for r in rows], schema=_ALERT_SCHEMA, orient="row")

    def runs(self, name: str) -> pl.DataFrame:
        """The runs of a saved screen: run_id, version, as_of, matched, universe_size."""
        import sqlalchemy as sa

        from axion_lab.db.models.screens import ScreenRunRow

        with self.screens._scope() as db:
            row = self.screens._row(db, name)
            rows = db.execute(
                sa.select(
                    ScreenRunRow.id,
                    ScreenRunRow.version,
                    ScreenRunRow.as_of,
                    ScreenRunRow.matched,
                    ScreenRunRow.universe_size,
                )
                .where(ScreenRunRow.screen_id == row.id)
                .order_by(ScreenRunRow.as_of, ScreenRunRow.id)
            ).all()
        return pl.DataFrame(
            [tuple(r) for r in rows],
            schema={
                "run_id": pl.Int64,
                "version": pl.Int64,
                "as_of": pl.Date,
                "matched": pl.Int64,
                "universe_size": pl.Int64,
            },
            orient="row",
        )

    def acknowledge(
        self, ids: int | Sequence[int] | None = None, *, name: str | None = None
    ) -> int:
        """Mark alerts acknowledged: these ``ids``, or every open one (of ``name``).

        Returns how many alerts changed. Unknown ids raise ``InputError``.
        """
        import sqlalchemy as sa

        from axion_lab.db.base import utcnow
        from axion_lab.db.models.screens import ScreenAlertRow

        query = sa.update(ScreenAlertRow).where(ScreenAlertRow.acknowledged_at.is_(None))
        with self.screens._scope() as db:
            if ids is not None:
                wanted = [ids] if isinstance(ids, int) else [int(i) for i in ids]
                found = set(
                    db.scalars(sa.select(ScreenAlertRow.id).where(ScreenAlertRow.id.in_(wanted)))
                )
                missing = sorted(set(wanted) - found)
                if missing:
                    raise InputError(f"No alert with id(s) {missing}; see .alerts().")
                query = query.where(ScreenAlertRow.id.in_(wanted))
            if name is not None:
                query = query.where(ScreenAlertRow.screen_id == self.screens._row(db, name).id)
            changed = db.execute(query.values(acknowledged_at=utcnow()))
            return int(getattr(changed, "rowcount", 0) or 0)


def kind_of(value: str) -> AlertKind:
    """``value`` as an alert kind (the check constraint guarantees one of the two)."""
    if value == "entered":
        return "entered"
    if value == "exited":
        return "exited"
    raise InputError(f"Unknown alert kind {value!r}.")
