"""Rasa's conversation locks in an SQLite file, so several Rasa workers can share them.

Rasa serialises the messages of one conversation with a ticket lock. The stock choices
are in memory (one process only) or Redis. With this store, ``SANIC_WORKERS=2`` runs two
Rasa worker processes on one machine (one per core) that share the locks through a small
SQLite file; every read-modify-write of a lock runs in one ``BEGIN IMMEDIATE``
transaction, so two workers can never draw the same ticket.

endpoints.yml::

    lock_store:
      type: stores.sqlite_lock_store.SQLiteLockStore
      db: ../var/locks.db
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore


class SQLiteLockStore(LockStore):
    """Ticket locks in a table ``locks(conversation_id, lock)`` of an SQLite file."""

    def __init__(self, endpoint_config: Any = None, db: Text = "locks.db") -> None:
        kwargs = getattr(endpoint_config, "kwargs", None) or {}
        self.path = Path(kwargs.get("db", db))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._transaction() as db_:
            db_.execute(
                "CREATE TABLE IF NOT EXISTS locks (conversation_id TEXT PRIMARY KEY, lock TEXT)"
            )
        super().__init__()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # locks are short-lived anyway
            self._local.connection = connection
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")  # takes the write lock before reading
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    @staticmethod
    def _read(connection: sqlite3.Connection, conversation_id: Text) -> Optional[TicketLock]:
        row = connection.execute(
            "SELECT lock FROM locks WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    @staticmethod
    def _write(connection: sqlite3.Connection, lock: TicketLock) -> None:
        connection.execute(
            "INSERT OR REPLACE INTO locks (conversation_id, lock) VALUES (?, ?)",
            (lock.conversation_id, lock.dumps()),
        )

    # -- the three primitives Rasa's LockStore builds on ------------------------------
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The conversation's lock, if any."""
        return self._read(self._connection(), conversation_id)

    def delete_lock(self, conversation_id: Text) -> None:
        """Remove the conversation's lock."""
        cursor = self._connection().execute(
            "DELETE FROM locks WHERE conversation_id = ?", (conversation_id,)
        )
        self._log_deletion(conversation_id, cursor.rowcount > 0)

    def save_lock(self, lock: TicketLock) -> None:
        """Store ``lock``."""
        self._write(self._connection(), lock)

    # -- read-modify-write steps, each atomic across processes ------------------------
    def _update(self, conversation_id: Text, change: Callable[[TicketLock], Any]) -> Any:
        with self._transaction() as connection:
            lock = self._read(connection, conversation_id)
            if lock is None:
                return None
            result = change(lock)
            self._write(connection, lock)
            return result

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket on the conversation's lock (created if missing)."""
        try:
            with self._transaction() as connection:
                lock = self._read(connection, conversation_id) or self.create_lock(
                    conversation_id
                )
                ticket = lock.issue_ticket(lock_lifetime)
                self._write(connection, lock)
                return ticket
        except Exception as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: Text) -> None:
        """Drop expired tickets."""
        self._update(conversation_id, TicketLock.remove_expired_tickets)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove the ticket that was served."""
        self._update(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove the served ticket, and the lock itself when nobody else waits."""
        with self._transaction() as connection:
            lock = self._read(connection, conversation_id)
            if lock is None:
                return
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                self._write(connection, lock)
            else:
                connection.execute(
                    "DELETE FROM locks WHERE conversation_id = ?", (conversation_id,)
                )
