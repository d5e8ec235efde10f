"""Copilot sessions with the new tools' records, saved to and loaded from real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from loopback import LoopbackAPI, reply, text_message, tool_message
from testsupport import throwaway_database

from axion_lab.copilot import CopilotEngine, CopilotSessionStore
from axion_lab.db import get_sync_engine, upgrade

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(postgres_url: str) -> Iterator[CopilotSessionStore]:
    """A store on a fresh, uniquely named database, migrated to head; dropped after."""
    with throwaway_database(postgres_url, "axion_copilot") as url:
        upgrade(url=url)
        yield CopilotSessionStore(bind=get_sync_engine(url))


def test_session_with_income_tools_round_trips_on_postgres(
    online: LoopbackAPI,
    make_payer_engine: Callable[..., CopilotEngine],
    pg_store: CopilotSessionStore,
) -> None:
    online.script = [
        reply(
            tool_message(
                (
                    "tu_1",
                    "drip_simulation",
                    {"symbol": "PAYR", "amount_cents": 500_000, "years": 3},
                ),
                ("tu_2", "dividend_safety", {"symbols": ["PAYR", "CUTR"]}),
                ("tu_3", "portfolio_summary", {"holdings": [{"symbol": "PAYR", "shares": 100}]}),
                ("tu_4", "drip_simulation", {"symbol": "PAYR"}),
            )
        ),
        reply(text_message("PAYR's dividend looks safe [T2]; the made-up $4,321.09 [T1] is not.")),
    ]
    engine = make_payer_engine(stream=False, store=pg_store)
    session = engine.new_session("Income review", portfolio="PAYR:0.6, CUTR:0.4")
    response = engine.ask("Income?", session=session)
    assert [c.is_error for c in response.tool_calls] == [False, False, False, True]

    loaded = pg_store.load(session.id)
    assert [c.to_dict() for c in loaded.tool_calls] == [c.to_dict() for c in session.tool_calls]
    drip, safety, summary, bad = loaded.tool_calls
    # JSONB keeps integer cents integers, and dates come back as dates.
    assert isinstance(drip.data["drip_final_value_cents"], int)
    assert drip.data["drip_final_value_usd"] == drip.data["drip_final_value_cents"] / 100
    assert drip.as_of == session.tool_calls[0].as_of is not None
    assert {r["symbol"]: r["band_cut_rate"] for r in safety.rows} == {"PAYR": 0.0, "CUTR": 0.5}
    assert summary.rows[0]["shares"] == 100.0
    assert bad.is_error
    assert "amount_cents" in (bad.error or "")
    (answer,) = loaded.answers
    assert answer.tool_call_ids == ("T1", "T2", "T3", "T4")
    assert answer.flagged == ("$4,321.09 (not in the cited results (T2, T1))",)
    assert loaded.messages == session.messages
    pg_store.delete(session.id)
    assert pg_store.list_sessions().height == 0
