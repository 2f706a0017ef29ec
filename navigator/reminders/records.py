"""The records of the reminder store: consents, reminders, and their small helpers."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from navigator.privacy import pseudonym

Now = datetime | float | None
MAX_BACKOFF_S = 3600.0


class ConsentRequired(Exception):
    """The citizen has not agreed to reminders (or has withdrawn the consent)."""


@dataclass(frozen=True)
class Consent:
    """What a citizen agreed to, and when."""

    sender: str
    channel: str
    language: str
    wording: str
    granted_at: float
    withdrawn_at: float | None = None


@dataclass(frozen=True)
class Reminder:
    """One message to send about one service's deadline."""

    id: str
    sender: str
    channel: str
    language: str
    service: str
    title: str
    due: date
    kind: str
    send_at: float
    status: str
    attempts: int
    next_attempt_at: float
    lease_owner: str | None
    lease_until: float | None
    sent_at: float | None
    created: float

    def to_dict(self) -> dict[str, Any]:
        """The row of ``navigator reminders list --json`` (a pseudonym, never the sender)."""
        return {
            "id": self.id,
            "sender_pseudonym": pseudonym(self.sender),
            "channel": self.channel,
            "service": self.service,
            "due": self.due.isoformat(),
            "kind": self.kind,
            "send_at": datetime.fromtimestamp(self.send_at, UTC).isoformat(timespec="seconds"),
            "status": self.status,
        }


def new_id() -> str:
    """A short random id (``r-`` and 10 base32 characters): it travels in button payloads,
    which Telegram caps at 64 bytes."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "r-" + "".join(secrets.choice(alphabet) for _ in range(10))


def epoch(now: Now) -> float:
    """``now`` as UTC epoch seconds (the clock when None; a naive datetime is refused)."""
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("a naive datetime: give its time zone")
        return now.timestamp()
    return float(now)


def _due(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _reminder(row: sa.Row[Any]) -> Reminder:
    m = dict(row._mapping)
    m["due"] = _due(m["due"])
    return Reminder(**{name: m[name] for name in Reminder.__dataclass_fields__})


def _consent(row: sa.Row[Any]) -> Consent:
    m = row._mapping
    return Consent(**{name: m[name] for name in Consent.__dataclass_fields__})


def backoff_s(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones: 1, 2, 4 ... minutes."""
    return min(MAX_BACKOFF_S, 60.0 * 2 ** max(0, attempts - 1))
