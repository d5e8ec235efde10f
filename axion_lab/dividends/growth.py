"""Dividend growth: CAGR over 1/3/5/10 years, raise streaks, tiers, vs earnings growth.

A year's **rate** is the highest annualised regular dividend declared in it: each
regular payment, restated in today's shares (splits) and multiplied by its payments
a year, so specials, splits, a change of frequency or a payment slipping across
New Year do not fake a raise or a cut. A year is a **raise** if its rate beats the
previous year's by more than 0.5% (less is rounding of per-share
amounts after a split, not a raise).

* ``streak``: consecutive raise years ending with the last complete calendar year;
  the current year counts too once it already shows a raise (it cannot break the
  streak before it is over). ``streak_capped`` is true when the streak runs back to
  the first year of the data, so the true streak may be longer.
* ``cagr_Ny``: ``(rate[Y] / rate[Y - N]) ** (1 / N) - 1`` with Y the last complete year.
* ``eps_cagr_Ny``: the same on trailing-twelve-month EPS (split-adjusted) at year
  ends, where both ends are positive.
* ``tier``: the first of ``tiers`` (name, minimum streak) the streak reaches.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.dividends import GrowthAnalyzer
>>> market = load_market()
>>> payer = market.dividends.sort("ex_date")["symbol"][-1]  # a current payer
>>> g = GrowthAnalyzer(market).analyze([payer])
>>> g.to_frame()["symbol"].to_list() == [payer]
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.dividends.config import DEFAULT_TIERS
from axion_lab.dividends.display import result_html
from axion_lab.dividends.history import annualised_rates
from axion_lab.dividends.inputs import reference_day
from axion_lab.exceptions import InputError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CAGR_YEARS", "GrowthAnalyzer", "GrowthReport", "annual_rates", "streaks"]

CAGR_YEARS = (1, 3, 5, 10)
# Declared amounts are rounded (often to 0.0001 per share): after a split that rounding
# alone can move an annual rate by a few tenths of a percent, which is not a raise.
RAISE_TOLERANCE = 0.005
_TABLES = ("growth", "annual")


def annual_rates(dividends: pl.DataFrame, splits: pl.DataFrame, *, until: dt.date) -> pl.DataFrame:
    """Highest annualised split-adjusted regular rate per symbol and calendar year."""
    return (
        annualised_rates(dividends, splits, until=until)
        .group_by("symbol", pl.col("ex_date").dt.year().alias("year"))
        .agg(pl.col("rate").max())
        .sort("symbol", "year")
    )


def _streak(years: list[int], rates: list[float], today: dt.date) -> tuple[int, bool]:
    by_year = dict(zip(years, rates, strict=True))
    last_complete = today.year - 1
    first = min(years)
    count = 0
    y = last_complete
    while y - 1 >= first and by_year.get(y, 0.0) > by_year.get(y - 1, 0.0) * (1 + RAISE_TOLERANCE):
        if by_year.get(y - 1, 0.0) <= 0:
            break
        count += 1
        y -= 1
    capped = count > 0 and y - 1 < first
    current = by_year.get(today.year, 0.0)
    if count == 0 and last_complete not in by_year:
        return 0, False
    if (
        current > by_year.get(last_complete, 0.0) * (1 + RAISE_TOLERANCE)
        and by_year.get(last_complete, 0.0) > 0
    ):
        count += 1
    return count, capped


def streaks(annual: pl.DataFrame, *, today: dt.date) -> pl.DataFrame:
    """Consecutive raise years per symbol from :func:`annual_rates` output."""
    rows = []
    for (symbol,), group in annual.group_by("symbol", maintain_order=True):
        count, capped = _streak(group["year"].to_list(), group["rate"].to_list(), today)
        rows.append({"symbol": symbol, "streak": count, "streak_capped": capped})
    return pl.DataFrame(
        rows, schema={"symbol": pl.String, "streak": pl.Int64, "streak_capped": pl.Boolean}
    )


def _tier(streak: int, tiers: Sequence[tuple[str, int]]) -> str | None:
    for name, minimum in sorted(tiers, key=lambda t: -t[1]):
        if streak >= minimum:
            return name
    return None


def _eps_by_year(market: Market, symbols: list[str], today: dt.date) -> pl.DataFrame:
    """Split-adjusted trailing-twelve-month EPS at each calendar year end."""
    fund = market.fundamentals.filter(
        pl.col("symbol").is_in(symbols) & (pl.col("published") <= today)
    ).select("symbol", "period_end", "eps")
    if fund.height == 0:
        return pl.DataFrame(schema={"symbol": pl.String, "year": pl.Int32, "eps_ttm": pl.Float64})
    splits = market.splits.filter(pl.col("ex_date") <= today).select("symbol", "ex_date", "ratio")
    later = (
        fund.select("symbol", "period_end")
        .join(splits, on="symbol")
        .filter(pl.col("ex_date") > pl.col("period_end"))
        .group_by("symbol", "period_end")
        .agg(pl.col("ratio").product().alias("_f"))
    )
    return (
        fund.join(later, on=["symbol", "period_end"], how="left")
        .with_columns((pl.col("eps") / pl.col("_f").fill_null(1.0)).alias("eps"))
        .sort("symbol", "period_end")
        .with_columns(
            pl.col("eps").rolling_sum(4).over("symbol").alias("eps_ttm"),
            pl.col("period_end").dt.year().alias("year"),
        )
        .filter(pl.col("period_end").dt.month() == 12)
        .select("symbol", "year", "eps_ttm")
    )


def _cagr(end: Any, start: Any, years: int) -> float | None:
    if end is None or start is None or start <= 0 or end <= 0:
        return None
    return float((end / start) ** (1.0 / years) - 1.0)


@dataclasses.dataclass(frozen=True, eq=False)
class GrowthReport:
    """Growth per symbol (``growth``) and the yearly rates behind it (``annual``)."""

    today: dt.date
    tiers: tuple[tuple[str, int], ...]
    growth: pl.DataFrame
    annual: pl.DataFrame
    is_synthetic: bool = False

    def to_frame(self, table: str = "growth") -> pl.DataFrame:
        """``growth`` (default) or ``annual``."""
        if table not in _TABLES:
            raise UnknownNameError.for_name("growth table", table, _TABLES)
        frame: pl.DataFrame = getattr(self, table)
        return frame

    def to_pandas(self, table: str = "growth") -> pd.DataFrame:
        """The same table as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def __repr__(self) -> str:
        return f"<GrowthReport {self.growth.height} symbols as of {self.today}>"

    def _repr_html_(self) -> str:
        tiers = ", ".join(f"{n} {m}+ years" for n, m in self.tiers)
        lines = [
            f"Dividend growth as of {self.today}. Streak = consecutive years of raises "
            f"(split- and special-proof). Tiers: {tiers}."
        ]
        return result_html(
            "Dividend growth", lines, [("Growth", self.growth)], synthetic=self.is_synthetic
        )


