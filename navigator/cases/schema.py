"""Case codes as a SQLAlchemy Core table (SQLite and PostgreSQL); migration ``0004``.

A row is what a citizen's conversation came to (the life event, the services with what
is done, the documents to bring, the last question, masked), under a short random code
the citizen can read out to a call-centre agent or show at a counter. Nothing in it
says who the citizen is: no sender id, no chat or phone number.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),  # NAV-7K3QX
    sa.Column("life_event", sa.Text),
    sa.Column("services", sa.Text, nullable=False),  # JSON: [{"id", "title", "done"}]
    sa.Column("documents", sa.Text, nullable=False),  # JSON: [str]
    sa.Column("last_question", sa.Text, nullable=False),  # masked (navigator.privacy.redact)
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
    sa.Index("cases_expires", "expires"),
)
