"""Small polars expression helpers shared by field definitions and source builders.

Division is where NaN and inf are born. Every ratio here returns **null** when the
denominator is zero, null or outside the range where the ratio means something (a
P/E over negative earnings is not a valuation), so a filter never sees inf or NaN:
polars orders NaN above every number, so ``NaN > 5`` is true and a missing value
would pass the filter.
"""

from __future__ import annotations

import polars as pl

__all__ = ["c", "clean_float", "growth", "pos_div", "safe_div"]


def c(name: str) -> pl.Expr:
    """Shorthand for ``pl.col(name)``."""
    return pl.col(name)


def safe_div(num: pl.Expr | str, den: pl.Expr | str) -> pl.Expr:
    """``num / den``, null when ``den`` is zero or null.

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"a": [1.0, 1.0, None], "b": [2.0, 0.0, 1.0]}).select(
    ...     safe_div("a", "b").alias("q"))["q"].to_list()
    [0.5, None, None]
    """
    n = pl.col(num) if isinstance(num, str) else num
    d = pl.col(den) if isinstance(den, str) else den
    return pl.when(d != 0).then(n / d).otherwise(None)


def pos_div(num: pl.Expr | str, den: pl.Expr | str) -> pl.Expr:
    """``num / den`` only where ``den > 0``: multiples over losses or negative book are null.

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"p": [30.0, 30.0], "eps": [2.0, -1.0]}).select(
    ...     pos_div("p", "eps").alias("pe"))["pe"].to_list()
    [15.0, None]
    """
    n = pl.col(num) if isinstance(num, str) else num
    d = pl.col(den) if isinstance(den, str) else den
    return pl.when(d > 0).then(n / d).otherwise(None)


def growth(now: pl.Expr | str, before: pl.Expr | str) -> pl.Expr:
    """``(now - before) / |before|``: a sign-safe growth rate, null when ``before`` is 0.

    Dividing by the absolute base keeps the sign meaningful when the base is negative:
    earnings going from -2 to -1 is +50 % (an improvement), not -50 %.

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"a": [12.0, -1.0], "b": [10.0, -2.0]}).select(
    ...     growth("a", "b").alias("g"))["g"].round(4).to_list()
    [0.2, 0.5]
    """
    n = pl.col(now) if isinstance(now, str) else now
    b = pl.col(before) if isinstance(before, str) else before
    return pl.when(b != 0).then((n - b) / b.abs()).otherwise(None)


def clean_float(name: str) -> pl.Expr:
    """Column ``name`` with NaN and +/-inf replaced by null."""
    return pl.when(pl.col(name).is_finite()).then(pl.col(name)).otherwise(None).alias(name)
