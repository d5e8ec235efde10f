"""DRIP over history on the hand-made market, checked to the cent (see conftest)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.dividends import DRIPSimulator
from axion_lab.exceptions import DateRangeError, InputError, UnknownNameError, UnknownSymbolError


def test_fractional_drip_through_a_split_and_a_special(tiny: Market) -> None:
    run = DRIPSimulator(tiny).history(
        "AAA:100", start="2023-01-03", end="2023-12-29", account="tax_free"
    )
    paid = run.ledger.filter(pl.col("event") == "paid")["cents"].to_list()
    # ex 02-15: 100 sh x 0.25 = $25.00 -> 2500c; paid 03-01, buys 2.5 sh at $10 -> 102.5
    # ex 05-15: 102.5 x 0.25 = 25.625 -> 2562.5c -> half-even 2562c; +2.562 sh -> 105.062
    # split 08-01 (2-for-1): 210.124 sh
    # ex 08-15: 210.124 x 0.13 = 27.31612 -> 2732c; +2732/500 = 5.464 sh at $5 -> 215.588
    # special ex 10-16: 215.588 x 1.00 -> 21558.8c -> 21559c; +43.118 sh -> 258.706
    # ex 11-15: 258.706 x 0.13 = 33.63178 -> 3363c; +6.726 sh -> 265.432
    assert paid == [2500, 2562, 2732, 21559, 3363]
    final = run.final("drip")
    assert final["income_cents"] == 2500 + 2562 + 2732 + 21559 + 3363
    assert final["tax_cents"] == 0
    assert run.timeline.filter(pl.col("strategy") == "drip")["shares"][-1] == pytest.approx(265.432)
    assert final["value_cents"] == 132716  # 265.432 x $5.00
    # Taking cash: 100 sh -> 200 after the split; 2500 + 2500 + 2600 + 20000 + 2600 = 30200c
    cash = run.final("cash")
    assert cash["income_cents"] == 30200
    assert cash["cash_cents"] == 30200
    assert cash["value_cents"] == 200 * 500 + 30200


def test_whole_shares_with_tax_withheld_and_cash_left_over(tiny: Market) -> None:
    run = DRIPSimulator(tiny).history(
        "AAA:100", start="2023-01-03", end="2023-12-29", fractional=False, tax_rate=0.15
    )
    buys = run.ledger.filter(pl.col("event") == "buy")
    paid = run.ledger.filter(pl.col("event") == "paid")
    # gross 2500, tax 375, net 2125 -> 2 sh at $10 (2000c), 125c left; 102 sh
    # 102 x 0.25 = 2550; tax 382.5 -> 382 (half-even); net 2168; 2293c -> 2 sh, 293 left; 104
    # split -> 208; 208 x 0.13 = 2704; tax 405.6 -> 406; net 2298; 2591c -> 5 sh at $5, 91 left
    # special 213 x 1.00 = 21300; tax 3195; net 18105; 18196c -> 36 sh, 196 left; 249 sh
    # 249 x 0.13 = 3237; tax 485.55 -> 486; net 2751; 2947c -> 5 sh, 447 left; 254 sh
    assert paid["cents"].to_list() == [2500, 2550, 2704, 21300, 3237]
    assert paid["tax_cents"].to_list() == [375, 382, 406, 3195, 486]
    assert buys["shares"].to_list() == [2, 2, 5, 36, 5]
    assert buys["cents"].to_list() == [2000, 2000, 2500, 18000, 2500]
    final = run.final("drip")
    assert final["cash_cents"] == 447
    assert final["value_cents"] == 254 * 500 + 447
    assert final["tax_cents"] == 375 + 382 + 406 + 3195 + 486


def test_monthly_contributions_are_invested_in_both_strategies(tiny: Market) -> None:
    run = DRIPSimulator(tiny).history(
        "AAA:100",
        start="2023-01-03",
        end="2023-03-31",
        monthly_contribution="100.00",
        account="tax_deferred",
    )
    # 02-01: +$100 -> 10 sh at $10 (110); ex 02-15: 110 x 0.25 = 2750c
    # 03-01: +$100 and the $27.50 dividend -> 12.75 sh; 122.75 sh x $10
    drip, cash = run.final("drip"), run.final("cash")
    assert drip["contributions_cents"] == cash["contributions_cents"] == 20000
    assert drip["value_cents"] == 122750
    # Cash: 120 sh and 2750c aside: the same total at a flat price.
    assert cash["value_cents"] == 120 * 1000 + 2750


def test_foreign_withholding_applies_even_in_a_tax_free_account(tiny: Market) -> None:
    run = DRIPSimulator(tiny).history(
        "BBB:10", start="2023-01-03", end="2023-12-29", account="tax_free"
    )
    # 10 x 1.234 = 12.34 -> 1234c; German withholding 15%: 185.1 -> 185c
    assert run.final("drip")["income_cents"] == 1234
    assert run.final("drip")["tax_cents"] == 185


def test_portfolio_contribution_split_adds_up_to_the_cent(tiny: Market) -> None:
    run = DRIPSimulator(tiny).history(
        "AAA:100, BBB:100", start="2023-01-03", end="2023-02-28", monthly_contribution=10.01
    )
    # Start values $1,000 and $2,000: 1001c splits 333.67/667.33 -> 334 + 667 by largest
    # remainder.
    per_symbol = (
        run.timeline.filter(pl.col("strategy") == "drip")
        .group_by("symbol")
        .agg(pl.col("contributions_cents").sum())
        .sort("symbol")
    )
    assert per_symbol["contributions_cents"].to_list() == [334, 667]


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"holdings": "AAB:1"}, UnknownSymbolError, "Did you mean 'AAA'"),
        ({"holdings": "AAA:-5"}, InputError, "zero or positive"),
        ({"monthly_contribution": 10.005}, InputError, "not a whole number of cents"),
        ({"start": "2019-01-02"}, DateRangeError, "outside this market's data"),
        ({"account": "taxabel"}, UnknownNameError, "Did you mean 'taxable'"),
        ({"fractional": False, "holdings": "AAA:1.5"}, InputError, "whole starting shares"),
    ],
)
def test_bad_input_fails_clearly(
    tiny: Market, kwargs: dict[str, object], error: type[Exception], text: str
) -> None:
    args: dict[str, object] = {"holdings": "AAA:10", "start": "2023-01-03", **kwargs}
    holdings = args.pop("holdings")
    with pytest.raises(error, match=text):
        DRIPSimulator(tiny).history(holdings, **args)  # type: ignore[arg-type]


def test_result_object_renders_and_converts(tiny: Market) -> None:
    run = DRIPSimulator(tiny).history("AAA:100", start="2023-01-03", end=dt.date(2023, 6, 30))
    assert run.to_pandas("comparison")["strategy"].tolist() == ["drip", "cash"]
    html = run._repr_html_()
    assert "DRIP vs cash" in html
    assert "$" in html
    with pytest.raises(UnknownNameError, match="ledger"):
        run.to_frame("ledgr")
