"""Macro series: a policy rate, a yield curve, CPI and unemployment that follow the regimes.

Daily rates drive bond prices and company interest costs; the monthly ``macro``
frame (long format, with release dates) is derived from them. The anchors below
tell a plausible story (low rates, a hiking cycle, emergency cuts in the crash,
an inflation shock and hikes into the bear market); each seed adds its own noise.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl

from axion_lab.data.sandbox.calendar import next_session, to_days
from axion_lab.data.sandbox.config import SandboxConfig, stream
from axion_lab.data.sandbox.prices import std_t

__all__ = ["Rates", "macro_frame", "simulate_rates"]

# date, policy rate %, 10y yield %, CPI inflation % y/y, unemployment %
_ANCHORS = (
    ("2014-06-01", 0.125, 2.55, 1.8, 6.1),
    ("2015-12-01", 0.375, 2.25, 0.7, 5.0),
    ("2016-12-15", 0.625, 2.45, 2.0, 4.7),
    ("2017-12-15", 1.375, 2.40, 2.1, 4.1),
    ("2018-12-20", 2.375, 2.85, 1.9, 3.9),
    ("2019-10-31", 1.625, 1.75, 1.8, 3.6),
    ("2020-02-15", 1.625, 1.55, 2.3, 3.5),
    ("2020-03-20", 0.125, 0.75, 1.5, 4.4),
    ("2020-04-30", 0.125, 0.65, 0.3, 14.5),
    ("2020-12-31", 0.125, 0.95, 1.4, 6.7),
    ("2021-12-31", 0.125, 1.50, 7.0, 3.9),
    ("2022-06-30", 1.625, 3.10, 9.0, 3.6),
    ("2022-12-31", 4.375, 3.80, 6.5, 3.5),
    ("2023-07-31", 5.375, 4.00, 3.2, 3.5),
    ("2024-09-01", 5.375, 3.70, 2.4, 4.1),
    ("2024-12-31", 4.375, 4.40, 2.9, 4.2),
    ("2025-12-31", 3.625, 4.10, 2.7, 4.4),
    ("2027-01-31", 3.375, 4.00, 2.5, 4.3),
)


@dataclasses.dataclass(frozen=True, eq=False)
class Rates:
    """Daily rates (percent) on the simulation's sessions, plus monthly CPI/unemployment."""

    policy: np.ndarray
    y2: np.ndarray
    y10: np.ndarray
    y30: np.ndarray
    months: np.ndarray  # datetime64[M] reference months
    cpi: np.ndarray
    unemployment: np.ndarray


def _interp(days: np.ndarray, col: int) -> np.ndarray:
    x = np.array([np.datetime64(a[0], "D") for a in _ANCHORS]).astype(np.int64)
    y = np.array([a[col] for a in _ANCHORS], dtype=np.float64)
    return np.interp(days.astype("datetime64[D]").astype(np.int64), x, y)


def simulate_rates(cfg: SandboxConfig, sessions: np.ndarray) -> Rates:
    """Simulate daily rates on ``sessions`` and monthly CPI/unemployment."""
    rng = stream(cfg.seed, "macro")
    # The policy rate moves in quarter-point steps at meetings, never continuously.
    raw = _interp(sessions, 1)
    policy = np.round((raw - 0.125) / 0.25) * 0.25 + 0.125
    anchor10 = _interp(sessions, 2)
    # Ornstein-Uhlenbeck deviation around the anchor: ~6bp daily moves, 20-day pull.
    shocks = std_t(rng, 5.0, (len(sessions),), clip=4.0) * 0.065
    dev = np.empty(len(sessions))
    level = 0.0
    for t, shock in enumerate(shocks):
        level = level * (1 - 1 / 20) + shock
        dev[t] = level
    # A soft floor near 0.3%: yields pressed against it still move a little (a hard
    # floor would freeze the 10-year note for weeks).
    y10 = 0.3 + np.logaddexp(0.0, 6.0 * (anchor10 + dev - 0.3)) / 6.0
    y2 = np.maximum(0.55 * policy + 0.45 * y10 - 0.1 + 0.6 * dev, 0.05)
    y30 = y10 + 0.35 + 0.15 * np.tanh(y10 - policy)

    first = np.datetime64(cfg.start, "M")
    last = np.datetime64(cfg.end, "M")
    months = np.arange(first, last + 1)
    mid = months.astype("datetime64[D]") + 14
    inflation = _interp(mid, 3) + rng.normal(0, 0.15, len(months))
    cpi = 237.0 * np.exp(np.cumsum(np.log1p(inflation / 100) / 12))
    unemployment = np.round(_interp(mid, 4) + rng.normal(0, 0.08, len(months)), 1)
    return Rates(policy, y2, y10, y30, months, cpi, unemployment)


def macro_frame(cfg: SandboxConfig, sessions: np.ndarray, rates: Rates) -> pl.DataFrame:
    """The monthly ``macro`` frame: one row per series and reference month.

    ``date`` is the first day of the reference month. CPI is released mid next month,
    unemployment on the first Friday of next month, the policy rate (month-end level)
    and the 10-year yield (monthly average) on the first session of next month.
    """
    months = rates.months
    month_of_session = sessions.astype("datetime64[M]")
    idx = np.searchsorted(months, month_of_session)
    counts = np.bincount(idx, minlength=len(months)).astype(np.float64)
    y10_avg = np.bincount(idx, weights=rates.y10, minlength=len(months)) / np.maximum(counts, 1)
    last_in_month = np.searchsorted(month_of_session, months, side="right") - 1
    have = (counts > 0) & (last_in_month >= 0)
    policy = np.where(have, rates.policy[np.clip(last_in_month, 0, None)], np.nan)

    next_month = (months + 1).astype("datetime64[D]")
    first_session = next_session(next_month)
    cpi_release = next_session(next_month + 12)
    # First Friday of the next month.
    weekday = (next_month.astype(np.int64) + 3) % 7  # 0 = Monday
    friday = next_month + ((4 - weekday) % 7)
    ref = months.astype("datetime64[D]")
    parts = []
    for series, values, published in (
        ("policy_rate", policy, first_session),
        ("treasury_10y", np.round(y10_avg, 3), first_session),
        ("cpi", np.round(rates.cpi, 3), cpi_release),
        ("unemployment", rates.unemployment, friday),
    ):
        keep = have & (published <= np.datetime64(cfg.end))
        parts.append(
            pl.DataFrame(
                {
                    "series": [series] * int(keep.sum()),
                    "date": to_days(ref[keep]),
                    "published": to_days(published[keep]),
                    "value": values[keep],
                }
            )
        )
    return pl.concat(parts).with_columns(pl.col("date", "published").cast(pl.Date))
