"""Formula language: values against hand-worked answers, null/NaN safety, groups."""

from __future__ import annotations

import math
import statistics

import polars as pl
import pytest
from polars.testing import assert_series_equal

from axion_lab.screener.expression import ExpressionParser, Formula

NAN, INF = float("nan"), float("inf")
Value = float | bool | None

# x has a negative, a zero, a non-square and a missing value.
FRAME = pl.DataFrame(
    {
        "x": [4.0, -1.0, 0.0, 2.25, None],
        "y": [2.0, 0.0, 5.0, None, 1.0],
        "n": [1, 2, 3, 4, 5],
        "sector": ["Tech", "Tech", "Energy", "Energy", None],
        "flag": [True, False, None, True, False],
    }
)
PARSER = ExpressionParser({"x": "float", "y": "float", "n": "int", "sector": "str", "flag": "bool"})
ONE_ROW = pl.DataFrame({"x": [1.0]})


def values(
    text: str, frame: pl.DataFrame = FRAME, parser: ExpressionParser = PARSER
) -> list[Value]:
    result: list[Value] = parser.parse(text).evaluate(frame).to_list()
    return result


def assert_close(actual: list[Value], expected: list[Value]) -> None:
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        if e is None or isinstance(e, bool):
            assert a == e, (actual, expected)
        else:
            assert a is not None, (actual, expected)
            assert math.isclose(a, e, rel_tol=1e-12, abs_tol=1e-12), (actual, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2+3*4", 14.0),
        ("(2+3)*4", 20.0),
        ("-2^2", -4.0),
        ("(-2)^2", 4.0),
        ("2^3^2", 512.0),
        ("2^-1", 0.5),
        ("2**3", 8.0),
        ("10-4-3", 3.0),
        ("8/2/2", 2.0),
        ("10/4", 2.5),
        ("2*3^2", 18.0),
        ("-(-3)", 3.0),
        ("+3 - -3", 6.0),
        ("5% * 200", 10.0),
        ("1_000 + 1e-3", 1000.001),
        ("1.5k / 1m", 0.0015),
    ],
)
def test_arithmetic(text: str, expected: float) -> None:
    assert_close(values(text, ONE_ROW), [expected])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 4", False),
        ("3 >= 4", False),
        ("1 == 1.0", True),
        ("1 = 2", False),
        ("1 != 1", False),
        ("1 <> 2", True),
        ("0 < 1 < 2", True),
        ("0 < 3 < 2", False),
        ("3 > 2 > 1 >= 1", True),
        ("true and not false", True),
        ("false or true", True),
        ("!false && true || false", True),
        ("not 1 > 2", True),
        ("true or true and false", True),
        ("(true or true) and false", False),
        ("not true or true", True),
        ("not (true or true)", False),
        ("2 in (1, 2)", True),
        ("2 not in (1, 2)", False),
        ("-1 in [-1, 3]", True),
        ("'Energy' == \"Energy\"", True),
        ("'a' in ('b', 'c')", False),
        ("between(2, 1, 3)", True),
        ("between(3, 1, 3)", True),
        ("between(4, 1, 3)", False),
    ],
)
def test_conditions(text: str, expected: bool) -> None:
    assert values(text, ONE_ROW) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abs(x)", [4.0, 1.0, 0.0, 2.25, None]),
        ("sign(x)", [1.0, -1.0, 0.0, 1.0, None]),
        ("floor(x)", [4.0, -1.0, 0.0, 2.0, None]),
        ("ceil(x)", [4.0, -1.0, 0.0, 3.0, None]),
        ("sqrt(x)", [2.0, None, 0.0, 1.5, None]),
        ("log(x)", [math.log(4), None, None, math.log(2.25), None]),
        ("ln(x)", [math.log(4), None, None, math.log(2.25), None]),
        ("log10(x * 25)", [2.0, None, None, math.log10(56.25), None]),
        ("exp(x)", [math.exp(4), math.exp(-1), 1.0, math.exp(2.25), None]),
        ("min(x, 1)", [1.0, -1.0, 0.0, 1.0, None]),
        ("max(x, 1, y)", [4.0, 1.0, 5.0, None, None]),
        ("clip(x, 0, 3)", [3.0, 0.0, 0.0, 2.25, None]),
        ("clip(x, 3, 0)", [0.0, 0.0, 0.0, 0.0, None]),  # numpy.clip: lo > hi gives hi
        ("round(x / 3, 2)", [1.33, -0.33, 0.0, 0.75, None]),
        ("round(x + 0.25)", [4.0, -1.0, 0.0, 3.0, None]),  # 2.5 -> 3, -0.75 -> -1
        ("round(-2.5) + 0 * x", [-3.0, -3.0, -3.0, -3.0, None]),  # half away from zero
        ("if(x > 0, 1, -1)", [1.0, -1.0, -1.0, 1.0, None]),
        ("if(flag, x, y)", [4.0, 0.0, None, 2.25, 1.0]),
        ("coalesce(x, y, 0)", [4.0, -1.0, 0.0, 2.25, 1.0]),
        ("coalesce(y, x)", [2.0, 0.0, 5.0, 2.25, 1.0]),
        ("n * 2", [2.0, 4.0, 6.0, 8.0, 10.0]),
        ("x / y", [2.0, None, 0.0, None, None]),
        ("x - y", [2.0, -1.0, -5.0, None, None]),
        ("x ^ 0.5", [2.0, None, 0.0, 1.5, None]),
        ("rank(x)", [1.0, 0.0, 1 / 3, 2 / 3, None]),
        ("rank(-x)", [0.0, 1.0, 2 / 3, 1 / 3, None]),
        ("rank(n * 0 + 1)", [0.5, 0.5, 0.5, 0.5, 0.5]),  # all tied: average rank
    ],
)
def test_functions_against_hand_worked_values(text: str, expected: list[Value]) -> None:
    assert_close(values(text), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0 < x <= 2.25", [False, False, False, True, False]),
        ("4 >= x > 0", [True, False, False, True, False]),
        ("-1 <= x < 4", [False, True, True, True, False]),
        ("x < 3 > y", [False, True, False, False, False]),  # (x < 3) and (3 > y)
        ("0 <= x == x < 5", [True, False, True, True, False]),
        ("is_null(x)", [False, False, False, False, True]),
        ("is_null(flag)", [False, False, True, False, False]),
        ("between(x, 0, 3)", [False, False, True, True, False]),
        ("flag", [True, False, False, True, False]),
        ("not flag", [False, True, False, False, True]),
        ("sector == 'Tech'", [True, True, False, False, False]),
        ("sector in ('Energy', 'Retail')", [False, False, True, True, False]),
        ("sector not in ('Energy')", [True, True, False, False, False]),
    ],
)
def test_conditions_on_columns(text: str, expected: list[bool]) -> None:
    assert values(text) == expected


