"""Dividend safety: a transparent 0-100 score, its factors, and its track record.

The score is the sum of seven factors' points (maximum points in
:data:`~axion_lab.dividends.config.SAFETY_WEIGHTS`, 100 in all). Each factor earns
a share of its points from 0 to 1, linear between the two thresholds below, from
trailing-twelve-month (TTM) statements published by the reference date:

================== =========================================== ====== ======
factor             measure                                     full   none
================== =========================================== ====== ======
earnings_payout    dividends paid / net income                 <=40%  >=100%
fcf_payout         dividends paid / free cash flow             <=50%  >=120%
interest_coverage  operating income / interest expense         >=10x  <=1.5x
leverage           total debt / EBITDA                         <=1x   >=5x
earnings_stability 1 - std / mean of the last 12 quarters' net income
streak             consecutive years of raises                 >=25   0
sector             :data:`~axion_lab.dividends.config.SECTOR_SAFETY`
================== =========================================== ====== ======

Losses (net income, FCF or EBITDA <= 0) earn nothing for the factors they divide.
A factor without data earns half its points and is listed in ``missing``. Factor
points are rounded so they add up exactly to the score (largest remainder).

**Track record** (:meth:`SafetyAnalyzer.track_record`): at several past dates the
score is computed point in time (``market.as_of(d)``) for every payer, and each is
checked for a **cut** in the next 12 months: a regular payment whose annualised,
split-adjusted rate is more than :data:`~axion_lab.dividends.config.CUT_THRESHOLD`
below the previous one, or no regular payment at all within 12 months and a month
(suspension). The cut rate per band is shown beside each score.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.dividends.config import (
    CUT_THRESHOLD,
    SAFETY_WEIGHTS,
    SECTOR_SAFETY,
    DividendFrequency,
    SafetyRating,
)
from axion_lab.dividends.display import result_html
from axion_lab.dividends.growth import annual_rates, streaks
from axion_lab.dividends.history import annualised_rates, regular
from axion_lab.dividends.inputs import reference_day
from axion_lab.exceptions import DateRangeError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["SafetyAnalyzer", "SafetyReport", "TrackRecord", "find_cuts", "score_market"]

FACTORS = tuple(SAFETY_WEIGHTS)
_TABLES = ("scores", "track_record")


def _linear(x: pl.Expr, full: float, none: float) -> pl.Expr:
    """Share 1 at ``full``, 0 at ``none``, linear between (either direction)."""
    return ((x - none) / (full - none)).clip(0.0, 1.0)


def _ttm(market: Market, today: dt.date, symbols: list[str]) -> pl.DataFrame:
    fund = (
        market.fundamentals.filter(pl.col("symbol").is_in(symbols) & (pl.col("published") <= today))
        .sort("symbol", "period_end")
        .group_by("symbol", maintain_order=True)
        .tail(12)
    )
    last4 = fund.group_by("symbol", maintain_order=True).tail(4)
    sums = last4.group_by("symbol").agg(
        pl.col(
            "net_income", "free_cash_flow", "operating_income", "interest_expense", "ebitda"
        ).sum(),
        pl.col("dividends_paid").abs().sum(),
        pl.col("total_debt").last(),
        pl.len().alias("_quarters"),
    )
    stability = fund.group_by("symbol").agg(
        (pl.col("net_income").std() / pl.col("net_income").mean()).alias("_cv"),
        pl.col("net_income").mean().alias("_mean"),
        pl.len().alias("_n12"),
    )
    return sums.join(stability, on="symbol", how="left").filter(pl.col("_quarters") == 4)


def score_market(market: Market, symbols: Sequence[str] | None = None) -> pl.DataFrame:
    """Safety scores of every current payer (see the suspension rule below).

    Columns: symbol, score, rating, ``pts_<factor>`` (integers adding up to the
    score), the raw measures, and ``missing`` (factors without data).
    """
    today = reference_day(market)
    divs = (
        market.dividends
        if symbols is None
        else market.dividends.filter(pl.col("symbol").is_in(list(symbols)))
    )
    # A current payer: its last regular ex-date is within two periods and a month,
    # the calendar's suspension rule (a suspended name is not scored).
    period = {f.value: f.days for f in DividendFrequency}
    recent = (
        regular(divs.filter(pl.col("ex_date") <= today))
        .sort("symbol", "ex_date")
        .group_by("symbol")
        .last()
        .with_columns(
            pl.col("frequency").replace_strict(period, default=365.25, return_dtype=pl.Float64)
        )
        .filter((pl.lit(today) - pl.col("ex_date")).dt.total_days() <= 2 * pl.col("frequency") + 30)
    )
    payers = sorted(recent["symbol"].to_list())
    if not payers:
        return pl.DataFrame(schema={"symbol": pl.String, "score": pl.Int64, "rating": pl.String})
    streak = streaks(
        annual_rates(divs.filter(pl.col("symbol").is_in(payers)), market.splits, until=today),
        today=today,
    )
    frame = (
        pl.DataFrame({"symbol": payers})
        .join(market.instruments.select("symbol", "sector"), on="symbol", how="left")
        .join(_ttm(market, today, payers), on="symbol", how="left")
        .join(streak, on="symbol", how="left")
        .with_columns(
            (pl.col("dividends_paid") / pl.col("net_income")).alias("earnings_payout"),
            (pl.col("dividends_paid") / pl.col("free_cash_flow")).alias("fcf_payout"),
            (pl.col("operating_income") / pl.col("interest_expense")).alias("interest_coverage"),
            (pl.col("total_debt") / pl.col("ebitda")).alias("leverage"),
        )
    )
    shares = {
        "earnings_payout": pl.when(pl.col("net_income") <= 0)
        .then(0.0)
        .otherwise(_linear(pl.col("earnings_payout"), 0.4, 1.0)),
        "fcf_payout": pl.when(pl.col("free_cash_flow") <= 0)
        .then(0.0)
        .otherwise(_linear(pl.col("fcf_payout"), 0.5, 1.2)),
        "interest_coverage": pl.when(pl.col("interest_expense").abs() < 1e-9)
        .then(pl.when(pl.col("operating_income").is_null()).then(None).otherwise(1.0))
        .otherwise(_linear(pl.col("interest_coverage"), 10.0, 1.5)),
        "leverage": pl.when(pl.col("ebitda") <= 0)
        .then(0.0)
        .otherwise(_linear(pl.col("leverage"), 1.0, 5.0)),
        "earnings_stability": pl.when(pl.col("_mean") <= 0)
        .then(0.0)
        .otherwise((1.0 - pl.col("_cv")).clip(0.0, 1.0)),
        "streak": (pl.col("streak").fill_null(0) / 25.0).clip(0.0, 1.0),
        "sector": pl.col("sector").replace_strict(
            SECTOR_SAFETY, default=None, return_dtype=pl.Float64
        ),
    }
    frame = frame.with_columns(
        *(expr.fill_nan(None).alias(f"_s_{k}") for k, expr in shares.items())
    )
    missing = pl.concat_list(
        *(pl.when(pl.col(f"_s_{k}").is_null()).then(pl.lit(k)) for k in FACTORS)
    ).list.drop_nulls()
    frame = frame.with_columns(
        *((pl.col(f"_s_{k}").fill_null(0.5) * SAFETY_WEIGHTS[k]).alias(f"_p_{k}") for k in FACTORS),
        missing.alias("missing"),
    )
    raw = [list(r) for r in frame.select(f"_p_{k}" for k in FACTORS).iter_rows()]
    scores, points = [], []
    for row in raw:
        score = round(sum(row))
        ints = [int(x) for x in row]
        order = sorted(range(len(row)), key=lambda i: row[i] - ints[i], reverse=True)
        for i in order[: score - sum(ints)]:
            ints[i] += 1
        scores.append(score)
        points.append(ints)
    return (
        frame.with_columns(
            pl.Series("score", scores, dtype=pl.Int64),
            pl.Series("rating", [SafetyRating.from_score(s).value for s in scores]),
            *(
                pl.Series(f"pts_{k}", [p[i] for p in points], dtype=pl.Int64)
                for i, k in enumerate(FACTORS)
            ),
        )
        .select(
            "symbol",
            "score",
            "rating",
            *(f"pts_{k}" for k in FACTORS),
            "sector",
            "earnings_payout",
            "fcf_payout",
            "interest_coverage",
            "leverage",
            "streak",
            "missing",
        )
        .sort("score", "symbol", descending=[True, False])
    )


def find_cuts(
    dividends: pl.DataFrame,
    splits: pl.DataFrame,
    symbols: list[str],
    day: dt.date,
    *,
    end: dt.date,
    threshold: float = CUT_THRESHOLD,
) -> pl.DataFrame:
    """Whether each symbol cut or suspended its regular dividend within a year of ``day``.

    ``dividends`` may (and should) include what was declared after ``day``: this
    is the outcome being measured. Columns: symbol, cut (bool), how.
    """
    rates = annualised_rates(
        dividends.filter(pl.col("symbol").is_in(symbols)), splits, until=end
    ).select("symbol", "ex_date", "rate")
    horizon = day + dt.timedelta(days=365)
    rows = []
    for symbol in symbols:
        mine = rates.filter(pl.col("symbol") == symbol)
        before = mine.filter(pl.col("ex_date") <= day)
        after = mine.filter(pl.col("ex_date").is_between(day, horizon, closed="right"))
        if before.height == 0:
            continue
        prev = float(before["rate"][-1])
        how = None
        for r in after["rate"].to_list():
            if r < prev * (1.0 - threshold):
                how = "cut"
                break
            prev = r
        if (
            how is None
            and mine.filter(
                pl.col("ex_date").is_between(day, horizon + dt.timedelta(days=31), closed="right")
            ).height
            == 0
        ):
            how = "suspended"
        rows.append({"symbol": symbol, "cut": how is not None, "how": how})
    return pl.DataFrame(rows, schema={"symbol": pl.String, "cut": pl.Boolean, "how": pl.String})


@dataclasses.dataclass(frozen=True, eq=False)
class TrackRecord:
    """How often names in each band cut within a year, measured at past dates.

    ``observations``: one row per date and symbol (score, rating, cut, how);
    ``by_band``: per rating, the number of observations, cuts and the cut rate.
    """

    dates: tuple[dt.date, ...]
    observations: pl.DataFrame
    by_band: pl.DataFrame

    def _repr_html_(self) -> str:
        lines = [
            "Share of payers in each band that cut or suspended within 12 months, scored "
            f"point in time at {len(self.dates)} dates ({self.dates[0]} .. {self.dates[-1]})."
        ]
        return result_html("Safety score track record", lines, [("By band", self.by_band)])


@dataclasses.dataclass(frozen=True, eq=False)
class SafetyReport:
    """Safety scores with factor points, and each band's measured cut rate."""

    today: dt.date
    scores: pl.DataFrame
    track_record: TrackRecord | None
    is_synthetic: bool = False

    def to_frame(self, table: str = "scores") -> pl.DataFrame:
        """``scores`` (default, with ``band_cut_rate``) or ``track_record`` (by band)."""
        if table not in _TABLES:
            raise UnknownNameError.for_name("safety table", table, _TABLES)
        if table == "track_record":
            if self.track_record is None:
                raise UnknownNameError.for_name(
                    "safety table", table, ["scores"], hint="Run with track_record=True."
                )
            return self.track_record.by_band
        return self.scores

    def to_pandas(self, table: str = "scores") -> pd.DataFrame:
        """The same table as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def contributions(self, symbol: str) -> dict[str, int]:
        """Points each factor gives ``symbol`` (they add up to its score)."""
        row = self.scores.filter(pl.col("symbol") == symbol.upper())
        if row.height == 0:
            raise UnknownNameError.for_name(
                "scored symbol", symbol, self.scores["symbol"].to_list()
            )
        return {k: int(row[f"pts_{k}"][0]) for k in FACTORS}

    def plot(self, symbol: str | None = None) -> Figure:
        """Factor points of one symbol (default: the first), beside its band's cut rate."""
        from axion_lab.dividends.plots import safety_chart

        return safety_chart(self, symbol or self.scores["symbol"][0])

    def __repr__(self) -> str:
        return f"<SafetyReport {self.scores.height} symbols as of {self.today}>"

    def _repr_html_(self) -> str:
        lines = [
            f"Dividend safety as of {self.today}: 0-100, the sum of the factor points shown "
            "(pts_*). band_cut_rate is how often names in the same band cut within a year, "
            "measured point in time on history."
        ]
        tables = [("Scores", self.scores.drop("missing"))]
        if self.track_record is not None:
            tables.append(("Track record by band", self.track_record.by_band))
        return result_html("Dividend safety", lines, tables, synthetic=self.is_synthetic)


