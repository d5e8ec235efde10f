"""Fixtures of the dividend tests: the hand-made market of ``dividend_data``."""

from __future__ import annotations

import pytest
from dividend_data import tiny_frames

from axion_lab.data import Market


@pytest.fixture(scope="session")
def tiny() -> Market:
    """The hand-made market described in ``dividend_data``."""
    return Market.from_frames(tiny_frames(), provider="tiny", description="hand-made test market")
