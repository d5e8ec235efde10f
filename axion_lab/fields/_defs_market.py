"""Descriptive, market, performance and technical fields.

Technical fields are generated from the indicator registry
(:data:`axion_lab.indicators.DEFAULT_PANEL`): one field per indicator output, with
the indicator's own description and unit. Only the handful of comparisons the
indicators do not provide (price vs a moving average, ATR as a fraction of price...)
are written here.
"""

from __future__ import annotations

from typing import Final

from axion_lab.fields._exprs import c, pos_div, safe_div
from axion_lab.fields._model import Field, FieldCategory, Unit, derived_field, source_field
from axion_lab.indicators import DEFAULT_PANEL, Indicator, Output

__all__ = ["market_fields", "technical_fields"]

D = FieldCategory.DESCRIPTIVE
M = FieldCategory.MARKET
P = FieldCategory.PERFORMANCE
T = FieldCategory.TECHNICAL

_FRACTION_OF_PRICE: Final = (-1.0, 20.0)


def _descriptive() -> list[Field]:
    def text(id: str, label: str, description: str) -> Field:
        return source_field(id, label, D, "instruments", description, dtype="str", unit="text")

    return [
        text("symbol", "Symbol", "Ticker symbol."),
        text("name", "Name", "Company or instrument name."),
        text("asset_class", "Asset class", "equity, etf, crypto, forex, bond, future or index."),
        text("sector", "Sector", "GICS-style sector (equities only)."),
        text("industry", "Industry", "Industry within the sector."),
        text("exchange", "Exchange", "Listing exchange."),
        text("country", "Country", "Country of domicile."),
        text("currency", "Currency", "Trading currency; prices and money fields are in it."),
        source_field(
            "indexes",
            "Index membership",
            D,
            "instruments",
            "Indexes the symbol belongs to on the as-of date (point in time). Filter with "
            "IN / NOT_IN: `indexes IN ['AX500']` keeps members of any listed index.",
            dtype="list[str]",
            unit="list",
        ),
        source_field(
            "ipo_date", "IPO date", D, "instruments", "Listing date.", dtype="date", unit="date"
        ),
        source_field(
            "years_listed",
            "Years listed",
            D,
            "instruments",
            "Years from the IPO date to the as-of date.",
            unit="years",
            valid_range=(0.0, 300.0),
        ),
        source_field(
            "is_fictional",
            "Fictional",
            D,
            "instruments",
            "True for sandbox instruments: synthetic companies, not real securities.",
            dtype="bool",
            unit="flag",
        ),
    ]


def _market() -> list[Field]:
    def px(id: str, label: str, description: str, **kw: object) -> Field:
        return source_field(id, label, M, "prices", description, unit="price", **kw)  # type: ignore[arg-type]

    return [
        px("price", "Price", "Last close on or before the as-of date.", valid_range=(0.0, None)),
        px("open", "Open", "Open of the last session."),
        px("high", "High", "High of the last session."),
        px("low", "Low", "Low of the last session."),
        px("prev_close", "Previous close", "Close of the session before, split-adjusted."),
        source_field(
            "volume", "Volume", M, "prices", "Shares traded in the last session.", unit="shares"
        ),
        source_field(
            "avg_volume_20",
            "Average volume (20d)",
            M,
            "prices",
            "Mean split-adjusted volume of the last 20 sessions, today included.",
            unit="shares",
        ),
        source_field(
            "avg_dollar_volume_20",
            "Average dollar volume (20d)",
            M,
            "prices",
            "Mean of close x volume over the last 20 sessions: a liquidity measure.",
            unit="money",
        ),
        source_field(
            "last_bar_date",
            "Last bar date",
            M,
            "prices",
            "Date of the last bar used; older than the as-of date for a stale symbol.",
            dtype="date",
            unit="date",
        ),
        derived_field(
            "dollar_volume",
            "Dollar volume",
            M,
            c("price") * c("volume"),
            "Price x volume of the last session.",
            unit="money",
        ),
        derived_field(
            "change_from_open",
            "Change from open",
            M,
            safe_div("price", "open") - 1.0,
            "Last close / last open - 1.",
            unit="fraction",
            valid_range=_FRACTION_OF_PRICE,
        ),
        derived_field(
            "market_cap",
            "Market cap",
            M,
            c("price") * c("shares_outstanding"),
            "Price x split-adjusted shares outstanding of the most recent quarter (MRQ).",
            unit="money",
            basis="MRQ",
            valid_range=(0.0, None),
        ),
        derived_field(
            "enterprise_value",
            "Enterprise value",
            M,
            c("market_cap") + c("total_debt") - c("cash"),
            "Market cap + total debt - cash (debt and cash MRQ).",
            unit="money",
            basis="MRQ",
        ),
        source_field(
            "float_shares",
            "Float shares",
            M,
            "short_interest",
            "Shares available to trade, from the latest published short-interest report.",
            unit="shares",
        ),
    ]


