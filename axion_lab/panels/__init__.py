"""Thin ipywidgets panels over the engines: synced widget state, one engine call, a render.

``CopilotPanel``     the AI research copilot (:mod:`axion_lab.copilot`)
``DripPanel``        DRIP vs cash dividends (:mod:`axion_lab.dividends`)
``StressTestPanel``  portfolio stress tests (:mod:`axion_lab.scenarios`)
"""

from __future__ import annotations

from axion_lab.panels.copilot import CopilotPanel
from axion_lab.panels.drip import DripPanel
from axion_lab.panels.stress import StressTestPanel

__all__ = ["CopilotPanel", "DripPanel", "StressTestPanel"]
