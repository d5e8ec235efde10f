"""``market_overview``: one call from a :class:`~axion_lab.data.Market` to an overview.

The engine picks the universe (equities, optionally one sector and/or the current
members of one index), then computes the universe counts, period performance,
breadth, cumulative lines and top movers with the pure functions of
:mod:`~axion_lab.overview.performance` and :mod:`~axion_lab.overview.breadth`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.overview.breadth import breadth
from axion_lab.overview.config import (
    DEFAULT_LOOKBACK_DAYS,
    HIGH_LOW_WINDOW,
    MA_WINDOWS,
    PERIODS,
    TOP_MOVERS,
)
from axion_lab.overview.models import MarketOverview
from axion_lab.overview.performance import (
    cumulative_lines,
    period_bases,
    period_returns,
    top_movers,
    window_base,
)

__all__ = ["market_overview"]

UNCLASSIFIED = "Unclassified"
# Sessions of history before the window: the longest period or average, plus slack
# for YTD, whose base (the previous year's last close) can be a little over 252 back.
_PERIOD_SESSIONS = [n for _, n in PERIODS if n is not None]
_HISTORY_SESSIONS = max(*_PERIOD_SESSIONS, *MA_WINDOWS, HIGH_LOW_WINDOW) + 10


def _blank_to_none(value: str | None) -> str | None:
    # Notebook parameters use "" for "not set"; treat it as None everywhere.
    if value is None:
        return None
    value = value.strip()
    return value or None


def _resolve_sector(instruments: pl.DataFrame, sector: str) -> str:
    valid = sorted(s for s in instruments["sector"].drop_nulls().unique().to_list() if s)
    match = {str(s).lower(): str(s) for s in valid}.get(sector.lower())
    if match is None:
        raise UnknownNameError.for_name(
            "sector", sector, valid, hint="Pass a sector name, or None for the whole market."
        )
    return match


def _resolve_index(market: Market, index: str) -> str:
    valid = set(market.index_membership["index"].unique().to_list())
    valid |= set(market.instruments["indexes"].explode().drop_nulls().unique().to_list())
    match = {str(i).lower(): str(i) for i in valid}.get(index.lower())
    if match is None:
        raise UnknownNameError.for_name(
            "index", index, sorted(valid), hint="Pass an index name, or None for every stock."
        )
    return match


def _universe_counts(selected: pl.DataFrame, *, by_industry: bool) -> pl.DataFrame:
    """Long table of counts: ``dimension``, ``value``, ``count``, largest first."""
    dimensions = ["asset_class", "sector", *(["industry"] if by_industry else []), "exchange"]
    parts = [
        selected.select(
            pl.lit(dim).alias("dimension"), pl.col(dim).fill_null("(none)").alias("value")
        )
        for dim in dimensions
    ]
    parts.append(
        selected.select(pl.col("indexes").explode().alias("value"))
        .drop_nulls()
        .select(pl.lit("index").alias("dimension"), "value")
    )
    order = {dim: i for i, dim in enumerate([*dimensions, "index"])}
    return (
        pl.concat(parts)
        .group_by("dimension", "value")
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns(pl.col("dimension").replace_strict(order).alias("_order"))
        .sort(["_order", "count", "value"], descending=[False, True, False])
        .drop("_order")
    )


def market_overview(
    market: Market,
    *,
    sector: str | None = None,
    as_of: DateLike | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    index: str | None = None,
) -> MarketOverview:
    """Summarise a market: universe, sector performance, breadth and top movers.

    Parameters
    ----------
    market
        The data bundle, e.g. ``load_market()``.
    sector
        Narrow to one sector (case-insensitive); performance is then by industry.
        None or blank: every sector.
    as_of
        Compute as of this date (ISO string or date), with nothing published later
        visible. None or blank: the market's last session.
    lookback_days
        Trading sessions covered by the breadth history, the cumulative lines and
        the top movers (clamped to the history available).
    index
        Keep only the current members of this index. None or blank: every stock.

    Returns
    -------
    MarketOverview
        A frozen result; ``to_frame(table)`` gives each table, ``plot_*`` the charts.

    Raises
    ------
    UnknownNameError
        An unknown sector or index (with suggestions).
    InputError
        ``lookback_days`` below 1, or no stock left after filtering.

    Examples
    --------
    >>> from axion_lab import load_market
    >>> from axion_lab.overview import market_overview
    >>> ov = market_overview(load_market(), sector="information technology", lookback_days=63)
    >>> ov.sector, ov.group_by
    ('Information Technology', 'industry')
    >>> ov.to_frame("performance").columns
    ['group', 'period', 'start', 'end', 'stocks', 'equal_weight', 'cap_weight']
    """
    if isinstance(lookback_days, bool) or not isinstance(lookback_days, int) or lookback_days < 1:
        raise InputError(
            f"lookback_days must be a whole number of sessions >= 1, got {lookback_days!r}."
        )
    sector = _blank_to_none(sector)
    index = _blank_to_none(index)
    if isinstance(as_of, str):
        as_of = _blank_to_none(as_of)
    if as_of is not None:
        market = market.as_of(as_of)

    selected = market.instruments
    if sector is not None:
        sector = _resolve_sector(selected, sector)
        selected = selected.filter(pl.col("sector") == sector)
    if index is not None:
        index = _resolve_index(market, index)
        selected = selected.filter(pl.col("indexes").list.contains(index))
    universe = _universe_counts(selected, by_industry=sector is not None)

    group_by = "industry" if sector is not None else "sector"
    members = selected.filter(pl.col("asset_class") == "equity").select(
        "symbol", "name", pl.col(group_by).fill_null(UNCLASSIFIED).alias("group")
    )
    symbols = members["symbol"].to_list()
    # A close that is zero, negative or not finite is no price: returns from it would
    # be infinite or NaN, so such bars are left out.
    raw = market.bars.filter(
        pl.col("symbol").is_in(symbols), pl.col("close") > 0, pl.col("close").is_finite()
    )
    if raw.height == 0:
        where = " and ".join(
            f for f in (sector and f"sector {sector!r}", index and f"index {index!r}") if f
        )
        raise InputError(
            f"No stock with daily bars in {where or 'this market'}"
            f"{' as of ' + str(market.as_of_date) if market.as_of_date else ''}; "
            "widen the filters or pick a later as_of date."
        )
    days: list[dt.date] = raw["ts"].dt.date().unique().sort().to_list()
    end = days[-1]
    start = window_base(days, lookback_days)
    # Only the history the window and its longest look-back need; older bars cannot
    # change any number here (split adjustment looks forward only).
    cutoff = window_base(days, lookback_days + _HISTORY_SESSIONS)
    raw = raw.filter(pl.col("ts").dt.date() >= cutoff)
    adjusted = dataclasses.replace(market, bars=raw).adjusted_bars("split")
    total_label = sector or index or "Market"

    performance = period_returns(
        adjusted,
        raw,
        members,
        fundamentals=market.fundamentals,
        splits=market.splits,
        end=end,
        bases=period_bases(days, PERIODS),
        total_label=total_label,
    )
    gainers, losers = top_movers(adjusted, members, start, end, n=TOP_MOVERS)
    return MarketOverview(
        as_of=end,
        window_start=start,
        lookback_days=lookback_days,
        sector=sector,
        index=index,
        group_by=group_by,
        total_label=total_label,
        stocks=members.height,
        data_label=market.label,
        is_synthetic=market.is_synthetic,
        universe=universe,
        performance=performance,
        breadth=breadth(adjusted, start, end),
        gainers=gainers,
        losers=losers,
        cumulative=cumulative_lines(adjusted, members, start, end, total_label=total_label),
    )
