"""Chart patterns read from zig-zag pivots, flags and channel breakouts from bars.

Every pattern is reported on the bar that completes it, with the points that define
it (``points``: ``{ts, price, label}``) for plotting. Pivot patterns use
:func:`~axion_lab.scanner.pivots.zigzag` with reversal ``pct`` (default 5 %) and are
reported on the bar that **confirms** their last pivot, so no hit reads a later bar.
Defaults are in :class:`ChartSettings`.

=========================  ======================================================================
pattern                    rule
=========================  ======================================================================
``double_top``             pivots H1, L, H2 with ``|H2 / H1 - 1| <= equal_tol`` (3 %)
``double_bottom``          pivots L1, H, L2 with ``|L2 / L1 - 1| <= equal_tol``
``head_and_shoulders``     pivots LS, L1, Head, L2, RS: ``Head > max(LS, RS)`` and
                           ``|RS / LS - 1| <= shoulder_tol`` (5 %)
``inverse_head_and_...``   the mirror image on pivot lows
``ascending_triangle``     last five pivots (three touches on one side, two on the other):
                           highs flat (all within ``flat_tol``, 1.5 %, of the first), lows
                           rising (each by more than ``flat_tol``)
``descending_triangle``    lows flat, highs falling (each by more than ``flat_tol``)
``symmetric_triangle``     highs falling and lows rising
``bull_flag``              pole: ``close`` rose at least ``pole_return`` (10 %) over ``pole_bars``
                           (10) bars; flag: the next ``flag_bars`` (7) bars span at most
                           ``flag_ratio`` (50 %) of the pole's rise and close no higher than the
                           pole top; the hit bar closes above every flag high
``bear_flag``              the mirror image
``channel_breakout_up``    close above the highest high of the previous ``channel_bars`` (20)
                           bars, after a close that was not
``channel_breakout_down``  close below the lowest low of the previous ``channel_bars`` bars
=========================  ======================================================================

A pattern's pivots must all lie within ``max_span`` (120) bars. Patterns may overlap:
the last three pivots of a flat-topped ascending triangle also satisfy the double-top
rule, and both are reported, as a chartist would see both. Strength: pivot
patterns are ``strong`` when the confirming bar's close is already beyond the
neckline (the middle pivot of a double top or bottom, the lower of the two neckline
lows of a head and shoulders), else ``moderate``; triangles are ``weak`` (they
forecast nothing until they break); flags and channel breakouts are ``moderate``,
``strong`` with relative volume of at least 1.5.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.scanner.config import Direction, ScanCategory
from axion_lab.scanner.panel import K, lag
from axion_lab.scanner.pivots import Pivot, zigzag
from axion_lab.scanner.result import POINT_STRUCT, VALUE_STRUCT, struct_list

__all__ = ["CHART_PATTERNS", "ChartSettings", "chart_hits"]

PIVOT_PATTERNS: Final = {
    "double_top": Direction.BEARISH,
    "double_bottom": Direction.BULLISH,
    "head_and_shoulders": Direction.BEARISH,
    "inverse_head_and_shoulders": Direction.BULLISH,
    "ascending_triangle": Direction.BULLISH,
    "descending_triangle": Direction.BEARISH,
    "symmetric_triangle": Direction.NEUTRAL,
}
BAR_PATTERNS: Final = {
    "bull_flag": Direction.BULLISH,
    "bear_flag": Direction.BEARISH,
    "channel_breakout_up": Direction.BULLISH,
    "channel_breakout_down": Direction.BEARISH,
}
CHART_PATTERNS: Final = {**PIVOT_PATTERNS, **BAR_PATTERNS}
"""Chart pattern name -> the direction it points."""


@dataclass(frozen=True)
class ChartSettings:
    """Tolerances of the chart-pattern rules (see the module docstring)."""

    pct: float = 0.05
    equal_tol: float = 0.03
    shoulder_tol: float = 0.05
    flat_tol: float = 0.015
    max_span: int = 120
    pole_bars: int = 10
    pole_return: float = 0.10
    flag_bars: int = 7
    flag_ratio: float = 0.5
    channel_bars: int = 20
    volume_confirm: float = 1.5

    def __post_init__(self) -> None:
        for name in ("pct", "equal_tol", "shoulder_tol", "flat_tol", "pole_return", "flag_ratio"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v < 1:
                raise InputError(f"ChartSettings.{name} must lie in (0, 1), got {v!r}.")
        for name in ("max_span", "pole_bars", "flag_bars", "channel_bars"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 2:
                raise InputError(f"ChartSettings.{name} must be an integer >= 2, got {v!r}.")


def _side(prices: list[float], tol: float) -> str:
    """``flat`` (all within ``tol`` of the first), ``rising``/``falling`` (every step
    beyond ``tol``), or ``mixed``."""
    if all(abs(p / prices[0] - 1.0) <= tol for p in prices):
        return "flat"
    steps = [b / a - 1.0 for a, b in itertools.pairwise(prices)]
    if all(x > tol for x in steps):
        return "rising"
    if all(x < -tol for x in steps):
        return "falling"
    return "mixed"


_DOUBLES: Final = frozenset({"double_top", "double_bottom"})
_HS: Final = frozenset({"head_and_shoulders", "inverse_head_and_shoulders"})
_TRIANGLES: Final = frozenset({"ascending_triangle", "descending_triangle", "symmetric_triangle"})


def _match(
    pv: Sequence[Pivot],
    close: float,
    s: ChartSettings,
    names: frozenset[str] = _DOUBLES | _HS | _TRIANGLES,
) -> list[tuple[str, str, float]]:
    """Patterns whose last pivot is ``pv[-1]``: (name, strength, value)."""
    found: list[tuple[str, str, float]] = []
    last = pv[-1]
    # A non-positive price (bad data) makes every ratio below meaningless.
    if any(p.price <= 0 for p in pv[-5:]):
        return found
    if names & _DOUBLES and len(pv) >= 3 and last.index - pv[-3].index <= s.max_span:
        a, mid, b = pv[-3], pv[-2], pv[-1]
        diff = b.price / a.price - 1.0
        if abs(diff) <= s.equal_tol:
            if last.kind == "high":
                found.append(("double_top", "strong" if close < mid.price else "moderate", diff))
            else:
                found.append(("double_bottom", "strong" if close > mid.price else "moderate", diff))
    if names & _HS and len(pv) >= 5 and last.index - pv[-5].index <= s.max_span:
        ls, n1, head, n2, rs = pv[-5:]
        diff = rs.price / ls.price - 1.0
        if abs(diff) <= s.shoulder_tol:
            if last.kind == "high" and head.price > max(ls.price, rs.price):
                neck = min(n1.price, n2.price)
                strength = "strong" if close < neck else "moderate"
                found.append(("head_and_shoulders", strength, head.price / rs.price - 1.0))
            if last.kind == "low" and head.price < min(ls.price, rs.price):
                neck = max(n1.price, n2.price)
                strength = "strong" if close > neck else "moderate"
                found.append(("inverse_head_and_shoulders", strength, rs.price / head.price - 1.0))
    if names & _TRIANGLES and len(pv) >= 5 and last.index - pv[-5].index <= s.max_span:
        highs = [p.price for p in pv[-5:] if p.kind == "high"]
        lows = [p.price for p in pv[-5:] if p.kind == "low"]
        h_side, l_side = _side(highs, s.flat_tol), _side(lows, s.flat_tol)
        if h_side == "flat" and l_side == "rising":
            found.append(("ascending_triangle", "weak", lows[-1] / lows[0] - 1.0))
        elif l_side == "flat" and h_side == "falling":
            found.append(("descending_triangle", "weak", highs[-1] / highs[0] - 1.0))
        elif h_side == "falling" and l_side == "rising":
            found.append(("symmetric_triangle", "weak", lows[-1] / lows[0] - highs[-1] / highs[0]))
    return found


_LABELS: Final = {
    "double_top": ("top 1", "neckline", "top 2"),
    "double_bottom": ("bottom 1", "neckline", "bottom 2"),
    "head_and_shoulders": ("left shoulder", "neckline 1", "head", "neckline 2", "right shoulder"),
    "inverse_head_and_shoulders": (
        "left shoulder",
        "neckline 1",
        "head",
        "neckline 2",
        "right shoulder",
    ),
}


def _pivot_rows(
    symbol: str, part: pl.DataFrame, names: set[str], s: ChartSettings
) -> list[dict[str, Any]]:
    ts, close = part["ts"].to_list(), part["close"].to_list()
    rows: list[dict[str, Any]] = []
    pivots: list[Pivot] = []
    wanted = frozenset(names)
    for p in zigzag(part["high"].to_numpy(), part["low"].to_numpy(), s.pct):
        pivots.append(p)
        c = p.confirmed
        for name, strength, value in _match(pivots, close[c], s, wanted):
            if name not in names:
                continue
            used = pivots[-len(_LABELS[name]) :] if name in _LABELS else pivots[-5:]
            labels = _LABELS.get(name) or tuple(f"{q.kind} {i + 1}" for i, q in enumerate(used))
            rows.append(
                {
                    "symbol": symbol,
                    "k": c,
                    "scanner": name,
                    "strength": strength,
                    "value": float(value),
                    "points": [
                        {"ts": ts[q.index], "price": q.price, "label": lab}
                        for q, lab in zip(used, labels, strict=True)
                    ],
                }
            )
    return rows


def _pivot_hits(panel: pl.DataFrame, names: set[str], s: ChartSettings) -> pl.DataFrame | None:
    rows: list[dict[str, Any]] = []
    for (symbol,), part in panel.group_by("symbol", maintain_order=True):
        rows.extend(_pivot_rows(str(symbol), part, names, s))
    if not rows:
        return None
    found = pl.DataFrame(
        rows,
        schema={
            "symbol": pl.String,
            "k": pl.Int64,
            "scanner": pl.String,
            "strength": pl.String,
            "value": pl.Float64,
            "points": pl.List(POINT_STRUCT),
        },
    )
    direction = pl.col("scanner").replace_strict(
        {k: v.value for k, v in PIVOT_PATTERNS.items()}, return_dtype=pl.String
    )
    return found.join(panel, left_on=["symbol", "k"], right_on=["symbol", K], how="left").select(
        "symbol",
        "ts",
        "scanner",
        pl.lit(ScanCategory.PATTERN.value).alias("category"),
        direction.alias("direction"),
        "strength",
        "value",
        "trend",
        "open",
        "high",
        "low",
        "close",
        "volume",
        struct_list(pl.struct(pl.lit("swing_pct").alias("name"), pl.lit(s.pct).alias("value")))
        .cast(pl.List(VALUE_STRUCT))
        .alias("values"),
        "points",
    )


def _point(label: str, n: int, price: pl.Expr) -> pl.Expr:
    return pl.struct(lag("ts", n).alias("ts"), price.alias("price"), pl.lit(label).alias("label"))


def _bar_hits(panel: pl.DataFrame, names: set[str], s: ChartSettings) -> list[pl.DataFrame]:
    c, h, lo = pl.col("close"), pl.col("high"), pl.col("low")
    f, p, w = s.flag_bars, s.pole_bars, s.channel_bars
    k = pl.col(K)
    rel = pl.col("rel_volume_20") if "rel_volume_20" in panel.columns else pl.lit(None, pl.Float64)
    pole_top, pole_base = lag(c, f + 1), lag(c, f + 1 + p)
    flag_hi, flag_lo = lag(h.rolling_max(f), 1), lag(lo.rolling_min(f), 1)
    ready = k >= f + 1 + p
    rise = pole_top - pole_base
    graded = (
        pl.when((rel >= s.volume_confirm).fill_null(False))
        .then(pl.lit("strong"))
        .otherwise(pl.lit("moderate"))
    )
    rules: dict[str, tuple[pl.Expr, pl.Expr, list[pl.Expr]]] = {
        "bull_flag": (
            ready
            & (pole_top / pole_base - 1.0 >= s.pole_return)
            & (flag_hi - flag_lo <= s.flag_ratio * rise)
            & (lag(c) <= pole_top)
            & (c > flag_hi),
            pole_top / pole_base - 1.0,
            [
                _point("pole start", f + 1 + p, pole_base),
                _point("pole top", f + 1, pole_top),
                _point("flag end", 1, lag(c)),
                _point("breakout", 0, c),
            ],
        ),
        "bear_flag": (
            ready
            & (pole_top / pole_base - 1.0 <= -s.pole_return)
            & (flag_hi - flag_lo <= s.flag_ratio * -rise)
            & (lag(c) >= pole_top)
            & (c < flag_lo),
            pole_top / pole_base - 1.0,
            [
                _point("pole start", f + 1 + p, pole_base),
                _point("pole bottom", f + 1, pole_top),
                _point("flag end", 1, lag(c)),
                _point("breakdown", 0, c),
            ],
        ),
        "channel_breakout_up": (
            (k >= w + 1) & (c > lag(h.rolling_max(w), 1)) & (lag(c) <= lag(h.rolling_max(w), 2)),
            c / lag(h.rolling_max(w), 1) - 1.0,
            [
                _point("channel start", w, lag(h.rolling_max(w), 1)),
                _point("channel end", 1, lag(h.rolling_max(w), 1)),
                _point("breakout", 0, c),
            ],
        ),
        "channel_breakout_down": (
            (k >= w + 1) & (c < lag(lo.rolling_min(w), 1)) & (lag(c) >= lag(lo.rolling_min(w), 2)),
            c / lag(lo.rolling_min(w), 1) - 1.0,
            [
                _point("channel start", w, lag(lo.rolling_min(w), 1)),
                _point("channel end", 1, lag(lo.rolling_min(w), 1)),
                _point("breakdown", 0, c),
            ],
        ),
    }
    frames = []
    for name in (n for n in BAR_PATTERNS if n in names):
        mask, value, points = rules[name]
        # Value and points read earlier bars (shifts), so they are computed on the full
        # panel before filtering: a shift after the filter would read other hits' rows.
        marked = panel.with_columns(
            mask.fill_null(False).alias("__hit"),
            value.alias("__value"),
            struct_list(*points).alias("__points"),
        )
        frames.append(
            marked.filter(pl.col("__hit")).select(
                "symbol",
                "ts",
                pl.lit(name).alias("scanner"),
                pl.lit(ScanCategory.PATTERN.value).alias("category"),
                pl.lit(BAR_PATTERNS[name].value).alias("direction"),
                graded.alias("strength"),
                pl.col("__value").alias("value"),
                "trend",
                "open",
                "high",
                "low",
                "close",
                "volume",
                struct_list(
                    pl.struct(pl.lit("rel_volume_20").alias("name"), rel.alias("value"))
                ).alias("values"),
                pl.col("__points").alias("points"),
            )
        )
    return frames


def chart_hits(
    panel: pl.DataFrame, names: Sequence[str], settings: ChartSettings | None = None
) -> list[pl.DataFrame]:
    """Hit frames for the chart patterns ``names`` over a sorted scan panel."""
    s = settings or ChartSettings()
    wanted = set(names)
    frames = _bar_hits(panel, wanted, s)
    if wanted & set(PIVOT_PATTERNS):
        pivot = _pivot_hits(panel, wanted, s)
        if pivot is not None:
            frames.append(pivot)
    return frames
