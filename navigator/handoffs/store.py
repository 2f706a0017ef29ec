"""The handoff queue: open, list, claim and release conversations handed to an agent.

Every change is one conditional UPDATE, so that two console processes (or two agents)
racing for one conversation cannot both win: a claim only takes a waiting row, a release
only a row the agent holds. The database is the insight store's (SQLite by default,
PostgreSQL with NAVIGATOR_DATABASE_URL); its schema comes from the migrations.
"""

from __future__ import annotations

import secrets
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from navigator import migrations
from navigator.accounts.schema import accounts
from navigator.handoffs.schema import handoffs
from navigator.insight.database import configured_engine

StoreError = SQLAlchemyError
REASONS = ("asked", "unhelped", "frustrated", "complaint")
# a citizen who asks for a person outranks the bot's own judgement that it failed them
PRIORITY = {"asked": 3, "complaint": 2, "frustrated": 1, "unhelped": 0}
WAIT_SAMPLE = 20  # recent claims the expected wait is the median of
WAIT_MIN_SAMPLE = 3  # fewer than this: no estimate (never a made-up figure)
WAIT_HORIZON_S = 7 * 24 * 3600


class HandoffError(Exception):
    """A change the queue refused; ``status`` is the HTTP status that says why."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Handoff:
    """One conversation in the queue."""

    id: str
    sender: str
    channel: str
    language: str
    life_event: str | None
    service: str | None
    reason: str
    summary: str
    status: str
    created: float
    claimed_by: str | None = None
    claimed_at: float | None = None
    closed_at: float | None = None
    closed_by: str | None = None

    def waiting_s(self, now: float | None = None) -> int:
        """Seconds since the citizen was put in the queue (until claimed or closed)."""
        end = self.claimed_at or self.closed_at or (now if now is not None else time.time())
        return max(0, int(end - self.created))

    def to_dict(self, now: float | None = None) -> dict[str, Any]:
        """The queue entry of the JSON API (no sender id: it holds a phone number)."""
        return {
            "id": self.id,
            "channel": self.channel,
            "language": self.language,
            "life_event": self.life_event,
            "service": self.service,
            "waiting_s": self.waiting_s(now),
            "claimed_by": self.claimed_by,
            "status": self.status,
            "reason": self.reason,
            "summary": self.summary,
            "created": self.created,
        }


def new_id() -> str:
    """A short random id for URLs and logs (``h-`` and 10 base32 characters)."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "h-" + "".join(secrets.choice(alphabet) for _ in range(10))


def _handoff(row: sa.Row[Any]) -> Handoff:
    m = row._mapping
    return Handoff(**{name: m[name] for name in Handoff.__dataclass_fields__})


