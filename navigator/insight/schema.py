"""The insight tables as SQLAlchemy Core objects, the same on SQLite and PostgreSQL.

The store queries through these; the migrations in ``navigator/migrations/versions``
create them (a migration spells its own DDL out, so that it never changes when this
file does). ``navigator db revision --autogenerate`` compares the database with this.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

queries = sa.Table(
    "queries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("life_event", sa.Text),
    sa.Column("confidence", sa.Float),
    sa.Column("results", sa.Text, nullable=False),
    sa.Column("proposed", sa.Text),  # an agent's fix: the right service (migration 0003)
    sa.Index("queries_created", "created"),
    sqlite_autoincrement=True,
)

evaluations = sa.Table(
    "evaluations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("recall_at_3", sa.Float, nullable=False),
    sa.Column("mrr_at_10", sa.Float, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)
