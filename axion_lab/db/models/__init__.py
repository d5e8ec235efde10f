"""ORM models, one module per area. Importing this package registers every table.

Later capabilities add their modules here (screens, watchlists, sessions, signals...)
and import them below so ``Base.metadata`` (and so Alembic) sees every table.
"""

from __future__ import annotations

from axion_lab.db.models.copilot import (
    CopilotIdea,
    CopilotMessage,
    CopilotSessionRow,
    CopilotToolCall,
)
from axion_lab.db.models.factors import FactorScore
from axion_lab.db.models.fundamentals import Financial
from axion_lab.db.models.instruments import Instrument
from axion_lab.db.models.macro import EconomicIndicator
from axion_lab.db.models.prices import DAILY, PriceBar
from axion_lab.db.models.quality import SEVERITIES, DataQualityLog
from axion_lab.db.models.screens import (
    ALERT_KINDS,
    SavedScreenRow,
    ScreenAlertRow,
    ScreenRunMember,
    ScreenRunRow,
    ScreenVersionRow,
)
from axion_lab.db.models.signals import (
    SIGNAL_DIRECTIONS,
    SIGNAL_STATUSES,
    RiskAssessmentRow,
    SignalFactorRow,
    SignalMatchRow,
    SignalPerformanceRow,
    SignalRow,
    UserProfileRow,
)

__all__ = [
    "ALERT_KINDS",
    "DAILY",
    "SEVERITIES",
    "SIGNAL_DIRECTIONS",
    "SIGNAL_STATUSES",
    "CopilotIdea",
    "CopilotMessage",
    "CopilotSessionRow",
    "CopilotToolCall",
    "DataQualityLog",
    "EconomicIndicator",
    "FactorScore",
    "Financial",
    "Instrument",
    "PriceBar",
    "RiskAssessmentRow",
    "SavedScreenRow",
    "ScreenAlertRow",
    "ScreenRunMember",
    "ScreenRunRow",
    "ScreenVersionRow",
    "SignalFactorRow",
    "SignalMatchRow",
    "SignalPerformanceRow",
    "SignalRow",
    "UserProfileRow",
]
