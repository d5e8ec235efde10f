"""Formula language: tokens, precedence, printing, errors with positions, safety."""

from __future__ import annotations

import builtins
import doctest
import importlib
import re
from pathlib import Path

import pytest

from axion_lab.exceptions import ExpressionError, InputError
from axion_lab.screener.expression import ExpressionParser
from axion_lab.screener.expression_ast import Binary, Node, NumberLit, Unary, unparse
from axion_lab.screener.expression_lexer import tokenize
from axion_lab.screener.expression_parser import parse_tree

FIELDS = {
    "pe_ratio": "float",
    "roe": "float",
    "market_cap": "float",
    "shares": "int",
    "sector": "str",
    "industry": "str",
    "is_etf": "bool",
    "ipo_date": "date",
}
PARSER = ExpressionParser(FIELDS)

MODULES = [
    "axion_lab.screener.expression",
    "axion_lab.screener.expression_ast",
    "axion_lab.screener.expression_checker",
    "axion_lab.screener.expression_compiler",
    "axion_lab.screener.expression_functions",
    "axion_lab.screener.expression_lexer",
    "axion_lab.screener.expression_parser",
]


def error_of(text: str, parser: ExpressionParser = PARSER) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parser.parse(text)
    return info.value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1.0),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e-3", 0.001),
        ("2.5E2", 250.0),
        ("1_000", 1000.0),
        ("5%", 0.05),
        ("12.5%", 0.125),
        ("2k", 2_000.0),
        ("1.5M", 1_500_000.0),
        ("3b", 3e9),
        ("2T", 2e12),
    ],
)
def test_number_literals(text: str, value: float) -> None:
    token = tokenize(text)[0]
    assert token.kind == "number"
    assert token.value == pytest.approx(value, rel=1e-15)
    assert tokenize(text)[1].kind == "end"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("AND", "and"),
        ("&&", "and"),
        ("Or", "or"),
        ("||", "or"),
        ("NOT", "not"),
        ("!", "not"),
        ("=", "=="),
        ("<>", "!="),
        ("**", "^"),
        ("TRUE", "true"),
    ],
)
def test_operator_spellings(text: str, canonical: str) -> None:
    assert tokenize(text)[0].value == canonical


def test_string_escapes_and_backtick_names() -> None:
    assert tokenize(r'"say \"hi\" \\ o\'k"')[0].value == 'say "hi" \\ o\'k'
    assert tokenize("'it''s'")[0].value == "it"  # two strings, not an escape
    token = tokenize("`52w high`")[0]
    assert (token.kind, token.value) == ("name", "52w high")


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        # * binds tighter than +
        ("2+3*4", Binary("+", NumberLit(2), Binary("*", NumberLit(3), NumberLit(4)))),
        # ^ binds tighter than unary minus: -2^2 = -(2^2)
        ("-2^2", Unary("-", Binary("^", NumberLit(2), NumberLit(2)))),
        # ^ is right-associative
        ("2^3^2", Binary("^", NumberLit(2), Binary("^", NumberLit(3), NumberLit(2)))),
        # an exponent may carry its own sign
        ("2^-1", Binary("^", NumberLit(2), Unary("-", NumberLit(1)))),
        # - and / are left-associative
        ("8-4-2", Binary("-", Binary("-", NumberLit(8), NumberLit(4)), NumberLit(2))),
        ("8/4/2", Binary("/", Binary("/", NumberLit(8), NumberLit(4)), NumberLit(2))),
        ("(2+3)*4", Binary("*", Binary("+", NumberLit(2), NumberLit(3)), NumberLit(4))),
    ],
)
def test_precedence_and_associativity(text: str, tree: Node) -> None:
    assert parse_tree(text) == tree


@pytest.mark.parametrize(
    ("text", "pretty"),
    [
        ("pe_ratio<15 AND roe>=10%", "pe_ratio < 15 and roe >= 0.1"),
        ("true OR true AND false", "true or true and false"),
        ("(true or true) and false", "(true or true) and false"),
        ("not a > 1 or b", "not a > 1 or b"),
        ("NOT (a OR b)", "not (a or b)"),
        ("0<x<=15", "0 < x <= 15"),
        ("(a < b) == c", "(a < b) == c"),
        ("(-2)^2", "(-2) ^ 2"),
        ("-(2^2)", "-2 ^ 2"),
        ("(2^3)^2", "(2 ^ 3) ^ 2"),
        ("a - (b - c)", "a - (b - c)"),
        ("((a - b)) - c", "a - b - c"),
        ("sector NOT IN ['A', \"B\"]", 'sector not in ("A", "B")'),
        ("x in (-1, 2.5)", "x in (-1, 2.5)"),
        ("ABS( x )+Sector_Rank(y)", "abs(x) + sector_rank(y)"),
        ("`52w high` > 1", "`52w high` > 1"),
        ("`and` > 1", "`and` > 1"),
        ("1_000_000", "1000000"),
        ("1e-7", "1e-07"),
    ],
)
def test_canonical_printing_round_trips(text: str, pretty: str) -> None:
    tree = parse_tree(text)
    assert unparse(tree) == pretty
    assert parse_tree(pretty) == tree


