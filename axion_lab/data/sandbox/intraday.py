"""Intraday bars generated on demand, consistent with the daily bars.

For each (symbol, session) a one-minute path is drawn from its own random stream
(keyed by seed, symbol and date, so a session's minutes never depend on which
window was asked for), then coarser intervals are aggregated from the minutes.
The path is a Brownian bridge from the daily open to the daily close squeezed
inside the daily range; the minute nearest the path's top carries the daily high
and the one nearest its bottom the daily low. Volume follows a U-shaped profile
and is allocated in whole shares that sum to the daily volume exactly.

Timestamps are the bar's start, exchange local time, 09:30 to 16:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import numpy as np
import polars as pl

from axion_lab.data.sandbox.calendar import to_day
from axion_lab.data.sandbox.config import stream
from axion_lab.exceptions import InputError

__all__ = ["INTERVALS", "SandboxIntraday"]

INTERVALS: Final = {"1m": 1, "5m": 5, "15m": 15, "30m": 30, "1h": 60}
MINUTES: Final = 390  # 09:30 to 16:00
_OPEN_US: Final = (9 * 60 + 30) * 60 * 1_000_000


def _u_shape() -> np.ndarray:
    x = np.linspace(0, 1, MINUTES)
    w = 1.0 + 5.0 * np.exp(-x / 0.04) + 3.0 * np.exp(-(1 - x) / 0.06)
    return np.asarray(w / w.sum())


class SandboxIntraday:
    """Callable intraday source over a market's daily bars (see module docstring)."""

    def __init__(self, bars: pl.DataFrame, seed: int) -> None:
        self._bars = bars
        self._seed = seed
        self._profile = _u_shape()

    def __call__(
        self,
        symbols: Sequence[str],
        *,
        end: dt.date,
        days: int,
        interval: str = "5m",
    ) -> pl.DataFrame:
        if interval not in INTERVALS:
            raise InputError(f"Unknown interval {interval!r}; use one of {', '.join(INTERVALS)}.")
        if days < 1:
            raise InputError(f"days must be at least 1, got {days}.")
        step = INTERVALS[interval]
        daily = (
            self._bars.filter(pl.col("symbol").is_in(list(symbols)), pl.col("ts").dt.date() <= end)
            .sort("symbol", "ts")
            .group_by("symbol", maintain_order=True)
            .tail(days)
        )
        if daily.height == 0:
            return pl.DataFrame(schema=self._bars.schema)
        o, h, lo, c = (daily[k].to_numpy() for k in ("open", "high", "low", "close"))
        vol = daily["volume"].to_numpy()
        syms = daily["symbol"].to_list()
        dates = daily["ts"].dt.date().to_list()
        k = MINUTES
        m_open = np.empty((len(o), k))
        m_high = np.empty((len(o), k))
        m_low = np.empty((len(o), k))
        m_close = np.empty((len(o), k))
        m_vol = np.empty((len(o), k), dtype=np.int64)
        for r in range(len(o)):
            rng = stream(self._seed, "intraday", syms[r], to_day(dates[r]))
            path = self._path(rng, o[r], h[r], lo[r], c[r])
            m_open[r], m_close[r] = path[:-1], path[1:]
            wick = rng.random((2, k)) * 0.25
            top = np.maximum(path[:-1], path[1:])
            bot = np.minimum(path[:-1], path[1:])
            m_high[r] = top + wick[0] * (h[r] - top)
            m_low[r] = bot - wick[1] * (bot - lo[r])
            m_high[r, int(np.argmax(top))] = h[r]
            m_low[r, int(np.argmin(bot))] = lo[r]
            weights = self._profile * np.exp(rng.normal(0, 0.35, k))
            cum = np.round(np.cumsum(weights) / weights.sum() * vol[r]).astype(np.int64)
            cum[-1] = vol[r]
            m_vol[r] = np.diff(cum, prepend=0)
        # Rounding to the daily bars' precision keeps every minute inside the range.
        m_open, m_high, m_low, m_close = (np.round(a, 6) for a in (m_open, m_high, m_low, m_close))
        m_open[:, 0], m_close[:, -1] = o, c
        return self._aggregate(syms, dates, step, (m_open, m_high, m_low, m_close, m_vol))

    @staticmethod
    def _path(rng: np.random.Generator, o: float, h: float, lo: float, c: float) -> np.ndarray:
        """Minute closes from open to close, strictly inside ``[lo, h]``."""
        steps = rng.standard_normal(MINUTES)
        walk = np.concatenate([[0.0], np.cumsum(steps)])
        bridge = walk - np.linspace(0, 1, MINUTES + 1) * walk[-1]
        line = np.linspace(o, c, MINUTES + 1)
        up = (h - line).min()
        down = (line - lo).min()
        spread = max(bridge.max(), 1e-12), max(-bridge.min(), 1e-12)
        scale = 0.98 * min(up / spread[0] if up > 0 else 0.0, down / spread[1] if down > 0 else 0.0)
        path = line + scale * bridge
        path[0], path[-1] = o, c
        return np.asarray(np.clip(path, lo, h))

    @staticmethod
    def _aggregate(
        syms: list[str],
        dates: list[dt.date],
        step: int,
        minutes: tuple[np.ndarray, ...],
    ) -> pl.DataFrame:
        o, h, lo, c, v = minutes
        rows, k = o.shape
        groups = k // step + (k % step > 0)
        pad = groups * step - k
        if pad:
            # 390 is not a multiple of 60: the last hourly bar runs 15:30-16:00.
            def padded(a: np.ndarray, fill: float) -> np.ndarray:
                return np.concatenate([a, np.full((rows, pad), fill, dtype=a.dtype)], axis=1)

            o_g = padded(o, np.nan).reshape(rows, groups, step)
            h_g = padded(h, -np.inf).reshape(rows, groups, step)
            l_g = padded(lo, np.inf).reshape(rows, groups, step)
            c_g = padded(c, np.nan).reshape(rows, groups, step)
            v_g = padded(v, 0).reshape(rows, groups, step)
            last = np.full(groups, step - 1)
            last[-1] = step - 1 - pad
            close = c_g[:, np.arange(groups), last]
        else:
            o_g, h_g, l_g, c_g, v_g = (a.reshape(rows, groups, step) for a in (o, h, lo, c, v))
            close = c_g[:, :, -1]
        day_us = np.array([to_day(d) for d in dates], dtype=np.int64) * 86_400_000_000
        offs = _OPEN_US + np.arange(groups, dtype=np.int64) * step * 60_000_000
        ts = (day_us[:, None] + offs[None, :]).ravel()
        frame = pl.DataFrame(
            {
                "symbol": np.repeat(np.array(syms, dtype=object), groups).tolist(),
                "ts": ts,
                "open": o_g[:, :, 0].ravel(),
                "high": h_g.max(axis=2).ravel(),
                "low": l_g.min(axis=2).ravel(),
                "close": close.ravel(),
                "volume": v_g.sum(axis=2).ravel(),
            }
        )
        return frame.with_columns(pl.col("ts").cast(pl.Datetime("us")))
