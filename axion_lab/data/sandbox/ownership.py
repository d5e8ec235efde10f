"""Who owns and who shorts: 13F-style fund holdings, short interest, analyst ratings.

Funds pick stocks by style (index, value, growth, quant, momentum, activist,
income, small cap, concentrated "tiger" growth, multi-strategy) from the same
signals, each with its own noise and a preference for what it already holds, so
positions overlap and persist the way crowding analysis expects.

Holdings are consistent with the companies: an index fund owns the same fraction
of every member's shares; all funds together own at most
:data:`MAX_INSTITUTIONAL_SHARE` of a company's shares outstanding at the quarter end
(positions in a crowded name are scaled down pro rata, the rest of the fund stays
in cash); ``value`` is ``shares`` times the quarter-end close as traded and
``weight`` each position's share of the fund's reported value.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl

from axion_lab.data.sandbox.calendar import next_session, to_days
from axion_lab.data.sandbox.config import SandboxConfig, stream
from axion_lab.data.sandbox.names import company_names
from axion_lab.data.sandbox.universe import Universe

__all__ = [
    "MAX_INSTITUTIONAL_SHARE",
    "Panel",
    "funds_and_holdings",
    "ratings_frame",
    "short_interest_frame",
]

MAX_INSTITUTIONAL_SHARE = 0.8

# style, how many funds, typical AUM (USD), positions (min, max)
_STYLES = (
    ("index", 5, 1.5e11, (0, 0)),
    ("value", 7, 2.0e10, (50, 120)),
    ("growth", 7, 2.5e10, (40, 100)),
    ("quant", 6, 1.5e10, (150, 300)),
    ("momentum", 3, 8.0e9, (60, 120)),
    ("activist", 4, 6.0e9, (6, 12)),
    ("income", 4, 1.2e10, (40, 90)),
    ("small_cap", 4, 4.0e9, (80, 160)),
    ("tiger", 4, 1.5e10, (15, 35)),
    ("multi_strategy", 3, 3.0e10, (100, 250)),
)
_INDEX_FUNDS = ("AX500", "AX400", "AX600", "total", "dividend")
# Typical fraction of each member's shares an index fund owns, per target.
_INDEX_STAKES = (0.035, 0.04, 0.05, 0.03, 0.01)


@dataclasses.dataclass(frozen=True, eq=False)
class Panel:
    """Market data the ownership models read (as-traded unless said otherwise)."""

    sessions: np.ndarray
    close: np.ndarray  # (T, N) as traded
    shares: np.ndarray  # (T, N) as traded
    volume: np.ndarray  # (T, N) as traded
    tr_log_returns: np.ndarray  # (T, N) total-return log returns
    listed: np.ndarray  # (T, N) bool
    members: dict[str, np.ndarray]  # (T, N) bool per index
    value_score: np.ndarray  # (T, N) earnings yield, step-wise from published reports
    growth_score: np.ndarray  # (T, N) revenue growth y/y
    dividend_yield: np.ndarray  # (T, N)


def _z(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Winsorised z-score over ``mask``; ``-inf`` outside it (never picked)."""
    ok = mask & np.isfinite(x)
    if ok.sum() < 2:
        return np.where(ok, 0.0, -np.inf)
    lo, hi = np.percentile(x[ok], [1, 99])
    clipped = np.clip(np.where(ok, x, 0.0), lo, hi)
    mu, sd = clipped[ok].mean(), clipped[ok].std()
    return np.where(ok, (clipped - mu) / (sd if sd > 0 else 1.0), -np.inf)


