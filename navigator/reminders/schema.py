"""Consents and scheduled reminders as SQLAlchemy Core tables (SQLite and PostgreSQL).

They live in the insight store's database, like the handoff queue; migration ``0004``
creates them.

- ``consents``: what the citizen agreed to, in which words and when; withdrawn ones keep
  their record (when it was given and taken back) as evidence, nothing else. At most one
  active consent per sender (a partial unique index).
- ``reminders``: one row per message to send. ``send_at`` is UTC epoch seconds (the
  reminder's date at ``REMINDER_HOUR`` in ``REMINDER_TIMEZONE``); a worker claims a row
  by setting ``status='sending'`` with its name and a lease. The unique key
  (sender, service, kind, due) keeps a reminder from being scheduled twice.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

ACTIVE = sa.text("withdrawn_at IS NULL")

consents = sa.Table(
    "consents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender", sa.Text, nullable=False),  # Rasa's sender id: telegram:<chat>, ...
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("language", sa.Text, nullable=False),
    sa.Column("wording", sa.Text, nullable=False),  # the question the citizen said yes to
    sa.Column("granted_at", sa.Float, nullable=False),
    sa.Column("withdrawn_at", sa.Float),
    sa.Index(
        "consents_one_active",
        "sender",
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    ),
)

reminders = sa.Table(
    "reminders",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),  # r- and 10 random characters
    sa.Column("sender", sa.Text, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("language", sa.Text, nullable=False),
    sa.Column("service", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),  # before7 | day | tomorrow
    sa.Column("send_at", sa.Float, nullable=False),
    # pending | sending | sent | done | cancelled | failed
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.Float, nullable=False),
    sa.Column("lease_owner", sa.Text),
    sa.Column("lease_until", sa.Float),
    sa.Column("sent_at", sa.Float),
    sa.Column("created", sa.Float, nullable=False),
    sa.UniqueConstraint("sender", "service", "kind", "due", name="reminders_once"),
    sa.Index("reminders_status_next", "status", "next_attempt_at"),
)
