"""Fundamentals and dividends checks, and the QualityReport result object."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data.quality import (
    FINDINGS_SCHEMA,
    QualityReport,
    check_dividends,
    check_fundamentals,
)
from axion_lab.data.schema import SCHEMAS
from axion_lab.exceptions import DataQualityError

D = dt.date


def statements(**overrides: list[object]) -> pl.DataFrame:
    base: dict[str, list[object]] = {
        "symbol": ["AAA", "AAA"],
        "period_end": [D(2023, 9, 30), D(2023, 12, 31)],
        "published": [D(2023, 11, 5), D(2024, 2, 10)],
        "revenue": [1000.0, 1100.0],
        "cost_of_revenue": [600.0, 650.0],
        "gross_profit": [400.0, 450.0],
        "total_assets": [5000.0, 5200.0],
        "total_liabilities": [3000.0, 3100.0],
        "shareholders_equity": [2000.0, 2100.0],
        "operating_cash_flow": [300.0, 320.0],
        "capex": [100.0, 120.0],
        "free_cash_flow": [200.0, 200.0],
    }
    base.update(overrides)
    return pl.DataFrame(base)


def test_clean_fundamentals_have_no_findings():
    assert len(check_fundamentals(statements())) == 0


def test_negative_capex_convention_is_accepted():
    assert len(check_fundamentals(statements(capex=[-100.0, -120.0]))) == 0


def test_published_before_period_end():
    report = check_fundamentals(statements(published=[D(2023, 9, 1), D(2024, 2, 10)]))
    assert report.checks() == ["published_before_period_end"]
    assert report.has_errors


@pytest.mark.parametrize(
    ("override", "check"),
    [
        ({"gross_profit": [400.0, 500.0]}, "identity_gross_profit"),
        ({"total_assets": [5000.0, 9999.0]}, "identity_balance_sheet"),
        ({"free_cash_flow": [200.0, 50.0]}, "identity_free_cash_flow"),
    ],
)
def test_identities(override, check):
    report = check_fundamentals(statements(**override))
    row = report.to_frame().row(0, named=True)
    assert report.checks() == [check]
    assert (row["severity"], row["start"], row["count"]) == ("warning", D(2023, 12, 31), 1)


def test_identity_within_tolerance_and_nulls_are_not_flagged():
    report = check_fundamentals(statements(gross_profit=[404.0, None]))  # 0.4% off, null
    assert len(report) == 0


def test_duplicate_statements():
    f = statements()
    assert check_fundamentals(pl.concat([f, f.head(1)])).checks() == ["duplicate_statements"]


def dividends(**overrides: list[object]) -> pl.DataFrame:
    base: dict[str, list[object]] = {
        "symbol": ["AAA", "AAA"],
        "declared": [D(2024, 2, 1), D(2024, 5, 1)],
        "ex_date": [D(2024, 3, 1), D(2024, 6, 1)],
        "record_date": [D(2024, 3, 1), D(2024, 6, 1)],
        "pay_date": [D(2024, 3, 15), D(2024, 6, 15)],
        "amount": [0.5, 0.5],
        "frequency": ["quarterly"] * 2,
        "kind": ["regular"] * 2,
    }
    base.update(overrides)
    return pl.DataFrame(base, schema=SCHEMAS["dividends"])


SAME_DAY: dict[str, list[object]] = {
    "declared": [D(2024, 2, 1)] * 2,
    "ex_date": [D(2024, 3, 1)] * 2,
    "record_date": [D(2024, 3, 1)] * 2,
    "pay_date": [D(2024, 3, 15)] * 2,
}


def test_clean_dividends_have_no_findings():
    assert len(check_dividends(dividends())) == 0


@pytest.mark.parametrize(
    ("override", "check", "severity"),
    [
        ({"pay_date": [D(2024, 3, 15), D(2024, 5, 15)]}, "pay_before_ex", "error"),
        ({"declared": [D(2024, 2, 1), D(2024, 7, 1)]}, "declared_after_ex", "warning"),
        ({"amount": [0.5, 0.0]}, "non_positive_amount", "error"),
        (SAME_DAY, "duplicate_dividends", "warning"),
    ],
)
def test_dividend_checks(override, check, severity):
    report = check_dividends(dividends(**override))
    assert report.checks() == [check]
    assert report.to_frame()["severity"].to_list() == [severity]


def test_special_and_regular_on_one_ex_date_are_not_duplicates():
    d = dividends(**SAME_DAY, kind=["regular", "special"])
    assert len(check_dividends(d)) == 0


def test_report_combine_summary_html_and_raise():
    report = QualityReport.combine(
        [
            check_fundamentals(statements(gross_profit=[400.0, 500.0])),
            check_dividends(dividends(amount=[0.5, -1.0])),
        ]
    )
    assert report.frames_checked == ("fundamentals", "dividends")
    assert report.rows_checked == 4
    # Errors sort first.
    assert report.to_frame()["check"].to_list() == ["non_positive_amount", "identity_gross_profit"]
    assert report.summary().splitlines() == [
        "Data quality: 1 error, 1 warning (4 rows checked).",
        "  error   dividends.non_positive_amount: 1 finding(s) in 1 symbol(s)",
        "  warning fundamentals.identity_gross_profit: 1 finding(s) in 1 symbol(s)",
    ]
    html = report._repr_html_()
    assert "non_positive_amount" in html
    assert "#b00020" in html
    assert list(report.to_pandas().columns) == list(FINDINGS_SCHEMA)
    with pytest.raises(DataQualityError, match="1 data-quality error"):
        report.raise_for_errors()
    assert report.at_least("warning").height == 2
    assert report.at_least("error").height == 1


def test_html_escapes_messages():
    rows = [
        {
            "frame": "bars",
            "symbol": "<b>",
            "check": "x",
            "severity": "info",
            "start": None,
            "end": None,
            "count": 1,
            "message": "<script>",
        }
    ]
    html = QualityReport.from_rows(rows, frame="bars", rows_checked=1)._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
