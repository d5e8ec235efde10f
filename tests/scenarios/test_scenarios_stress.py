"""Predefined scenarios match the documented index moves; shocks propagate as documented."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.exceptions import DateRangeError, InputError, UnknownNameError
from axion_lab.scenarios import (
    FACTORS,
    PREDEFINED_SCENARIOS,
    Portfolio,
    Scenario,
    ScenarioAnalyzer,
    ScenarioType,
    get_scenario,
)
from axion_lab.scenarios.impact import DRIVERS, propagate

# Published S&P 500 peak-to-trough price moves (percent, as rounded by the sources
# cited in axion_lab/scenarios/presets.py): S&P DJI / Yardeni / Ned Davis Research.
DOCUMENTED = {
    "crash_1987": (-33.51, dt.date(1987, 8, 25), dt.date(1987, 12, 4)),
    "dotcom_2000": (-49.15, dt.date(2000, 3, 24), dt.date(2002, 10, 9)),
    "gfc_2008": (-56.78, dt.date(2007, 10, 9), dt.date(2009, 3, 9)),
    "downgrade_2011": (-19.39, dt.date(2011, 4, 29), dt.date(2011, 10, 3)),
    "q4_2018": (-19.78, dt.date(2018, 9, 20), dt.date(2018, 12, 24)),
    "covid_2020": (-33.92, dt.date(2020, 2, 19), dt.date(2020, 3, 23)),
    "rate_shock_2022": (-25.43, dt.date(2022, 1, 3), dt.date(2022, 10, 12)),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_historical_market_shock_matches_documented_move(name: str) -> None:
    sc = PREDEFINED_SCENARIOS[name]
    pct, start, end = DOCUMENTED[name]
    assert sc.kind is ScenarioType.HISTORICAL
    assert (sc.start, sc.end) == (start, end)
    assert sc.market == pytest.approx(pct / 100, abs=5e-5)
    assert sc.market == sc.documented_move
    assert any("S&P 500" in s for s in sc.sources)
    assert any("DGS10" in s for s in sc.sources)
    for sector in sc.sectors:
        assert sector in (
            "Communication Services",
            "Consumer Discretionary",
            "Consumer Staples",
            "Energy",
            "Financials",
            "Health Care",
            "Industrials",
            "Information Technology",
            "Materials",
            "Real Estate",
            "Utilities",
        )
    assert set(sc.factors) <= set(FACTORS)


def test_every_predefined_scenario_is_complete() -> None:
    historical = [s for s in PREDEFINED_SCENARIOS.values() if s.kind is ScenarioType.HISTORICAL]
    assert {s.name for s in historical} == set(DOCUMENTED)
    for name in (
        "recession",
        "rate_hike_100bp",
        "rate_hike_200bp",
        "inflation_spike",
        "oil_shock",
        "tech_crash",
        "stagflation",
        "market_crash_20",
    ):
        sc = PREDEFINED_SCENARIOS[name]
        assert sc.kind is ScenarioType.HYPOTHETICAL
        assert sc.description
    assert PREDEFINED_SCENARIOS["rate_hike_200bp"].rates_bp == 200
    assert get_scenario("market_crash_35").market == -0.35


def test_unknown_scenario_suggests() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'covid_2020'"):
        get_scenario("covid_202")


def _positions(**overrides: object) -> pl.DataFrame:
    row: dict[str, object] = {
        "symbol": "X",
        "value_cents": 1_000_000,
        "beta": 1.5,
        "sector": "Energy",
        "duration": None,
        "convexity": None,
        "credit": "none",
        "credit_share": 0.0,
        **{f: 0.0 for f in FACTORS},
    }
    row.update(overrides)
    return pl.DataFrame([row], schema_overrides={"duration": pl.Float64, "convexity": pl.Float64})


def test_equity_propagation_hand_worked() -> None:
    sc = Scenario.custom(market=-0.20, sectors={"Energy": -0.35}, factors={"value": 0.02})
    out = propagate(_positions(value=1.5), sc).row(0, named=True)
    assert out["market"] == pytest.approx(1.5 * -0.20)  # beta x market = -30%
    assert out["sector"] == pytest.approx(-0.35 - -0.20)  # sector excess = -15%
    assert out["factors"] == pytest.approx(1.5 * 0.02)  # z 1.5 x 2% = +3%
    assert out["impact"] == pytest.approx(-0.42)
    assert out["pnl_cents"] == -420_000  # 1,000,000 c x -42%


def test_bond_propagation_duration_convexity_and_credit() -> None:
    sc = Scenario.custom(market=-0.3, rates_bp=100, credit_bp=50, high_yield_bp=300)
    bond = _positions(duration=6.0, convexity=50.0, credit="ig", credit_share=1.0, sector=None)
    out = propagate(bond, sc).row(0, named=True)
    assert out["market"] == 0.0  # bonds move with yields, not the equity market
    # rates: -6 x 0.01 + 0.5 x 50 x 0.01^2 = -0.06 + 0.0025
    assert out["rates"] == pytest.approx(-0.0575)
    # total yield move 0.015: -6 x 0.015 + 0.5 x 50 x 0.015^2 = -0.084375; credit is the rest
    assert out["impact"] == pytest.approx(-0.084375)
    assert out["credit"] == pytest.approx(-0.084375 + 0.0575)
    hy = propagate(_positions(duration=4.0, credit="hy", credit_share=1.0), sc).row(0, named=True)
    # convexity defaults to D^2 = 16; dy = 0.04: -4 x 0.04 + 0.5 x 16 x 0.0016 = -0.1472
    assert hy["impact"] == pytest.approx(-0.1472)


def test_single_name_override_and_floor() -> None:
    sc = Scenario.custom(market=-0.9, sectors={"Energy": -0.95}, names={"x": -0.5})
    out = propagate(_positions(), sc).row(0, named=True)
    assert out["impact"] == pytest.approx(-0.5)
    assert out["single_name"] == pytest.approx(-0.5 - (1.5 * -0.9 + (-0.95 + 0.9)))
    floored = propagate(_positions(symbol="Y"), sc).row(0, named=True)
    assert floored["impact"] == -1.0  # -135% - 5% would be below zero
    assert sum(floored[d] for d in DRIVERS) == pytest.approx(-1.0)


def test_scenario_validation() -> None:
    with pytest.raises(InputError, match="impossible"):
        Scenario.custom(market=-1.5)


@pytest.fixture(scope="module")
def analyzer(small_market: Market) -> ScenarioAnalyzer:
    return ScenarioAnalyzer(small_market)


PORTFOLIO = Portfolio.from_positions(
    {"AAA": 100, "BBB": 200, "CCC": 50, "BOND": 30, "NEWCO": 10}, cash_cents=500_000, name="Test"
)


def test_run_totals_and_drivers(analyzer: ScenarioAnalyzer) -> None:
    res = analyzer.run(PORTFOLIO, "gfc_2008")
    holdings = res.to_frame("holdings")
    assert res.pnl_cents == holdings["pnl_cents"].sum()
    assert res.impact == pytest.approx(res.pnl_cents / res.total_cents)
    drivers = res.to_frame("drivers")
    assert drivers.filter(pl.col("driver") == "total")["pnl_cents"][0] == res.pnl_cents
    # Drivers add up to the total within a cent per holding and driver.
    parts = drivers.filter(pl.col("driver") != "total")["pnl_cents"].sum()
    assert abs(parts - res.pnl_cents) <= len(DRIVERS) * holdings.height
    assert "2008 financial crisis" in res._repr_html_()
    comparison = analyzer.run_many(PORTFOLIO)
    assert comparison.to_frame().height == len(PREDEFINED_SCENARIOS)
    assert comparison["gfc_2008"].pnl_cents == res.pnl_cents


@pytest.mark.parametrize("loss", [0.02, 0.05, 0.1])
def test_reverse_stress_round_trips(analyzer: ScenarioAnalyzer, loss: float) -> None:
    rs = analyzer.reverse_stress(PORTFOLIO, loss)
    assert rs.method == "closed form"
    again = analyzer.run(PORTFOLIO, rs.result.scenario)
    # Applying the solved shock loses the asked-for fraction (to the cent).
    assert again.impact == pytest.approx(-loss, abs=2 / again.total_cents * 10)
    # Linear in the market shock: half the loss takes half the shock.
    half = analyzer.reverse_stress(PORTFOLIO, loss / 2)
    assert half.market_shock == pytest.approx(rs.market_shock / 2)


def test_reverse_stress_with_base_uses_bisection_when_floor_binds(
    analyzer: ScenarioAnalyzer,
) -> None:
    # At -20% the market shock needed (about -83%) takes AAA (beta 1.5) below -100%.
    rs = analyzer.reverse_stress(PORTFOLIO, 0.2)
    assert rs.method == "bisection"
    again = analyzer.run(PORTFOLIO, rs.result.scenario)
    assert again.impact == pytest.approx(-0.2, abs=1e-4)
    assert again.to_frame("holdings")["floor"].max() > 0
    base = Scenario.custom("tech", sectors={"Information Technology": -0.3}, rates_bp=100)
    with_base = analyzer.reverse_stress(PORTFOLIO, 0.1, base=base)
    assert with_base.result.scenario.sectors == base.sectors
    assert with_base.result.scenario.rates_bp == 100
    assert analyzer.run(PORTFOLIO, with_base.result.scenario).impact == pytest.approx(
        -0.1, abs=1e-4
    )


def test_reverse_stress_refuses_the_impossible(analyzer: ScenarioAnalyzer) -> None:
    bonds = Portfolio.from_positions({"BOND": 10}, name="Bonds")
    with pytest.raises(InputError, match="does not lose money when the market falls"):
        analyzer.reverse_stress(bonds, 0.1)
    mostly_cash = Portfolio.from_positions({"AAA": 1}, cash_cents=10_000_000, name="Cash")
    with pytest.raises(InputError, match="no market shock loses"):
        analyzer.reverse_stress(mostly_cash, 0.5)


def test_replay_matches_price_ratios_and_names_proxies(
    analyzer: ScenarioAnalyzer, small_market: Market
) -> None:
    days = small_market.trading_days
    start, end = days[300], days[330]
    rep = analyzer.replay(PORTFOLIO, start, end)
    assert rep.proxied == ("NEWCO",)
    proxy = rep.proxies.row(0, named=True)
    # Same sector, closest beta: DDD (true beta 1.2) for NEWCO (1.3), not AAA (1.5).
    assert proxy["proxy"] == "DDD"
    closes = small_market.bars.filter(pl.col("ts").dt.date().is_in([start, end]))
    ratio = {
        s: g.sort("ts")["close"][1] / g.sort("ts")["close"][0]
        for (s,), g in closes.group_by("symbol")
    }
    held = rep.holdings.filter(pl.col("symbol") == "AAA").row(0, named=True)
    assert held["return"] == pytest.approx(ratio["AAA"] - 1)
    newco = rep.holdings.filter(pl.col("symbol") == "NEWCO").row(0, named=True)
    assert newco["return"] == pytest.approx(ratio["DDD"] - 1)
    expected = sum(rep.holdings["contribution"])
    assert rep.total_return == pytest.approx(expected)
    assert rep.max_drawdown <= min(0.0, rep.total_return)


def test_replay_outside_history_says_what_is_replayable(analyzer: ScenarioAnalyzer) -> None:
    with pytest.raises(DateRangeError, match="not inside this market's history"):
        analyzer.replay(PORTFOLIO, "gfc_2008")
    with pytest.raises(InputError, match="no historical window"):
        analyzer.replay(PORTFOLIO, "recession")
