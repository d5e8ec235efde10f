"""Dividend, ownership / short-interest and analyst fields.

Dividends are per share, regular dividends only (specials are one-offs and would
inflate a trailing yield), restated for splits effective by the as-of date.
Ownership comes from 13F-style holdings filed by the as-of date, each fund's latest
filed quarter; short interest from the latest published report; analyst figures from
the latest consensus on or before the as-of date.
"""

from __future__ import annotations

import polars as pl

from axion_lab.fields._exprs import c, pos_div, safe_div
from axion_lab.fields._model import Field, FieldCategory, derived_field, source_field

__all__ = ["event_fields"]

DV = FieldCategory.DIVIDENDS
OW = FieldCategory.OWNERSHIP
A = FieldCategory.ANALYST

_YIELD = (0.0, 1.0)


def _dividends() -> list[Field]:
    def src(fid: str, label: str, text: str, **kw: object) -> Field:
        return source_field(fid, label, DV, "dividends", text, **kw)  # type: ignore[arg-type]

    return [
        src(
            "dividend_ttm",
            "Dividends per share (TTM)",
            "Regular dividends per share with ex-date in the last 365 days, split-adjusted.",
            unit="price",
        ),
        src(
            "forward_dividend",
            "Forward dividend",
            "Latest regular dividend x payments per year (12, 4, 2 or 1 by frequency).",
            unit="price",
        ),
        src(
            "dividend_frequency",
            "Dividend frequency",
            "Frequency of the latest regular dividend: monthly, quarterly, semi_annual, annual.",
            dtype="str",
            unit="text",
        ),
        src(
            "last_ex_date",
            "Last ex-dividend date",
            "Ex-date of the latest regular dividend on or before the as-of date.",
            dtype="date",
            unit="date",
        ),
        src(
            "dividend_growth_1y",
            "Dividend growth 1Y",
            "Latest regular payment per share vs the last one at least 350 days before it.",
            unit="fraction",
            valid_range=(-1.0, 100.0),
        ),
        src(
            "dividend_cagr_3y",
            "Dividend CAGR 3Y",
            "Compound annual growth of the largest regular payment per share of the last "
            "complete calendar year vs three years before; null unless both are positive.",
            unit="fraction",
            valid_range=(-1.0, 100.0),
        ),
        src(
            "dividend_cagr_5y",
            "Dividend CAGR 5Y",
            "As dividend_cagr_3y over five complete years.",
            unit="fraction",
            valid_range=(-1.0, 100.0),
        ),
        src(
            "years_of_increases",
            "Years of dividend increases",
            "Consecutive complete calendar years, counting back from the last one, whose "
            "largest regular payment per share beat the year before's; 0 for a non-payer.",
            dtype="int",
            unit="years",
            valid_range=(0.0, 200.0),
        ),
        derived_field(
            "dividend_yield",
            "Dividend yield (TTM)",
            DV,
            pos_div("dividend_ttm", "price"),
            "dividend_ttm / price.",
            unit="fraction",
            valid_range=_YIELD,
        ),
        derived_field(
            "forward_dividend_yield",
            "Forward dividend yield",
            DV,
            pos_div("forward_dividend", "price"),
            "forward_dividend / price.",
            unit="fraction",
            valid_range=_YIELD,
        ),
        derived_field(
            "payout_ratio",
            "Payout ratio",
            DV,
            pos_div("dividend_ttm", "eps_ttm"),
            "TTM dividends per share / TTM EPS; null over losses.",
            unit="fraction",
            basis="TTM",
            valid_range=(0.0, 100.0),
        ),
        derived_field(
            "fcf_payout_ratio",
            "FCF payout ratio",
            DV,
            pos_div("dividends_paid_ttm", "free_cash_flow_ttm"),
            "Dividends paid / free cash flow (TTM); null when FCF <= 0.",
            unit="fraction",
            basis="TTM",
            valid_range=(0.0, 100.0),
        ),
        derived_field(
            "buyback_yield",
            "Buyback yield",
            DV,
            pos_div("share_buybacks_ttm", "market_cap"),
            "Share buybacks (TTM) / market cap.",
            unit="fraction",
            basis="TTM",
            valid_range=_YIELD,
        ),
        derived_field(
            "shareholder_yield",
            "Shareholder yield",
            DV,
            pos_div(c("dividends_paid_ttm") + c("share_buybacks_ttm"), c("market_cap")),
            "(Dividends paid + buybacks, TTM) / market cap.",
            unit="fraction",
            basis="TTM",
            valid_range=_YIELD,
        ),
    ]


