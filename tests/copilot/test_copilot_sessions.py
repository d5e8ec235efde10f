"""Sessions: persisted in the database, resumed, exported as a notebook report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from loopback import LoopbackAPI, reply, text_message, tool_message

from axion_lab import db
from axion_lab.copilot import CopilotEngine, CopilotSessionStore
from axion_lab.exceptions import UnknownNameError

IDEA = {
    "symbol": "ACME",
    "direction": "long",
    "thesis": "Uptrend [T1].",
    "entry": 130.0,
    "target": 150.0,
    "stop": 120.0,
    "horizon": "medium_term",
    "risk_score": 45,
    "supporting": ["T1"],
}


@pytest.fixture
def store() -> CopilotSessionStore:
    db.upgrade()
    return CopilotSessionStore()


def test_session_is_saved_resumed_and_exported(
    online: LoopbackAPI,
    make_engine: Callable[..., CopilotEngine],
    store: CopilotSessionStore,
    tmp_path: Path,
) -> None:
    online.script = [
        reply(tool_message(("tu_1", "get_quote", {"symbols": ["ACME"]}))),
        reply(tool_message(("tu_2", "propose_trade_idea", IDEA))),
        reply(text_message("ACME is at $129.90 [T1]; margin 55% [T1].")),
    ]
    engine = make_engine(stream=False, store=store)
    session = engine.new_session("ACME review", portfolio="ACME:0.7, BOLT:30%")
    engine.ask("How is ACME?", session=session)

    loaded = store.load(session.id)
    assert loaded.title == "ACME review"
    assert loaded.model == "claude-sonnet-4-6"
    assert loaded.portfolio.weights == (0.7, 0.3)
    assert loaded.messages == session.messages
    assert [c.to_dict() for c in loaded.tool_calls] == [c.to_dict() for c in session.tool_calls]
    assert loaded.ideas == session.ideas
    assert len(loaded.ideas) == 1
    assert loaded.usage == session.usage
    assert loaded.usage.requests == 3
    (answer,) = loaded.answers
    assert answer.tool_call_ids == ("T1", "T2")
    assert answer.flagged == ("55% (not in the cited results (T1))",)
    assert store.list_sessions()["id"].to_list() == [session.id]

    # Resume: the next question carries the whole conversation, and ids continue.
    online.script = [
        reply(tool_message(("tu_3", "get_quote", {"symbols": ["BOLT"]}))),
        reply(text_message("BOLT is flat at $50.00 [T3].")),
    ]
    resumed = make_engine(stream=False, store=store)
    response = resumed.ask("And BOLT?", session=loaded)
    sent = online.requests[3].body["messages"]
    assert sent[: len(session.messages)] == session.api_messages()
    assert sent[len(session.messages)]["content"].startswith("And BOLT?")
    assert [c.id for c in response.tool_calls] == ["T3"]
    assert response.check.ok
    again = store.load(session.id)
    assert len(again.answers) == 2
    assert [c.id for c in again.tool_calls] == ["T1", "T2", "T3"]

    path = again.to_notebook(tmp_path / "report" / "acme.ipynb", html=True)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    text = "\n".join(c.source for c in nb.cells)
    assert "# ACME review" in text
    assert "> How is ACME?" in text
    assert "> And BOLT?" in text
    assert "unsupported number: 55%" in text
    assert "<b>[T1]</b>" in text
    assert "<table" in text
    assert "LONG ACME" in text  # the idea card
    assert "estimated cost $" in text
    html = path.with_suffix(".html").read_text()
    assert "ACME review" in html
    assert "LONG ACME" in html

    store.delete(session.id)
    with pytest.raises(UnknownNameError, match="Unknown copilot session"):
        store.load(session.id)


def test_schema_matches_the_models_after_migration(store: CopilotSessionStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from axion_lab.db.migrate import include_object_for, target_metadata

    assert db.current() == db.head()
    with db.get_sync_engine().connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": include_object_for("sqlite")},
        )
        assert compare_metadata(ctx, target_metadata()) == []
    assert db.downgrade("0001") == "0001"
    import sqlalchemy as sa

    tables = set(sa.inspect(db.get_sync_engine()).get_table_names())
    assert not {t for t in tables if t.startswith("copilot_")}
