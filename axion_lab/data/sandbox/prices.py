"""The return, price and volume model of the sandbox equities.

Daily log return of equity *i* on session *t*::

    r[t, i] = alpha[i] + beta[i] * m[t] + gamma[i] * s[t, sector(i)] + e[t, i] + J[t, i]

* ``m`` the market factor, ``s`` eleven sector factors, ``e`` idiosyncratic noise:
  each a GARCH(1,1) process with standardised Student-t innovations (volatility
  clustering and fat tails), all simulated in one loop over sessions, vectorised
  across series. Innovations are truncated (:data:`SHOCK_CLIP` standard deviations)
  so a single draw from the far tail cannot make a move no real stock or index makes.
* Market regimes (:data:`~axion_lab.data.sandbox.config.REGIMES`) scale the market
  volatility and pin the market's log return over each episode, so the crash and
  the bear market are there for every seed.
* ``J`` the earnings gap, on the session after each fundamentals ``published``
  date; it falls in the overnight part of the return. Earnings gaps (single stocks
  only, never indexes) are the only jumps: a few percent typically, capped near 20%
  (:func:`~axion_lab.data.sandbox.fundamentals.earnings_schedule`).

Prices here are *economic* (total return, before splits); dividends and splits are
applied afterwards in :mod:`axion_lab.data.sandbox.dividends`.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from axion_lab.data.sandbox.config import REGIMES, SandboxConfig, stream
from axion_lab.data.sandbox.universe import Universe

__all__ = [
    "EquityPaths",
    "Factors",
    "cap_moves",
    "equity_paths",
    "garch",
    "market_factors",
    "std_t",
]

DAYS_PER_YEAR = 252
MARKET_VOL = 0.14  # annual, calm-regime market factor
MARKET_DRIFT = 0.09  # annual log drift of calm days (outside the pinned episodes)
IDIO_DF = 5.0  # Student-t degrees of freedom of the idiosyncratic shocks
SHOCK_CLIP = 5.0  # innovations are truncated at this many standard deviations
# A factor or an asset moves at most this many long-run daily standard deviations in
# one session, and a stock's idiosyncratic part IDIO_CAP (times the regime's extra
# volatility): GARCH can triple the volatility, and three times a 5-sigma shock is a
# day no index and hardly any stock has without news.
MOVE_CAP = 5.0
FACTOR_CAP = 4.0  # the market and sector factors: a 3.5% market day at most
IDIO_CAP = 6.0
MAX_DAILY_MOVE = 0.35  # cap on a stock's diffusive daily log return (about -30% / +42%)


def std_t(
    rng: np.random.Generator, df: float, size: tuple[int, ...], *, clip: float | None = None
) -> np.ndarray:
    """Student-t draws scaled to unit variance (``df > 2``), optionally truncated at ``clip``.

    Examples
    --------
    >>> z = std_t(np.random.default_rng(0), 5.0, (200_000,), clip=5.0)
    >>> round(float(z.std()), 2), float(np.abs(z).max())
    (0.99, 5.0)
    """
    z = rng.standard_t(df, size)
    z *= math.sqrt((df - 2.0) / df)
    if clip is not None:
        np.clip(z, -clip, clip, out=z)
    return z


def cap_moves(x: np.ndarray, vol: np.ndarray | float, k: float = MOVE_CAP) -> np.ndarray:
    """Clip daily returns ``x`` (``(T,)`` or ``(T, K)``) at ``k`` times ``vol``, in place.

    ``vol`` is each series' long-run daily volatility (a scalar or shape ``(K,)``).

    Examples
    --------
    >>> cap_moves(np.array([0.01, -0.2, 0.07]), 0.01).tolist()
    [0.01, -0.05, 0.05]
    """
    bound = k * np.asarray(vol, dtype=np.float64)
    np.clip(x, -bound, bound, out=x)
    return x


def garch(
    z: np.ndarray,
    vol: np.ndarray,
    *,
    alpha: float = 0.08,
    persistence: float = 0.975,
    scale: np.ndarray | None = None,
    cap: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """GARCH(1,1) paths driven by unit-variance shocks ``z`` of shape ``(T, K)``.

    ``vol`` is each series' long-run daily volatility (shape ``(K,)``); ``scale`` an
    optional ``(T,)`` regime multiplier of the volatility. The conditional volatility
    is capped at ``cap`` times the long-run one, so a run of fat-tailed shocks cannot
    send a series into a years-long explosion. Returns ``(x, sigma)``: the returns and
    their conditional volatilities.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, s = garch(rng.standard_normal((20000, 2)), np.array([0.01, 0.02]))
    >>> np.round(x.std(axis=0) / [0.01, 0.02], 1).tolist()
    [1.0, 1.0]
    """
    n_t, _ = z.shape
    var_lr = vol**2
    omega = var_lr * (1.0 - persistence)
    beta = persistence - alpha
    x = np.empty_like(z)
    sigma = np.empty_like(z)
    h = var_lr.copy()
    h_max = var_lr * cap**2
    mult = np.ones(n_t) if scale is None else scale
    for t in range(n_t):
        s = np.sqrt(h)
        sigma[t] = s * mult[t]
        x[t] = sigma[t] * z[t]
        # The shock feeds back in units of the calm regime, so a regime's extra
        # volatility does not compound through the variance recursion.
        h = np.minimum(omega + alpha * (s * z[t]) ** 2 + beta * h, h_max)
    return x, sigma


@dataclasses.dataclass(frozen=True, eq=False)
class Factors:
    """Common factor returns (daily log returns) and the regime volatility multiplier."""

    market: np.ndarray  # (T,)
    sectors: np.ndarray  # (T, 11)
    oil: np.ndarray  # (T,) crude oil, loads on the Energy sector factor
    regime_vol: np.ndarray  # (T,)
    market_sigma: np.ndarray  # (T,) conditional daily vol of the market factor


def regime_multiplier(sessions: np.ndarray) -> np.ndarray:
    """Volatility multiplier per session from :data:`REGIMES`, with a decaying after-shock."""
    mult = np.ones(len(sessions))
    for reg in REGIMES:
        inside = (sessions >= np.datetime64(reg.start)) & (sessions <= np.datetime64(reg.end))
        mult[inside] = np.maximum(mult[inside], reg.vol)
    # Volatility stays elevated for a while after a regime ends (half-life ~ 15 days).
    decay = 0.5 ** (1 / 15)
    for t in range(1, len(mult)):
        mult[t] = max(mult[t], 1.0 + (mult[t - 1] - 1.0) * decay)
    return mult


def _pin_regimes(market: np.ndarray, sessions: np.ndarray) -> np.ndarray:
    """Fix the market's log return over each regime, and each calendar year's calm days.

    Calm days get the long-run drift, so every seed tells the same macro story
    (a steady bull market between the episodes) while daily paths differ.
    """
    out = market.copy()
    calm = np.ones(len(sessions), dtype=bool)
    for reg in REGIMES:
        calm &= ~((sessions >= np.datetime64(reg.start)) & (sessions <= np.datetime64(reg.end)))
    years = sessions.astype("datetime64[Y]")
    for year in np.unique(years):
        idx = np.flatnonzero(calm & (years == year))
        if len(idx) > 1:
            out[idx] += MARKET_DRIFT / DAYS_PER_YEAR - out[idx].mean()
    for reg in REGIMES:
        idx = np.flatnonzero(
            (sessions >= np.datetime64(reg.start)) & (sessions <= np.datetime64(reg.end))
        )
        if len(idx) < 2:
            continue
        seg = out[idx]
        out[idx] = seg - seg.mean() + math.log1p(reg.total) / len(idx)
    return out


def market_factors(cfg: SandboxConfig, sessions: np.ndarray) -> Factors:
    """Simulate the market, sector and oil factors over ``sessions``."""
    from axion_lab.data.sandbox.config import SECTOR_PROFILES
    from axion_lab.data.schema import GICS_SECTORS

    rng = stream(cfg.seed, "factors")
    n_t = len(sessions)
    mult = regime_multiplier(sessions)
    sector_vol = np.array([SECTOR_PROFILES[s].sector_vol for s in GICS_SECTORS])
    vols = np.concatenate([[MARKET_VOL], sector_vol, [0.32]]) / math.sqrt(DAYS_PER_YEAR)
    z = std_t(rng, 6.0, (n_t, len(vols)), clip=SHOCK_CLIP)
    # Sector and oil volatility rise with the market's, but less.
    x, sigma = garch(z, vols, alpha=0.06, persistence=0.97, cap=2.5)
    x[:, 0] *= mult
    sigma[:, 0] *= mult
    x[:, 1:] *= np.sqrt(mult)[:, None]
    # The cap is in calm-regime units, so it also bounds the crash's worst days
    # (the episode's total move is pinned below, not left to the tails).
    cap_moves(x, vols, FACTOR_CAP)
    market = _pin_regimes(x[:, 0] + MARKET_DRIFT / DAYS_PER_YEAR, sessions)
    oil = x[:, -1]
    sectors = x[:, 1:-1]
    energy = GICS_SECTORS.index("Energy")
    sectors[:, energy] = 0.6 * sectors[:, energy] + 0.55 * oil
    return Factors(
        market=market, sectors=sectors, oil=oil, regime_vol=mult, market_sigma=sigma[:, 0]
    )


@dataclasses.dataclass(frozen=True, eq=False)
class EquityPaths:
    """Economic (total-return, pre-split) daily OHLCV, shape ``(T, N)`` each."""

    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray  # shares traded, in start-of-window share units
    returns: np.ndarray  # close-to-close log returns
    shares: np.ndarray  # shares outstanding, start-of-window units (buybacks/dilution)


def equity_paths(
    cfg: SandboxConfig,
    uni: Universe,
    sessions: np.ndarray,
    factors: Factors,
    *,
    earnings_idx: np.ndarray,
    earnings_gap: np.ndarray,
    share_drift: np.ndarray,
) -> EquityPaths:
    """Simulate every equity's path.

    ``earnings_idx`` is ``(N, Q)`` session indices of earnings gaps (``-1`` if none),
    ``earnings_gap`` the log-return gap on each; ``share_drift`` the annual log change
    of shares outstanding (negative for buybacks).
    """
    rng = stream(cfg.seed, "equities")
    n_t, n = len(sessions), uni.n
    daily_idio = uni.idio_vol / math.sqrt(DAYS_PER_YEAR)
    z = std_t(rng, IDIO_DF, (n_t, n), clip=SHOCK_CLIP)
    idio, idio_sigma = garch(z, daily_idio, alpha=0.06, persistence=0.97)
    del z
    cap_moves(idio, daily_idio, IDIO_CAP)
    idio *= (1.0 + 0.35 * (factors.regime_vol - 1.0))[:, None]

    # Faster growers earn more; a small equity premium over the market factor.
    # The (T, N) sums are built in place: every temporary of this size costs ~40 MB
    # of fresh pages.
    alpha = (0.45 * (uni.growth - 0.06) - 0.5 * uni.idio_vol**2 * 0.3) / DAYS_PER_YEAR
    diffusive = idio
    diffusive += alpha[None, :]
    diffusive += uni.beta[None, :] * factors.market[:, None]
    sector_part = factors.sectors[:, uni.sector]
    sector_part *= uni.sector_loading[None, :]
    diffusive += sector_part
    del sector_part

    valid = earnings_idx >= 0
    rows = earnings_idx[valid]
    cols = np.broadcast_to(np.arange(n)[:, None], earnings_idx.shape)[valid]

    # Squeeze-prone names get one violent squeeze (+120% in ~3 weeks, half given back).
    squeeze = np.flatnonzero(uni.squeeze)
    if len(squeeze):
        when = rng.integers(int(0.15 * n_t), int(0.9 * n_t), len(squeeze))
        for col, t0 in zip(squeeze, when, strict=True):
            diffusive[t0 : t0 + 15, col] += math.log(2.2) / 15
            diffusive[t0 + 15 : t0 + 45, col] -= math.log(2.2 / 1.6) / 30

    # A blow-off day beyond the cap (a stressed high-vol name on a crash day) is cut
    # back: real single-stock days past -30% / +40% come with news, i.e. earnings.
    np.clip(diffusive, -MAX_DAILY_MOVE, MAX_DAILY_MOVE, out=diffusive)
    returns = diffusive
    # One report per quarter: the (session, stock) pairs are distinct.
    returns[rows, cols] += earnings_gap[valid]
    # Overnight part: a quarter of the diffusive move plus all of the earnings gap.
    # Small noise terms are drawn in float32: half the cost, ample precision.
    gap = np.multiply(
        rng.standard_normal((n_t, n), dtype=np.float32),
        (0.6 * daily_idio)[None, :],
        dtype=np.float64,
    )
    gap += returns
    gap *= 0.25  # = 0.15 idio-vol noise + a quarter of the day's move
    gap[rows, cols] += 0.75 * earnings_gap[valid]
    close = np.cumsum(returns, axis=0)
    close += np.log(uni.price0)[None, :]
    np.exp(close, out=close)
    open_ = np.exp(gap, out=gap)
    open_[0] *= uni.price0
    open_[1:] *= close[:-1]
    day_sigma = np.square(idio_sigma, out=idio_sigma)
    day_sigma += (uni.beta**2)[None, :] * factors.market_sigma[:, None] ** 2
    np.sqrt(day_sigma, out=day_sigma)
    # Wicks beyond the open-close body: exponential, scaled by the day's volatility
    # (1 + x for exp(x): the wicks are a fraction of a percent).
    wick_scale = (0.35 * day_sigma).astype(np.float32)
    wick = rng.standard_exponential((n_t, n), dtype=np.float32)
    wick *= wick_scale
    wick += 1.0
    high = np.maximum(open_, close)
    high *= wick
    wick = rng.standard_exponential((n_t, n), dtype=np.float32, out=wick)
    wick *= wick_scale
    wick += 1.0
    low = np.minimum(open_, close)
    low /= wick
    del wick, wick_scale

    years = (np.arange(n_t) / DAYS_PER_YEAR)[:, None]
    shares = share_drift[None, :] * years
    np.exp(shares, out=shares)
    shares *= (uni.mcap0 / uni.price0)[None, :]
    # Volume: turnover of shares outstanding, higher on big moves, earnings and in
    # stressed markets; lognormal day-to-day noise.
    activity = returns - alpha[None, :]
    np.abs(activity, out=activity)
    activity /= day_sigma
    np.minimum(activity, 5.0, out=activity)
    activity *= 0.45
    noise = rng.standard_normal((n_t, n), dtype=np.float32)
    noise *= np.float32(0.3)
    activity += noise
    del noise
    activity += (0.5 * np.log(factors.regime_vol) - 0.405)[:, None]
    np.exp(activity, out=activity)
    activity[rows, cols] *= 2.5
    activity *= shares
    activity *= uni.turnover[None, :]
    volume = activity
    return EquityPaths(open_, high, low, close, volume, returns, shares)
