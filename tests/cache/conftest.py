"""Fixtures for the cache tests: a fake clock, both backends, a private redis-server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from axion_lab.cache import Cache, MemoryCache, RedisCache, TTLPolicy, reset_cache

TTLS = TTLPolicy(quote=15, intraday=60, daily=6 * 3600, fundamentals=12 * 3600, profile=3600)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ttls() -> TTLPolicy:
    """The settings' default TTLs, fixed so tests do not depend on the environment."""
    return TTLS


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def _fresh_global_cache() -> Iterator[None]:
    """Each test starts and ends with the module-level cache unresolved."""
    reset_cache()
    yield
    reset_cache()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def any_cache(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Cache]:
    """The same contract, once per backend (Redis: the shared server's db 15)."""
    c: Cache
    if request.param == "memory":
        c = MemoryCache(ttls=TTLS, clock=clock)
    else:
        c = RedisCache(request.getfixturevalue("redis_url"), ttls=TTLS, clock=clock)
    yield c
    c.close()


class RedisServer:
    """A redis-server of our own on a free port, which a test may stop and restart."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        exe = shutil.which("redis-server")
        assert exe is not None
        self._proc = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A private Redis (never the shared one on 6379) that the test may kill."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
