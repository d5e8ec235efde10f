"""``ScreenBacktester``: hold the top N of a screen, rebalanced monthly or quarterly.

On each rebalance date (the last session of each month or quarter) the screen runs
(:func:`~axion_lab.screener.engine.run_screen`) on the point-in-time snapshot of that
date, all dates built in one :func:`~axion_lab.fields.build_snapshots` call (so
fundamentals count only from their ``published`` date, index membership is as it
stood, and only splits effective by then restate per-share history); the matches are
ranked by a field or formula and the top N bought, equal- or cap-weighted, at that
session's close. Between rebalances the positions drift with **total-return** prices
(splits and dividends, :meth:`Market.adjusted_bars`; ``prices="split"`` ignores
dividends). A holding whose bars end is sold at its last close. Costs are ``cost_bps``
on every unit of value traded. The arithmetic is :func:`~.backtest_sim.simulate`; the
statistics :mod:`~.backtest_stats`.

Only the fields the screen, the rank and the weighting read are computed, on the
market restricted once to the symbols the universe can ever hold
(:meth:`Market.restrict`); each source runs once for every date (indicators over the
full history, then each date's row). The universe and tradability are applied to all
dates at once, the top N of every date ranked in one pass, and the price matrix built
on a second thread meanwhile. A second backtest on the same market reuses its
adjusted bars (:meth:`Market.adjusted_bars` keeps the last few).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.screener import Screen, Universe
>>> from axion_lab.screener.backtest import ScreenBacktester
>>> bt = ScreenBacktester(load_market(), progress=False)
>>> result = bt.run(Screen("large caps", universe=Universe.index("AX500")),
...                 start="2023-01-01", end="2023-06-30", top_n=10, rank_by="ret_126")
>>> len(result.rebalance_dates), result.holdings.group_by("rebalance_date").len()["len"].max()
(5, 10)
>>> round(result.equity["gross_equity"][0], 9), round(result.equity["equity"][0], 9)  # 10 bps
(1.0, 0.999)
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.fields import FIELD_REGISTRY, build_snapshots
from axion_lab.screener.backtest_result import BacktestConfig, BacktestResult
from axion_lab.screener.backtest_sim import PricePanel, simulate
from axion_lab.screener.backtest_stats import cagr
from axion_lab.screener.engine import (
    ScreenerEngine,
    _cross_fields,
    _validate,
    apply_universe,
    run_screen,
)
from axion_lab.screener.models import Screen, Universe
from axion_lab.screener.presets import get_preset

__all__ = ["RankFormula", "ScreenBacktester", "rebalance_dates"]

Rebalance = Literal["monthly", "quarterly"]
Weighting = Literal["equal", "cap"]
PriceBasis = Literal["total", "split"]


@runtime_checkable
class RankFormula(Protocol):
    """A numeric formula to rank matches by: the fields it reads and its expression."""

    @property
    def fields(self) -> set[str]:
        """Field ids the formula reads."""
        ...

    def to_expr(self) -> pl.Expr:
        """The numeric polars expression (higher ranks first unless ascending)."""
        ...


def rebalance_dates(sessions: Iterable[dt.date], every: Rebalance) -> list[dt.date]:
    """The last session of each month (or quarter) among ``sessions``.

    Examples
    --------
    >>> import datetime as dt
    >>> days = [dt.date(2024, 1, 30), dt.date(2024, 1, 31), dt.date(2024, 2, 1)]
    >>> rebalance_dates(days, "monthly")
    [datetime.date(2024, 1, 31), datetime.date(2024, 2, 1)]
    """
    if every not in ("monthly", "quarterly"):
        raise InputError(f"rebalance must be 'monthly' or 'quarterly', got {every!r}.")
    last: dict[tuple[int, int], dt.date] = {}
    for day in sorted(sessions):
        bucket = day.month if every == "monthly" else (day.month - 1) // 3
        last[(day.year, bucket)] = day
    return sorted(last.values())


def _rank_spec(
    rank_by: str | pl.Expr | RankFormula,
) -> tuple[list[str], pl.Expr, str]:
    """(field ids read, numeric expression, label) of a rank field or formula."""
    if isinstance(rank_by, str):
        fid = FIELD_REGISTRY.resolve(rank_by)
        spec = FIELD_REGISTRY.get(fid)
        if spec.dtype not in ("float", "int"):
            raise InputError(f"Rank by a numeric field; {fid!r} is {spec.dtype}.")
        return [fid], pl.col(fid).cast(pl.Float64), fid
    if isinstance(rank_by, pl.Expr):
        names = rank_by.meta.root_names()
        ids = [FIELD_REGISTRY.resolve(n) for n in names]
        if ids != names:
            raise InputError(f"A rank expression must name fields by id: use {ids}, not {names}.")
        return ids, rank_by.cast(pl.Float64), str(getattr(rank_by, "text", rank_by))
    if isinstance(rank_by, RankFormula):
        ids = [FIELD_REGISTRY.resolve(f) for f in sorted(rank_by.fields)]
        label = str(getattr(rank_by, "text", "formula"))
        return ids, rank_by.to_expr().cast(pl.Float64), label
    raise InputError(
        f"rank_by must be a field id, a polars expression or a formula; got "
        f"{type(rank_by).__name__}."
    )


def _candidates(market: Market, screen: Screen, start: dt.date, end: dt.date) -> list[str]:
    """Every symbol the screen's universe could hold between ``start`` and ``end``."""
    uni = screen.universe
    inst = market.instruments
    if uni.symbols:
        return market.resolve_symbols(uni.symbols)
    if uni.asset_classes:
        valid = sorted(v for v in inst["asset_class"].unique().to_list() if v)
        for a in uni.asset_classes:
            if a not in valid:
                raise UnknownNameError.for_name("asset class", a, valid)
        inst = inst.filter(pl.col("asset_class").is_in(list(uni.asset_classes)))
    if uni.indexes:
        mem = market.index_membership
        valid = sorted(mem["index"].unique().to_list())
        for i in uni.indexes:
            if i not in valid:
                raise UnknownNameError.for_name("index", i, valid)
        ever = mem.filter(
            pl.col("index").is_in(list(uni.indexes)),
            pl.col("start") <= end,
            pl.col("end").is_null() | (pl.col("end") > start),
        )["symbol"]
        inst = inst.filter(pl.col("symbol").is_in(ever.implode()))
    if uni.sectors:
        lowered = [s.lower() for s in uni.sectors]
        inst = inst.filter(pl.col("sector").str.to_lowercase().is_in(lowered))
    if uni.exclude:
        inst = inst.filter(~pl.col("symbol").is_in([s.upper() for s in uni.exclude]))
    return sorted(inst["symbol"].to_list())


