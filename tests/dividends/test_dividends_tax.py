"""Qualified vs ordinary by the holding-period test; account types; foreign withholding."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.dividends import DividendHolding, TaxAnalyzer
from axion_lab.dividends.tax import days_held_in_window, is_qualified
from axion_lab.exceptions import DateRangeError, UnknownNameError

D = dt.date


def test_holding_period_boundary() -> None:
    ex = D(2024, 3, 1)  # window 2024-01-01 .. 2024-04-30 (121 days; 2024 is a leap year)
    # Bought 01-02, sold 03-03: held Jan 3-31 (29) + Feb (29) + Mar 1-3 (3) = 61 > 60.
    assert days_held_in_window(D(2024, 1, 2), D(2024, 3, 3), ex_date=ex) == 61
    assert is_qualified(D(2024, 1, 2), D(2024, 3, 3), ex_date=ex)
    # One day less: exactly 60 is not "more than 60".
    assert not is_qualified(D(2024, 1, 2), D(2024, 3, 2), ex_date=ex)
    # Bought the day before the ex-date and held: Mar 1 - Apr 30 = 61 days.
    assert days_held_in_window(D(2024, 2, 29), None, ex_date=ex) == 61
    # Days outside the window do not count.
    assert days_held_in_window(D(2020, 1, 1), None, ex_date=ex) == 121


def test_lots_in_a_taxable_account(tiny: Market) -> None:
    lots = [
        DividendHolding("AAA", 100, acquired=D(2023, 1, 3)),
        # 50 bought before the 2-for-1 of 08-01 are 100 at the 08-15 ex-date, sold 09-01.
        DividendHolding("AAA", 50, acquired=D(2023, 7, 20), sold=D(2023, 9, 1)),
    ]
    report = TaxAnalyzer(tiny).analyze(lots, start="2023-01-02", end="2023-12-31")
    first = report.payments.filter(pl.col("lot") == 0)
    # Lot 0: 2500, 2500, 200 x 0.13 = 2600, special 200 x 1.00 = 20000, 2600; all
    # qualified (15%): 375, 375, 390, 3000, 390.
    assert first["gross_cents"].to_list() == [2500, 2500, 2600, 20000, 2600]
    assert first["domestic_tax_cents"].to_list() == [375, 375, 390, 3000, 390]
    assert first["qualified"].all()
    second = report.payments.filter(pl.col("lot") == 1).row(0, named=True)
    # Window around 2023-08-15: 06-16 .. 10-14; held 07-21 .. 09-01 = 11 + 31 + 1 = 43 days:
    # ordinary, 24% of 1300c = 312c.
    assert (second["shares"], second["days_held"], second["qualified"]) == (100.0, 43, False)
    assert (second["gross_cents"], second["domestic_tax_cents"], second["net_cents"]) == (
        1300,
        312,
        988,
    )
    assert report.net_cents == 30200 - 4530 + 988


@pytest.mark.parametrize(
    ("account", "credit", "foreign", "domestic"),
    [
        # 10 x 1.234 = 1234c; German withholding 15% = 185.1 -> 185; qualified 15% -> 185,
        # fully offset by the foreign tax credit.
        ("taxable", True, 185, 0),
        ("taxable", False, 185, 185),
        ("tax_deferred", True, 185, 0),
        ("tax-free", True, 185, 0),
    ],
)
def test_accounts_and_foreign_withholding(
    tiny: Market, account: str, credit: bool, foreign: int, domestic: int
) -> None:
    report = TaxAnalyzer(tiny).analyze(
        "BBB:10", start="2023-01-02", account=account, foreign_tax_credit=credit
    )
    row = report.payments.row(0, named=True)
    assert (row["gross_cents"], row["foreign_tax_cents"], row["domestic_tax_cents"]) == (
        1234,
        foreign,
        domestic,
    )
    assert row["net_cents"] == 1234 - foreign - domestic


def test_after_tax_yield_and_errors(tiny: Market) -> None:
    report = TaxAnalyzer(tiny).analyze(
        "AAA:100", start="2024-01-01", end="2024-12-31", account="tax_free"
    )
    lot = report.by_lot.row(0, named=True)
    # 4 x 100 x 0.14 = 5600c over one year on 100 x $5.00.
    assert lot["net_cents"] == lot["gross_cents"] == 5600
    assert lot["after_tax_yield"] == pytest.approx(5600 / 50000 / (365 / 365.25))
    with pytest.raises(UnknownNameError, match="Did you mean 'tax_free'"):
        TaxAnalyzer(tiny).analyze("AAA:1", start="2024-01-02", account="tax_fre")
    with pytest.raises(DateRangeError, match="within this market's data"):
        TaxAnalyzer(tiny).analyze("AAA:1", start="2020-01-02")
