"""What-if analysis, risk estimates, portfolio files and comparisons on a hand-made market."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scenario_data import TRUE_BETAS

from axion_lab.data import Market
from axion_lab.exceptions import FileImportError, InputError
from axion_lab.scenarios import (
    Holding,
    Portfolio,
    PortfolioComparer,
    ProposedTrade,
    TradeRefused,
    TradingCosts,
    WhatIfAnalyzer,
    read_portfolio,
)
from axion_lab.scenarios.risk import build_risk_model, credit_class


def test_betas_recover_the_true_ones(small_market: Market) -> None:
    model = build_risk_model(small_market, ["AAA", "BBB", "CCC", "DDD", "NEWCO", "BOND"])
    beta = model.column("beta")
    for sym in ("AAA", "BBB", "CCC", "DDD"):
        assert beta[sym] == pytest.approx(TRUE_BETAS[sym], abs=0.05)
    # NEWCO has 200 sessions of history in the 756-session window: enough for a beta.
    assert beta["NEWCO"] == pytest.approx(TRUE_BETAS["NEWCO"], abs=0.1)
    sources = dict(model.exposures.select("symbol", "beta_source").iter_rows())
    assert sources["AAA"] == "history"
    # The price is the last close as traded.
    last = small_market.bars.filter(pl.col("symbol") == "AAA").sort("ts")["close"][-1]
    assert model.column("price")["AAA"] == last
    # Dividends: four quarterly 0.25 in the last year.
    assert model.column("dps")["BBB"] == pytest.approx(1.0)


def test_short_history_gets_peer_beta(small_market: Market) -> None:
    model = build_risk_model(
        small_market, ["AAA", "DDD", "NEWCO"], as_of=small_market.trading_days[720]
    )
    sources = dict(model.exposures.select("symbol", "beta_source").iter_rows())
    assert sources["NEWCO"] == "peer median"  # 21 sessions: too few
    beta = model.column("beta")
    assert beta["NEWCO"] == pytest.approx(np.median([beta["AAA"], beta["DDD"]]))


def test_credit_classes() -> None:
    assert credit_class("bond", "Treasury", "US Treasury 2031") == ("none", 0.0)
    assert credit_class("etf", "ETF - Fixed Income", "Axiom Aggregate Bond ETF") == ("ig", 0.25)
    assert credit_class("etf", "ETF - Fixed Income", "Axiom Investment Grade Corporate") == (
        "ig",
        1.0,
    )


@pytest.fixture(scope="module")
def whatif(small_market: Market) -> WhatIfAnalyzer:
    return WhatIfAnalyzer(small_market, costs=TradingCosts(per_trade_cents=500))


def test_before_and_after(whatif: WhatIfAnalyzer) -> None:
    p = Portfolio((Holding.with_cost("AAA", 100, 200_000), Holding("BBB", 40)), 1_000_000)
    res = whatif.analyze(
        p, [ProposedTrade.buy("CCC", dollars=2_000), ProposedTrade.sell("AAA", shares=50)]
    )
    before, after = res.before, res.after
    # Value falls by exactly the costs: two trades at $5.00.
    assert res.costs_cents == 1_000
    assert after.total_cents == before.total_cents - 1_000
    # Weights: value / total, cash included; HHI over invested weights.
    pos = after.positions
    assert pos["weight"].sum() + after.cash_cents / after.total_cents == pytest.approx(1.0)
    w = pos["value_cents"].to_numpy() / pos["value_cents"].sum()
    assert after.hhi == pytest.approx(float((w**2).sum()))
    assert after.beta == pytest.approx(float((pos["weight"] * pos["beta"]).sum()))
    # Dividend income: 40 BBB x $1.00 a year = $40.00, unchanged by the trades.
    assert before.income_cents == after.income_cents == 4_000
    # Realised: 50 of 100 shares, half the basis (100,000 c) against proceeds less $5.
    fill = next(f for f in res.execution.fills if f.symbol == "AAA")
    assert fill.realised_cents == fill.gross_cents - 500 - 100_000
    table = res.to_frame("positions")
    assert set(table["symbol"]) == {"AAA", "BBB", "CCC"}
    ccc = table.filter(pl.col("symbol") == "CCC").row(0, named=True)
    assert ccc["weight_before"] == 0.0
    assert ccc["weight_after"] > 0
    summary = res.to_frame("summary")
    assert summary.filter(pl.col("metric") == "holdings")["after"][0] == 3
    assert "What-if: 2 trade(s)" in res._repr_html_()
    assert res.to_pandas("trades").shape[0] == 2


def test_refusal_message_is_clear(whatif: WhatIfAnalyzer) -> None:
    p = Portfolio((Holding("AAA", 10),), cash_cents=0)
    with pytest.raises(TradeRefused, match="Sell something first"):
        whatif.analyze(p, [ProposedTrade.buy("BBB", shares=1)])
    with pytest.raises(TradeRefused, match="Cannot sell 11 AAA"):
        whatif.analyze(p, [ProposedTrade.sell("AAA", shares=11)])


def test_read_portfolio_with_lots_and_cash(tmp_path: Path, small_market: Market) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "Ticker,Quantity,Cost Basis,Purchase Date\n"
        'aaa,10,"$1,000.00",2021-01-04\n'
        "AAA,5,$600.00,2020-06-01\n"
        "BBB,3,,\n"
        "CASH,1234.5,,\n"
    )
    p = read_portfolio(path, market=small_market)
    aaa = p.holding("AAA")
    assert aaa is not None
    assert aaa.shares == 15
    assert [lot.cost_cents for lot in aaa.lots] == [60_000, 100_000]  # oldest first
    assert p.holding("BBB") == Holding("BBB", 3)
    assert p.cash_cents == 123_450
    assert p.name == "h"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Symbol,Shares\nAAA,ten\n", r"row 2, column 'Shares': not a number: 'ten'"),
        ("Symbol,Shares\nAAA,1\n,2\n", r"row 3, column 'Symbol': missing symbol"),
        ("Symbol,Shares\nAAA,-1\n", r"row 2, column 'Shares': negative share count"),
        ("Name,Shares\nAAA,1\n", r"no 'symbol' column"),
        ("Symbol,Shares\nAAA,1\nAAB,2\n", r"row 3, column 'Symbol': Unknown symbol 'AAB'"),
    ],
)
def test_read_portfolio_errors_name_row_and_column(
    tmp_path: Path, small_market: Market, text: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(FileImportError, match=message):
        read_portfolio(path, market=small_market)


def test_compare_portfolios(small_market: Market) -> None:
    a = Portfolio.from_positions({"AAA": 100, "BBB": 100}, name="A")
    b = Portfolio.from_positions({"CCC": 100, "BOND": 50}, cash_cents=100_000, name="B")
    cmp = PortfolioComparer(small_market).compare(
        [a, b], scenarios=["covid_2020", "rate_hike_100bp"], history_days=100
    )
    assert cmp.to_frame("scenarios").columns == ["scenario", "title", "A", "B"]
    assert cmp.to_frame("summary")["portfolio"].to_list() == ["A", "B"]
    values = cmp.to_frame("values")
    assert values.height == 101
    assert values["A"][0] == pytest.approx(1.0)
    # History is buy-and-hold of today's weights on total-return prices (BBB pays
    # dividends in the window): check A's end value from the full-history adjustment.
    prof = cmp.profiles[0]
    closes = small_market.adjusted_bars("total").filter(
        pl.col("ts").dt.date().is_in([values["date"][0], values["date"][-1]])
    )
    end = 0.0
    for sym, w in prof.positions.select("symbol", "weight").iter_rows():
        c = closes.filter(pl.col("symbol") == sym).sort("ts")["close"]
        end += w * c[1] / c[0]
    assert values["A"][-1] == pytest.approx(end)
    perf = cmp.to_frame("performance").row(0, named=True)
    assert perf["total_return"] == pytest.approx(end - 1)
    with pytest.raises(InputError, match="at least two"):
        PortfolioComparer(small_market).compare([a])
