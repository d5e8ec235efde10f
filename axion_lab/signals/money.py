"""Signal prices in integer cents: the one place a float price becomes money.

A price is converted exactly with :class:`decimal.Decimal` from its shortest decimal
form (``repr``: ``2.675`` is 2.675, not 2.67499999...) times 100, then rounded
**half to even** (banker's rounding) to a whole cent, so ties do not drift up on
average. Returns in basis points are rounded the same way.

Examples
--------
>>> price_to_cents(12.345)     # 1234.5 cents: tie, to the even 1234
1234
>>> price_to_cents(12.355)     # 1235.5 cents: tie, to the even 1236
1236
>>> price_to_cents(2.675)      # 267.5 cents -> 268 (float 2.675 is not read as 2.67499...)
268
>>> cents_to_price(1234)
12.34
>>> return_bps(10_000, 10_250) # +250 cents on 10,000 = 2.5 % = 250 bps
250
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

from axion_lab.exceptions import InputError

__all__ = ["cents_to_price", "check_cents", "format_cents", "price_to_cents", "return_bps"]

_ONE = Decimal(1)


def price_to_cents(price: float | int | str | Decimal, *, what: str = "price") -> int:
    """A non-negative price in dollars as whole cents, rounded half to even.

    Raises
    ------
    InputError
        A negative, NaN or infinite price, or text that is not a number.
    """
    try:
        if isinstance(price, float):
            if not math.isfinite(price):
                raise InputError(f"{what} must be a finite number, got {price!r}.")
            exact = Decimal(repr(price))
        else:
            exact = price if isinstance(price, Decimal) else Decimal(str(price))
    except ArithmeticError as exc:
        raise InputError(f"{what} must be a number, got {price!r}.") from exc
    if not exact.is_finite():
        raise InputError(f"{what} must be a finite number, got {price!r}.")
    cents = int((exact * 100).quantize(_ONE, rounding=ROUND_HALF_EVEN))
    return check_cents(cents, what)


def check_cents(value: object, what: str) -> int:
    """``value`` if it is a non-negative int number of cents, else :class:`InputError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be an integer number of cents, got {value!r}.")
    if value < 0:
        raise InputError(
            f"{what} must not be negative, got {value} cents; prices are quoted as positive "
            "numbers (use direction='short' for a bet on a fall)."
        )
    return value


def cents_to_price(cents: int) -> float:
    """Cents as a float price in dollars (for display and charts, never arithmetic)."""
    return cents / 100


def return_bps(entry_cents: int, exit_cents: int, sign: int = 1) -> int:
    """The return from entry to exit in basis points, half to even; ``sign=-1`` for shorts.

    Examples
    --------
    >>> return_bps(4_000, 3_900, sign=-1)  # a short from $40 to $39: +100/4000 = +250 bps
    250
    >>> return_bps(3, 4)                   # 1/3 = 3333.33... bps -> 3333
    3333
    """
    if entry_cents <= 0:
        raise InputError(f"entry must be positive to compute a return, got {entry_cents} cents.")
    exact = Decimal(sign * (exit_cents - entry_cents) * 10_000) / Decimal(entry_cents)
    return int(exact.quantize(_ONE, rounding=ROUND_HALF_EVEN))


def format_cents(cents: int) -> str:
    """``123456`` -> ``'$1,234.56'`` (negative amounts as ``'-$1.50'``)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"
