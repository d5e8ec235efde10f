"""Rebalancing strategies against an independent numpy reference, and their accounting."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.exceptions import DateRangeError, InputError
from axion_lab.scenarios import RebalanceSimulator, Strategy, TaxRates, TradingCosts

TARGETS = {"AAA": 0.4, "BBB": 0.3, "BOND": 0.3}


def _closes(market: Market) -> tuple[list, np.ndarray]:
    wide = (
        market.adjusted_bars("total")
        .filter(pl.col("symbol").is_in(list(TARGETS)))
        .pivot(on="symbol", index="ts", values="close")
        .sort("ts")
    )
    return wide["ts"].dt.date().to_list(), wide.select(list(TARGETS)).to_numpy()


def test_frictionless_monthly_matches_constant_mix_reference(small_market: Market) -> None:
    sim = RebalanceSimulator(small_market, TARGETS, initial_cents=100_000_000)
    run = sim.run(Strategy.calendar("monthly"))
    dates, px = _closes(small_market)
    # Reference: fractional shares, no costs; reset to target weights at the first
    # session of each month, plain numpy.
    w = np.array(list(TARGETS.values()))
    value = 1_000_000.0
    shares = w * value / px[0]
    ref = [value]
    for t in range(1, len(dates)):
        value = float(shares @ px[t])
        if dates[t].month != dates[t - 1].month:
            shares = w * value / px[t]
        ref.append(value)
    # Equal up to the cent roundings of each valuation and trade: a few cents a
    # rebalance, accumulated over ~40 months, on a portfolio of about $500,000.
    assert run.values_cents / 100 == pytest.approx(np.array(ref), rel=1e-6)
    assert run.values_cents[0] == 100_000_000
    months = sum(dates[t].month != dates[t - 1].month for t in range(1, len(dates)))
    assert run.rebalances == months


def test_buy_and_hold_never_trades_again(small_market: Market) -> None:
    sim = RebalanceSimulator(small_market, TARGETS, costs=TradingCosts(per_trade_cents=100))
    run = sim.run(Strategy.buy_and_hold())
    assert run.rebalances == 0
    assert run.metrics()["turnover"] == 0.0
    assert run.costs_cents == 3 * 100  # the three initial purchases only


def test_bands_rebalance_only_on_drift(small_market: Market) -> None:
    sim = RebalanceSimulator(small_market, TARGETS)
    tight = sim.run(Strategy.tolerance_band(0.01))
    loose = sim.run(Strategy.tolerance_band(0.10))
    relative = sim.run(Strategy.tolerance_band(0.25, "relative"))
    assert tight.rebalances > loose.rebalances
    assert relative.rebalances >= 1
    strat = Strategy.tolerance_band(0.25, "relative")
    target = np.array([0.4, 0.3, 0.3])
    # 0.4 may drift to 0.3..0.5; 0.3 to 0.225..0.375.
    assert not strat.due(sim.dates[1], sim.dates[0], np.array([0.49, 0.26, 0.25]), target)
    assert strat.due(sim.dates[1], sim.dates[0], np.array([0.51, 0.25, 0.24]), target)


def test_costs_taxes_and_whole_shares_accounting(small_market: Market) -> None:
    costs = TradingCosts(per_trade_cents=100, commission_bps=5, spread_bps=10)
    sim = RebalanceSimulator(
        small_market,
        {"AAA": 0.5, "DDD": 0.5},
        costs=costs,
        taxes=TaxRates(short_term=0.3, long_term=0.15),
        whole_shares=True,
    )
    cmp = sim.compare([Strategy.buy_and_hold(), Strategy.calendar("monthly")])
    summary = cmp.to_frame("summary")
    monthly = summary.filter(pl.col("strategy") == "monthly").row(0, named=True)
    hold = summary.filter(pl.col("strategy") == "buy and hold").row(0, named=True)
    assert monthly["costs_cents"] > hold["costs_cents"] > 0
    assert monthly["turnover"] > 0
    run = cmp.runs[1]
    assert run.final.cash_cents >= 0
    assert all(float(h.shares).is_integer() for h in run.final.holdings)
    # The last value is cash plus holdings at the last prices.
    last = dict(zip(sim.targets, sim.prices[-1], strict=True))
    from axion_lab.scenarios.money import trade_cents

    held = sum(trade_cents(h.shares, last[h.symbol]) for h in run.final.holdings)
    assert run.values_cents[-1] == held + run.final.cash_cents
    # Taxes are paid only on net gains, so never more than the top rate on turnover.
    assert 0 <= monthly["taxes_cents"] <= 0.3 * run.traded_cents
    assert "monthly" in cmp._repr_html_()


def test_validation(small_market: Market) -> None:
    with pytest.raises(InputError, match="sum to at most 1"):
        RebalanceSimulator(small_market, {"AAA": 0.8, "BBB": 0.5})
    with pytest.raises(DateRangeError, match="NEWCO have no price"):
        RebalanceSimulator(small_market, {"NEWCO": 0.5}, start=small_market.start)
    late = RebalanceSimulator(small_market, {"NEWCO": 0.5, "AAA": 0.5})
    assert late.dates[0] > small_market.start  # starts when every target has data
    with pytest.raises(ValueError, match="'weekly' is not a valid Frequency"):
        Strategy.calendar("weekly")