def _performance() -> list[Field]:
    def perf(id: str, label: str, description: str, days: int) -> Field:
        return source_field(
            id,
            label,
            P,
            "prices",
            description,
            unit="fraction",
            history_days=days,
            valid_range=(-1.0, None),
        )

    return [
        perf("perf_ytd", "Performance YTD", "Close / last close of the prior year - 1.", 380),
        perf("perf_3y", "Performance 3Y", "Close / close 3 years (756 sessions) ago - 1.", 1130),
        perf(
            "max_drawdown_1y",
            "Max drawdown 1Y",
            "Largest peak-to-trough fall of the split-adjusted close over the last 252 "
            "sessions, as a negative fraction (-0.25 is a 25 % drawdown).",
            380,
        ),
    ]


def _technical_derived() -> list[Field]:
    def vs(id: str, label: str, num: str, den: str) -> Field:
        return derived_field(
            id,
            label,
            T,
            pos_div(num, den) - 1.0,
            f"{num} / {den} - 1: how far {num} is above (positive) or below {den}.",
            unit="fraction",
            valid_range=_FRACTION_OF_PRICE,
        )

    return [
        vs("price_vs_sma_20", "Price vs SMA20", "price", "sma_20"),
        vs("price_vs_sma_50", "Price vs SMA50", "price", "sma_50"),
        vs("price_vs_sma_200", "Price vs SMA200", "price", "sma_200"),
        vs("sma_50_vs_sma_200", "SMA50 vs SMA200", "sma_50", "sma_200"),
        vs("price_vs_vwap_20", "Price vs VWAP20", "price", "vwap_20"),
        derived_field(
            "atr_pct",
            "ATR % of price",
            T,
            pos_div("atr_14", "price"),
            "atr_14 / price: the average daily range as a fraction of price.",
            unit="fraction",
            valid_range=(0.0, 5.0),
        ),
    ]


# Indicator units -> field units. The indicator registry's "index" (an oscillator on its
# own scale, such as CCI) is a "score" here.
_UNITS: Final[dict[str, Unit]] = {
    "price": "price",
    "percent": "percent",
    "fraction": "fraction",
    "ratio": "ratio",
    "shares": "shares",
    "index": "score",
}
_PERFORMANCE_INDICATORS: Final = frozenset({"ret", "realized_vol", "beta"})
_PERCENT_RANGE: Final = (-100.0, 100.0)


def _label(out: Output) -> str:
    text = out.description.split(" (")[0]
    head, sep, tail = text.rpartition(", ")
    # "Close vs the 20-bar high, close / high - 1": keep the words, drop the formula.
    if sep and ("/" in tail or " - " in tail):
        return head
    return text


def _category(spec: Indicator) -> FieldCategory:
    if spec.name in _PERFORMANCE_INDICATORS:
        return P
    if spec.name == "high_low" and spec.params.get("window") == 252:
        return P  # 52-week high/low: a performance figure on every screener
    return T


def technical_fields() -> list[Field]:
    """One field per indicator output of the default panel, plus price-vs-average fields."""
    fields: list[Field] = []
    for spec in DEFAULT_PANEL:
        for out in spec.outputs():
            unit = _UNITS[out.unit]
            valid: tuple[float | None, float | None] | None = None
            if unit == "percent":
                # ROC is a percent change, unbounded above; the rest are 0-100 oscillators
                # (Williams %R runs -100..0).
                valid = (-100.0, None) if spec.name == "roc" else _PERCENT_RANGE
            elif unit == "fraction" and spec.name not in ("realized_vol",):
                valid = (-1.0, None)
            fields.append(
                source_field(
                    out.column,
                    _label(out),
                    _category(spec),
                    "technical",
                    f"{out.description}. Computed by {spec} over split-adjusted daily bars.",
                    unit=unit,
                    indicator=spec,
                    valid_range=valid,
                )
            )
    return [*fields, *_technical_derived()]


def market_fields() -> list[Field]:
    """Descriptive, market and hand-written performance fields."""
    return [*_descriptive(), *_market(), *_performance()]
