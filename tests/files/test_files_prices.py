"""read_prices: column mapping, messy values, dates, duplicates, sorting."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from axion_lab.data.files import read_prices
from axion_lab.data.schema import SCHEMAS
from axion_lab.exceptions import DataQualityWarning, FileImportError


def _ts(*days: str) -> list[dt.datetime]:
    return [dt.datetime.fromisoformat(d) for d in days]


def test_clean_file_yields_canonical_bars_and_no_findings(write):
    path = write(
        "p.csv",
        "symbol,ts,open,high,low,close,volume\n"
        "AAA,2024-01-02,10,11,9,10.5,100\n"
        "AAA,2024-01-03,10.5,11.5,10,11,200\n",
    )
    result = read_prices(path)
    expected = pl.DataFrame(
        {
            "symbol": ["AAA", "AAA"],
            "ts": _ts("2024-01-02", "2024-01-03"),
            "open": [10.0, 10.5],
            "high": [11.0, 11.5],
            "low": [9.0, 10.0],
            "close": [10.5, 11.0],
            "volume": [100, 200],
        },
        schema=SCHEMAS["bars"],
    )
    assert_frame_equal(result.frame, expected)
    assert result.notes == ()
    assert len(result.quality) == 0
    assert result.columns == {c: c for c in expected.columns}


def test_aliases_are_case_and_space_insensitive_and_adj_close_is_ignored(write):
    path = write(
        "yahoo.csv",
        " DATE ,Ticker,Open,High,Low,Close,Adj Close,Volume\n"
        "2024-01-02,aaa,10,11,9,10.5,10.2,100\n",
    )
    result = read_prices(path)
    assert result.frame.columns == list(SCHEMAS["bars"])
    assert result.frame["close"].to_list() == [10.5]  # not the adjusted 10.2
    assert any("Ignored column(s) 'Adj Close'" in n for n in result.notes)


def test_adj_close_mapped_on_request_replaces_close(write):
    path = write(
        "yahoo.csv",
        "Date,Symbol,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,AAA,10,11,9,10.5,10.2,100\n",
    )
    result = read_prices(path, columns={"adj close": "close"})
    assert result.frame["close"].to_list() == [10.2]
    assert any("Column 'Close' not used" in n for n in result.notes)


def test_explicit_mapping_for_unusual_headers(write):
    path = write("de.csv", "Datum;Kürzel;Schluss\n2024-01-02;aaa;10,5\n".replace("10,5", "10.5"))
    result = read_prices(path, columns={"Datum": "ts", "Kürzel": "symbol", "Schluss": "close"})
    assert result.frame.select("symbol", "close").rows() == [("AAA", 10.5)]
    assert result.frame["open"].is_null().all()
    assert any("No open, high, low, volume" in n for n in result.notes)


def test_messy_numbers_missing_tokens_and_tickers(write):
    path = write(
        "messy.csv",
        "Date,Ticker,Open,High,Low,Close,Volume\n"
        '2024-01-02, aaa ,"$1,234.50","$1,240.00",1200,"1,230.25","1,000"\n'
        "2024-01-03,AAA,N/A,-,null,1231,nan\n"
        "2024-01-04,Aaa,,NA,,1232,\n",
    )
    result = read_prices(path)
    frame = result.frame
    assert frame["symbol"].to_list() == ["AAA"] * 3
    assert frame["open"].to_list() == [1234.5, None, None]
    assert frame["high"].to_list() == [1240.0, None, None]
    assert frame["close"].to_list() == [1230.25, 1231.0, 1232.0]
    assert frame["volume"].to_list() == [1000, None, None]
    notes = " ".join(result.notes)
    assert "removed thousands separators" in notes
    assert "removed currency symbols" in notes


def test_exact_duplicates_dropped_with_note_naming_rows(write):
    path = write(
        "dup.csv",
        "Date,Ticker,Close\n2024-01-02,AAA,10\n2024-01-03,AAA,11\n2024-01-02,AAA,10\n",
    )
    result = read_prices(path)
    assert result.frame.height == 2
    assert "Dropped 1 exact duplicate row(s): row(s) 4." in result.notes


def test_conflicting_duplicates_name_both_rows(write):
    path = write(
        "clash.csv",
        "Date,Ticker,Close\n2024-01-02,AAA,10\n2024-01-03,AAA,11\n2024-01-02,aaa,10.5\n",
    )
    with pytest.raises(FileImportError) as info:
        read_prices(path)
    err = info.value
    assert err.row == 4
    assert err.column == "close"
    assert "rows 2 and 4" in str(err)
    assert "10.0 vs 10.5" in str(err)


def test_unsorted_dates_are_sorted_with_a_note(write):
    path = write(
        "unsorted.csv",
        "Date,Ticker,Close\n2024-01-04,BBB,3\n2024-01-03,AAA,2\n2024-01-02,AAA,1\n",
    )
    result = read_prices(path)
    assert result.frame.select("symbol", "close").rows() == [
        ("AAA", 1.0),
        ("AAA", 2.0),
        ("BBB", 3.0),
    ]
    assert any(n.startswith("Sorted rows by symbol, ts") for n in result.notes)


@pytest.mark.parametrize(
    ("cells", "expected_note"),
    [
        (["2024-01-12", "2024-01-15"], None),
        (["01/12/2024", "01/15/2024"], "US month/day/year"),
        (["12/01/2024", "15/01/2024"], "day/month/year"),
        (["15.01.2024", "12.01.2024"], "day/month/year"),
        (["2024-01-12 16:00:00", "2024-01-15 16:00:00"], "stamped as daily bars"),
        (["2024-01-12T00:00:00Z", "2024-01-15T00:00:00+00:00"], "time-zone suffixes"),
        (["Jan 12, 2024", "2024-01-15"], None),
        (["1/12/2024 4:00 PM", "1/15/2024 4:00 PM"], "stamped as daily bars"),
    ],
)
def test_date_formats(write, cells, expected_note):
    path = write("d.csv", "Date,Close\n" + "".join(f'"{c}",1\n' for c in cells))
    result = read_prices(path, symbol="AAA")
    days = result.frame["ts"].to_list()
    assert sorted(d.date() for d in days) == [dt.date(2024, 1, 12), dt.date(2024, 1, 15)]
    assert all(d.time() == dt.time(0) for d in days)
    if expected_note:
        assert any(expected_note in n for n in result.notes)


def test_intraday_times_are_kept(write):
    path = write("i.csv", "Datetime,Close\n2024-01-02 09:30,1\n2024-01-02 09:35,2\n")
    result = read_prices(path, symbol="AAA")
    assert result.frame["ts"].to_list() == _ts("2024-01-02 09:30", "2024-01-02 09:35")


def test_ambiguous_dates_are_refused_with_advice(write):
    path = write("amb.csv", "Date,Close\n01/02/2024,1\n03/04/2024,2\n")
    with pytest.raises(FileImportError) as info:
        read_prices(path, symbol="AAA")
    message = str(info.value)
    assert info.value.row == 2
    assert info.value.column == "Date"
    assert "ambiguous date '01/02/2024'" in message
    assert "date_format='%m/%d/%Y'" in message


def test_explicit_date_format_settles_ambiguity(write):
    path = write("amb.csv", "Date,Close\n01/02/2024,1\n03/04/2024,2\n")
    with pytest.warns(DataQualityWarning, match="1 warning") as caught:
        result = read_prices(path, symbol="AAA", date_format="%d/%m/%Y")
    assert len(caught) == 1
    assert [d.date() for d in result.frame["ts"]] == [dt.date(2024, 2, 1), dt.date(2024, 4, 3)]
    # Two months apart: the quality check reports the gap, and the warning says so.
    assert result.quality.checks() == ["gap"]


def test_single_symbol_file_with_symbol_argument(write):
    path = write("spy.csv", "Date,Close\n2024-01-02,470.5\n")
    result = read_prices(path, symbol=" spy ")
    assert result.frame.select("symbol", "close").rows() == [("SPY", 470.5)]


def test_rows_without_any_price_are_dropped_with_note(write):
    path = write(
        "holes.csv",
        "Date,Open,High,Low,Close\n2024-01-02,1,1,1,1\n2024-01-03,null,null,null,null\n",
    )
    result = read_prices(path, symbol="AAA")
    assert result.frame.height == 1
    assert any("without any price: row(s) 3" in n for n in result.notes)


def test_percent_extra_column_is_a_ratio(write):
    path = write("x.csv", "Date,Close,Dividend Yield\n2024-01-02,10,3.5%\n2024-01-03,11,1.25%\n")
    result = read_prices(path, symbol="AAA")
    assert result.frame["dividend_yield"].to_list() == pytest.approx([0.035, 0.0125])
    assert result.frame.columns[-1] == "dividend_yield"


def test_parquet_with_proper_dtypes(tmp_path):
    frame = pl.DataFrame(
        {
            "Date": [dt.date(2024, 1, 3), dt.date(2024, 1, 2)],
            "Ticker": ["aaa", "aaa"],
            "Close": [11.0, 10.0],
            "Volume": [5, 6],
        }
    )
    path = tmp_path / "p.parquet"
    frame.write_parquet(path)
    result = read_prices(path)
    assert result.frame.select("ts", "close", "volume").rows() == [
        (dt.datetime(2024, 1, 2), 10.0, 6),
        (dt.datetime(2024, 1, 3), 11.0, 5),
    ]
