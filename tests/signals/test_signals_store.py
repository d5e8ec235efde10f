"""Persistence on SQLite and PostgreSQL: round trips, outcome updates, the migration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from axion_lab import db
from axion_lab.data.market import Market
from axion_lab.db.migrate import include_object_for, target_metadata
from axion_lab.exceptions import DatabaseError, UnknownNameError
from axion_lab.signals import (
    Holding,
    SignalStatus,
    SignalStore,
    SimpleHit,
    UserProfile,
    generate_signals,
    match_signals,
)

MakeSignal = Callable[..., object]
SIGNAL_TABLES = {
    "signals",
    "signal_factors",
    "risk_assessments",
    "signal_performance",
    "user_profiles",
    "signal_matches",
}


def _store(url: str) -> SignalStore:
    return SignalStore(bind=db.get_sync_engine(url))


def test_schema_matches_the_models_and_the_chain_is_linear(db_url: str) -> None:
    engine = db.get_sync_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": include_object_for(conn.dialect.name),
            },
        )
        assert compare_metadata(ctx, target_metadata()) == []
    chain = [(r.revision, r.down_revision) for r in db.history()]
    assert sorted(chain) == [("0001", None), ("0002", "0001"), ("0003", "0002"), ("0004", "0003")]
    assert db.head() == "0004"
    indexes = {i["name"]: i["column_names"] for i in sa.inspect(engine).get_indexes("signals")}
    assert indexes["ix_signals_status_expires_on"] == ["status", "expires_on"]
    assert indexes["ix_signals_symbol_as_of"] == ["symbol", "as_of"]
    assert db.downgrade("0003", url=db_url) == "0003"
    assert not SIGNAL_TABLES & set(sa.inspect(engine).get_table_names())
    assert db.upgrade(url=db_url) == "0004"


def test_round_trip(db_url: str, walk_market: Market) -> None:
    store = _store(db_url)
    day = walk_market.end
    hits = [
        SimpleHit("MIDL", day, "breakout", "long", 0.9),
        SimpleHit("WILD", day, "breakdown", "short", 0.6),
    ]
    signals = generate_signals(walk_market, hits)
    assert store.save_signals(signals) == 2
    assert store.save_signals(signals) == 2  # saving again replaces, no duplicates
    for s in signals:
        assert store.load_signal(s.id) == s
    assert {s.id for s in store.active_signals(as_of=day)} == {s.id for s in signals}
    assert [s.symbol for s in store.signals_for_symbol("midl", start=day, end=day)] == ["MIDL"]
    assert store.signals_for_symbol("MIDL", end=day - dt.timedelta(days=1)) == []
    with pytest.raises(UnknownNameError, match="Unknown signal"):
        store.load_signal("nope")

    profile = UserProfile("ada", risk_tolerance=85, name="Ada", asset_classes={"equity": 1.0})
    result = match_signals(signals, profile, holdings=[Holding("MIDL", 10_000)])
    assert store.save_matches(result) == len(result)
    assert store.load_profile("ada") == profile
    assert store.matches_for_user("ada") == list(result.matches)
    with pytest.raises(UnknownNameError, match="Did you mean 'ada'"):
        store.load_profile("adaa")


def test_outcome_updates(db_url: str, make_signal: MakeSignal, walk_market: Market) -> None:
    store = _store(db_url)
    days = walk_market.trading_days
    start = days[300]
    calm = walk_market.bars.filter(
        (walk_market.bars["symbol"] == "CALM") & (walk_market.bars["ts"].dt.date() == start)
    )["close"][0]
    entry = round(calm * 100)
    # A tight long bracket around CALM's close on `start`: one side is hit within days;
    # a wide one that can only expire; and one evaluated before anything happened.
    tight = make_signal(
        symbol="CALM",
        source="tight",
        entry_cents=entry,
        target_cents=entry + 5,
        stop_cents=entry - 5,
        as_of=start,
        expires_on=days[315],
    )
    wide = make_signal(symbol="CALM", source="wide", entry_cents=entry,
                       target_cents=entry * 3, stop_cents=entry // 3, as_of=start,
                       expires_on=days[305])  # fmt: skip
    store.save_signals([tight, wide])
    early = store.update_outcomes(walk_market, as_of=start)
    assert len(early) == 0  # nothing after the signal date yet
    result = store.update_outcomes(walk_market)
    status = {o.signal_id: o.status for o in result}
    assert status[tight.id] in (SignalStatus.HIT_TARGET, SignalStatus.HIT_STOP)
    assert status[wide.id] is SignalStatus.EXPIRED
    saved = store.performance(wide.id)
    assert saved == result.by_id()[wide.id]
    assert saved is not None
    assert saved.exit_on == days[305]
    assert store.active_signals() == []
    assert store.update_outcomes(walk_market).outcomes == ()


def test_the_database_rejects_inverted_levels(db_url: str) -> None:
    from axion_lab.db.models import SignalRow

    row = SignalRow(
        id="x" * 32, symbol="ACME", direction="long", entry_cents=100, target_cents=90,
        stop_cents=80, risk_score=10, profit_potential_score=10, confidence_score=10,
        source="t", horizon="swing", as_of=dt.date(2024, 1, 2),
        expires_on=dt.date(2024, 2, 1), asset_class="equity",
    )  # fmt: skip
    with pytest.raises(DatabaseError), db.session_scope(bind=db.get_sync_engine(db_url)) as s:
        s.add(row)
