"""Alembic's environment: migrate the connection :mod:`navigator.migrations` passes in,
or, when Alembic is run some other way, the configured database
(NAVIGATOR_DATABASE_URL, else the SQLite insight file)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from navigator.accounts.schema import metadata as accounts_metadata
from navigator.cases.schema import metadata as cases_metadata
from navigator.handoffs.schema import metadata as handoffs_metadata
from navigator.insight.database import configured_engine
from navigator.insight.schema import metadata as insight_metadata
from navigator.reminders.schema import metadata as reminders_metadata

METADATA = [
    insight_metadata,
    accounts_metadata,
    handoffs_metadata,
    reminders_metadata,
    cases_metadata,
]  # every table our migrations own
OURS = {name for m in METADATA for name in m.tables}


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate looks at our tables only: others sharing the database (Rasa's
    tracker store, say) are never dropped by a generated migration."""
    return not (type_ == "table" and reflected and name not in OURS)


def run(connection: Connection) -> None:
    """Run the migrations on ``connection`` (inside its transaction, if it has one)."""
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER through table copies
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("navigator's migrations run against a database, not as --sql scripts")
given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = configured_engine()
    try:
        with engine.begin() as own:
            run(own)
    finally:
        engine.dispose()
