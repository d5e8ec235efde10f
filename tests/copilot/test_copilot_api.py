"""Public surface: a curated ``__all__``, runnable docstring examples, a light import."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

import axion_lab.copilot as copilot

MODULES = [
    "axion_lab.copilot",
    "axion_lab.copilot.analysis",
    "axion_lab.copilot.builtin_tools",
    "axion_lab.copilot.checker",
    "axion_lab.copilot.config",
    "axion_lab.copilot.display",
    "axion_lab.copilot.engine",
    "axion_lab.copilot.export",
    "axion_lab.copilot.ideas",
    "axion_lab.copilot.models",
    "axion_lab.copilot.offline",
    "axion_lab.copilot.prompts",
    "axion_lab.copilot.render",
    "axion_lab.copilot.store",
    "axion_lab.copilot.tools",
    "axion_lab.copilot.tools_income",
    "axion_lab.copilot.tools_portfolio",
    "axion_lab.copilot.tools_scan",
    "axion_lab.db.models.copilot",
]


def test_all_is_curated_and_importable() -> None:
    assert copilot.__all__ == sorted(copilot.__all__, key=lambda n: (not n.isupper(), n))
    for name in copilot.__all__:
        assert getattr(copilot, name) is not None


def test_importing_the_copilot_is_light() -> None:
    code = (
        "import sys, axion_lab.copilot; "
        "print([m for m in ('anthropic', 'sqlalchemy', 'jinja2', 'nbformat', 'ipywidgets') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, market: object) -> None:
    # `market` builds the sandbox first: several examples load it.
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0
