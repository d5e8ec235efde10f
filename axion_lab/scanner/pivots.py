"""Swing pivots by the zig-zag rule, the skeleton every chart pattern is read from.

Rule (on highs and lows, percent reversal)
------------------------------------------
Walk the bars keeping the extreme of the current leg. In an up leg the candidate
pivot is the highest high since the last pivot low; it becomes a **pivot high** on
the first later bar whose low is at least ``pct`` below it (``low <= high * (1 -
pct)``), and a down leg starts there. Down legs mirror it (a **pivot low** is
confirmed by a high at least ``pct`` above it). Before the first pivot both
candidates are tracked and whichever reversal comes first starts the zig-zag. A bar
that makes a new extreme does not also confirm a reversal.

Each pivot records the bar where it happened (``index``) and the bar where it was
confirmed (``confirmed``, always later): a pattern built from pivots is only known
from the confirming bar on, so detectors report it there and never look ahead.
Pivots alternate high, low, high...

Examples
--------
>>> import numpy as np
>>> from axion_lab.scanner.pivots import zigzag
>>> high = np.array([10, 12, 14, 12, 11, 13, 15, 13, 12.0])
>>> low = high - 1
>>> [(p.index, p.price, p.kind, p.confirmed) for p in zigzag(high, low, 0.15)]
[(0, 9.0, 'low', 1), (2, 14.0, 'high', 3), (4, 10.0, 'low', 5), (6, 15.0, 'high', 7)]

The last leg (15 down to a low of 11) has not yet risen 15 % off its low, so the low
at bar 8 is not a pivot yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from axion_lab.exceptions import InputError

__all__ = ["Pivot", "zigzag"]


@dataclass(frozen=True)
class Pivot:
    """A swing high or low: bar ``index``, ``price``, ``kind`` and the ``confirmed`` bar."""

    index: int
    price: float
    kind: Literal["high", "low"]
    confirmed: int


def zigzag(high: np.ndarray, low: np.ndarray, pct: float) -> list[Pivot]:
    """Zig-zag pivots of one symbol's bars (see the module docstring for the rule)."""
    if not 0 < pct < 1:
        raise InputError(f"The zig-zag reversal pct must lie in (0, 1), got {pct!r}.")
    hs, ls = high.tolist(), low.tolist()
    n = len(hs)
    pivots: list[Pivot] = []
    if n == 0:
        return pivots
    down, up = 1.0 - pct, 1.0 + pct
    state = 0
    hi, hi_i, lo, lo_i = hs[0], 0, ls[0], 0
    for i in range(1, n):
        h, lw = hs[i], ls[i]
        if state == 1:
            if h > hi:
                hi, hi_i = h, i
            elif lw <= hi * down:
                pivots.append(Pivot(hi_i, hi, "high", i))
                state, lo, lo_i = -1, lw, i
        elif state == -1:
            if lw < lo:
                lo, lo_i = lw, i
            elif h >= lo * up:
                pivots.append(Pivot(lo_i, lo, "low", i))
                state, hi, hi_i = 1, h, i
        else:
            new_hi, new_lo = h > hi, lw < lo
            if new_hi:
                hi, hi_i = h, i
            if new_lo:
                lo, lo_i = lw, i
            if not new_hi and lw <= hi * down:
                pivots.append(Pivot(hi_i, hi, "high", i))
                state, lo, lo_i = -1, lw, i
            elif not new_lo and h >= lo * up:
                pivots.append(Pivot(lo_i, lo, "low", i))
                state, hi, hi_i = 1, h, i
    return pivots
