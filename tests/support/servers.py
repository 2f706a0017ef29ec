"""Session fixtures: a real PostgreSQL and a real Redis (Debian's), on loopback ports.

Started once per test session in a temporary folder and stopped at the end. They are
not skipped when missing: ``make test`` installs them (scripts/install-servers.sh).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from navigator.cluster.servers import Postgres, Redis


@pytest.fixture(scope="session")
def servers_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="navigator-servers-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(servers_dir: Path) -> Iterator[Postgres]:
    """A PostgreSQL server with an empty ``navigator`` database (``postgres.url``)."""
    server = Postgres(servers_dir / "postgres").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(servers_dir: Path) -> Iterator[Redis]:
    """A Redis server (``redis_server.url``)."""
    server = Redis(servers_dir / "redis").start()
    yield server
    server.stop()


def _admin(server: Postgres) -> Any:
    import psycopg  # here: the Rasa venv loads this plugin too, and has no psycopg

    return psycopg.connect(
        host="127.0.0.1",
        port=server.port,
        user=server.user,
        password=server.password,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def pg_url(postgres: Postgres) -> Iterator[str]:
    """The URL of a new, empty database on the session's server, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with _admin(postgres) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres.url.rsplit("/", 1)[0] + f"/{name}"
    with _admin(postgres) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
