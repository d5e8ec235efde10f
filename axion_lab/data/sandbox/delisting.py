"""Delisting: a stock that stays below the exchange's minimums stops trading.

Exchanges delist a company whose shares close below a minimum bid ($1 on the US
venues) or whose market value falls below a minimum (about $15M), once it has
stayed there for a cure period (30 sessions here). The usual cure is a reverse
split, which :func:`~axion_lab.data.sandbox.dividends.plan_splits` announces on
the first close below the minimum; a company that cannot cure in time (a split
too soon after the last one, or a market value too small) is delisted.

The *delisting date* is the first session on which the stock no longer trades:
its last bar is the session before. From that date on it is in no index, pays no
dividend, files no statement and has no holdings, short interest or ratings.
Delisted companies stay in ``instruments`` (column ``delisted``), so history is
free of survivorship bias.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CURE_SESSIONS", "MIN_MARKET_VALUE_USD", "delisting_sessions"]

CURE_SESSIONS = 30
MIN_MARKET_VALUE_USD = 15e6


def delisting_sessions(
    price: np.ndarray,
    market_value_usd: np.ndarray,
    listed: np.ndarray,
    *,
    min_price: np.ndarray,
    min_market_value: float = MIN_MARKET_VALUE_USD,
    cure: int = CURE_SESSIONS,
) -> np.ndarray:
    """Index of each stock's first session without trading; ``T`` if it never delists.

    Parameters
    ----------
    price
        As-traded closes ``(T, N)``.
    market_value_usd
        Market values ``(T, N)`` in US dollars.
    listed
        ``(T, N)`` True from the listing date on.
    min_price
        ``(N,)`` minimum price in the listing currency.
    min_market_value
        Minimum market value in US dollars.
    cure
        Consecutive sessions below a minimum that end the listing; the stock trades
        through the last of them and is delisted on the next session.

    Examples
    --------
    >>> px = np.array([[2.0], [0.9], [0.8], [0.7], [0.6]])
    >>> delisting_sessions(px, px * 1e9, np.ones_like(px, dtype=bool),
    ...                    min_price=np.array([1.0]), cure=3).tolist()
    [4]
    >>> delisting_sessions(px, px * 1e9, np.ones_like(px, dtype=bool),
    ...                    min_price=np.array([1.0]), cure=4).tolist()
    [5]
    """
    n_t, n = price.shape
    if n_t <= cure:
        return np.full(n, n_t, dtype=np.int64)
    below = price < min_price[None, :]
    below |= market_value_usd < min_market_value
    below &= listed
    # Sessions below the minimums in the trailing window: a running count from a
    # cumulative sum, compared with the window length.
    count = np.zeros((n_t + 1, n), dtype=np.int32)
    np.cumsum(below, axis=0, dtype=np.int32, out=count[1:])
    window = count[cure:] - count[:-cure]  # window[k] covers sessions k .. k + cure - 1
    hit = window >= cure
    found = hit.any(axis=0)
    # The streak's last session is k + cure - 1; delisted from the session after.
    first = hit.argmax(axis=0) + cure
    out: np.ndarray = np.where(found & (first < n_t), first, n_t).astype(np.int64)
    return out
