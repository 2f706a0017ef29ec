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

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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
from navigator.reminders.schema import consents, reminders
from navigator.reminders.settings import DEFAULT_HOUR, DEFAULT_TIMEZONE

StoreError = SQLAlchemyError
Now = datetime | float | None
CHANNELS = ("telegram", "whatsapp")
STATUSES = ("pending", "sending", "sent", "done", "cancelled", "failed")
PENDING = ("pending", "sending")
MAX_ATTEMPTS = 5
MAX_BACKOFF_S = 3600.0
KEEP_DAYS = 30  # rows whose due date is this long past are purged
TITLE_LIMIT = 200


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


class ReminderStore:
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

    # -- sending

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

    def close(self) -> None:
        """Close pooled connections when this store made its own engine."""
        if self._own_engine:
            self._engine.dispose()


__all__ = [
    "CHANNELS",
    "STATUSES",
    "Consent",
    "ConsentRequired",
    "Reminder",
    "ReminderStore",
    "StoreError",
    "backoff_s",
    "epoch",
]
