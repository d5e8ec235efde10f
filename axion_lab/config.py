"""Settings: one object, read from ``AXION_*`` variables and an optional TOML file.

Nothing else in the package reads ``os.environ``. Settings are read lazily, on the
first call to :func:`get_settings`, never at import time.

Sources, highest priority first:

1. scoped overrides (:func:`override_settings`, a context manager that restores state);
2. ``AXION_*`` environment variables (``AXION_DATABASE_URL``, ``AXION_REDIS_URL``, ...);
3. the TOML file named by ``AXION_CONFIG_FILE``, else ``<user config dir>/config.toml``
   if it exists;
4. the defaults below.

Examples
--------
>>> from axion_lab.config import get_settings, override_settings
>>> with override_settings(sandbox_seed=7) as s:
...     s.sandbox_seed
7
>>> get_settings().sandbox_seed == 7
False
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from axion_lab.exceptions import ConfigError, UnknownNameError

__all__ = [
    "APP_NAME",
    "Settings",
    "get_settings",
    "override_settings",
    "reload_settings",
    "reset_settings",
]

APP_NAME = "axion-lab"


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def _sdk_api_key() -> SecretStr | None:
    # The anthropic SDK's own variable, read here so nothing else touches os.environ;
    # AXION_ANTHROPIC_API_KEY (or an override) still wins over it.
    value = os.environ.get("ANTHROPIC_API_KEY")
    return SecretStr(value) if value else None


def _default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


class Settings(BaseSettings):
    """All of Axion Lab's settings. Environment variable: ``AXION_<FIELD NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="AXION_",
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    # --- locations -------------------------------------------------------------------
    data_dir: Path = Field(default_factory=_default_data_dir, description="User data (SQLite db).")
    cache_dir: Path = Field(
        default_factory=_default_cache_dir, description="Generated data (sandbox Parquet)."
    )

    # --- data --------------------------------------------------------------------------
    provider: str = Field("sandbox", description="Default data provider.")
    sandbox_seed: int = Field(42, ge=0, description="Seed of the synthetic sandbox market.")

    # --- persistence -------------------------------------------------------------------
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; None means SQLite under data_dir."
    )
    db_pool_size: int = Field(20, ge=1, description="Async engine pool size where pooled.")
    db_echo: bool = False
    db_busy_timeout: float = Field(
        5.0, ge=0, description="Seconds SQLite waits for another writer's lock before failing."
    )

    # --- cache -------------------------------------------------------------------------
    redis_url: str | None = Field(None, description="Redis URL; None means in-process cache.")
    cache_namespace: str = "axion"
    ttl_quote: int = Field(15, ge=0, description="Seconds a quote stays cached.")
    ttl_intraday: int = Field(60, ge=0, description="Seconds intraday bars stay cached.")
    ttl_daily: int = Field(6 * 3600, ge=0, description="Seconds daily bars stay cached.")
    ttl_fundamentals: int = Field(12 * 3600, ge=0, description="Seconds fundamentals stay cached.")
    ttl_profile: int = Field(3600, ge=0, description="Seconds profiles/universes stay cached.")
    redis_connect_timeout: float = Field(
        0.5, gt=0, description="Seconds to wait for a Redis connection before falling back."
    )
    redis_socket_timeout: float = Field(
        5.0, gt=0, description="Seconds a Redis read or write may stall before falling back."
    )
    redis_retry_interval: float = Field(
        5.0, ge=0, description="Seconds between reconnection attempts while Redis is down."
    )
    cache_max_entries: int = Field(4096, ge=1, description="Entries the in-process cache holds.")
    cache_max_bytes: int = Field(
        256 * 1024 * 1024, ge=1, description="Bytes the in-process cache holds (LRU beyond)."
    )

    # --- outside services ---------------------------------------------------------------
    tradingview_url: str = Field(
        "https://scanner.tradingview.com",
        description="Base URL of TradingView's scanner API (a loopback server in tests).",
    )
    http_timeout: float = Field(30.0, gt=0)
    anthropic_model: str = Field(
        "claude-sonnet-4-6",
        description="The copilot's Claude model (claude-sonnet-4-5 retires 2026-11-30).",
    )
    anthropic_base_url: str | None = None
    anthropic_api_key: SecretStr | None = Field(
        default_factory=_sdk_api_key,
        description="The copilot's API key; default: the SDK's ANTHROPIC_API_KEY variable.",
    )
    dask_scheduler: str | None = Field(None, description="Dask scheduler address; None = local.")

    # --- reports -----------------------------------------------------------------------
    report_dir: Path = Field(Path("reports"), description="Where `axion-lab report` writes.")
    report_timeout: int = Field(600, gt=0, description="Seconds a notebook cell may run.")
    notebooks_dir: Path | None = Field(
        None, description="Curated report notebooks; None means the repository's notebooks/."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

    @field_validator(
        "database_url",
        "redis_url",
        "anthropic_base_url",
        "anthropic_api_key",
        "dask_scheduler",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return value or None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_file_path()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: ``database_url`` or SQLite under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'axion.db'}"


def _config_file_path() -> Path | None:
    explicit = os.environ.get("AXION_CONFIG_FILE")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"AXION_CONFIG_FILE points at {path}, which is not a file.")
        return path
    default = _default_config_file()
    return default if default.is_file() else None


_lock = threading.Lock()
_cached: Settings | None = None
_override: contextvars.ContextVar[Settings | None] = contextvars.ContextVar(
    "axion_settings_override", default=None
)


def _build(**values: Any) -> Settings:
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(
            f"Invalid Axion Lab settings ({problems}). Check your AXION_* variables "
            "and config file."
        ) from exc


def get_settings() -> Settings:
    """Return the settings in force (a scoped override, else the process settings)."""
    global _cached
    scoped = _override.get()
    if scoped is not None:
        return scoped
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = _build()
    return _cached


def reset_settings() -> None:
    """Forget the process settings; the next :func:`get_settings` reads them again."""
    global _cached
    with _lock:
        _cached = None


def reload_settings() -> Settings:
    """Forget the process settings and read them again from the environment."""
    reset_settings()
    return get_settings()


@contextmanager
def override_settings(**changes: Any) -> Iterator[Settings]:
    """Temporarily change settings in this context (thread- and task-local).

    Unknown names raise :class:`~axion_lab.exceptions.UnknownNameError` with
    suggestions; invalid values raise :class:`~axion_lab.exceptions.ConfigError`.
    """
    fields = Settings.model_fields
    for name in changes:
        if name not in fields:
            raise UnknownNameError.for_name("setting", name, fields)
    base = get_settings()
    merged = {**base.model_dump(), **changes}
    new = _build(**merged)
    token = _override.set(new)
    try:
        yield new
    finally:
        _override.reset(token)
