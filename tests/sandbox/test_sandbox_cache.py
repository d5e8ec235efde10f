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
from axion_lab.data.sandbox.cache import cache_path, read_cache, source_hash, write_cache
from axion_lab.data.schema import FRAME_NAMES
from axion_lab.exceptions import InputError, UnknownNameError

SMALL = {"n_large": 40, "n_mid": 30, "n_small": 40, "n_micro": 10, "n_foreign": 5}


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.glob("*.parquet"))}


def test_cache_layout(market, session_cache_dir: Path) -> None:
    path = session_cache_dir / "sandbox" / f"v{GENERATOR_VERSION}-{source_hash()}-seed42"
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


def test_cache_key_follows_the_generator_source(tmp_path: Path) -> None:
    import axion_lab.data.sandbox as pkg
    from axion_lab.data.sandbox.cache import cache_key, hash_sources

    src = Path(pkg.__file__).parent
    copy = tmp_path / "gen"
    copy.mkdir()
    for f in src.glob("*.py"):
        (copy / f.name).write_bytes(f.read_bytes())
    assert hash_sources(copy) == source_hash()
    assert cache_key(7) == f"v{GENERATOR_VERSION}-{source_hash()}-seed7"
    # Any edit of the generator, even without a version bump, moves the cache.
    target = copy / "prices.py"
    target.write_bytes(target.read_bytes() + b"\n# tweak\n")
    assert hash_sources(copy) != source_hash()
    (copy / "extra.py").write_text("")
    target.write_bytes((src / "prices.py").read_bytes())
    assert hash_sources(copy) != source_hash()


def test_prune_removes_only_other_builds_of_our_naming(tmp_path: Path) -> None:
    from axion_lab.data.sandbox.cache import cache_key, prune_stale

    keep = [cache_key(42), cache_key(3), "v1-seed42.bak", "mine", ".v1-seed42-abc"]
    stale = ["v1-seed42", "v2-0123456789ab-seed42", f"v{GENERATOR_VERSION}-ffffffffffff-seed7"]
    for name in keep + stale:
        (tmp_path / name).mkdir()
        (tmp_path / name / "bars.parquet").write_bytes(b"x")
    (tmp_path / "v9-seed1").write_text("a file, not a cache directory")
    outside = tmp_path.parent / f"{tmp_path.name}-target"
    outside.mkdir()
    (tmp_path / "v3-seed5").symlink_to(outside, target_is_directory=True)
    assert sorted(prune_stale(tmp_path)) == sorted(stale)
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {*keep, "v9-seed1", "v3-seed5"}
    assert outside.is_dir()
    assert prune_stale(tmp_path / "missing") == []


def test_a_stale_cache_is_never_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import axion_lab.data.sandbox as pkg

    small = build_frames(SandboxConfig(seed=42, **SMALL))
    monkeypatch.setattr(pkg, "build_frames", lambda cfg: small)
    # A complete cache of an older generator build under the old naming and under
    # the same version with another source hash: neither may be read.
    for name in ("v1-seed42", f"v{GENERATOR_VERSION}-000000000000-seed42"):
        write_cache(tmp_path / "sandbox" / name, {**small, "bars": small["bars"].head(3)})
    with override_settings(cache_dir=tmp_path):
        market = load_market()
    assert market.bars.height == small["bars"].height
    assert sorted(p.name for p in (tmp_path / "sandbox").iterdir()) == [
        cache_path(tmp_path, 42).name
    ]
