"""Shared test fixtures.

Every test runs with a clean environment: ``AXION_*`` and ``ANTHROPIC_*`` variables
are cleared, data goes to a per-test directory and settings are re-read. The
sandbox market is built once per session into a session cache directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from axion_lab.config import reload_settings, reset_settings

IN_CI = os.environ.get("CI", "").lower() == "true"

# Read before the autouse fixture clears the environment.
TEST_REDIS_URL = os.environ.get("AXION_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TEST_DATABASE_URL = os.environ.get(
    "AXION_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache directory per test session, so the sandbox is built once."""
    return tmp_path_factory.mktemp("axion-cache")


@pytest.fixture(autouse=True)
def clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, session_cache_dir: Path
) -> Iterator[None]:
    for key in list(os.environ):
        if key.startswith(("AXION_", "ANTHROPIC_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AXION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AXION_CACHE_DIR", str(session_cache_dir))
    monkeypatch.setenv("AXION_REPORT_DIR", str(tmp_path / "reports"))
    # A config file on the developer's machine must not leak into tests.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    reload_settings()
    yield
    reset_settings()


@pytest.fixture(scope="session")
def market(session_cache_dir: Path):  # type: ignore[no-untyped-def]
    """The default sandbox market (built once per session)."""
    from axion_lab.config import override_settings
    from axion_lab.data import load_market

    with override_settings(cache_dir=session_cache_dir):
        return load_market()


def _require_service(name: str, reason: str) -> None:
    """Skip locally, fail in CI: integration tests must run there."""
    message = f"{name} is not reachable: {reason}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: integration tests must run against real servers)")
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    """URL of a real Redis (db 15, flushed before each test)."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
        client.flushdb()
    except redis.RedisError as exc:
        _require_service("Redis", str(exc))
    finally:
        client.close()
    return TEST_REDIS_URL


@pytest.fixture
def postgres_url() -> str:
    """URL of a real PostgreSQL database (sync, psycopg 3)."""
    import sqlalchemy as sa

    engine = sa.create_engine(TEST_DATABASE_URL)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:
        _require_service("PostgreSQL", str(exc).splitlines()[0])
    finally:
        engine.dispose()
    return TEST_DATABASE_URL
