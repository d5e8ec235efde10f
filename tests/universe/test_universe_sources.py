"""axion_lab.universe: parsing a saved constituents page, offline errors, ETFs, symbols."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import httpx
import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.exceptions import (
    InputError,
    ProviderError,
    ServiceUnavailableError,
    UnknownNameError,
    UnknownSymbolError,
)
from axion_lab.universe import (
    CONSTITUENT_PAGES,
    EQUITY_ETFS,
    build_universe,
    fetch_sp400_tickers,
    fetch_sp500_tickers,
    get_etf_tickers,
    normalize_symbol,
    parse_constituents,
)

FIXTURE = Path(__file__).parent / "fixtures" / "sp500_constituents.html"
EXPECTED = ["MMM", "AAPL", "BRK-B", "BF-B", "GOOGL", "XOM"]


def serving(page: str, requests: list[httpx.Request] | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if requests is not None:
            requests.append(request)
        return httpx.Response(200, text=page, headers={"content-type": "text/html"})

    return httpx.MockTransport(handler)


def offline_transport() -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    return httpx.MockTransport(handler)


def test_fetch_sp500_parses_the_constituents_table():
    seen: list[httpx.Request] = []
    tickers = fetch_sp500_tickers(transport=serving(FIXTURE.read_text("utf-8"), seen))
    assert tickers == EXPECTED
    assert str(seen[0].url) == CONSTITUENT_PAGES["sp500"]
    assert seen[0].headers["user-agent"].startswith("axion-lab/")


def test_tradingview_style_share_classes_on_request():
    tickers = fetch_sp500_tickers(
        transport=serving(FIXTURE.read_text("utf-8")), class_separator="."
    )
    assert "BRK.B" in tickers
    assert "BF.B" in tickers


def test_parse_keeps_name_sector_and_industry():
    frame = parse_constituents(FIXTURE.read_text("utf-8"))
    assert frame.columns == ["symbol", "name", "sector", "industry"]
    assert frame.row(2) == (
        "BRK.B",
        "Berkshire Hathaway",
        "Financials",
        "Multi-Sector Holdings",
    )
    assert frame["sector"].to_list()[-1] == "Energy"  # cell text with a trailing newline


def test_sp400_uses_its_own_page():
    seen: list[httpx.Request] = []
    fetch_sp400_tickers(transport=serving(FIXTURE.read_text("utf-8"), seen))
    assert str(seen[0].url) == CONSTITUENT_PAGES["sp400"]


def test_offline_is_a_clear_service_unavailable_error():
    with pytest.raises(ServiceUnavailableError) as info:
        fetch_sp500_tickers(transport=offline_transport())
    message = str(info.value)
    assert CONSTITUENT_PAGES["sp500"] in message
    assert "ConnectError" in message
    assert "offline='sandbox'" in message
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_http_error_status_is_service_unavailable():
    transport = httpx.MockTransport(lambda request: httpx.Response(503, text="busy"))
    with pytest.raises(ServiceUnavailableError, match="503"):
        fetch_sp500_tickers(transport=transport)


def test_page_without_a_constituents_table():
    with pytest.raises(ProviderError, match="No constituents table"):
        fetch_sp500_tickers(transport=serving("<html><body><p>moved</p></body></html>"))


def test_importing_touches_no_network_and_no_httpx():
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k):\n"
        "    raise AssertionError('network touched at import')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import axion_lab.universe, axion_lab.data.files, axion_lab.data.quality\n"
        "assert 'httpx' not in sys.modules, 'httpx imported eagerly'\n"
        "assert 'lxml' not in sys.modules, 'lxml imported eagerly'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def small_market() -> Market:
    day = dt.date(2020, 1, 1)
    instruments = pl.DataFrame(
        {
            "symbol": ["AXA", "AXB", "AXC"],
            "name": ["Axa Fictional", "Axb Fictional", "Axc Fictional"],
            "asset_class": ["equity"] * 3,
            "sector": ["Energy", "Utilities", "Energy"],
            "indexes": [["AX500"], ["AX500"], ["AX400"]],
            "ipo_date": [day] * 3,
            "is_fictional": [True] * 3,
        }
    ).with_columns(
        *(pl.lit(None, pl.String).alias(c) for c in ("industry", "exchange", "country", "currency"))
    )
    membership = pl.DataFrame(
        {
            "index": ["AX500", "AX500", "AX400"],
            "symbol": ["AXA", "AXB", "AXC"],
            "start": [day] * 3,
            "end": [None, None, None],
        },
        schema={"index": pl.String, "symbol": pl.String, "start": pl.Date, "end": pl.Date},
    )
    bars = pl.DataFrame(
        {
            "symbol": ["AXA"],
            "ts": [dt.datetime(2020, 1, 2)],
            "open": [1.0],
            "high": [1.0],
            "low": [1.0],
            "close": [1.0],
            "volume": [1],
        }
    )
    return Market.from_frames(
        {"instruments": instruments, "index_membership": membership, "bars": bars},
        provider="sandbox",
        is_synthetic=True,
    )


def test_sandbox_members_offline_with_a_given_market():
    market = small_market()
    assert fetch_sp500_tickers(offline="sandbox", market=market) == ["AXA", "AXB"]
    assert fetch_sp400_tickers(offline="sandbox", market=market) == ["AXC"]


def test_sandbox_market_without_the_index_says_so():
    market = small_market()
    bare = Market.from_frames({"instruments": market.instruments, "bars": market.bars})
    with pytest.raises(UnknownSymbolError, match="Unknown index 'AX500'"):
        fetch_sp500_tickers(offline="sandbox", market=bare)


def test_offline_option_is_checked():
    with pytest.raises(InputError, match="offline must be None or 'sandbox'"):
        fetch_sp500_tickers(offline="yes")  # type: ignore[arg-type]


def test_build_universe_combines_dedupes_and_excludes():
    market = small_market()
    universe = build_universe(
        ["sp500", "sp400", "etfs"],
        offline="sandbox",
        market=market,
        extra=["axa", "brk.b"],
        exclude=["AXB", "spy"],
    )
    assert universe.symbols[:2] == ["AXA", "AXC"]
    assert "SPY" not in universe
    assert "brk.b" in universe  # membership normalises too
    assert len(universe) == 2 + 17 + 1
    sources = dict(universe.to_frame().select("symbol", "source").rows())
    assert (sources["AXA"], sources["AXC"], sources["XLK"], sources["BRK-B"]) == (
        "AX500",
        "AX400",
        "etfs",
        "extra",
    )
    assert repr(universe) == "<Universe 20 symbols (1 AX500, 1 AX400, 17 etfs, 1 extra)>"
    assert "<table>" in universe._repr_html_()


def test_build_universe_online_through_transport():
    universe = build_universe("sp500", transport=serving(FIXTURE.read_text("utf-8")))
    assert universe.symbols == EXPECTED
    assert universe.to_frame()["source"].unique().to_list() == ["sp500"]


def test_build_universe_unknown_source_suggests():
    with pytest.raises(UnknownNameError, match="Did you mean 'sp500'"):
        build_universe(["sp5000"])


def test_equity_etfs():
    assert len(EQUITY_ETFS) == 18
    sector = {"XLK", "XLF", "XLV", "XLE", "XLY", "XLP", "XLI", "XLB", "XLU", "XLRE", "XLC"}
    assert set(get_etf_tickers("sector")) == sector
    assert {"SPY", "QQQ", "IWM", "DIA", "VTI"} <= set(EQUITY_ETFS)
    assert all(name for name in EQUITY_ETFS.values())
    with pytest.raises(TypeError):
        EQUITY_ETFS["NEW"] = "x"  # type: ignore[index]
    with pytest.raises(UnknownNameError, match="Did you mean 'sector'"):
        get_etf_tickers("sectr")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "sep", "expected"),
    [
        ("BRK.B", "-", "BRK-B"),
        (" brk.b ", "-", "BRK-B"),
        ("BRK/B", "-", "BRK-B"),
        ("BRK B", "-", "BRK-B"),
        ("BRK-B", ".", "BRK.B"),
        ("aapl", "-", "AAPL"),
    ],
)
def test_normalize_symbol(raw, sep, expected):
    assert normalize_symbol(raw, class_separator=sep) == expected


@pytest.mark.parametrize("bad", ["", "  ", "A$B", "-X"])
def test_normalize_symbol_rejects_non_tickers(bad):
    with pytest.raises(InputError):
        normalize_symbol(bad)


def test_sandbox_market_by_default_offline(request):
    # The sandbox provider is built in parallel; until it lands this test skips.
    pytest.importorskip("axion_lab.data.providers.sandbox")
    market = request.getfixturevalue("market")
    members = fetch_sp500_tickers(offline="sandbox")
    assert members == sorted(market.universe(asset_class=None, index="AX500"))
    assert len(members) > 0
