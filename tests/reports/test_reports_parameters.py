"""Report parameters: read from the parameters cell, checked and typed before execution."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from axion_lab.exceptions import ReportParameterError, UnknownReportError
from axion_lab.reports import ReportParameter, coerce_parameters, get_report, list_reports
from axion_lab.reports.parameters import read_parameters

PARAMS = (
    "name: str = 'x'  # a name\n"
    "count: int = 3\n"
    "ratio: float = 0.5\n"
    "flag = False\n"
    "tickers: list[str] = ['A', 'B']\n"
    "weights = [1.0, 2.0]\n"
    "opaque = object()\n"
)


@pytest.fixture
def spec(notebooks_folder: Callable[..., Path]) -> tuple[ReportParameter, ...]:
    path = notebooks_folder("typed", [("code", PARAMS, ["parameters"])])
    return read_parameters(path)


def test_types_come_from_annotations_or_defaults(spec: tuple[ReportParameter, ...]) -> None:
    assert [(p.name, p.type, p.default) for p in spec] == [
        ("name", "str", "x"),
        ("count", "int", 3),
        ("ratio", "float", 0.5),
        ("flag", "bool", False),
        ("tickers", "list[str]", ["A", "B"]),
        ("weights", "list[float]", [1.0, 2.0]),
        ("opaque", "any", None),  # not a literal: never evaluated
    ]
    assert spec[0].help == "a name"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"count": "21"}, {"count": 21}),
        ({"count": 7}, {"count": 7}),
        ({"ratio": "2"}, {"ratio": 2.0}),
        ({"ratio": 2}, {"ratio": 2.0}),
        ({"flag": "yes"}, {"flag": True}),
        ({"flag": "OFF"}, {"flag": False}),
        ({"flag": True}, {"flag": True}),
        ({"name": "42"}, {"name": "42"}),
        ({"tickers": "AAA, BBB"}, {"tickers": ["AAA", "BBB"]}),
        ({"tickers": '["C"]'}, {"tickers": ["C"]}),
        ({"weights": "0.5,1"}, {"weights": [0.5, 1.0]}),
        ({"opaque": "anything"}, {"opaque": "anything"}),
    ],
)
def test_values_are_coerced(
    spec: tuple[ReportParameter, ...], values: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert coerce_parameters("typed", spec, values) == expected


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"count": "ten"}, "'count' of report 'typed' must be a whole number"),
        ({"count": 2.5}, "must be a whole number"),
        ({"count": True}, "must be a whole number"),
        ({"ratio": "nan"}, "must be a number"),
        ({"flag": "maybe"}, "must be true or false"),
        ({"name": 5}, "must be a string"),
        ({"tickers": 5}, "must be list"),
        ({"weights": "a,b"}, "must be list"),
    ],
)
def test_wrong_types_are_refused(
    spec: tuple[ReportParameter, ...], values: dict[str, Any], message: str
) -> None:
    with pytest.raises(ReportParameterError, match=message):
        coerce_parameters("typed", spec, values)


def test_unknown_parameter_suggests_close_names(spec: tuple[ReportParameter, ...]) -> None:
    with pytest.raises(ReportParameterError, match="Did you mean 'count'") as info:
        coerce_parameters("typed", spec, {"cuont": 1})
    assert "Its parameters are: name, count, ratio" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_registry_lists_the_curated_notebooks() -> None:
    reports = {r.name: r for r in list_reports()}
    overview = reports["market_overview"]
    assert overview.title == "Market overview"
    assert [(p.name, p.type, p.default) for p in overview.parameters] == [
        ("sector", "str", ""),
        ("as_of", "str", ""),
        ("lookback_days", "int", 252),
        ("index", "str", ""),
    ]


def test_unknown_report_suggests_close_names() -> None:
    with pytest.raises(UnknownReportError, match="Did you mean 'market_overview'"):
        get_report("market_overveiw")
    with pytest.raises(UnknownReportError):
        get_report("../notebooks/market_overview")
