"""Integer-cent money: the one place where floats become cents.

Every ledger amount is rounded exactly once, half to even, from exact decimal
arithmetic on the numbers as printed. ``Decimal(repr(x))`` is the shortest decimal
that round-trips the float ``x`` (``repr(10.005) == '10.005'``), so a price typed as
10.005 is 10.005 here, not the binary neighbour 10.00499999999999989...

Examples
--------
>>> trade_cents(3, 10.005)        # 30.015 dollars = 3001.5 cents -> 3002 (even)
3002
>>> trade_cents(1, 10.125)        # 1012.5 cents -> 1012 (even)
1012
>>> dollars_to_cents(19.99)
1999
>>> format_cents(-123456)
'-$1,234.56'
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_EVEN, Decimal

from axion_lab.exceptions import InputError

__all__ = [
    "bps_of_cents",
    "dec",
    "dollars_to_cents",
    "format_cents",
    "fraction_of_cents",
    "round_cents",
    "trade_cents",
]

_ONE = Decimal(1)


def dec(value: float | int | str | Decimal) -> Decimal:
    """The exact decimal of ``value`` as printed; rejects NaN and infinities."""
    if isinstance(value, Decimal):
        out = value
    elif isinstance(value, bool):
        raise InputError(f"Expected a number, got {value!r}.")
    elif isinstance(value, numbers.Integral):
        out = Decimal(int(value))
    elif isinstance(value, numbers.Real):
        number = float(value)  # numpy scalars repr as np.float64(...): use the plain float
        if not math.isfinite(number):
            raise InputError(f"Expected a finite number, got {value!r}.")
        out = Decimal(repr(number))
    else:
        try:
            out = Decimal(str(value).strip())
        except ArithmeticError as exc:
            raise InputError(f"Not a number: {value!r}.") from exc
    if not out.is_finite():
        raise InputError(f"Expected a finite number, got {value!r}.")
    return out


def round_cents(amount_in_cents: Decimal) -> int:
    """Round an exact amount of cents to an integer, half to even."""
    return int(amount_in_cents.quantize(_ONE, rounding=ROUND_HALF_EVEN))


def dollars_to_cents(dollars: float | int | str | Decimal) -> int:
    """Dollars (as printed) to integer cents, half to even.

    >>> dollars_to_cents("0.125"), dollars_to_cents(0.135)
    (12, 14)
    """
    return round_cents(dec(dollars) * 100)


def trade_cents(shares: float | int | Decimal, price: float | int | Decimal) -> int:
    """Value of ``shares`` at ``price`` in cents: one rounding, half to even."""
    return round_cents(dec(shares) * dec(price) * 100)


def bps_of_cents(cents: int, bps: float | int | Decimal) -> int:
    """``bps`` basis points of an amount in cents, rounded once, half to even.

    >>> bps_of_cents(1_000_050, 5)    # 5 bp of $10,000.50 = 500.025 cents -> 500
    500
    """
    return round_cents(Decimal(cents) * dec(bps) / Decimal(10_000))


def fraction_of_cents(cents: int, numerator: float | Decimal, denominator: float | Decimal) -> int:
    """``cents * numerator / denominator`` rounded once, half to even.

    Used to take the cost basis of part of a lot: selling 1 of 3 shares that cost
    $100.00 removes 3333.33... -> 3333 cents of basis.

    >>> fraction_of_cents(10_000, 1, 3)
    3333
    """
    den = dec(denominator)
    if den == 0:
        raise InputError("Cannot take a fraction with a zero denominator.")
    return round_cents(Decimal(cents) * dec(numerator) / den)


def format_cents(cents: int) -> str:
    """Integer cents as ``$1,234.56`` (negative with a leading minus)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}${whole:,}.{frac:02d}"
