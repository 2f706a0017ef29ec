"""Consents and the reminder schedule: grant, withdraw, schedule, claim, mark.

Nothing is scheduled without the citizen's consent, and withdrawing it deletes the
schedule at once. Sending is at least once and never twice on purpose: a worker claims a
due reminder with one conditional UPDATE per row (``pending`` and due, or ``sending``
with an expired lease), so two workers, on one host or several sharing PostgreSQL,
never claim the same reminder; only a worker that dies between sending and marking
leaves a reminder that another sends again after the lease. The database is the insight
store's (SQLite by default, PostgreSQL with NAVIGATOR_DATABASE_URL); its schema comes
from the migrations.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from navigator import migrations
from navigator.insight.database import configured_engine
from navigator.privacy import pseudonym
from navigator.reminders.deadlines import TOMORROW, reminder_dates
from navigator.reminders.leases import KEEP_DAYS, MAX_ATTEMPTS, Sending
from navigator.reminders.records import (
    Consent,
    ConsentRequired,
    Now,
    Reminder,
    _consent,
    _reminder,
    backoff_s,
    epoch,
    new_id,
)
from navigator.reminders.schema import consents, reminders
from navigator.reminders.settings import DEFAULT_HOUR, DEFAULT_TIMEZONE

StoreError = SQLAlchemyError
CHANNELS = ("telegram", "whatsapp")
STATUSES = ("pending", "sending", "sent", "done", "cancelled", "failed")
PENDING = ("pending", "sending")
TITLE_LIMIT = 200


class ReminderStore(Sending):
    """Consents and reminders over the insight store's database (``engine`` shared when
    given); reminders go out at ``hour`` o'clock in ``timezone``."""

    def __init__(
        self,
        engine: sa.Engine | None = None,
        *,
        path: Path | None = None,
        url: str | None = None,
        hour: int = DEFAULT_HOUR,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        self._own_engine = engine is None
        self._engine = engine if engine is not None else configured_engine(path, url)
        self._schema = migrations.OnFirstUse(self._engine)
        self.hour = hour
        self.zone = ZoneInfo(timezone)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine."""
        return self._engine

    def _ready(self) -> sa.Engine:
        return self._schema.ready()

    # -- time

    def today(self, now: Now = None) -> date:
        """The date in the reminders' time zone at ``now``."""
        return datetime.fromtimestamp(epoch(now), self.zone).date()

    def send_time(self, day: date) -> float:
        """UTC epoch seconds of ``day`` at the reminder hour in the reminders' time zone."""
        return datetime(day.year, day.month, day.day, self.hour, tzinfo=self.zone).timestamp()

    def _midnight(self, day: date) -> float:
        return datetime(day.year, day.month, day.day, tzinfo=self.zone).timestamp()

    # -- consent

    def grant(
        self, sender: str, channel: str, language: str, wording: str, now: Now = None
    ) -> Consent:
        """Record the citizen's yes to ``wording``; an active consent is kept as it is."""
        found = self.consent(sender)
        if found is not None:
            return found
        given = Consent(sender, channel, language, wording[:1000], epoch(now))
        try:
            with self._ready().begin() as connection:
                connection.execute(sa.insert(consents).values(**given.__dict__))
        except IntegrityError:  # another process recorded it a moment ago
            found = self.consent(sender)
            if found is None:
                raise
            return found
        return given

    def consent(self, sender: str) -> Consent | None:
        """The sender's active consent, if any."""
        stmt = sa.select(consents).where(
            consents.c.sender == sender, consents.c.withdrawn_at.is_(None)
        )
        with self._ready().connect() as connection:
            row = connection.execute(stmt).first()
        return _consent(row) if row is not None else None

    def has_consent(self, sender: str) -> bool:
        """Whether the sender currently agrees to reminders."""
        return self.consent(sender) is not None

    def withdraw(self, sender: str, now: Now = None) -> int:
        """Withdraw the consent and delete every reminder of the sender (sent ones too:
        nothing of the schedule is kept); returns how many pending ones were deleted."""
        c = reminders.c
        with self._ready().begin() as connection:
            connection.execute(
                sa.update(consents)
                .where(consents.c.sender == sender, consents.c.withdrawn_at.is_(None))
                .values(withdrawn_at=epoch(now))
            )
            unsent = connection.execute(
                sa.delete(reminders).where(c.sender == sender, c.status.in_(PENDING))
            ).rowcount
            connection.execute(sa.delete(reminders).where(c.sender == sender))
        return int(unsent)

    # -- scheduling

    def _insert_new(self, connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
        """Insert rows, skipping those whose (sender, service, kind, due) exists."""
        dialect = connection.dialect.name
        for row in rows:
            if dialect == "postgresql":
                connection.execute(
                    postgresql.insert(reminders).values(row).on_conflict_do_nothing()
                )
            elif dialect == "sqlite":
                connection.execute(sqlite.insert(reminders).values(row).on_conflict_do_nothing())
            else:
                try:
                    with connection.begin_nested():
                        connection.execute(sa.insert(reminders).values(row))
                except IntegrityError:
                    pass

    def _row(
        self,
        sender: str,
        channel: str,
        language: str,
        service: str,
        title: str,
        due: date,
        kind: str,
        send_at: float,
        now: float,
    ) -> dict[str, Any]:
        return {
            "id": new_id(),
            "sender": sender,
            "channel": channel,
            "language": language,
            "service": service,
            "title": title[:TITLE_LIMIT],
            "due": due,
            "kind": kind,
            "send_at": send_at,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": send_at,
            "created": now,
        }

    def schedule(
        self,
        sender: str,
        channel: str,
        language: str,
        service: str,
        title: str,
        due: date,
        now: Now = None,
    ) -> list[Reminder]:
        """Schedule the reminders of ``service`` due on ``due``: seven days before and on
        the day, those still ahead (a time already past today is left out: the citizen
        is talking to the bot right now). Idempotent: the same call again returns the
        same reminders. ConsentRequired without consent."""
        if channel not in CHANNELS:
            raise ValueError(f"reminders go out on {' or '.join(CHANNELS)}, not {channel!r}")
        if not self.has_consent(sender):
            raise ConsentRequired(f"no consent to reminders from {pseudonym(sender)}")
        at = epoch(now)
        wanted = [(kind, self.send_time(day)) for kind, day in reminder_dates(due, self.today(at))]
        wanted = [(kind, send_at) for kind, send_at in wanted if send_at >= at]
        if not wanted:
            return []
        rows = [
            self._row(sender, channel, language, service, title, due, kind, send_at, at)
            for kind, send_at in wanted
        ]
        c = reminders.c
        with self._ready().begin() as connection:
            self._insert_new(connection, rows)
            found = connection.execute(
                sa.select(reminders)
                .where(
                    c.sender == sender,
                    c.service == service,
                    c.due == due,
                    c.kind.in_([kind for kind, _ in wanted]),
                )
                .order_by(c.send_at)
            ).all()
        return [_reminder(r) for r in found]

    def snooze(self, reminder_id: str, now: Now = None) -> Reminder | None:
        """The "Ingatkan besok" button: a ``tomorrow`` reminder at the reminder hour of the
        next day. None when the reminder is unknown, done or cancelled, or when tomorrow is
        after its due date; a reminder already scheduled for that day is returned instead
        of a second one."""
        found = self.get(reminder_id)
        if found is None or found.status in ("done", "cancelled"):
            return None
        if not self.has_consent(found.sender):
            return None
        at = epoch(now)
        tomorrow = self.today(at) + timedelta(days=1)
        if tomorrow > found.due:
            return None
        send_at = self.send_time(tomorrow)
        c = reminders.c
        same = (c.sender == found.sender, c.service == found.service, c.due == found.due)
        with self._ready().begin() as connection:
            already = connection.execute(
                sa.select(reminders).where(
                    *same,
                    c.status.in_(("pending", "sending")),
                    c.send_at >= self._midnight(tomorrow),
                    c.send_at < self._midnight(tomorrow + timedelta(days=1)),
                )
            ).first()
            if already is not None:
                return _reminder(already)
            row = self._row(
                found.sender,
                found.channel,
                found.language,
                found.service,
                found.title,
                found.due,
                TOMORROW,
                send_at,
                at,
            )
            self._insert_new(connection, [row])
            connection.execute(
                sa.update(reminders)
                .where(*same, c.kind == TOMORROW)
                .values(
                    status="pending",
                    send_at=send_at,
                    next_attempt_at=send_at,
                    attempts=0,
                    lease_owner=None,
                    lease_until=None,
                    sent_at=None,
                )
            )
            snoozed = connection.execute(
                sa.select(reminders).where(*same, c.kind == TOMORROW)
            ).first()
        return _reminder(snoozed) if snoozed is not None else None

    def done(self, sender: str, service: str) -> int:
        """The "Sudah selesai" button: the service's sent reminders become ``done`` and
        the rest are cancelled; returns how many were cancelled."""
        c = reminders.c
        mine = (c.sender == sender, c.service == service)
        with self._ready().begin() as connection:
            connection.execute(
                sa.update(reminders).where(*mine, c.status == "sent").values(status="done")
            )
            cancelled = connection.execute(
                sa.update(reminders)
                .where(*mine, c.status.in_(PENDING))
                .values(status="cancelled", lease_owner=None, lease_until=None)
            ).rowcount
        return int(cancelled)

    # -- reading

    def get(self, reminder_id: str) -> Reminder | None:
        """The reminder with this id."""
        with self._ready().connect() as connection:
            row = connection.execute(
                sa.select(reminders).where(reminders.c.id == reminder_id)
            ).first()
        return _reminder(row) if row is not None else None

    def for_sender(self, sender: str) -> list[Reminder]:
        """Every reminder of the sender, in the order they go out."""
        stmt = (
            sa.select(reminders)
            .where(reminders.c.sender == sender)
            .order_by(reminders.c.send_at, reminders.c.id)
        )
        with self._ready().connect() as connection:
            return [_reminder(r) for r in connection.execute(stmt).all()]

    def all_pending(self) -> list[Reminder]:
        """Every reminder still to be sent (pending, or being sent), soonest first."""
        return self._listing(reminders.c.status.in_(("pending", "sending")))

    def all_reminders(self) -> list[Reminder]:
        """Every reminder in any status, soonest first."""
        return self._listing(sa.true())

    def _listing(self, condition: sa.ColumnElement[bool]) -> list[Reminder]:
        stmt = sa.select(reminders).where(condition).order_by(reminders.c.send_at, reminders.c.id)
        with self._ready().connect() as connection:
            return [_reminder(r) for r in connection.execute(stmt).all()]

    def close(self) -> None:
        """Close pooled connections when this store made its own engine."""
        if self._own_engine:
            self._engine.dispose()


__all__ = [
    "CHANNELS",
    "KEEP_DAYS",
    "MAX_ATTEMPTS",
    "STATUSES",
    "Consent",
    "ConsentRequired",
    "Reminder",
    "ReminderStore",
    "StoreError",
    "backoff_s",
    "epoch",
]