def funds_and_holdings(
    cfg: SandboxConfig, uni: Universe, p: Panel
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ``funds`` and ``holdings`` frames."""
    rng = stream(cfg.seed, "holdings")
    n = int(p.close.shape[1])
    styles = [s for s, k, *_ in _STYLES for _ in range(k)]
    aum0 = np.array([a for _, k, a, _ in _STYLES for _ in range(k)]) * np.exp(
        rng.normal(0, 0.5, len(styles))
    )
    npos = [
        int(rng.integers(lo, hi + 1)) if hi else 0
        for _, k, _, (lo, hi) in _STYLES
        for _ in range(k)
    ]
    names = company_names(
        rng,
        [
            (
                "Capital",
                "Partners",
                "Asset Management",
                "Advisors",
                "Investments",
                "Capital Management",
            )
        ]
        * len(styles),
    )
    codes = [f"F{j + 1:03d}" for j in range(len(styles))]
    stakes = np.array(_INDEX_STAKES) * np.exp(rng.normal(0, 0.2, len(_INDEX_STAKES)))
    for j, target in enumerate(_INDEX_FUNDS):  # the index funds come first
        label = target if target.startswith("AX") else target.title()
        names[j] = f"{names[j].split()[0]} {label} Index Fund"
    funds = pl.DataFrame(
        {"fund": codes, "name": names, "style": styles, "is_fictional": [True] * len(styles)}
    )

    months = p.sessions.astype("datetime64[M]")
    q_end = np.flatnonzero((months[1:] != months[:-1]) & (months[:-1].astype(np.int64) % 3 == 2))
    view = rng.normal(0, 0.6, (len(styles), n))  # each fund's lasting opinion of each stock
    held = np.zeros((len(styles), n), dtype=bool)
    lag = rng.integers(30, 46, len(styles))
    log_growth = np.cumsum(p.tr_log_returns, axis=0)
    market = np.log(np.where(p.members["AX500"], p.close * p.shares, 0).sum(axis=1))
    cols: dict[str, list[np.ndarray]] = {
        k: [] for k in ("fund", "symbol", "quarter", "filed", "shares", "value", "weight")
    }
    end = np.datetime64(cfg.end)
    filed_all = next_session(p.sessions[q_end][:, None] + lag[None, :].astype("timedelta64[D]"))
    for qi, t in enumerate(q_end.tolist()):
        quarter = p.sessions[t]
        listed = p.listed[t]
        mcap = p.close[t] * p.shares[t]
        close = np.round(p.close[t], 4)  # the close as in the bars
        positions: list[tuple[int, np.ndarray, np.ndarray]] = []
        mom = log_growth[t - 21] - log_growth[max(t - 252, 0)] if t > 21 else np.zeros(n)
        big = p.members["AX500"][t] | p.members["AX400"][t]
        small = p.members["AX600"][t]
        vol1y = p.tr_log_returns[max(t - 252, 0) : t + 1].std(axis=0)
        signals = {
            "value": _z(p.value_score[t], big),
            "growth": _z(p.growth_score[t], big),
            "momentum": _z(mom, big),
            "income": _z(p.dividend_yield[t], big & (p.dividend_yield[t] > 0)),
            "small_cap": _z(p.value_score[t] - 2 * vol1y, small),
            "tiger": _z(
                p.growth_score[t] + 0.5 * np.log(np.maximum(mcap, 1.0)), p.members["AX500"][t]
            ),
            "activist": _z(-mom + p.value_score[t], (p.members["AX400"][t] | small)),
        }
        signals["quant"] = _z(signals["value"] + signals["momentum"] + 0.5 * signals["growth"], big)
        signals["multi_strategy"] = _z(signals["quant"] + 0.5 * signals["income"].clip(-3), big)
        growth_factor = np.exp(market[t] - market[0])
        for f, style in enumerate(styles):
            if style == "index":
                target = _INDEX_FUNDS[f]
                if target == "total":
                    mask = big | small
                elif target == "dividend":
                    yields = p.dividend_yield[t]
                    payers = big & (yields > 0)
                    cut = np.percentile(yields[payers], 50) if payers.any() else 0.0
                    mask = payers & (yields >= cut)
                else:
                    mask = p.members[target][t]
                pick = np.flatnonzero(mask & listed)
                w = np.ones(len(pick))
            else:
                score = signals[style] + view[f] + 0.8 * held[f] + rng.normal(0, 0.25, n)
                score = np.where(listed, score, -np.inf)
                pick = np.argsort(-score, kind="stable")[: npos[f]]
                pick = pick[np.isfinite(score[pick])]
                w = np.exp(0.6 * score[pick]) * mcap[pick] ** 0.25
            held[f] = False
            held[f, pick] = True
            if not len(pick):
                continue
            w = w / w.sum()
            aum = aum0[f] * growth_factor * np.exp(rng.normal(0, 0.05))
            if style == "index":  # the same fraction of every member: cap-weighted
                shares = p.shares[t, pick] * stakes[f]
            elif style == "activist":  # stakes of 4-12% of the company
                shares = p.shares[t, pick] * rng.uniform(0.04, 0.12, len(pick))
            else:
                shares = w * aum / p.close[t, pick]
            if filed_all[qi, f] <= end:
                positions.append((f, pick, shares))
        # All funds together own at most MAX_INSTITUTIONAL_SHARE of a company; floor
        # after scaling so rounding to whole shares cannot break the limit.
        total = np.zeros(n)
        for _, pick, shares in positions:
            total[pick] += shares
        limit = MAX_INSTITUTIONAL_SHARE * p.shares[t]
        scale = np.minimum(1.0, limit / np.maximum(total, 1.0))
        for f, wanted, shares in positions:
            whole = np.floor(shares * scale[wanted])
            pos = wanted[whole > 0]
            whole = whole[whole > 0]
            if not len(pos):
                continue
            value = whole * close[pos]
            cols["fund"].append(np.full(len(pos), f))
            cols["symbol"].append(pos)
            cols["quarter"].append(np.full(len(pos), quarter))
            cols["filed"].append(np.full(len(pos), filed_all[qi, f]))
            cols["shares"].append(whole)
            cols["value"].append(np.round(value, 0))
            cols["weight"].append(value / value.sum())
    flat = {k: np.concatenate(v) for k, v in cols.items()}
    holdings = pl.DataFrame(
        {
            "fund": pl.Series(codes).gather(flat["fund"]),
            "symbol": pl.Series(uni.symbol.tolist()).gather(flat["symbol"]),
            "quarter": to_days(flat["quarter"]),
            "filed": to_days(flat["filed"]),
            "shares": flat["shares"],
            "value": flat["value"],
            "weight": flat["weight"],
        }
    ).with_columns(pl.col("quarter", "filed").cast(pl.Date))
    return funds, holdings.sort("fund", "quarter", "symbol")


def short_interest_frame(cfg: SandboxConfig, uni: Universe, p: Panel) -> pl.DataFrame:
    """Twice-monthly short interest (mid-month and month-end), published 8 sessions later."""
    rng = stream(cfg.seed, "short_interest")
    n = int(p.close.shape[1])
    months = p.sessions.astype("datetime64[M]")
    day = (p.sessions - months.astype("datetime64[D]")).astype(int) + 1
    month_end = np.flatnonzero(np.append(months[1:] != months[:-1], True))
    mid = np.flatnonzero((day <= 15) & np.append(day[1:] > 15, False))
    dates = np.unique(np.concatenate([mid, month_end]))
    base = np.exp(rng.normal(np.log(0.035), 0.6, n)).clip(0.003, 0.2)
    base[uni.squeeze] = rng.uniform(0.22, 0.42, uni.squeeze.sum())
    float_pct = rng.uniform(0.75, 0.98, n)
    x = np.zeros(n)
    rows = []
    for t in dates.tolist():
        x = 0.9 * x + rng.normal(0, 0.12, n)
        stress = 0.15 * (p.tr_log_returns[max(t - 63, 0) : t + 1].sum(axis=0) < -0.15)
        rows.append(np.clip(base * np.exp(x + stress), 0.001, 0.6))
    sf = np.vstack(rows)  # (D, N)
    float_shares = np.round(p.shares[dates] * float_pct[None, :])
    short_shares = np.round(sf * float_shares)
    cum = np.cumsum(np.vstack([np.zeros((1, n)), p.volume]), axis=0)
    adv = (cum[dates + 1] - cum[np.maximum(dates - 19, 0)]) / np.minimum(dates + 1, 20)[:, None]
    # Annual fee as a fraction (0.0025 = 0.25% a year): general collateral for most
    # names, climbing steeply once a fifth or more of the float is on loan.
    fee = (0.0025 + 2.2 * np.maximum(sf - 0.08, 0) ** 2) * np.exp(rng.normal(0, 0.15, sf.shape))
    listed = p.listed[dates]
    published = next_session(p.sessions[dates], offset=8)
    keep = listed & (published <= np.datetime64(cfg.end))[:, None]
    d_idx, c_idx = np.nonzero(keep)
    frame = pl.DataFrame(
        {
            "symbol": uni.symbol[c_idx].tolist(),
            "date": to_days(p.sessions[dates][d_idx]),
            "published": to_days(published[d_idx]),
            "short_shares": short_shares[d_idx, c_idx],
            "float_shares": float_shares[d_idx, c_idx],
            "days_to_cover": np.round(
                short_shares[d_idx, c_idx] / np.maximum(adv[d_idx, c_idx], 1), 2
            ),
            "borrow_fee": np.round(fee[d_idx, c_idx], 5),
        }
    )
    return frame.with_columns(pl.col("date", "published").cast(pl.Date)).sort("symbol", "date")


def ratings_frame(cfg: SandboxConfig, uni: Universe, p: Panel) -> pl.DataFrame:
    """Monthly consensus rating (1 strong buy .. 5 strong sell) and mean price target."""
    rng = stream(cfg.seed, "ratings")
    n = int(p.close.shape[1])
    months = p.sessions.astype("datetime64[M]")
    dates = np.flatnonzero(np.append(months[1:] != months[:-1], True))
    lo = np.array([15, 8, 2, 0, 3])[uni.tier]
    hi = np.array([42, 22, 10, 3, 16])[uni.tier]
    count0 = rng.integers(lo, hi + 1)
    base = rng.uniform(1.8, 3.0, n)
    log_p = np.cumsum(p.tr_log_returns, axis=0)
    x = np.zeros(n)
    out = []
    for t in dates.tolist():
        ret3m = log_p[t] - log_p[max(t - 63, 0)]
        x = 0.8 * x + rng.normal(0, 0.12, n) - 0.5 * ret3m
        rating = np.clip(base + x, 1.0, 5.0)
        upside = 0.27 - 0.1 * (rating - 1) + rng.normal(0, 0.04, n)
        count = np.maximum(count0 + rng.integers(-1, 2, n), 0)
        out.append((rating, p.close[t] * (1 + upside), count))
    rating = np.vstack([o[0] for o in out])
    target = np.vstack([o[1] for o in out])
    count = np.vstack([o[2] for o in out])
    keep = p.listed[dates] & (count > 0)
    d_idx, c_idx = np.nonzero(keep)
    frame = pl.DataFrame(
        {
            "symbol": uni.symbol[c_idx].tolist(),
            "date": to_days(p.sessions[dates][d_idx]),
            "rating": np.round(rating[d_idx, c_idx], 2),
            "target_price": np.round(target[d_idx, c_idx], 2),
            "analyst_count": count[d_idx, c_idx].astype(np.int64),
        }
    )
    return frame.with_columns(pl.col("date").cast(pl.Date)).sort("symbol", "date")
