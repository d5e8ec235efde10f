"""The whitelist of formula functions and the null-safe polars arithmetic behind them.

Only the names in :data:`FUNCTIONS` can be called from a formula. Each entry says
how many arguments of which kind it takes, what it returns, and builds the polars
expression.

Null and NaN policy
-------------------
Numbers are ``Float64`` throughout, and a formula never produces NaN or an infinity:
a value that is not finite becomes null, both where a field is read (so NaN in the
data counts as missing) and after every operation that could create one. So
``x / 0``, ``log(0)``, ``sqrt(-1)``, ``(-8) ^ 0.5`` and ``exp(1000)`` are null (``sqrt(0)``
is 0: only a negative has no square root). Row-wise
functions (``abs``, ``min``, ``clip``, ``between``...) are null when any argument is
null; ``coalesce`` and ``is_null`` exist to handle missing values on purpose.
``if(c, a, b)`` is null when ``c`` is null.

Window functions
----------------
``rank`` and ``zscore`` compare a row with every row of the frame the expression is
evaluated on (the universe); ``sector_*`` and ``industry_*`` compare it with the rows
of its group (``.over(column)``); rows whose group is null get null.
``rank`` is the percentile rank in ``[0, 1]``: ``(r - 1) / (n - 1)`` for the average
rank ``r`` among ``n`` non-null values (ties share a rank; a lone value gets 0.5).
``zscore`` uses the sample standard deviation (``ddof=1``) and is null when that is 0.
``sector_relative(x)`` is ``x`` divided by its sector's median. A window function
cannot sit inside a ``sector_*``/``industry_*`` argument: polars would evaluate it
group by group, not over the universe, so the checker refuses it.

Compiled size
-------------
Every operator uses its operands' expressions once. The few helpers that must
repeat an argument (``if``, ``min``, ``max``, ``clip``, ``rank``, ``zscore``,
``*_relative``) say so in :attr:`Signature.reuse`, and the parser refuses a formula
whose compiled tree, counting repeats, exceeds a fixed size.

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({"a": [4.0, 1.0, None], "b": [2.0, 0.0, 1.0]})
>>> frame.select(safe_div(pl.col("a"), pl.col("b"))).to_series().to_list()
[2.0, None, None]
>>> sorted(n for n, f in FUNCTIONS.items() if f.window == "universe")
['rank', 'zscore']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

import polars as pl

__all__ = [
    "FUNCTIONS",
    "GROUP_PREFIXES",
    "Kind",
    "Signature",
    "finite",
    "safe_div",
]

Kind: TypeAlias = Literal["number", "bool", "string"]
ParamKind: TypeAlias = Literal["number", "bool", "string", "any", "same", "digits"]
"""``same``: all ``same`` parameters (and the result, if ``same``) share one kind;
``digits``: a whole-number literal from 0 to 15."""

GROUP_PREFIXES = ("sector", "industry")


@dataclass(frozen=True, slots=True)
class Signature:
    """One formula function: its parameters, result and polars builder.

    ``variadic`` repeats the last parameter; ``optional`` counts trailing parameters
    that may be left out. ``window`` is ``"universe"`` or ``"group"`` for functions
    that compare rows with each other; ``group`` names the grouping (``sector`` or
    ``industry``) of a group function. ``reuse`` is how many times the built
    expression may repeat an argument's expression (a bound on the compiled size).
    """

    name: str
    params: tuple[ParamKind, ...]
    result: Kind | Literal["same"]
    build: Callable[..., pl.Expr]
    summary: str
    variadic: bool = False
    optional: int = 0
    window: Literal["universe", "group"] | None = None
    group: str | None = None
    reuse: int = 1

    @property
    def min_args(self) -> int:
        """Fewest arguments accepted (a variadic function takes at least two)."""
        return max(len(self.params), 2) if self.variadic else len(self.params) - self.optional

    @property
    def usage(self) -> str:
        """How a call is written, as shown in error messages: ``clip(x, lo, hi)``."""
        names = {"number": "x", "bool": "cond", "string": "text", "any": "x", "same": "a"}
        if self.name == "if":
            return "if(cond, a, b)"
        if self.variadic:
            return f"{self.name}(a, b, ...)"
        parts = [names.get(p, "digits") for p in self.params]
        if self.name in ("clip", "between"):
            parts = ["x", "lo", "hi"]
        if self.optional:
            parts[-self.optional :] = [f"[{p}]" for p in parts[-self.optional :]]
        return f"{self.name}({', '.join(parts)})"


_NOT_FINITE = [math.nan, math.inf, -math.inf]


def finite(expr: pl.Expr) -> pl.Expr:
    """``expr`` where it is finite, null where it is NaN or infinite.

    Written so ``expr`` appears once: ``when(expr.is_finite()).then(expr)``, like
    polars' own ``fill_nan``, repeats ``expr`` and so would double the expression
    tree at every operator, making a formula's compile time exponential in its
    nesting. (``replace`` matches NaN by value.)
    """
    return expr.replace(_NOT_FINITE, None)


def safe_div(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``a / b``, null where ``b`` is 0 (the IEEE inf or NaN is nulled) or it overflows."""
    return finite(a / b)


