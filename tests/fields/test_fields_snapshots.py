"""``build_snapshots`` (many dates at once) against ``build_snapshot`` (one date),
field by field, on the hand-made market and on a sample of every category of the
sandbox. The one intended difference is the indicator warm-up (full history vs the
last 320 bars): path-dependent indicators are compared to a tolerance, OBV (a
running sum) is excluded, and a technical value may exist in the batch where the
320-bar snapshot has none."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data.market import Market
from axion_lab.exceptions import InputError
from axion_lab.fields import (
    FIELD_REGISTRY,
    PATH_DEPENDENT_INDICATORS,
    build_snapshot,
    build_snapshots,
)


def _tolerance(fid: str) -> float | None:
    """Relative tolerance for a field; None: not compared (a running sum's level)."""
    spec = FIELD_REGISTRY.get(fid)
    if spec.indicator is None:
        return 1e-9 if spec.dtype == "float" else 0.0
    if spec.indicator.name == "obv":
        return None
    return 1e-6 if spec.indicator.name in PATH_DEPENDENT_INDICATORS else 1e-9


def _same(market: Market, days: list[dt.date], fields: list[str]) -> None:
    batch = build_snapshots(market, days, fields=fields)
    assert batch.columns == ["date", "symbol", *fields]
    for day in days:
        one = build_snapshot(market, as_of=day, fields=fields)
        got = batch.filter(pl.col("date") == day).drop("date")
        assert got["symbol"].to_list() == one["symbol"].to_list(), day
        for fid in fields:
            tol = _tolerance(fid)
            if tol is None:
                continue
            a, e = got[fid], one[fid]
            if a.dtype != pl.Float64:
                assert a.to_list() == e.to_list(), (day, fid)
                continue
            technical = FIELD_REGISTRY.get(fid).source in ("technical", "derived")
            both = a.is_not_null() & e.is_not_null()
            close = ((a - e).abs() <= tol * e.abs() + 1e-12).fill_null(False)
            assert (close | ~both).all(), (day, fid)
            # Null in the batch only where the single snapshot is null too; the batch may
            # have a technical value the 320-bar window lacks, never a fundamental one.
            assert (a.is_not_null() | e.is_null()).all(), (day, fid)
            if not technical:
                assert (a.is_null() == e.is_null()).all(), (day, fid)


def test_every_field_agrees_on_the_hand_made_market(tiny_market: Market) -> None:
    days = [dt.date(2024, 1, 12), dt.date(2024, 2, 29), dt.date(2024, 6, 28)]  # around B's split
    _same(tiny_market, days, [f for f in FIELD_REGISTRY.ids if f != "symbol"])


@pytest.mark.slow
def test_a_sample_of_every_category_agrees_on_the_sandbox(market: Market) -> None:
    by_category: dict[str, list[str]] = {}
    for fid in FIELD_REGISTRY.ids:
        f = FIELD_REGISTRY.get(fid)
        if fid != "symbol":
            by_category.setdefault(str(f.category), []).append(fid)
    sample = [fid for ids in by_category.values() for fid in ids[:4]]
    sample += ["ret_126", "sma_50", "rsi_14", "atr_14", "price_vs_sma_200", "indexes"]
    days = [dt.date(2019, 6, 28), dt.date(2022, 3, 31), dt.date(2025, 12, 31)]
    _same(market, days, list(dict.fromkeys(sample)))


def test_split_restates_price_indicators_to_each_dates_basis(tiny_market: Market) -> None:
    # B trades at 100 before its 2-for-1 split on 2024-01-15 and at 50 after: its SMA is
    # 100 on the day before, 50 once 20 sessions have passed, on either path.
    snaps = build_snapshots(
        tiny_market, [dt.date(2024, 1, 12), dt.date(2024, 6, 28)], fields=["sma_20"], symbols=["B"]
    )
    assert snaps["sma_20"].to_list() == pytest.approx([100.0, 50.0])


def test_no_dates_is_an_error(tiny_market: Market) -> None:
    with pytest.raises(InputError, match="at least one date"):
        build_snapshots(tiny_market, [])


def test_dates_before_a_restricted_symbol_lists_have_no_rows(market: Market) -> None:
    # A bundle restricted to a symbol listed mid-history keeps the bundle's calendar:
    # dates before its listing are valid, simply without rows, for batched and
    # per-date sources alike.
    late = market.instruments.filter(
        pl.col("asset_class") == "equity", pl.col("ipo_date") > market.start + dt.timedelta(400)
    ).sort("ipo_date")
    symbol, ipo = late["symbol"][0], late["ipo_date"][0]
    only = market.restrict([symbol])
    assert only.start == market.start
    assert only.trading_days.equals(market.trading_days)
    before, after = ipo - dt.timedelta(days=60), ipo + dt.timedelta(days=60)
    fields = ["price", "sector", "pe_ratio", "dividend_yield"]
    assert build_snapshots(only, [before], fields=fields).height == 0
    both = build_snapshots(only, [before, after], fields=fields)
    assert both["date"].to_list() == [after]
    assert both["symbol"].to_list() == [symbol]
    one = build_snapshot(market, as_of=after, fields=fields, symbols=[symbol])
    assert both.drop("date").equals(one)
