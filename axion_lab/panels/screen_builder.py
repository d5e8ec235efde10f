"""``ScreenBuilderPanel``: build a stock screen from filter rows and a formula, run it.

A thin ipywidgets surface over :class:`~axion_lab.screener.ScreenerEngine`: the
widgets hold a :class:`~axion_lab.screener.Screen` (universe, as-of date, filter
rows, a formula, sort and limit); each action makes one engine call and renders the
result object (its ``_repr_html_``, its funnel and a chart of the matches). Screens
are saved and loaded with :class:`~axion_lab.screener.ScreenManager` and backtested
with :class:`~axion_lab.screener.ScreenBacktester` behind a progress bar. Errors
(a bad value, an invalid formula, an unknown field) show in the status line.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.panels import ScreenBuilderPanel
>>> panel = ScreenBuilderPanel(load_market())
>>> panel.preset.value = "quality"
>>> [row.field_id for row in panel.rows][:2], panel.rows[0].value.value  # roe > 15 %
(['roe', 'gross_margin'], 15.0)
>>> panel.formula.value = "pe_ratoi < 20"
>>> "Did you mean" in panel.formula_status.value
True
>>> panel.formula.value = "pe_ratio < 20"
>>> result = panel.run()
>>> result.screen.filters[-1].text, result.matched == len(panel.result.frame)
('pe_ratio < 20', True)
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any, Final

from axion_lab.exceptions import AxionError, InputError
from axion_lab.fields import FIELD_REGISTRY
from axion_lab.panels.screen_inputs import shows_percent
from axion_lab.panels.screen_rows import FilterRow, FixedRow, field_label
from axion_lab.screener import (
    FILTER_REGISTRY,
    PRESET_SCREENS,
    BacktestResult,
    FilterCondition,
    FilterNode,
    Screen,
    ScreenBacktester,
    ScreenerEngine,
    ScreenManager,
    ScreenResult,
    Universe,
    get_preset,
)
from axion_lab.screener.inputs import ALL, formula_parser, universe_for, years_before

if TYPE_CHECKING:
    import datetime as dt

    from matplotlib.figure import Figure

    from axion_lab.data.market import Market

__all__ = ["ScreenBuilderPanel"]

CUSTOM: Final = "custom"
"""Universe option holding a loaded screen's universe the picker cannot spell."""
_NEW_ROW_FIELD: Final = "pe_ratio"
_SORTABLE: Final = tuple(
    (field_label(f.id), f.id) for f in FIELD_REGISTRY if f.dtype in ("float", "int", "str", "date")
)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


