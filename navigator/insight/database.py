"""Which database the insight store uses, and its SQLAlchemy engine.

``NAVIGATOR_DATABASE_URL`` (``postgresql://...``) selects PostgreSQL through psycopg 3;
without it the store is the SQLite file ``NAVIGATOR_INSIGHT_DB`` or ``var/insight.db``
in WAL mode, as before. Errors are described for logs by their classes only: the SQL,
its parameters and the server's message (which may quote stored values) stay out.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from navigator.settings import database_url, var_dir

POSTGRES_DRIVER = "postgresql+psycopg"
CONNECT_TIMEOUT = 5  # seconds: a write while PostgreSQL is unreachable fails fast
SQLITE_TIMEOUT = 5.0  # seconds to wait for another process's write lock


def default_path() -> Path:
    """NAVIGATOR_INSIGHT_DB or var/insight.db."""
    return Path(os.environ.get("NAVIGATOR_INSIGHT_DB", var_dir() / "insight.db"))


def sqlalchemy_url(url: str) -> URL:
    """``url`` with PostgreSQL's driver set to psycopg 3 (``postgresql://`` and
    ``postgres://`` become ``postgresql+psycopg://``); other URLs are kept."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername=POSTGRES_DRIVER)
    return parsed


def sqlite_url(path: Path) -> URL:
    """The SQLAlchemy URL of a SQLite file."""
    return URL.create("sqlite", database=str(path))


def _wal(dbapi_connection: Any, _record: object) -> None:
    """Every new SQLite connection: WAL mode, so readers never wait for the writer.

    Two processes switching a new file at once get "database is locked" at once, without
    SQLite's busy wait; the loser tries again (the mode is then usually WAL already).
    """
    deadline = time.monotonic() + SQLITE_TIMEOUT
    while True:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            cursor.close()


def create_engine(url: str | URL) -> Engine:
    """An engine for ``url``: pre-ping on PostgreSQL (a restarted server is reconnected
    to on the next checkout), WAL on SQLite, parameters never shown in errors."""
    target = sqlalchemy_url(url) if isinstance(url, str) else url
    if target.get_backend_name() == "sqlite":
        engine = sa.create_engine(
            target,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_TIMEOUT},
        )
        sa.event.listen(engine, "connect", _wal)
        return engine
    connect_args: dict[str, object] = {}
    if target.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "navigator"}
    return sa.create_engine(
        target, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args
    )


def configured_engine(path: Path | None = None, url: str | None = None) -> Engine:
    """``path`` (a SQLite file) if given, else ``url``, else NAVIGATOR_DATABASE_URL,
    else the default SQLite file (its folder is created)."""
    if path is None:
        url = url or database_url()
        if url:
            return create_engine(url)
        path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return create_engine(sqlite_url(path))


def describe(exc: BaseException) -> str:
    """A database error for one log line: its classes, SQLSTATE and whether the
    connection was lost; never the message, which may quote SQL or stored values."""
    details = []
    orig = getattr(exc, "orig", None)
    if orig is not None:
        details.append(f"{type(orig).__module__}.{type(orig).__name__}")
        sqlstate = getattr(orig, "sqlstate", None)
        if sqlstate:
            details.append(f"sqlstate {sqlstate}")
    if getattr(exc, "connection_invalidated", False):
        details.append("connection lost")
    return f"{type(exc).__name__} ({'; '.join(details)})" if details else type(exc).__name__
