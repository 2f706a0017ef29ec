"""A small SQLite store per adapter, under the var dir: what must survive a restart.

- processed platform message ids (WhatsApp retries webhooks; each message is handled once),
- long button payloads mapped to short keys (Telegram ``callback_data`` is capped at 64
  bytes, WhatsApp ids at 200/256 characters),
- each citizen's chosen language.

Every call is one short statement on a WAL database, cheap enough to run on the event
loop; a lock makes the one connection safe to share across threads. ``StateStore`` is the
interface the adapters use; with ``NAVIGATOR_REDIS_URL`` set, ``shared_store`` implements
it in Redis so that several adapter processes share it (``state.open_state`` chooses).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

from navigator.channels.texts import LANGUAGES, Lang

logger = logging.getLogger(__name__)

SEEN_MESSAGE_TTL_S = 7 * 24 * 3600
PAYLOAD_TTL_S = 90 * 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_messages (
    message_id TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS payloads (
    key TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    used_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS languages (
    sender TEXT PRIMARY KEY,
    lang TEXT NOT NULL
);
"""


class StateStore(Protocol):
    """What the adapters keep per channel: message ids, payload keys, languages."""

    def claim_message(self, message_id: str) -> bool: ...
    def release_message(self, message_id: str) -> None: ...
    def put_payload(self, payload: str) -> str: ...
    def get_payload(self, key: str) -> str | None: ...
    def get_language(self, sender: str) -> Lang | None: ...
    def set_language(self, sender: str, lang: Lang) -> None: ...
    def close(self) -> None: ...


def payload_key(payload: str) -> str:
    """The short key (22 URL-safe characters) of ``payload``: the same in every store."""
    digest = hashlib.sha256(payload.encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class ChannelStore:
    """Processed message ids, payload keys and languages for one adapter."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        self.prune()

    def claim_message(self, message_id: str) -> bool:
        """Record ``message_id``; True the first time, False for a duplicate."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO seen_messages (message_id, seen_at) VALUES (?, ?)",
                (message_id, time.time()),
            )
        return cursor.rowcount == 1

    def release_message(self, message_id: str) -> None:
        """Forget ``message_id`` so a redelivery is processed (used when queuing failed)."""
        with self._lock:
            self._db.execute("DELETE FROM seen_messages WHERE message_id = ?", (message_id,))

    def put_payload(self, payload: str) -> str:
        """A short key (22 URL-safe characters) that ``get_payload`` maps back."""
        key = payload_key(payload)
        with self._lock:
            self._db.execute(
                "INSERT INTO payloads (key, payload, used_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET used_at = excluded.used_at",
                (key, payload, time.time()),
            )
        return key

    def get_payload(self, key: str) -> str | None:
        """The payload stored under ``key``, or None if unknown or expired."""
        with self._lock:
            row = self._db.execute("SELECT payload FROM payloads WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def get_language(self, sender: str) -> Lang | None:
        """The language ``sender`` chose, if any."""
        with self._lock:
            row = self._db.execute(
                "SELECT lang FROM languages WHERE sender = ?", (sender,)
            ).fetchone()
        if row and row[0] in LANGUAGES:
            lang: Lang = row[0]
            return lang
        return None

    def set_language(self, sender: str, lang: Lang) -> None:
        """Remember ``sender``'s language."""
        with self._lock:
            self._db.execute(
                "INSERT INTO languages (sender, lang) VALUES (?, ?) "
                "ON CONFLICT(sender) DO UPDATE SET lang = excluded.lang",
                (sender, lang),
            )

    def prune(self, now: float | None = None) -> None:
        """Drop message ids and payloads older than their time to live."""
        now = time.time() if now is None else now
        with self._lock:
            seen = self._db.execute(
                "DELETE FROM seen_messages WHERE seen_at < ?", (now - SEEN_MESSAGE_TTL_S,)
            ).rowcount
            payloads = self._db.execute(
                "DELETE FROM payloads WHERE used_at < ?", (now - PAYLOAD_TTL_S,)
            ).rowcount
        if seen or payloads:
            logger.info("pruned %d message ids and %d payloads", seen, payloads)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
