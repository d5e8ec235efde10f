"""Dividend CAGR, raise streaks (robust to splits and specials) and tiers."""

from __future__ import annotations

import pytest

from axion_lab.data import Market
from axion_lab.dividends import GrowthAnalyzer
from axion_lab.exceptions import InputError


def test_streak_and_cagr_through_a_split_and_a_special(tiny: Market) -> None:
    report = GrowthAnalyzer(tiny).analyze("CCC")
    row = report.to_frame().row(0, named=True)
    # Rates in today's shares (2021 split halves earlier amounts): 2015 .50, .55, .60,
    # 2018 .60 (flat: breaks the streak), .65, .70, 2021 .75, .80 (the 5.00 special is
    # ignored), 2023 .85; 2024 .90 already raised. Raises 2019-2023 = 5, plus 2024 = 6.
    assert row["streak"] == 6
    assert row["streak_capped"] is False
    assert row["tier"] == "contender"  # 5+ years by default
    assert row["cagr_1y"] == pytest.approx(0.85 / 0.80 - 1)
    assert row["cagr_3y"] == pytest.approx((0.85 / 0.70) ** (1 / 3) - 1)
    assert row["cagr_5y"] == pytest.approx((0.85 / 0.60) ** (1 / 5) - 1)
    assert row["cagr_10y"] is None  # no 2013 in the data


def test_custom_tiers(tiny: Market) -> None:
    report = GrowthAnalyzer(tiny).analyze(["CCC", "AAA"], tiers=[("steady", 6), ("new", 1)])
    tiers = dict(report.growth.select("symbol", "tier").iter_rows())
    # AAA: 2023 is its first year; 2024 (0.56 a year) beats 2023 (0.52): streak 1.
    assert tiers == {"CCC": "steady", "AAA": "new"}
    with pytest.raises(InputError, match="minimum streak"):
        GrowthAnalyzer(tiny).analyze("CCC", tiers=[("bad", 0)])
