"""Dividends and splits, and how they turn economic paths into as-traded bars.

Dividends
    Payers are chosen by sector and size. Each has a frequency (monthly, quarterly,
    semi-annual, annual), a payout ratio linked to earnings, and a history that
    starts before the bars (from ``SandboxConfig.dividend_history_start``) so that
    long raise streaks are visible in the data. The instrument column
    ``dividend_streak_start`` gives the first year of the current run of annual
    raises (it may predate the data). Weak payers cut or suspend in the crash;
    a few pay specials. Dates satisfy ``declared < ex_date < record_date < pay_date``.

Splits
    Forward splits when the as-traded price climbs past a per-company threshold,
    reverse splits (1-for-5, 1-for-10) when it falls below a dollar.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl

from axion_lab.data.sandbox.calendar import next_session, to_days
from axion_lab.data.sandbox.config import SECTOR_PROFILES, SandboxConfig, stream
from axion_lab.data.sandbox.universe import Universe
from axion_lab.data.schema import GICS_SECTORS

__all__ = [
    "DividendPlan",
    "Splits",
    "apply_cash_events",
    "dividends_frame",
    "plan_dividends",
    "plan_splits",
    "splits_frame",
]

_STEPS = {"monthly": 12, "quarterly": 4, "semi_annual": 2, "annual": 1}
CRASH_CUT_DATE = np.datetime64("2020-04-15")


@dataclasses.dataclass(frozen=True, eq=False)
class DividendPlan:
    """Dividend events in economic (pre-split) per-share amounts, one entry per event."""

    col: np.ndarray  # equity index
    declared: np.ndarray  # datetime64[D]
    ex_date: np.ndarray
    record_date: np.ndarray
    pay_date: np.ndarray
    amount: np.ndarray  # economic per-share amount
    frequency: np.ndarray  # str
    kind: np.ndarray  # "regular" / "special"
    streak_start: np.ndarray  # (N,) float year, NaN for non-payers

    def before(self, stop: np.ndarray) -> DividendPlan:
        """Only the events whose ex-date is before ``stop[col]`` (a company's delisting)."""
        keep = self.ex_date < stop[self.col]
        return dataclasses.replace(
            self,
            **{
                f.name: getattr(self, f.name)[keep]
                for f in dataclasses.fields(self)
                if f.name != "streak_start"
            },
        )


def _levels_by_year(
    rng: np.random.Generator,
    payers: np.ndarray,
    eps_year: np.ndarray,
    years: np.ndarray,
    *,
    first_data_year: int,
    aristocrat: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Annual dividend level per payer and year; the years paying and raising began."""
    n_p, n_y = len(payers), len(years)
    g_hist = rng.uniform(0.03, 0.09, n_p)
    streak = np.where(
        aristocrat, rng.integers(1965, 1996, n_p), rng.integers(1998, first_data_year + 1, n_p)
    )
    since = np.minimum(streak - rng.integers(0, 15, n_p), first_data_year - 1)
    level = np.zeros((n_p, n_y))
    start_col = int(np.searchsorted(years, first_data_year))
    level[:, start_col] = 1.0
    # Back-cast: raises during the streak, a flat dividend before it.
    for j in range(start_col - 1, -1, -1):
        raising = years[j + 1] > streak
        level[:, j] = np.where(raising, level[:, j + 1] / (1 + g_hist), level[:, j + 1])
    # Forward: raise in line with earnings growth, at least 1% in a normal year.
    eps_growth = np.clip(eps_year[:, 1:] / np.maximum(eps_year[:, :-1], 1e-9) - 1, -0.5, 0.5)
    for j in range(start_col + 1, n_y):
        k = min(max(j - start_col - 2, 0), eps_growth.shape[1] - 1)
        g = np.clip(0.3 * eps_growth[:, k] + 0.05 + rng.normal(0, 0.015, n_p), 0.01, 0.14)
        # Only a bad year (earnings down a fifth or more) freezes a non-aristocrat.
        g = np.where(~aristocrat & (eps_growth[:, k] < -0.2), 0.0, g)
        level[:, j] = level[:, j - 1] * (1 + g)
    level[years[None, :] < since[:, None]] = 0.0
    return level, since, streak


def plan_dividends(
    cfg: SandboxConfig,
    uni: Universe,
    eps_annual: np.ndarray,
    eps_years: np.ndarray,
    price0: np.ndarray,
) -> DividendPlan:
    """Plan every dividend. ``eps_annual`` is ``(N, len(eps_years))`` economic EPS per year."""
    rng = stream(cfg.seed, "dividends")
    n = uni.n
    prof_share = np.array([SECTOR_PROFILES[s].payer_share for s in GICS_SECTORS])[uni.sector]
    prof_payout = np.array([SECTOR_PROFILES[s].payout for s in GICS_SECTORS])[uni.sector]
    size = np.array([1.15, 1.0, 0.75, 0.35, 1.1])[uni.tier]
    is_payer = (rng.random(n) < prof_share * size) & ~uni.loss_maker
    payers = np.flatnonzero(is_payer)
    n_p = len(payers)
    sector_name = uni.sector_names[payers]
    defensive = np.isin(
        sector_name, ["Consumer Staples", "Utilities", "Industrials", "Health Care"]
    )
    aristocrat = (uni.tier[payers] == 0) & (rng.random(n_p) < np.where(defensive, 0.45, 0.15))

    first_data_year = cfg.start.year
    years = np.arange(cfg.dividend_history_start, cfg.end.year + 2)
    eps_year = np.ones((n_p, len(years) - int(np.searchsorted(years, first_data_year))))
    m = min(eps_year.shape[1], eps_annual.shape[1])
    eps_year[:, :m] = eps_annual[payers, :m]
    level, _since, streak0 = _levels_by_year(
        rng, payers, eps_year, years, first_data_year=first_data_year, aristocrat=aristocrat
    )
    # Scale so the first in-window year pays `payout` of earnings, within 0.8%-8% yield.
    payout = prof_payout[payers] * np.exp(rng.normal(0, 0.25, n_p))
    base_eps = np.maximum(eps_annual[payers, 0], 0.0)
    dps0 = np.clip(payout * base_eps, 0.008 * price0[payers], 0.08 * price0[payers])
    level *= dps0[:, None]
    ipo_year = (
        uni.ipo_day[payers].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    )
    level[years[None, :] <= ipo_year[:, None]] = 0.0

    freq = np.full(n_p, "quarterly", dtype=object)
    r = rng.random(n_p)
    reit_like = np.isin(sector_name, ["Real Estate", "Utilities", "Financials"])
    freq[(reit_like & (r < 0.22)) | (~reit_like & (r < 0.03))] = "monthly"
    freq[(r > 0.97)] = "semi_annual"
    foreign = uni.tier[payers] == 4
    country = uni.country[payers]
    freq[foreign & np.isin(country, ["United Kingdom", "Japan"])] = "semi_annual"
    freq[foreign & (country == "Germany")] = "annual"
    freq[(~foreign) & (r > 0.985)] = "annual"

    # Weak payers in the crash: high payout and a cyclical or levered sector.
    y2020 = int(np.searchsorted(years, 2020))
    stressed = np.isin(
        sector_name,
        [
            "Energy",
            "Real Estate",
            "Consumer Discretionary",
            "Financials",
            "Industrials",
            "Communication Services",
        ],
    )
    weak = stressed & ~aristocrat & (rng.random(n_p) < 0.35) & (level[:, y2020] > 0)
    action = np.where(rng.random(n_p) < 0.4, 2, 1) * weak  # 1 cut, 2 suspend
    cut_to = rng.uniform(0.3, 0.6, n_p)
    resume = CRASH_CUT_DATE + (rng.integers(150, 540, n_p)).astype("timedelta64[D]")

    events: list[tuple[np.ndarray, ...]] = []
    end = np.datetime64(cfg.end)
    for name, steps in _STEPS.items():
        rows = np.flatnonzero(freq == name)
        if not len(rows):
            continue
        month0 = rng.integers(0, 12 // steps, len(rows))
        day0 = rng.integers(1, 20, len(rows))
        y = np.arange(len(years))
        k = np.arange(steps)
        month = (
            (years[y][None, :, None] - 1970) * 12
            + month0[:, None, None]
            + k[None, None, :] * (12 // steps)
        )
        ex = next_session(
            month.astype("datetime64[M]").astype("datetime64[D]")
            + day0[:, None, None].astype("timedelta64[D]")
        )
        amount = np.broadcast_to((level[rows] / steps)[:, :, None], ex.shape).copy()
        keep = amount > 0
        after = ex >= CRASH_CUT_DATE
        act = action[rows][:, None, None]
        amount = np.where(after & (act > 0), amount * cut_to[rows][:, None, None], amount)
        keep &= ~((act == 2) & after & (ex < resume[rows][:, None, None]))
        declared = ex - rng.integers(14, 35, ex.shape).astype("timedelta64[D]")
        declared = next_session(declared)
        keep &= declared <= end
        ii, yy, kk = np.nonzero(keep)
        ex_k = ex[ii, yy, kk]
        events.append(
            (
                payers[rows[ii]],
                declared[ii, yy, kk],
                ex_k,
                amount[ii, yy, kk],
                np.full(len(ii), name, dtype=object),
                np.full(len(ii), "regular", dtype=object),
            )
        )
    # Specials: a one-off from a cash-rich company (payer or not).
    special = np.flatnonzero((rng.random(n) < 0.03) & ~uni.loss_maker)
    sp_ex = next_session(
        np.datetime64(cfg.start)
        + rng.integers(200, (cfg.end - cfg.start).days - 60, len(special)).astype("timedelta64[D]")
    )
    events.append(
        (
            special,
            next_session(sp_ex - np.timedelta64(21, "D")),
            sp_ex,
            price0[special] * rng.uniform(0.02, 0.08, len(special)),
            np.full(len(special), "special", dtype=object),
            np.full(len(special), "special", dtype=object),
        )
    )
    col, declared, ex_date, amount, frequency, kind = (
        np.concatenate(p) for p in zip(*events, strict=True)
    )
    record = next_session(ex_date, offset=1)
    pay = next_session(record + rng.integers(7, 30, len(record)).astype("timedelta64[D]"))
    # The current streak starts after the last year whose regular payment did not
    # rise (a flat year, a cut or a suspension), measured on the events themselves.
    regular = kind == "regular"
    year_of = ex_date.astype("datetime64[Y]").astype(np.int64) + 1970
    slot = np.searchsorted(payers, col[regular])
    top = np.zeros((n_p, len(years)))
    np.maximum.at(top, (slot, year_of[regular] - years[0]), amount[regular])
    upto = years <= cfg.end.year
    top = top[:, upto]
    raised = top[:, 1:] > top[:, :-1] * 1.0001
    last_break = np.where(~raised, years[upto][1:][None, :], 0).max(axis=1)
    # Without a break in the data, the streak is as old as the company's history says.
    streak = np.where(last_break > 0, last_break + 1, streak0).astype(float)
    streak_start = np.full(n, np.nan)
    streak_start[payers] = np.where(streak <= cfg.end.year, streak, np.nan)
    return DividendPlan(col, declared, ex_date, record, pay, amount, frequency, kind, streak_start)


def apply_cash_events(
    close_tr: np.ndarray,
    event_t: np.ndarray,
    event_col: np.ndarray,
    amount: np.ndarray,
    max_fraction: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Price factor ``(T, N)`` that turns a total-return path into a price-return path.

    Each cash distribution of ``amount`` (on session ``event_t`` of column
    ``event_col``) lowers the price from its ex-date on by ``amount / previous close``
    of the price-return path itself, as an exchange adjusts the reference price. A
    payment is capped at ``max_fraction`` of that close (a company whose price
    collapsed cuts its dividend rather than paying out its market value). Returns
    the factor and the amounts actually paid, in the input order.
    """
    n_t, n = (int(v) for v in close_tr.shape)
    log_f = np.zeros((n_t, n))
    order = np.lexsort((event_t, event_col))
    t_s, c_s, a_s, m_s = event_t[order], event_col[order], amount[order], max_fraction[order]
    paid = np.empty(len(order))
    # The k-th event of every column at once: the loop runs over event ordinals (a
    # few hundred at most), vectorised across columns.
    ordinal = np.arange(len(c_s)) - np.searchsorted(c_s, c_s, side="left")
    factor = np.ones(n)
    for k in range(int(ordinal.max()) + 1 if len(ordinal) else 0):
        sel = np.flatnonzero(ordinal == k)
        t, c = t_s[sel], c_s[sel]
        prev = close_tr[np.maximum(t - 1, 0), c] * factor[c]
        cash = np.minimum(a_s[sel], m_s[sel] * prev)
        ratio = 1.0 - cash / prev
        factor[c] *= ratio
        log_f[t, c] += np.log(ratio)
        paid[sel] = cash
    out = np.empty_like(paid)
    out[order] = paid
    return np.asarray(np.exp(np.cumsum(log_f, axis=0))), out


@dataclasses.dataclass(frozen=True, eq=False)
class Splits:
    """Split events and the cumulative split factor per session."""

    col: np.ndarray
    announced_t: np.ndarray
    ex_t: np.ndarray
    ratio: np.ndarray
    factor: np.ndarray  # (T, N): product of ratios with ex-date on or before the session

    def before(self, stop_t: np.ndarray) -> Splits:
        """Only the splits effective before session ``stop_t[col]`` (a delisting).

        The factor after ``stop_t`` is left as it was: no bar or filing reads it.
        """
        keep = self.ex_t < stop_t[self.col]
        return Splits(
            self.col[keep], self.announced_t[keep], self.ex_t[keep], self.ratio[keep], self.factor
        )


def plan_splits(
    cfg: SandboxConfig, uni: Universe, price: np.ndarray, first_t: np.ndarray
) -> Splits:
    """Split whenever the as-traded ``price`` ``(T, N)`` crosses a company's thresholds.

    Announced on the crossing, effective 20 sessions later; at least a year apart.
    """
    rng = stream(cfg.seed, "splits")
    n_t, n = (int(v) for v in price.shape)
    high = rng.uniform(280, 900, n)
    high[rng.random(n) < 0.08] = np.inf  # some companies never split
    low = np.where(uni.tier < 4, 1.0, 0.02 * uni.price0)  # foreign: a 98% fall
    events: list[tuple[int, int, int, float]] = []
    # Rounds over the k-th split of each company, vectorised across the (shrinking)
    # set of companies that split in the previous round.
    active = np.arange(n)
    earliest = first_t + 120
    divisor = np.ones(n)  # cumulative ratio of splits so far, per company
    t_grid = np.arange(n_t)[:, None]
    while len(active):
        traded = price[:, active] / divisor[active][None, :]
        hit = (t_grid >= earliest[active][None, :]) & (
            (traded > high[active][None, :]) | (traded < low[active][None, :])
        )
        found = hit.any(axis=0)
        t_hit = hit.argmax(axis=0)
        ok = found & (t_hit + 20 < n_t)
        cols, t_hit = active[ok], t_hit[ok]
        px = traded[t_hit, np.flatnonzero(ok)]
        forward = px > high[cols]
        ratio = np.where(px > 2 * high[cols], 4.0, np.where(px > 600, 3.0, 2.0))
        ratio = np.where(forward, ratio, np.where(px > 0.5, 0.2, 0.1))
        events += zip(
            cols.tolist(), t_hit.tolist(), (t_hit + 20).tolist(), ratio.tolist(), strict=True
        )
        # The next split is searched only after this one took effect, so one
        # divisor per company is exact over the searched range.
        divisor[cols] *= ratio
        earliest[cols] = t_hit + 270
        active = cols
    if not events:
        empty = np.array([], dtype=np.int64)
        return Splits(empty, empty, empty, np.array([]), np.ones((n_t, n)))
    col, ann, ex, ratio = (np.array(v) for v in zip(*events, strict=True))
    log_f = np.zeros((n_t, n))
    np.add.at(log_f, (ex, col), np.log(ratio))
    factor = np.exp(np.cumsum(log_f, axis=0))
    return Splits(col, ann, ex, ratio.astype(np.float64), factor)


def dividends_frame(uni: Universe, plan: DividendPlan, split_at: np.ndarray) -> pl.DataFrame:
    """The ``dividends`` frame; ``split_at`` is the split factor at each ex-date (as declared)."""
    frame = pl.DataFrame(
        {
            "symbol": uni.symbol[plan.col].tolist(),
            "declared": to_days(plan.declared),
            "ex_date": to_days(plan.ex_date),
            "record_date": to_days(plan.record_date),
            "pay_date": to_days(plan.pay_date),
            "amount": np.round(plan.amount / split_at, 4),
            "frequency": plan.frequency.tolist(),
            "kind": plan.kind.tolist(),
        }
    )
    return frame.with_columns(
        pl.col("declared", "ex_date", "record_date", "pay_date").cast(pl.Date)
    ).sort("symbol", "ex_date")


def splits_frame(uni: Universe, splits: Splits, sessions: np.ndarray) -> pl.DataFrame:
    """The ``splits`` frame."""
    frame = pl.DataFrame(
        {
            "symbol": uni.symbol[splits.col].tolist(),
            "announced": to_days(sessions[splits.announced_t]),
            "ex_date": to_days(sessions[splits.ex_t]),
            "ratio": splits.ratio.astype(np.float64),
        },
        schema={
            "symbol": pl.String,
            "announced": pl.Int32,
            "ex_date": pl.Int32,
            "ratio": pl.Float64,
        },
    )
    return frame.with_columns(pl.col("announced", "ex_date").cast(pl.Date)).sort(
        "symbol", "ex_date"
    )
