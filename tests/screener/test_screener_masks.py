"""The numpy fast path agrees with the polars expressions that define each operator.

``run_screen`` evaluates common conditions on numpy arrays (``masks.fast_mask``) and
the rest through ``compile.node_expr``; here generated frames full of null, NaN, inf
and ties are filtered both ways and the masks must be identical.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axion_lab.screener import FilterCondition, FilterGroup, Operator
from axion_lab.screener.compile import node_expr, sanitize
from axion_lab.screener.config import Scope
from axion_lab.screener.masks import Columns, fast_mask

NAN, INF = float("nan"), float("inf")
FAST = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Few distinct values, so ties and boundaries come up often.
FLOATS = st.one_of(
    st.sampled_from([None, NAN, INF, -INF, 0.0, -1.5, 1.0, 2.0, 2.0, 3.25, 1e300]),
    st.floats(-10, 10, allow_nan=False),
)
INTS = st.one_of(st.none(), st.integers(-3, 3))
TEXT = st.sampled_from([None, "Energy", "Tech", "Utilities", ""])


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(1, 40))
    return pl.DataFrame(
        {
            "x": draw(st.lists(FLOATS, min_size=n, max_size=n)),
            "y": draw(st.lists(FLOATS, min_size=n, max_size=n)),
            "k": draw(st.lists(INTS, min_size=n, max_size=n)),
            "s": draw(st.lists(TEXT, min_size=n, max_size=n)),
        },
        schema={"x": pl.Float64, "y": pl.Float64, "k": pl.Int64, "s": pl.String},
    )


NUMBER = st.sampled_from([-2.0, 0.0, 1.0, 2.0, 2.5, 1e300])


@st.composite
def conditions(draw: st.DrawFn) -> FilterCondition:
    field = draw(st.sampled_from(["x", "k", "s"]))
    if field == "s":
        op = draw(st.sampled_from(["eq", "ne", "in", "not_in", "is_null", "not_null"]))
        one = st.sampled_from(["Energy", "Tech", "", "Nope"])
        value: Any = {
            "eq": draw(one),
            "ne": draw(one),
            "in": draw(st.lists(one, min_size=1, max_size=6)),
            "not_in": draw(st.lists(one, min_size=1, max_size=6)),
        }.get(op)
        return FilterCondition(field, op, value)
    op = draw(st.sampled_from([o.value for o in Operator if "crosses" not in o.value]))
    ref = None
    if op in ("lt", "lte", "gt", "gte", "eq", "ne") and draw(st.booleans()):
        ref = draw(st.sampled_from(["x", "y", "k"]))
    if op in ("pct_above", "pct_below"):
        return FilterCondition(field, op, draw(st.sampled_from([0.0, 0.05, 0.5])), ref="y")
    if ref is not None:
        return FilterCondition(field, op, ref=ref)
    if op in ("between", "not_between"):
        lo, hi = sorted((draw(NUMBER), draw(NUMBER)))
        value = (lo, hi)
    elif op in ("in", "not_in"):
        value = tuple(draw(st.lists(NUMBER, min_size=1, max_size=3)))
    elif op in ("top_n", "bottom_n"):
        value = draw(st.integers(1, 45))
    elif op.startswith("percentile"):
        value = draw(st.sampled_from([0.0, 1.0, 10.0, 29.0, 30.0, 50.0, 57.0, 99.0, 100.0]))
    elif op in ("is_null", "not_null"):
        value = None
    else:
        value = draw(NUMBER)
    within: Scope = draw(st.sampled_from(["universe", "universe", "sector"]))
    if not op.startswith(("top", "bottom", "percentile")):
        within = "universe"
    return FilterCondition(field, op, value, within=within)


def reference(frame: pl.DataFrame, node: Any) -> np.ndarray:
    clean = sanitize(frame).with_columns(sector=pl.col("s"))
    return clean.select(node_expr(node, clean.schema)).to_series().to_numpy()


@FAST
@given(frame=frames(), cond=conditions())
def test_fast_masks_equal_the_polars_expressions(
    frame: pl.DataFrame, cond: FilterCondition
) -> None:
    mask = fast_mask(cond, Columns(frame))
    if mask is None:  # not a fast-path condition: run_screen uses the expression itself
        assert cond.within != "universe" or cond.op in (Operator.IN, Operator.NOT_IN)
        return
    assert mask.dtype == np.bool_
    assert mask.tolist() == reference(frame, cond).tolist(), cond


@FAST
@given(
    frame=frames(),
    items=st.lists(conditions(), min_size=1, max_size=4),
    logic=st.sampled_from(["and", "or"]),
)
def test_fast_group_masks_equal_the_polars_expressions(
    frame: pl.DataFrame, items: list[FilterCondition], logic: str
) -> None:
    group = FilterGroup(tuple(items), logic)  # type: ignore[arg-type]
    mask = fast_mask(group, Columns(frame))
    if mask is not None:
        assert mask.tolist() == reference(frame, group).tolist()


def test_the_fast_path_covers_the_common_conditions() -> None:
    frame = pl.DataFrame({"x": [1.0, None], "y": [0.5, 2.0], "s": ["a", None]})
    cols = Columns(frame)
    common = [
        FilterCondition("x", "<", 2),
        FilterCondition("x", "between", (0, 3)),
        FilterCondition("x", ">", ref="y"),
        FilterCondition("x", "pct_above", 0.05, ref="y"),
        FilterCondition("x", "percentile_above", 50),
        FilterCondition("x", "top_n", 1),
        FilterCondition("s", "in", ["a", "b"]),
        FilterCondition("s", "not_null"),
    ]
    for cond in common:
        assert fast_mask(cond, cols) is not None, cond
    # Sector-relative ranks and text compared with another column keep the polars path.
    assert fast_mask(FilterCondition("x", "top_n", 1, within="sector"), cols) is None
    assert fast_mask(FilterCondition("s", "==", ref="s"), cols) is None


@pytest.mark.parametrize(("pct", "expected"), [(29.0, 72), (30.0, 71), (57.0, 44), (28.0, 73)])
def test_a_percentile_on_the_boundary_matches_the_float_arithmetic(
    pct: float, expected: int
) -> None:
    # 29 / 100 * 100 is 28.999999999999996 in floating point: computed that way, rank 29
    # of 100 would miss "percentile >= 29". Both paths multiply out instead.
    frame = pl.DataFrame({"x": [float(i) for i in range(1, 101)]})
    cond = FilterCondition("x", "percentile_above", pct)
    mask = fast_mask(cond, Columns(frame))
    assert mask is not None
    assert int(mask.sum()) == expected
    assert mask.tolist() == reference(frame.with_columns(y=0.0, k=0, s=pl.lit("a")), cond).tolist()