class SafetyAnalyzer:
    """Scores dividend safety and measures how well the score predicted cuts."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def analyze(
        self,
        symbols: str | Iterable[str] | None = None,
        *,
        as_of: DateLike | None = None,
        track_record: bool | TrackRecord = True,
    ) -> SafetyReport:
        """Score ``symbols`` (default: every payer); attach the track record.

        Pass a :class:`TrackRecord` to reuse one already measured.
        """
        market = self.market.as_of(as_of) if as_of is not None else self.market
        syms = market.resolve_symbols(symbols) if symbols is not None else None
        scores = score_market(market, syms)
        if syms is not None:
            unscored = sorted(set(syms) - set(scores["symbol"].to_list()))
            if unscored and not scores.height:
                raise DateRangeError(
                    f"No current regular dividend on {reference_day(market)} for "
                    f"{', '.join(unscored)}; safety is scored for current payers only."
                )
        record = (
            track_record
            if isinstance(track_record, TrackRecord)
            else (self.track_record() if track_record else None)
        )
        if record is not None:
            scores = scores.join(
                record.by_band.select("rating", pl.col("cut_rate").alias("band_cut_rate")),
                on="rating",
                how="left",
            )
        return SafetyReport(reference_day(market), scores, record, market.is_synthetic)

    def track_record(self, dates: Sequence[DateLike] | None = None) -> TrackRecord:
        """Score every payer at ``dates`` (default: year ends with a year of data after).

        Each date's scores see only what was published by then (``market.as_of``);
        the cut that follows is read from the full history.
        """
        market = self.market
        end = reference_day(market)
        if dates is None:
            days = [
                dt.date(y, 12, 31)
                for y in range(market.start.year + 2, end.year)
                if dt.date(y, 12, 31) + dt.timedelta(days=365) <= end
            ]
        else:
            days = [to_date(d, what="track record date") for d in dates]
            for d in days:
                if not market.start <= d or d + dt.timedelta(days=365) > end:
                    raise DateRangeError(
                        f"Track record date {d} needs a year of data after it; this market "
                        f"runs {market.start} .. {end}."
                    )
        frames = []
        for d in days:
            scores = score_market(market.as_of(d)).select("symbol", "score", "rating")
            cuts = find_cuts(
                market.dividends, market.splits, scores["symbol"].to_list(), d, end=end
            )
            frames.append(scores.join(cuts, on="symbol").with_columns(pl.lit(d).alias("date")))
        obs = (
            pl.concat(frames)
            if frames
            else pl.DataFrame(
                schema={
                    "symbol": pl.String,
                    "score": pl.Int64,
                    "rating": pl.String,
                    "cut": pl.Boolean,
                    "how": pl.String,
                    "date": pl.Date,
                }
            )
        )
        order = [r.value for r in SafetyRating]
        by_band = (
            pl.DataFrame({"rating": order})
            .join(
                obs.group_by("rating").agg(
                    pl.len().alias("observations"), pl.col("cut").sum().alias("cuts")
                ),
                on="rating",
                how="left",
            )
            .with_columns(
                pl.col("observations").fill_null(0).cast(pl.Int64),
                pl.col("cuts").fill_null(0).cast(pl.Int64),
            )
            .with_columns(
                pl.when(pl.col("observations") > 0)
                .then(pl.col("cuts") / pl.col("observations"))
                .alias("cut_rate")
            )
        )
        return TrackRecord(
            tuple(days), obs.select("date", "symbol", "score", "rating", "cut", "how"), by_band
        )
