"""Settings: environment, TOML file, scoped overrides, clear errors."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from axion_lab.config import get_settings, override_settings, reload_settings
from axion_lab.exceptions import ConfigError, UnknownNameError


def test_defaults_are_offline() -> None:
    s = get_settings()
    assert s.provider == "sandbox"
    assert s.redis_url is None
    assert s.database_url is None
    assert s.resolved_database_url.startswith("sqlite:///")
    assert s.resolved_database_url.endswith("axion.db")


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AXION_SANDBOX_SEED", "7")
    monkeypatch.setenv("AXION_REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("AXION_DB_POOL_SIZE", "5")
    s = reload_settings()
    assert (s.sandbox_seed, s.redis_url, s.db_pool_size) == (7, "redis://127.0.0.1:6379/3", 5)


def test_blank_url_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AXION_DATABASE_URL", "")
    assert reload_settings().database_url is None


def test_invalid_environment_value_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AXION_DB_POOL_SIZE", "lots")
    with pytest.raises(ConfigError, match="db_pool_size"):
        reload_settings()


def test_config_file_is_read_and_env_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "axion.toml"
    path.write_text('sandbox_seed = 11\nprovider = "sandbox"\nttl_quote = 3\n')
    monkeypatch.setenv("AXION_CONFIG_FILE", str(path))
    monkeypatch.setenv("AXION_TTL_QUOTE", "9")
    s = reload_settings()
    assert s.sandbox_seed == 11
    assert s.ttl_quote == 9


def test_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AXION_CONFIG_FILE", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match=r"nope\.toml"):
        reload_settings()


def test_override_is_scoped_and_restored() -> None:
    before = get_settings()
    with override_settings(sandbox_seed=99, ttl_daily=1) as inner:
        assert get_settings() is inner
        assert inner.sandbox_seed == 99
        with override_settings(sandbox_seed=5):
            assert get_settings().sandbox_seed == 5
            assert get_settings().ttl_daily == 1
        assert get_settings().sandbox_seed == 99
    assert get_settings() is before


def test_override_restores_after_an_error() -> None:
    before = get_settings()
    with pytest.raises(RuntimeError), override_settings(sandbox_seed=3):
        raise RuntimeError("boom")
    assert get_settings() is before


def test_override_is_thread_local() -> None:
    seen: list[int] = []
    with override_settings(sandbox_seed=123):
        worker = threading.Thread(target=lambda: seen.append(get_settings().sandbox_seed))
        worker.start()
        worker.join()
    assert seen == [get_settings().sandbox_seed]
    assert seen != [123]


def test_override_unknown_name_suggests() -> None:
    with (
        pytest.raises(UnknownNameError, match="Did you mean 'redis_url'"),
        override_settings(redis_ulr="x"),
    ):
        pass


def test_override_bad_value_is_config_error() -> None:
    with pytest.raises(ConfigError, match="sandbox_seed"), override_settings(sandbox_seed=-1):
        pass


def test_settings_are_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        get_settings().sandbox_seed = 3  # type: ignore[misc]
