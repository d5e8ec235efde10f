"""Shared scanner fixtures: a slice of the sandbox market."""

from __future__ import annotations

import polars as pl
import pytest


@pytest.fixture(scope="module")
def bars(market) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    """Daily bars of 25 sandbox equities over about three years, rows with a
    non-positive price dropped (the sandbox is being fixed for those right now)."""
    symbols = market.universe()[:25]
    frame = market.bars_for(symbols, start="2021-01-04", end="2023-12-29")
    return frame.filter(pl.min_horizontal("open", "high", "low", "close") > 0)
