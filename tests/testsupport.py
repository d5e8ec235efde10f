"""Helpers shared by test folders: throwaway PostgreSQL databases and private Redis servers.

Imported by name (``from testsupport import ...``): ``tests/`` is on ``sys.path``
because ``tests/conftest.py`` lives there. (Test modules never import ``conftest``
by name: with a conftest in several folders that picks whichever came first.)
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

__all__ = ["RedisServer", "throwaway_database"]


@contextmanager
def throwaway_database(postgres_url: str, prefix: str = "axion_test") -> Iterator[sa.URL]:
    """Create a uniquely named, empty PostgreSQL database; drop it afterwards.

    Yields its URL with the driver of ``postgres_url``; callers set the driver they
    need (``url.set(drivername="postgresql")`` for psycopg sync + asyncpg async).
    Connections are forced closed on drop, so runs are repeatable and parallel-safe.
    """
    from axion_lab.db import reset_engines

    base = sa.make_url(postgres_url)
    admin = sa.create_engine(
        base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name)
    finally:
        reset_engines()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


class RedisServer:
    """A redis-server of our own on a free port, never the shared one on 6379."""

    def __init__(self, directory: Path) -> None:
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed")
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
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory)),
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

    @classmethod
    @contextmanager
    def running(cls, directory: Path) -> Iterator[RedisServer]:
        """Start a private server for the duration of the block."""
        server = cls(directory)
        server.start()
        try:
            yield server
        finally:
            server.stop()
