"""The portfolio arithmetic of a screen backtest: target weights in, an equity curve out.

Pure numpy over a dense price matrix (sessions x symbols, ``nan`` where a symbol has
no bar). The rules, which :mod:`benchmarks.bench_backtest`'s reference reproduces:

* On a rebalance session the portfolio is valued at the close, the trades that move
  it to the target weights are priced at that close, and the cost
  ``cost_rate * sum(|target - current weight|) * value`` is paid out of the value
  before buying. Weights not invested (no matches, fewer than N) stay in cash at 0 %.
* Between rebalances the positions drift with the prices (buy and hold).
* A holding whose bars end before the data does (a delisting) is sold at its last
  close on its last session, paying the same cost rate; the proceeds wait in cash
  until the next rebalance.

Examples
--------
>>> import numpy as np
>>> from axion_lab.screener.backtest_sim import simulate
>>> prices = np.array([[10.0, 20.0], [11.0, 20.0], [11.0, 22.0]])
>>> run = simulate(prices, [0], [np.array([0.5, 0.5])], cost_rate=0.0)
>>> run.equity.round(4).tolist()
[1.0, 1.05, 1.1]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from axion_lab.exceptions import InputError

__all__ = ["PricePanel", "SimulationRun", "simulate"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SimulationRun:
    """Arrays a simulation produces (aligned with the price matrix rows / rebalances)."""

    equity: FloatArray
    """Portfolio value at each session's close, from the first rebalance (nan before)."""
    turnover: FloatArray
    """One-way turnover per rebalance: ``sum(|target - current|) / 2``."""
    costs: FloatArray
    """Cost paid per rebalance, as a fraction of the value before it."""
    delisting_costs: float
    """Total cost of forced sales at delistings, in units of the initial value."""
    delisted: tuple[tuple[int, int], ...]
    """(session index, column) of every holding sold because its bars ended."""


def _forward_fill(prices: FloatArray) -> FloatArray:
    """Carry each column's last price forward over nan (rows are sessions)."""
    valid = np.isfinite(prices)
    idx = np.where(valid, np.arange(prices.shape[0])[:, None], 0)
    np.maximum.accumulate(idx, axis=0, out=idx)
    filled = prices[idx, np.arange(prices.shape[1])]
    filled[~np.maximum.accumulate(valid, axis=0)] = np.nan
    return filled


@dataclass(frozen=True, eq=False)
class PricePanel:
    """A price matrix with what every simulation over it needs, computed once."""

    prices: FloatArray
    filled: FloatArray
    """Prices carried forward over gaps."""
    valid: NDArray[np.bool_]
    """Where a symbol has a bar."""
    last_row: NDArray[np.intp]
    """Each column's last session with a bar."""

    @classmethod
    def of(cls, prices: FloatArray | PricePanel) -> PricePanel:
        """The panel of a sessions x symbols price matrix (``nan`` where no bar)."""
        if isinstance(prices, PricePanel):
            return prices
        prices = np.asarray(prices, dtype=np.float64)
        if prices.ndim != 2:
            raise InputError("simulate() needs a sessions x symbols price matrix.")
        valid = np.isfinite(prices)
        last_row = prices.shape[0] - 1 - np.argmax(valid[::-1], axis=0)
        return cls(prices, _forward_fill(prices), valid, last_row)


def simulate(
    prices: FloatArray | PricePanel,
    rebalance_rows: Sequence[int],
    targets: Sequence[FloatArray],
    *,
    cost_rate: float,
    initial: float = 1.0,
) -> SimulationRun:
    """Run target weights through the prices; see the module docstring for the rules.

    Parameters
    ----------
    prices
        Sessions x symbols, adjusted so that the ratio of consecutive closes is the
        return (split- or total-return-adjusted); ``nan`` where there is no bar. A
        :class:`PricePanel` of it when several simulations share the prices.
    rebalance_rows
        Increasing row indexes of the rebalance sessions.
    targets
        One weight vector per rebalance (non-negative, summing to at most 1); a
        positive weight needs a price on that row.
    cost_rate
        Cost per unit of value traded (10 bps is ``0.001``).
    """
    panel = PricePanel.of(prices)
    filled, valid, last_row = panel.filled, panel.valid, panel.last_row
    n_rows, n_cols = filled.shape
    rows = [int(r) for r in rebalance_rows]
    if len(rows) != len(targets):
        raise InputError("simulate() needs one target weight vector per rebalance row.")
    if not rows:
        raise InputError("A backtest needs at least one rebalance date.")
    if any(b <= a for a, b in itertools.pairwise(rows)) or rows[0] < 0 or rows[-1] >= n_rows:
        raise InputError("Rebalance rows must be increasing and inside the price matrix.")
    # A column whose bars end before the data does is delisted on its last session.
    ended = last_row < n_rows - 1
    delist_rows = {int(r) for r in last_row[ended] if r >= rows[0]}
    rebalance_at = {r: k for k, r in enumerate(rows)}
    events = sorted(set(rows) | delist_rows)

    equity = np.full(n_rows, np.nan)
    turnover = np.zeros(len(rows))
    costs = np.zeros(len(rows))
    units = np.zeros(n_cols)
    cash = float(initial)
    delisted: list[tuple[int, int]] = []
    delist_cost = 0.0
    # Only sessions with a rebalance or a delisting change the holdings: between two
    # such events the equity is one matrix product over the columns held.
    for t, until in zip(events, [*events[1:], n_rows], strict=True):
        px = filled[t]
        k = rebalance_at.get(t)
        if k is not None:
            target = np.asarray(targets[k], dtype=np.float64)
            if target.shape != (n_cols,) or (target < -1e-12).any() or target.sum() > 1 + 1e-9:
                raise InputError(
                    "Each target must hold one non-negative weight per symbol, summing to <= 1."
                )
            if ((target > 0) & ~valid[t]).any():
                raise InputError("A target weight was given to a symbol with no bar that day.")
            held = np.where(units != 0, units * np.nan_to_num(px), 0.0)
            value = cash + held.sum()
            current = held / value if value > 0 else np.zeros(n_cols)
            traded = float(np.abs(target - current).sum())
            cost = cost_rate * traded * value
            turnover[k] = traded / 2.0
            costs[k] = cost / value if value > 0 else 0.0
            after = value - cost
            units = np.where(target > 0, target * after / np.where(target > 0, px, 1.0), 0.0)
            cash = after * (1.0 - float(target.sum()))
        if t in delist_rows:
            for j in np.flatnonzero((last_row == t) & (units != 0)):
                proceeds = units[j] * px[j]
                fee = cost_rate * proceeds
                cash += proceeds - fee
                delist_cost += fee
                units[j] = 0.0
                delisted.append((t, int(j)))
        cols = np.flatnonzero(units)
        equity[t:until] = cash + filled[t:until, cols] @ units[cols]
    return SimulationRun(
        equity=equity,
        turnover=turnover,
        costs=costs,
        delisting_costs=delist_cost,
        delisted=tuple(delisted),
    )
