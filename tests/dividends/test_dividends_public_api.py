"""The dividends package's curated public surface."""

from __future__ import annotations

import subprocess
import sys

import axion_lab.dividends as dividends
import axion_lab.panels as panels


def test_all_is_curated_and_importable() -> None:
    assert sorted(dividends.__all__) == dividends.__all__
    for name in dividends.__all__:
        assert getattr(dividends, name) is not None
    for name in (
        "DividendCalendar",
        "IncomeProjector",
        "SafetyAnalyzer",
        "GrowthAnalyzer",
        "DRIPSimulator",
        "TaxAnalyzer",
        "DividendEvent",
        "DividendHolding",
        "PortfolioIncome",
        "DividendFrequency",
        "SafetyRating",
    ):
        assert name in dividends.__all__
    assert [f.name for f in dividends.DividendFrequency] == [
        "MONTHLY",
        "QUARTERLY",
        "SEMI_ANNUAL",
        "ANNUAL",
    ]
    assert [r.name for r in dividends.SafetyRating] == [
        "VERY_SAFE",
        "SAFE",
        "BORDERLINE",
        "UNSAFE",
        "CUT_RISK",
    ]
    assert "DripPanel" in panels.__all__


def test_importing_does_not_pull_in_heavy_modules() -> None:
    code = (
        "import sys, axion_lab.dividends, axion_lab.panels.drip; "
        "print([m for m in ('matplotlib', 'ipywidgets', 'pandas') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
