"""Fields: the registry of screenable quantities and the point-in-time snapshot builder."""

from __future__ import annotations

from axion_lab.fields._model import DTYPES, UNITS, Dtype, Field, FieldCategory, Unit
from axion_lab.fields.registry import ALIASES, FIELD_REGISTRY, FieldRegistry
from axion_lab.fields.snapshot import SOURCES, build_snapshot
from axion_lab.fields.snapshots import PATH_DEPENDENT_INDICATORS, build_snapshots

__all__ = [
    "ALIASES",
    "DTYPES",
    "FIELD_REGISTRY",
    "PATH_DEPENDENT_INDICATORS",
    "SOURCES",
    "UNITS",
    "Dtype",
    "Field",
    "FieldCategory",
    "FieldRegistry",
    "Unit",
    "build_snapshot",
    "build_snapshots",
]
