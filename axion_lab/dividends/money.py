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

from decimal import ROUND_FLOOR, Decimal

from axion_lab.exceptions import InputError
from axion_lab.money import dec, format_cents, product_cents
from axion_lab.money import round_cents as round_half_even
from axion_lab.money import whole_cents as to_cents

__all__ = [
    "format_cents",
    "payment_cents",
    "round_half_even",
    "tax_cents",
    "to_cents",
    "value_cents",
    "whole_shares",
]


def payment_cents(shares: float, amount: float) -> int:
    """Gross income in cents of ``shares`` x ``amount`` dollars per share, rounded once."""
    return product_cents(shares, amount)


def value_cents(shares: float, price: float) -> int:
    """Market value in cents of ``shares`` at ``price``, rounded half to even once."""
    return product_cents(shares, price)


def tax_cents(gross_cents: int, rate: float) -> int:
    """A tax at ``rate`` on ``gross_cents``, computed on cents and rounded once."""
    return round_half_even(Decimal(gross_cents) * dec(rate, what="tax rate"))


def whole_shares(cash_cents: int, price: float) -> tuple[int, int]:
    """Whole shares ``cash_cents`` buys at ``price``, and their cost in cents."""
    if price <= 0:
        raise InputError(f"A price must be positive to buy shares, got {price}.")
    price_cents = dec(price, what="price") * 100
    n = int((Decimal(cash_cents) / price_cents).to_integral_value(rounding=ROUND_FLOOR))
    cost = round_half_even(n * price_cents)
    if cost > cash_cents:  # the rounded cost can exceed the cash by a cent
        n -= 1
        cost = round_half_even(n * price_cents)
    return n, cost
