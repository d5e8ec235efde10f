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

from decimal import Decimal

from axion_lab.money import cents_to_dollars as cents_to_price
from axion_lab.money import check_cents, dollars_to_cents, format_cents, return_bps

__all__ = ["cents_to_price", "check_cents", "format_cents", "price_to_cents", "return_bps"]


def price_to_cents(price: float | int | str | Decimal, *, what: str = "price") -> int:
    """A non-negative price in dollars as whole cents, rounded half to even.

    Raises
    ------
    InputError
        A negative, NaN or infinite price, or text that is not a number.
    """
    return check_cents(dollars_to_cents(price, what=what), what)
