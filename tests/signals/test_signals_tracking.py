"""Outcome tracking on constructed price paths: target, stop, expiry, gaps, splits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from axion_lab.data.market import Market
from axion_lab.signals import Signal, SignalStatus, evaluate_outcomes

MakeSignal = Callable[..., Signal]
D0 = dt.date(2024, 6, 28)  # the signal date (a Friday)


def path_market(rows: list[tuple[float, float, float, float]], symbol: str = "ACME") -> Market:
    """Bars on D0 and the weekdays after it: (open, high, low, close) each."""
    days, cursor = [D0], D0
    while len(days) < len(rows):
        cursor += dt.timedelta(days=1)
        if cursor.weekday() < 5:
            days.append(cursor)
    bars = pl.DataFrame(
        {
            "symbol": symbol,
            "ts": [dt.datetime.combine(d, dt.time()) for d in days],
            "open": [float(r[0]) for r in rows],
            "high": [float(r[1]) for r in rows],
            "low": [float(r[2]) for r in rows],
            "close": [float(r[3]) for r in rows],
            "volume": 1_000,
        }
    )
    return Market.from_frames({"bars": bars})


# Long at $100.00, target $106.00, stop $97.00 (make_signal's defaults).


def test_target_hit(make_signal: MakeSignal) -> None:
    m = path_market([(100, 100, 100, 100), (100, 103, 99, 102), (102, 106.5, 101, 105)])
    (out,) = evaluate_outcomes([make_signal()], m)
    # Session 2 trades up to 106.50 >= 106.00: exit at the target, +600 cents = +600 bps.
    assert out.status is SignalStatus.HIT_TARGET
    assert (out.exit_cents, out.return_cents, out.return_bps) == (10_600, 600, 600)
    assert (out.exit_on, out.sessions) == (dt.date(2024, 7, 2), 2)


def test_stop_hit(make_signal: MakeSignal) -> None:
    m = path_market([(100, 100, 100, 100), (100, 101, 98, 99), (99, 99.5, 96.8, 97.5)])
    (out,) = evaluate_outcomes([make_signal()], m)
    # Low 96.80 <= 97.00: exit at the stop, -300 cents on 10,000 = -300 bps.
    assert out.status is SignalStatus.HIT_STOP
    assert (out.exit_cents, out.return_cents, out.return_bps) == (9_700, -300, -300)


def test_gap_through_the_stop_fills_at_the_open(make_signal: MakeSignal) -> None:
    m = path_market([(100, 100, 100, 100), (95.555, 96, 95, 95.5)])
    (out,) = evaluate_outcomes([make_signal()], m)
    # Opens at 95.555 below the 97.00 stop: exit at the open, 9555.5 cents -> even 9556;
    # -444 cents = -444 bps.
    assert out.status is SignalStatus.HIT_STOP
    assert (out.exit_cents, out.return_cents, out.return_bps) == (9_556, -444, -444)


def test_both_levels_in_one_session_counts_the_stop(make_signal: MakeSignal) -> None:
    m = path_market([(100, 100, 100, 100), (100, 107, 96, 101)])
    (out,) = evaluate_outcomes([make_signal()], m)
    assert out.status is SignalStatus.HIT_STOP
    assert out.exit_cents == 9_700


def test_expiry_and_active(make_signal: MakeSignal) -> None:
    rows = [(100.0, 100.0, 100.0, 100.0)] + [(101, 102, 99, 101.23)] * 8
    m = path_market(rows)
    sig = make_signal(expires_on=dt.date(2024, 7, 5))  # 5 weekdays after D0
    (active,) = evaluate_outcomes([sig], m, as_of="2024-07-03")
    # Three sessions in, neither level reached: marked to the last close $101.23.
    assert active.status is SignalStatus.ACTIVE
    assert active.exit_cents is None
    assert (active.last_cents, active.return_cents, active.return_bps, active.sessions) == (
        10_123, 123, 123, 3
    )  # fmt: skip
    (done,) = evaluate_outcomes([sig], m)
    # Expired on 2024-07-05 at that day's close, session 5 (the later bars are ignored).
    assert done.status is SignalStatus.EXPIRED
    assert (done.exit_on, done.exit_cents, done.return_bps, done.sessions) == (
        dt.date(2024, 7, 5), 10_123, 123, 5
    )  # fmt: skip


def test_short_signal_outcomes(make_signal: MakeSignal) -> None:
    short = make_signal(direction="short", target_cents=9_400, stop_cents=10_300)
    down = path_market([(100, 100, 100, 100), (99, 99.5, 93.9, 94.5)])
    (win,) = evaluate_outcomes([short], down)
    # Low 93.90 <= 94.00 target: +600 cents for the short, +600 bps.
    assert (win.status, win.exit_cents, win.return_cents, win.return_bps) == (
        SignalStatus.HIT_TARGET, 9_400, 600, 600
    )  # fmt: skip
    up = path_market([(100, 100, 100, 100), (101, 103.5, 100.5, 103)])
    (loss,) = evaluate_outcomes([short], up)
    assert (loss.status, loss.return_cents, loss.return_bps) == (SignalStatus.HIT_STOP, -300, -300)


def test_a_split_after_the_signal_is_not_a_stop(make_signal: MakeSignal) -> None:
    m = path_market([(100, 100, 100, 100), (50.5, 51, 50, 50.6), (50.6, 53.2, 50.4, 53)])
    splits = pl.DataFrame(
        {
            "symbol": ["ACME"],
            "announced": [dt.date(2024, 6, 1)],
            "ex_date": [dt.date(2024, 7, 1)],
            "ratio": [2.0],
        }
    )
    m = Market.from_frames({"bars": m.bars, "splits": splits})
    (out,) = evaluate_outcomes([make_signal()], m)
    # After the 2-for-1, prices x2 in signal units: 101.00 ... then a high of 106.40 on
    # 2024-07-02 hits the $106.00 target.
    assert out.status is SignalStatus.HIT_TARGET
    assert out.exit_on == dt.date(2024, 7, 2)


def test_outcome_frame_and_html(make_signal: MakeSignal) -> None:
    m = path_market([(100, 100, 100, 100), (100, 103, 99, 102), (102, 106.5, 101, 105)])
    res = evaluate_outcomes([make_signal(), make_signal(source="other", stop_cents=9_950)], m)
    frame = res.to_frame()
    assert frame["status"].to_list() == ["hit_target", "hit_stop"]
    assert res.summary()["signals"].sum() == 2
    assert "hit_stop" in res._repr_html_()
    assert res.to_pandas().index.name == "signal_id"