class HandoffStore:
    """The queue over the insight store's database (``engine`` shared when given)."""

    def __init__(
        self, engine: sa.Engine | None = None, *, path: Path | None = None, url: str | None = None
    ) -> None:
        self._own_engine = engine is None
        self._engine = engine if engine is not None else configured_engine(path, url)
        self._schema = migrations.OnFirstUse(self._engine)
        self._seen: dict[str, float] = {}

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine."""
        return self._engine

    def _ready(self) -> sa.Engine:
        return self._schema.ready()

    # -- reading

    def get(self, handoff_id: str) -> Handoff | None:
        """The handoff with this id, open or closed."""
        with self._ready().connect() as connection:
            row = connection.execute(sa.select(handoffs).where(handoffs.c.id == handoff_id)).first()
        return _handoff(row) if row is not None else None

    def open_for(self, sender: str) -> Handoff | None:
        """The conversation's open handoff (waiting or claimed), if any."""
        stmt = sa.select(handoffs).where(handoffs.c.sender == sender, handoffs.c.status != "closed")
        with self._ready().connect() as connection:
            row = connection.execute(stmt).first()
        return _handoff(row) if row is not None else None

    def queue(self) -> list[Handoff]:
        """Open handoffs: waiting ones first, oldest first; then the claimed ones."""
        waiting = sa.case((handoffs.c.status == "waiting", 0), else_=1)
        stmt = (
            sa.select(handoffs)
            .where(handoffs.c.status != "closed")
            .order_by(waiting, handoffs.c.created)
        )
        with self._ready().connect() as connection:
            return [_handoff(r) for r in connection.execute(stmt).all()]

    def position(self, handoff: Handoff) -> int:
        """1 for the next in line; counts the waiting handoffs opened before this one."""
        stmt = sa.select(sa.func.count()).where(
            handoffs.c.status == "waiting", handoffs.c.created < handoff.created
        )
        with self._ready().connect() as connection:
            return int(connection.execute(stmt).scalar_one()) + 1

    def expected_wait(self, now: float | None = None) -> float | None:
        """The median wait (seconds) of the latest claims of the past week, or None when
        there are too few to say."""
        now = time.time() if now is None else now
        c = handoffs.c
        stmt = (
            sa.select(c.claimed_at - c.created)
            .where(c.claimed_at.is_not(None), c.claimed_at > now - WAIT_HORIZON_S)
            .order_by(c.claimed_at.desc())
            .limit(WAIT_SAMPLE)
        )
        with self._ready().connect() as connection:
            waits = [float(w) for (w,) in connection.execute(stmt).all()]
        return statistics.median(waits) if len(waits) >= WAIT_MIN_SAMPLE else None

    # -- changing

    def open(
        self,
        *,
        sender: str,
        channel: str,
        language: str,
        reason: str,
        life_event: str | None = None,
        service: str | None = None,
        summary: str = "",
        now: float | None = None,
    ) -> Handoff:
        """Put the conversation in the queue, or update its open handoff: the stronger
        reason wins, and the summary and focus follow the conversation."""
        if reason not in REASONS:
            raise ValueError(f"unknown handoff reason {reason!r}")
        found = self.open_for(sender)
        if found is None:
            row: dict[str, Any] = {
                "id": new_id(),
                "sender": sender,
                "channel": channel,
                "language": language,
                "life_event": life_event,
                "service": service,
                "reason": reason,
                "summary": summary[:500],
                "status": "waiting",
                "created": time.time() if now is None else now,
            }
            try:
                with self._ready().begin() as connection:
                    connection.execute(sa.insert(handoffs).values(row))
            except IntegrityError:  # another process opened it a moment ago
                found = self.open_for(sender)
                if found is None:
                    raise
            else:
                return Handoff(**row)
        values: dict[str, Any] = {"language": language, "summary": summary[:500] or found.summary}
        if PRIORITY[reason] > PRIORITY.get(found.reason, 0):
            values["reason"] = reason
        if service:
            values["service"] = service
        if life_event:
            values["life_event"] = life_event
        with self._ready().begin() as connection:
            connection.execute(sa.update(handoffs).where(handoffs.c.id == found.id).values(values))
        return self.get(found.id) or found

    def claim(self, handoff_id: str, agent: str, now: float | None = None) -> Handoff:
        """Give a waiting handoff to ``agent`` (again to the same agent is fine)."""
        now = time.time() if now is None else now
        stmt = (
            sa.update(handoffs)
            .where(handoffs.c.id == handoff_id, handoffs.c.status == "waiting")
            .values(status="claimed", claimed_by=agent, claimed_at=now)
        )
        with self._ready().begin() as connection:
            taken = connection.execute(stmt).rowcount == 1
        found = self.get(handoff_id)
        if found is None:
            raise HandoffError("no such handoff", 404)
        if not taken and not (found.status == "claimed" and found.claimed_by == agent):
            if found.status == "closed":
                raise HandoffError("the handoff is closed", 409)
            raise HandoffError(f"already claimed by {found.claimed_by}", 409)
        return found

    def release(
        self, handoff_id: str, agent: str, *, force: bool = False, now: float | None = None
    ) -> Handoff:
        """Close a handoff: the agent holding it (anyone with ``force``), or a waiting one."""
        now = time.time() if now is None else now
        c = handoffs.c
        holder = sa.or_(c.status == "waiting", c.claimed_by == agent)
        stmt = sa.update(handoffs).where(c.id == handoff_id, c.status != "closed")
        if not force:
            stmt = stmt.where(holder)
        stmt = stmt.values(status="closed", closed_at=now, closed_by=agent)
        with self._ready().begin() as connection:
            done = connection.execute(stmt).rowcount == 1
        found = self.get(handoff_id)
        if found is None:
            raise HandoffError("no such handoff", 404)
        if not done:
            if found.status == "closed":
                raise HandoffError("the handoff is closed", 409)
            raise HandoffError(f"claimed by {found.claimed_by}", 403)
        return found

    def close_for(self, sender: str, by: str, now: float | None = None) -> Handoff | None:
        """Close the conversation's open handoff (the citizen restarted, say)."""
        found = self.open_for(sender)
        if found is None:
            return None
        return self.release(found.id, by, force=True, now=now)

    # -- agents' presence

    def seen(self, agent: str, now: float | None = None, every: float = 15.0) -> None:
        """Note that ``agent`` has the console open (written at most every ``every`` s)."""
        now = time.time() if now is None else now
        if now - self._seen.get(agent, 0.0) < every:
            return
        self._seen[agent] = now
        stmt = sa.update(accounts).where(accounts.c.name == agent).values(last_seen=now)
        with self._ready().begin() as connection:
            connection.execute(stmt)

    def agents_online(self, within_s: float, now: float | None = None) -> list[str]:
        """Enabled accounts that had the console open in the last ``within_s`` seconds."""
        now = time.time() if now is None else now
        a = accounts.c
        stmt = (
            sa.select(a.name)
            .where(a.last_seen > now - within_s, a.disabled.is_(False))
            .order_by(a.name)
        )
        with self._ready().connect() as connection:
            return [str(n) for (n,) in connection.execute(stmt).all()]

    def close(self) -> None:
        """Close pooled connections when this store made its own engine."""
        if self._own_engine:
            self._engine.dispose()
