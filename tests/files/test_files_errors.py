"""Every import error names the file, and the row and column where it applies."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data.files import read_prices
from axion_lab.exceptions import FileImportError


def test_bad_number_names_file_row_column_and_value(write):
    path = write("p.csv", "Date,Ticker,Close\n2024-01-02,AAA,10\n2024-01-03,AAA,1O.5\n")
    with pytest.raises(FileImportError) as info:
        read_prices(path)
    err = info.value
    assert (err.path, err.row, err.column) == (str(path), 3, "Close")
    assert str(err) == f"{path}, row 3, column 'Close': not a number: '1O.5'."


def test_more_bad_values_are_counted(write):
    path = write("p.csv", "Date,Close\n2024-01-02,x\n2024-01-03,1\n2024-01-04,y\n2024-01-05,z\n")
    with pytest.raises(
        FileImportError,
        match=r"row 2.*'x' \(2 more in this column, e\.g\. "
        r"row\(s\) 4, 5\)",
    ):
        read_prices(path, symbol="AAA")


def test_row_numbers_count_blank_lines(write):
    path = write("p.csv", "Date,Close\n2024-01-02,1\n\n2024-01-04,oops\n")
    with pytest.raises(FileImportError) as info:
        read_prices(path, symbol="AAA")
    assert info.value.row == 4


def test_bad_date(write):
    path = write("p.csv", "Date,Close\n2024-01-02,1\n2024-13-45,2\n")
    with pytest.raises(FileImportError, match=r"row 3, column 'Date': unrecognised date"):
        read_prices(path, symbol="AAA")


def test_percent_in_price_column_is_refused(write):
    path = write("p.csv", "Date,Close\n2024-01-02,3.5%\n")
    with pytest.raises(FileImportError, match=r"percent value '3\.5%'.*not a ratio"):
        read_prices(path, symbol="AAA")


def test_decimal_comma_is_refused_with_advice(write):
    path = write("p.csv", 'Date,Close\n2024-01-02,"10,5"\n')
    with pytest.raises(FileImportError, match="decimal commas"):
        read_prices(path, symbol="AAA")


def test_missing_required_columns_lists_found_and_suggestions(write):
    path = write("p.csv", "Dte,Tickr,Clse\n2024-01-02,AAA,1\n")
    with pytest.raises(FileImportError) as info:
        read_prices(path)
    message = str(info.value)
    assert "Missing required prices column(s) 'symbol', 'ts', 'close'" in message
    assert "Found: 'Dte', 'Tickr', 'Clse'" in message
    assert "'close' <- maybe 'Clse'" in message
    assert "'symbol' <- maybe 'Tickr'" in message
    assert "pass symbol='XYZ'" in message


def test_mapping_key_not_in_file_suggests(write):
    path = write("p.csv", "Date,Ticker,Close\n2024-01-02,AAA,1\n")
    with pytest.raises(
        FileImportError,
        match=r"maps 'Closing', which is not in the file.*"
        r"Did you mean 'Close'",
    ):
        read_prices(path, columns={"Closing": "close"})


def test_mapping_target_not_canonical_suggests(write):
    path = write("p.csv", "Date,Ticker,Px\n2024-01-02,AAA,1\n")
    with pytest.raises(FileImportError, match="Did you mean 'close'"):
        read_prices(path, columns={"Px": "closs"})


def test_two_headers_for_one_column_must_be_settled(write):
    path = write("p.csv", "Date,Timestamp,Close\n2024-01-02,2024-01-02,1\n")
    with pytest.raises(FileImportError, match="Both 'Date' and 'Timestamp' look like the 'ts'"):
        read_prices(path, symbol="AAA")


def test_missing_required_value(write):
    path = write("p.csv", "Date,Ticker,Close\n2024-01-02,AAA,1\n2024-01-03,,2\n")
    with pytest.raises(FileImportError) as info:
        read_prices(path)
    assert (info.value.row, info.value.column) == (3, "Ticker")


def test_symbol_argument_with_ticker_column_is_refused(write):
    path = write("p.csv", "Date,Ticker,Close\n2024-01-02,AAA,1\n")
    with pytest.raises(FileImportError, match="pass symbol= only for single-ticker files"):
        read_prices(path, symbol="BBB")


@pytest.mark.parametrize(
    ("name", "content", "pattern"),
    [
        ("empty.csv", "", "is empty"),
        ("header.csv", "Date,Close\n", "no data rows"),
        ("prices.xlsx", "PK..", "unsupported file type '.xlsx'.*Save it as CSV"),
        ("prices", "Date,Close\n", "unsupported file type '\\(no extension\\)'"),
        ("broken.parquet", "not parquet at all", "not a valid Parquet file"),
        ("ragged.csv", 'Date,Close\n2024-01-02,1,2,3\n"unterminated', "could not be read as CSV"),
    ],
)
def test_unreadable_files(write, name, content, pattern):
    path = write(name, content)
    with pytest.raises(FileImportError, match=pattern) as info:
        read_prices(path, symbol="AAA")
    assert info.value.path == str(path)
    assert not isinstance(info.value.__cause__, FileImportError)


def test_missing_file(tmp_path):
    with pytest.raises(FileImportError, match="no such file"):
        read_prices(tmp_path / "nope.csv")


def test_parquet_wrong_dtype_names_column(tmp_path):
    path = tmp_path / "p.parquet"
    pl.DataFrame({"Date": [dt.date(2024, 1, 2)], "Close": [True]}).write_parquet(path)
    with pytest.raises(FileImportError) as info:
        read_prices(path, symbol="AAA")
    assert info.value.column == "Close"
    assert "has type Boolean; expected a number" in str(info.value)


def test_parquet_string_cells_get_record_numbers(tmp_path):
    path = tmp_path / "p.parquet"
    pl.DataFrame({"Date": ["2024-01-02", "bad"], "Close": ["1", "2"]}).write_parquet(path)
    with pytest.raises(FileImportError) as info:
        read_prices(path, symbol="AAA")
    assert info.value.row == 2  # Parquet has no header: the 2nd record


def test_non_utf8_file_is_read_as_cp1252_with_note(write):
    path = write("p.csv", "Date,Close,Note\n2024-01-02,1,caf\xe9\n".encode("cp1252"))
    result = read_prices(path, symbol="AAA")
    assert result.frame["note"].to_list() == ["café"]
    assert any("Windows-1252" in n for n in result.notes)
