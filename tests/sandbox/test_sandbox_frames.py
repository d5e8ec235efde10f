"""The sandbox market has every frame, instrument kind and attribute the engines need."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from axion_lab.data.sandbox.names import REAL_TICKERS
from axion_lab.data.schema import (
    ASSET_CLASSES,
    DIVIDEND_FREQUENCIES,
    FRAME_NAMES,
    GICS_SECTORS,
    SCHEMAS,
)


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_every_frame_has_the_canonical_columns_and_rows(market, name: str) -> None:
    frame: pl.DataFrame = getattr(market, name)
    assert frame.height > 0
    for col, dtype in SCHEMAS[name].items():
        assert frame.schema[col] == dtype, (name, col)


def test_market_metadata(market) -> None:
    assert market.provider == "sandbox"
    assert market.is_synthetic
    assert market.seed == 42
    assert market.description == "Sandbox: synthetic market of fictional companies (seed 42)"
    assert market.instruments["is_fictional"].all()
    assert market.end == dt.date(2026, 10, 30)
    assert (market.end - market.start).days > 11 * 365


def test_equity_universe_covers_sectors_industries_exchanges(market) -> None:
    eq = market.instruments.filter(pl.col("asset_class") == "equity")
    assert eq.height >= 1500
    assert set(eq["sector"]) == set(GICS_SECTORS)
    per_sector = eq.group_by("sector").agg(pl.col("industry").n_unique())
    assert per_sector["industry"].min() >= 3
    exchanges = set(eq["exchange"])
    assert {"NYSE", "NASDAQ"} <= exchanges
    assert len(exchanges - {"NYSE", "NASDAQ", "NYSE American"}) >= 2  # non-US listings
    assert eq["country"].n_unique() >= 5


def test_other_asset_classes_are_present(market) -> None:
    counts = dict(market.instruments.group_by("asset_class").len().iter_rows())
    assert set(counts) == set(ASSET_CLASSES)
    assert counts["etf"] >= 18
    sector_etfs = market.instruments.filter(pl.col("industry") == "ETF - Sector")
    assert set(sector_etfs["sector"]) == set(GICS_SECTORS)
    bonds = market.instruments.filter(pl.col("asset_class") == "bond")
    assert bonds.select("coupon", "maturity", "duration").null_count().sum_horizontal().item() == 0
    assert (bonds["maturity"] > market.end).all()


def test_tickers_are_fictional_unique_and_well_formed(market) -> None:
    eq = market.instruments.filter(pl.col("asset_class") == "equity")
    symbols = eq["symbol"].to_list()
    assert len(set(symbols)) == len(symbols)
    assert all(re.fullmatch(r"[A-Z]{2,5}", s) for s in symbols)
    assert not set(market.symbols) & REAL_TICKERS
    # Names are generated words plus a sector suffix, all distinct.
    assert eq["name"].n_unique() == eq.height


def test_some_equities_list_inside_the_window(market) -> None:
    eq = market.instruments.filter(pl.col("asset_class") == "equity")
    late = eq.filter(pl.col("ipo_date") > market.start)
    assert late.height >= 50
    first_bar = market.bars.group_by("symbol").agg(pl.col("ts").min().dt.date().alias("first"))
    joined = late.join(first_bar, on="symbol")
    assert (joined["first"] >= joined["ipo_date"]).all()
    assert (joined["first"] > market.start).all()


def test_index_membership_is_point_in_time_with_reconstitution(market) -> None:
    im = market.index_membership
    assert set(im["index"]) == {"AX500", "AX400", "AX600"}
    for index, seats in (("AX500", 500), ("AX400", 400), ("AX600", 600)):
        current = im.filter((pl.col("index") == index) & pl.col("end").is_null())
        assert current.height == seats
        at_start = im.filter(
            (pl.col("index") == index)
            & (pl.col("start") <= market.start)
            & (pl.col("end").is_null() | (pl.col("end") > market.start))
        )
        assert at_start.height == seats
        changes = im.filter((pl.col("index") == index) & (pl.col("start") > market.start))
        assert changes["start"].n_unique() >= 20, "additions should happen at many rebalances"
    # No company is in two AX indexes on the same day.
    day = dt.date(2021, 6, 30)
    live = im.filter((pl.col("start") <= day) & (pl.col("end").is_null() | (pl.col("end") > day)))
    assert live["symbol"].is_unique().all()
    # `indexes` on instruments is the current membership.
    inst = market.instruments.filter(pl.col("indexes").list.contains("AX500"))
    assert inst.height == 500


def test_index_ranks_by_size(market) -> None:
    last = market.bars.filter(pl.col("ts") == pl.col("ts").max()).select("symbol", "close")
    shares = (
        market.fundamentals.sort("period_end")
        .group_by("symbol")
        .agg(pl.col("shares_outstanding").last())
    )
    caps = last.join(shares, on="symbol").with_columns(
        cap=pl.col("close") * pl.col("shares_outstanding")
    )
    inst = market.instruments.select("symbol", "indexes").join(caps, on="symbol")
    med = {
        idx: inst.filter(pl.col("indexes").list.contains(idx))["cap"].median()
        for idx in ("AX500", "AX400", "AX600")
    }
    assert med["AX500"] > 2 * med["AX400"] > 4 * med["AX600"]


def test_dividend_frequencies_all_present(market) -> None:
    assert set(market.dividends["frequency"]) == set(DIVIDEND_FREQUENCIES)
    assert set(market.dividends["kind"]) == {"regular", "special"}
