"""Integer-cent money: the one place where numbers become ledger cents.

Ledger money (cash, trade values, income, taxes, signal levels) is an ``int`` number
of cents. Amounts are computed exactly with :class:`decimal.Decimal` from each
input's shortest printed form (``repr``: the float ``10.005`` is 10.005 here, not its
binary neighbour 10.00499999...) and rounded **half to even** to the cent **once**,
at the end of each step. Market prices stay floats; they become cents only here.

Examples
--------
>>> dollars_to_cents(19.99), dollars_to_cents("0.125"), dollars_to_cents(0.135)
(1999, 12, 14)
>>> product_cents(3, 10.005)       # 30.015 dollars = 3001.5 cents -> 3002 (even)
3002
>>> whole_cents(10.005, what="monthly contribution")
Traceback (most recent call last):
...
axion_lab.exceptions.InputError: The monthly contribution 10.005 is not a whole number of \
cents; round it to 2 decimal places (e.g. 10.0 or 10.01).
>>> format_cents(-123456)
'-$1,234.56'
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation

from axion_lab.exceptions import InputError

__all__ = [
    "bps_of_cents",
    "cents_to_dollars",
    "check_cents",
    "dec",
    "dollars_to_cents",
    "format_cents",
    "fraction_of_cents",
    "product_cents",
    "return_bps",
    "round_cents",
    "whole_cents",
]

_ONE = Decimal(1)


def dec(
    value: float | int | str | Decimal, *, what: str = "number", kind: str = "number"
) -> Decimal:
    """The exact decimal of ``value`` as printed; rejects booleans, NaN and infinities.

    >>> import numpy as np
    >>> dec(np.float64(2.675)), dec("1,5".replace(",", "."))
    (Decimal('2.675'), Decimal('1.5'))
    """
    if isinstance(value, Decimal):
        out = value
    elif isinstance(value, bool):
        raise InputError(f"The {what} must be a {kind}, got {value!r}.")
    elif isinstance(value, numbers.Integral):
        out = Decimal(int(value))
    elif isinstance(value, numbers.Real):
        number = float(value)  # numpy scalars repr as np.float64(...): use the plain float
        if not math.isfinite(number):
            raise InputError(f"The {what} must be a finite {kind}, got {value!r}.")
        out = Decimal(repr(number))
    else:
        try:
            out = Decimal(str(value).strip())
        except (ArithmeticError, InvalidOperation) as exc:
            raise InputError(f"The {what} must be a {kind}, got {value!r}.") from exc
    if not out.is_finite():
        raise InputError(f"The {what} must be a finite {kind}, got {value!r}.")
    return out


def round_cents(amount_in_cents: Decimal) -> int:
    """Round an exact amount of cents to an integer, half to even."""
    return int(amount_in_cents.quantize(_ONE, rounding=ROUND_HALF_EVEN))


def dollars_to_cents(dollars: float | int | str | Decimal, *, what: str = "amount") -> int:
    """Dollars (as printed) to integer cents, rounded once, half to even."""
    return round_cents(dec(dollars, what=what, kind="number of dollars") * 100)


def product_cents(quantity: float | int | Decimal, price: float | int | Decimal) -> int:
    """``quantity`` x ``price`` dollars in cents (a trade value, a payment), rounded once."""
    return round_cents(dec(quantity, what="quantity") * dec(price, what="price") * 100)


def whole_cents(value: float | int | str | Decimal, *, what: str = "amount") -> int:
    """Dollars to cents, refusing amounts with a fraction of a cent (user input)."""
    dollars = dec(value, what=what, kind="number of dollars")
    cents = dollars * 100
    if cents != cents.to_integral_value():
        low = cents.to_integral_value(rounding=ROUND_FLOOR) / 100
        raise InputError(
            f"The {what} {value} is not a whole number of cents; round it to 2 decimal "
            f"places (e.g. {float(low)} or {float(low + Decimal('0.01'))})."
        )
    return int(cents)


def check_cents(value: object, what: str) -> int:
    """``value`` if it is a non-negative ``int`` number of cents, else :class:`InputError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be an integer number of cents, got {value!r}.")
    if value < 0:
        raise InputError(
            f"{what} must not be negative, got {value} cents; prices are quoted as positive "
            "numbers (use direction='short' for a bet on a fall)."
        )
    return value


def bps_of_cents(cents: int, bps: float | int | Decimal) -> int:
    """``bps`` basis points of an amount in cents, rounded once, half to even.

    >>> bps_of_cents(1_000_050, 5)    # 5 bp of $10,000.50 = 500.025 cents -> 500
    500
    """
    return round_cents(Decimal(cents) * dec(bps, what="basis points") / Decimal(10_000))


def fraction_of_cents(cents: int, numerator: float | Decimal, denominator: float | Decimal) -> int:
    """``cents * numerator / denominator`` rounded once, half to even.

    >>> fraction_of_cents(10_000, 1, 3)   # a third of $100.00 of cost basis
    3333
    """
    den = dec(denominator, what="denominator")
    if den == 0:
        raise InputError("Cannot take a fraction with a zero denominator.")
    return round_cents(Decimal(cents) * dec(numerator, what="numerator") / den)


def return_bps(entry_cents: int, exit_cents: int, sign: int = 1) -> int:
    """Return from entry to exit in basis points, half to even; ``sign=-1`` for shorts.

    >>> return_bps(4_000, 3_900, sign=-1)  # a short from $40 to $39: +250 bps
    250
    """
    if entry_cents <= 0:
        raise InputError(f"entry must be positive to compute a return, got {entry_cents} cents.")
    exact = Decimal(sign * (exit_cents - entry_cents) * 10_000) / Decimal(entry_cents)
    return round_cents(exact)


def cents_to_dollars(cents: int) -> float:
    """Cents as float dollars, for display and charts only (never for arithmetic)."""
    return cents / 100


def format_cents(cents: int) -> str:
    """Integer cents as ``$1,234.56`` (negative amounts as ``-$1.50``)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}${whole:,}.{frac:02d}"