def test_zscore_matches_statistics_module() -> None:
    present = [4.0, -1.0, 0.0, 2.25]
    mean, sd = statistics.mean(present), statistics.stdev(present)
    assert_close(values("zscore(x)"), [(v - mean) / sd for v in present] + [None])
    # A constant has no spread: null, not NaN or inf.
    assert values("zscore(n * 0)") == [None] * 5


# -- missing values, NaN and division by zero --------------------------------------
DIRTY = pl.DataFrame(
    {"x": [2.0, 0.0, None, NAN, INF, -INF, -4.0], "y": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]}
)
DIRTY_PARSER = ExpressionParser(["x", "y"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x", [2.0, 0.0, None, None, None, None, -4.0]),  # NaN and inf read as missing
        ("y / x", [0.5, None, None, None, None, None, -0.25]),  # x / 0 -> null
        ("x / 0", [None] * 7),
        ("log(x)", [math.log(2), None, None, None, None, None, None]),
        ("sqrt(x)", [math.sqrt(2), 0.0, None, None, None, None, None]),
        ("x ^ 0.5", [math.sqrt(2), 0.0, None, None, None, None, None]),  # (-4)^0.5 is NaN
        ("x ^ -1", [0.5, None, None, None, None, None, -0.25]),  # 0^-1 is inf
        ("exp(x * 1000)", [None, 1.0, None, None, None, None, 0.0]),  # overflow -> null
        ("x * 1e308 * 10", [None, 0.0, None, None, None, None, None]),
        ("1e308 + 1e308 + 0 * y", [None] * 7),
        ("coalesce(x / 0, -1)", [-1.0] * 7),
    ],
)
def test_no_nan_or_infinity_ever(text: str, expected: list[Value]) -> None:
    result = DIRTY_PARSER.parse(text).evaluate(DIRTY)
    assert result.dtype == pl.Float64
    assert_close(result.to_list(), expected)
    assert not result.is_nan().any()
    assert not result.is_infinite().any()


