"""``CopilotSessionStore``: save, load, list and delete sessions in the database.

The store is the only copilot code that persists (the engine calls it after every
answer when given one). Saving replaces the session's child rows, so a session can
be saved as often as it changes.

Examples
--------
>>> import sqlalchemy as sa
>>> from axion_lab.db import Base
>>> from axion_lab.copilot.models import CopilotSession
>>> from axion_lab.copilot.store import CopilotSessionStore
>>> engine = sa.create_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> store = CopilotSessionStore(bind=engine)
>>> session = CopilotSession(title="Energy names")
>>> store.save(session)
>>> store.load(session.id).title
'Energy names'
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from axion_lab.copilot.ideas import TradeIdea
from axion_lab.copilot.models import (
    AnswerRecord,
    CopilotSession,
    PortfolioContext,
    ToolCallRecord,
    Usage,
)
from axion_lab.exceptions import UnknownNameError

if TYPE_CHECKING:
    import polars as pl
    import sqlalchemy as sa

__all__ = ["CopilotSessionStore"]


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class CopilotSessionStore:
    """Sessions in the database of the settings in force (or ``bind``)."""

    def __init__(self, *, bind: sa.Engine | None = None) -> None:
        self.bind = bind

    def _scope(self) -> Any:
        from axion_lab.db import session_scope

        return session_scope(bind=self.bind)

    def save(self, session: CopilotSession) -> None:
        """Insert or replace ``session`` with its messages, tool calls and ideas."""
        import sqlalchemy as sa

        from axion_lab.db.models import (
            CopilotIdea,
            CopilotMessage,
            CopilotSessionRow,
            CopilotToolCall,
        )

        session.updated_at = dt.datetime.now(dt.UTC)
        with self._scope() as db:
            for model in (CopilotMessage, CopilotToolCall, CopilotIdea):
                db.execute(sa.delete(model).where(model.session_id == session.id))
            db.merge(
                CopilotSessionRow(
                    id=session.id,
                    title=session.title[:200],
                    model=session.model,
                    risk_tolerance=session.risk_tolerance.value,
                    style=session.style.value,
                    portfolio=session.portfolio.to_dict(),
                    usage=session.usage.to_dict(),
                    answers=[a.to_dict() for a in session.answers],
                    created_at=session.created_at,
                    updated_at=session.updated_at,
                )
            )
            db.flush()
            for seq, message in enumerate(session.messages):
                extra = {k: v for k, v in message.items() if k.startswith("_")}
                db.add(
                    CopilotMessage(
                        session_id=session.id,
                        seq=seq,
                        role=message["role"],
                        content=message["content"],
                        extra=extra or None,
                    )
                )
            for seq, call in enumerate(session.tool_calls):
                doc = call.to_dict()
                db.add(
                    CopilotToolCall(
                        session_id=session.id,
                        call_id=call.id,
                        seq=seq,
                        tool=call.tool,
                        parameters=doc["parameters"],
                        result=doc,
                        source=call.source[:200],
                        as_of=call.as_of,
                        is_error=call.is_error,
                        created_at=call.created_at,
                    )
                )
            for seq, idea in enumerate(session.ideas):
                doc = idea.to_dict()
                db.add(CopilotIdea(session_id=session.id, seq=seq, **doc))

    def load(self, session_id: str) -> CopilotSession:
        """The session ``session_id`` as saved (raises with suggestions if unknown)."""
        import sqlalchemy as sa

        from axion_lab.db.models import (
            CopilotIdea,
            CopilotMessage,
            CopilotSessionRow,
            CopilotToolCall,
        )

        with self._scope() as db:
            row = db.get(CopilotSessionRow, session_id)
            if row is None:
                known = db.scalars(sa.select(CopilotSessionRow.id)).all()
                raise UnknownNameError.for_name(
                    "copilot session", session_id, known, hint="See store.list_sessions()."
                )
            messages = db.scalars(
                sa.select(CopilotMessage)
                .where(CopilotMessage.session_id == session_id)
                .order_by(CopilotMessage.seq)
            ).all()
            calls = db.scalars(
                sa.select(CopilotToolCall)
                .where(CopilotToolCall.session_id == session_id)
                .order_by(CopilotToolCall.seq)
            ).all()
            ideas = db.scalars(
                sa.select(CopilotIdea)
                .where(CopilotIdea.session_id == session_id)
                .order_by(CopilotIdea.seq)
            ).all()
            return CopilotSession(
                id=row.id,
                title=row.title,
                created_at=_aware(row.created_at),
                updated_at=_aware(row.updated_at),
                model=row.model,
                risk_tolerance=row.risk_tolerance,
                style=row.style,
                portfolio=PortfolioContext.from_dict(row.portfolio),
                messages=[
                    {"role": m.role, "content": m.content, **(m.extra or {})} for m in messages
                ],
                tool_calls=[ToolCallRecord.from_dict(c.result or {}) for c in calls],
                ideas=[
                    TradeIdea(
                        symbol=i.symbol,
                        direction=i.direction,
                        thesis=i.thesis,
                        entry=i.entry,
                        target=i.target,
                        stop=i.stop,
                        horizon=i.horizon,
                        risk_score=i.risk_score,
                        supporting=tuple(i.supporting or ()),
                        warnings=tuple(i.warnings or ()),
                    )
                    for i in ideas
                ],
                answers=[AnswerRecord.from_dict(a) for a in row.answers or []],
                usage=Usage.from_dict(row.usage),
            )

    def list_sessions(self) -> pl.DataFrame:
        """Saved sessions, newest first: id, title, model, answers, created/updated."""
        import polars as pl
        import sqlalchemy as sa

        from axion_lab.db.models import CopilotSessionRow

        with self._scope() as db:
            rows = db.scalars(
                sa.select(CopilotSessionRow).order_by(CopilotSessionRow.updated_at.desc())
            ).all()
            return pl.DataFrame(
                {
                    "id": [r.id for r in rows],
                    "title": [r.title for r in rows],
                    "model": [r.model for r in rows],
                    "answers": [len(r.answers or []) for r in rows],
                    "created_at": [_aware(r.created_at) for r in rows],
                    "updated_at": [_aware(r.updated_at) for r in rows],
                },
                schema={
                    "id": pl.String,
                    "title": pl.String,
                    "model": pl.String,
                    "answers": pl.Int64,
                    "created_at": pl.Datetime("us", "UTC"),
                    "updated_at": pl.Datetime("us", "UTC"),
                },
            )

    def delete(self, session_id: str) -> None:
        """Delete a session and its child rows."""
        import sqlalchemy as sa

        from axion_lab.db.models import (
            CopilotIdea,
            CopilotMessage,
            CopilotSessionRow,
            CopilotToolCall,
        )

        with self._scope() as db:
            # Explicit child deletes: SQLite enforces ON DELETE CASCADE only with a pragma.
            for model in (CopilotMessage, CopilotToolCall, CopilotIdea):
                db.execute(sa.delete(model).where(model.session_id == session_id))
            db.execute(sa.delete(CopilotSessionRow).where(CopilotSessionRow.id == session_id))
