"""Money arithmetic on trades: hand-worked cent cases, refusals, lots and taxes."""

from __future__ import annotations

import datetime as dt

import pytest

from axion_lab.scenarios import (
    Holding,
    Portfolio,
    ProposedTrade,
    TaxLot,
    TaxRates,
    TradeRefused,
    TradingCosts,
    dollars_to_cents,
    format_cents,
)
from axion_lab.scenarios.ledger import execute_trades, tax_on_gains
from axion_lab.scenarios.money import bps_of_cents, fraction_of_cents, trade_cents

DAY = dt.date(2024, 6, 3)


@pytest.mark.parametrize(
    ("shares", "price", "cents"),
    [
        (3, 10.005, 3002),  # 30.015 $ = 3001.5 c -> 3002 (round half to even: 2 is even)
        (1, 10.125, 1012),  # 1012.5 c -> 1012 (even)
        (1, 10.135, 1014),  # 1013.5 c -> 1014 (even), though float(10.135) < 10.135
        (7, 0.1, 70),  # float 0.1*7 = 0.7000000000000001; exact decimal 0.7 $ -> 70 c
        (2.5, 19.99, 4998),  # 49.975 $ = 4997.5 c -> 4998 (even)
        (0.333, 3.0, 100),  # 0.999 $ = 99.9 c -> 100
    ],
)
def test_trade_value_is_rounded_once_half_even(shares: float, price: float, cents: int) -> None:
    assert trade_cents(shares, price) == cents


def test_cent_helpers() -> None:
    assert dollars_to_cents("0.125") == 12  # 12.5 c -> 12
    assert dollars_to_cents(0.135) == 14  # 13.5 c -> 14
    assert bps_of_cents(1_000_050, 5) == 500  # 5 bp of 1,000,050 c = 500.025 c -> 500
    assert bps_of_cents(30_000, 2.5) == 8  # 2.5 bp of 30,000 c = 7.5 c -> 8 (even)
    assert fraction_of_cents(10_000, 1, 3) == 3333  # 3333.33.. c
    assert fraction_of_cents(10_001, 1, 2) == 5000  # 5000.5 c -> 5000 (even)
    assert format_cents(-123_456) == "-$1,234.56"
    assert format_cents(5) == "$0.05"


def test_buy_with_commission_and_spread_hand_worked() -> None:
    p = Portfolio((), cash_cents=1_000_000)  # $10,000.00
    costs = TradingCosts(per_trade_cents=100, commission_bps=10, spread_bps=20)
    ex = execute_trades(p, [ProposedTrade.buy("AAA", shares=30)], {"AAA": 100.015}, costs=costs)
    fill = ex.fills[0]
    # gross: 30 x 100.015 = 3000.45 $ = 300,045 c
    assert fill.gross_cents == 300_045
    # spread: half of 20 bp = 10 bp of 300,045 c = 300.045 c -> 300
    assert fill.spread_cents == 300
    # commission: 100 c + 10 bp of 300,045 c (300.045 -> 300) = 400
    assert fill.commission_cents == 400
    # cash: 1,000,000 - (300,045 + 300 + 400) = 699,255
    assert ex.portfolio.cash_cents == 699_255
    # the lot's basis includes the costs: 300,745 c
    assert ex.portfolio.holding("AAA") == Holding("AAA", 30, (TaxLot(30, 300_745, None),))


def test_dollar_buy_is_exactly_the_amount_with_fractional_shares() -> None:
    p = Portfolio((), cash_cents=500_000)
    ex = execute_trades(p, [ProposedTrade.buy("AAA", dollars=1234.56)], {"AAA": 33.0})
    assert ex.fills[0].gross_cents == 123_456
    assert ex.fills[0].shares == pytest.approx(1234.56 / 33.0)
    assert ex.portfolio.cash_cents == 500_000 - 123_456


def test_dollar_buy_with_whole_shares_rounds_down() -> None:
    p = Portfolio((), cash_cents=500_000)
    ex = execute_trades(
        p, [ProposedTrade.buy("AAA", dollars=1000)], {"AAA": 33.0}, whole_shares=True
    )
    # floor(1000 / 33) = 30 shares; 30 x 33.00 = 990.00 $
    assert ex.fills[0].shares == 30
    assert ex.fills[0].gross_cents == 99_000


