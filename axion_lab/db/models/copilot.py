"""Copilot sessions: the conversation, every tool call, every trade idea.

A session row holds the profile, usage and answers (JSON); its messages, tool calls
and ideas are child rows, deleted with it. Messages keep the exact Messages API
content blocks so a session can be resumed where it stopped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, JSONType, SymbolType, utcnow

__all__ = [
    "DIRECTIONS",
    "CopilotIdea",
    "CopilotMessage",
    "CopilotSessionRow",
    "CopilotToolCall",
]

DIRECTIONS: Final = ("long", "short")


def _session_fk() -> sa.ForeignKey:
    # A ForeignKey object belongs to one column: each child table needs its own.
    return sa.ForeignKey("copilot_sessions.id", ondelete="CASCADE")


class CopilotSessionRow(Base):
    """One copilot session (see :class:`axion_lab.copilot.CopilotSession`).

    Examples
    --------
    >>> CopilotSessionRow(id="abc", title="Energy", risk_tolerance="moderate",
    ...                   style="value").title
    'Energy'
    """

    __tablename__ = "copilot_sessions"
    __table_args__ = (
        sa.Index(None, "updated_at"),
        {"comment": "AI copilot sessions: profile, usage and answers."},
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    model: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    risk_tolerance: Mapped[str] = mapped_column(sa.String(16))
    style: Mapped[str] = mapped_column(sa.String(16))
    portfolio: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    usage: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    answers: Mapped[list[Any] | None] = mapped_column(JSONType)
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )

    def __repr__(self) -> str:
        return f"CopilotSessionRow({self.id!r}, {self.title!r})"


class CopilotMessage(Base):
    """One message of a session, in order (``seq``), as Messages API content."""

    __tablename__ = "copilot_messages"
    __table_args__ = ({"comment": "Copilot conversation messages (Messages API format)."},)

    session_id: Mapped[str] = mapped_column(sa.String(32), _session_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(sa.String(16))
    content: Mapped[Any] = mapped_column(JSONType)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class CopilotToolCall(Base):
    """One tool call of a session: parameters, result, source and as-of date."""

    __tablename__ = "copilot_tool_calls"
    __table_args__ = (
        sa.Index(None, "tool"),
        {"comment": "Copilot tool calls and their results, for tracing every number."},
    )

    session_id: Mapped[str] = mapped_column(sa.String(32), _session_fk(), primary_key=True)
    call_id: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.Integer)
    tool: Mapped[str] = mapped_column(sa.String(64))
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    source: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    as_of: Mapped[dt.date | None] = mapped_column(sa.Date)
    is_error: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )


class CopilotIdea(Base):
    """One trade idea proposed in a session (advice only; never executed)."""

    __tablename__ = "copilot_ideas"
    __table_args__ = (
        sa.CheckConstraint("risk_score >= 0 AND risk_score <= 100", name="risk_score_range"),
        sa.CheckConstraint(
            "direction IN (" + ", ".join(f"'{d}'" for d in DIRECTIONS) + ")", name="direction"
        ),
        sa.Index(None, "symbol"),
        {"comment": "Copilot trade ideas: structured, validated, never executed."},
    )

    session_id: Mapped[str] = mapped_column(sa.String(32), _session_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    symbol: Mapped[str] = mapped_column(SymbolType)
    direction: Mapped[str] = mapped_column(sa.String(8))
    thesis: Mapped[str] = mapped_column(sa.Text)
    entry: Mapped[float] = mapped_column(sa.Float)
    target: Mapped[float] = mapped_column(sa.Float)
    stop: Mapped[float] = mapped_column(sa.Float)
    horizon: Mapped[str] = mapped_column(sa.String(16))
    risk_score: Mapped[int] = mapped_column(sa.SmallInteger)
    supporting: Mapped[list[str] | None] = mapped_column(JSONType)
    warnings: Mapped[list[str] | None] = mapped_column(JSONType)
