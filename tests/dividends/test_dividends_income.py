"""Projected income on the hand-made market, to the cent."""

from __future__ import annotations

import datetime as dt

import pytest

from axion_lab.data import Market
from axion_lab.dividends import DividendHolding, IncomeProjector
from axion_lab.exceptions import InputError

D = dt.date


def test_next_twelve_months_across_an_announced_split(tiny: Market) -> None:
    income = IncomeProjector(tiny).project("AAA:100", as_of="2024-11-20")
    # Declared: ex 2024-11-15, paid 12-02: 100 x 0.14 = 1400c.
    # Estimated: ex 2025-02-17, 05-15, 08-15: after the 2-for-1 of 2025-01-10 the holder
    # has 200 shares and the per-share amount is 0.07: 200 x 0.07 = 1400c each.
    # The next (ex 2025-11-17, paid 12-04) is beyond 2025-11-20.
    assert income.payments["income_cents"].to_list() == [1400, 1400, 1400, 1400]
    assert income.payments["shares"].to_list() == [100, 200, 200, 200]
    assert income.annual_income_cents == 5600
    holding = income.by_holding.row(0, named=True)
    # Market value 100 x $5.00 on 2024-11-20; yield 5600 / 50000.
    assert holding["market_value_cents"] == 50000
    assert holding["yield"] == pytest.approx(0.112)


def test_growth_is_applied_once_a_year(tiny: Market) -> None:
    lot = DividendHolding("AAA", 100, cost_basis_cents=80000)
    income = IncomeProjector(tiny).project([lot], as_of="2024-11-20", years=2, growth=0.10)
    # Year one as above (1400 x 4). From the anniversary of the last declared ex-date
    # (2024-11-15): 200 x 0.07 x 1.10 = 15.40 -> 1540c, for ex 2025-11-17, 2026-02-16,
    # 2026-05-15 and 2026-08-17 (paid 09-03); ex 2026-11-16 is paid after the horizon.
    assert income.payments["income_cents"].to_list() == [1400] * 4 + [1540] * 4
    assert income.total_income_cents == 11760
    assert income.by_holding["yield_on_cost"][0] == pytest.approx(5600 / 80000)
    monthly = income.monthly()
    assert monthly.height == 24
    assert monthly["income_cents"].sum() == 11760


def test_a_lot_bought_after_the_ex_date_is_not_paid(tiny: Market) -> None:
    lot = DividendHolding("AAA", 100, acquired=D(2024, 11, 18))
    income = IncomeProjector(tiny).project([lot], as_of="2024-11-20")
    assert income.payments["ex_date"][0] == D(2025, 2, 17)


def test_bad_years_and_growth(tiny: Market) -> None:
    with pytest.raises(InputError, match="years"):
        IncomeProjector(tiny).project("AAA:1", years=0)
    with pytest.raises(InputError, match="growth"):
        IncomeProjector(tiny).project("AAA:1", growth="fast")  # type: ignore[arg-type]


def test_chart_is_a_figure_without_pyplot(tiny: Market) -> None:
    from matplotlib.figure import Figure

    fig = IncomeProjector(tiny).project("AAA:100", as_of="2024-11-20").plot()
    assert isinstance(fig, Figure)
    png, _ = fig._repr_png_()
    assert png[:4] == b"\x89PNG"