# -- errors: message, position, suggestions -------------------------------------------
@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("pe_ratoi < 10", 0, "Unknown field 'pe_ratoi'. Did you mean 'pe_ratio'?"),
        ("pe_ratio < ", 11, "Expected a value after '<'"),
        ("pe_ratio < 10 and", 17, "Expected a value after 'and'"),
        ("", 0, "empty"),
        ("(pe_ratio < 10", 0, "'(' is never closed"),
        ("abs(pe_ratio", 3, "'(' is never closed"),
        ("pe_ratio < 10)", 13, "Unbalanced ')'"),
        ("pe_ratio 10", 9, "Expected an operator"),
        ("2 +* 3", 3, "Expected a value, found '*'"),
        ("abs(pe_ratio,)", 13, "Expected a value before ')'"),
        ("()", 1, "Empty parentheses"),
        ("pe_ratio # 1", 9, "Unexpected character '#'"),
        ("pe_ratio > 1 & roe > 1", 13, "write 'and'"),
        ("sector == 'Energy", 10, "never closed"),
        ("sector == 'a\\b'", 12, "Unknown escape"),
        ("1..2", 0, "Malformed number"),
        ("12abc > 1", 0, "Malformed number"),
        ("x in 1", 5, "Expected a list after 'in'"),
        ("roe in ()", 8, "list after 'in' is empty"),
        ("roe in (pe_ratio)", 8, "numbers, text or true/false only"),
        ("in (1)", 0, "Expected a value, found 'in'"),
        ("`pe ratio", 0, "never closed"),
    ],
)
def test_syntax_and_name_errors_point_at_the_problem(
    text: str, position: int, fragment: str
) -> None:
    err = error_of(text)
    assert isinstance(err, InputError)
    assert err.position == position
    assert fragment in err.message
    # The caret drawing lines up under the reported position.
    if text:
        assert str(err).splitlines()[-1] == "  " + " " * position + "^"


def test_unknown_names_carry_suggestions() -> None:
    assert error_of("pe_ratoi < 10").suggestions == ["pe_ratio"]
    err = error_of("abss(pe_ratio) > 1")
    assert err.message.startswith("Unknown function 'abss'. Did you mean 'abs'")
    assert err.suggestions[0] == "abs"
    assert error_of("sector_zscor(roe)").suggestions[0] == "sector_zscore"
    err = error_of("frobnicate(roe)")
    assert "Functions: abs, between," in err.message  # nothing close: list them


def test_unknown_field_lists_fields_when_nothing_is_close() -> None:
    err = error_of("zzz > 1", ExpressionParser(["pe_ratio", "roe"]))
    assert err.message == "Unknown field 'zzz'. Known fields: pe_ratio, roe."


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("pe_ratio and 3", 0, "'and' combines conditions, but pe_ratio is a number"),
        ("roe > 1 or 3", 11, "'or' combines conditions, but 3 is a number"),
        ("not pe_ratio", 4, "'not' applies to a condition"),
        ("-sector == 'a'", 1, "'-' applies to a number"),
        ("sector + 1", 0, "'+' needs numbers, but sector is text"),
        ("sector > 1", 7, "'>' compares numbers, but one side is text"),
        ("sector > 'A'", 7, "Text can only be compared with == or !="),
        ("sector == 1", 7, "Cannot compare text with a number"),
        ("is_etf == 1", 7, "Cannot compare a condition (true/false) with a number"),
        ("sector in (1, 2)", 11, "The list holds a number, but sector is text"),
        ("abs(sector) > 1", 4, "Argument 1 of abs() must be a number"),
        ("if(pe_ratio, 1, 2) > 0", 3, "Argument 1 of if() must be a condition"),
        ("if(roe > 1, 1, 'a') > 0", 15, "must be a number like the others, not text"),
        ("round(roe, 1.5) > 0", 11, "whole number of decimals"),
        ("round(roe, roe) > 0", 11, "whole number of decimals"),
        ("min(pe_ratio) > 1", 0, "min() takes at least 2 arguments, got 1"),
        ("clip(pe_ratio, 1) > 1", 0, "clip() takes 3 arguments, got 2: write clip(x, lo, hi)"),
        ("abs() > 1", 0, "abs() takes 1 argument, got 0"),
        ("round(roe, 1, 2) > 1", 0, "round() takes 1 to 2 arguments"),
        ("sector_mean(rank(roe)) > 1", 12, "rank() cannot be used inside sector_mean()"),
        ("industry_rank(sector_zscore(roe)) > 1", 14, "cannot be used inside industry_rank"),
        ("ipo_date > 1", 0, "Field 'ipo_date' holds date values"),
        ("rank > 1", 0, "'rank' is a function; call it as rank(...)"),
        ("pe_ratio(1) > 1", 0, "'pe_ratio' is a field, not a function"),
        ("sector", 0, "This formula gives text"),
    ],
)
def test_type_errors(text: str, position: int, fragment: str) -> None:
    err = error_of(text)
    assert err.position == position
    assert fragment in err.message


