"""The sandbox Parquet cache: one directory per generator build and seed.

``<cache_dir>/sandbox/v<GENERATOR_VERSION>-<source hash>-seed<seed>/<frame>.parquet``

The key holds the generator version *and* a short BLAKE2b hash of the generator's
own source files (:func:`source_hash`), so any change to the generator, even one
that forgot to bump the version, lands in a new directory instead of serving stale
frames. After a successful write, directories of other generator builds are pruned
(only names that match this scheme exactly; never anything else).

A build is written into a temporary sibling directory and renamed into place, so a
crash never leaves a half-written cache. A directory that is incomplete or
unreadable is rebuilt with one warning. Files are written with fixed options
(no timestamps in the metadata), so the same seed gives byte-identical files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import polars as pl

from axion_lab.data.sandbox.config import GENERATOR_VERSION
from axion_lab.data.schema import FRAME_NAMES

__all__ = [
    "cache_key",
    "cache_path",
    "hash_sources",
    "prune_stale",
    "read_cache",
    "source_hash",
    "write_cache",
]

_MARKER = "COMPLETE"
# Every directory name this module has ever written (the hash is optional: the
# first layout had none). Pruning never touches anything else.
_NAME = re.compile(r"v\d+(?:-[0-9a-f]{12})?-seed\d+")


@functools.cache
def source_hash() -> str:
    """12 hex digits of BLAKE2b over the generator's ``.py`` files, in sorted order.

    Reads about 150 kB once per process.

    Examples
    --------
    >>> h = source_hash()
    >>> len(h), h == source_hash()
    (12, True)
    """
    return hash_sources(Path(__file__).parent)


def hash_sources(folder: Path) -> str:
    """12 hex digits of BLAKE2b over the names and bytes of ``folder``'s ``.py`` files."""
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(Path(folder).glob("*.py")):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def cache_key(seed: int) -> str:
    """Directory name for ``seed`` under this generator build, e.g. ``v2-0123456789ab-seed42``."""
    return f"v{GENERATOR_VERSION}-{source_hash()}-seed{seed}"


def cache_path(cache_dir: Path, seed: int) -> Path:
    """Directory holding the frames of ``seed`` for this generator build."""
    return Path(cache_dir) / "sandbox" / cache_key(seed)


def read_cache(path: Path) -> dict[str, pl.DataFrame] | None:
    """Frames from ``path``, or ``None`` if missing; a damaged cache warns and returns ``None``."""
    if not path.exists():
        return None
    try:
        if not (path / _MARKER).is_file():
            raise OSError("the build did not finish")
        return {name: pl.read_parquet(path / f"{name}.parquet") for name in FRAME_NAMES}
    except (OSError, pl.exceptions.PolarsError) as exc:
        warnings.warn(
            f"The sandbox cache at {path} is incomplete or corrupt ({exc}); rebuilding it.",
            RuntimeWarning,
            stacklevel=3,
        )
        return None


def write_cache(path: Path, frames: dict[str, pl.DataFrame]) -> None:
    """Write ``frames`` atomically to ``path`` (temporary directory, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    try:
        for name in FRAME_NAMES:
            frames[name].write_parquet(
                tmp / f"{name}.parquet",
                compression="zstd",
                compression_level=3,
                statistics=True,
                row_group_size=1_000_000,
            )
        (tmp / _MARKER).write_text(f"generator v{GENERATOR_VERSION}\n")
        if path.exists():
            # Replacing a damaged or refreshed cache: move it aside first so the
            # rename below is atomic, then remove the old copy.
            _remove(path)
        try:
            tmp.rename(path)
        except OSError:
            if (path / _MARKER).is_file():  # another process finished the same build first
                shutil.rmtree(tmp, ignore_errors=True)
                return
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def prune_stale(sandbox_dir: Path) -> list[str]:
    """Remove cache directories of other generator builds under ``sandbox_dir``.

    Only real directories (not symlinks) whose whole name matches the cache naming
    scheme and whose key is not this build's are removed; temporary build
    directories (leading dot) and anything else are left alone. Returns the names
    removed.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ("v1-seed42", cache_key(42), "v1-seed42.bak", "notes"):
    ...     (root / name).mkdir()
    >>> prune_stale(root)
    ['v1-seed42']
    >>> sorted(p.name for p in root.iterdir()) == sorted([cache_key(42), "v1-seed42.bak", "notes"])
    True
    """
    current = re.compile(rf"v{GENERATOR_VERSION}-{source_hash()}-seed\d+")
    removed: list[str] = []
    try:
        entries = sorted(Path(sandbox_dir).iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not _NAME.fullmatch(name) or current.fullmatch(name):
            continue
        if entry.is_symlink() or not entry.is_dir():
            continue
        _remove(entry)
        removed.append(name)
    return removed


def _remove(path: Path) -> None:
    """Move ``path`` into a fresh hidden sibling, then delete it there.

    The rename is atomic, so no reader ever finds a half-deleted cache under its name.
    """
    trash = Path(tempfile.mkdtemp(prefix=f".{path.name}-old-", dir=path.parent))
    with contextlib.suppress(OSError):  # already gone: another process removed it
        path.rename(trash / "old")
    shutil.rmtree(trash, ignore_errors=True)
