"""Sending: claim due reminders with a lease, then mark them sent, skipped or failed.

One conditional UPDATE per row (``pending`` and due, or ``sending`` with an expired
lease) decides between workers, so two of them, on one host or several sharing
PostgreSQL, never claim the same reminder.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from navigator.reminders.records import Now, Reminder, _reminder, backoff_s, epoch
from navigator.reminders.schema import consents, reminders

MAX_ATTEMPTS = 5
KEEP_DAYS = 30  # rows whose due date is this long past are purged


class Sending:
    """The sending half of :class:`navigator.reminders.store.ReminderStore`."""

    def _ready(self) -> sa.Engine:
        raise NotImplementedError

    def _midnight(self, day: date) -> float:
        raise NotImplementedError

    def today(self, now: Now = None) -> date:
        raise NotImplementedError

    @staticmethod
    def _claimable(now: float) -> sa.ColumnElement[bool]:
        """Due (or left by a worker whose lease ran out), and its sender still consents."""
        c = reminders.c
        consenting = (
            sa.select(consents.c.id)
            .where(consents.c.sender == c.sender, consents.c.withdrawn_at.is_(None))
            .exists()
        )
        return sa.and_(
            sa.or_(
                sa.and_(c.status == "pending", c.next_attempt_at <= now),
                sa.and_(c.status == "sending", c.lease_until < now),
            ),
            consenting,
        )

    def claim_due(
        self, now: Now, owner: str, lease_s: float = 300.0, limit: int = 100
    ) -> list[Reminder]:
        """Take up to ``limit`` reminders due at ``now`` for ``owner`` for ``lease_s``
        seconds. Each row is taken by its own conditional UPDATE: of two workers racing
        for a reminder exactly one gets it (the other's UPDATE matches no row)."""
        at = epoch(now)
        c = reminders.c
        candidates = (
            sa.select(c.id)
            .where(self._claimable(at))
            .order_by(c.next_attempt_at, c.id)
            .limit(limit)
        )
        with self._ready().connect() as connection:
            ids = [str(i) for (i,) in connection.execute(candidates).all()]
        taken: list[str] = []
        for reminder_id in ids:
            stmt = (
                sa.update(reminders)
                .where(c.id == reminder_id, self._claimable(at))
                .values(
                    status="sending",
                    lease_owner=owner,
                    lease_until=at + lease_s,
                    attempts=c.attempts + 1,
                )
            )
            with self._ready().begin() as connection:
                if connection.execute(stmt).rowcount == 1:
                    taken.append(reminder_id)
        if not taken:
            return []
        with self._ready().connect() as connection:
            rows = connection.execute(
                sa.select(reminders)
                .where(c.id.in_(taken), c.lease_owner == owner, c.status == "sending")
                .order_by(c.next_attempt_at, c.id)
            ).all()
        return [_reminder(r) for r in rows]

    def _held(self, reminder_id: str, owner: str) -> tuple[sa.ColumnElement[bool], ...]:
        c = reminders.c
        return (c.id == reminder_id, c.status == "sending", c.lease_owner == owner)

    def mark_sent(self, reminder_id: str, owner: str, now: Now = None) -> bool:
        """The claimed reminder went out; False when ``owner`` no longer holds it."""
        stmt = (
            sa.update(reminders)
            .where(*self._held(reminder_id, owner))
            .values(status="sent", sent_at=epoch(now), lease_owner=None, lease_until=None)
        )
        with self._ready().begin() as connection:
            return bool(connection.execute(stmt).rowcount == 1)

    def mark_skipped(self, reminder_id: str, owner: str) -> bool:
        """The claimed reminder is not sent (its deadline has passed): cancelled."""
        stmt = (
            sa.update(reminders)
            .where(*self._held(reminder_id, owner))
            .values(status="cancelled", lease_owner=None, lease_until=None)
        )
        with self._ready().begin() as connection:
            return bool(connection.execute(stmt).rowcount == 1)

    def mark_failed(
        self,
        reminder_id: str,
        owner: str,
        now: Now = None,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        permanent: bool = False,
    ) -> str | None:
        """The claimed reminder did not go out: ``pending`` again after a backoff of 1, 2,
        4 ... minutes, or ``failed`` after ``max_attempts`` (at once when ``permanent``).
        Returns the new status, None when ``owner`` no longer holds it."""
        at = epoch(now)
        c = reminders.c
        with self._ready().begin() as connection:
            attempts = connection.execute(
                sa.select(c.attempts).where(*self._held(reminder_id, owner))
            ).scalar()
            if attempts is None:
                return None
            if permanent or attempts >= max_attempts:
                values: dict[str, Any] = {"status": "failed"}
            else:
                values = {"status": "pending", "next_attempt_at": at + backoff_s(attempts)}
            done = connection.execute(
                sa.update(reminders)
                .where(*self._held(reminder_id, owner))
                .values(lease_owner=None, lease_until=None, **values)
            ).rowcount
        return str(values["status"]) if done == 1 else None

    def purge(self, now: Now = None, keep_days: int = KEEP_DAYS) -> int:
        """Delete reminders whose due date is more than ``keep_days`` past."""
        cutoff = self.today(now) - timedelta(days=keep_days)
        with self._ready().begin() as connection:
            return int(
                connection.execute(sa.delete(reminders).where(reminders.c.due < cutoff)).rowcount
            )
