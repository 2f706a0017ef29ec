"""Alembic migrations of the project's SQL schema, run from code (no alembic.ini).

:func:`upgrade` brings a database to the newest revision. The insight store calls it on
first use, ``navigator db upgrade`` from the command line. It runs in one transaction
under a lock (PostgreSQL: an advisory lock; SQLite: ``BEGIN IMMEDIATE``), so processes
starting together migrate one after the other and the later ones find nothing to do.
A database made before migrations existed (the tables there, no ``alembic_version``)
is adopted: stamped with the first revision, its rows kept.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from navigator.insight.database import SQLITE_TIMEOUT

# Importing Alembic logs an INFO line per built-in plugin, in every process: not news.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402

logger = logging.getLogger(__name__)

SCRIPT_LOCATION = Path(__file__).resolve().parent
BASELINE = "0001"  # the schema the insight store created with CREATE TABLE IF NOT EXISTS
BASELINE_TABLES = ("queries", "evaluations")
VERSION_TABLE = "alembic_version"  # Alembic's default
_PG_LOCK = "SELECT pg_advisory_xact_lock(hashtext('navigator.migrations'))"
_SQLITE_WAIT_MS = 120_000  # for the write lock while another process migrates (not 5 s)
_in_process = threading.Lock()  # Alembic's ``context`` is module-global: one run at a time


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration: this folder, and the connection env.py is to use."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def heads() -> set[str]:
    """The newest revision(s) in ``versions/``."""
    return set(ScriptDirectory.from_config(config()).get_heads())


def current(connection: Connection) -> set[str]:
    """The revision(s) the database is at; empty when it was never migrated.

    Read directly rather than through Alembic's MigrationContext, which logs two INFO
    lines each time: every process start checks this.
    """
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return set()
    rows = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}"))
    return {str(row[0]) for row in rows}


def _lock(connection: Connection) -> None:
    """Hold the migration lock until this connection's transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(_PG_LOCK))
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {_SQLITE_WAIT_MS}")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _unlock(connection: Connection) -> None:
    """After the transaction: SQLite's usual wait again, for the pooled connection."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(SQLITE_TIMEOUT * 1000)}")


def _adopt(connection: Connection, cfg: Config) -> bool:
    """Stamp BASELINE on a database whose tables predate migrations; True if it did."""
    inspector = sa.inspect(connection)
    if not all(inspector.has_table(name) for name in BASELINE_TABLES):
        return False
    logger.info("adopting a database made before migrations: stamping revision %s", BASELINE)
    command.stamp(cfg, BASELINE)
    return True


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the database to ``revision``; True when a migration (or adoption) ran."""
    newest = heads()  # read the scripts before taking the lock: others wait less
    with _in_process, engine.connect() as connection:
        try:
            _lock(connection)
            cfg = config(connection)
            done = current(connection)
            adopted = not done and _adopt(connection, cfg)
            if adopted:
                done = {BASELINE}
            needed = not (revision == "head" and done == newest)
            if needed:
                command.upgrade(cfg, revision)
            connection.commit()  # on an error, closing the connection rolls back
        finally:
            _unlock(connection)
    return adopted or needed


def revision(
    engine: Engine, message: str, autogenerate: bool = False, rev_id: str | None = None
) -> list[str]:
    """Write a new revision file into ``versions/`` (autogenerate compares ``engine``'s
    database with :mod:`navigator.insight.schema`); returns the paths written."""
    with _in_process, engine.connect() as connection:
        scripts = command.revision(
            config(connection), message=message, autogenerate=autogenerate, rev_id=rev_id
        )
    found = scripts if isinstance(scripts, list) else [scripts]
    return [script.path for script in found if script is not None]


class OnFirstUse:
    """An engine brought to the newest migration the first time a store uses it, once
    per process: a process still starts while its database is down, and the upgrade is
    tried again on the next use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._done = False
        self._lock = threading.Lock()

    def ready(self) -> Engine:
        """The engine, once its schema is at head."""
        if not self._done:
            with self._lock:
                if not self._done:
                    upgrade(self.engine)
                    self._done = True
        return self.engine
