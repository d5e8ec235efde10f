"""The sandbox Parquet cache: one directory per generator version and seed.

``<cache_dir>/sandbox/v<GENERATOR_VERSION>-seed<seed>/<frame>.parquet``

A build is written into a temporary sibling directory and renamed into place, so a
crash never leaves a half-written cache. A directory that is incomplete or
unreadable is rebuilt with one warning. Files are written with fixed options
(no timestamps in the metadata), so the same seed gives byte-identical files.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

import polars as pl

from axion_lab.data.sandbox.config import GENERATOR_VERSION
from axion_lab.data.schema import FRAME_NAMES

__all__ = ["cache_path", "read_cache", "write_cache"]

_MARKER = "COMPLETE"


def cache_path(cache_dir: Path, seed: int) -> Path:
    """Directory holding the frames of ``seed`` for this generator version."""
    return Path(cache_dir) / "sandbox" / f"v{GENERATOR_VERSION}-seed{seed}"


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
            trash = Path(tempfile.mkdtemp(prefix=f".{path.name}-old-", dir=path.parent))
            path.rename(trash / "old")
            shutil.rmtree(trash, ignore_errors=True)
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
