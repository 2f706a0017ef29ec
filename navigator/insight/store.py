"""SQLite store of low-confidence, fallback, handoff and "not helpful" queries.

Only the masked query text is kept with what was shown (ids and scores); no sender
id, name or phone number is stored.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from navigator.privacy import mask
from navigator.settings import var_dir

Reason = Literal["low_confidence", "out_of_scope", "fallback", "handoff", "not_helpful"]
REASONS: tuple[str, ...] = ("low_confidence", "out_of_scope", "fallback", "handoff", "not_helpful")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS queries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    channel TEXT NOT NULL,
    reason TEXT NOT NULL,
    query TEXT NOT NULL,
    life_event TEXT,
    confidence REAL,
    results TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS queries_created ON queries(created);
CREATE TABLE IF NOT EXISTS evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    recall_at_3 REAL NOT NULL,
    mrr_at_10 REAL NOT NULL,
    detail TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Record:
    """One stored query."""

    id: int
    created: float
    channel: str
    reason: str
    query: str
    life_event: str | None
    confidence: float | None
    results: list[dict[str, object]]


def default_path() -> Path:
    """NAVIGATOR_INSIGHT_DB or var/insight.db."""
    return Path(os.environ.get("NAVIGATOR_INSIGHT_DB", var_dir() / "insight.db"))


class InsightStore:
    """Thread-safe SQLite store; one connection per store, WAL mode for concurrent readers."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=5.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def record(
        self,
        *,
        channel: str,
        reason: Reason,
        query: str,
        results: Sequence[dict[str, object]] = (),
        confidence: float | None = None,
        life_event: str | None = None,
    ) -> int:
        """Store one query (masked) and what was shown; returns its row id."""
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        shown = [{"id": r.get("id"), "score": r.get("score")} for r in results][:10]
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO queries (created, channel, reason, query, life_event, confidence, results)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    channel,
                    reason,
                    mask(query)[:2000],
                    life_event,
                    confidence,
                    json.dumps(shown),
                ),
            )
            return int(cursor.lastrowid or 0)

    def recent(self, limit: int = 200, reason: str | None = None) -> list[Record]:
        """Newest first."""
        sql = "SELECT id, created, channel, reason, query, life_event, confidence, results FROM queries"
        args: tuple[object, ...] = ()
        if reason:
            sql += " WHERE reason = ?"
            args = (reason,)
        sql += " ORDER BY id DESC LIMIT ?"
        with self._lock:
            rows = self._db.execute(sql, (*args, limit)).fetchall()
        return [Record(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7])) for r in rows]

    def record_evaluation(
        self, recall_at_3: float, mrr_at_10: float, detail: dict[str, object]
    ) -> None:
        """Append one retrieval evaluation result (for the score trend)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO evaluations (created, recall_at_3, mrr_at_10, detail) VALUES (?, ?, ?, ?)",
                (time.time(), recall_at_3, mrr_at_10, json.dumps(detail)),
            )

    def evaluations(self, limit: int = 50) -> list[tuple[float, float, float]]:
        """(time, Recall@3, MRR@10), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT created, recall_at_3, mrr_at_10 FROM evaluations ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [(r[0], r[1], r[2]) for r in reversed(rows)]

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