@pytest.mark.parametrize(
    ("text", "passing"),
    [
        ("x > 0", [0]),  # polars alone would let NaN and inf pass "x > 0"
        ("x < 100", [0, 1, 6]),
        ("not (x < 100)", []),  # the missing rows stay out under negation too
        ("x != 2", [1, 6]),
        ("x == x", [0, 1, 6]),
        ("y / x > 0", [0]),  # x / 0 is null, and null never passes
        ("x > 0 or y > 0", [0, 1, 2, 3, 4, 5, 6]),  # null or true is true
        ("x > 0 and y > 0", [0]),
        ("is_null(x)", [2, 3, 4, 5]),
        ("if(x > 0, true, false)", [0]),  # a null condition takes neither branch
    ],
)
def test_a_row_with_a_missing_value_never_passes_by_accident(text: str, passing: list[int]) -> None:
    formula = DIRTY_PARSER.parse_filter(text)
    kept = DIRTY.with_row_index("i").filter(formula.to_expr())
    assert kept["i"].to_list() == passing
    mask = DIRTY.select(formula.to_expr())
    assert mask.null_count().item() == 0


# -- sector and industry functions vs a manual group_by ----------------------------
GROUPS = pl.DataFrame(
    {
        "v": [1.0, 3.0, 2.0, 10.0, 20.0, None, 7.0, 5.0, 8.0],
        "sector": ["A", "A", "A", "B", "B", "B", None, "C", "C"],
        "industry": ["a1", "a1", "a2", "b1", "b1", "b1", "z", "c1", "c1"],
    }
)
GROUP_PARSER = ExpressionParser({"v": "float", "sector": "str", "industry": "str"})


def manual(frame: pl.DataFrame, key: str, agg: pl.Expr) -> list[Value]:
    stats = frame.filter(pl.col(key).is_not_null()).group_by(key).agg(agg.alias("stat"))
    joined = frame.with_row_index("i").join(stats, on=key, how="left").sort("i")
    result: list[Value] = joined["stat"].to_list()
    return result


def manual_pct_rank(frame: pl.DataFrame, key: str) -> list[Value]:
    out: list[Value] = []
    for value, group in zip(frame["v"], frame[key], strict=True):
        peers = [p for p, g in zip(frame["v"], frame[key], strict=True) if g == group]
        peers = [p for p in peers if p is not None]
        if value is None or group is None:
            out.append(None)
        elif len(peers) == 1:
            out.append(0.5)
        else:
            below = sum(p < value for p in peers)
            ties = sum(p == value for p in peers)
            out.append((below + (ties - 1) / 2) / (len(peers) - 1))
    return out


def test_sector_mean_median_relative_match_group_by() -> None:
    assert_close(
        values("sector_mean(v)", GROUPS, GROUP_PARSER), manual(GROUPS, "sector", pl.col("v").mean())
    )
    median = manual(GROUPS, "sector", pl.col("v").median())
    assert_close(values("sector_median(v)", GROUPS, GROUP_PARSER), median)
    relative = [
        None if v is None or m is None else v / m
        for v, m in zip(GROUPS["v"].to_list(), median, strict=True)
    ]
    assert_close(values("sector_relative(v)", GROUPS, GROUP_PARSER), relative)
    # A row without a sector gets null rather than the statistics of "the null sector".
    assert values("sector_mean(v)", GROUPS, GROUP_PARSER)[6] is None


