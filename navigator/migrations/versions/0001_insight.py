"""The insight store: unanswered queries and retrieval evaluation runs.

The tables and index the store made with CREATE TABLE IF NOT EXISTS before migrations;
such a database is stamped with this revision instead of running it.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``queries`` (with its ``created`` index) and ``evaluations``."""
    op.create_table(
        "queries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("life_event", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.Column("results", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("queries_created", "queries", ["created"])
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("recall_at_3", sa.Float, nullable=False),
        sa.Column("mrr_at_10", sa.Float, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("evaluations")
    op.drop_index("queries_created", table_name="queries")
    op.drop_table("queries")
