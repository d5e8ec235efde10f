"""Data providers: a tiny registry, as papermill keeps its engines.

A provider turns a request into canonical frames (``axion_lab.data.schema``) and
returns a :class:`~axion_lab.data.Market`. The embedded default is ``sandbox``.
Third-party providers register under the ``axion_lab.providers`` entry-point group
or by calling :func:`register_provider`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from axion_lab.data.market import Market
from axion_lab.exceptions import UnknownProviderError

__all__ = ["Provider", "available_providers", "get_provider", "register_provider"]


@runtime_checkable
class Provider(Protocol):
    """What a data provider must offer."""

    name: str
    description: str

    def load(self, **options: Any) -> Market:
        """Return a market bundle. Unknown options raise ``InputError``."""
        ...


ProviderFactory = Callable[[], Provider]

# Built-ins are imported lazily so that importing axion_lab stays cheap.
_BUILTIN: dict[str, str] = {
    "sandbox": "axion_lab.data.providers.sandbox:SandboxProvider",
    "files": "axion_lab.data.providers.files:FilesProvider",
}
_registry: dict[str, ProviderFactory] = {}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Register ``factory`` (a zero-argument callable returning a provider) as ``name``."""
    _registry[name] = factory


def _load_builtin(spec: str) -> ProviderFactory:
    module_name, _, attr = spec.partition(":")
    module = __import__(module_name, fromlist=[attr])
    factory: ProviderFactory = getattr(module, attr)
    return factory


def available_providers() -> list[str]:
    """Names of every provider that can be requested."""
    names = set(_BUILTIN) | set(_registry)
    names |= {ep.name for ep in entry_points(group="axion_lab.providers")}
    return sorted(names)


def get_provider(name: str) -> Provider:
    """Return a new provider instance by name, suggesting close names if unknown."""
    if name in _registry:
        return _registry[name]()
    if name in _BUILTIN:
        return _load_builtin(_BUILTIN[name])()
    for ep in entry_points(group="axion_lab.providers"):
        if ep.name == name:
            factory: ProviderFactory = ep.load()
            return factory()
    raise UnknownProviderError.for_name("provider", name, available_providers())
