"""Deadline reminders with the citizens' consent, and case codes.

- ``consents``: who agreed to reminders, in which words, when; when withdrawn.
- ``reminders``: the schedule, claimed by workers with a lease; one row per
  (sender, service, kind, due date).
- ``cases``: case codes with a conversation's checklist, nothing that identifies the
  citizen; they expire after 30 days.

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("withdrawn_at IS NULL")


def upgrade() -> None:
    """Create ``consents``, ``reminders`` and ``cases`` with their indexes."""
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sender", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("wording", sa.Text, nullable=False),
        sa.Column("granted_at", sa.Float, nullable=False),
        sa.Column("withdrawn_at", sa.Float),
    )
    op.create_index(
        "consents_one_active",
        "consents",
        ["sender"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("sender", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("service", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("send_at", sa.Float, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("lease_owner", sa.Text),
        sa.Column("lease_until", sa.Float),
        sa.Column("sent_at", sa.Float),
        sa.Column("created", sa.Float, nullable=False),
        sa.UniqueConstraint("sender", "service", "kind", "due", name="reminders_once"),
    )
    op.create_index("reminders_status_next", "reminders", ["status", "next_attempt_at"])
    op.create_table(
        "cases",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("life_event", sa.Text),
        sa.Column("services", sa.Text, nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
        sa.Column("last_question", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
    )
    op.create_index("cases_expires", "cases", ["expires"])


def downgrade() -> None:
    """Drop what ``upgrade`` made."""
    op.drop_index("cases_expires", table_name="cases")
    op.drop_table("cases")
    op.drop_index("reminders_status_next", table_name="reminders")
    op.drop_table("reminders")
    op.drop_index("consents_one_active", table_name="consents")
    op.drop_table("consents")
