"""Fixtures for the data-service tests; their code lives in ``services_support``.

Test modules import helpers from ``services_support`` (a unique name), never from
``conftest``: several test folders have a conftest, and importing one by name picks
whichever was imported first.
"""

from __future__ import annotations

from services_support import _fresh_state, async_engines, fake, own_redis, pg_database

__all__ = ["_fresh_state", "async_engines", "fake", "own_redis", "pg_database"]