def test_sector_rank_and_zscore_match_a_manual_computation() -> None:
    assert_close(values("sector_rank(v)", GROUPS, GROUP_PARSER), manual_pct_rank(GROUPS, "sector"))
    mean = manual(GROUPS, "sector", pl.col("v").mean())
    sd = manual(GROUPS, "sector", pl.col("v").std(ddof=1))
    expected = [
        None if v is None or m is None or not s else (v - m) / s
        for v, m, s in zip(GROUPS["v"].to_list(), mean, sd, strict=True)
    ]
    assert_close(values("sector_zscore(v)", GROUPS, GROUP_PARSER), expected)


def test_industry_functions_and_configurable_group_columns() -> None:
    assert_close(
        values("industry_rank(v)", GROUPS, GROUP_PARSER), manual_pct_rank(GROUPS, "industry")
    )
    renamed = GROUPS.rename({"sector": "gics_sector"})
    parser = ExpressionParser(["v"], group_column="gics_sector")
    formula = parser.parse("sector_mean(v)")
    assert formula.fields == {"v", "gics_sector"}
    assert formula.groups == (("sector", "gics_sector"),)
    assert_close(
        formula.evaluate(renamed).to_list(),
        manual(renamed, "gics_sector", pl.col("v").mean()),
    )


def test_window_functions_see_the_whole_frame_inside_a_filter() -> None:
    # rank is over the universe even when combined with another condition.
    formula = GROUP_PARSER.parse("rank(v) >= 0.5 and sector != 'C'")
    kept = GROUPS.filter(formula.to_expr())["v"].to_list()
    assert kept == [10.0, 20.0]  # 7 and 8 are in the top half but excluded by sector


def test_categorical_text_columns_compare_with_literals() -> None:
    frame = GROUPS.with_columns(pl.col("sector").cast(pl.Categorical))
    parser = ExpressionParser.from_schema(frame.schema)
    assert parser.fields["sector"] == "string"
    assert frame.filter(parser.parse("sector == 'B'").to_expr()).height == 3


# -- the Formula object ---------------------------------------------------------------
def test_formula_interface() -> None:
    formula = PARSER.parse("x > 1 AND sector = 'Tech'")
    assert isinstance(formula, Formula)
    assert formula.kind == "bool"
    assert formula.fields == frozenset({"x", "sector"})
    assert str(formula) == 'x > 1 and sector == "Tech"'
    assert PARSER.parse("(x>1) and (sector=='Tech')").ast == formula.ast
    assert PARSER.parse(str(formula)).ast == formula.ast
    assert hash(formula) == hash(PARSER.parse(formula.text))
    with pytest.raises(AttributeError):
        formula.kind = "number"  # type: ignore[misc]
    named = FRAME.select(formula.to_expr("keep"))
    assert named.columns == ["keep"]
    assert_series_equal(named["keep"], pl.Series("keep", [True, False, False, False, False]))


def test_constant_formulas_broadcast_to_the_frame() -> None:
    assert values("1 + 1") == [2.0] * 5
    assert FRAME.filter(PARSER.parse_filter("true").to_expr()).height == 5


def test_functions_listing_for_the_panel() -> None:
    listing = PARSER.functions
    assert listing["clip(x, lo, hi)"] == "x limited to [lo, hi]"
    assert "sector_relative(x)" in listing
    assert "round(x, [digits])" in listing
    assert "min(a, b, ...)" in listing


def test_formulas_of_literals_and_columns_broadcast() -> None:
    # Found by the fuzz test: polars' own coalesce(lit, col) came back one row long.
    assert values("0 < coalesce(0, x)") == [False] * 5
    assert values("coalesce(1, x) + 0") == [1.0] * 5
    assert values("min(1, 2) < max(x, 0)") == [True, False, False, True, False]
