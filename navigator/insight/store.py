"""Store of low-confidence, fallback, handoff and "not helpful" queries.

Only the masked query text is kept with what was shown (ids and scores); no sender
id, name or phone number is stored. The database is SQLite (``var/insight.db``) unless
NAVIGATOR_DATABASE_URL points at PostgreSQL (:mod:`navigator.insight.database`); its
schema comes from the Alembic migrations, brought up to date on first use.

A database that is down makes the methods raise :class:`StoreError` (SQLAlchemy's
base error); callers that must not fail (the action server, the console) catch it and
log :func:`describe` of it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from navigator import migrations
from navigator.insight.database import configured_engine, default_path, describe
from navigator.insight.schema import evaluations, queries
from navigator.privacy import mask

Reason = Literal[
    "low_confidence",
    "out_of_scope",
    "fallback",
    "handoff",
    "not_helpful",
    "agent_fix",
    "injection",
    "insult",
]
# agent_fix: an agent marked a bot answer wrong and named the right service (``proposed``);
# injection: text that tried to instruct the bot (refused); insult: answered calmly
REASONS: tuple[str, ...] = get_args(Reason)
StoreError = SQLAlchemyError

__all__ = ["REASONS", "InsightStore", "Reason", "Record", "StoreError", "default_path", "describe"]


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
    proposed: str | None = None  # agent_fix: the service an agent named as right


class InsightStore:
    """Thread-safe store over a pool of connections (SQLAlchemy Core).

    ``path`` is a SQLite file; without it ``url`` or NAVIGATOR_DATABASE_URL is used,
    else the default SQLite file. Nothing connects until the first call, which runs
    the migrations (retried on the next call if the database was unreachable).
    """

    def __init__(self, path: Path | None = None, *, url: str | None = None) -> None:
        self._engine = configured_engine(path, url)
        self.path: Path | None = (
            Path(self._engine.url.database or "") if self._engine.dialect.name == "sqlite" else None
        )
        self._schema = migrations.OnFirstUse(self._engine)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for tests and maintenance)."""
        return self._engine

    def _ready(self) -> sa.Engine:
        """The engine, once the schema is at the newest migration."""
        return self._schema.ready()

    def record(
        self,
        *,
        channel: str,
        reason: Reason,
        query: str,
        results: Sequence[dict[str, object]] = (),
        confidence: float | None = None,
        life_event: str | None = None,
        proposed: str | None = None,
    ) -> int:
        """Store one query (masked) and what was shown (and, for an agent's fix, the
        service the agent named); returns its row id."""
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        shown = [{"id": r.get("id"), "score": r.get("score")} for r in results][:10]
        row = {
            "created": time.time(),
            "channel": channel,
            "reason": reason,
            "query": mask(query)[:2000],
            "life_event": life_event,
            "confidence": confidence,
            "results": json.dumps(shown),
            "proposed": proposed,
        }
        with self._ready().begin() as connection:
            done = connection.execute(sa.insert(queries).values(row))
            key = done.inserted_primary_key
        return int(key[0]) if key else 0

    def recent(self, limit: int = 200, reason: str | None = None) -> list[Record]:
        """Newest first."""
        q = queries.c
        stmt = sa.select(
            q.id,
            q.created,
            q.channel,
            q.reason,
            q.query,
            q.life_event,
            q.confidence,
            q.results,
            q.proposed,
        )
        if reason:
            stmt = stmt.where(q.reason == reason)
        stmt = stmt.order_by(q.id.desc()).limit(limit)
        with self._ready().connect() as connection:
            rows = connection.execute(stmt).all()
        return [
            Record(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), r[8]) for r in rows
        ]

    def record_evaluation(
        self, recall_at_3: float, mrr_at_10: float, detail: dict[str, object]
    ) -> None:
        """Append one retrieval evaluation result (for the score trend)."""
        row = {
            "created": time.time(),
            "recall_at_3": recall_at_3,
            "mrr_at_10": mrr_at_10,
            "detail": json.dumps(detail),
        }
        with self._ready().begin() as connection:
            connection.execute(sa.insert(evaluations).values(row))

    def evaluations(self, limit: int = 50) -> list[tuple[float, float, float]]:
        """(time, Recall@3, MRR@10), oldest first."""
        e = evaluations.c
        stmt = sa.select(e.created, e.recall_at_3, e.mrr_at_10).order_by(e.id.desc()).limit(limit)
        with self._ready().connect() as connection:
            rows = connection.execute(stmt).all()
        return [(r[0], r[1], r[2]) for r in reversed(rows)]

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()
