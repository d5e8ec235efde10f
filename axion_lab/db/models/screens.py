"""Saved screens, their versions, alert runs, run membership and alert events.

A screen is a name (``screens``) with numbered versions (``screen_versions``, each
the screen's versioned JSON document, see :mod:`axion_lab.screener.serialize`).
Alerting re-runs a saved screen: every run is a row (``screen_runs``) with the
symbols that matched (``screen_run_members``), and each symbol that entered or left
since the previous run is an event (``screen_alerts``) until acknowledged. Children
are deleted with their screen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, JSONType, SymbolType, utcnow

__all__ = [
    "ALERT_KINDS",
    "SavedScreenRow",
    "ScreenAlertRow",
    "ScreenRunMember",
    "ScreenRunRow",
    "ScreenVersionRow",
]

ALERT_KINDS: Final = ("entered", "exited")


def _screen_fk() -> sa.ForeignKey:
    # A ForeignKey object belongs to one column: each child table needs its own.
    return sa.ForeignKey("screens.id", ondelete="CASCADE")


def _now() -> Any:
    return mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )


class SavedScreenRow(Base):
    """One saved screen name; its documents are in :class:`ScreenVersionRow`.

    Examples
    --------
    >>> SavedScreenRow(name="value ideas", latest_version=1).name
    'value ideas'
    """

    __tablename__ = "screens"
    __table_args__ = (
        sa.UniqueConstraint("name"),
        {"comment": "Saved screener screens (one row per name)."},
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    latest_version: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = _now()
    updated_at: Mapped[dt.datetime] = _now()

    def __repr__(self) -> str:
        return f"SavedScreenRow({self.name!r}, v{self.latest_version})"


class ScreenVersionRow(Base):
    """One saved version of a screen: its document as written by ``screen_to_dict``."""

    __tablename__ = "screen_versions"
    __table_args__ = ({"comment": "Every saved version of a screen, as a versioned document."},)

    screen_id: Mapped[int] = mapped_column(sa.Integer, _screen_fk(), primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSONType)
    schema_version: Mapped[int] = mapped_column(sa.Integer)
    note: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    created_at: Mapped[dt.datetime] = _now()


class ScreenRunRow(Base):
    """One alerting run of a saved screen as of a date."""

    __tablename__ = "screen_runs"
    __table_args__ = (
        sa.Index(None, "screen_id", "as_of"),
        {"comment": "Alerting runs of saved screens: when, which version, how many matched."},
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    screen_id: Mapped[int] = mapped_column(sa.Integer, _screen_fk())
    version: Mapped[int] = mapped_column(sa.Integer)
    as_of: Mapped[dt.date] = mapped_column(sa.Date)
    matched: Mapped[int] = mapped_column(sa.Integer)
    universe_size: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = _now()


class ScreenRunMember(Base):
    """A symbol that matched in a run."""

    __tablename__ = "screen_run_members"
    __table_args__ = ({"comment": "Symbols matching each alerting run."},)

    run_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("screen_runs.id", ondelete="CASCADE"), primary_key=True
    )
    symbol: Mapped[str] = mapped_column(SymbolType, primary_key=True)


class ScreenAlertRow(Base):
    """A symbol that entered or left a screen's matches at a run."""

    __tablename__ = "screen_alerts"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in ALERT_KINDS) + ")", name="kind"
        ),
        sa.Index(None, "screen_id", "symbol"),
        sa.Index(None, "acknowledged_at"),
        {"comment": "Screen alerts: symbols entering or leaving a saved screen."},
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    screen_id: Mapped[int] = mapped_column(sa.Integer, _screen_fk())
    run_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("screen_runs.id", ondelete="CASCADE")
    )
    symbol: Mapped[str] = mapped_column(SymbolType)
    kind: Mapped[str] = mapped_column(sa.String(8))
    as_of: Mapped[dt.date] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = _now()
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
