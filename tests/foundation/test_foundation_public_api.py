"""The public surface is explicit: each package's ``__all__`` is honest and importable."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import axion_lab


def _public_packages() -> list[str]:
    names = ["axion_lab"]
    for info in pkgutil.walk_packages(axion_lab.__path__, "axion_lab."):
        parts = info.name.split(".")
        if info.ispkg and not any(p.startswith("_") for p in parts) and "migrations" not in parts:
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", _public_packages())
def test_all_is_declared_sorted_and_resolvable(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} must declare __all__"
    assert len(exported) == len(set(exported)), f"{name}.__all__ has duplicates"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ names {attr!r} which does not exist"


def test_top_level_names() -> None:
    assert set(axion_lab.__all__) >= {"load_market", "Market", "AxionError", "get_settings"}


def test_importing_axion_lab_does_no_io_or_heavy_imports() -> None:
    code = (
        "import sys, socket\n"
        "def refuse(*a, **k): raise RuntimeError('network at import')\n"
        "socket.socket.connect = refuse\n"
        "import axion_lab, axion_lab.data, axion_lab.config\n"
        "heavy = [m for m in ('matplotlib', 'sqlalchemy', 'redis', 'anthropic', 'tvscreener',"
        " 'papermill', 'ipywidgets', 'talib') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"importing axion_lab pulled in: {out}"
