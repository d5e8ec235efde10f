"""Tables, rendering and figures of a MarketOverview."""

from __future__ import annotations

import polars as pl
import pytest
from matplotlib.figure import Figure

from axion_lab.data import Market
from axion_lab.exceptions import UnknownNameError
from axion_lab.overview import market_overview
from axion_lab.overview.config import TABLES


def test_every_table_converts_to_pandas(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, lookback_days=3)
    for table in TABLES:
        frame = ov.to_frame(table)
        pdf = ov.to_pandas(table)
        assert list(pdf.columns) == frame.columns
        assert len(pdf) == frame.height > 0
    with pytest.raises(UnknownNameError, match="Did you mean 'gainers'"):
        ov.to_frame("gainer")


def test_returns_table_is_wide_with_total_first(tiny_market: Market) -> None:
    wide = market_overview(tiny_market).returns_table("cap")
    assert wide.columns == ["group", "stocks", "1W", "1M", "3M", "YTD", "1Y"]
    assert wide["group"].to_list() == ["Market", "Energy", "Information Technology"]
    assert wide.filter(pl.col("group") == "Market")["YTD"][0] == pytest.approx(0.16)


def test_repr_html_is_compact_and_says_data_is_synthetic(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, lookback_days=3)
    page = ov._repr_html_()
    assert "Synthetic data" in page
    assert "+12.50%" in page  # market YTD equal weight
    assert "Top gainers: CCC +50.00%" in page
    data, meta = ov._repr_mimebundle_()
    assert data["text/html"] == page
    assert meta["axion_lab"] == {
        "data_label": "Tiny hand-made market",
        "is_synthetic": True,
        "as_of": "2024-01-10",
    }


def test_real_data_has_no_synthetic_warning(tiny_market: Market) -> None:
    import dataclasses

    real = dataclasses.replace(tiny_market, is_synthetic=False)
    assert "Synthetic" not in market_overview(real)._repr_html_()


def test_styled_tables_format_returns_as_percentages(tiny_market: Market) -> None:
    ov = market_overview(tiny_market, lookback_days=3)
    page = ov.styled("performance").to_html()
    assert "EW YTD" in page
    assert "+12.50%" in page
    assert "+16.00%" in page  # market YTD cap weight
    assert "+50.00%" in ov.styled("gainers").to_html()
    for table in TABLES:
        assert "<table" in ov.styled(table).to_html()


def test_figures_are_plain_figures_that_render_png(tiny_market: Market) -> None:
    import matplotlib

    ov = market_overview(tiny_market, lookback_days=5)
    figures = [ov.plot_sector_performance("YTD"), ov.plot_breadth(), ov.plot_cumulative()]
    for fig in figures:
        assert isinstance(fig, Figure)
        png, meta = fig._repr_png_()
        assert png.startswith(b"\x89PNG")
        assert meta["alt"] == "; ".join(ax.get_title(loc="left") for ax in fig.axes)
    titles = [ax.get_title(loc="left") for ax in figures[0].axes]
    assert titles == ["Sector performance, YTD since 2023-12-29"]
    # No pyplot: nothing registered in matplotlib's global figure manager.
    assert "matplotlib.pyplot" not in __import__("sys").modules or not (
        matplotlib.pyplot.get_fignums()  # type: ignore[attr-defined]
    )
    with pytest.raises(UnknownNameError, match="Did you mean '1M'"):
        ov.plot_sector_performance("1m ")