def _price_matrix(
    market: Market, symbols: Sequence[str], sessions: Sequence[dt.date], basis: PriceBasis
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Adjusted closes, sessions x symbols, ``nan`` where a symbol has no bar.

    The bars come adjusted by every event in ``market``, later ones included: a
    constant factor per symbol over the sessions, so the returns are those of the
    events known by then.
    """
    wanted = list(dict.fromkeys(symbols))
    lo = dt.datetime.combine(sessions[0], dt.time())
    hi = dt.datetime.combine(sessions[-1], dt.time.max)
    bars = (
        market.adjusted_bars(basis, symbols=wanted)
        .filter(pl.col("ts").is_between(lo, hi))
        .select(pl.col("ts").dt.date().cast(pl.Int32).alias("day"), "symbol", "close")
    )
    # Scatter into a dense matrix by position (a pivot over hundreds of symbols costs
    # seconds). The bars are sorted by symbol: each run of one symbol is one column.
    # The row comes from a day -> session lookup table.
    runs = bars.get_column("symbol").rle().struct.unnest()
    where = {s: j for j, s in enumerate(wanted)}
    first_col = np.array([where[s] for s in runs["value"].to_list()], dtype=np.intp)
    col = np.repeat(first_col, runs["len"].to_numpy())
    days = np.array([d.toordinal() for d in sessions]) - dt.date(1970, 1, 1).toordinal()
    lookup = np.full(int(days[-1] - days[0]) + 1, -1)
    lookup[days - days[0]] = np.arange(len(sessions))
    row = lookup[bars["day"].to_numpy() - days[0]]
    on = row >= 0  # a bar on a day that is not a session of the backtest is not placed
    out = np.full((len(sessions), len(wanted)), np.nan)
    out[row[on], col[on]] = bars["close"].to_numpy()[on]
    return out


def _by_date(stacked: pl.DataFrame) -> dict[dt.date, pl.DataFrame]:
    """A stacked snapshot frame split into one snapshot (without ``date``) per date."""
    parts = stacked.partition_by("date", as_dict=True, include_key=False)
    return {key[0]: part for key, part in parts.items()}


def _top(
    picked: Sequence[pl.DataFrame], rank_expr: pl.Expr, top_n: int, *, ascending: bool
) -> pl.DataFrame:
    """The ``top_n`` matches of every date by ``rank_expr`` (ties by symbol), one pass."""
    schema = {"date": pl.Date, "symbol": pl.String, "__rank": pl.Float64}
    if not picked:
        return pl.DataFrame(schema=schema)
    return (
        pl.concat(picked, how="diagonal_relaxed")
        .with_columns(rank_expr.alias("__rank"))
        .filter(pl.col("__rank").is_not_null() & pl.col("__rank").is_not_nan())
        .sort(["date", "__rank", "symbol"], descending=[False, not ascending, False])
        .group_by("date", maintain_order=True)
        .head(top_n)
    )


def _weights(frame: pl.DataFrame, weighting: Weighting) -> list[float]:
    if frame.height == 0:
        return []  # nothing ranked: the period is held in cash
    if weighting == "equal":
        return [1.0 / frame.height] * frame.height
    caps = frame["market_cap"].fill_null(0.0).to_list()
    total = float(sum(caps))
    if total <= 0:
        return [1.0 / frame.height] * frame.height
    return [c / total for c in caps]


class ScreenBacktester:
    """Backtests screens on a market, point in time.

    Parameters
    ----------
    market
        The market bundle with its full history.
    progress
        Show a tqdm progress bar while a backtest runs (its dates' snapshots are
        most of the work).
    """

    def __init__(self, market: Market, *, progress: bool = True) -> None:
        self.market = market
        self.progress = progress

    def __repr__(self) -> str:
        return f"<ScreenBacktester over {self.market.label}>"

    def _progress(
        self, total: int, label: str, hook: Callable[[float], None] | None
    ) -> Callable[[float], None]:
        """A function taking the fraction done that moves the tqdm bar and ``hook``."""
        bar = None
        if self.progress:
            from tqdm.auto import tqdm  # type: ignore[import-untyped]

            bar = tqdm(total=total, desc=f"Backtest {label}", unit="rebalance")

        def report(fraction: float) -> None:
            if bar is not None:
                bar.update(round(fraction * total) - bar.n)
                if fraction >= 1.0:
                    bar.close()
            if hook is not None:
                hook(fraction)

        return report

    def run(
        self,
        screen: Screen | str,
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        rebalance: Rebalance = "monthly",
        top_n: int = 20,
        rank_by: str | pl.Expr | RankFormula | None = None,
        ascending: bool | None = None,
        weighting: Weighting = "equal",
        cost_bps: float = 10.0,
        benchmark: str | None = "AX500",
        prices: PriceBasis = "total",
        on_rebalance: Callable[[dt.date, list[str]], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> BacktestResult:
        """Backtest ``screen`` (or a preset name) and return a :class:`BacktestResult`.

        Parameters
        ----------
        start, end
            The period (default: from a year after the data starts, so long-window
            fields are defined, to the last date).
        rebalance
            ``"monthly"`` or ``"quarterly"``: the last session of each period.
        top_n
            How many of the matches to hold.
        rank_by, ascending
            A field id, a polars expression over field ids, or a compiled formula;
            default the screen's ``sort_by`` (else ``market_cap``). Highest first unless
            ``ascending`` (default: the opposite of the screen's ``descending``).
        weighting
            ``"equal"`` or ``"cap"`` (by market cap on the rebalance date).
        cost_bps
            Cost in basis points of the value traded, both ways.
        benchmark
            A symbol whose total-return price is the benchmark (an index or an ETF);
            ``None`` for none.
        prices
            ``"total"`` (dividends reinvested) or ``"split"`` (price return).
        on_rebalance
            Called with each rebalance date and the symbols bought (for logging).
        on_progress
            Called with the fraction done (0 to 1, rising) as the point-in-time
            snapshots of the rebalance dates are built (most of the work), then as the
            screens and the simulation finish: drives a progress bar.
        """
        market = self.market
        if isinstance(screen, str):
            screen = get_preset(screen)
        if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
            raise InputError(f"top_n must be a positive integer, got {top_n!r}.")
        if weighting not in ("equal", "cap"):
            raise InputError(f"weighting must be 'equal' or 'cap', got {weighting!r}.")
        if prices not in ("total", "split"):
            raise InputError(f"prices must be 'total' or 'split', got {prices!r}.")
        if not np.isfinite(cost_bps) or cost_bps < 0:
            raise InputError(f"cost_bps must be a non-negative number, got {cost_bps!r}.")
        lo = (
            market.check_date(start, what="start date")
            if start is not None
            else market.start + dt.timedelta(days=365)
        )
        hi = market.check_date(end, what="end date") if end is not None else market.end
        sessions = [d for d in market.trading_days.to_list() if lo <= d <= hi]
        dates = [d for d in rebalance_dates(sessions, rebalance) if d < sessions[-1]]
        if not dates:
            raise InputError(
                f"No {rebalance} rebalance date between {lo} and {hi}; widen the period."
            )
        sessions = [d for d in sessions if d >= dates[0]]
        rank_key = rank_by if rank_by is not None else (screen.sort_by or "market_cap")
        rank_fields, rank_expr, rank_label = _rank_spec(rank_key)
        if ascending is None:
            ascending = not screen.descending if rank_by is None else False
        bench = None
        if benchmark is not None:
            bench = market.resolve_symbols(benchmark)[0]

        started = time.perf_counter()
        symbols = _candidates(market, screen, dates[0], hi)
        if not symbols:
            raise InputError(f"The universe ({screen.universe.describe()}) holds no symbols.")
        restricted = market.restrict(symbols)
        # The price matrix (the universe and the benchmark) is built on a second thread
        # while the snapshots are: polars releases the GIL. Both read the market's
        # adjusted bars, which it keeps for the next backtest.
        priced = [*symbols, bench] if bench is not None and bench not in symbols else symbols
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="axion-backtest")
        pricing = pool.submit(_price_matrix, market, priced, sessions, prices)
        pool.shutdown(wait=False)
        column = {s: j for j, s in enumerate(symbols)}
        row_of = {d: i for i, d in enumerate(sessions)}
        timings = {"prepare": time.perf_counter() - started}

        extra = ["symbol", *rank_fields] + (["market_cap"] if weighting == "cap" else [])
        targets: list[np.ndarray[Any, np.dtype[np.float64]]] = []
        held_rows: list[dict[str, Any]] = []
        matched: list[int] = []
        started = time.perf_counter()
        # Sorting by symbol keeps the screen from computing its default sort key
        # (market cap): the matches are ranked below anyway.
        base = screen.replace(limit=None, sort_by="symbol", descending=False)
        engine = ScreenerEngine(restricted)
        nodes = _validate(base.filters, engine.filters, None)
        # One batched snapshot of every rebalance date, only the fields the screen,
        # the rank and the weighting read: each source computed once, point in time.
        report = self._progress(len(dates), screen.name, on_progress)
        built = iter(range(1, len(dates) + 1))
        stacked = build_snapshots(
            restricted,
            dates,
            fields=engine._needed(base, nodes, extra, None),
            on_date=lambda _day: report(0.9 * next(built) / len(dates)),
        )
        priced_matrix = pricing.result()
        matrix = priced_matrix[:, : len(symbols)]
        # The universe and tradability are row tests: applied once to every date. A
        # symbol without a bar on the day cannot be traded (delisted, or not yet
        # trading), so it leaves the universe before ranks and percentiles are taken.
        in_universe = apply_universe(stacked, screen.universe)
        at = np.array([row_of[d] for d in dates])
        live_date, live_col = np.nonzero(np.isfinite(matrix[at]))
        tradeable = pl.DataFrame(
            {
                "date": pl.Series(dates, dtype=pl.Date).gather(live_date),
                "symbol": pl.Series(symbols, dtype=pl.String).gather(live_col),
            }
        )
        snaps = _by_date(in_universe.join(tradeable, on=["date", "symbol"], how="semi"))
        crossing = _cross_fields(nodes)
        before = {d: engine._previous_session(d) for d in dates} if crossing else {}
        prev = (
            _by_date(build_snapshots(restricted, set(before.values()), fields=crossing))
            if crossing
            else {}
        )
        timings["snapshots"] = time.perf_counter() - started
        started = time.perf_counter()
        everything = base.replace(universe=Universe(asset_classes=()))
        picked: list[pl.DataFrame] = []
        for day in dates:
            snap = snaps.get(day)
            if snap is None:  # nothing in the universe trades that day: hold cash
                matched.append(0)
                continue
            result = run_screen(
                snap,
                everything,
                previous=prev.get(before.get(day, day)),
                as_of=day,
                columns=extra,
                filters=engine.filters,
            )
            matched.append(result.matched)
            picked.append(result.frame.with_columns(pl.lit(day).alias("date")))
        ranked = _top(picked, rank_expr, top_n, ascending=ascending)
        by_day = _by_date(ranked) if ranked.height else {}
        none_chosen = ranked.clear().drop("date")
        for day in dates:
            chosen = by_day.get(day, none_chosen)
            weights = _weights(chosen, weighting)
            target = np.zeros(len(symbols))
            for sym, w, value in zip(
                chosen["symbol"].to_list(), weights, chosen["__rank"].to_list(), strict=True
            ):
                target[column[sym]] = w
                held_rows.append(
                    {"rebalance_date": day, "symbol": sym, "weight": w, "rank_value": value}
                )
            targets.append(target)
            if on_rebalance is not None:
                on_rebalance(day, chosen["symbol"].to_list())
        timings["screens"] = time.perf_counter() - started
        report(0.95)

        started = time.perf_counter()
        rows = [row_of[d] for d in dates]
        # Only columns ever bought can move the equity (the rest hold no units, and a
        # delisting matters only when held): simulate on those.
        used = np.flatnonzero(np.any(np.stack(targets) > 0, axis=0))
        panel = PricePanel.of(matrix[:, used])
        weights_used = [t[used] for t in targets]
        net = simulate(panel, rows, weights_used, cost_rate=cost_bps / 1e4)
        gross = simulate(panel, rows, weights_used, cost_rate=0.0)
        bench_curve = None
        if bench is not None:
            bm = _forward_fill_1d(priced_matrix[:, priced.index(bench)])
            bench_curve = bm / bm[0] if np.isfinite(bm[0]) and bm[0] > 0 else None
            if bench_curve is None:
                raise InputError(f"The benchmark {bench!r} has no price on {dates[0]}.")
        timings["simulate"] = time.perf_counter() - started
        report(1.0)

        config = BacktestConfig(
            start=dates[0],
            end=sessions[-1],
            rebalance=rebalance,
            top_n=top_n,
            rank_by=rank_label,
            ascending=ascending,
            weighting=weighting,
            cost_bps=float(cost_bps),
            benchmark=bench,
            prices=prices,
        )
        equity = pl.DataFrame(
            {
                "date": sessions,
                "equity": net.equity,
                "gross_equity": gross.equity,
                "benchmark": bench_curve if bench_curve is not None else [None] * len(sessions),
            },
            schema={
                "date": pl.Date,
                "equity": pl.Float64,
                "gross_equity": pl.Float64,
                "benchmark": pl.Float64,
            },
        )
        holdings = pl.DataFrame(
            held_rows,
            schema={
                "rebalance_date": pl.Date,
                "symbol": pl.String,
                "weight": pl.Float64,
                "rank_value": pl.Float64,
            },
        )
        sold = pl.DataFrame(
            [(sessions[t], symbols[used[j]]) for t, j in net.delisted],
            schema={"date": pl.Date, "symbol": pl.String},
            orient="row",
        )
        periods = pl.DataFrame(
            {
                "rebalance_date": dates,
                "matched": matched,
                "held": [int((t > 0).sum()) for t in targets],
                "turnover": net.turnover,
                "cost": net.costs,
            },
            schema={
                "rebalance_date": pl.Date,
                "matched": pl.Int64,
                "held": pl.Int64,
                "turnover": pl.Float64,
                "cost": pl.Float64,
            },
        )
        return BacktestResult.build(
            screen=screen,
            config=config,
            equity=equity,
            holdings=holdings,
            periods=periods,
            delisted=sold,
            cost_drag=cagr(_returns(gross.equity)) - cagr(_returns(net.equity)),
            source=f"{market.description or market.provider}",
            is_synthetic=market.is_synthetic,
            timings=timings,
        )


def _returns(
    equity: np.ndarray[Any, np.dtype[np.float64]],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.asarray(equity[1:] / equity[:-1] - 1.0, dtype=np.float64)


def _forward_fill_1d(
    values: np.ndarray[Any, np.dtype[np.float64]],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.asarray(pl.Series(values).fill_nan(None).forward_fill().to_numpy(), dtype=np.float64)
