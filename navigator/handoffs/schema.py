"""The handoff queue as a SQLAlchemy Core table (SQLite and PostgreSQL).

It lives in the insight store's database, like the accounts; migration ``0003`` creates
it. What was said is not copied here: the transcript is read from Rasa's tracker store,
the one record of the conversation. A row holds what the queue shows and who holds it.
At most one open handoff (waiting or claimed) per conversation: a partial unique index,
so that two action-server processes opening one at once cannot make two.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

OPEN = sa.text("status != 'closed'")

handoffs = sa.Table(
    "handoffs",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),  # random, never the sender id
    sa.Column("sender", sa.Text, nullable=False),  # Rasa's sender id: telegram:<chat>, ...
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("language", sa.Text, nullable=False),
    sa.Column("life_event", sa.Text),
    sa.Column("service", sa.Text),
    sa.Column("reason", sa.Text, nullable=False),  # asked | unhelped | frustrated | complaint
    sa.Column("summary", sa.Text, nullable=False, default=""),  # masked, two lines
    sa.Column("status", sa.Text, nullable=False),  # waiting | claimed | closed
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("claimed_by", sa.Text),
    sa.Column("claimed_at", sa.Float),
    sa.Column("closed_at", sa.Float),
    sa.Column("closed_by", sa.Text),
    sa.Index("handoffs_status_created", "status", "created"),
    sa.Index(
        "handoffs_one_open",
        "sender",
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    ),
)
