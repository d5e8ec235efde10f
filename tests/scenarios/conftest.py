"""Fixtures for the scenario tests; the hand-made market lives in ``scenario_data``."""

from __future__ import annotations

from scenario_data import small_market

__all__ = ["small_market"]
