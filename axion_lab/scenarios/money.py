"""Ledger arithmetic for portfolios and trades, on :mod:`axion_lab.money`.

Every ledger amount is rounded exactly once, half to even, from exact decimal
arithmetic on the numbers as printed (see :mod:`axion_lab.money`).

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

from axion_lab.money import (
    bps_of_cents,
    dec,
    dollars_to_cents,
    format_cents,
    fraction_of_cents,
    round_cents,
)
from axion_lab.money import product_cents as trade_cents

__all__ = [
    "bps_of_cents",
    "dec",
    "dollars_to_cents",
    "format_cents",
    "fraction_of_cents",
    "round_cents",
    "trade_cents",
]
