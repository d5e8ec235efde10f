"""The exception tree: one root, stdlib mixins, readable messages."""

from __future__ import annotations

import inspect

import pytest

import axion_lab.exceptions as exc_mod
from axion_lab.exceptions import (
    AxionError,
    ExpressionError,
    FileImportError,
    UnknownNameError,
    UnknownSymbolError,
    closest,
)


def _classes() -> list[type[BaseException]]:
    return [
        obj
        for name, obj in vars(exc_mod).items()
        if inspect.isclass(obj) and issubclass(obj, BaseException) and not name.startswith("_")
    ]


def test_every_exception_descends_from_axion_error() -> None:
    classes = [c for c in _classes() if not issubclass(c, Warning)]
    assert len(classes) >= 15
    for cls in classes:
        assert issubclass(cls, AxionError), cls


def test_warnings_are_user_warnings_not_errors() -> None:
    # Warnings are shown, not raised: they must stay filterable as UserWarning.
    warnings = [c for c in _classes() if issubclass(c, Warning)]
    for cls in warnings:
        assert issubclass(cls, UserWarning), cls
        assert not issubclass(cls, AxionError), cls


def test_every_exception_is_drawn_in_the_module_docstring() -> None:
    doc = exc_mod.__doc__ or ""
    for cls in _classes():
        assert cls.__name__ in doc, f"{cls.__name__} missing from the tree in the docstring"


def test_unknown_name_suggests_close_matches() -> None:
    err = UnknownSymbolError.for_name("symbol", "ACMEE", ["ACME", "ACMX", "ZZZ"])
    assert isinstance(err, LookupError)
    assert str(err).startswith("Unknown symbol 'ACMEE'. Did you mean 'ACME'")
    assert err.suggestions[0] == "ACME"
    assert err.name == "ACMEE"


def test_unknown_name_lists_small_choice_sets_when_nothing_is_close() -> None:
    err = UnknownNameError.for_name("kind", "xyz", ["bars", "dividends"])
    assert "Valid choices: 'bars', 'dividends'." in str(err)


def test_closest_is_case_insensitive_and_keeps_original_case() -> None:
    assert closest("information TECH", ["Information Technology", "Energy"], cutoff=0.5) == [
        "Information Technology"
    ]


def test_file_import_error_names_file_row_and_column() -> None:
    err = FileImportError("not a number: 'abc'", path="prices.csv", row=12, column="close")
    assert str(err) == "prices.csv, row 12, column 'close': not a number: 'abc'"
    assert (err.path, err.row, err.column) == ("prices.csv", 12, "close")
    assert isinstance(err, ValueError)


def test_expression_error_points_at_the_position() -> None:
    err = ExpressionError("unexpected ')'", expression="pe_ratio < 10)", position=13)
    lines = str(err).splitlines()
    assert lines[1].strip() == "pe_ratio < 10)"
    assert lines[2].index("^") - lines[1].index("p") == 13


def test_raising_and_catching_by_root() -> None:
    with pytest.raises(AxionError):
        raise UnknownNameError.for_name("field", "pe", ["pe_ratio"])
