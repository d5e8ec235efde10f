"""Every docstring example in the package runs and shows what it says it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import axion_lab
from axion_lab.data import Market


def _modules() -> list[str]:
    names = ["axion_lab"]
    for info in pkgutil.walk_packages(axion_lab.__path__, "axion_lab."):
        if ".migrations" in info.name:
            continue  # Alembic scripts only run inside Alembic
        names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str, market: Market) -> None:
    # `market` builds the sandbox once into the session cache the examples load from.
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    tests = [t for t in finder.find(module, name) if t.examples]
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
