"""Matching: risk alignment, preferences, sizing and concentration, with reasons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from axion_lab.signals import Holding, RiskLevel, Signal, UserProfile, match_signals

MakeSignal = Callable[..., Signal]
CONSERVATIVE = UserProfile("cons", risk_tolerance=20, portfolio_cents=10_000_000)


def test_conservative_profile_prefers_the_low_risk_signal(make_signal: MakeSignal) -> None:
    risky = make_signal(symbol="HOT", risk_score=85, profit_potential_score=95, confidence_score=95)
    calm = make_signal(symbol="CALM", risk_score=15, profit_potential_score=30, confidence_score=40)
    res = match_signals([risky, calm], CONSERVATIVE)
    assert [m.symbol for m in res] == ["CALM"]
    assert res.rejected[0].symbol == "HOT"
    assert "above your limit 35" in res.rejected[0].reason
    # A moderate profile sees both; alignment decides.
    both = match_signals([risky, calm], UserProfile("mod", risk_tolerance=85))
    assert [m.symbol for m in both] == ["HOT", "CALM"]


def test_risk_above_tolerance_ranks_below_an_equal_signal_within_it(
    make_signal: MakeSignal,
) -> None:
    inside = make_signal(symbol="IN", risk_score=18)
    above = make_signal(symbol="OUT", risk_score=33)
    res = match_signals([above, inside], CONSERVATIVE)
    assert [m.symbol for m in res] == ["IN", "OUT"]
    # Risk fit: 18 is 2 below 20 -> 100 - 0.5 x 2 = 99; 33 is 13 above -> 100 - 26 = 74.
    assert [m.breakdown["risk"] for m in res] == [99, 74]


score = st.integers(0, 100)


@settings(max_examples=60, deadline=None)
@given(
    risks=st.lists(score, min_size=2, max_size=12),
    quality=st.lists(st.tuples(score, score), min_size=12, max_size=12),
    tolerance=st.integers(0, 30),
)
def test_conservative_never_ranks_high_risk_above_a_low_risk_match(
    risks: list[int], quality: list[tuple[int, int]], tolerance: int
) -> None:
    from datetime import date

    signals = [
        Signal(symbol=f"S{i}", direction="long", entry_cents=1_000, target_cents=1_100,
               stop_cents=950, risk_score=r, profit_potential_score=quality[i][0],
               confidence_score=quality[i][1], source="p", horizon="swing",
               as_of=date(2024, 1, 2), expires_on=date(2024, 2, 1), sector=f"sec{i}")
        for i, r in enumerate(risks)
    ]  # fmt: skip
    profile = UserProfile("c", risk_tolerance=tolerance, max_sector_pct=1.0)
    res = match_signals(signals, profile)
    by_id = {s.id: s for s in signals}
    ranked = [by_id[m.signal_id] for m in res]
    assert all(s.risk_level not in (RiskLevel.HIGH, RiskLevel.VERY_HIGH) for s in ranked)
    assert all(s.risk_score <= tolerance + 15 for s in ranked)
    assert len(res) + len(res.rejected) == len(signals)
    assert [m.rank for m in res] == list(range(1, len(res) + 1))
    assert [m.score for m in res] == sorted((m.score for m in res), reverse=True)


def test_sector_and_position_limits_hold_together(make_signal: MakeSignal) -> None:
    profile = UserProfile(
        "ada", risk_tolerance=50, portfolio_cents=10_000_000, max_position_pct=0.05,
        max_sector_pct=0.25, max_loss_pct=0.02,
    )  # fmt: skip
    holdings = [
        Holding("OILA", 1_500_000, sector="Energy"),
        Holding("OILB", 500_000, sector="Energy"),
        Holding("BANK", 300_000, sector="Financials"),
    ]
    energy = [
        make_signal(symbol=f"E{i}", sector="Energy", confidence_score=90 - i) for i in range(4)
    ]
    bank = make_signal(symbol="BANK", sector="Financials")
    res = match_signals([*energy, bank], profile, holdings=holdings)
    proposed: dict[str, int] = defaultdict(int)
    for m in res:
        proposed[next(s.sector for s in [*energy, bank] if s.id == m.signal_id) or ""] += (
            m.position_cents
        )
    # Portfolio $100,000. Energy: $20,000 held of a $25,000 cap -> $5,000 room, i.e.
    # 50 shares at $100 across every Energy signal.
    assert proposed["Energy"] == 500_000
    assert 2_000_000 + proposed["Energy"] <= 2_500_000
    # BANK: $3,000 held of a $5,000 position cap -> $2,000 more = 20 shares.
    bank_match = next(m for m in res if m.symbol == "BANK")
    assert (bank_match.shares, bank_match.position_cents) == (20, 200_000)
    assert any("sector limit" in r.reason for r in res.rejected)
    sized = {m.symbol: m for m in res}
    # The best Energy signal gets the room first: min($5,000 position cap, $5,000 room).
    assert sized["E0"].shares == 50
    assert [s for s in sized if s.startswith("E")] == ["E0"]
    assert "limited by the position limit" in " ".join(sized["E0"].reasons) or (
        "limited by the Energy sector limit" in " ".join(sized["E0"].reasons)
    )


def test_loss_limit_sets_the_size_and_reasons_explain(make_signal: MakeSignal) -> None:
    profile = UserProfile("bob", risk_tolerance=40, portfolio_cents=10_000_000, max_loss_pct=0.001)
    (m,) = match_signals([make_signal()], profile)
    # Loss budget 0.1 % of $100,000 = $100 = 10,000 cents; risk 300 cents a share ->
    # 33 shares (position cap $5,000 = 50 shares does not bind): 33 x $100 = $3,300.
    assert (m.shares, m.position_cents) == (33, 330_000)
    text = m.explain()
    assert "limited by the per-trade loss limit" in text
    assert "risk 40 (moderate) is within your tolerance 40" in text
    assert "swing horizon matches yours" in text
    assert set(m.breakdown) == {"risk", "asset", "horizon", "quality", "sizing"}


def test_asset_preferences_and_horizon(make_signal: MakeSignal) -> None:
    profile = UserProfile("cy", risk_tolerance=50, asset_classes={"equity": 1.0, "etf": 0.5},
                          time_horizon="position")  # fmt: skip
    stock = make_signal(symbol="STK")
    fund = make_signal(symbol="FND", asset_class="etf")
    coin = make_signal(symbol="BTC", asset_class="crypto")
    res = match_signals([coin, fund, stock], profile)
    assert [m.symbol for m in res] == ["STK", "FND"]
    assert [m.breakdown["asset"] for m in res] == [100, 50]
    assert [m.breakdown["horizon"] for m in res] == [50, 50]  # swing is next to position
    assert "'crypto' is not in your preferences" in res.rejected[0].reason
    frame = res.to_frame()
    assert frame["rank"].to_list() == [1, 2]
    assert "Signals for cy" in res._repr_html_()
