"""Orchestration: run the models in dependency order and assemble the canonical frames.

Order matters because later models read earlier ones::

    calendar -> universe -> rates, factors -> earnings schedule -> equity paths
      -> statements -> dividends (need EPS) -> price-return paths (ex-dividend drops)
      -> splits (need as-traded prices) -> delistings (need as-traded prices; drop
      every later event) -> index membership -> ETFs and other assets
      -> ownership (holdings, short interest, ratings) -> frames

Everything is a numpy array of shape ``(sessions, instruments)`` until the last
step, which flattens to long polars frames in (symbol, ts) order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import polars as pl

from axion_lab.data.sandbox import calendar
from axion_lab.data.sandbox.assets import RESERVED_SYMBOLS, AssetBlock, build_assets
from axion_lab.data.sandbox.config import SandboxConfig
from axion_lab.data.sandbox.delisting import delisting_sessions
from axion_lab.data.sandbox.dividends import (
    DividendPlan,
    apply_cash_events,
    dividends_frame,
    plan_dividends,
    plan_splits,
    splits_frame,
)
from axion_lab.data.sandbox.fundamentals import (
    Schedule,
    earnings_schedule,
    fundamentals_frame,
    statements,
)
from axion_lab.data.sandbox.indexes import INDEXES, index_levels, membership_frame, reconstitute
from axion_lab.data.sandbox.macro import macro_frame, simulate_rates
from axion_lab.data.sandbox.ownership import (
    Panel,
    funds_and_holdings,
    ratings_frame,
    short_interest_frame,
)
from axion_lab.data.sandbox.prices import equity_paths, market_factors
from axion_lab.data.sandbox.universe import Universe, build_universe

__all__ = ["build_frames"]

_US_PER_DAY = 86_400_000_000
SECTOR_WEIGHT_CAP = 0.225  # largest weight of one company in a sector ETF


def _eps_by_year(
    stm_items: dict[str, np.ndarray], shares: np.ndarray, period_end: np.ndarray, years: np.ndarray
) -> np.ndarray:
    year_of = period_end.astype("datetime64[Y]").astype(np.int64) + 1970
    out = np.zeros((shares.shape[0], len(years)))
    for j, y in enumerate(years):
        cols = year_of == y
        if cols.any():
            out[:, j] = (stm_items["net_income"][:, cols] / shares[:, cols]).sum(axis=1) * (
                4 / cols.sum()
            )
    return out


def _basket_returns(
    uni: Universe,
    members: dict[str, np.ndarray],
    payer_yield: np.ndarray,
    simple: np.ndarray,
    prev_mcap: np.ndarray,
) -> dict[str, np.ndarray]:
    """Daily cap-weighted total-return log returns of every ETF basket."""
    from axion_lab.data.schema import GICS_SECTORS

    sums: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    weighted = prev_mcap * simple
    total = members["AX500"] | members["AX400"] | members["AX600"]
    for name, mask in (*members.items(), ("total", total)):
        sums[name] = (
            np.where(mask, weighted, 0.0).sum(axis=1),
            np.where(mask, prev_mcap, 0.0).sum(axis=1),
        )
    # Baskets inside the AX500 by a fixed attribute: one matrix product for all.
    static = {
        "dividend": payer_yield >= np.quantile(payer_yield[payer_yield > 0], 0.5),
        "growth": uni.growth >= np.quantile(uni.growth, 2 / 3),
        "value": uni.growth <= np.quantile(uni.growth, 1 / 3),
        "low_vol": uni.beta * uni.idio_vol <= np.quantile(uni.beta * uni.idio_vol, 0.3),
    }
    for k, sector in enumerate(GICS_SECTORS):
        static[f"sector:{sector}"] = uni.sector == k
    indicator = np.column_stack(list(static.values())).astype(np.float64)
    in500 = members["AX500"]
    pm500 = np.where(in500, prev_mcap, 0.0)
    num = np.where(in500, weighted, 0.0) @ indicator
    den = pm500 @ indicator
    _cap_sector_weights(uni, pm500, simple, num, den, first=len(static) - len(GICS_SECTORS))
    for j, name in enumerate(static):
        sums[name] = (num[:, j], den[:, j])
    result = {}
    for name, (n, d) in sums.items():
        r = n / np.maximum(d, 1e-12)
        r[0] = 0.0
        result[name] = np.log1p(r)
    return result


def _cap_sector_weights(
    uni: Universe,
    pm500: np.ndarray,
    simple: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    *,
    first: int,
) -> None:
    """Cap one company's weight in its sector basket at :data:`SECTOR_WEIGHT_CAP`.

    Diversified funds must (a sector ETF cannot be half one company). ``num`` and
    ``den`` (``(T, B)``: cap-weighted return sums and weights per basket, sector
    baskets from column ``first`` on, in ``GICS_SECTORS`` order) are corrected in
    place. Only companies that come near the cap are worked on; repeated passes of
    ``min(weight, cap x capped sector total)`` converge geometrically to the capped
    weights.
    """
    sector_den = den[:, first:]
    probe = pm500[::5] / np.maximum(sector_den[::5][:, uni.sector], 1e-12)
    big = np.flatnonzero(probe.max(axis=0) > 0.5 * SECTOR_WEIGHT_CAP)
    if not len(big):
        return
    sec = uni.sector[big]
    onehot = (sec[:, None] == np.arange(sector_den.shape[1])[None, :]).astype(np.float64)
    weight = pm500[:, big]
    capped = weight
    for _ in range(20):  # cheap: only the few big companies' columns
        total = sector_den - (weight - capped) @ onehot
        capped = np.minimum(weight, SECTOR_WEIGHT_CAP * total[:, sec])
    excess = weight - capped
    den[:, first:] -= excess @ onehot
    num[:, first:] -= (excess * simple[:, big]) @ onehot


def build_frames(cfg: SandboxConfig) -> dict[str, pl.DataFrame]:
    """Generate every canonical frame of the sandbox market for ``cfg``."""
    sessions = calendar.sessions(cfg.start, cfg.end)
    n_t = len(sessions)
    uni = build_universe(cfg, set(RESERVED_SYMBOLS) | {name for name, *_ in INDEXES})
    rates = simulate_rates(cfg, sessions)
    factors = market_factors(cfg, sessions)
    sched = earnings_schedule(cfg, uni, sessions)
    econ = equity_paths(
        cfg,
        uni,
        sessions,
        factors,
        earnings_idx=sched.gap_idx,
        earnings_gap=sched.gap,
        share_drift=sched.share_drift,
    )
    stm = statements(
        cfg, uni, sched, sessions, close=econ.close, shares=econ.shares, short_rate=rates.policy
    )

    years = np.arange(cfg.start.year, cfg.end.year + 1)
    eps_year = _eps_by_year(stm.items, stm.shares_econ, sched.period_end, years)
    plan = plan_dividends(cfg, uni, eps_year, years, uni.price0)
    in_win = (plan.ex_date >= sessions[0]) & (plan.ex_date <= sessions[-1])
    ex_t = np.searchsorted(sessions, plan.ex_date[in_win])
    # At most an 8% annual yield, 5% in one regular payment and 8% in a special, of
    # the previous close: bigger payouts would gap the price like a crash.
    per_year = np.array(
        [
            {"monthly": 12, "quarterly": 4, "semi_annual": 2}.get(f, 1)
            for f in plan.frequency[in_win]
        ]
    )
    cap = np.where(plan.kind[in_win] == "special", 0.08, np.minimum(0.08 / per_year, 0.05))
    div_f, paid_amount = apply_cash_events(
        econ.close, ex_t, plan.col[in_win], plan.amount[in_win], cap
    )
    plan.amount[in_win] = paid_amount

    # Split-free price-return paths (in place: the total-return OHLC is not read
    # again, and every (T, N) temporary costs page faults), then as traded.
    p_open, p_high, p_low, p_close = econ.open, econ.high, econ.low, econ.close
    for a in (p_open, p_high, p_low, p_close):
        np.multiply(a, div_f, out=a)
    del div_f
    ipo = uni.ipo_day.astype("datetime64[D]")
    listed = sessions[:, None] >= ipo[None, :]
    first_t = np.searchsorted(sessions, ipo)
    splits = plan_splits(cfg, uni, p_close, first_t)
    s_f = splits.factor
    # Minimum price: $1 on the US venues, a 98% fall from the start price abroad
    # (the same levels that trigger a reverse split).
    min_price = np.where(uni.tier < 4, 1.0, 0.02 * uni.price0)
    mcap = p_close * econ.shares
    close_traded = p_close / s_f
    delist_t = delisting_sessions(close_traded, mcap / uni.fx, listed, min_price=min_price)
    listed &= np.arange(n_t)[:, None] < delist_t[None, :]
    splits = splits.before(delist_t)
    delisted = np.where(
        delist_t < n_t, sessions[np.minimum(delist_t, n_t - 1)], np.datetime64("NaT", "D")
    )
    # Nothing happens to a delisted company any more: later dividends and reports
    # are dropped (a NaT stop date keeps every event).
    stop = np.where(delist_t < n_t, delisted, np.datetime64("9999-12-31", "D"))
    plan = plan.before(stop)
    sched = dataclasses.replace(sched, visible=sched.visible & (sched.published < stop[:, None]))
    volume = econ.volume * s_f
    members = reconstitute(uni, sessions, mcap, listed)
    levels = index_levels(
        members, open_=p_open, high=p_high, low=p_low, close=p_close, mcap=mcap, volume=volume
    )

    simple = np.expm1(econ.returns)
    prev_mcap = np.vstack([mcap[:1], mcap[:-1]])
    payer_yield = np.zeros(uni.n)
    np.maximum.at(payer_yield, plan.col, plan.amount / uni.price0[plan.col])

    baskets = _basket_returns(uni, members, payer_yield, simple, prev_mcap)
    assets = build_assets(
        cfg, sessions, factors, rates, basket_returns=baskets.__getitem__, ax500=levels["AX500"][3]
    )
    asset_f, asset_divs = _asset_distributions(assets, sessions)

    # --- frames -------------------------------------------------------------------
    idx_rows = [levels[name] for name, *_ in INDEXES]
    # Prices are rounded to a fixed precision (1/100 cent; 6 decimals for the cheap
    # coins and currency pairs), which also makes the files independent of last-bit
    # differences in libm between CPUs. The split-free open/high/low are not read
    # again: they become the as-traded prices in place.
    for a in (p_open, p_high, p_low):
        np.divide(a, s_f, out=a)
    eq_traded = [p_open, p_high, p_low, close_traded]
    for a in eq_traded:
        np.round(a, 4, out=a)
    blocks = [
        (
            eq_traded[k],
            np.round(a * asset_f, 6),
            np.round(np.column_stack([r[k] for r in idx_rows]), 4),
        )
        for k, a in enumerate((assets.open, assets.high, assets.low, assets.close))
    ]
    blocks.append((volume, assets.volume, np.column_stack([r[4] for r in idx_rows])))
    symbols = np.concatenate(
        [uni.symbol, [r["symbol"] for r in assets.rows], [name for name, *_ in INDEXES]]
    ).astype(object)
    alive = np.concatenate([listed.T, np.ones((len(assets.rows) + len(INDEXES), n_t), dtype=bool)])
    bars = _bars_frame(symbols, sessions, alive, blocks)

    membership = membership_frame(uni, sessions, members)
    split_at_q = s_f[stm.period_idx].T
    split_at_q[:, sched.period_end < sessions[0]] = 1.0
    paid = np.zeros_like(stm.shares_econ)
    pay_q = np.searchsorted(sched.period_end, plan.pay_date)
    ok = pay_q < paid.shape[1]
    np.add.at(
        paid,
        (plan.col[ok], pay_q[ok]),
        plan.amount[ok] * stm.shares_econ[plan.col[ok], pay_q[ok]],
    )
    fundamentals = fundamentals_frame(uni, sched, stm, split_at_q, paid)

    ex_idx = np.clip(np.searchsorted(sessions, plan.ex_date), 0, n_t - 1)
    split_at_ex = np.where(plan.ex_date < sessions[0], 1.0, s_f[ex_idx, plan.col])
    dividends = pl.concat([dividends_frame(uni, plan, split_at_ex), asset_divs]).sort(
        "symbol", "ex_date"
    )
    panel = Panel(
        sessions=sessions,
        close=eq_traded[3],
        shares=econ.shares * s_f,
        volume=volume,
        tr_log_returns=econ.returns,
        listed=listed,
        members=members,
        **_scores(stm.items, sched, sessions, close=p_close, shares=econ.shares, plan=plan),
    )
    funds, holdings = funds_and_holdings(cfg, uni, panel)
    instruments = _instruments(uni, assets, membership, plan.streak_start, delisted)
    return {
        "instruments": instruments,
        "index_membership": membership,
        "bars": bars,
        "fundamentals": fundamentals,
        "dividends": dividends,
        "splits": splits_frame(uni, splits, sessions),
        "holdings": holdings,
        "funds": funds,
        "short_interest": short_interest_frame(cfg, uni, panel),
        "ratings": ratings_frame(cfg, uni, panel),
        "macro": macro_frame(cfg, sessions, rates),
    }


def _scores(
    items: dict[str, np.ndarray],
    sched: Schedule,
    sessions: np.ndarray,
    *,
    close: np.ndarray,
    shares: np.ndarray,
    plan: DividendPlan,
) -> dict[str, np.ndarray]:
    """Point-in-time style signals per session from published reports and dividends."""
    n_t, n = close.shape
    ni = items["net_income"]
    rev = items["revenue"]
    ttm_ni = np.cumsum(ni, axis=1)
    ttm_ni[:, 4:] -= ttm_ni[:, :-4].copy()
    rev_growth = np.zeros_like(rev)
    rev_growth[:, 4:] = rev[:, 4:] / rev[:, :-4] - 1
    # The latest report published on or before each session (per company): count
    # publications with one cumulative sum of +1 steps.
    steps = np.zeros((n_t + 1, n), dtype=np.int16)
    for q in range(sched.published.shape[1]):
        t = np.searchsorted(sessions, sched.published[:, q])
        np.add.at(steps, (t, np.arange(n)), 1)
    known = np.cumsum(steps[:-1], axis=0, dtype=np.int16) - 1
    cols = np.arange(n)[None, :]
    kq = np.maximum(known, 0)
    mcap = close * shares
    value = np.where(known >= 0, ttm_ni[cols, kq] / mcap, 0.0)
    growth = np.where(known >= 0, rev_growth[cols, kq], 0.0)
    annual = np.zeros(n)
    np.maximum.at(annual, plan.col, plan.amount)
    dy = annual[None, :] * 4 / np.maximum(close, 1e-9) * (annual[None, :] > 0)
    return {"value_score": value, "growth_score": growth, "dividend_yield": dy}


def _asset_distributions(
    assets: AssetBlock, sessions: np.ndarray
) -> tuple[np.ndarray, pl.DataFrame]:
    n_t, k = assets.close.shape
    log_f = np.zeros((n_t, k))
    for d in assets.distributions:
        log_f[d.t, d.col] += np.log1p(-d.fraction)
    factor = np.exp(np.cumsum(log_f, axis=0))
    t = np.array([d.t for d in assets.distributions], dtype=np.int64)
    col = np.array([d.col for d in assets.distributions], dtype=np.int64)
    frac = np.array([d.fraction for d in assets.distributions])
    amount = np.round(assets.close[t - 1, col] * factor[t - 1, col] * frac, 4)
    ex = sessions[t]
    frame = pl.DataFrame(
        {
            "symbol": [str(assets.rows[c]["symbol"]) for c in col],
            "declared": calendar.to_days(sessions[np.maximum(t - 5, 0)]),
            "ex_date": calendar.to_days(ex),
            "record_date": calendar.to_days(calendar.next_session(ex, offset=1)),
            "pay_date": calendar.to_days(calendar.next_session(ex, offset=5)),
            "amount": amount,
            "frequency": [d.frequency for d in assets.distributions],
            "kind": ["regular"] * len(t),
        }
    ).with_columns(pl.col("declared", "ex_date", "record_date", "pay_date").cast(pl.Date))
    return factor, frame


def _bars_frame(
    symbols: np.ndarray,
    sessions: np.ndarray,
    alive: np.ndarray,
    blocks: Sequence[tuple[np.ndarray, ...]],
) -> pl.DataFrame:
    """Long bars in (symbol, ts) order from ``(T, S_k)`` blocks; ``alive`` is ``(S, T)``."""
    order = np.argsort(symbols, kind="stable")
    sym_idx, t_idx = np.nonzero(alive[order])
    n_t = alive.shape[1]
    flat = order[sym_idx] * n_t + t_idx

    def flatten(parts: tuple[np.ndarray, ...]) -> np.ndarray:
        # Symbol-major copy (contiguous rows), then one gather of the listed days in
        # (symbol, session) order.
        full = np.concatenate([np.ascontiguousarray(p.T) for p in parts])
        return np.asarray(full.ravel()[flat])

    o, h, lo, c, v = (flatten(b) for b in blocks)
    np.maximum(h, np.maximum(o, c), out=h)
    np.minimum(lo, np.minimum(o, c), out=lo)
    days = calendar.to_days(sessions).astype(np.int64)
    sym_series = pl.Series("symbol", symbols[order].tolist(), dtype=pl.String)
    return pl.DataFrame(
        {
            "symbol": sym_series.gather(sym_idx),
            "ts": pl.Series(days[t_idx] * _US_PER_DAY).cast(pl.Datetime("us")),
            "open": o,
            "high": h,
            "low": lo,
            "close": c,
            "volume": np.round(v).astype(np.int64),
        }
    )


def _instruments(
    uni: Universe,
    assets: AssetBlock,
    membership: pl.DataFrame,
    streak_start: np.ndarray,
    delisted: np.ndarray,
) -> pl.DataFrame:
    equities = pl.DataFrame(
        {
            "symbol": uni.symbol.tolist(),
            "name": uni.name.tolist(),
            "asset_class": ["equity"] * uni.n,
            "sector": uni.sector_names.tolist(),
            "industry": uni.industry.tolist(),
            "exchange": uni.exchange.tolist(),
            "country": uni.country.tolist(),
            "currency": uni.currency.tolist(),
            "ipo_date": uni.ipo_day.astype(np.int32),
            "dividend_streak_start": pl.Series(streak_start, nan_to_null=True).cast(pl.Int64),
            "delisted": pl.Series(delisted, dtype=pl.Date),
        }
    ).with_columns(pl.col("ipo_date").cast(pl.Date))
    others = pl.DataFrame(
        [{k: (str(v) if k == "maturity" else v) for k, v in r.items()} for r in assets.rows],
        infer_schema_length=None,
    ).with_columns(
        pl.col("maturity").str.to_date(),
        pl.lit(None, dtype=pl.Date).alias("ipo_date"),
    )
    idx = pl.DataFrame(
        {
            "symbol": [name for name, *_ in INDEXES],
            "name": [desc for *_, desc in INDEXES],
            "asset_class": ["index"] * len(INDEXES),
            "exchange": ["AXI"] * len(INDEXES),
            "country": ["United States"] * len(INDEXES),
            "currency": ["USD"] * len(INDEXES),
        }
    )
    current = (
        membership.filter(pl.col("end").is_null())
        .group_by("symbol")
        .agg(pl.col("index").sort().alias("indexes"))
    )
    frame = pl.concat([equities, others, idx], how="diagonal_relaxed")
    frame = (
        frame.join(current, on="symbol", how="left")
        .with_columns(
            pl.col("indexes").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            pl.lit(True).alias("is_fictional"),
        )
        .sort("symbol")
    )
    return frame
