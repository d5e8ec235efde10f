"""The sandbox cache: determinism, atomic writes, corrupt-cache recovery, options."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from axion_lab.config import override_settings
from axion_lab.data import load_market
from axion_lab.data.sandbox import GENERATOR_VERSION, SandboxConfig, build_frames
from axion_lab.data.sandbox.cache import cache_path, read_cache, write_cache
from axion_lab.data.schema import FRAME_NAMES
from axion_lab.exceptions import InputError, UnknownNameError

SMALL = {"n_large": 40, "n_mid": 30, "n_small": 40, "n_micro": 10, "n_foreign": 5}


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.glob("*.parquet"))}


def test_cache_layout(market, session_cache_dir: Path) -> None:
    path = session_cache_dir / "sandbox" / f"v{GENERATOR_VERSION}-seed42"
    assert path == cache_path(session_cache_dir, 42)
    assert sorted(_files(path)) == sorted(f"{name}.parquet" for name in FRAME_NAMES)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "no temp dirs left"


def test_unknown_option_suggests_the_right_one() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'seed'"):
        load_market(sead=3)
    with pytest.raises(InputError, match="non-negative integer"):
        load_market(seed=-1)


def test_small_builds_are_deterministic_and_seed_dependent(tmp_path: Path) -> None:
    a = build_frames(SandboxConfig(seed=1, **SMALL))
    write_cache(tmp_path / "a", a)
    write_cache(tmp_path / "b", build_frames(SandboxConfig(seed=1, **SMALL)))
    write_cache(tmp_path / "c", build_frames(SandboxConfig(seed=2, **SMALL)))
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    different = {k for k, v in _files(tmp_path / "c").items() if _files(tmp_path / "a")[k] != v}
    assert {"bars.parquet", "instruments.parquet", "fundamentals.parquet"} <= different


def test_build_does_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from axion_lab.data.sandbox import SandboxConfig, build_frames;"
        "from axion_lab.data.sandbox.cache import write_cache;"
        f"write_cache(Path(sys.argv[1]), build_frames(SandboxConfig(seed=5, **{SMALL!r})))"
    )
    for name, hash_seed in (("x", "1"), ("y", "987")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], check=True, env=env)
    assert _files(tmp_path / "x") == _files(tmp_path / "y")


@pytest.mark.slow
def test_default_market_is_byte_identical_across_builds(
    market, session_cache_dir: Path, tmp_path: Path
) -> None:
    with override_settings(cache_dir=tmp_path):
        load_market(refresh=True)
    assert _files(cache_path(tmp_path, 42)) == _files(cache_path(session_cache_dir, 42))


@pytest.mark.slow
def test_corrupt_cache_is_rebuilt_with_one_warning(
    market, session_cache_dir: Path, tmp_path: Path
) -> None:
    src = cache_path(session_cache_dir, 42)
    dst = cache_path(tmp_path, 42)
    dst.mkdir(parents=True)
    for name, data in _files(src).items():
        (dst / name).write_bytes(data)
    (dst / "COMPLETE").write_text("x")
    (dst / "bars.parquet").write_bytes(b"PAR1 not really parquet")
    with override_settings(cache_dir=tmp_path), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rebuilt = load_market()
    assert len([w for w in caught if "corrupt" in str(w.message)]) == 1
    assert rebuilt.bars.height == market.bars.height
    assert _files(dst) == _files(src)


def test_partial_cache_without_marker_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "partial"
    path.mkdir()
    with pytest.warns(RuntimeWarning, match="incomplete or corrupt"):
        assert read_cache(path) is None
    assert read_cache(tmp_path / "missing") is None
