"""ScreenBuilderPanel driven by setting widget values and calling handlers (no browser)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

import axion_lab.panels as panels
from axion_lab.data import Market
from axion_lab.db import Base
from axion_lab.fields import FIELD_REGISTRY
from axion_lab.panels import ScreenBuilderPanel
from axion_lab.panels.screen_rows import FilterRow, FixedRow
from axion_lab.screener import (
    FILTER_REGISTRY,
    PRESET_SCREENS,
    FilterCondition,
    FilterGroup,
    Screen,
    ScreenBacktester,
    ScreenerEngine,
    ScreenManager,
    Universe,
    operators_for_dtype,
)
from axion_lab.screener.expression import ExpressionParser

PARSER = ExpressionParser({f.id: f.dtype for f in FIELD_REGISTRY})


@pytest.fixture(scope="module")
def engine(market: Market) -> ScreenerEngine:
    # One engine per module: its per-date snapshot cache is what makes runs cheap.
    return ScreenerEngine(market)


@pytest.fixture
def panel(market: Market, engine: ScreenerEngine) -> ScreenBuilderPanel:
    return ScreenBuilderPanel(market, engine=engine)


@pytest.fixture
def screens() -> Iterator[ScreenManager]:
    bind = sa.create_engine("sqlite://")
    Base.metadata.create_all(bind)
    yield ScreenManager(bind=bind, parse_formula=PARSER.parse_filter)
    bind.dispose()


def shown(row: FilterRow) -> list[object]:
    return list(row.values.children)


# --- rows ------------------------------------------------------------------------------
def test_add_and_remove_rows(panel: ScreenBuilderPanel) -> None:
    first = panel.add_row("pe")  # an alias resolves to the id
    assert first.field_id == "pe_ratio"
    assert first.category.value == "valuation"
    panel.search.value = next(o for o in panel.search.options if "(rsi_14)" in o)
    assert [r.field_id for r in panel.rows if isinstance(r, FilterRow)] == ["pe_ratio", "rsi_14"]
    assert panel.search.value == ""  # ready for the next pick
    panel.add_button.click()
    assert len(panel.rows) == 3
    assert panel.rows_box.children == tuple(r.widget for r in panel.rows)
    first.remove_button.click()
    assert [r.field_id for r in panel.rows if isinstance(r, FilterRow)] == ["rsi_14", "pe_ratio"]
    assert first.widget not in panel.rows_box.children


@pytest.mark.parametrize(
    ("field", "dtype"),
    [("pe_ratio", "float"), ("years_of_increases", "int"), ("sector", "str"),
     ("is_fictional", "bool"), ("ipo_date", "date"), ("indexes", "list[str]")],
)  # fmt: skip
def test_operator_options_follow_the_field_dtype(
    panel: ScreenBuilderPanel, field: str, dtype: str
) -> None:
    row = panel.add_row("price")
    row.op.value = "gt"
    row.set_field(field)
    assert FIELD_REGISTRY.get(field).dtype == dtype
    assert [v for _, v in row.op.options] == [o.value for o in operators_for_dtype(dtype)]
    assert row.op.value in [o.value for o in operators_for_dtype(dtype)]


def test_category_picks_the_field_list(panel: ScreenBuilderPanel) -> None:
    row = panel.add_row("pe_ratio")
    row.category.value = "dividends"
    ids = [v for _, v in row.field.options]
    assert ids == [f.id for f in FIELD_REGISTRY if str(f.category) == "dividends"]
    assert row.field_id == ids[0]


def test_value_widgets_follow_dtype_and_unit(panel: ScreenBuilderPanel) -> None:
    row = panel.add_row("dividend_yield")  # a fraction: typed in percent
    row.op.value = "gt"
    row.value.value = 5
    assert shown(row) == [row.ref, row.value, row.unit]
    assert row.unit.value == "%"
    assert row.node() == FilterCondition("dividend_yield", ">", 0.05)

    row.set_field("rsi_14")  # a 0-100 oscillator: taken as typed
    row.value.value = 30
    assert row.unit.value == "(0-100)"
    assert row.node() == FilterCondition("rsi_14", ">", 30.0)

    row.op.value = "between"
    row.value.value, row.value_hi.value = 20, 40
    assert shown(row) == [row.value, row.value_hi, row.unit]
    assert row.node().value == (20.0, 40.0)

    row.set_field("price")
    row.op.value = "pct_above"  # a margin is a percent whatever the field
    assert row.ref.value == "sma_200"  # defaulted: the margin needs a level
    row.value.value = 5
    assert row.node() == FilterCondition("price", "pct_above", 0.05, ref="sma_200")

    row.op.value = "gt"
    row.ref.value = "sma_50"  # comparing with a field hides the value
    assert shown(row) == [row.ref]
    assert row.node() == FilterCondition("price", ">", ref="sma_50")

    row.op.value = "top_n"
    row.count.value, row.within.value = 5, "sector"
    assert shown(row) == [row.count, row.within]
    assert row.node() == FilterCondition("price", "top_n", 5, within="sector")

    row.op.value = "not_null"
    assert shown(row) == []
    assert row.node() == FilterCondition("price", "not_null")

    row.set_field("sector")
    assert row.op.value == "not_null"  # still valid for text: kept
    row.op.value = "eq"
    assert shown(row) == [row.text]
    assert "Energy" in row.text.options  # the values the market has
    row.op.value = "in"
    assert shown(row) == [row.tags]
    row.tags.value = ["Energy", "Utilities"]
    assert row.node() == FilterCondition("sector", "in", ("Energy", "Utilities"))

    row.set_field("ipo_date")
    row.op.value = "gte"
    row.date.value = dt.date(2015, 1, 1)
    assert shown(row) == [row.date]
    assert row.node() == FilterCondition("ipo_date", ">=", dt.date(2015, 1, 1))

    row.set_field("is_fictional")
    row.flag.value = False
    assert row.node() == FilterCondition("is_fictional", "eq", False)


def test_percent_conversion_round_trips_every_hundredth(panel: ScreenBuilderPanel) -> None:
    row = panel.add_row("roe")
    row.op.value = "gt"
    for hundredths in range(-5000, 5001, 7):
        fraction = hundredths / 10_000  # 0.07 and the like: not exact in binary
        row.set_condition(FilterCondition("roe", ">", fraction))
        assert row.value.value == pytest.approx(hundredths / 100, abs=1e-9)
        assert row.node().value == fraction


# --- formula -----------------------------------------------------------------------------
def test_formula_validation_updates_as_the_text_changes(panel: ScreenBuilderPanel) -> None:
    assert panel.formula_status.value == ""
    panel.formula.value = "pe_ratoi < 20"
    assert "Unknown field" in panel.formula_status.value
    assert "Did you mean &#x27;pe_ratio&#x27;" in panel.formula_status.value
    panel.formula.value = "pe_ratio < "
    assert "✗" in panel.formula_status.value
    assert "pe_ratoi" not in panel.formula_status.value
    panel.formula.value = "pe_ratio * 2"  # a number, not a condition
    assert "a condition (filter)" in panel.formula_status.value
    panel.formula.value = "pe_ratio < sector_median(pe_ratio) and roe > 10%"
    assert panel.formula_status.value.count("✓") == 1
    assert "pe_ratio, roe, sector" in panel.formula_status.value
    panel.formula.value = "  "
    assert panel.formula_status.value == ""


# --- run ---------------------------------------------------------------------------------
def test_run_matches_the_engine_with_the_equivalent_screen(
    panel: ScreenBuilderPanel, engine: ScreenerEngine, market: Market
) -> None:
    index = sorted(market.index_membership["index"].unique().to_list())[-1]
    as_of = market.trading_days[-30]
    panel.name.value = "built"
    panel.universe.value = index
    panel.as_of.value = as_of
    pe = panel.add_row("pe_ratio")
    pe.op.value, pe.value.value = "lt", 25
    dy = panel.add_row("dividend_yield")
    dy.op.value, dy.value.value = "gte", 1  # 1 %
    trend = panel.add_row("price")
    trend.op.value, trend.ref.value = "gt", "sma_200"
    panel.formula.value = "roe > 5%"
    panel.limit.value = 10
    result = panel.run()
    assert result is not None

    direct = engine.run(
        Screen(
            "built",
            filters=(
                FilterCondition("pe_ratio", "<", 25),
                FilterCondition("dividend_yield", ">=", 0.01),
                FilterCondition("price", ">", "sma_200"),
                PARSER.parse_filter("roe > 0.05"),
            ),
            universe=Universe.index(index),
            limit=10,
        ),
        as_of=as_of,
    )
    assert result.matched == direct.matched
    assert result.symbols == direct.symbols
    assert [s.passed for s in result.funnel] == [s.passed for s in direct.funnel]
    assert result.universe_size == direct.universe_size
    assert result.as_of == as_of
    assert result.frame.height == min(10, result.matched)
    assert panel.result is result
    assert panel.result_html.value == result._repr_html_()
    assert "4. formula: roe &gt; 5%" in panel.summary.value
    assert f"{result.matched:,} of {result.universe_size:,} match" in panel.status.value


def test_sorting_reruns_through_the_engine(
    panel: ScreenBuilderPanel, engine: ScreenerEngine
) -> None:
    panel.preset.value = "quality"
    first = panel.run()
    assert first is not None
    panel.sort_by.value = "roe"
    panel.descending.value = False  # each change is a new engine run
    assert panel.result is not first
    expected = engine.run(panel.screen(), sort_by="roe", descending=False)
    assert panel.result.symbols == expected.symbols
    values = panel.result.frame["roe"].drop_nulls().to_list()
    assert values == sorted(values)


def test_funnel_and_chart_render_figures(panel: ScreenBuilderPanel) -> None:
    panel.preset.value = "value"
    result = panel.run()
    assert result is not None
    assert panel.funnel_chart.value[:4] == b"\x89PNG"
    assert panel.chart.value[:4] == b"\x89PNG"
    numeric = [c for c, t in result.frame.schema.items() if t.is_numeric()]
    assert [v for _, v in panel.chart_x.options] == numeric
    assert (panel.chart_x.value, panel.chart_y.value) == (numeric[0], numeric[1])
    panel.chart_y.value = "pe_ratio"
    assert panel.figure is not None
    assert panel.figure.axes[0].get_ylabel() == "P/E (pe_ratio)"
    funnel = result.plot_funnel().axes[0]
    labels = [t.get_text() for t in funnel.get_yticklabels()]
    assert labels == ["universe", *(f"{i}. {s.label}" for i, s in enumerate(result.funnel, 1))]
    widths = [p.get_width() for p in funnel.patches[len(labels) :]]
    assert widths == [result.universe_size, *(s.passed for s in result.funnel)]


# --- presets and saved screens -----------------------------------------------------------
@pytest.mark.parametrize("key", sorted(PRESET_SCREENS))
def test_preset_loading_round_trips(panel: ScreenBuilderPanel, key: str) -> None:
    preset = PRESET_SCREENS[key]
    panel.preset.value = key
    expected = tuple(
        FILTER_REGISTRY.validate(n) if isinstance(n, FilterCondition) else n for n in preset.filters
    )
    screen = panel.screen()
    assert screen.filters == expected
    assert (screen.name, screen.universe, screen.description) == (
        preset.name,
        preset.universe,
        preset.description,
    )
    assert (screen.sort_by, screen.descending, screen.limit) == (
        preset.sort_by,
        preset.descending,
        preset.limit,
    )
    groups = [r for r in panel.rows if isinstance(r, FixedRow)]
    assert len(groups) == sum(isinstance(n, FilterGroup) for n in preset.filters)


def test_save_and_load_through_the_manager(
    market: Market, engine: ScreenerEngine, screens: ScreenManager
) -> None:
    panel = ScreenBuilderPanel(market, engine=engine, manager=screens)
    panel.preset.value = "momentum"
    panel.universe.value = "AX500"
    panel.formula.value = "roe > 10%"
    panel.name.value = "my momentum"
    panel.limit.value = 25
    built = panel.screen()
    panel.save_button.click()
    assert "version 1" in panel.status.value
    assert panel.saved.options == ("my momentum",)
    assert screens.load("my momentum") == built

    panel.limit.value = 10
    panel.save()
    assert screens.get("my momentum").version == 2

    panel.preset.value = "value"  # something else in the widgets
    panel.load_saved()
    assert panel.screen() == built.replace(limit=10)
    assert panel.formula.value == "roe > 10%"
    assert panel.universe.value == "AX500"
    assert "version 2" in panel.status.value


def test_loading_a_screen_with_an_unusual_universe_keeps_it(panel: ScreenBuilderPanel) -> None:
    odd = Screen(
        "energy",
        filters=(FilterCondition("pe_ratio", "<", 20),),
        universe=Universe.sector("Energy", "Utilities"),
    )
    panel.load_screen(odd)
    assert panel.universe.value == "custom"
    assert panel.screen() == odd


# --- backtest ----------------------------------------------------------------------------
def test_backtest_button_fills_the_progress_bar(market: Market, engine: ScreenerEngine) -> None:
    ticks: list[int] = []
    panel = ScreenBuilderPanel(market, engine=engine)
    panel.progress.observe(lambda c: ticks.append(c["new"]), names="value")
    panel.preset.value = "value"
    panel.years.value = 1
    panel.top_n.value = 5
    panel.rebalance.value = "quarterly"
    panel.backtest_button.click()
    result = panel.backtest_result
    assert result is not None
    assert (result.config.top_n, result.config.rebalance, result.config.end) == (
        5,
        "quarterly",
        market.end,
    )
    assert ticks == sorted(set(ticks))  # only forward
    assert len(ticks) >= 2  # something between the start and the end
    assert (panel.progress.value, panel.progress.bar_style) == (100, "success")
    assert panel.backtest_html.value == result._repr_html_()
    assert panel.backtest_chart.value[:4] == b"\x89PNG"
    direct = ScreenBacktester(market, progress=False).run(
        panel.screen(),
        start=result.config.start,
        end=market.end,
        top_n=5,
        rebalance="quarterly",
    )
    assert direct.equity["equity"].to_list() == result.equity["equity"].to_list()


# --- errors ------------------------------------------------------------------------------
def test_errors_show_in_the_status_line(panel: ScreenBuilderPanel, market: Market) -> None:
    row = panel.add_row("dividend_yield")
    row.op.value, row.value.value = "gt", 500  # 500 %
    assert panel.run() is None
    assert "Filter 1 (Dividend yield (TTM), typed in %)" in panel.status.value
    assert "outside the plausible range" in panel.status.value
    assert panel.result is None

    row.value.value = 2
    panel.formula.value = "pe_ratoi < 10"
    assert panel.run() is None
    assert "Did you mean" in panel.status.value

    panel.formula.value = ""
    row.op.value, row.numbers.value = "in", "1, two"
    assert panel.run() is None
    assert "&#x27;two&#x27; is not a number" in panel.status.value

    row.op.value = "gt"
    assert panel.run() is not None
    panel.years.value = 50  # before the data starts
    assert panel.backtest() is None
    assert panel.progress.bar_style == "danger"
    assert "Traceback" not in panel.status.value

    panel.load_saved()  # nothing picked
    assert "No saved screen picked" in panel.status.value


def test_panel_is_exported() -> None:
    assert "ScreenBuilderPanel" in panels.__all__
    assert panels.__all__ == sorted(panels.__all__)
