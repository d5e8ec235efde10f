"""Chart patterns on constructed price paths where they are planted, and where not;
the zig-zag rule and support/resistance hand-worked; no hit reads a later bar."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scanner_data import make_bars

from axion_lab.exceptions import InputError
from axion_lab.scanner import ChartSettings, PatternDetector, support_resistance, zigzag

PIVOT_NAMES = [
    "double_top",
    "double_bottom",
    "head_and_shoulders",
    "inverse_head_and_shoulders",
    "ascending_triangle",
    "descending_triangle",
    "symmetric_triangle",
]


def path(*legs: tuple[float, int], start: float) -> np.ndarray:
    """Piecewise-linear closes: from ``start`` to each (level, bars) in turn."""
    out = [start]
    for level, n in legs:
        out.extend(np.linspace(out[-1], level, n + 1)[1:])
    return np.asarray(out)


def tight(close: np.ndarray) -> pl.DataFrame:
    """Bars whose high and low are the close (the zig-zag then reads the path itself)."""
    return make_bars(close, open_=close, high=close, low=close)


def chart(frame: pl.DataFrame, names: list[str] | str = "chart") -> pl.DataFrame:
    return PatternDetector(names).detect(frame).hits


def test_zigzag_hand_worked() -> None:
    close = np.array([100, 104, 108, 104, 101, 103, 107, 111, 105.0])
    pivots = zigzag(close, close, 0.05)
    # 100 is a low once 105 is reached (bar 2); 108 a high once 102.6 is broken (bar 4);
    # 101 a low at bar 6 (>= 106.05); 111 a high at bar 8 (<= 105.45).
    assert [(p.index, p.price, p.kind, p.confirmed) for p in pivots] == [
        (0, 100.0, "low", 2),
        (2, 108.0, "high", 4),
        (4, 101.0, "low", 6),
        (7, 111.0, "high", 8),
    ]
    with pytest.raises(InputError, match=r"\(0, 1\)"):
        zigzag(close, close, 5)


def test_double_top_and_bottom_planted() -> None:
    top = path((120, 20), (108, 10), (120.5, 10), (100, 20), start=100)
    hits = chart(tight(top), PIVOT_NAMES)
    assert hits["scanner"].to_list() == ["double_top"]
    hit = hits.row(0, named=True)
    assert [p["label"] for p in hit["points"]] == ["top 1", "neckline", "top 2"]
    assert [p["price"] for p in hit["points"]] == pytest.approx([120, 108, 120.5])
    # Reported on the bar confirming top 2: the first close 5 % below 120.5.
    first_below = int(np.argmax((top <= 120.5 * 0.95) & (np.arange(len(top)) > 40)))
    assert hit["ts"] == tight(top)["ts"][first_below]
    bottom = 220 - top
    assert chart(tight(bottom), PIVOT_NAMES)["scanner"].to_list() == ["double_bottom"]


def test_head_and_shoulders_planted() -> None:
    hs = path((110, 10), (102, 8), (120, 10), (102, 10), (110.5, 8), (95, 15), start=100)
    hits = chart(tight(hs), PIVOT_NAMES)
    assert "head_and_shoulders" in hits["scanner"].to_list()
    hit = hits.filter(pl.col("scanner") == "head_and_shoulders").row(0, named=True)
    assert [p["price"] for p in hit["points"]] == pytest.approx([110, 102, 120, 102, 110.5])
    assert hit["direction"] == "bearish"
    inverse = chart(tight(220 - hs), PIVOT_NAMES)
    assert "inverse_head_and_shoulders" in inverse["scanner"].to_list()
    assert "head_and_shoulders" not in inverse["scanner"].to_list()


@pytest.mark.parametrize(
    ("legs", "name"),
    [
        (((110, 8), (100, 8), (110, 8), (104, 8), (110.2, 8), (103, 8)), "ascending_triangle"),
        (((90, 8), (100, 8), (90, 8), (96, 8), (89.9, 8), (97, 8)), "descending_triangle"),
        (((120, 8), (100, 8), (116, 8), (104, 8), (112, 8), (104, 6)), "symmetric_triangle"),
    ],
)
def test_triangles_planted(legs: tuple[tuple[float, int], ...], name: str) -> None:
    hits = chart(tight(path(*legs, start=95 if name != "descending_triangle" else 105)))
    # Reported again as each further touch is confirmed, always as the planted kind.
    triangles = {s for s in hits["scanner"].to_list() if s.endswith("triangle")}
    assert triangles == {name}
    points = hits.filter(pl.col("scanner") == name)["points"][0]
    assert len(points) == 5


def test_flag_planted_and_fires_once() -> None:
    close = np.concatenate(
        [[100.0] * 5, np.linspace(101.5, 115, 10), np.linspace(114.5, 112, 7), [117, 117.5, 118]]
    )
    frame = make_bars(close)
    hits = chart(frame, ["bull_flag", "bear_flag"])
    assert hits.select("scanner", "ts").rows() == [("bull_flag", frame["ts"][22])]
    points = hits["points"][0]
    assert [p["label"] for p in points] == ["pole start", "pole top", "flag end", "breakout"]
    assert [(p["ts"], p["price"]) for p in points] == [
        (frame["ts"][i], close[i]) for i in (4, 14, 21, 22)
    ]
    mirrored = make_bars(220 - close)
    assert chart(mirrored, ["bull_flag", "bear_flag"])["scanner"].to_list() == ["bear_flag"]


def test_channel_breakout_planted() -> None:
    close = np.array([100.0, 101.0] * 15 + [104.0, 104.5, 105.0])
    frame = make_bars(close)
    hits = chart(frame, ["channel_breakout_up", "channel_breakout_down"])
    # First close above every high of the 20 bars before it; later bars were above too.
    assert hits.select("scanner", "ts").rows() == [("channel_breakout_up", frame["ts"][30])]
    top = 101.0 * 1.005
    assert [(p["ts"], p["price"]) for p in hits["points"][0]] == [
        (frame["ts"][10], pytest.approx(top)),
        (frame["ts"][29], pytest.approx(top)),
        (frame["ts"][30], 104.0),
    ]


def test_absent_on_paths_without_patterns() -> None:
    rng = np.random.default_rng(7)
    # Swings under the 5 % zig-zag threshold: no pivots past the first, no patterns.
    wiggle = 100 * (1 + 0.015 * np.sin(np.arange(300) / 3)) + rng.normal(0, 0.05, 300)
    frame = tight(wiggle)
    assert chart(frame, [*PIVOT_NAMES, "bull_flag", "bear_flag"]).height == 0
    # A steady climb: flags need a pause, pivot patterns need swings.
    climb = tight(100 * 1.004 ** np.arange(300))
    assert chart(climb, [*PIVOT_NAMES, "bull_flag", "bear_flag"]).height == 0


def test_points_never_come_from_later_bars(bars: pl.DataFrame) -> None:
    hits = chart(bars)
    pivots = hits.filter(pl.col("scanner").is_in(PIVOT_NAMES))
    assert pivots.height > 0
    lookup = {(s, t): (h, lo) for s, t, h, lo in bars.select("symbol", "ts", "high", "low").rows()}
    for row in pivots.iter_rows(named=True):
        for p in row["points"]:
            assert p["ts"] < row["ts"]
            assert p["price"] in lookup[(row["symbol"], p["ts"])]


def test_support_and_resistance_levels() -> None:
    close = path((110, 10), (100, 10), (110.5, 10), (100.4, 10), (109.8, 10), (104, 6), start=100)
    levels = support_resistance(tight(close))
    rows = levels.select("kind", "touches").rows()
    assert rows == [("support", 3), ("resistance", 3)]
    assert levels["level"].to_list() == pytest.approx(
        [(100 + 100 + 100.4) / 3, (110 + 110.5 + 109.8) / 3]
    )


def test_chart_settings_validate() -> None:
    with pytest.raises(InputError, match="pct"):
        ChartSettings(pct=0)
    with pytest.raises(InputError, match="flag_bars"):
        ChartSettings(flag_bars=1)
