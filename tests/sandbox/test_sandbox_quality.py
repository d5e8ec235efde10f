"""The sandbox passes the project's own data-quality checks, with realistic tails."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from axion_lab.data.quality import Severity, check_market

CRASH = (dt.date(2020, 2, 20), dt.date(2020, 4, 30))


@pytest.fixture(scope="module")
def findings(market) -> pl.DataFrame:
    return check_market(market).to_frame()


def test_no_errors_and_no_stale_prices(findings: pl.DataFrame) -> None:
    assert findings.filter(pl.col("severity") == Severity.ERROR.value).height == 0
    assert findings.filter(pl.col("check") == "stale_prices").height == 0


def test_outliers_are_few_and_on_single_stocks_at_earnings_or_the_crash(
    market, findings: pl.DataFrame
) -> None:
    out = findings.filter(pl.col("check") == "outlier_return")
    assert 0 < out.height <= 300
    kinds = out.join(market.instruments.select("symbol", "asset_class"), on="symbol")
    assert set(kinds["asset_class"]) == {"equity"}, "no index, ETF or other asset"
    # The session after a report (the earnings gap) or the crash.
    sessions = market.trading_days
    gap_days = market.fundamentals.select(
        "symbol",
        day=pl.col("published").map_batches(
            lambda s: sessions.gather(
                np.searchsorted(sessions.to_numpy(), s.to_numpy(), side="right").clip(
                    0, len(sessions) - 1
                )
            )
        ),
        earnings=pl.lit(True),
    )
    explained = out.join(
        gap_days, left_on=["symbol", "start"], right_on=["symbol", "day"], how="left"
    ).with_columns(crash=pl.col("start").is_between(*CRASH))
    other = explained.filter(pl.col("earnings").is_null() & ~pl.col("crash"))
    assert other.height <= 0.05 * out.height, other


def test_daily_moves_are_capped(market) -> None:
    r = (
        market.adjusted_bars("split")
        .sort("symbol", "ts")
        .with_columns(r=pl.col("close").log().diff().over("symbol"))
        .join(market.instruments.select("symbol", "asset_class"), on="symbol")
        .group_by("asset_class")
        .agg(pl.col("r").abs().max())
    )
    worst = dict(r.iter_rows())
    assert worst["index"] < 0.08  # no +22% index day
    assert worst["etf"] < 0.12
    assert worst["equity"] < 0.6  # a capped diffusive day plus a capped earnings gap


def test_trailing_pe_of_profitable_companies_is_plausible(market) -> None:
    splits = market.splits
    for day in (dt.date(2017, 6, 30), dt.date(2021, 6, 30), market.end):
        reports = market.fundamentals.filter(pl.col("published") <= day).sort("period_end")
        ttm = (
            reports.group_by("symbol")
            .tail(4)
            .group_by("symbol")
            .agg(
                pl.col("eps").sum(),
                pl.len().alias("n"),
                pl.col("period_end").max().alias("since"),
            )
            .filter(pl.col("n") == 4, pl.col("eps") > 0)
        )
        # Per-share figures are as reported: leave out companies that split since.
        split_since = ttm.join(splits, on="symbol").filter(
            (pl.col("ex_date") > pl.col("since")) & (pl.col("ex_date") <= day)
        )["symbol"]
        price = market.bars.filter(pl.col("ts").dt.date() == day).select("symbol", "close")
        pe = (
            ttm.filter(~pl.col("symbol").is_in(split_since.implode()))
            .join(price, on="symbol")
            .select(pe=pl.col("close") / pl.col("eps"))["pe"]
        )
        assert pe.len() > 1000
        lo, hi = pe.quantile(0.05), pe.quantile(0.95)
        assert lo is not None
        assert hi is not None
        assert lo >= 3.0, (day, lo)
        assert hi <= 80.0, (day, hi)
        assert 10.0 <= pe.median() <= 30.0


def test_sector_baskets_cap_one_company_weight() -> None:
    from types import SimpleNamespace

    from axion_lab.data.sandbox.build import SECTOR_WEIGHT_CAP, _cap_sector_weights

    rng = np.random.default_rng(3)
    n_t, n = 50, 40
    sector = np.arange(n) % 2
    weight = rng.uniform(1.0, 2.0, (n_t, n))
    weight[:, 0] = 60.0  # half of sector 0 on its own
    weight[:, 2] = 6.0  # over the cap once company 0 is capped
    simple = rng.normal(0, 0.01, (n_t, n))
    onehot = (sector[:, None] == np.arange(2)[None, :]).astype(float)
    num, den = (weight * simple) @ onehot, weight @ onehot
    _cap_sector_weights(SimpleNamespace(sector=sector), weight, simple, num, den, first=0)
    # Reference: the capped weights by brute force (many passes over every company).
    capped = weight.copy()
    for _ in range(100):
        capped = np.minimum(weight, SECTOR_WEIGHT_CAP * (capped @ onehot)[:, sector])
    np.testing.assert_allclose(den, capped @ onehot, rtol=1e-6)
    np.testing.assert_allclose(num, (capped * simple) @ onehot, rtol=1e-6, atol=1e-12)
    share = capped / (capped @ onehot)[:, sector]
    assert share.max() <= SECTOR_WEIGHT_CAP * (1 + 1e-6)