# The helpers below use their arguments more than once; Signature.reuse says how
# often, so the compiler can bound the size of what it builds.
def _all_present(args: tuple[pl.Expr, ...], value: pl.Expr) -> pl.Expr:
    return pl.when(pl.all_horizontal(*(a.is_not_null() for a in args))).then(value)


def _min(*args: pl.Expr) -> pl.Expr:
    return _all_present(args, pl.min_horizontal(*args))


def _max(*args: pl.Expr) -> pl.Expr:
    return _all_present(args, pl.max_horizontal(*args))


def _clip(x: pl.Expr, lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    # numpy.clip semantics: when lo > hi the result is hi.
    return _all_present((x, lo, hi), pl.min_horizontal(pl.max_horizontal(x, lo), hi))


def _round(x: pl.Expr, digits: int = 0) -> pl.Expr:
    # Half away from zero, as spreadsheets round; polars defaults to banker's rounding.
    return x.round(digits, mode="half_away_from_zero")


def _if(cond: pl.Expr, a: pl.Expr, b: pl.Expr) -> pl.Expr:
    # Two `when`s and no `otherwise`: a null condition takes neither branch.
    return pl.when(cond).then(a).when(~cond).then(b)


def _rank(x: pl.Expr) -> pl.Expr:
    r = x.rank("average")
    # A lone value divides 0 by 0: NaN, which is the only NaN here and means 0.5.
    return ((r - 1.0) / (r.count().cast(pl.Float64) - 1.0)).replace([math.nan], [0.5])


def _zscore(x: pl.Expr) -> pl.Expr:
    return safe_div(x - x.mean(), x.std(ddof=1))


def _relative(x: pl.Expr) -> pl.Expr:
    return safe_div(x, x.median())


_NUM: tuple[ParamKind] = ("number",)


def _catalog() -> dict[str, Signature]:
    sigs = [
        Signature("abs", _NUM, "number", lambda x: x.abs(), "absolute value"),
        Signature("sign", _NUM, "number", lambda x: x.sign(), "-1, 0 or 1"),
        Signature("floor", _NUM, "number", lambda x: x.floor(), "round down"),
        Signature("ceil", _NUM, "number", lambda x: x.ceil(), "round up"),
        Signature(
            "round",
            ("number", "digits"),
            "number",
            _round,
            "round half away from zero to [digits] decimals",
            optional=1,
        ),
        Signature("sqrt", _NUM, "number", lambda x: finite(x.sqrt()), "square root"),
        Signature("exp", _NUM, "number", lambda x: finite(x.exp()), "e to the power x"),
        Signature("log", _NUM, "number", lambda x: finite(x.log()), "natural log"),
        Signature("ln", _NUM, "number", lambda x: finite(x.log()), "natural log"),
        Signature("log10", _NUM, "number", lambda x: finite(x.log10()), "base-10 log"),
        Signature("min", _NUM, "number", _min, "smallest of the values", variadic=True, reuse=2),
        Signature("max", _NUM, "number", _max, "largest of the values", variadic=True, reuse=2),
        Signature("clip", ("number",) * 3, "number", _clip, "x limited to [lo, hi]", reuse=2),
        Signature(
            "between",
            ("number",) * 3,
            "bool",
            lambda x, lo, hi: x.is_between(lo, hi),
            "lo <= x <= hi",
        ),
        Signature(
            "if", ("bool", "same", "same"), "same", _if, "a where cond holds, else b", reuse=2
        ),
        Signature(
            "coalesce", ("same",), "same", pl.coalesce, "first non-null value", variadic=True
        ),
        Signature("is_null", ("any",), "bool", lambda x: x.is_null(), "x is missing"),
    ]
    per_group = {
        "rank": (_rank, "percentile rank 0..1 within the {g}", 2),
        "zscore": (_zscore, "standard score within the {g}", 3),
        "mean": (lambda x: x.mean(), "mean of the {g}", 1),
        "median": (lambda x: x.median(), "median of the {g}", 1),
        "relative": (_relative, "x divided by the {g} median", 2),
    }
    for suffix in ("rank", "zscore"):
        build, summary, reuse = per_group[suffix]
        summary = summary.format(g="universe")
        sigs.append(
            Signature(suffix, _NUM, "number", build, summary, window="universe", reuse=reuse)
        )
    for group in GROUP_PREFIXES:
        for suffix, (build, summary, reuse) in per_group.items():
            sigs.append(
                Signature(
                    f"{group}_{suffix}",
                    _NUM,
                    "number",
                    build,
                    summary.format(g=group),
                    window="group",
                    group=group,
                    reuse=reuse,
                )
            )
    return {s.name: s for s in sigs}


FUNCTIONS: Mapping[str, Signature] = MappingProxyType(_catalog())
"""Every callable function by (lower-case) name."""
