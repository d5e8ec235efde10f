"""The public surface, the hit shape, result conversions and the hit chart."""

from __future__ import annotations

import dataclasses

import pandas as pd
import polars as pl
import pytest

import axion_lab.scanner as scanner_pkg
from axion_lab.scanner import (
    HIT_SCHEMA,
    PRESET_SCANNERS,
    PatternDetector,
    ScanCategory,
    ScanHit,
    ScannerEngine,
    SignalStrength,
    plot_hit,
    preset_table,
)


def test_all_is_curated_and_importable() -> None:
    assert sorted(scanner_pkg.__all__) == sorted(set(scanner_pkg.__all__))
    for name in scanner_pkg.__all__:
        assert hasattr(scanner_pkg, name), name
    for name in (
        "ScannerEngine",
        "create_scanner",
        "Scanner",
        "ScanCriterion",
        "ScanResult",
        "ScanCategory",
        "SignalStrength",
        "PRESET_SCANNERS",
        "get_preset_scanner",
        "UnusualActivityDetector",
        "PatternDetector",
        "DataFeed",
    ):
        assert name in scanner_pkg.__all__


def test_enums_and_preset_table() -> None:
    assert {c.value for c in ScanCategory} == {"gap", "momentum", "volume", "technical", "pattern"}
    assert SignalStrength.parse("strong") is SignalStrength.STRONG
    assert SignalStrength.WEAK < SignalStrength.MODERATE < SignalStrength.STRONG
    table = preset_table()
    assert [r["name"] for r in table] == list(PRESET_SCANNERS)
    assert all(r["description"] and r["rule"] for r in table)


@pytest.fixture(scope="module")
def result(bars: pl.DataFrame):  # type: ignore[no-untyped-def]
    return ScannerEngine(bars).scan_history(["gap_up", "volume_spike", "chart", "hammer"])


def test_result_is_frozen_with_a_documented_schema(result) -> None:  # type: ignore[no-untyped-def]
    assert dict(result.hits.schema) == HIT_SCHEMA
    assert result.hits.select(pl.col("value").is_nan().any()).item() is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.hits = pl.DataFrame()
    keys = result.hits.select("symbol", "ts", "scanner")
    assert keys.n_unique() == keys.height


def test_conversions_and_html(result) -> None:  # type: ignore[no-untyped-def]
    frame = result.to_frame()
    assert frame is result.hits
    pdf = result.to_pandas()
    assert isinstance(pdf, pd.DataFrame)
    assert len(pdf) == len(result)
    html = result._repr_html_()
    assert "<table>" in html
    assert result.hits["scanner"][0] in html
    counts = result.counts()
    assert counts["total"].sum() == len(result)
    hit = next(iter(result))
    assert isinstance(hit, ScanHit)
    assert hit.to_dict()["ts"] == hit.ts.isoformat()
    strong = result.filter(strength="strong")
    assert set(strong.hits["strength"]) <= {"strong"}


def test_plot_marks_a_pattern_hit(bars: pl.DataFrame) -> None:
    hits = PatternDetector(["double_top", "double_bottom"]).detect(bars)
    hit = next(iter(hits))
    fig = plot_hit(bars, hit)
    ax = fig.axes[0]
    assert hit.scanner.replace("_", " ") in [t.get_text() for t in ax.texts]
    labels = {t.get_text() for t in ax.texts}
    assert {p[2] for p in hit.points} <= labels
    line = ax.lines[0]
    assert list(line.get_ydata()) == pytest.approx([p[1] for p in hit.points])
