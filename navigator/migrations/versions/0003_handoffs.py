"""The handoff queue, agents' presence and the agents' proposed fixes.

- ``handoffs``: conversations waiting for or held by an agent (one open per sender).
- ``accounts.last_seen``: when an agent last had the console open (who is online).
- ``queries.proposed``: the service an agent named as the right one for a wrong answer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status != 'closed'")


def upgrade() -> None:
    """Create ``handoffs`` with its indexes; add the two columns."""
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("sender", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("life_event", sa.Text),
        sa.Column("service", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("claimed_by", sa.Text),
        sa.Column("claimed_at", sa.Float),
        sa.Column("closed_at", sa.Float),
        sa.Column("closed_by", sa.Text),
    )
    op.create_index("handoffs_status_created", "handoffs", ["status", "created"])
    op.create_index(
        "handoffs_one_open",
        "handoffs",
        ["sender"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.add_column("accounts", sa.Column("last_seen", sa.Float))
    op.add_column("queries", sa.Column("proposed", sa.Text))


def downgrade() -> None:
    """Drop what ``upgrade`` made."""
    with op.batch_alter_table("queries") as batch:
        batch.drop_column("proposed")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("last_seen")
    op.drop_index("handoffs_one_open", table_name="handoffs")
    op.drop_index("handoffs_status_created", table_name="handoffs")
    op.drop_table("handoffs")
