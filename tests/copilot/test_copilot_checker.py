"""The number checker: extraction, rounding tolerance, citations, and a caught hallucination."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from loopback import LoopbackAPI, reply, text_message, tool_message

from axion_lab.copilot import CopilotEngine, ToolCallRecord, check_answer, extract_numbers


def rec(call_id: str, **data: float) -> ToolCallRecord:
    return ToolCallRecord(id=call_id, tool="t", parameters={}, summary="", data=dict(data))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("up 23.5% today", [(23.5, "percent")]),
        ("fell -3.2% and −1.5%", [(-3.2, "percent"), (-1.5, "percent")]),
        ("$1,234,567.89 in cash", [(1234567.89, "currency")]),
        ("revenue of $1.2bn and 350m shares", [(1.2e9, "currency"), (3.5e8, "plain")]),
        (
            "a 4.5k float, 2 trillion, 3.1 billion",
            [(4500.0, "plain"), (2e12, "plain"), (3.1e9, "plain")],
        ),
        ("trades at 14.2x earnings, spread 15 bps", [(14.2, "multiple"), (15.0, "bps")]),
        ("range 10-20", [(10.0, "plain"), (20.0, "plain")]),
    ],
)
def test_extract_numbers(text: str, expected: list[tuple[float, str]]) -> None:
    got = [(m.value, m.kind) for m in extract_numbers(text)]
    assert got == [(pytest.approx(v), k) for v, k in expected]


def test_years_dates_citations_and_labels_are_not_numbers() -> None:
    text = (
        "1. In 2024, on 2024-06-28 and June 28, 2024 (also 06/28/2024), Q2 FY2023 results "
        "[T3] [T1, T12] showed rsi_14 and the 52-week high, RSI(14), over 3 months."
    )
    assert extract_numbers(text) == []


def test_rounding_tolerance_matches_renderings() -> None:
    t1 = rec("T1", growth=0.23456, cash=1_234_000_000.0, pe=14.237, rsi=62.5, drop=-0.0321)
    text = (
        "Growth was 23.5% [T1] (or 23% [T1], or 23.46% [T1]). Cash $1.23bn [T1], "
        "$1.2 billion [T1], 1,234m [T1]. P/E 14.24 [T1], 14.2x [T1]. RSI 62.5 [T1], 63% [T1]. "
        "It fell 3.2% [T1], -3.21% [T1]."
    )
    report = check_answer(text, [t1])
    assert [m.status for m in report.mentions] == ["verified"] * 12
    assert report.ok


def test_near_misses_are_flagged() -> None:
    t1 = rec("T1", growth=0.23456, pe=14.237, drop=-0.0321)
    report = check_answer("Growth 23.6% [T1], P/E 14.3 [T1], rose +3.2% [T1].", [t1])
    assert [m.text for m in report.flagged] == ["23.6%", "14.3", "+3.2%"]


def test_citations_scope_sentence_then_paragraph() -> None:
    t1, t2 = rec("T1", price=10.0), rec("T2", price=20.0)
    text = "Price 10.00 [T1]. Price 20.00 [T1].\n\nIn this paragraph 20.00 appears.\nIt is [T2]."
    report = check_answer(text, [t1, t2])
    statuses = [(m.text, m.status, m.found_in) for m in report.mentions]
    assert statuses == [
        ("10.00", "verified", ("T1",)),
        ("20.00", "uncited", ("T2",)),  # true of T2, but the sentence cites T1
        ("20.00", "verified", ("T2",)),  # no citation in its sentence: the paragraph's
    ]
    assert "appears in T2 but the sentence cites T1" in report.flagged[0].reason


def test_uncited_unsupported_and_unknown_citations() -> None:
    report = check_answer("Margin 41% with no source. Beta 1.1 [T9].", [rec("T1", beta=1.1)])
    assert [(m.text, m.status) for m in report.mentions] == [
        ("41%", "unsupported"),
        ("1.1", "uncited"),
    ]
    assert report.unknown_citations == ("T9",)
    assert not report.ok
    assert "⚠" in report._repr_html_()
    assert report.annotate("Margin 41% with no source.").startswith("Margin 41%⚠")
    frame = report.to_frame()
    assert frame["status"].to_list() == ["unsupported", "uncited"]


def test_tool_parameters_count_as_cited_numbers() -> None:
    t1 = ToolCallRecord(
        id="T1", tool="run_screen", parameters={"limit": 5}, summary="", data={"matched": 118}
    )
    assert check_answer("Top 5 of 118 matches [T1].", [t1]).ok


def test_hallucinated_number_is_caught_end_to_end(
    online: LoopbackAPI, make_engine: Callable[..., CopilotEngine]
) -> None:
    online.script = [
        reply(tool_message(("tu_1", "get_fundamentals", {"symbol": "ACME", "quarters": 1}))),
        reply(
            text_message(
                "ACME's revenue was $1.3bn [T1] with net income of $130m [T1], "
                "a net margin of 42% [T1]."
            )
        ),
    ]
    response = make_engine(stream=False).ask("ACME margins?", analysis_type="stock")
    assert [m.text for m in response.flagged] == ["42%"]
    assert [m.status for m in response.check.mentions] == ["verified", "verified", "unsupported"]
    assert any("42% (not in the cited results (T1))" in n for n in response.notices)
    assert "42%⚠" in response._repr_html_()
