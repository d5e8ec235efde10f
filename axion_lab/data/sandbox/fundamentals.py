"""Quarterly fundamentals: the reporting schedule and internally consistent statements.

The schedule comes first (prices need the earnings days); statements are built after
the prices so that sales can be tethered to market value, which keeps valuation
multiples in plausible ranges while growth rates persist (an AR(1) per company).
A profitable company's sales level is set from an earnings multiple (P/S = P/E x
net margin, the multiple rising with growth), so trailing P/E mostly sits between
about 5 and 50 rather than wherever a margin draw happens to put it.
Identities hold exactly: ``gross_profit = revenue - cost_of_revenue``,
``free_cash_flow = operating_cash_flow - capex``,
``total_assets = total_liabilities + shareholders_equity``,
``eps = net_income / shares_outstanding``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl

from axion_lab.data.sandbox.calendar import next_session, to_days
from axion_lab.data.sandbox.config import SECTOR_PROFILES, SandboxConfig, stream
from axion_lab.data.sandbox.prices import std_t
from axion_lab.data.sandbox.universe import Universe
from axion_lab.data.schema import GICS_SECTORS

__all__ = ["Schedule", "Statements", "earnings_schedule", "fundamentals_frame", "statements"]

TAX_RATE = 0.21
PE_MEDIAN = 20.0  # trailing P/E of a typical profitable company
# Quarterly pull of sales towards market value / P/S: prices lead, fundamentals
# follow (a half-life of about five quarters).
TETHER = 0.13
MAX_EARNINGS_GAP = 0.2  # log return: about -18% / +22% on the session after a report


@dataclasses.dataclass(frozen=True, eq=False)
class Schedule:
    """When each company reports, and the price gap that follows (``(N, Q)`` arrays)."""

    period_end: np.ndarray  # (Q,) datetime64[D]
    published: np.ndarray  # (N, Q) datetime64[D]
    gap_idx: np.ndarray  # (N, Q) session index of the earnings gap, -1 if none
    gap: np.ndarray  # (N, Q) log-return gap
    visible: np.ndarray  # (N, Q) the report exists (listed, published by the end date)
    fy_end_month: np.ndarray  # (N,)
    share_drift: np.ndarray  # (N,) annual log change of shares (buybacks < 0)


def _profile(uni: Universe, attr: str) -> np.ndarray:
    values = np.array([getattr(SECTOR_PROFILES[s], attr) for s in GICS_SECTORS], dtype=float)
    return np.asarray(values[uni.sector], dtype=np.float64)


def earnings_schedule(cfg: SandboxConfig, uni: Universe, sessions: np.ndarray) -> Schedule:
    """Quarter ends from two quarters before the start; report 30-60 days after each."""
    rng = stream(cfg.seed, "schedule")
    first = np.datetime64(cfg.start, "M") - 5
    months = np.arange(first, np.datetime64(cfg.end, "M"))
    months = months[(months.astype(np.int64) % 12) % 3 == 2]  # Mar, Jun, Sep, Dec
    period_end = (months + 1).astype("datetime64[D]") - 1
    n, q = uni.n, len(period_end)
    fy_end_month = rng.choice([12, 6, 9, 3], size=n, p=[0.8, 0.08, 0.07, 0.05])
    month = (period_end.astype("datetime64[M]").astype(np.int64) % 12) + 1
    fiscal_q4 = month[None, :] == fy_end_month[:, None]
    lag = rng.integers(30, 46, n)[:, None] + 8 * fiscal_q4 + rng.integers(0, 4, (n, q))
    published = next_session(period_end[None, :] + lag.astype("timedelta64[D]"))
    end = np.datetime64(cfg.end)
    ipo = (uni.ipo_day.astype("datetime64[D]"))[:, None]
    visible = (published <= end) & (published >= ipo)
    gap_idx = np.searchsorted(sessions, published.ravel(), side="right").reshape(n, q)
    ok = (
        visible
        & (gap_idx < len(sessions))
        & (sessions[np.minimum(gap_idx, len(sessions) - 1)] > ipo)
    )
    gap_idx = np.where(ok, gap_idx, -1)
    # Fat-tailed surprises (Student-t, 4 degrees of freedom, unit variance) scaled by
    # the company's earnings volatility: typically a few percent, capped at +/-20%.
    gap = std_t(rng, 4.0, (n, q)) * uni.earnings_vol[:, None]
    np.clip(gap, -MAX_EARNINGS_GAP, MAX_EARNINGS_GAP, out=gap)
    share_drift = np.where(uni.loss_maker, rng.uniform(0.01, 0.06, n), rng.uniform(-0.035, 0.01, n))
    return Schedule(period_end, published, gap_idx, gap, visible, fy_end_month, share_drift)


@dataclasses.dataclass(frozen=True, eq=False)
class Statements:
    """Quarterly statement items, ``(N, Q)`` arrays in economic (pre-split) share units."""

    items: dict[str, np.ndarray]
    shares_econ: np.ndarray
    period_idx: np.ndarray  # (Q,) session index of each period end (clipped to 0)


def statements(
    cfg: SandboxConfig,
    uni: Universe,
    sched: Schedule,
    sessions: np.ndarray,
    *,
    close: np.ndarray,
    shares: np.ndarray,
    short_rate: np.ndarray,
) -> Statements:
    """Build statements; ``close``/``shares`` are economic ``(T, N)`` paths, ``short_rate`` %/yr."""
    rng = stream(cfg.seed, "fundamentals")
    n, q = (int(v) for v in sched.published.shape)
    t_idx = np.clip(np.searchsorted(sessions, sched.period_end, side="right") - 1, 0, None)
    mcap = (close[t_idx] * shares[t_idx]).T  # (N, Q)
    shares_q = shares[t_idx].T

    gm = np.clip(_profile(uni, "gross_margin") + rng.normal(0, 0.07, n), 0.08, 0.92)
    om = np.minimum(_profile(uni, "op_margin") + rng.normal(0, 0.05, n), gm - 0.03)
    om[uni.loss_maker] = -rng.uniform(0.05, 0.35, uni.loss_maker.sum())
    # Balance-sheet shape, drawn first because it sets the interest bill.
    assets_to_sales = _profile(uni, "assets_to_sales") * np.exp(rng.normal(0, 0.25, n))
    eq_ratio = np.clip(_profile(uni, "equity_ratio") * np.exp(rng.normal(0, 0.25, n)), 0.04, 0.85)
    fin = uni.sector == GICS_SECTORS.index("Financials")
    debt_share = np.where(fin, rng.uniform(0.1, 0.3, n), rng.uniform(0.25, 0.7, n))
    spread = rng.uniform(1.0, 3.0, n) + 2.0 * uni.loss_maker
    # Interest as a share of revenue at the average rate of the window.
    interest_share = (
        assets_to_sales * (1 - eq_ratio) * debt_share * (short_rate.mean() + spread) / 100
    )
    # A profitable company earns a pre-tax margin of at least 4% after interest.
    om = np.where(uni.loss_maker, om, np.maximum(om, interest_share + 0.04))
    net_margin = (om - interest_share) * (1 - TAX_RATE)
    # Valuation: the market prices a profitable company on its earnings, at a
    # multiple that rises with growth (P/S = P/E x net margin), so trailing P/E
    # stays in a plausible band; a loss-maker is priced on its sales.
    pe_anchor = PE_MEDIAN * np.exp(1.5 * (uni.growth - 0.08) + rng.normal(0, 0.25, n))
    ps = np.where(
        uni.loss_maker,
        2.0 * _profile(uni, "price_to_sales") * np.exp(rng.normal(0, 0.35, n)),
        pe_anchor * net_margin,
    )
    season = rng.uniform(0, 0.06, n)[:, None] * np.array([-0.4, -0.2, 0.0, 0.6])[None, :]
    month = (sched.period_end.astype("datetime64[M]").astype(np.int64) % 12) // 3
    # Recession hit to sales and margins, scaled by cyclicality (beta).
    pe = sched.period_end
    hit = np.zeros(q)
    hit[pe == np.datetime64("2020-06-30")] = 0.14
    hit[pe == np.datetime64("2020-09-30")] = 0.06
    hit[(pe >= np.datetime64("2022-06-30")) & (pe <= np.datetime64("2022-12-31"))] = 0.03
    surprise = sched.gap / uni.earnings_vol[:, None]

    log_rev = np.empty((n, q))
    growth = uni.growth + rng.normal(0, 0.04, n)
    g = growth.copy()
    level = np.log(uni.mcap0 / ps / 4)  # log quarterly revenue at the start
    shocks = rng.normal(0, 0.012, (n, q))
    for j in range(q):
        g = growth + 0.85 * (g - growth) + rng.normal(0, 0.03, n)
        tether = TETHER * (np.log(mcap[:, j] / ps / 4) - level)
        level = level + g / 4 + tether + 0.01 * surprise[:, j] + shocks[:, j]
        log_rev[:, j] = level
    cyc = uni.beta[:, None]
    revenue = np.exp(log_rev + season[:, month] - hit[None, :] * cyc)
    op_margin = (
        om[:, None]
        + 0.02 * rng.standard_normal((n, q))
        + 0.012 * surprise
        - 0.6 * hit[None, :] * cyc
    )
    op_margin = np.minimum(op_margin, gm[:, None] - 0.02)
    cost = revenue * (1 - gm[:, None])
    gross = revenue - cost
    op_income = revenue * op_margin
    da = revenue * _profile(uni, "capex_ratio")[:, None] * rng.uniform(0.6, 1.0, n)[:, None]

    assets = 4 * revenue * assets_to_sales[:, None]
    equity = assets * (eq_ratio[:, None] * np.exp(rng.normal(0, 0.02, (n, q))))
    liabilities = assets - equity
    debt = liabilities * debt_share[:, None]
    rate = short_rate[t_idx][None, :] + spread[:, None]
    interest = debt * rate / 100 / 4
    pretax = op_income - interest
    net_income = pretax - TAX_RATE * np.maximum(pretax, 0)

    current_assets = assets * rng.uniform(0.15, 0.55, n)[:, None]
    cash = current_assets * rng.uniform(0.15, 0.5, n)[:, None]
    inv_days = _profile(uni, "inventory_days") * np.exp(rng.normal(0, 0.3, n))
    inventory = np.minimum(cost * (inv_days / 91)[:, None], 0.7 * (current_assets - cash))
    current_liabilities = liabilities * rng.uniform(0.2, 0.6, n)[:, None]
    ocf = net_income + da + revenue * rng.normal(0, 0.025, (n, q))
    capex = revenue * (_profile(uni, "capex_ratio") * rng.uniform(0.7, 1.3, n))[:, None]
    capex *= np.exp(rng.normal(0, 0.12, (n, q)))
    price_q = close[t_idx].T
    retired = np.zeros((n, q))
    retired[:, 1:] = np.maximum(shares_q[:, :-1] - shares_q[:, 1:], 0)
    items = {
        "revenue": revenue,
        "cost_of_revenue": cost,
        "gross_profit": gross,
        "operating_income": op_income,
        "ebitda": op_income + da,
        "interest_expense": interest,
        "net_income": net_income,
        "total_assets": assets,
        "total_liabilities": liabilities,
        "current_assets": current_assets,
        "current_liabilities": current_liabilities,
        "cash": cash,
        "inventory": inventory,
        "total_debt": debt,
        "shareholders_equity": equity,
        "operating_cash_flow": ocf,
        "capex": capex,
        "free_cash_flow": ocf - capex,
        "share_buybacks": retired * price_q,
    }
    return Statements(items=items, shares_econ=shares_q, period_idx=t_idx)


def fundamentals_frame(
    uni: Universe,
    sched: Schedule,
    stm: Statements,
    split_factor: np.ndarray,
    dividends_paid: np.ndarray,
) -> pl.DataFrame:
    """The ``fundamentals`` frame; ``split_factor`` ``(N, Q)`` converts to as-reported shares.

    Money items are rounded to the dollar and identities are re-imposed after
    rounding, so they hold exactly in the stored data.
    """
    vis = sched.visible
    rows_i, rows_q = np.nonzero(vis)

    def pick(a: np.ndarray) -> np.ndarray:
        return np.round(a[rows_i, rows_q], 0)

    cols = {k: pick(v) for k, v in stm.items.items()}
    cols["gross_profit"] = cols["revenue"] - cols["cost_of_revenue"]
    cols["free_cash_flow"] = cols["operating_cash_flow"] - cols["capex"]
    cols["total_liabilities"] = cols["total_assets"] - cols["shareholders_equity"]
    shares = np.round(stm.shares_econ[rows_i, rows_q] * split_factor[rows_i, rows_q], 0)
    cols["shares_outstanding"] = shares
    cols["eps"] = cols["net_income"] / shares
    cols["dividends_paid"] = pick(dividends_paid)

    pe = sched.period_end[rows_q]
    month = pe.astype("datetime64[M]").astype(np.int64) % 12 + 1
    year = pe.astype("datetime64[Y]").astype(np.int64) + 1970
    fy_end = sched.fy_end_month[rows_i]
    fiscal_year = year + (month > fy_end)
    fiscal_quarter = ((month - fy_end - 1) % 12) // 3 + 1
    frame = pl.DataFrame(
        {
            "symbol": uni.symbol[rows_i].tolist(),
            "period_end": to_days(pe),
            "published": to_days(sched.published[rows_i, rows_q]),
            "fiscal_year": fiscal_year,
            "fiscal_quarter": fiscal_quarter,
            **cols,
        }
    )
    return frame.with_columns(pl.col("period_end", "published").cast(pl.Date)).sort(
        "symbol", "period_end"
    )
