"""Statement items, valuation, growth, profitability and financial-health fields.

Statement items come from :func:`axion_lab.fields._src_fundamentals.fundamentals_source`
(TTM sums and MRQ values of the quarters published by the as-of date; per-share
values split-adjusted to the as-of date). Everything else is an expression over them.

Conventions
-----------
* Multiples (P/E, P/B, EV/EBITDA, P/FCF...) are null when the denominator is zero or
  negative: a P/E over a loss is not a valuation. Screen losses with ``eps_ttm``.
* Growth is ``(now - before) / |before|`` so it keeps its sign over a negative base;
  CAGRs are null unless both ends are positive.
* ROIC uses a flat 21 % tax rate on operating income (NOPAT) over invested capital
  (debt + equity - cash), MRQ.
* The Altman Z here is an approximation: book equity stands in for retained earnings,
  which the statements do not carry. Read it as a ranking, not as the published score.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from axion_lab.fields._exprs import c, pos_div, safe_div
from axion_lab.fields._model import Field, FieldCategory, derived_field, source_field

__all__ = ["MRQ_ITEMS", "TTM_ITEMS", "fundamental_fields"]

F = FieldCategory.FUNDAMENTALS
V = FieldCategory.VALUATION
G = FieldCategory.GROWTH
PR = FieldCategory.PROFITABILITY
H = FieldCategory.FINANCIAL_HEALTH

TTM_ITEMS: Final[dict[str, str]] = {
    "revenue": "Revenue",
    "gross_profit": "Gross profit",
    "operating_income": "Operating income",
    "ebitda": "EBITDA",
    "net_income": "Net income",
    "operating_cash_flow": "Operating cash flow",
    "capex": "Capital expenditure",
    "free_cash_flow": "Free cash flow",
    "interest_expense": "Interest expense",
    "dividends_paid": "Dividends paid",
    "share_buybacks": "Share buybacks",
}
"""Flow items summed over the last four published quarters (``<item>_ttm``)."""

MRQ_ITEMS: Final[dict[str, str]] = {
    "total_assets": "Total assets",
    "total_liabilities": "Total liabilities",
    "current_assets": "Current assets",
    "current_liabilities": "Current liabilities",
    "cash": "Cash",
    "inventory": "Inventory",
    "total_debt": "Total debt",
    "shareholders_equity": "Shareholders' equity",
}
"""Stock items taken from the most recent published quarter."""

_MARGIN: Final = (-10.0, 1.0)
_GROWTH: Final = (-1.0e3, 1.0e3)
_TAX_RATE: Final = 0.21


def _statement_items() -> list[Field]:
    fields = [
        source_field(
            f"{item}_ttm",
            f"{label} (TTM)",
            F,
            "fundamentals",
            f"{label}, sum of the last four published quarters.",
            unit="money",
            basis="TTM",
        )
        for item, label in TTM_ITEMS.items()
    ]
    fields += [
        source_field(
            item,
            label,
            F,
            "fundamentals",
            f"{label} at the end of the most recent published quarter.",
            unit="money",
            basis="MRQ",
        )
        for item, label in MRQ_ITEMS.items()
    ]
    fields += [
        source_field(
            "eps_ttm",
            "EPS (TTM)",
            F,
            "fundamentals",
            "Diluted EPS, sum of the last four published quarters, each restated for "
            "splits effective between its quarter end and the as-of date.",
            unit="price",
            basis="TTM",
        ),
        source_field(
            "shares_outstanding",
            "Shares outstanding",
            F,
            "fundamentals",
            "Diluted weighted-average shares of the most recent quarter, restated for later "
            "splits.",
            unit="shares",
            basis="MRQ",
        ),
        source_field(
            "fiscal_period_end",
            "Fiscal period end",
            F,
            "fundamentals",
            "End of the most recent published quarter.",
            dtype="date",
            unit="date",
        ),
        source_field(
            "last_report_date",
            "Last report date",
            F,
            "fundamentals",
            "Publication date of the most recent quarter.",
            dtype="date",
            unit="date",
        ),
        source_field(
            "days_since_report",
            "Days since report",
            F,
            "fundamentals",
            "Calendar days from the last report to the as-of date.",
            dtype="int",
            unit="days",
        ),
    ]
    per_share = {
        "book_value_per_share": ("Book value per share", "shareholders_equity", "MRQ"),
        "revenue_per_share": ("Revenue per share", "revenue_ttm", "TTM/MRQ"),
        "fcf_per_share": ("FCF per share", "free_cash_flow_ttm", "TTM/MRQ"),
        "cash_per_share": ("Cash per share", "cash", "MRQ"),
    }
    fields += [
        derived_field(
            fid,
            label,
            F,
            safe_div(item, "shares_outstanding"),
            f"{item} / shares_outstanding.",
            unit="price",
            basis=basis,
        )
        for fid, (label, item, basis) in per_share.items()
    ]
    fields += [
        derived_field(
            "net_debt",
            "Net debt",
            F,
            c("total_debt") - c("cash"),
            "Total debt - cash (MRQ); negative means net cash.",
            unit="money",
            basis="MRQ",
        ),
        derived_field(
            "working_capital",
            "Working capital",
            F,
            c("current_assets") - c("current_liabilities"),
            "Current assets - current liabilities (MRQ).",
            unit="money",
            basis="MRQ",
        ),
    ]
    return fields


def _valuation() -> list[Field]:
    def multiple(fid: str, label: str, num: str, den: str, *, note: str, basis: str) -> Field:
        return derived_field(
            fid,
            label,
            V,
            pos_div(num, den),
            f"{num} / {den}; null when {den} <= 0. {note}".strip(),
            basis=basis,
            valid_range=(0.0, None),
        )

    def yield_(fid: str, label: str, num: str, den: str, note: str) -> Field:
        return derived_field(
            fid,
            label,
            V,
            pos_div(num, den),
            f"{num} / {den}. {note}".strip(),
            unit="fraction",
            basis="TTM",
            valid_range=(-10.0, 10.0),
        )

    graham = (22.5 * c("eps_ttm") * c("book_value_per_share")).sqrt()
    graham = pl.when((c("eps_ttm") > 0) & (c("book_value_per_share") > 0)).then(graham)
    return [
        multiple(
            "pe_ratio", "P/E", "price", "eps_ttm", note="Trailing P/E from TTM EPS.", basis="TTM"
        ),
        multiple("pb_ratio", "P/B", "price", "book_value_per_share", note="", basis="MRQ"),
        multiple("ps_ratio", "P/S", "market_cap", "revenue_ttm", note="", basis="TTM"),
        multiple("p_fcf", "P/FCF", "market_cap", "free_cash_flow_ttm", note="", basis="TTM"),
        multiple("p_ocf", "P/OCF", "market_cap", "operating_cash_flow_ttm", note="", basis="TTM"),
        multiple("p_cash", "P/Cash", "market_cap", "cash", note="", basis="MRQ"),
        multiple("ev_ebitda", "EV/EBITDA", "enterprise_value", "ebitda_ttm", note="", basis="TTM"),
        multiple(
            "ev_ebit", "EV/EBIT", "enterprise_value", "operating_income_ttm", note="", basis="TTM"
        ),
        multiple("ev_sales", "EV/Sales", "enterprise_value", "revenue_ttm", note="", basis="TTM"),
        multiple(
            "ev_fcf", "EV/FCF", "enterprise_value", "free_cash_flow_ttm", note="", basis="TTM"
        ),
        yield_("earnings_yield", "Earnings yield", "eps_ttm", "price", "Inverse P/E."),
        yield_("fcf_yield", "FCF yield", "free_cash_flow_ttm", "market_cap", ""),
        derived_field(
            "peg_ratio",
            "PEG",
            V,
            pos_div("pe_ratio", c("eps_growth_ttm") * 100.0),
            "P/E / (TTM EPS growth in percent); null unless both are positive.",
            basis="TTM",
            valid_range=(0.0, None),
        ),
        derived_field(
            "graham_number",
            "Graham number",
            V,
            graham,
            "sqrt(22.5 x EPS TTM x book value per share); null over losses or negative book.",
            unit="price",
            basis="TTM/MRQ",
        ),
        derived_field(
            "price_to_graham",
            "Price / Graham number",
            V,
            pos_div("price", "graham_number"),
            "price / graham_number; below 1 is Graham's margin of safety.",
            basis="TTM/MRQ",
            valid_range=(0.0, None),
        ),
    ]


def _growth() -> list[Field]:
    def g(fid: str, label: str, description: str) -> Field:
        return source_field(
            fid,
            label,
            G,
            "fundamentals",
            description,
            unit="fraction",
            basis="TTM",
            valid_range=_GROWTH,
        )

    out = []
    for item, name in (("revenue", "Revenue"), ("eps", "EPS")):
        out += [
            g(f"{item}_growth_qoq", f"{name} growth QoQ", f"MRQ {item} vs the quarter before."),
            g(
                f"{item}_growth_yoy",
                f"{name} growth YoY",
                f"MRQ {item} vs the same quarter a year earlier.",
            ),
            g(f"{item}_growth_ttm", f"{name} growth TTM", f"TTM {item} vs the TTM a year earlier."),
            g(
                f"{item}_cagr_3y",
                f"{name} CAGR 3Y",
                f"Compound annual growth of TTM {item} over three years; null unless both "
                "ends are positive.",
            ),
        ]
    out += [
        g("net_income_growth_ttm", "Net income growth TTM", "TTM vs the TTM a year earlier."),
        g("ebitda_growth_ttm", "EBITDA growth TTM", "TTM vs the TTM a year earlier."),
        g("fcf_growth_ttm", "FCF growth TTM", "TTM free cash flow vs the TTM a year earlier."),
        g("book_value_growth_yoy", "Book value growth YoY", "MRQ equity vs a year earlier."),
        g(
            "shares_change_yoy",
            "Share count change YoY",
            "Split-adjusted shares vs a year earlier: positive is dilution, negative buybacks.",
        ),
    ]
    return out


def _profitability() -> list[Field]:
    def margin(fid: str, label: str, item: str) -> Field:
        return derived_field(
            fid,
            label,
            PR,
            pos_div(item, "revenue_ttm"),
            f"{item} / revenue_ttm.",
            unit="fraction",
            basis="TTM",
            valid_range=_MARGIN,
        )

    def ret(fid: str, label: str, num: pl.Expr, den: pl.Expr, text: str) -> Field:
        return derived_field(
            fid,
            label,
            PR,
            pos_div(num, den),
            text,
            unit="fraction",
            basis="TTM/MRQ",
            valid_range=(-10.0, 10.0),
        )

    invested = c("total_debt") + c("shareholders_equity") - c("cash")
    return [
        margin("gross_margin", "Gross margin", "gross_profit_ttm"),
        margin("operating_margin", "Operating margin", "operating_income_ttm"),
        margin("net_margin", "Net margin", "net_income_ttm"),
        margin("ebitda_margin", "EBITDA margin", "ebitda_ttm"),
        margin("fcf_margin", "FCF margin", "free_cash_flow_ttm"),
        ret(
            "roe",
            "ROE",
            c("net_income_ttm"),
            c("shareholders_equity"),
            "Return on equity: TTM net income / MRQ equity; null when equity <= 0.",
        ),
        ret(
            "roa",
            "ROA",
            c("net_income_ttm"),
            c("total_assets"),
            "Return on assets: TTM net income / MRQ total assets.",
        ),
        ret(
            "roic",
            "ROIC",
            c("operating_income_ttm") * (1.0 - _TAX_RATE),
            invested,
            "Return on invested capital: TTM operating income x (1 - 21 % tax) / "
            "(debt + equity - cash), MRQ.",
        ),
        derived_field(
            "asset_turnover",
            "Asset turnover",
            PR,
            pos_div("revenue_ttm", "total_assets"),
            "revenue_ttm / total_assets.",
            basis="TTM/MRQ",
        ),
        derived_field(
            "cash_conversion",
            "Cash conversion",
            PR,
            pos_div("operating_cash_flow_ttm", "net_income_ttm"),
            "Operating cash flow / net income (TTM); above 1 means earnings are backed by "
            "cash. Null over losses.",
            basis="TTM",
        ),
        derived_field(
            "capex_to_revenue",
            "Capex / revenue",
            PR,
            pos_div("capex_ttm", "revenue_ttm"),
            "capex_ttm / revenue_ttm.",
            unit="fraction",
            basis="TTM",
            valid_range=(0.0, 10.0),
        ),
    ]


def _health() -> list[Field]:
    def h(fid: str, label: str, expr: pl.Expr, text: str, basis: str = "MRQ") -> Field:
        return derived_field(fid, label, H, expr, text, basis=basis)

    ta = c("total_assets")
    z = (
        1.2 * safe_div("working_capital", ta)
        + 1.4 * safe_div("shareholders_equity", ta)
        + 3.3 * safe_div("operating_income_ttm", ta)
        + 0.6 * safe_div("market_cap", "total_liabilities")
        + 1.0 * safe_div("revenue_ttm", ta)
    )
    return [
        h(
            "current_ratio",
            "Current ratio",
            pos_div("current_assets", "current_liabilities"),
            "Current assets / current liabilities.",
        ),
        h(
            "quick_ratio",
            "Quick ratio",
            pos_div(c("current_assets") - c("inventory"), c("current_liabilities")),
            "(Current assets - inventory) / current liabilities.",
        ),
        h(
            "cash_ratio",
            "Cash ratio",
            pos_div("cash", "current_liabilities"),
            "Cash / current liabilities.",
        ),
        h(
            "debt_to_equity",
            "Debt / equity",
            pos_div("total_debt", "shareholders_equity"),
            "Total debt / equity; null when equity <= 0 (screen that with shareholders_equity).",
        ),
        h("debt_to_assets", "Debt / assets", pos_div("total_debt", ta), "Total debt / assets."),
        h(
            "liabilities_to_assets",
            "Liabilities / assets",
            pos_div("total_liabilities", ta),
            "Total liabilities / total assets.",
        ),
        h(
            "net_debt_to_ebitda",
            "Net debt / EBITDA",
            pos_div("net_debt", "ebitda_ttm"),
            "Net debt (MRQ) / EBITDA (TTM); negative means net cash. Null when EBITDA <= 0.",
            "TTM/MRQ",
        ),
        h(
            "interest_coverage",
            "Interest coverage",
            pos_div("operating_income_ttm", "interest_expense_ttm"),
            "Operating income / interest expense (TTM); null without interest expense.",
            "TTM",
        ),
        derived_field(
            "altman_z",
            "Altman Z (approx.)",
            H,
            z,
            "1.2 WC/TA + 1.4 equity/TA + 3.3 EBIT/TA + 0.6 market cap/liabilities + "
            "1.0 sales/TA, with book equity standing in for retained earnings. "
            "Above 3 is conventionally safe, below 1.8 distressed.",
            unit="score",
            basis="TTM/MRQ",
        ),
    ]


def fundamental_fields() -> list[Field]:
    """Statement items, valuation, growth, profitability and financial-health fields."""
    return [*_statement_items(), *_valuation(), *_growth(), *_profitability(), *_health()]
