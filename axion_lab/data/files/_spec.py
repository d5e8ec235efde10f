"""What each kind of user file holds: canonical columns, types, keys and aliases.

Aliases are matched after *normalising* a header: lower case, every character
that is not a letter or digit removed (``"Adj Close"`` -> ``"adjclose"``,
``"Ex-Date"`` -> ``"exdate"``). Every canonical column also matches its own name.

Percent columns
---------------
No canonical price, fundamentals or dividends column is a ratio, so a ``%`` sign in
one of them is an error. Extra columns (kept beside the canonical ones) whose name
is in :data:`RATIO_COLUMNS`, or whose every value ends in ``%``, are ratios:
``"3.5%"`` becomes ``0.035``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final, Literal

from axion_lab.data.schema import SCHEMAS

__all__ = ["KINDS", "RATIO_COLUMNS", "FileKind", "KindSpec", "normalise_header", "snake_case"]

FileKind = Literal["prices", "fundamentals", "dividends", "instruments"]

RATIO_COLUMNS: Final = frozenset(
    {
        "dividend_yield",
        "payout_ratio",
        "gross_margin",
        "operating_margin",
        "net_margin",
        "roe",
        "roa",
        "weight",
        "short_float",
        "borrow_fee",
        "change_pct",
        "return",
        "tax_rate",
    }
)


def normalise_header(name: str) -> str:
    """Lower-case ``name`` and drop everything but letters and digits.

    >>> normalise_header(" Adj. Close ")
    'adjclose'
    """
    return re.sub(r"[^0-9a-z]", "", name.lower())


def snake_case(name: str) -> str:
    """A header as a snake_case column name.

    >>> snake_case("Dividend Yield (%)")
    'dividend_yield'
    """
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_") or "column"


@dataclasses.dataclass(frozen=True)
class KindSpec:
    """How to read one kind of file into one canonical frame."""

    kind: FileKind
    frame: str
    required: tuple[str, ...]
    key: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]]
    ignored: tuple[str, ...] = ()

    @property
    def columns(self) -> dict[str, object]:
        """Canonical columns of the frame, with their polars dtypes."""
        return dict(SCHEMAS[self.frame])


_PRICES = KindSpec(
    kind="prices",
    frame="bars",
    required=("symbol", "ts", "close"),
    key=("symbol", "ts"),
    aliases={
        "ts": ("date", "datetime", "timestamp", "time", "day", "tradedate", "tradingday"),
        "symbol": ("ticker", "sym", "code", "instrument", "securityid"),
        "open": ("o", "openprice", "opening"),
        "high": ("h", "highprice", "max"),
        "low": ("l", "lowprice", "min"),
        "close": ("c", "closeprice", "closing", "last", "price", "lastprice"),
        "volume": ("v", "vol", "shares", "sharevolume"),
    },
    ignored=("adjclose", "adjustedclose", "adjclosing"),
)

_FUNDAMENTALS = KindSpec(
    kind="fundamentals",
    frame="fundamentals",
    required=("symbol", "period_end"),
    key=("symbol", "period_end", "published"),
    aliases={
        "symbol": ("ticker", "sym"),
        "period_end": (
            "period",
            "perioddate",
            "periodending",
            "fiscaldateending",
            "quarterend",
            "date",
        ),
        "published": (
            "filed",
            "filingdate",
            "reportdate",
            "releasedate",
            "publishdate",
            "publicationdate",
            "acceptancedate",
        ),
        "fiscal_year": ("fy", "year", "fiscalyr"),
        "fiscal_quarter": ("fq", "quarter", "fiscalqtr", "qtr"),
        "revenue": ("revenues", "totalrevenue", "sales", "netsales", "totalrevenues"),
        "cost_of_revenue": ("cogs", "costofgoodssold", "costofsales"),
        "operating_income": ("ebit", "operatingprofit"),
        "net_income": ("netprofit", "netearnings", "profit"),
        "eps": ("dilutedeps", "epsdiluted", "earningspershare"),
        "cash": ("cashandequivalents", "cashandcashequivalents"),
        "total_debt": ("debt",),
        "shareholders_equity": (
            "totalequity",
            "equity",
            "stockholdersequity",
            "totalshareholderequity",
        ),
        "capex": ("capitalexpenditure", "capitalexpenditures"),
        "shares_outstanding": ("shares", "dilutedshares", "sharesdiluted"),
    },
)

_DIVIDENDS = KindSpec(
    kind="dividends",
    frame="dividends",
    required=("symbol", "ex_date", "amount"),
    key=("symbol", "ex_date", "kind"),
    aliases={
        "symbol": ("ticker", "sym"),
        "ex_date": ("exdividenddate", "exdivdate", "exdividend", "date", "exdt"),
        "pay_date": ("paymentdate", "payabledate", "paid", "payable"),
        "declared": ("declarationdate", "declareddate", "announcementdate", "announced"),
        "record_date": ("recorddt", "record"),
        "amount": ("dividend", "dividends", "cashamount", "value", "dps", "dividendamount"),
        "frequency": ("freq",),
        "kind": ("type", "dividendtype"),
    },
)

_INSTRUMENTS = KindSpec(
    kind="instruments",
    frame="instruments",
    required=("symbol",),
    key=("symbol",),
    aliases={
        "symbol": ("ticker", "sym"),
        "name": ("companyname", "security", "description", "company", "longname"),
        "asset_class": ("assetclass", "type", "assettype"),
        "sector": ("gicssector",),
        "industry": ("gicssubindustry", "subindustry", "gicsindustry"),
        "exchange": ("market", "mic", "listingexchange"),
        "country": ("countryofrisk",),
        "indexes": ("index", "indices", "memberof"),
        "ipo_date": ("ipo", "listed", "listingdate", "ipodt"),
    },
)

KINDS: Final[dict[str, KindSpec]] = {
    s.kind: s for s in (_PRICES, _FUNDAMENTALS, _DIVIDENDS, _INSTRUMENTS)
}
