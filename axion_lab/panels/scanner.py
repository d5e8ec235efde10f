"""``ScannerPanel``: pick presets or build a scan, run it once or stream a session.

A thin ipywidgets surface over :class:`~axion_lab.scanner.ScannerEngine`: the widgets
hold the scan (presets, pattern family, unusual activity, one custom rule, universe,
as-of date); each action makes one engine call and renders the result objects.

* :meth:`ScannerPanel.run` scans the last session on or before ``as_of``.
* :meth:`ScannerPanel.start_stream` / :meth:`~ScannerPanel.step` /
  :meth:`~ScannerPanel.stream` replay that session's intraday bars through a
  :class:`~axion_lab.scanner.ReplayFeed` and a
  :class:`~axion_lab.scanner.StreamingScanner` (the session before warms the
  indicators up), appending each batch's hits to the table as it arrives. Stepping is
  synchronous, so tests drive it bar by bar; the Stream button runs every step inside
  its callback, and since widget state is sent as it changes the table grows live.
* Picking a hit in ``hit_picker`` draws its candlestick chart with the pattern marked.
* :meth:`ScannerPanel.signals` scores the hits into signals
  (:func:`~axion_lab.signals.generate_signals`) and ranks them for the chosen
  profile (:func:`~axion_lab.signals.match_signals`); :meth:`~ScannerPanel.track_record`
  calibrates the scores on past dates so each score shows beside its bucket's history.

Errors (an unknown preset, a bad custom rule, a date outside the data) show in the
status line, never as a traceback.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.panels import ScannerPanel
>>> panel = ScannerPanel(load_market())
>>> panel.universe.value = "AX400"
>>> panel.presets.value = ("gap_up", "volume_spike")
>>> result = panel.run()
>>> set(result.hits["scanner"]) <= {"gap_up", "volume_spike"}
True
>>> panel.custom_column.value, panel.custom_value.value = "rsi_14", "30%"
>>> panel.run() is None, "custom rule" in panel.status.value
(True, True)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

import polars as pl

from axion_lab.exceptions import AxionError, InputError
from axion_lab.scanner import (
    OPERATORS,
    PRESET_SCANNERS,
    ReplayFeed,
    ScanCriterion,
    Scanner,
    ScannerEngine,
    ScanResult,
    StreamingScanner,
    create_scanner,
    plot_hit,
    resolve_detectors,
)
from axion_lab.scanner.engine import universe_symbols
from axion_lab.scanner.result import empty_hits
from axion_lab.signals import (
    NAMED_PROFILES,
    CalibrationResult,
    MatchResult,
    SignalSet,
    calibrate,
    generate_signals,
    hits_from_scan,
    match_signals,
    profile_for,
    scan_hits_at,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from axion_lab.data.market import Market
    from axion_lab.scanner.engine import ScannerLike

__all__ = [
    "PATTERN_FAMILIES",
    "ScannerPanel",
]

PATTERN_FAMILIES: Final = (
    ("no patterns", ""),
    ("candlesticks", "candles"),
    ("chart patterns", "chart"),
    ("all patterns", "patterns"),
)
"""Pattern-family choices: label -> what :func:`~axion_lab.scanner.resolve_detectors` reads."""

_DIRECTIONS: Final = ("bullish", "bearish", "neutral")
_MAX_ROWS: Final = 50
_CUSTOM_NAME: Final = "custom"


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


class ScannerPanel:
    """Scan builder, run or stream, live hits table, hit chart, signals and matches.

    Widgets (set them from code in tests and notebooks): ``presets``, ``patterns``,
    ``unusual``; the custom rule ``custom_column``, ``custom_op``, ``custom_value``
    (a number, or a column to compare with), ``custom_direction`` (blank column: no
    custom rule); ``universe`` (blank: every equity, an index name, or symbols),
    ``as_of`` (blank: the latest session), ``interval``; buttons ``run_button``,
    ``stream_button``; outputs ``status``, ``table``, ``hit_picker``, ``chart``;
    signals ``profile``, ``signals_button``, ``track_button``, ``signals_html``.

    Parameters
    ----------
    market
        The market to scan.
    engine
        Injected engine (default: a :class:`~axion_lab.scanner.ScannerEngine` over
        ``market``).
    """

    def __init__(self, market: Market, *, engine: ScannerEngine | None = None) -> None:
        import ipywidgets as w

        self.market = market
        self.engine = engine or ScannerEngine(market)
        self.result: ScanResult | None = None
        self.signal_set: SignalSet | None = None
        self.matches: MatchResult | None = None
        self.calibration: CalibrationResult | None = None
        self._bars: pl.DataFrame | None = None
        self._feed: Iterator[pl.DataFrame] | None = None
        self._streamer: StreamingScanner | None = None
        self._stream_failed = False
        self._updating = False  # picker options being replaced: no chart per change
        self._charted: int | None = None
        self.presets = w.SelectMultiple(
            options=list(PRESET_SCANNERS),
            value=tuple(PRESET_SCANNERS),
            rows=10,
            description="Presets",
        )
        self.patterns = w.Dropdown(options=PATTERN_FAMILIES, value="", description="Patterns")
        self.unusual = w.Checkbox(value=False, description="Unusual activity")
        self.custom_column = w.Text(value="", description="Custom", placeholder="e.g. rsi_14")
        self.custom_op = w.Dropdown(options=list(OPERATORS), value="<", description="is")
        self.custom_value = w.Text(value="", description="than", placeholder="30 or a column")
        self.custom_direction = w.Dropdown(
            options=list(_DIRECTIONS), value="neutral", description="Direction"
        )
        self.universe = w.Text(value="", description="Universe", placeholder="AX400 or A,B,C")
        self.as_of = w.Text(value="", description="As of", placeholder="YYYY-MM-DD (blank: last)")
        self.interval = w.Dropdown(
            options=["5m", "15m", "30m"], value="5m", description="Stream bars"
        )
        self.run_button = w.Button(description="Run scan", button_style="primary")
        self.stream_button = w.Button(description="Stream session")
        self.status = w.HTML()
        self.table = w.HTML()
        self.hit_picker = w.Dropdown(options=[], description="Chart hit")
        self.chart = w.Image(format="png")
        self.profile = w.Dropdown(
            options=list(NAMED_PROFILES), value="moderate", description="Profile"
        )
        self.signals_button = w.Button(description="Signals & matches")
        self.track_button = w.Button(description="Track record")
        self.signals_html = w.HTML()
        self.run_button.on_click(lambda _: self.run())
        self.stream_button.on_click(lambda _: self.stream())
        self.signals_button.on_click(lambda _: self.signals())
        self.track_button.on_click(lambda _: self.track_record())
        self.hit_picker.observe(self._on_pick, names="value")
        custom = w.VBox(
            [self.custom_column, self.custom_op, self.custom_value, self.custom_direction]
        )
        self.widget = w.VBox(
            [
                w.HBox([self.presets, w.VBox([self.patterns, self.unusual]), custom]),
                w.HBox([self.universe, self.as_of, self.interval]),
                w.HBox([self.run_button, self.stream_button, self.status]),
                self.table,
                self.hit_picker,
                self.chart,
                w.HBox([self.profile, self.signals_button, self.track_button]),
                self.signals_html,
            ]
        )

    # --- inputs -----------------------------------------------------------------------
    def custom_scanner(self) -> Scanner | None:
        """The custom rule built from the widgets (``None`` when its column is blank)."""
        column = self.custom_column.value.strip()
        if not column:
            return None
        level = self.custom_value.value.strip()
        try:
            number: float | None = float(level)
        except ValueError:
            number = None
        if number is None and not level.isidentifier():
            raise InputError(
                f"The custom rule needs a number or a column to compare {column} with, "
                f"got {level!r}."
            )
        crit = (
            ScanCriterion(column, self.custom_op.value, value=number)
            if number is not None
            else ScanCriterion(column, self.custom_op.value, ref=level)
        )
        return create_scanner(_CUSTOM_NAME, crit, direction=self.custom_direction.value)

    def scanners(self) -> list[ScannerLike]:
        """What the widgets ask for: presets, a pattern family, unusual, the custom rule."""
        chosen: list[ScannerLike] = list(self.presets.value)
        if self.patterns.value:
            chosen.append(self.patterns.value)
        if self.unusual.value:
            chosen.append("unusual")
        custom = self.custom_scanner()
        if custom is not None:
            chosen.append(custom)
        if not chosen:
            raise InputError("Nothing to scan: pick a preset, a pattern family or a custom rule.")
        return chosen

    def symbols(self) -> list[str] | None:
        """The universe's symbols (``None``: every equity)."""
        return universe_symbols(self.market, self.universe.value)

    # --- actions ----------------------------------------------------------------------
    def run(self) -> ScanResult | None:
        """Scan the last session on or before ``as_of`` and show the hits."""
        try:
            result = self.engine.scan(
                self.scanners(), as_of=self.as_of.value.strip() or None, symbols=self.symbols()
            )
        except AxionError as exc:
            self._say(str(exc), error=True)
            return None
        self._bars = None  # daily hits chart from the market's own bars
        self._show(result)
        self._say(
            f"{len(result):,} hits over {result.universe_size:,} symbols on "
            f"{result.end:%Y-%m-%d} in {result.timings.get('total', 0.0):.1f} s."
            if result.end
            else "No bars scanned."
        )
        return result

    def start_stream(self) -> int:
        """Set up a replay of the chosen session; return how many bar batches it has.

        The session before it warms the indicators up and emits nothing. Returns 0
        (and says why in the status line) on an error.
        """
        try:
            syms = self.symbols() or self.market.universe()
            detectors = resolve_detectors(self.scanners())
            source = (
                self.market.as_of(self.as_of.value.strip())
                if self.as_of.value.strip()
                else (self.market)
            )
            bars = source.intraday(syms, days=2, interval=self.interval.value)
            first = bars["ts"].dt.date().min()
            warmup = bars.filter(pl.col("ts").dt.date() == first)
            session = bars.filter(pl.col("ts").dt.date() > first)
            if not session.height:
                raise InputError("Only one intraday session is available; nothing to replay.")
            self._streamer = StreamingScanner(
                detectors,
                warmup=warmup,
                trend_window=self.engine.trend_window,
                trend_threshold=self.engine.trend_threshold,
                n_jobs=self.engine.n_jobs,
            )
        except AxionError as exc:
            self._feed = self._streamer = None
            self._say(str(exc), error=True)
            return 0
        feed = ReplayFeed(session)
        self._feed = iter(feed)
        self._bars = pl.concat([warmup, session])
        self._show(
            ScanResult(
                hits=empty_hits(),
                scanners=tuple(n for d in detectors for n in d.names),
                universe_size=len(syms),
                source=f"{self.engine.source}, {self.interval.value} replay",
                is_synthetic=self.engine.is_synthetic,
            )
        )
        day: dt.date = session["ts"].dt.date().min()  # type: ignore[assignment]
        self._say(f"Replaying {len(feed)} bars of {day.isoformat()}.")
        return len(feed)

    def step(self, n: int = 1) -> pl.DataFrame:
        """Feed the next ``n`` bar batches; append and return the new hits."""
        if self._feed is None or self._streamer is None or self.result is None:
            raise InputError("No stream is running: call start_stream() (or Stream) first.")
        fresh: list[pl.DataFrame] = []
        self._stream_failed = False
        for _ in range(n):
            batch = next(self._feed, None)
            if batch is None:
                self._feed = None
                break
            try:
                fresh.append(self._streamer.update(batch))
            except AxionError as exc:
                self._feed, self._stream_failed = None, True
                self._say(str(exc), error=True)
                break
            upto: dt.datetime = batch["ts"].max()  # type: ignore[assignment]
            self._extend(fresh[-1], upto)
        return pl.concat(fresh) if fresh else empty_hits()

    def stream(self) -> ScanResult | None:
        """Replay the whole session, the table growing as hits arrive; return all hits."""
        if not self.start_stream():
            return None
        while self._feed is not None:
            self.step()
        if self.result is not None and not self._stream_failed:
            self._say(f"Stream finished: {len(self.result):,} hits.")
        return self.result

    def show_chart(self) -> Figure | None:
        """Draw the hit picked in ``hit_picker`` (its pattern points marked)."""
        index = self.hit_picker.value
        self._charted = index
        if self.result is None or index is None or index >= self.result.hits.height:
            self.chart.value = b""
            return None
        row = self.result.hits.row(index, named=True)
        bars = self._bars if self._bars is not None else self.market.bars
        try:
            fig = plot_hit(bars.filter(pl.col("symbol") == row["symbol"]), row)
        except AxionError as exc:
            self._say(str(exc), error=True)
            return None
        self.chart.value = _png(fig)
        return fig

    def signals(self) -> MatchResult | None:
        """Score the hits into signals and rank them for the chosen profile."""
        if self.result is None or not len(self.result):
            self._say("No hits to score: run a scan first.", error=True)
            return None
        try:
            self.signal_set = generate_signals(self.market, hits_from_scan(self.result))
            self.matches = match_signals(self.signal_set, profile_for(self.profile.value))
        except AxionError as exc:
            self._say(str(exc), error=True)
            return None
        self._show_signals()
        self._say(
            f"{len(self.signal_set)} signals; {len(self.matches)} match the "
            f"{self.profile.value} profile."
        )
        return self.matches

    def track_record(self, *, dates: int = 6, every: int = 21) -> CalibrationResult | None:
        """Calibrate the scores on ``dates`` past dates ``every`` sessions apart, each
        running this scan on the market as it stood then."""
        try:
            scanners, syms = self.scanners(), self.symbols()
            end = self.market.check_date(self.as_of.value.strip() or self.market.end)
            days = self.market.trading_days.filter(self.market.trading_days <= end)
            # The newest date leaves a month for the last signals to resolve.
            chosen = days.head(max(days.len() - every, 0)).tail(dates * every).gather_every(every)
            if not chosen.len():
                raise InputError("Not enough history before as_of for a track record.")
            self.calibration = calibrate(
                self.market, dates=chosen.to_list(), hits_at=scan_hits_at(scanners, syms)
            )
        except AxionError as exc:
            self._say(str(exc), error=True)
            return None
        self._show_signals()
        self._say(html.escape(repr(self.calibration)))
        return self.calibration

    # --- rendering --------------------------------------------------------------------
    def _show(self, result: ScanResult) -> None:
        self.result = result
        # Newest first: a streamed hit lands at the top of the table.
        shown = dataclasses.replace(
            result, hits=result.hits.reverse().head(_MAX_ROWS)
        )._repr_html_()
        self.table.value = shown
        options = [
            (f"{r['ts']:%Y-%m-%d %H:%M} {r['symbol']} {r['scanner']} ({r['strength']})", i)
            for i, r in enumerate(result.hits.iter_rows(named=True))
        ]
        # Chart patterns first: they have points to mark.
        pattern_rows = set(
            result.hits.with_row_index().filter(pl.col("points").list.len() > 0)["index"]
        )
        options.sort(key=lambda o: (o[1] not in pattern_rows, -o[1]))
        keep = self.hit_picker.value
        self._updating = True
        try:
            self.hit_picker.options = options
            ids = [i for _, i in options]
            self.hit_picker.value = keep if keep in ids else (ids[0] if ids else None)
        finally:
            self._updating = False
        # Only redraw when the picked hit changed: streaming appends rows often.
        if self.hit_picker.value != self._charted:
            self.show_chart()

    def _on_pick(self, _: object) -> None:
        if not self._updating:
            self.show_chart()

    def _extend(self, hits: pl.DataFrame, upto: dt.datetime) -> None:
        assert self.result is not None
        if hits.height:
            joined = pl.concat([self.result.hits, hits]).sort("ts", "symbol", "scanner")
            self._show(dataclasses.replace(self.result, hits=joined, end=upto))
        self._say(f"{len(self.result):,} hits through {upto:%H:%M}.")

    def _show_signals(self) -> None:
        parts = []
        if self.signal_set is not None:
            parts.append(self.signal_set._repr_html_())
            if self.calibration is not None:
                beside = self.calibration.beside(self.signal_set)
                parts.append("<b>Scores beside their bucket's track record</b>")
                parts.append(beside.head(_MAX_ROWS).to_pandas().to_html(index=False, na_rep="—"))
        if self.matches is not None:
            parts.append(self.matches._repr_html_())
        if self.calibration is not None:
            parts.append(self.calibration._repr_html_())
        self.signals_html.value = "".join(parts)

    def _say(self, message: str, *, error: bool = False) -> None:
        colour = "#c62828" if error else "#37474f"
        text = html.escape(message) if error else message
        self.status.value = f"<span style='color:{colour}'>{text}</span>"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]
