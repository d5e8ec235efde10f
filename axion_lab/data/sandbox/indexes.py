"""Index membership (AX500 / AX400 / AX600) with quarterly reconstitution, and index levels.

Each quarter (effective the session after the third Friday of Mar/Jun/Sep/Dec) US
listings seasoned for three months are ranked by market value. A member keeps its
seat while it ranks inside a buffer (550 for the AX500, 950 for the AX400, 1,550
for the AX600); empty seats go to the largest names not yet in a higher index.
A member that is delisted leaves on its delisting date and its seat is filled the
same day, as index providers do, by the largest eligible name not in the index
(which may move up from a lower index, whose seat is refilled in turn).
Index levels are cap-weighted price returns of the point-in-time members.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from axion_lab.data.sandbox.calendar import to_days
from axion_lab.data.sandbox.universe import Universe

__all__ = ["INDEXES", "index_levels", "membership_frame", "rebalance_sessions", "reconstitute"]

# name, seats, rank buffer, base level, description
INDEXES = (
    ("AX500", 500, 550, 2000.0, "AX 500 large-cap index"),
    ("AX400", 400, 950, 1500.0, "AX 400 mid-cap index"),
    ("AX600", 600, 1550, 900.0, "AX 600 small-cap index"),
)


def rebalance_sessions(sessions: np.ndarray) -> np.ndarray:
    """Session indices on which a reconstitution takes effect (index 0 is the launch)."""
    months = sessions.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (sessions - sessions.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
    weekday = (sessions.astype(np.int64) + 3) % 7
    third_friday = np.isin(months, [3, 6, 9, 12]) & (weekday == 4) & (day >= 15) & (day <= 21)
    effective = np.flatnonzero(third_friday) + 1
    return np.concatenate([[0], effective[effective < len(sessions)]])


def reconstitute(
    uni: Universe, sessions: np.ndarray, mcap: np.ndarray, listed: np.ndarray
) -> dict[str, np.ndarray]:
    """Membership matrices ``(T, N)`` per index from market values ``mcap`` ``(T, N)``."""
    n_t, n = mcap.shape
    us = uni.tier < 4
    first_listed = np.where(listed.any(axis=0), listed.argmax(axis=0), n_t)
    scheduled = rebalance_sessions(sessions)
    # Sessions on which some listed stock stops trading: an off-cycle replacement.
    delistings = np.flatnonzero((listed[:-1] & ~listed[1:]).any(axis=1)) + 1
    points = np.union1d(scheduled, delistings)
    full = np.isin(points, scheduled)
    current = {name: np.zeros(n, dtype=bool) for name, *_ in INDEXES}
    out = {name: np.zeros((n_t, n), dtype=bool) for name, *_ in INDEXES}
    for j, t in enumerate(points.tolist()):
        t_rank = max(t - 5, 0) if full[j] else t - 1
        eligible = us & listed[t] & (first_listed <= max(t_rank - 63, 0))
        order = np.flatnonzero(eligible)
        order = order[np.argsort(-mcap[t_rank, order], kind="stable")]
        rank = np.full(n, n)
        rank[order] = np.arange(len(order))
        taken = np.zeros(n, dtype=bool)
        t_next = int(points[j + 1]) if j + 1 < len(points) else n_t
        for name, seats, buffer, *_ in INDEXES:
            # Off-cycle, every member still trading keeps its seat whatever its rank.
            keep = current[name] & ~taken & (((rank < buffer) & eligible) if full[j] else listed[t])
            free = order[~(keep | taken)[order]][: max(seats - int(keep.sum()), 0)]
            new = keep.copy()
            new[free] = True
            current[name] = new
            taken |= new
            out[name][t:t_next] = new
    return out


def membership_frame(
    uni: Universe, sessions: np.ndarray, members: dict[str, np.ndarray]
) -> pl.DataFrame:
    """Point-in-time spans: member from ``start`` to ``end`` (exclusive; null while current)."""
    days = to_days(sessions)
    parts = []
    for name, m in members.items():
        n_t = m.shape[0]
        prev = np.vstack([np.zeros((1, m.shape[1]), dtype=bool), m[:-1]])
        s_t, s_c = np.nonzero(m & ~prev)
        e_t, e_c = np.nonzero(~m & prev)
        starts = (
            pl.DataFrame({"c": s_c, "t0": s_t})
            .sort("c", "t0")
            .with_columns(pl.int_range(pl.len()).over("c").alias("k"))
        )
        ends = (
            pl.DataFrame({"c": e_c, "t1": e_t})
            .sort("c", "t1")
            .with_columns(pl.int_range(pl.len()).over("c").alias("k"))
        )
        spans = starts.join(ends, on=["c", "k"], how="left")
        c = spans["c"].to_numpy()
        t1 = spans["t1"].fill_null(n_t).to_numpy()
        parts.append(
            pl.DataFrame(
                {
                    "index": [name] * len(c),
                    "symbol": uni.symbol[c].tolist(),
                    "start": days[spans["t0"].to_numpy()],
                    "end": np.where(t1 < n_t, days[np.minimum(t1, n_t - 1)], 0),
                    "_open": t1 >= n_t,
                }
            )
        )
    frame = pl.concat(parts).with_columns(
        pl.col("start").cast(pl.Date),
        pl.when(pl.col("_open")).then(None).otherwise(pl.col("end")).cast(pl.Date).alias("end"),
    )
    return frame.drop("_open").sort("index", "symbol", "start")


def index_levels(
    members: dict[str, np.ndarray],
    *,
    open_: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    close: np.ndarray,
    mcap: np.ndarray,
    volume: np.ndarray,
) -> dict[str, tuple[np.ndarray, ...]]:
    """Cap-weighted OHLCV per index from split-free price paths ``(T, N)``."""
    prev_close = np.vstack([close[:1], close[:-1]])
    prev_mcap = np.vstack([mcap[:1], mcap[:-1]])
    out: dict[str, tuple[np.ndarray, ...]] = {}
    for name, _, _, base, _ in INDEXES:
        w = np.where(members[name], prev_mcap, 0.0)
        w /= np.maximum(w.sum(axis=1, keepdims=True), 1e-12)
        rel = {
            k: (w * (a / prev_close)).sum(axis=1)
            for k, a in (("o", open_), ("h", high), ("l", low), ("c", close))
        }
        rel["c"][0] = 1.0
        level = base * np.cumprod(rel["c"])
        prev_level = np.concatenate([[base], level[:-1]])
        o = prev_level * rel["o"]
        h = np.maximum.reduce([prev_level * rel["h"], o, level])
        lo = np.minimum.reduce([prev_level * rel["l"], o, level])
        vol = np.where(members[name], volume, 0.0).sum(axis=1)
        out[name] = (o, h, lo, level, vol)
    return out
