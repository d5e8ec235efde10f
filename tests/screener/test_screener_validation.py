"""Bad screens fail with errors that say how to fix them; screens round-trip as documents."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import json
from typing import ClassVar

import polars as pl
import pytest

from axion_lab.exceptions import InputError, UnknownNameError, UnknownSymbolError
from axion_lab.screener import (
    FILTER_REGISTRY,
    PRESET_SCREENS,
    FilterCondition,
    Operator,
    Screen,
    Universe,
    any_of,
    get_preset,
    run_screen,
    screen_from_dict,
    screen_from_json,
    screen_from_yaml,
    screen_to_dict,
    screen_to_json,
    screen_to_yaml,
)

C = FilterCondition


def run(snap: pl.DataFrame, *filters: FilterCondition, universe: Universe | None = None) -> None:
    run_screen(snap, Screen("t", filters=filters, universe=universe or Universe()))


def test_unknown_field_suggests_the_closest(snap: pl.DataFrame) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'pe_ratio'"):
        run(snap, C("pe_ratoi", "<", 5))


@pytest.mark.parametrize(
    ("filt", "message"),
    [
        (C("sector", ">", "Tech"), "operator 'gt' does not apply to 'sector', a text field"),
        (C("pe_ratio", "<", "cheap"), "expected a number, got 'cheap'"),
        (C("pe_ratio", "<", True), "expected a number"),
        (C("pe_ratio", "<"), "needs a value; use is_null"),
        (C("pe_ratio", "is_null", 3), "takes no value"),
        (C("pe_ratio", "between", (10, 5)), "low bound 10 is above the high 5"),
        (C("pe_ratio", "between", 5), "needs two values"),
        (C("pe_ratio", "in", []), "non-empty list"),
        (C("pe_ratio", "top_n", 0), "positive whole number"),
        (C("pe_ratio", "percentile_above", 0.8), "0-100 scale; did you mean 80"),
        (C("pe_ratio", "<", 5, within="sector"), "only applies to rank operators"),
        (C("price", "pct_above", 0.05), "needs ref=<field>"),
        (C("price", "pct_above", 5, ref="sma_200"), "a fraction"),
        (C("price", ">", ref="sector"), "cannot compare 'price' (float) with 'sector' (str)"),
        (C("ipo_date", "<", "last year"), "use ISO format"),
        (C("is_fictional", "==", "yes"), "expected true or false"),
    ],
)
def test_wrong_operator_type_or_shape(
    snap: pl.DataFrame, filt: FilterCondition, message: str
) -> None:
    with pytest.raises(InputError) as err:
        run(snap, filt)
    assert message in str(err.value)


def test_values_in_the_wrong_unit_are_explained(snap: pl.DataFrame) -> None:
    with pytest.raises(InputError) as err:
        run(snap, C("dividend_yield", ">", 5))
    text = str(err.value)
    assert "fraction (0.05 means 5%)" in text
    assert "Did you mean 0.05?" in text
    with pytest.raises(InputError, match="0-100 scale"):
        run(snap, C("rsi_14", ">", 300))
    run(snap, C("dividend_yield", ">", 0.05))  # the right unit is accepted


def test_universe_errors(snap: pl.DataFrame) -> None:
    ok = C("price", ">", 0)
    with pytest.raises(UnknownNameError, match="Did you mean 'Tech'"):
        run(snap, ok, universe=Universe.sector("Tec"))
    with pytest.raises(UnknownNameError, match="Unknown index 'IDY'"):
        run(snap, ok, universe=Universe.index("IDY"))
    with pytest.raises(UnknownNameError, match="Unknown asset class 'etfs'"):
        run(snap, ok, universe=Universe(asset_classes=("etfs",)))
    with pytest.raises(UnknownSymbolError, match="'ZZ'"):
        run(snap, ok, universe=Universe.of(["a", "ZZ"]))
    with pytest.raises(InputError, match="empty on this date"):
        run(snap, ok, universe=Universe(sectors=("Tech",), symbols=("C",)))
    with pytest.raises(InputError, match="empty"):
        Universe.of([])


def test_universe_kinds(snap: pl.DataFrame) -> None:
    ok = (C("price", ">", 0),)
    syms = {
        u.describe(): sorted(run_screen(snap, Screen("u", ok, universe=u)).symbols)
        for u in (
            Universe.equities(),
            Universe.etfs(),
            Universe.index("IDX"),
            Universe.sector("energy"),
            Universe.of(["f", "a"]),
            Universe(exclude=("A",)),
        )
    }
    assert syms == {
        "equity": ["A", "B", "C", "D", "E"],
        "etf": ["F"],
        "equity in IDX": ["A", "C"],
        "equity in energy": ["C", "D"],
        "2 symbols": ["A", "F"],
        "equity excluding 1": ["B", "C", "D", "E"],
    }


def test_a_cross_needs_the_previous_session(snap: pl.DataFrame) -> None:
    with pytest.raises(InputError, match="previous session"):
        run(snap, C("price", "crosses_above", "sma_200"))


def test_operator_parsing() -> None:
    assert Operator.parse("<=") is Operator.LTE
    assert Operator.parse("Not In") is Operator.NOT_IN
    with pytest.raises(UnknownNameError, match="Did you mean 'between'"):
        Operator.parse("betwen")


def test_filter_registry_counts_field_operator_pairs() -> None:
    spec = FILTER_REGISTRY.get("sector")
    assert Operator.GT not in spec.operators
    assert Operator.IN in spec.operators
    by_field = FILTER_REGISTRY.to_frame()
    assert len(FILTER_REGISTRY) == by_field["operators"].list.len().sum()
    assert FILTER_REGISTRY.field_count == by_field.height > 100


@pytest.mark.parametrize("key", sorted(PRESET_SCREENS))
def test_presets_round_trip_through_yaml_and_json(key: str) -> None:
    screen = PRESET_SCREENS[key]
    assert screen.description
    assert screen.filters
    assert screen_from_yaml(screen_to_yaml(screen)) == screen
    assert screen_from_json(screen_to_json(screen)) == screen
    assert Screen.from_dict(screen.to_dict()) == screen


def test_documents_are_readable_and_versioned() -> None:
    screen = Screen(
        "mine",
        filters=(
            C("ipo_date", ">", dt.date(2010, 1, 1)),
            any_of(C("pe", "<", 10), C("rsi", "<", 30)),
        ),
        universe=Universe.index("AX500"),
        limit=20,
    )
    doc = screen_to_dict(screen)
    assert doc["version"] == 1
    assert doc["universe"] == {"indexes": ["AX500"]}
    assert doc["filters"][0] == {"field": "ipo_date", "op": "gt", "value": "2010-01-01"}
    assert doc["filters"][1] == {
        "any": [{"field": "pe", "op": "lt", "value": 10}, {"field": "rsi", "op": "lt", "value": 30}]
    }
    json.dumps(doc)  # plain JSON types only
    back = screen_from_dict(doc)
    assert back.filters[1] == screen.filters[1]
    assert FILTER_REGISTRY.validate(back.filters[0]).value == dt.date(2010, 1, 1)  # type: ignore[union-attr]


def test_bad_documents_are_refused_clearly() -> None:
    doc = screen_to_dict(get_preset("value"))
    with pytest.raises(UnknownNameError, match="Did you mean 'sort_by'"):
        screen_from_dict({**doc, "sort_bye": "pe_ratio"})
    with pytest.raises(InputError, match="no 'version'"):
        screen_from_dict({k: v for k, v in doc.items() if k != "version"})
    with pytest.raises(InputError, match="upgrade axion-lab"):
        screen_from_dict({**doc, "version": 99})
    with pytest.raises(InputError, match="no longer supported"):
        screen_from_dict({**doc, "version": 0})
    with pytest.raises(UnknownNameError, match="Unknown filter key 'valeu'"):
        screen_from_dict({**doc, "filters": [{"field": "pe", "op": "<", "valeu": 3}]})
    with pytest.raises(InputError, match="Not a valid YAML"):
        screen_from_yaml("filters: [unclosed")


def test_formulas_serialise_by_their_text() -> None:
    class Formula:
        fields: ClassVar[set[str]] = {"price"}

        def __init__(self, text: str) -> None:
            self.text = text

        def to_expr(self) -> pl.Expr:
            return pl.col("price") > 1

    screen = Screen("f", filters=(Formula("price > 1"),))
    doc = screen_to_dict(screen)
    assert doc["filters"] == [{"formula": "price > 1"}]
    with pytest.raises(InputError, match="pass parse_formula"):
        screen_from_dict(doc)
    back = screen_from_dict(doc, parse_formula=Formula)
    assert back.filters[0].text == "price > 1"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name",
    [
        "axion_lab.screener.config",
        "axion_lab.screener.models",
        "axion_lab.screener.filters",
        "axion_lab.screener.presets",
        "axion_lab.screener.serialize",
    ],
)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
