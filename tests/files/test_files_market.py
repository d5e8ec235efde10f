"""Fundamentals, dividends and instruments files, and load_market("files", ...)."""

from __future__ import annotations

import datetime as dt

import pytest

from axion_lab import load_market
from axion_lab.data.files import import_files, read_dividends, read_fundamentals, read_prices
from axion_lab.data.providers import available_providers
from axion_lab.exceptions import (
    DataQualityWarning,
    FileImportError,
    InputError,
    UnknownNameError,
)

PRICES = (
    "Date,Ticker,Open,High,Low,Close,Volume\n"
    "2024-01-02,AAA,10,11,9,10.5,100\n2024-01-03,AAA,10.5,11.5,10,11,200\n"
    "2024-01-02,BBB,20,21,19,20.5,100\n2024-01-03,BBB,20.5,21.5,20,21,200\n"
)


def test_fundamentals_with_publication_dates_and_aliases(write):
    path = write(
        "f.csv",
        "Ticker,Fiscal Date Ending,Filing Date,Total Revenue,COGS,Gross Profit\n"
        'aaa,2023-12-31,2024-02-10,"1,000",600,400\n'
        "aaa,2023-09-30,2023-11-05,900,500,400\n",
    )
    result = read_fundamentals(path)
    frame = result.frame
    assert frame.select("period_end", "published", "revenue").rows() == [
        (dt.date(2023, 9, 30), dt.date(2023, 11, 5), 900.0),
        (dt.date(2023, 12, 31), dt.date(2024, 2, 10), 1000.0),
    ]
    assert frame.select("fiscal_year", "fiscal_quarter").rows() == [(2023, 3), (2023, 4)]
    assert frame["net_income"].is_null().all()
    assert result.quality.ok


def test_fundamentals_without_publication_dates_need_a_lag(write):
    path = write("f.csv", "Ticker,Period End,Revenue\nAAA,2023-12-31,100\n")
    with pytest.raises(FileImportError, match="publication_lag=45"):
        read_fundamentals(path)
    result = read_fundamentals(path, publication_lag=45)
    assert result.frame["published"].to_list() == [dt.date(2024, 2, 14)]
    assert any("publication_lag" in n for n in result.notes)


def test_fundamentals_identity_failure_is_reported(write):
    path = write(
        "f.csv",
        "Ticker,Period End,Published,Revenue,Cost of Revenue,Gross Profit\n"
        "AAA,2023-12-31,2024-02-10,1000,600,300\n",
    )
    with pytest.warns(DataQualityWarning):
        result = read_fundamentals(path)
    assert result.quality.checks() == ["identity_gross_profit"]


def test_dividends_with_defaults_and_inferred_frequency(write):
    path = write(
        "d.csv",
        "Symbol,Ex-Dividend Date,Payment Date,Dividend\n"
        "AAA,2023-03-10,2023-03-20,$0.24\nAAA,2023-06-09,2023-06-20,$0.24\n"
        "AAA,2023-09-08,2023-09-20,$0.25\nAAA,2023-12-08,2023-12-20,$0.25\n",
    )
    result = read_dividends(path)
    frame = result.frame
    assert frame["amount"].to_list() == [0.24, 0.24, 0.25, 0.25]
    assert frame["declared"].to_list() == frame["ex_date"].to_list()
    assert set(frame["frequency"].to_list()) == {"quarterly"}
    assert set(frame["kind"].to_list()) == {"regular"}
    assert result.quality.ok


def test_dividend_paid_before_ex_is_an_error_finding(write):
    path = write("d.csv", "Symbol,Ex Date,Pay Date,Amount\nAAA,2023-03-10,2023-03-01,0.5\n")
    with pytest.warns(DataQualityWarning, match="1 error"):
        result = read_dividends(path)
    assert result.quality.checks() == ["pay_before_ex"]
    assert result.quality.has_errors


def test_files_provider_is_registered():
    assert "files" in available_providers()


def test_load_market_from_files(write):
    prices = write("prices.csv", PRICES)
    dividends = write("divs.csv", "Symbol,Ex Date,Amount\nAAA,2024-01-03,0.5\n")
    instruments = write(
        "inst.csv", "Ticker,Company Name,GICS Sector,Index\nAAA,Alpha Inc,Energy,MYIDX;OTHER\n"
    )
    market = load_market("files", prices=prices, dividends=dividends, instruments=instruments)
    assert market.provider == "files"
    assert market.is_synthetic is False
    assert market.description == "Files: prices.csv, divs.csv, inst.csv"
    assert market.symbols == ("AAA", "BBB")
    inst = market.instruments.sort("symbol")
    assert inst.select("symbol", "name", "sector").rows() == [
        ("AAA", "Alpha Inc", "Energy"),
        ("BBB", None, None),
    ]
    assert inst["indexes"].to_list()[0] == ["MYIDX", "OTHER"]
    assert market.dividends["amount"].to_list() == [0.5]
    assert market.bars.height == 4


def test_import_files_keeps_per_file_results_and_warns_once(write):
    prices = write(
        "prices.csv", PRICES + "2024-01-04,BBB,21,20,22,21,100\n"
    )  # high < low on the last row
    dividends = write("divs.csv", "Symbol,Ex Date,Pay Date,Amount\nAAA,2024-01-03,2024-01-01,1\n")
    with pytest.warns(DataQualityWarning) as caught:
        imported = import_files(prices, dividends=dividends)
    assert len(caught) == 1
    assert "2 errors" in str(caught[0].message)
    assert set(imported.results) == {"prices", "dividends"}
    assert imported.quality.checks() == ["high_below_low", "pay_before_ex"]
    assert "Inferred 2 instrument(s)" in imported.summary()
    # Inferred instruments are assumed equities, so the default universe is not empty.
    assert imported.market.universe() == ["AAA", "BBB"]
    assert imported.market.instruments["asset_class"].to_list() == ["equity", "equity"]


def test_import_files_accepts_a_prepared_result_and_shared_mapping(write):
    prices = read_prices(
        write("p.csv", "Datum,Schluss\n2024-01-02,1\n"),
        symbol="AAA",
        columns={"Datum": "ts", "Schluss": "close"},
    )
    divs = write("d.csv", "Datum,Betrag\n2024-01-02,0.1\n")
    imported = import_files(
        prices, dividends=divs, symbol="AAA", columns={"Datum": "ex_date", "Betrag": "amount"}
    )
    assert imported.market.dividends["amount"].to_list() == [0.1]


def test_shared_mapping_key_in_no_file_is_an_error(write):
    prices = write("p.csv", "Date,Close\n2024-01-02,1\n")
    with pytest.raises(FileImportError, match="found in none of the files"):
        import_files(prices, symbol="AAA", columns={"Nope": "close"})


def test_per_kind_mapping(write):
    prices = write("p.csv", "D,C\n2024-01-02,1\n")
    imported = import_files(prices, symbol="AAA", columns={"prices": {"D": "ts", "C": "close"}})
    assert imported.market.bars["close"].to_list() == [1.0]


def test_provider_rejects_unknown_options_and_needs_prices(write):
    with pytest.raises(UnknownNameError, match="Did you mean 'prices'"):
        load_market("files", price="x.csv")
    with pytest.raises(InputError, match="needs a prices file"):
        load_market("files")
