"""Fixtures for the indicator tests (data built in ``indicator_data``)."""

from __future__ import annotations

import polars as pl
import pytest
from indicator_data import PANEL_SPEC, make_bars


@pytest.fixture(scope="module")
def panel_bars() -> pl.DataFrame:
    """Five symbols with gaps in coverage, shuffled rows (as an unsorted provider might)."""
    return make_bars(PANEL_SPEC).sample(fraction=1.0, shuffle=True, seed=3)


@pytest.fixture(scope="module")
def flat_bars() -> pl.DataFrame:
    return make_bars({"FLAT": (0, 80), "AAA": (0, 80)}, flat=("FLAT",))
