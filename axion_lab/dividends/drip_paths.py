"""Forward DRIP on monthly price paths: vectorised across paths, plus a plain reference.

One holding, ``months`` steps. Each month the price moves by a lognormal step
``exp((mu - sigma**2 / 2) / 12 + sigma / sqrt(12) * z)`` (``mu`` the expected annual
log-drift plus half the variance, i.e. ``mu`` is the arithmetic annual return); in a
payment month the holding earns ``round_half_even(shares × dps × 100)`` cents, taxes
are withheld (each rate rounded once), and the net is reinvested at that month's
price (DRIP) or set aside (cash); the monthly contribution is invested in both.
``dps`` grows by ``dividend_growth`` once every 12 months.

Cents are held in float64 arrays of whole numbers (exact below 2**53 cents) and
rounded with :func:`numpy.rint` (half to even). :func:`simulate_path` is the same
arithmetic for one path in plain Python: the readable reference the vectorised
:func:`simulate_paths` is tested against, and the benchmark's baseline.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import numpy.typing as npt

__all__ = ["PathInputs", "PathOutputs", "simulate_path", "simulate_paths"]

F64 = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True)
class PathInputs:
    """One holding's forward assumptions."""

    price: float
    shares: float
    dps: float  # per-share amount of the next payment
    pay_months: tuple[bool, ...]  # True in months with a payment (len = months)
    mu: float = 0.06
    sigma: float = 0.18
    dividend_growth: float = 0.0
    contribution_cents: int = 0
    tax_rate: float = 0.0
    foreign_rate: float = 0.0
    fractional: bool = True


@dataclasses.dataclass(frozen=True)
class PathOutputs:
    """Arrays of shape ``(paths, records)``, one record every ``record_every`` months.

    Prices, shares and values are at the record's month end; income and tax are
    summed over the months since the previous record.
    """

    record_every: int
    price: F64
    drip_value_cents: F64
    cash_value_cents: F64
    drip_shares: F64
    cash_shares: F64
    drip_income_cents: F64  # gross dividends received
    cash_income_cents: F64
    drip_tax_cents: F64


def _steps(inp: PathInputs, z: F64) -> F64:
    drift = (inp.mu - 0.5 * inp.sigma**2) / 12.0
    return np.asarray(np.exp(drift + inp.sigma / math.sqrt(12.0) * z), dtype=np.float64)


_SERIES = (
    "price",
    "drip_value_cents",
    "cash_value_cents",
    "drip_shares",
    "cash_shares",
    "drip_income_cents",
    "cash_income_cents",
    "drip_tax_cents",
)


def simulate_paths(inp: PathInputs, z: F64, *, record_every: int = 1) -> PathOutputs:
    """Simulate every path at once; ``z`` are standard normal shocks ``(paths, months)``.

    The loop runs over months; each step is a handful of array operations across
    all paths.
    """
    paths, months = z.shape
    records = months // record_every
    # Time-major inside the loop: each month reads and writes contiguous rows.
    step = _steps(inp, np.ascontiguousarray(z.T))
    out = {k: np.zeros((records, paths)) for k in _SERIES}
    price = np.full(paths, float(inp.price))
    shares = {"drip": np.full(paths, float(inp.shares)), "cash": np.full(paths, float(inp.shares))}
    pool = {"drip": np.zeros(paths), "cash": np.zeros(paths)}
    aside = np.zeros(paths)
    dps = inp.dps
    for t in range(months):
        r = t // record_every
        if r >= records:
            break
        if t and t % 12 == 0:
            dps *= 1.0 + inp.dividend_growth
        price *= step[t]
        price_cents = price * 100.0
        for name in ("drip", "cash"):
            if inp.pay_months[t]:
                income = np.rint(shares[name] * dps * 100.0)
                tax = np.rint(income * inp.tax_rate) + np.rint(income * inp.foreign_rate)
                if name == "drip":
                    pool[name] += income - tax
                    out["drip_tax_cents"][r] += tax
                else:
                    aside += income - tax
                out[f"{name}_income_cents"][r] += income
            if inp.contribution_cents:
                pool[name] += inp.contribution_cents
            if inp.fractional:
                shares[name] += pool[name] / price_cents
                pool[name][:] = 0.0
            else:
                n = np.floor(pool[name] / price_cents)
                cost = np.rint(n * price_cents)
                over = cost > pool[name]
                if over.any():
                    n[over] -= 1.0
                    cost[over] = np.rint(n[over] * price_cents[over])
                shares[name] += n
                pool[name] -= cost
        if (t + 1) % record_every == 0:
            out["price"][r] = price
            out["drip_shares"][r] = shares["drip"]
            out["cash_shares"][r] = shares["cash"]
            out["drip_value_cents"][r] = np.rint(shares["drip"] * price_cents) + pool["drip"]
            out["cash_value_cents"][r] = (
                np.rint(shares["cash"] * price_cents) + pool["cash"] + aside
            )
    return PathOutputs(record_every=record_every, **{k: v.T for k, v in out.items()})


def simulate_path(inp: PathInputs, z: list[float]) -> dict[str, list[float]]:
    """One path in plain Python; same arithmetic as :func:`simulate_paths`."""
    drift = (inp.mu - 0.5 * inp.sigma**2) / 12.0
    vol = inp.sigma / math.sqrt(12.0)
    price, dps = float(inp.price), float(inp.dps)
    shares = {"drip": float(inp.shares), "cash": float(inp.shares)}
    pool = {"drip": 0.0, "cash": 0.0}
    aside = 0.0
    out: dict[str, list[float]] = {"price": [], "drip_value_cents": [], "cash_value_cents": []}
    for t, shock in enumerate(z):
        if t and t % 12 == 0:
            dps *= 1.0 + inp.dividend_growth
        price *= math.exp(drift + vol * shock)
        price_cents = price * 100.0
        for name in ("drip", "cash"):
            if inp.pay_months[t]:
                income = float(round(shares[name] * dps * 100.0))  # round(): half to even
                tax = float(round(income * inp.tax_rate)) + float(round(income * inp.foreign_rate))
                if name == "drip":
                    pool[name] += income - tax
                else:
                    aside += income - tax
            pool[name] += inp.contribution_cents
            if inp.fractional:
                shares[name] += pool[name] / price_cents
                pool[name] = 0.0
            else:
                n = math.floor(pool[name] / price_cents)
                cost = float(round(n * price_cents))
                if cost > pool[name]:
                    n -= 1
                    cost = float(round(n * price_cents))
                shares[name] += n
                pool[name] -= cost
        out["price"].append(price)
        out["drip_value_cents"].append(float(round(shares["drip"] * price_cents)) + pool["drip"])
        out["cash_value_cents"].append(
            float(round(shares["cash"] * price_cents)) + pool["cash"] + aside
        )
    return out
