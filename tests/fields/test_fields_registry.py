"""The field registry: complete, consistent, searchable, and generated where it should be."""

from __future__ import annotations

import doctest
import importlib

import pytest

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.fields import (
    DTYPES,
    FIELD_REGISTRY,
    UNITS,
    Field,
    FieldCategory,
    FieldRegistry,
)
from axion_lab.indicators import DEFAULT_PANEL


def test_registry_is_large_and_every_category_is_populated() -> None:
    groups = FIELD_REGISTRY.by_category()
    assert len(FIELD_REGISTRY) >= 120
    assert set(groups) == set(FieldCategory)
    assert sum(len(v) for v in groups.values()) == len(FIELD_REGISTRY)


def test_every_field_is_well_formed() -> None:
    for f in FIELD_REGISTRY:
        assert f.id.isidentifier(), f.id
        assert f.id == f.id.lower(), f.id
        assert f.dtype in DTYPES, f.id
        assert f.unit in UNITS, f.id
        assert f.label, f.id
        assert f.description.endswith((".", ")")), f.id
        if f.source == "derived":
            assert f.depends, f.id


def test_every_indicator_output_is_a_field_with_the_indicators_unit() -> None:
    units = {"index": "score"}
    for spec in DEFAULT_PANEL:
        for out in spec.outputs():
            f = FIELD_REGISTRY.get(out.column)
            assert f.source == "technical"
            assert f.indicator == spec
            assert f.unit == units.get(out.unit, out.unit)
            assert out.description in f.description


def test_get_resolves_aliases_and_suggests_on_typos() -> None:
    assert FIELD_REGISTRY.get("close").id == "price"
    assert FIELD_REGISTRY.get("PE").id == "pe_ratio"
    assert "rsi" in FIELD_REGISTRY
    with pytest.raises(UnknownNameError) as err:
        FIELD_REGISTRY.get("dividend_yeild")
    assert err.value.suggestions[0] == "dividend_yield"


def test_search_ranks_id_matches_first() -> None:
    hits = [f.id for f in FIELD_REGISTRY.search("short float")]
    assert hits[0] == "short_float"
    assert FIELD_REGISTRY.search("") == []


def test_closure_lists_dependencies_before_dependents() -> None:
    order = [f.id for f in FIELD_REGISTRY.closure(["peg_ratio"])]
    assert set(order) >= {"peg_ratio", "pe_ratio", "price", "eps_ttm", "eps_growth_ttm"}
    assert order.index("pe_ratio") < order.index("peg_ratio")
    assert order.index("price") < order.index("pe_ratio")


def test_to_frame_and_json_schema() -> None:
    frame = FIELD_REGISTRY.to_frame()
    assert frame.height == len(FIELD_REGISTRY)
    assert frame.columns[:3] == ["id", "label", "category"]
    schema = FIELD_REGISTRY.json_schema(["dividend_yield", "sector"])
    assert schema["properties"]["dividend_yield"]["type"] == "number"
    assert "0.05 means 5%" in schema["properties"]["dividend_yield"]["description"]
    assert schema["properties"]["sector"]["type"] == "string"


def test_registry_rejects_duplicates_unknown_dependencies_and_cycles() -> None:
    import polars as pl

    def derived(fid: str, expr: pl.Expr) -> Field:
        return Field(fid, fid, FieldCategory.VALUATION, "float", "ratio", "x.", "derived", expr)

    with pytest.raises(InputError, match="twice"):
        FieldRegistry([derived("a", pl.col("b")), derived("a", pl.col("b"))])
    with pytest.raises(InputError, match="unknown field 'zz'"):
        FieldRegistry([derived("a", pl.col("zz"))])
    with pytest.raises(InputError, match="depends on itself"):
        FieldRegistry([derived("a", pl.col("b")), derived("b", pl.col("a"))])


@pytest.mark.parametrize(
    "name",
    ["axion_lab.fields._exprs", "axion_lab.fields._context", "axion_lab.fields.registry"],
)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
