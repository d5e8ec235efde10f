"""Axion Lab: a Jupyter-centric research workbench for market researchers.

Importing ``axion_lab`` does nothing else: no I/O, no network, no display magic.
Data loads on the first call that needs it.

>>> import axion_lab
>>> market = axion_lab.load_market()          # the offline sandbox market
>>> market.is_synthetic
True
"""

from __future__ import annotations

from axion_lab.config import Settings, get_settings, override_settings
from axion_lab.data import Market, load_market
from axion_lab.exceptions import AxionError

__version__ = "0.1.0"

__all__ = [
    "AxionError",
    "Market",
    "Settings",
    "__version__",
    "get_settings",
    "load_market",
    "override_settings",
]