class ScreenBuilderPanel:
    """Universe, date, filter rows, formula, run, results, funnel, chart, save, backtest.

    Widgets (set them from code in tests and notebooks): ``name``, ``universe``,
    ``as_of`` (blank: the latest session), ``preset``, ``search`` (pick a field to add
    a row), ``add_button``, ``rows`` (:class:`FilterRow` / :class:`FixedRow`),
    ``formula`` with ``formula_status``, ``sort_by``, ``descending``, ``limit``
    (0: every match), ``run_button``; outputs ``status``, ``summary``,
    ``result_html``, ``funnel_chart``, ``chart`` with ``chart_x``/``chart_y``; saved
    screens ``saved``, ``save_button``, ``load_button``, ``refresh_button``; backtest
    ``years``, ``top_n``, ``rebalance``, ``backtest_button``, ``progress``,
    ``backtest_html``, ``backtest_chart``.

    Parameters
    ----------
    market
        The market to screen.
    engine, manager, backtester
        Injected collaborators (default: a :class:`ScreenerEngine` over ``market``,
        a :class:`ScreenManager` on the settings' database, created on first use, and
        a :class:`ScreenBacktester` without its own progress bar).
    """

    def __init__(
        self,
        market: Market,
        *,
        engine: ScreenerEngine | None = None,
        manager: ScreenManager | None = None,
        backtester: ScreenBacktester | None = None,
    ) -> None:
        import ipywidgets as w

        self.market = market
        self.engine = engine or ScreenerEngine(market)
        self.backtester = backtester or ScreenBacktester(market, progress=False)
        self.parser = formula_parser()
        self._manager = manager
        self.result: ScreenResult | None = None
        self.backtest_result: BacktestResult | None = None
        self.figure: Figure | None = None
        self.rows: list[FilterRow | FixedRow] = []
        self._choices: dict[str, list[str]] = {}
        self._custom_universe: Universe | None = None
        self._description = ""
        self._quiet = False

        indexes = sorted(str(i) for i in market.index_membership["index"].unique().to_list())
        self.name = w.Text(value="My screen", description="Name")
        self.universe = w.Dropdown(
            options=[("All equities", ALL), *((i, i) for i in indexes)],
            value=ALL,
            description="Universe",
        )
        self.as_of = w.DatePicker(value=None, description="As of")
        self.preset = w.Dropdown(
            options=[
                ("(start from a preset)", ""),
                *((s.name, k) for k, s in PRESET_SCREENS.items()),
            ],
            value="",
            description="Preset",
        )
        self.search = w.Combobox(
            options=tuple(label for label, _ in _SEARCHABLE),
            placeholder="Find a field to filter on…",
            ensure_option=True,
            description="Add filter",
        )
        self.add_button = w.Button(description="Add row", icon="plus")
        self.rows_box = w.VBox()
        self.formula = w.Textarea(
            placeholder="Formula, e.g. pe_ratio < sector_median(pe_ratio) and roe > 15%",
            layout=w.Layout(width="640px", height="60px"),
        )
        self.formula_status = w.HTML()
        self.sort_by = w.Dropdown(
            options=[("market cap (default)", ""), *_SORTABLE], value="", description="Sort by"
        )
        self.descending = w.Checkbox(value=True, description="Largest first")
        self.limit = w.BoundedIntText(value=0, min=0, max=1_000_000, description="Show (0 = all)")
        self.run_button = w.Button(description="Run", button_style="primary", icon="play")
        self.status = w.HTML()
        self.summary = w.HTML()
        self.result_html = w.HTML()
        self.funnel_chart = w.Image(format="png")
        self.chart_x = w.Dropdown(description="x")
        self.chart_y = w.Dropdown(description="y")
        self.chart = w.Image(format="png")
        self.saved = w.Dropdown(options=[], description="Saved")
        self.save_button = w.Button(description="Save", icon="save")
        self.load_button = w.Button(description="Load", icon="folder-open")
        self.refresh_button = w.Button(icon="refresh", tooltip="List saved screens")
        self.years = w.BoundedIntText(value=3, min=1, max=50, description="Years")
        self.top_n = w.BoundedIntText(value=20, min=1, max=1000, description="Top N")
        self.rebalance = w.Dropdown(
            options=["monthly", "quarterly"], value="quarterly", description="Rebalance"
        )
        self.backtest_button = w.Button(description="Backtest", icon="line-chart")
        self.progress = w.IntProgress(value=0, min=0, max=100, description="Backtest")
        self.backtest_html = w.HTML()
        self.backtest_chart = w.Image(format="png")

        self.preset.observe(self._on_preset, names="value")
        self.search.observe(self._on_search, names="value")
        self.formula.observe(lambda _: self.validate_formula(), names="value")
        self.sort_by.observe(self._on_sort, names="value")
        self.descending.observe(self._on_sort, names="value")
        self.chart_x.observe(lambda _: self._draw_chart(), names="value")
        self.chart_y.observe(lambda _: self._draw_chart(), names="value")
        self.add_button.on_click(lambda _: self.add_row())
        self.run_button.on_click(lambda _: self.run())
        self.save_button.on_click(lambda _: self.save())
        self.load_button.on_click(lambda _: self.load_saved())
        self.refresh_button.on_click(lambda _: self.refresh_saved())
        self.backtest_button.on_click(lambda _: self.backtest())
        self.widget = self._build_layout()

    def _build_layout(self) -> Any:
        import ipywidgets as w

        tabs = w.Tab(
            children=[
                w.VBox([self.summary, self.result_html]),
                self.funnel_chart,
                w.VBox([w.HBox([self.chart_x, self.chart_y]), self.chart]),
                w.VBox(
                    [
                        w.HBox([self.years, self.top_n, self.rebalance, self.backtest_button]),
                        self.progress,
                        self.backtest_html,
                        self.backtest_chart,
                    ]
                ),
            ]
        )
        for i, title in enumerate(("Results", "Funnel", "Chart", "Backtest")):
            tabs.set_title(i, title)
        return w.VBox(
            [
                w.HBox([self.name, self.universe, self.as_of]),
                w.HBox([self.preset, self.saved, self.refresh_button, self.load_button]),
                w.HBox([self.search, self.add_button]),
                self.rows_box,
                self.formula,
                self.formula_status,
                w.HBox([self.sort_by, self.descending, self.limit]),
                w.HBox([self.run_button, self.save_button, self.status]),
                tabs,
            ]
        )

    # --- filter rows ----------------------------------------------------------------
    def add_row(self, field: str = _NEW_ROW_FIELD) -> FilterRow:
        """Add a filter row for ``field`` (an id or alias) and return it."""
        row = FilterRow(field, choices=self._values_of, on_remove=self.remove_row)
        self._append(row)
        return row

    def remove_row(self, row: FilterRow | FixedRow) -> None:
        """Remove a row (its trash button calls this)."""
        self.rows.remove(row)
        self.rows_box.children = tuple(r.widget for r in self.rows)

    def _append(self, row: FilterRow | FixedRow) -> None:
        self.rows.append(row)
        self.rows_box.children = tuple(r.widget for r in self.rows)

    def _values_of(self, fid: str) -> list[str]:
        """The values a text or list field takes in the latest snapshot (for pickers)."""
        if fid not in self._choices:
            try:
                column = self.engine.snapshot([fid])[fid]
            except AxionError:
                return []
            if column.dtype.is_nested():
                column = column.explode()
            self._choices[fid] = sorted(str(v) for v in column.drop_nulls().unique().to_list())
        return self._choices[fid]

    def _on_search(self, change: dict[str, Any]) -> None:
        fid = _SEARCH_IDS.get(change["new"])
        if fid is not None:
            self.add_row(fid)
            self.search.value = ""

    # --- the screen ---------------------------------------------------------------------
    def validate_formula(self) -> list[str]:
        """Check the formula box as it changes; return the problems (empty if valid)."""
        text = self.formula.value.strip()
        if not text:
            self.formula_status.value = ""
            return []
        problems = self.parser.validate(text, expect="bool")
        if not problems:
            fields = ", ".join(sorted(self.parser.parse_filter(text).fields))
            self.formula_status.value = (
                f"<span style='color:#2e7d32'>✓ valid filter over {html.escape(fields)}</span>"
            )
            return []
        lines = []
        for p in problems:
            where = f" (at {p.position + 1})" if p.position is not None else ""
            lines.append(f"✗ {html.escape(p.message)}{where}")
        self.formula_status.value = "<span style='color:#c62828'>" + "<br>".join(lines) + "</span>"
        return [p.message for p in problems]

    def screen(self) -> Screen:
        """The screen the widgets describe (raises the engine's errors for bad input)."""
        nodes = [self._checked(i, row) for i, row in enumerate(self.rows, 1)]
        text = self.formula.value.strip()
        if text:
            nodes.append(self.parser.parse_filter(text))
        if self.universe.value == CUSTOM and self._custom_universe is not None:
            universe = self._custom_universe
        else:
            universe = universe_for(self.universe.value)
        return Screen(
            name=self.name.value.strip() or "Custom screen",
            filters=tuple(nodes),
            universe=universe,
            description=self._description,
            sort_by=self.sort_by.value or None,
            descending=self.descending.value,
            limit=self.limit.value or None,
        )

    @staticmethod
    def _checked(number: int, row: FilterRow | FixedRow) -> FilterNode:
        """A row's node checked by the filter registry, its errors naming the row."""
        if isinstance(row, FixedRow):
            return row.node()
        try:
            return FILTER_REGISTRY.validate(row.node())
        except InputError as exc:
            f = FIELD_REGISTRY.get(row.field_id)
            typed = ", typed in %" if shows_percent(f.unit, row.operator) else ""
            raise InputError(f"Filter {number} ({f.label}{typed}): {exc}") from exc

    def load_screen(self, screen: Screen) -> None:
        """Show ``screen`` in the widgets: its rows, formula, universe, sort and limit."""
        self._quiet = True
        try:
            self.rows = []
            self.formula.value = ""
            for node in screen.filters:
                text = getattr(node, "text", None)
                row: FilterRow | FixedRow
                if isinstance(node, FilterCondition):
                    editable = FilterRow(
                        node.field, choices=self._values_of, on_remove=self.remove_row
                    )
                    editable.set_condition(node)
                    row = editable
                elif isinstance(text, str) and not self.formula.value:
                    # The first formula goes in the formula box; it runs last, which
                    # changes the funnel's order but never the matches.
                    self.formula.value = text
                    continue
                else:
                    row = FixedRow(node, on_remove=self.remove_row)
                self.rows.append(row)
            self.rows_box.children = tuple(r.widget for r in self.rows)
            self.name.value = screen.name
            self._description = screen.description
            self._show_universe(screen.universe)
            keys = {v for _, v in self.sort_by.options}
            self.sort_by.value = screen.sort_by if screen.sort_by in keys else ""
            self.descending.value = screen.descending
            self.limit.value = screen.limit or 0
        finally:
            self._quiet = False

    def _show_universe(self, universe: Universe) -> None:
        names = {v for _, v in self.universe.options if v != CUSTOM}
        only_index = universe.indexes[0] if len(universe.indexes) == 1 else None
        if universe == universe_for(ALL):
            self.universe.value = ALL
        elif (
            only_index is not None
            and only_index in names
            and universe == Universe.index(only_index)
        ):
            self.universe.value = only_index
        else:
            self._custom_universe = universe
            options = [o for o in self.universe.options if o[1] != CUSTOM]
            self.universe.options = [*options, (universe.describe(), CUSTOM)]
            self.universe.value = CUSTOM

    def _on_preset(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.load_screen(get_preset(change["new"]))
            self._say(f"Loaded the preset {html.escape(self.name.value)}.")

    # --- actions ----------------------------------------------------------------------
    def run(self) -> ScreenResult | None:
        """Run the screen once through the engine and show the result (or the error)."""
        try:
            screen = self.screen()
            result = self.engine.run(screen, as_of=self.as_of.value)
        except AxionError as exc:
            self._say(str(exc), error=True)
            return None
        from axion_lab.screener.result_plots import numeric_columns

        self.result = result
        self.summary.value = f"<pre>{html.escape(screen.describe())}</pre>"
        self.result_html.value = result._repr_html_()
        self.funnel_chart.value = _png(result.plot_funnel())
        numeric = numeric_columns(result)
        self._quiet = True
        try:
            self.chart_x.options = [(field_label(c), c) for c in numeric]
            self.chart_y.options = [(field_label(c), c) for c in numeric]
            if numeric:
                self.chart_x.value = numeric[0]
                self.chart_y.value = numeric[1] if len(numeric) > 1 else numeric[0]
        finally:
            self._quiet = False
        self._draw_chart()
        when = result.as_of.isoformat() if result.as_of else "latest"
        self._say(f"{result.matched:,} of {result.universe_size:,} match as of {when}.")
        return result

    def _draw_chart(self) -> None:
        if self._quiet or self.result is None:
            return
        if self.chart_x.value is None:
            self.figure = None
            self.chart.value = b""
            return
        try:
            self.figure = self.result.plot(self.chart_x.value, self.chart_y.value)
        except AxionError as exc:
            self._say(str(exc), error=True)
            return
        self.chart.value = _png(self.figure)

    def _on_sort(self, _: dict[str, Any]) -> None:
        # The table sorts through the engine (nulls last, the engine's order), so a
        # new sort is a new run, on the snapshot the engine has cached.
        if not self._quiet and self.result is not None:
            self.run()

    @property
    def manager(self) -> ScreenManager:
        """The saved-screens manager (created on first use)."""
        if self._manager is None:
            self._manager = ScreenManager(parse_formula=self.parser.parse_filter)
        return self._manager

    def refresh_saved(self) -> list[str]:
        """List the saved screens in ``saved``."""
        try:
            names = [str(n) for n in self.manager.list()["name"].to_list()]
        except AxionError as exc:
            self._say(str(exc), error=True)
            return []
        current = self.saved.value
        self.saved.options = names
        self.saved.value = current if current in names else (names[0] if names else None)
        return names

    def save(self) -> None:
        """Save the screen under its name as a new version."""
        try:
            saved = self.manager.save(self.screen())
        except AxionError as exc:
            self._say(str(exc), error=True)
            return
        self.refresh_saved()
        self.saved.value = saved.name
        self._say(f"Saved {html.escape(saved.name)} as version {saved.version}.")

    def load_saved(self, name: str | None = None) -> None:
        """Load a saved screen (default: the one picked in ``saved``) into the widgets."""
        chosen = name or self.saved.value
        if not chosen:
            self._say("No saved screen picked; save one first or refresh the list.", error=True)
            return
        try:
            saved = self.manager.get(chosen)
            self.load_screen(saved.screen)
        except AxionError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Loaded {html.escape(saved.name)} version {saved.version}.")

    def backtest(self) -> BacktestResult | None:
        """Backtest the screen's top N over the last ``years`` (to the as-of date)."""
        end: dt.date = self.as_of.value or self.market.end
        self.progress.value, self.progress.bar_style = 0, ""
        try:
            start = years_before(end, self.years.value)

            def tick(fraction: float) -> None:
                self.progress.value = max(self.progress.value, min(100, round(100 * fraction)))

            result = self.backtester.run(
                self.screen(),
                start=start,
                end=end,
                top_n=self.top_n.value,
                rebalance=self.rebalance.value,
                on_progress=tick,
            )
        except AxionError as exc:
            self.progress.bar_style = "danger"
            self._say(str(exc), error=True)
            return None
        self.progress.value, self.progress.bar_style = 100, "success"
        self.backtest_result = result
        self.backtest_html.value = result._repr_html_()
        self.backtest_chart.value = _png(result.plot_equity())
        self._say(html.escape(repr(result)))
        return result

    def _say(self, message: str, *, error: bool = False) -> None:
        colour = "#c62828" if error else "#37474f"
        text = (
            f"<pre style='white-space:pre-wrap'>{html.escape(message)}</pre>" if error else message
        )
        self.status.value = f"<span style='color:{colour}'>{text}</span>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


_SEARCHABLE: Final = tuple(
    (f"{f.label} ({f.id}) · {str(f.category).replace('_', ' ')}", f.id) for f in FIELD_REGISTRY
)
_SEARCH_IDS: Final = dict(_SEARCHABLE)
_PRESETS: Final = tuple((s.name, key) for key, s in PRESET_SCREENS.items())
