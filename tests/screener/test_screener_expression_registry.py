"""Formula language over the real field registry, snapshot and screener engine."""

from __future__ import annotations

import polars as pl
import pytest

from axion_lab.fields import FIELD_REGISTRY, build_snapshot
from axion_lab.screener import Screen, ScreenerEngine
from axion_lab.screener.expression import ExpressionParser

AS_OF = "2024-06-28"
# The registry passes itself in; the parser never imports it (one-way dependency).
PARSER = ExpressionParser({f.id: f.dtype for f in FIELD_REGISTRY})


def test_every_registry_dtype_has_a_formula_kind() -> None:
    usable = {"float": "number", "int": "number", "str": "string", "bool": "bool"}
    for f in FIELD_REGISTRY:
        # Other dtypes (dates, lists) stay known, so using one gets a clear error.
        assert PARSER.fields[f.id] == usable.get(f.dtype, f.dtype)
    assert PARSER.fields["pe_ratio"] == "number"
    assert PARSER.fields["sector"] == "string"
    problems = PARSER.validate("pe_ratoi < 10")
    assert problems[0].suggestions[0] == "pe_ratio"
    assert "holds date values" in PARSER.validate("ipo_date > 1")[0].message


@pytest.fixture(scope="module")
def snapshot(market) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    return build_snapshot(market, as_of=AS_OF, fields=["pe_ratio", "roe", "sector"])


def test_sector_relative_screen_matches_a_manual_computation(snapshot: pl.DataFrame) -> None:
    formula = PARSER.parse_filter("pe_ratio < sector_median(pe_ratio) and rank(roe) > 0.5")
    assert formula.fields == {"pe_ratio", "roe", "sector"}
    got = set(snapshot.filter(formula.to_expr())["symbol"])

    rows = snapshot.select("symbol", "pe_ratio", "roe", "sector").to_dicts()
    clean = [r for r in rows if r["pe_ratio"] is not None and r["pe_ratio"] == r["pe_ratio"]]
    medians = {}
    for sector in {r["sector"] for r in clean if r["sector"] is not None}:
        values = sorted(r["pe_ratio"] for r in clean if r["sector"] == sector)
        mid = len(values) // 2
        medians[sector] = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    roes = sorted(r["roe"] for r in rows if r["roe"] is not None and r["roe"] == r["roe"])
    expected = set()
    for r in clean:
        roe = r["roe"]
        if r["sector"] is None or roe is None or roe != roe:
            continue
        below, ties = sum(v < roe for v in roes), sum(v == roe for v in roes)
        pct = (below + (ties - 1) / 2) / (len(roes) - 1)
        if r["pe_ratio"] < medians[r["sector"]] and pct > 0.5:
            expected.add(r["symbol"])
    assert got == expected
    assert 0 < len(got) < snapshot.height


def test_the_screener_engine_runs_a_formula_filter(market, snapshot: pl.DataFrame) -> None:  # type: ignore[no-untyped-def]
    formula = PARSER.parse_filter("pe_ratio < sector_median(pe_ratio) and rank(roe) > 0.5")
    result = ScreenerEngine(market).run(Screen("formula", filters=(formula,)), as_of=AS_OF)
    assert set(result.symbols) == set(snapshot.filter(formula.to_expr())["symbol"])
