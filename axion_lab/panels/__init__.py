"""Thin ipywidgets panels over the engines: synced widget state, one engine call, a render.

``CopilotPanel``     the AI research copilot (:mod:`axion_lab.copilot`)
``DripPanel``        DRIP vs cash dividends (:mod:`axion_lab.dividends`)
``ScannerPanel``     scan presets, patterns and custom rules, run or stream, signals
                     (:mod:`axion_lab.scanner`, :mod:`axion_lab.signals`)
``ScreenBuilderPanel``  build, run, save and backtest stock screens (:mod:`axion_lab.screener`)
``StressTestPanel``  portfolio stress tests (:mod:`axion_lab.scenarios`)
"""

from __future__ import annotations

from axion_lab.panels.copilot import CopilotPanel
from axion_lab.panels.drip import DripPanel
from axion_lab.panels.scanner import ScannerPanel
from axion_lab.panels.screen_builder import ScreenBuilderPanel
from axion_lab.panels.stress import StressTestPanel

__all__ = ["CopilotPanel", "DripPanel", "ScannerPanel", "ScreenBuilderPanel", "StressTestPanel"]
