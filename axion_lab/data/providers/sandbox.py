"""The ``sandbox`` provider: a deterministic synthetic market of fictional companies.

Generated offline from a seed (:mod:`axion_lab.data.sandbox`), cached as Parquet
under the cache directory (keyed on the generator's version and a hash of its
source, see :mod:`axion_lab.data.sandbox.cache`), and the default of
:func:`axion_lab.load_market`.
"""

from __future__ import annotations

from typing import Any

from axion_lab.data.market import Market
from axion_lab.exceptions import InputError, UnknownNameError

__all__ = ["SandboxProvider"]

_OPTIONS = ("seed", "refresh")


class SandboxProvider:
    """Loads the sandbox market, building and caching it on first use.

    Examples
    --------
    >>> from axion_lab.data.providers.sandbox import SandboxProvider
    >>> market = SandboxProvider().load()
    >>> market.provider, market.is_synthetic
    ('sandbox', True)
    >>> SandboxProvider().load(sead=1)
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.UnknownNameError: Unknown sandbox option 'sead'. Did you mean 'seed'?
    """

    name = "sandbox"
    description = (
        "Synthetic market of fictional companies: 1,660 equities, ETFs, crypto, forex, "
        "bonds and futures over 12 years, generated offline from a seed."
    )

    def load(self, **options: Any) -> Market:
        """Return the market for ``seed`` (default: the ``sandbox_seed`` setting).

        ``refresh=True`` rebuilds the cache. Any other option raises
        :class:`~axion_lab.exceptions.UnknownNameError`.
        """
        for key in options:
            if key not in _OPTIONS:
                raise UnknownNameError.for_name("sandbox option", key, _OPTIONS)
        return self._load(seed=options.get("seed"), refresh=bool(options.get("refresh", False)))

    def _load(self, *, seed: int | None, refresh: bool) -> Market:
        from axion_lab.config import get_settings
        from axion_lab.data.sandbox import SandboxConfig, SandboxIntraday, build_frames
        from axion_lab.data.sandbox.cache import cache_path, prune_stale, read_cache, write_cache

        settings = get_settings()
        if seed is None:
            seed = settings.sandbox_seed
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InputError(f"The sandbox seed must be a non-negative integer, got {seed!r}.")
        path = cache_path(settings.cache_dir, seed)
        frames = None if refresh else read_cache(path)
        if frames is None:
            frames = build_frames(SandboxConfig(seed=seed))
            write_cache(path, frames)
            # Caches of older generator builds can never be read again.
            prune_stale(path.parent)
        return Market.from_frames(
            frames,
            provider="sandbox",
            description=f"Sandbox: synthetic market of fictional companies (seed {seed})",
            is_synthetic=True,
            seed=seed,
            intraday_source=SandboxIntraday(frames["bars"], seed),
        )
