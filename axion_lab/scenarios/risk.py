"""What each instrument is exposed to, estimated from the market's own history.

:func:`build_risk_model` returns one row per symbol with its price, beta to the
market proxy, volatility, sector, style-factor z-scores, bond duration/convexity
and credit class, and trailing dividends; plus the daily total-return panel the
estimates came from (for portfolio volatility and proxies).

Estimation choices (why):

* Returns are **total-return** (dividends reinvested, splits removed), from
  :meth:`~axion_lab.data.Market.adjusted_bars`, so an ex-dividend drop is not a loss.
* Beta is the OLS slope of daily returns on the market proxy's (``AX500`` by
  default, else the equal-weighted average equity) over ``lookback_days``,
  needing at least :data:`MIN_OBSERVATIONS` common sessions. Short histories get
  the median beta of their sector (or asset class) and say so in ``beta_source``.
* Style factors are cross-sectional z-scores over all equities, clipped to ±3:
  ``size`` log market cap, ``value`` book-to-price, ``momentum`` 12-1 month return,
  ``quality`` trailing-4-quarter ROE, ``dividend_yield`` trailing 12-month dividends
  over price, ``low_volatility`` minus one-year volatility. Non-equities score 0.
* Bonds and bond funds use the instruments' ``duration`` column (modified
  duration, years) and ``convexity`` when present, else ``duration²``, which is
  exact for a zero-coupon bond under continuous compounding and close for bullets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import DataError, DateRangeError, InputError
from axion_lab.scenarios.config import (
    DEFAULT_LOOKBACK_DAYS,
    DEFAULT_MARKET_PROXY,
    FACTORS,
    TRADING_DAYS,
)

__all__ = [
    "MARKET",
    "MIN_OBSERVATIONS",
    "RiskModel",
    "build_risk_model",
    "credit_class",
    "factor_scores",
    "price_panel",
    "resolve_as_of",
]

MIN_OBSERVATIONS = 60
MARKET = "__market__"
_Z_CLIP = 3.0


def resolve_as_of(market: Market, as_of: DateLike | None) -> dt.date:
    """``as_of`` checked against the market, or its last session; the session on/before."""
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return market.end
    day = market.check_date(as_of, what="as-of date")
    days = market.trading_days.filter(market.trading_days <= day)
    if days.is_empty():
        raise DateRangeError(f"No session on or before {day}; the market starts {market.start}.")
    value = days[-1]
    assert isinstance(value, dt.date)
    return value


def price_panel(
    market: Market,
    symbols: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    adjust: str = "total",
) -> pl.DataFrame:
    """Closes of ``symbols`` from ``start`` to ``end``: a ``date`` column, one per symbol.

    ``adjust="total"``: total-return closes (for returns); ``"none"``: as traded.
    Sessions a symbol did not trade (not listed yet) are null.
    """
    syms = list(dict.fromkeys(symbols))
    sliced = _sliced(market, syms, start, end)
    bars = sliced.adjusted_bars("total") if adjust == "total" else sliced.bars
    long = bars.select(pl.col("ts").dt.date().alias("date"), "symbol", "close")
    days = market.trading_days.filter(market.trading_days.is_between(start, end))
    wide = long.pivot(on="symbol", index="date", values="close", aggregate_function="last")
    frame = pl.DataFrame({"date": days}).join(wide, on="date", how="left")
    missing = [s for s in syms if s not in frame.columns]
    if missing:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(s) for s in missing)
    return frame.select("date", *syms).sort("date")


def _sliced(market: Market, symbols: Sequence[str], start: dt.date, end: dt.date) -> Market:
    """The market with only ``symbols``' bars from ``start`` to ``end``.

    Adjusting this slice gives the same returns inside the window as adjusting the
    whole history: a split or dividend after the window only rescales every
    price in it by one constant, and one on the window's first day only touches
    prices before it. Slicing first makes the adjustment proportional to the
    window instead of the whole history.
    """
    # Compare timestamps, not .dt.date(): no per-row conversion of millions of bars.
    lo = dt.datetime.combine(start, dt.time())
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    bars = market.bars.filter(
        pl.col("ts") >= lo, pl.col("ts") < hi, pl.col("symbol").is_in(list(symbols))
    )
    return dataclasses.replace(market, bars=bars)


def credit_class(
    asset_class: str | None, industry: str | None, name: str | None
) -> tuple[str, float]:
    """Credit bucket (``none``/``ig``/``hy``) and how much of the holding it covers.

    Corporate bonds are investment grade; high-yield funds ``hy``; investment-grade
    corporate funds ``ig``; aggregate bond funds hold roughly a quarter corporates
    (the Bloomberg US Aggregate's corporate share), so ``ig`` at 0.25; Treasuries
    carry no credit spread.

    >>> credit_class("bond", "Corporate bond", "Acme 2030 Notes")
    ('ig', 1.0)
    >>> credit_class("etf", "ETF - Fixed Income", "Axiom High Yield Bond ETF")
    ('hy', 1.0)
    """
    text = f"{industry or ''} {name or ''}".lower()
    if "treasury" in text:
        return "none", 0.0
    if "high yield" in text or "high-yield" in text:
        return "hy", 1.0
    if asset_class == "bond" and "corporate" in text:
        return "ig", 1.0
    if "investment grade" in text or "corporate" in text:
        return "ig", 1.0
    if "aggregate" in text:
        return "ig", 0.25
    return "none", 0.0


def _zscore(values: pl.Expr) -> pl.Expr:
    return ((values - values.mean()) / values.std()).clip(-_Z_CLIP, _Z_CLIP).fill_nan(None)


def factor_scores(market: Market, as_of: dt.date) -> pl.DataFrame:
    """Style-factor z-scores of every equity as of ``as_of`` (see the module docstring)."""
    equities = market.instruments.filter(pl.col("asset_class") == "equity")["symbol"].to_list()
    start = as_of - dt.timedelta(days=380)
    bars = (
        _sliced(market, equities, max(start, market.start), as_of)
        .adjusted_bars("split")
        .select("symbol", pl.col("ts").dt.date().alias("date"), "close")
        .sort("symbol", "date")
    )
    month_ago = as_of - dt.timedelta(days=30)
    px = bars.group_by("symbol").agg(
        pl.col("close").last().alias("price"),
        pl.col("close").first().alias("first"),
        pl.col("close").filter(pl.col("date") <= month_ago).last().alias("month_ago"),
        (pl.col("close").pct_change().std() * math.sqrt(TRADING_DAYS)).alias("vol"),
    )
    raw_px = (
        _sliced(market, equities, max(start, market.start), as_of)
        .bars.sort("ts")
        .group_by("symbol")
        .agg(pl.col("close").last().alias("raw_price"))
    )
    fund = (
        market.fundamentals.filter(pl.col("published") <= as_of)
        .sort("symbol", "period_end")
        .group_by("symbol")
        .agg(
            pl.col("shares_outstanding").last(),
            pl.col("shareholders_equity").last(),
            pl.col("net_income").tail(4).sum().alias("ni_ttm"),
        )
    )
    divs = (
        market.dividends.filter(pl.col("ex_date").is_between(as_of - dt.timedelta(days=365), as_of))
        .group_by("symbol")
        .agg(pl.col("amount").sum().alias("dps"))
    )
    frame = (
        pl.DataFrame({"symbol": equities})
        .join(px, on="symbol", how="left")
        .join(raw_px, on="symbol", how="left")
        .join(fund, on="symbol", how="left")
        .join(divs, on="symbol", how="left")
        .with_columns(
            (pl.col("raw_price") * pl.col("shares_outstanding")).alias("mcap"),
            pl.col("dps").fill_null(0.0),
        )
        .with_columns(
            pl.when(pl.col("mcap") > 0).then(pl.col("mcap").log()).alias("size"),
            (pl.col("shareholders_equity") / pl.col("mcap")).alias("value"),
            (pl.col("month_ago") / pl.col("first") - 1.0).alias("momentum"),
            pl.when(pl.col("shareholders_equity") > 0)
            .then(pl.col("ni_ttm") / pl.col("shareholders_equity"))
            .alias("quality"),
            (pl.col("dps") / pl.col("raw_price")).alias("dividend_yield"),
            (-pl.col("vol")).alias("low_volatility"),
        )
    )
    return frame.select("symbol", *(_zscore(pl.col(f)).fill_null(0.0).alias(f) for f in FACTORS))


@dataclasses.dataclass(frozen=True, eq=False)
class RiskModel:
    """Per-symbol exposures and the daily total-return panel they came from.

    ``exposures`` columns: symbol, name, asset_class, sector, price (last close as
    traded), beta, beta_source, volatility (annualised), duration, convexity,
    credit (``none``/``ig``/``hy``), credit_share, dps (trailing 12-month
    dividends per share), first_date (first bar), and one column per factor.
    ``returns``: ``date``, :data:`MARKET`, and one column per symbol.
    """

    as_of: dt.date
    start: dt.date
    market_proxy: str
    exposures: pl.DataFrame
    returns: pl.DataFrame

    def require(self, symbols: Sequence[str]) -> None:
        """Raise if any symbol has no price as of the model's date."""
        priced = set(self.exposures.filter(pl.col("price").is_not_null())["symbol"].to_list())
        missing = [s for s in symbols if s not in priced]
        if missing:
            raise DataError(
                f"No price on or before {self.as_of} for {', '.join(missing)}: not listed yet. "
                "Pick a later as_of date or remove the holding."
            )

    def column(self, name: str) -> dict[str, float]:
        """``{symbol: value}`` of one exposure column (nulls as NaN)."""
        rows = self.exposures.select("symbol", name).rows()
        return {s: (math.nan if v is None else float(v)) for s, v in rows}

    def portfolio_returns(self, weights: Mapping[str, float]) -> np.ndarray:
        """Daily returns of fixed ``weights`` (cash earns 0); gaps filled by beta x market."""
        market = self.returns[MARKET].to_numpy()
        beta = self.column("beta")
        out = np.zeros(len(market))
        for sym, w in weights.items():
            if not w:
                continue
            r = (
                self.returns[sym].to_numpy()
                if sym in self.returns.columns
                else np.full_like(market, np.nan)
            )
            b = beta.get(sym, 1.0)
            filled = np.where(np.isnan(r), (0.0 if math.isnan(b) else b) * market, r)
            out += w * np.nan_to_num(filled)
        return out

    def portfolio_volatility(self, weights: Mapping[str, float]) -> float:
        """Annualised volatility of a portfolio held at fixed ``weights``."""
        r = self.portfolio_returns(weights)
        return float(np.std(r, ddof=1) * math.sqrt(TRADING_DAYS)) if len(r) > 2 else math.nan


def _market_returns(
    market: Market, proxy: str, panel_start: dt.date, as_of: dt.date
) -> pl.DataFrame:
    if proxy in market.symbols:
        closes = price_panel(market, [proxy], panel_start, as_of, adjust="none")
        return closes.select("date", pl.col(proxy).pct_change().alias(MARKET))
    equities = market.universe(asset_class="equity")
    if not equities:
        raise DataError(
            f"The market has neither the {proxy!r} index nor equities to stand in for the "
            "market; pass market_proxy= with a symbol it has."
        )
    closes = price_panel(market, equities, panel_start, as_of)
    rets = closes.select("date", pl.col(equities).pct_change())
    return rets.select("date", pl.mean_horizontal(equities).alias(MARKET))


def build_risk_model(
    market: Market,
    symbols: Sequence[str],
    *,
    as_of: DateLike | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    market_proxy: str = DEFAULT_MARKET_PROXY,
    factors: pl.DataFrame | None = None,
) -> RiskModel:
    """Estimate exposures of ``symbols`` as of ``as_of`` (see the module docstring).

    ``factors``: precomputed :func:`factor_scores` to reuse across calls.
    """
    if lookback_days < MIN_OBSERVATIONS:
        raise InputError(f"lookback_days must be at least {MIN_OBSERVATIONS}, got {lookback_days}.")
    syms = market.resolve_symbols(symbols) if symbols else []
    day = resolve_as_of(market, as_of)
    days = market.trading_days.filter(market.trading_days <= day)
    panel_start = days[max(0, len(days) - lookback_days - 1)]
    assert isinstance(panel_start, dt.date)
    mret = _market_returns(market, market_proxy, panel_start, day)
    closes = price_panel(market, syms, panel_start, day)
    rets = closes.select("date", *(pl.col(s).pct_change() for s in syms)).join(
        mret, on="date", how="left"
    )
    rets = rets.slice(1)  # the first row has no previous close
    m = rets[MARKET].to_numpy().astype(float)
    betas: list[float] = []
    vols: list[float] = []
    for s in syms:
        r = rets[s].to_numpy().astype(float)
        ok = ~np.isnan(r) & ~np.isnan(m)
        if ok.sum() >= MIN_OBSERVATIONS:
            mm, rr = m[ok], r[ok]
            var = float(np.var(mm, ddof=1))
            betas.append(float(np.cov(rr, mm, ddof=1)[0, 1] / var) if var > 0 else math.nan)
            vols.append(float(np.std(rr, ddof=1) * math.sqrt(TRADING_DAYS)))
        else:
            betas.append(math.nan)
            vols.append(math.nan)
    info = _instrument_info(market, syms, day)
    if factors is None:
        factors = factor_scores(market, day) if syms else pl.DataFrame({"symbol": []})
    exposures = (
        info.with_columns(
            pl.Series("beta", betas, dtype=pl.Float64).fill_nan(None),
            pl.Series("volatility", vols, dtype=pl.Float64).fill_nan(None),
        )
        .join(factors, on="symbol", how="left")
        .with_columns(pl.col(list(FACTORS)).fill_null(0.0) if len(factors.columns) > 1 else [])
    )
    for f in FACTORS:
        if f not in exposures.columns:
            exposures = exposures.with_columns(pl.lit(0.0).alias(f))
    exposures = _fill_betas(exposures)
    return RiskModel(day, panel_start, market_proxy, exposures, rets.select("date", MARKET, *syms))


def _fill_betas(exposures: pl.DataFrame) -> pl.DataFrame:
    group = pl.coalesce(pl.col("sector"), pl.col("asset_class"))
    # Bonds move with rates, not the equity market: their market beta is not
    # extrapolated from peers when their own history is short.
    default = pl.when(pl.col("duration").is_not_null()).then(0.0).otherwise(1.0)
    return exposures.with_columns(
        pl.when(pl.col("beta").is_not_null())
        .then(pl.lit("history"))
        .when(pl.col("beta").median().over(group).is_not_null())
        .then(pl.lit("peer median"))
        .otherwise(pl.lit("default"))
        .alias("beta_source"),
        pl.coalesce(pl.col("beta"), pl.col("beta").median().over(group), default).alias("beta"),
    )


def _instrument_info(market: Market, syms: Sequence[str], day: dt.date) -> pl.DataFrame:
    inst = market.instruments
    cols = inst.columns
    basket = pl.col("etf_basket") if "etf_basket" in cols else pl.lit(None, dtype=pl.String)
    duration = pl.col("duration") if "duration" in cols else pl.lit(None, dtype=pl.Float64)
    convexity = pl.col("convexity") if "convexity" in cols else duration * duration
    frame = inst.filter(pl.col("symbol").is_in(list(syms))).select(
        "symbol",
        "name",
        "asset_class",
        "industry",
        pl.coalesce(
            pl.col("sector"),
            pl.when(basket.str.starts_with("sector:")).then(basket.str.slice(7)),
        ).alias("sector"),
        duration.cast(pl.Float64).alias("duration"),
        convexity.cast(pl.Float64).alias("convexity"),
    )
    credit = [
        credit_class(a, i, n)
        for a, i, n in frame.select("asset_class", "industry", "name").iter_rows()
    ]
    last = (
        _sliced(market, syms, market.start, day)
        .bars.sort("ts")
        .group_by("symbol")
        .agg(
            pl.col("close").last().alias("price"),
            pl.col("ts").first().dt.date().alias("first_date"),
        )
    )
    divs = (
        market.dividends.filter(
            pl.col("symbol").is_in(list(syms)),
            pl.col("ex_date").is_between(day - dt.timedelta(days=365), day),
        )
        .group_by("symbol")
        .agg(pl.col("amount").sum().alias("dps"))
    )
    frame = (
        frame.with_columns(
            pl.Series("credit", [c for c, _ in credit], dtype=pl.String),
            pl.Series("credit_share", [w for _, w in credit], dtype=pl.Float64),
        )
        .drop("industry")
        .join(last, on="symbol", how="left")
        .join(divs, on="symbol", how="left")
        .with_columns(pl.col("dps").fill_null(0.0))
    )
    order = pl.DataFrame({"symbol": list(syms)})
    return order.join(frame, on="symbol", how="left")