def test_filter_and_column_kinds_are_enforced() -> None:
    assert PARSER.parse_filter("roe > 0").kind == "bool"
    assert PARSER.parse_column("roe * 2").kind == "number"
    with pytest.raises(ExpressionError, match=r"is a number \(column to sort by\), but a cond"):
        PARSER.parse_filter("roe * 2")
    with pytest.raises(ExpressionError, match=r"if\(cond, 1, 0\)"):
        PARSER.parse_column("roe > 0")


def test_validate_collects_every_problem_without_raising() -> None:
    problems = PARSER.validate("pe_ratoi > 1 and rooe > 2 and sector > 1")
    assert [p.position for p in problems] == [0, 17, 37]
    assert [p.suggestions for p in problems] == [["pe_ratio"], ["roe"], []]
    assert PARSER.validate("roe > 0") == []
    assert len(PARSER.validate("roe >")) == 1
    assert PARSER.validate("roe", expect="bool")[0].position == 0
    # An unknown name does not cascade into type errors about its surroundings.
    assert len(PARSER.validate("nope + 1 > abs(nope2)")) == 2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("(" * 41 + "1" + ")" * 41, "nests too deeply"),
        ("-" * 41 + "1", "nests too deeply"),
        ("not " * 41 + "true", "nests too deeply"),
        ("1" + " + 1" * 40, "nests too deeply"),
        ("abs(" * 41 + "1" + ")" * 41, "nests too deeply"),
        ("1" * 2001, "too long"),
    ],
)
def test_abuse_limits(text: str, fragment: str) -> None:
    err = error_of(text)
    assert fragment in err.message


@pytest.mark.parametrize(
    "text",
    [
        "if(roe > 0, " * 10 + "roe" + ", 1)" * 10,  # each if() tests its condition twice
        "zscore(" * 7 + "roe" + ")" * 7,  # zscore reads its argument three times
        "min(" * 11 + "roe" + ", 1)" * 11,
    ],
)
def test_formulas_that_would_compile_exponentially_are_refused(text: str) -> None:
    err = error_of(text)
    assert err.position == 0
    assert "too complex" in err.message


def test_compiled_size_grows_linearly_with_nesting() -> None:
    # Every operator must use its operands' expressions once; a helper that repeats
    # them (as polars' fill_nan does) doubles the tree per level: 2^38 here.
    deep = PARSER.parse("roe" + " + 1" * 38).to_expr()
    nested = PARSER.parse("abs(" * 38 + "roe" + ")" * 38).to_expr()
    assert len(str(deep)) < 10_000
    assert len(str(nested)) < 10_000


def test_limits_are_configurable_and_not_too_tight() -> None:
    assert PARSER.parse("(" * 30 + "roe" + ")" * 30 + " > 0").kind == "bool"
    assert PARSER.parse(" + ".join(["roe"] * 30)).kind == "number"
    small = ExpressionParser(FIELDS, max_length=12, max_depth=3)
    assert error_of("roe + roe + roe", small).position == 12
    assert "nests too deeply" in error_of("((((roe))))", small).message


# -- safety ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os')", "Unknown function '__import__'"),
        ("open('x')", "Unknown function 'open'"),
        ("eval('1')", "Unknown function 'eval'"),
        ("exec('1')", "Unknown function 'exec'"),
        ("getattr(roe, 'x')", "Unknown function 'getattr'"),
        ("().__class__", "Unexpected character '.'"),
        ("roe.__class__", "Unexpected character '.'"),
        ("lambda: 1", "Unexpected character ':'"),
        ("[].append(1)", "Unexpected character '.'"),
        ("[1]", "Expected a value, found '['"),
        ("roe; import os", "Unexpected character ';'"),
        ("`__builtins__`", "Unknown field '__builtins__'"),
    ],
)
def test_code_is_never_evaluated(text: str, fragment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("user text reached eval/exec/compile")

    with monkeypatch.context() as patch:
        for name in ("eval", "exec", "compile"):
            patch.setattr(builtins, name, forbidden)
        try:
            PARSER.parse(text)
        except ExpressionError as err:
            message = err.message
        else:
            message = "parsed"
    assert fragment in message


def test_sources_use_no_dynamic_evaluation() -> None:
    pattern = re.compile(
        r"(?<![.\w])(eval|exec|compile|__import__|getattr)\s*\(|^\s*(import|from) ast\b",
        re.MULTILINE,
    )
    for name in MODULES:
        module = importlib.import_module(name)
        source = Path(str(module.__file__)).read_text()
        code = re.sub(r'""".*?"""', "", source, flags=re.DOTALL)  # docstrings may say "eval"
        assert not pattern.search(code), name


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
