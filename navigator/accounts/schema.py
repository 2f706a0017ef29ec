"""The console's accounts and audit log as SQLAlchemy Core tables (SQLite and PostgreSQL).

They live in the insight store's database (:mod:`navigator.insight.database` chooses it);
migration ``0002`` creates them. The metadata is separate from the insight schema's, so
``navigator db revision --autogenerate`` (which compares the insight schema) leaves these
tables alone rather than proposing to drop them.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, PHC string
    sa.Column("token_hash", sa.Text, unique=True),  # SHA-256 hex of the API token
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("last_login", sa.Float),
    sa.Column("last_seen", sa.Float),  # the console open (migration 0003): who is online
    sqlite_autoincrement=True,
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("account", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("target", sa.Text, nullable=False, default=""),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Index("audit_at", "at"),
    sqlite_autoincrement=True,
)
