"""The curated ``__all__`` of the quality, files and universe packages is honest."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    "module", ["axion_lab.data.quality", "axion_lab.data.files", "axion_lab.universe"]
)
def test_all_names_exist_and_nothing_public_is_left_out(module):
    mod = importlib.import_module(module)
    exported = list(mod.__all__)
    assert len(exported) == len(set(exported))
    for name in exported:
        assert hasattr(mod, name), name
    public = {
        n
        for n, v in vars(mod).items()
        if not n.startswith("_") and getattr(v, "__module__", "").startswith(module)
    }
    assert public <= set(exported)
