"""Formula language under generated input: only ExpressionError, never NaN, exact printing."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axion_lab.exceptions import ExpressionError
from axion_lab.screener.expression import ExpressionParser, Formula
from axion_lab.screener.expression_compiler import MAX_SIZE, expanded_size
from axion_lab.screener.expression_functions import FUNCTIONS

NAN, INF = float("nan"), float("inf")
FRAME = pl.DataFrame(
    {
        "x": [2.0, 0.0, None, NAN, INF, -3.0, 1e308, 5e-324],
        "y": [1.0, -1.0, 0.0, 2.0, None, NAN, 1e-300, -1e308],
        "sector": ["A", "A", "B", None, "B", "A", "C", "C"],
        "industry": ["a", "b", "b", "c", None, "a", "c", "c"],
        "flag": [True, None, False, True, False, True, None, False],
    }
)
PARSER = ExpressionParser(
    {"x": "float", "y": "float", "sector": "str", "industry": "str", "flag": "bool"}
)
# No example database: the suite must not leave a .hypothesis directory behind.
FAST = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TOKENS = [
    *("x", "y", "sector", "flag", "zz", "`x`", "__import__", "open", "__class__"),
    *sorted(FUNCTIONS),
    *("0", "1", "2.5", "1e3", "5%", "2b", "1_0", ".5", "1e999", "1e", "1..2"),
    *("'A'", '"B"', "'", '"', "`", "true", "FALSE", "and", "OR", "not", "in"),
    *("+", "-", "*", "/", "^", "**", "<", "<=", ">", ">=", "==", "=", "!=", "<>"),
    *("&&", "||", "!", "(", ")", "[", "]", ",", ".", ";", "#", "\\", " ", "\n"),
]


def check_outcome(text: str) -> Formula | None:
    """Parse ``text``; only ExpressionError may escape, and a formula must evaluate
    cleanly: a filter has no nulls, a number has no NaN or infinity."""
    problems = PARSER.validate(text)
    error: ExpressionError | None = None
    try:
        formula = PARSER.parse(text)
    except ExpressionError as err:
        error = err
    if error is not None:
        assert problems
        assert problems[0].message == error.message
        assert error.position is None or 0 <= error.position <= len(text)
        return None
    assert problems == []
    # No exponential blow-up: the polars expression grows with the counted size.
    size = expanded_size(formula.ast)
    assert size <= MAX_SIZE
    assert len(str(formula.to_expr())) <= 200 * size
    result = formula.evaluate(FRAME)
    assert result.len() == FRAME.height
    if formula.kind == "bool":
        assert result.dtype == pl.Boolean
        assert result.null_count() == 0
    else:
        assert result.dtype == pl.Float64
        assert not result.is_nan().any()
        assert not result.is_infinite().any()
    # The printed form means the same thing: it parses back to the same tree.
    assert PARSER.parse(str(formula)).ast == formula.ast
    return formula


@FAST
@given(st.text(max_size=60))
def test_arbitrary_text_parses_or_raises_expression_error(text: str) -> None:
    check_outcome(text)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join))
def test_token_soup_parses_or_raises_expression_error(text: str) -> None:
    check_outcome(text)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=14).map("".join))
def test_glued_token_soup_parses_or_raises_expression_error(text: str) -> None:
    check_outcome(text)


LEAVES = st.sampled_from(["x", "y", "0", "1", "2.5", "1e300", "5%", "(-3)"])
UNARY = sorted(
    name
    for name, sig in FUNCTIONS.items()
    if sig.params == ("number",) and sig.result == "number" and not sig.variadic
)


def _numbers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from("+-*/^"), children).map(lambda t: f"({' '.join(t)})"),
        st.tuples(st.sampled_from(UNARY), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max", "coalesce"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        st.tuples(children, children, children).map(lambda t: f"clip({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(children, children, children).map(
            lambda t: f"if({t[0]} > {t[1]}, {t[1]}, {t[2]})"
        ),
        children.map(lambda c: f"-{c}"),
    )


NUMBER_FORMULAS = st.recursive(LEAVES, _numbers, max_leaves=10)


@FAST
@given(NUMBER_FORMULAS)
def test_generated_number_formulas_never_produce_nan_or_infinity(text: str) -> None:
    formula = check_outcome(text)
    if formula is None:
        # The only formulas the generator can build that are refused nest a window
        # function inside a sector_/industry_ one, or nest too deeply.
        message = PARSER.validate(text)[0].message
        assert "cannot be used inside" in message or "nests too deeply" in message
        return
    assert formula.kind == "number"


@FAST
@given(NUMBER_FORMULAS, st.sampled_from(["<", ">=", "==", "!="]), NUMBER_FORMULAS)
def test_generated_filters_never_let_a_null_through(left: str, op: str, right: str) -> None:
    text = f"{left} {op} {right}"
    formula = check_outcome(text)
    if formula is None:
        return
    number_left = PARSER.parse(left).evaluate(FRAME)
    number_right = PARSER.parse(right).evaluate(FRAME)
    mask = formula.evaluate(FRAME)
    missing = number_left.is_null() | number_right.is_null()
    assert not (mask & missing).any()