class GrowthAnalyzer:
    """Dividend growth, streaks and tiers of symbols in a market."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def analyze(
        self,
        symbols: str | Iterable[str] | None = None,
        *,
        as_of: DateLike | None = None,
        tiers: Sequence[tuple[str, int]] = DEFAULT_TIERS,
    ) -> GrowthReport:
        """Growth of ``symbols`` (default: every symbol with regular dividends)."""
        for name, minimum in tiers:
            if not isinstance(minimum, int) or minimum < 1:
                raise InputError(
                    f"Tier {name!r} needs a minimum streak of 1+ years, got {minimum!r}."
                )
        market = self.market.as_of(as_of) if as_of is not None else self.market
        today = reference_day(market)
        divs = market.dividends
        if symbols is not None:
            syms = market.resolve_symbols(symbols)
            divs = divs.filter(pl.col("symbol").is_in(syms))
        annual = annual_rates(divs, market.splits, until=today)
        syms = annual["symbol"].unique(maintain_order=True).to_list()
        streak = streaks(annual, today=today)
        eps = _eps_by_year(market, syms, today)
        last = today.year - 1
        rate = {(s, y): r for s, y, r in annual.iter_rows()}
        eps_map = {(s, y): e for s, y, e in eps.iter_rows()}
        rows = []
        for s, count, capped in streak.iter_rows():
            row: dict[str, Any] = {
                "symbol": s,
                "streak": count,
                "streak_capped": capped,
                "tier": _tier(count, tiers),
                "rate": rate.get((s, last)),
            }
            for n in CAGR_YEARS:
                row[f"cagr_{n}y"] = _cagr(rate.get((s, last)), rate.get((s, last - n)), n)
            for n in (3, 5):
                row[f"eps_cagr_{n}y"] = _cagr(eps_map.get((s, last)), eps_map.get((s, last - n)), n)
            rows.append(row)
        schema: dict[str, Any] = {
            "symbol": pl.String,
            "streak": pl.Int64,
            "streak_capped": pl.Boolean,
            "tier": pl.String,
            "rate": pl.Float64,
            **{f"cagr_{n}y": pl.Float64 for n in CAGR_YEARS},
            "eps_cagr_3y": pl.Float64,
            "eps_cagr_5y": pl.Float64,
        }
        growth = pl.DataFrame(rows, schema=schema).with_columns(
            (pl.col("cagr_5y") - pl.col("eps_cagr_5y")).alias("growth_minus_eps_5y")
        )
        return GrowthReport(today, tuple(tiers), growth, annual, market.is_synthetic)
