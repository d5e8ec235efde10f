"""ScreenAlertManager: entered/exited against a hand-made market stepped day by day."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import polars as pl
import pytest
import sqlalchemy as sa

from axion_lab import db
from axion_lab.data.market import Market
from axion_lab.exceptions import InputError
from axion_lab.screener import (
    FilterCondition,
    Screen,
    ScreenAlertManager,
    ScreenerEngine,
    ScreenManager,
)

DAYS = [dt.date(2024, 3, 1) + dt.timedelta(days=i) for i in range(12)]
# Closes per day: A stays above 50, B crosses up on day 2, C flaps around 50, D never.
CLOSES = {
    "A": [60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71],
    "B": [40, 45, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64],
    "C": [49, 51, 49, 51, 49, 51, 49, 51, 49, 51, 49, 51],
    "D": [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
}
ABOVE_50 = Screen("above 50", filters=(FilterCondition("price", ">", 50),))


def expected_members(day: dt.date) -> set[str]:
    """Independent of the screener: the closes on that day above 50."""
    i = DAYS.index(day)
    return {s for s, closes in CLOSES.items() if closes[i] > 50}


@pytest.fixture(scope="module")
def tiny_market() -> Market:
    syms = sorted(CLOSES)
    instruments = pl.DataFrame(
        {
            "symbol": syms,
            "name": [f"{s} Corp (fictional)" for s in syms],
            "asset_class": ["equity"] * len(syms),
            "sector": ["Energy"] * len(syms),
            "industry": ["Oil"] * len(syms),
            "exchange": ["AXE"] * len(syms),
            "country": ["US"] * len(syms),
            "currency": ["USD"] * len(syms),
            "indexes": [[] for _ in syms],
            "ipo_date": [dt.date(2000, 1, 1)] * len(syms),
            "is_fictional": [True] * len(syms),
        },
        schema_overrides={"indexes": pl.List(pl.String)},
    )
    rows = [
        (s, dt.datetime.combine(d, dt.time()), c, c, c, c, 1000)
        for s, closes in CLOSES.items()
        for d, c in zip(DAYS, closes, strict=True)
    ]
    bars = pl.DataFrame(
        rows,
        schema=["symbol", "ts", "open", "high", "low", "close", "volume"],
        orient="row",
    ).with_columns(pl.col(c).cast(pl.Float64) for c in ("open", "high", "low", "close"))
    return Market.from_frames(
        {"instruments": instruments, "bars": bars}, provider="test", is_synthetic=True
    )


@pytest.fixture
def store() -> Iterator[ScreenManager]:
    db.reset_engines()
    db.upgrade()
    manager = ScreenManager(bind=db.get_sync_engine())
    manager.save(ABOVE_50)
    yield manager
    db.reset_engines()


def alert_manager(market: Market, store: ScreenManager, **options: int) -> ScreenAlertManager:
    return ScreenAlertManager(ScreenerEngine(market), screens=store, **options)  # type: ignore[arg-type]


def test_entries_and_exits_match_an_independent_diff(
    tiny_market: Market, store: ScreenManager
) -> None:
    alerts = alert_manager(tiny_market, store)
    first = alerts.run("above 50", as_of=DAYS[0])
    assert first.is_baseline
    assert first.alerts == ()
    assert set(first.members) == expected_members(DAYS[0]) == {"A"}
    for prev, day in itertools.pairwise(DAYS[:6]):
        run = alerts.run("above 50", as_of=day)
        assert set(run.members) == expected_members(day)
        assert set(run.entered) == expected_members(day) - expected_members(prev)
        assert set(run.exited) == expected_members(prev) - expected_members(day)
        assert "A" not in run.entered  # stays in: alerted never (it was in the baseline)
    table = alerts.alerts("above 50")
    b_alerts = table.filter(pl.col("symbol") == "B")
    assert b_alerts["kind"].to_list() == ["entered"]  # once, not on every run it stays in
    assert b_alerts["as_of"].to_list() == [DAYS[2]]
    runs = alerts.runs("above 50")
    assert runs["as_of"].to_list() == DAYS[:6]
    assert runs["matched"].to_list() == [len(expected_members(d)) for d in DAYS[:6]]


def test_rerunning_the_same_day_raises_nothing_new(
    tiny_market: Market, store: ScreenManager
) -> None:
    alerts = alert_manager(tiny_market, store)
    alerts.run("above 50", as_of=DAYS[0])
    alerts.run("above 50", as_of=DAYS[2])
    again = alerts.run("above 50", as_of=DAYS[2])
    assert again.alerts == ()
    assert alerts.alerts().height == 1  # B entered on day 2, once


def test_cooldown_debounces_a_flapping_name(tiny_market: Market, store: ScreenManager) -> None:
    alerts = alert_manager(tiny_market, store, cooldown_days=4)
    alerts.run("above 50", as_of=DAYS[0])
    seen: list[tuple[dt.date, str]] = []
    suppressed: list[tuple[dt.date, str]] = []
    for day in DAYS[1:9]:
        run = alerts.run("above 50", as_of=day)
        seen += [(day, a.kind) for a in run.alerts if a.symbol == "C"]
        suppressed += [(day, s) for s in run.suppressed]
    # C enters on odd days and leaves on even ones; with a 4-day cool-down each kind
    # alerts at most once every 4 days: entered day 1, 5; exited day 2, 6.
    assert seen == [
        (DAYS[1], "entered"),
        (DAYS[2], "exited"),
        (DAYS[5], "entered"),
        (DAYS[6], "exited"),
    ]
    assert (DAYS[3], "C") in suppressed
    # Membership is still recorded exactly, so the next comparison is right.
    assert alerts.runs("above 50")["matched"].to_list()[-1] == len(expected_members(DAYS[8]))


def test_first_run_alerts_when_asked(tiny_market: Market, store: ScreenManager) -> None:
    alerts = alert_manager(tiny_market, store, alert_on_first_run=True)
    first = alerts.run("above 50", as_of=DAYS[1])
    assert set(first.entered) == expected_members(DAYS[1]) == {"A", "C"}


def test_acknowledge_and_filters(tiny_market: Market, store: ScreenManager) -> None:
    alerts = alert_manager(tiny_market, store)
    for day in DAYS[:5]:
        alerts.run("above 50", as_of=day)
    open_alerts = alerts.alerts(unacknowledged=True)
    assert open_alerts.height > 2
    first_id = open_alerts["id"][0]
    assert alerts.acknowledge(first_id) == 1
    assert alerts.acknowledge(first_id) == 0  # already acknowledged
    left = alerts.alerts(unacknowledged=True)
    assert first_id not in left["id"].to_list()
    assert left.height == open_alerts.height - 1
    assert alerts.alerts(since=DAYS[4])["as_of"].min() == DAYS[4]
    with pytest.raises(InputError, match="No alert with id"):
        alerts.acknowledge([999_999])
    assert alerts.acknowledge(name="above 50") == left.height
    assert alerts.alerts(unacknowledged=True).height == 0


def test_runs_step_forward_and_delete_cascades(tiny_market: Market, store: ScreenManager) -> None:
    alerts = alert_manager(tiny_market, store)
    alerts.run("above 50", as_of=DAYS[3])
    with pytest.raises(InputError, match="step forward"):
        alerts.run("above 50", as_of=DAYS[1])
    alerts.run("above 50", as_of=DAYS[4])
    store.delete("above 50")
    with store._scope() as session:
        for table in ("screen_runs", "screen_run_members", "screen_alerts"):
            count = session.execute(sa.text(f"select count(*) from {table}")).scalar()
            assert count == 0, table
    with pytest.raises(InputError, match="non-negative"):
        alert_manager(tiny_market, store, cooldown_days=-1)
