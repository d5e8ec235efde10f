"""Operator semantics on a hand-made snapshot. Missing values (null or NaN) never pass."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import polars as pl
import pytest

from axion_lab.screener import (
    FilterCondition,
    FilterNode,
    Screen,
    Universe,
    all_of,
    any_of,
    run_screen,
)

EVERYTHING = Universe(asset_classes=())


def matches(
    snap: pl.DataFrame, *filters: FilterNode, prev: pl.DataFrame | None = None
) -> list[str]:
    screen = Screen("t", filters=filters, universe=EVERYTHING)
    return sorted(run_screen(snap, screen, previous=prev).symbols)


def cond(field: str, op: str, value: Any = None, **kw: Any) -> FilterCondition:
    return FilterCondition(field, op, value, **kw)


# pe_ratio: A 10, B 20, C null, D NaN, E 5, F 8
@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("<", 10, ["E", "F"]),
        ("<=", 10, ["A", "E", "F"]),
        (">", 9, ["A", "B"]),  # NaN sorts above every number in polars: must not pass
        (">=", 20, ["B"]),
        ("==", 10, ["A"]),
        ("!=", 10, ["B", "E", "F"]),
        ("between", (5, 10), ["A", "E", "F"]),
        ("not_between", (6, 15), ["B", "E"]),
        ("in", [10, 20], ["A", "B"]),
        ("not_in", [10], ["B", "E", "F"]),
        ("is_null", None, ["C", "D"]),
        ("not_null", None, ["A", "B", "E", "F"]),
        ("top_n", 2, ["A", "B"]),
        ("bottom_n", 1, ["E"]),
        ("percentile_above", 75, ["A", "B"]),
        ("percentile_below", 50, ["E", "F"]),
    ],
)
def test_numeric_operators_and_missing_values(
    snap: pl.DataFrame, op: str, value: Any, expected: list[str]
) -> None:
    assert matches(snap, cond("pe_ratio", op, value)) == expected


@pytest.mark.parametrize(
    ("filt", "expected"),
    [
        (cond("sector", "==", "Tech"), ["A", "B", "E"]),
        (cond("sector", "!=", "Tech"), ["C", "D"]),  # F's null sector does not pass
        (cond("sector", "not_in", ["Tech"]), ["C", "D"]),
        (cond("indexes", "in", ["IDX"]), ["A", "C"]),
        (cond("indexes", "in", ["OTHER", "NOPE"]), ["C"]),
        (cond("indexes", "not_in", ["IDX"]), ["B", "D", "F"]),  # E's null list fails
        (cond("ipo_date", "<", "2011-01-01"), ["A", "D"]),
        (cond("ipo_date", "between", (dt.date(2010, 1, 1), dt.date(2015, 1, 1))), ["B", "D", "F"]),
        (cond("is_fictional", "==", False), ["C"]),
        (cond("is_fictional", "!=", True), ["C"]),  # D's null flag does not pass
    ],
)
def test_text_list_date_and_bool_operators(
    snap: pl.DataFrame, filt: FilterCondition, expected: list[str]
) -> None:
    assert matches(snap, filt) == expected


def test_field_to_field_and_percent_above_below(snap: pl.DataFrame) -> None:
    # price vs sma_200: A 100/90, B 50/60, C 20/20, D 10/null, E 5/5.5, F 30/25
    assert matches(snap, cond("price", ">", "sma_200")) == ["A", "F"]
    assert matches(snap, cond("price", ">=", ref="sma_200")) == ["A", "C", "F"]
    assert matches(snap, cond("close", "pct_above", 0.10, ref="sma_200")) == ["A", "F"]
    assert matches(snap, cond("price", "pct_above", 0.20, ref="sma_200")) == ["F"]
    assert matches(snap, cond("price", "pct_below", 0.05, ref="sma_200")) == ["B", "E"]


def test_missing_values_never_pass_even_negated_operators(snap: pl.DataFrame) -> None:
    # dividend_yield: C null, E NaN
    for filt in (
        cond("dividend_yield", "!=", 0.5),
        cond("dividend_yield", "not_in", [0.5]),
        cond("dividend_yield", "not_between", (0.5, 0.6)),
        cond("dividend_yield", ">=", 0.0),
        cond("dividend_yield", "percentile_above", 0),
        cond("dividend_yield", "bottom_n", 10),
    ):
        got = matches(snap, filt)
        assert not {"C", "E"} & set(got), filt


def test_top_n_within_sector(snap: pl.DataFrame) -> None:
    # market_cap: Tech A 300 B 200 E 50; Energy C 500 D 100; F has no sector or cap.
    assert matches(snap, cond("market_cap", "top_n", 1, within="sector")) == ["A", "C"]
    assert matches(snap, cond("market_cap", "bottom_n", 1, within="sector")) == ["D", "E"]
    assert matches(snap, cond("market_cap", "top_n", 1)) == ["C"]


def test_nested_groups(snap: pl.DataFrame) -> None:
    cheap_or_yield = any_of(cond("pe_ratio", "<", 6), cond("dividend_yield", ">", 0.04))
    assert matches(snap, cheap_or_yield) == ["B", "E"]
    assert matches(snap, cheap_or_yield, cond("sector", "==", "Energy")) == []
    nested = any_of(
        all_of(cond("pe_ratio", "<", 6), cond("sector", "==", "Tech")),
        cond("sector", "==", "Energy"),
    )
    assert matches(snap, nested) == ["C", "D", "E"]


def test_crosses_against_the_previous_session(snap: pl.DataFrame, prev: pl.DataFrame) -> None:
    # A: 80 <= 85 yesterday, 100 > 90 today. F was already above. B fell through its SMA.
    assert matches(snap, cond("price", "crosses_above", "sma_200"), prev=prev) == ["A"]
    assert matches(snap, cond("price", "crosses_below", ref="sma_200"), prev=prev) == ["B"]
    # rsi_14 vs a level: A 28 -> 35 and C 30 -> 31 cross up; B 31 -> 25 crosses down;
    # D (null today) and E (null yesterday) do not cross.
    assert matches(snap, cond("rsi_14", "crosses_above", 30), prev=prev) == ["A", "C"]
    assert matches(snap, cond("rsi_14", "crosses_below", 30), prev=prev) == ["B"]


def test_funnel_counts_each_step_cumulatively_and_alone(snap: pl.DataFrame) -> None:
    screen = Screen("f", filters=(cond("pe_ratio", "<", 15), cond("sector", "==", "Tech")))
    result = run_screen(snap, screen)  # default universe: equities, so F (an ETF) is out
    assert result.universe_size == 5
    assert [(s.passed, s.alone) for s in result.funnel] == [(2, 2), (2, 3)]
    assert sorted(result.symbols) == ["A", "E"]
    assert result.funnel[0].label == "pe_ratio < 15"


def test_sorting_columns_and_limit(snap: pl.DataFrame) -> None:
    screen = Screen("s", filters=(cond("price", ">", 1),), universe=EVERYTHING)
    result = run_screen(
        snap, screen, sort_by="pe_ratio", descending=False, limit=3, columns=["pe_ratio", "close"]
    )
    assert result.frame.columns == ["symbol", "pe_ratio", "price"]
    assert result.symbols == ["E", "F", "A"]
    assert result.matched == 6  # before the limit
    default = run_screen(snap, screen)
    assert default.symbols[:2] == ["C", "A"]  # market cap, descending, nulls last
    assert default.symbols[-1] == "F"


def test_formula_filters_through_the_protocol(snap: pl.DataFrame) -> None:
    class Formula:
        text = "price / sma_200 > 1.05"
        fields: ClassVar[set[str]] = {"price", "sma_200"}

        def to_expr(self) -> pl.Expr:
            return pl.col("price") / pl.col("sma_200") > 1.05

    assert matches(snap, Formula()) == ["A", "F"]
    assert matches(snap, Formula(), cond("sector", "==", "Tech")) == ["A"]
