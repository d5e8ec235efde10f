"""Money in integer cents, with one documented rounding rule.

Every amount of money the dividend engines return (income, taxes, cash left over,
contributions) is an ``int`` number of cents. Amounts are computed exactly with
:class:`decimal.Decimal` from the float inputs' shortest decimal form (``repr``)
and rounded **half to even** ("banker's rounding") to the cent **once**, at the end
of each step:

* a payment's gross income: ``round_half_even(shares × amount_per_share × 100)``;
* a tax on a payment: ``round_half_even(gross_cents × rate)``;
* the cost of whole shares bought: ``round_half_even(n × price × 100)``.

Vectorised simulations (Monte Carlo) use :func:`numpy.rint`, which also rounds half
to even, on float cents; they agree with the exact rule except where a float product
lands within about 1e-9 cent of a half cent. Shares are ``float``.

Examples
--------
>>> payment_cents(100, 0.125)     # 12.5 dollars
1250
>>> payment_cents(3, 0.0125)      # 3.75 cents rounds to 4
4
>>> payment_cents(1, 0.025)       # 2.5 cents: half to even, 2
2
>>> tax_cents(1001, 0.15)         # 150.15 cents -> 150
150
>>> to_cents("12.34")
1234
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation

from axion_lab.exceptions import InputError

__all__ = [
    "format_cents",
    "payment_cents",
    "round_half_even",
    "tax_cents",
    "to_cents",
    "value_cents",
    "whole_shares",
]

_ONE = Decimal(1)


def _dec(value: float | int | str | Decimal) -> Decimal:
    # repr() gives the shortest string that round-trips, so 0.1 is 0.1, not 0.1000000000000000055.
    return (
        value
        if isinstance(value, Decimal)
        else Decimal(repr(value) if isinstance(value, float) else str(value))
    )


def round_half_even(value: Decimal) -> int:
    """Round a Decimal number of cents to a whole cent, half to even."""
    return int(value.quantize(_ONE, rounding=ROUND_HALF_EVEN))


def payment_cents(shares: float, amount: float) -> int:
    """Gross income in cents of ``shares`` × ``amount`` dollars per share, rounded once."""
    return round_half_even(_dec(shares) * _dec(amount) * 100)


def value_cents(shares: float, price: float) -> int:
    """Market value in cents of ``shares`` at ``price``, rounded half to even once."""
    return round_half_even(_dec(shares) * _dec(price) * 100)


def tax_cents(gross_cents: int, rate: float) -> int:
    """A tax at ``rate`` on ``gross_cents``, computed on cents and rounded once."""
    return round_half_even(Decimal(gross_cents) * _dec(rate))


def whole_shares(cash_cents: int, price: float) -> tuple[int, int]:
    """Whole shares ``cash_cents`` buys at ``price``, and their cost in cents."""
    if price <= 0:
        raise InputError(f"A price must be positive to buy shares, got {price}.")
    price_cents = _dec(price) * 100
    n = int((Decimal(cash_cents) / price_cents).to_integral_value(rounding=ROUND_FLOOR))
    cost = round_half_even(n * price_cents)
    if cost > cash_cents:  # the rounded cost can exceed the cash by a cent
        n -= 1
        cost = round_half_even(n * price_cents)
    return n, cost


def to_cents(value: float | int | str | Decimal, *, what: str = "amount") -> int:
    """Dollars to whole cents; refuse amounts with fractions of a cent.

    Raises
    ------
    InputError
        If ``value`` is not a number or not a whole number of cents.

    Examples
    --------
    >>> to_cents(100), to_cents(0.1)
    (10000, 10)
    >>> to_cents(10.005, what="monthly contribution")
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.InputError: The monthly contribution 10.005 is not a whole number of \
cents; round it to 2 decimal places (e.g. 10.0 or 10.01).
    """
    if isinstance(value, bool):
        raise InputError(f"The {what} must be a number of dollars, got {value!r}.")
    try:
        dollars = _dec(value)
        cents = dollars * 100
        whole = cents == cents.to_integral_value()
    except InvalidOperation as exc:
        raise InputError(f"The {what} must be a number of dollars, got {value!r}.") from exc
    if not dollars.is_finite():
        raise InputError(f"The {what} must be a finite number of dollars, got {value!r}.")
    if not whole:
        low = (cents.to_integral_value(rounding=ROUND_FLOOR)) / 100
        raise InputError(
            f"The {what} {value} is not a whole number of cents; round it to 2 decimal "
            f"places (e.g. {float(low)} or {float(low + Decimal('0.01'))})."
        )
    return int(cents)


def format_cents(cents: int) -> str:
    """``123456`` -> ``'$1,234.56'``; negatives with a minus sign.

    Examples
    --------
    >>> format_cents(123456), format_cents(-5)
    ('$1,234.56', '-$0.05')
    """
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"