def _ownership() -> list[Field]:
    def src(fid: str, label: str, source: str, text: str, **kw: object) -> Field:
        return source_field(fid, label, OW, source, text, **kw)  # type: ignore[arg-type]

    return [
        src(
            "institutional_shares",
            "Institutional shares",
            "ownership",
            "Shares held by 13F filers, each fund's latest filed quarter, split-adjusted.",
            unit="shares",
        ),
        src(
            "institutional_holders",
            "Institutional holders",
            "ownership",
            "Number of funds holding the stock in their latest filed quarter.",
            dtype="int",
            unit="count",
        ),
        src(
            "institutional_shares_change_qoq",
            "Institutional shares change QoQ",
            "ownership",
            "Shares held by the funds now vs the same funds' previous quarter: positive is "
            "accumulation.",
            unit="fraction",
            valid_range=(-1.0, 100.0),
        ),
        src(
            "institutional_holders_change_qoq",
            "Institutional holders change QoQ",
            "ownership",
            "Funds holding now minus funds holding in their previous quarter.",
            dtype="int",
            unit="count",
        ),
        derived_field(
            "institutional_ownership",
            "Institutional ownership",
            OW,
            pos_div("institutional_shares", "shares_outstanding"),
            "institutional_shares / shares_outstanding.",
            unit="fraction",
            valid_range=(0.0, 2.0),
        ),
        src(
            "short_interest",
            "Short interest",
            "short_interest",
            "Shares sold short at the latest published settlement date.",
            unit="shares",
        ),
        src(
            "days_to_cover",
            "Days to cover",
            "short_interest",
            "Short interest / average daily volume, as reported.",
            unit="days",
            valid_range=(0.0, 1000.0),
        ),
        src(
            "borrow_fee",
            "Borrow fee",
            "short_interest",
            "Annualised stock-borrow fee as a fraction (0.05 = 5 % a year), as reported "
            "in the short-interest frame.",
            unit="fraction",
            valid_range=(0.0, 10.0),
        ),
        src(
            "short_interest_change",
            "Short interest change",
            "short_interest",
            "Latest short interest vs the previous report.",
            unit="fraction",
            valid_range=(-1.0, 1000.0),
        ),
        src(
            "short_interest_date",
            "Short interest date",
            "short_interest",
            "Settlement date of the latest published report.",
            dtype="date",
            unit="date",
        ),
        derived_field(
            "short_float",
            "Short % of float",
            OW,
            pos_div("short_interest", "float_shares"),
            "short_interest / float_shares.",
            unit="fraction",
            valid_range=(0.0, 5.0),
        ),
    ]


def _analyst() -> list[Field]:
    rating = c("analyst_rating")
    label = (
        pl.when(rating <= 1.5)
        .then(pl.lit("Strong Buy"))
        .when(rating <= 2.5)
        .then(pl.lit("Buy"))
        .when(rating <= 3.5)
        .then(pl.lit("Hold"))
        .when(rating <= 4.5)
        .then(pl.lit("Sell"))
        .when(rating.is_not_null())
        .then(pl.lit("Strong Sell"))
    )

    def src(fid: str, lab: str, text: str, **kw: object) -> Field:
        return source_field(fid, lab, A, "ratings", text, **kw)  # type: ignore[arg-type]

    return [
        src(
            "analyst_rating",
            "Analyst rating",
            "Consensus rating, 1 = strong buy .. 5 = strong sell (lower is better).",
            unit="score",
            valid_range=(1.0, 5.0),
        ),
        derived_field(
            "analyst_rating_label",
            "Analyst rating (label)",
            A,
            label,
            "Strong Buy (<= 1.5), Buy (<= 2.5), Hold (<= 3.5), Sell (<= 4.5), Strong Sell.",
            dtype="str",
            unit="text",
        ),
        src(
            "target_price",
            "Target price",
            "Mean analyst target price, split-adjusted.",
            unit="price",
        ),
        src(
            "analyst_count",
            "Analyst count",
            "Analysts in the consensus.",
            dtype="int",
            unit="count",
        ),
        src(
            "rating_change_3m",
            "Rating change 3M",
            "Rating now minus 3 months earlier: negative is an upgrade.",
            unit="score",
            valid_range=(-4.0, 4.0),
        ),
        src(
            "target_change_3m",
            "Target change 3M",
            "Target price vs 3 months earlier.",
            unit="fraction",
            valid_range=(-1.0, 100.0),
        ),
        src(
            "rating_date", "Rating date", "Date of the latest consensus.", dtype="date", unit="date"
        ),
        derived_field(
            "target_upside",
            "Target upside",
            A,
            safe_div("target_price", "price") - 1.0,
            "target_price / price - 1.",
            unit="fraction",
            valid_range=(-1.0, 100.0),
        ),
    ]


def event_fields() -> list[Field]:
    """Dividend, ownership / short-interest and analyst fields."""
    return [*_dividends(), *_ownership(), *_analyst()]