def test_fifo_sell_with_realised_gain_and_tax_hand_worked() -> None:
    lots = (
        TaxLot(10, 100_000, dt.date(2020, 1, 2)),  # $100.00 a share, long term by DAY
        TaxLot(10, 150_000, dt.date(2024, 3, 1)),  # $150.00 a share, short term
    )
    p = Portfolio((Holding("AAA", 20, lots),), cash_cents=0)
    taxes = TaxRates(short_term=0.30, long_term=0.15)
    ex = execute_trades(
        p, [ProposedTrade.sell("AAA", shares=15)], {"AAA": 140.0}, taxes=taxes, on=DAY
    )
    fill = ex.fills[0]
    # proceeds: 15 x 140 = 2,100.00 $ = 210,000 c (no costs)
    assert fill.gross_cents == fill.cash_cents == 210_000
    # FIFO: all of lot 1 (cost 100,000 c) and 5 of 10 of lot 2 (cost 75,000 c)
    assert fill.cost_removed_cents == 175_000
    assert fill.realised_cents == 35_000
    # proceeds split 10/15 and 5/15: 140,000 c and 70,000 c
    # long-term gain 140,000 - 100,000 = 40,000; short-term 70,000 - 75,000 = -5,000
    assert (fill.long_term_cents, fill.short_term_cents) == (40_000, -5_000)
    # net: the short-term loss offsets the long-term gain: 35,000 x 15% = 5,250 c
    assert ex.tax_cents == 5_250
    held = ex.portfolio.holding("AAA")
    assert held is not None
    assert held.shares == 5
    assert held.lots == (TaxLot(5, 75_000, dt.date(2024, 3, 1)),)
    assert ex.portfolio.cash_cents == 210_000


def test_partial_lot_basis_rounds_once_and_is_conserved() -> None:
    p = Portfolio((Holding.with_cost("AAA", 3, 10_000),), cash_cents=0)  # $100.00 for 3
    ex = execute_trades(p, [ProposedTrade.sell("AAA", shares=1)], {"AAA": 40.0})
    # 1/3 of 10,000 c = 3,333.33 -> 3,333 removed; 6,667 stays: nothing lost or made up
    assert ex.fills[0].cost_removed_cents == 3_333
    held = ex.portfolio.holding("AAA")
    assert held is not None
    assert held.cost_cents == 6_667
    assert ex.fills[0].realised_cents == 4_000 - 3_333


def test_tax_netting() -> None:
    rates = TaxRates(short_term=0.3, long_term=0.15)
    assert tax_on_gains(10_000, -4_000, rates) == 1_800  # (10,000 - 4,000) x 30%
    assert tax_on_gains(-10_000, 4_000, rates) == 0  # net loss
    assert tax_on_gains(1_001, 1_001, rates) == 450  # 300.3 + 150.15 = 450.45 -> 450
    assert tax_on_gains(-5, -5, rates) == 0


def test_sells_settle_before_buys() -> None:
    p = Portfolio((Holding("AAA", 10),), cash_cents=0)
    trades = [ProposedTrade.buy("BBB", shares=5), ProposedTrade.sell("AAA", shares=10)]
    ex = execute_trades(p, trades, {"AAA": 10.0, "BBB": 20.0})
    assert ex.portfolio.cash_cents == 0
    assert ex.portfolio.symbols == ("BBB",)
    assert ex.unknown_basis == ("AAA",)
    assert ex.fills[0].realised_cents is None


def test_refuses_selling_more_than_held() -> None:
    p = Portfolio((Holding("AAA", 10),), cash_cents=0)
    with pytest.raises(TradeRefused, match=r"Cannot sell 12 AAA: the portfolio holds 10"):
        execute_trades(p, [ProposedTrade.sell("AAA", shares=12)], {"AAA": 10.0})
    with pytest.raises(TradeRefused, match="holds 0"):
        execute_trades(p, [ProposedTrade.sell("BBB", shares=1)], {"BBB": 10.0})


def test_refuses_buying_without_cash_unless_margin() -> None:
    p = Portfolio((), cash_cents=50_000)
    trade = [ProposedTrade.buy("AAA", shares=10)]
    with pytest.raises(TradeRefused, match=r"\$1,000.00 including costs: the portfolio has \$500"):
        execute_trades(p, trade, {"AAA": 100.0})
    ex = execute_trades(p, trade, {"AAA": 100.0}, allow_margin=True)
    assert ex.portfolio.cash_cents == -50_000


def test_refuses_fractional_shares_when_whole_only() -> None:
    p = Portfolio((), cash_cents=50_000)
    with pytest.raises(TradeRefused, match="whole shares only"):
        execute_trades(p, [ProposedTrade.buy("A", shares=1.5)], {"A": 1.0}, whole_shares=True)
    with pytest.raises(TradeRefused, match="less than one share"):
        execute_trades(p, [ProposedTrade.buy("A", dollars=5)], {"A": 10.0}, whole_shares=True)


def test_trade_and_portfolio_validation() -> None:
    with pytest.raises(ValueError, match="either shares or a dollar amount"):
        ProposedTrade("AAA", "buy")
    with pytest.raises(ValueError, match="appears twice"):
        Portfolio((Holding("A", 1), Holding("a", 2)))
    with pytest.raises(ValueError, match="integer number of cents"):
        Portfolio((), cash_cents=10.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tax lots hold 5 shares but the holding has 6"):
        Holding("A", 6, (TaxLot(5, 100),))
