"""The frozen result of :func:`~axion_lab.overview.market_overview`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from axion_lab.exceptions import UnknownNameError
from axion_lab.overview.config import PERIOD_LABELS, TABLES

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

__all__ = ["MarketOverview"]


@dataclasses.dataclass(frozen=True, eq=False)
class MarketOverview:
    """A market overview: universe counts, performance, breadth, movers.

    Tables (polars, see :meth:`to_frame`): ``performance`` (one row per group and
    period, decimal returns), ``universe`` (counts by dimension), ``breadth`` (one
    row per session of the window), ``gainers`` and ``losers`` (over the window),
    ``cumulative`` (equal-weight lines, long format).
    """

    as_of: dt.date
    window_start: dt.date
    lookback_days: int
    sector: str | None
    index: str | None
    group_by: Literal["sector", "industry"] | str
    total_label: str
    stocks: int
    data_label: str
    is_synthetic: bool
    universe: pl.DataFrame
    performance: pl.DataFrame
    breadth: pl.DataFrame
    gainers: pl.DataFrame
    losers: pl.DataFrame
    cumulative: pl.DataFrame

    # --- tables -------------------------------------------------------------------
    def to_frame(self, table: str = "performance") -> pl.DataFrame:
        """Return one of the result's tables as a polars frame (default: performance)."""
        if table not in TABLES:
            raise UnknownNameError.for_name("overview table", table, TABLES)
        frame: pl.DataFrame = getattr(self, table)
        return frame

    def to_pandas(self, table: str = "performance") -> pd.DataFrame:
        """Return one of the result's tables as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def returns_table(self, weighting: Literal["equal", "cap"] = "equal") -> pl.DataFrame:
        """Wide performance table: one row per group (total first), one column per period.

        Examples
        --------
        >>> from axion_lab import load_market
        >>> from axion_lab.overview import market_overview
        >>> ov = market_overview(load_market(), lookback_days=21)
        >>> ov.returns_table("cap").columns
        ['group', 'stocks', '1W', '1M', '3M', 'YTD', '1Y']
        """
        column = {"equal": "equal_weight", "cap": "cap_weight"}.get(weighting)
        if column is None:
            raise UnknownNameError.for_name("weighting", weighting, ["equal", "cap"])
        order = list(dict.fromkeys(self.performance["group"].to_list()))
        stocks = self.performance.group_by("group").agg(pl.col("stocks").max())
        wide = self.performance.pivot(
            "period", index="group", values=column, on_columns=list(PERIOD_LABELS)
        )
        return (
            wide.join(stocks, on="group")
            .with_columns(pl.col("group").replace_strict(order, range(len(order))).alias("_o"))
            .sort("_o")
            .select("group", "stocks", *PERIOD_LABELS)
        )

    def styled(self, table: str = "performance") -> Styler:
        """A formatted pandas ``Styler`` of a table, for notebooks and reports."""
        from axion_lab.overview.display import styled

        return styled(self, table)

    # --- plots --------------------------------------------------------------------
    def plot_sector_performance(self, period: str = "1M") -> Figure:
        """Bar chart of equal- and cap-weight returns by group over ``period``."""
        from axion_lab.overview.plots import sector_performance_chart

        return sector_performance_chart(self, period=period)

    def plot_breadth(self) -> Figure:
        """Advance/decline line, % above moving averages and new highs/lows."""
        from axion_lab.overview.plots import breadth_chart

        return breadth_chart(self)

    def plot_cumulative(self) -> Figure:
        """Cumulative equal-weight return of each group and of the total."""
        from axion_lab.overview.plots import cumulative_chart

        return cumulative_chart(self)

    # --- display ------------------------------------------------------------------
    @property
    def title(self) -> str:
        """One line naming the universe and the date."""
        return f"Market overview: {self.total_label}, as of {self.as_of.isoformat()}"

    def __repr__(self) -> str:
        return (
            f"<MarketOverview {self.total_label} as of {self.as_of}: {self.stocks} stocks, "
            f"window {self.window_start}..{self.as_of} ({self.data_label})>"
        )

    def _repr_html_(self) -> str:
        from axion_lab.overview.display import summary_html

        return summary_html(self)

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        # The metadata lets a report header say where the data came from without
        # loading it again (see axion_lab.reports).
        data = {"text/html": self._repr_html_(), "text/plain": repr(self)}
        meta = {
            "axion_lab": {
                "data_label": self.data_label,
                "is_synthetic": self.is_synthetic,
                "as_of": self.as_of.isoformat(),
            }
        }
        return data, meta
