"""``compute_indicators``: add indicator columns to the long bars frame.

The frame is sorted once by ``(symbol, ts)``; TA-Lib-backed specs run per symbol on
contiguous numpy slices (threaded across cores for large panels), polars-backed specs
run as whole-frame expressions whose warm-up rows are nulled per symbol. Every added
column is Float64 with **null, never NaN or inf**, where a value is undefined (warm-up,
a flat Bollinger window, zero volume...): polars orders NaN above every number, so a
NaN left in a column would pass ``rsi_14 > 70``.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from axion_lab.exceptions import InputError, UnknownSymbolError
from axion_lab.indicators import _kernel
from axion_lab.indicators._kernel import prepare_bars
from axion_lab.indicators._spec import PolarsIndicator, TalibIndicator
from axion_lab.indicators.registry import IndicatorLike, resolve_indicators

__all__ = ["Benchmark", "compute_indicators"]

Benchmark = str | pl.DataFrame | None
"""A symbol of the bars frame, a frame with ``ts`` and ``close``, or None (equal weight)."""

_K = "__axion_k"
_MARKET = "__axion_market"
_INPUT_ORDER = ("open", "high", "low", "close", "volume")


def compute_indicators(
    bars: pl.DataFrame,
    indicators: Iterable[IndicatorLike] | IndicatorLike | None = None,
    *,
    benchmark: Benchmark = None,
    n_jobs: int | None = None,
) -> pl.DataFrame:
    """Return ``bars`` sorted by ``(symbol, ts)`` with one column per indicator output.

    Parameters
    ----------
    bars
        Long bars frame: ``symbol, ts, open, high, low, close, volume`` (only the
        columns the requested indicators read are required). Any order; sorted here.
        Extra columns are kept; a column with an output's name is replaced.
    indicators
        Names (``"rsi"``, ``"sma_50"``, ``"macd_signal"``), specs (``SMA(window=50)``) or a
        mix; ``None`` computes :data:`~axion_lab.indicators.DEFAULT_PANEL`. See
        :func:`~axion_lab.indicators.indicator_table` for what exists.
    benchmark
        The market for :class:`~axion_lab.indicators.Beta`: a symbol in ``bars``, a frame
        with ``ts`` and ``close`` (an index level), or ``None`` for the equal-weight mean
        one-bar return of every symbol in ``bars``.
    n_jobs
        Threads for the TA-Lib pass; ``None`` uses every available core for large
        inputs (from ``PARALLEL_MIN_ROWS`` rows), with the polars expressions evaluated
        beside it on polars' own pool; ``1`` forces the serial path.

    Returns
    -------
    polars.DataFrame
        The bars plus Float64 indicator columns; warm-up and undefined values are null.

    Raises
    ------
    UnknownNameError
        An unknown indicator name (the message suggests close names).
    InputError
        Missing columns, null/NaN prices, duplicate ``(symbol, ts)`` or a bad benchmark.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> from axion_lab.indicators import SMA, compute_indicators
    >>> bars = pl.DataFrame({
    ...     "symbol": ["B", "A", "A", "A", "B", "B"],
    ...     "ts": [dt.datetime(2024, 1, d) for d in (1, 3, 1, 2, 2, 3)],
    ...     "close": [10.0, 3.0, 1.0, 2.0, 20.0, 30.0],
    ... })
    >>> out = compute_indicators(bars, [SMA(2), "ret_1"])
    >>> out.select("symbol", "close", "sma_2", "ret_1").rows()  # doctest: +NORMALIZE_WHITESPACE
    [('A', 1.0, None, None), ('A', 2.0, 1.5, 1.0), ('A', 3.0, 2.5, 0.5),
     ('B', 10.0, None, None), ('B', 20.0, 15.0, 1.0), ('B', 30.0, 25.0, 0.5)]
    """
    specs = resolve_indicators(indicators)
    needed_set = {c for spec in specs for c in spec.inputs}
    needed = [c for c in _INPUT_ORDER if c in needed_set]
    frame, offsets = prepare_bars(bars, needed)
    new_columns = [c for spec in specs for c in spec.columns]
    frame = frame.drop([c for c in new_columns if c in frame.columns])
    order = [*frame.columns, *new_columns]  # outputs in the order the specs were asked for

    talib_specs = [s for s in specs if isinstance(s, TalibIndicator)]
    polars_specs = [s for s in specs if isinstance(s, PolarsIndicator)]
    calls = [call for spec in talib_specs for call in spec.calls()]

    lengths = np.diff(offsets)
    k = np.arange(frame.height, dtype=np.int64) - np.repeat(offsets[:-1], lengths)
    frame = frame.with_columns(pl.Series(_K, k))
    market: pl.Expr | None = None
    if any(s.needs_market for s in polars_specs):
        frame = _attach_market(frame, benchmark)
        market = pl.col(_MARKET)
    scratch: dict[str, pl.Expr] = {}
    first: dict[str, pl.Expr] = {}
    for pspec in polars_specs:
        scratch.update(pspec.helpers(pl.col(_K), market))
        first.update(pspec.expressions(pl.col(_K), market))
    second = {c: e for spec in specs for c, e in spec.derived().items()}

    def polars_stage(frame: pl.DataFrame) -> pl.DataFrame:
        if scratch:
            frame = frame.with_columns(e.alias(c) for c, e in scratch.items())
        return _with_finite(frame, first)

    overlap = (
        bool(calls and first)
        and (n_jobs is None or n_jobs > 1)
        and frame.height >= _kernel.PARALLEL_MIN_ROWS
    )
    if overlap:
        # polars evaluates on its own pool with the GIL released, so its stage runs
        # beside the TA-Lib pass instead of after it.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="axion-polars") as pool:
            future = pool.submit(polars_stage, frame)
            raw = _kernel.run_talib(frame, offsets, calls, n_jobs=n_jobs)
            frame = future.result()
    else:
        raw = _kernel.run_talib(frame, offsets, calls, n_jobs=n_jobs)
        frame = polars_stage(frame)
    frame = frame.with_columns(_talib_series(c, values) for c, values in raw.items())
    frame = _with_finite(frame, second)
    return frame.select(order)


def _with_finite(frame: pl.DataFrame, exprs: dict[str, pl.Expr]) -> pl.DataFrame:
    """Add ``exprs`` as Float64 columns with NaN and +/-inf replaced by null.

    The one place polars-computed values are cleaned (see the module docstring for
    why); by name, in a second pass, so no expression is evaluated twice.
    """
    if not exprs:
        return frame
    frame = frame.with_columns(e.cast(pl.Float64).alias(c) for c, e in exprs.items())
    return frame.with_columns(
        pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in exprs
    )


def _talib_series(name: str, values: np.ndarray) -> pl.Series:
    """A TA-Lib output as a Series, NaN (warm-up) as null; inf too, should one appear."""
    if np.isinf(values).any():
        values = np.where(np.isinf(values), np.nan, values)
    return pl.Series(name, values, nan_to_null=True)


def _attach_market(frame: pl.DataFrame, benchmark: Benchmark) -> pl.DataFrame:
    """Add the market's one-bar simple return, aligned on ``ts``, as a helper column."""
    close = pl.col("close")
    ret = close / close.shift(1) - 1.0
    if benchmark is None:
        # Materialise the per-symbol return first: inside over("ts") a shift would run
        # within each timestamp's group, not along each symbol's series.
        own = frame.select(pl.when(pl.col(_K) >= 1).then(ret).alias(_MARKET), "ts")
        return frame.with_columns(own.select(pl.col(_MARKET).mean().over("ts")).to_series())
    if isinstance(benchmark, str):
        sym_frame = frame.filter(pl.col("symbol") == benchmark)
        if sym_frame.height == 0:
            symbols = frame.get_column("symbol").unique().to_list()
            raise UnknownSymbolError.for_name(
                "benchmark symbol",
                benchmark,
                symbols,
                hint="Pass a symbol present in the bars, a frame with ts and close, or None.",
            )
        series = sym_frame.select("ts", "close")
    elif isinstance(benchmark, pl.DataFrame):
        missing = [c for c in ("ts", "close") if c not in benchmark.columns]
        if missing:
            raise InputError(
                f"The benchmark frame needs columns 'ts' and 'close'; missing {missing}."
            )
        series = benchmark.select(
            pl.col("ts").cast(frame.schema["ts"]), pl.col("close").cast(pl.Float64)
        ).sort("ts")
        if series.get_column("ts").is_duplicated().any():
            raise InputError("The benchmark frame has duplicate ts values; keep one per bar.")
    else:
        raise InputError(
            f"benchmark must be a symbol, a frame with ts and close, or None; "
            f"got {type(benchmark).__name__}."
        )
    # Returns on the bars' calendar (every ts in the frame): a bar the benchmark lacks
    # nulls the market return that bar and the next, instead of pairing a two-bar
    # benchmark return with a one-bar stock return.
    calendar = frame.select(pl.col("ts").unique().sort())
    aligned = calendar.join(series, on="ts", how="left", maintain_order="left")
    market = aligned.select("ts", ret.alias(_MARKET))
    return frame.join(market, on="ts", how="left", maintain_order="left")
