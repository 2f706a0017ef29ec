"""``navigator db``: the SQL schema's Alembic migrations (``upgrade``, ``current``, ``revision``).

The database is NAVIGATOR_DATABASE_URL (PostgreSQL), else the SQLite insight file
(NAVIGATOR_INSIGHT_DB or var/insight.db); ``--db`` names another SQLite file. The
stores run ``upgrade`` themselves on first use; the command is for deployments that
migrate before starting the services, and for developers adding a migration.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``db upgrade``, ``db current`` and ``db revision``."""
    db = sub.add_parser("db", help="database schema migrations (Alembic)")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="migrate the database to the newest revision")
    upgrade.add_argument("revision", nargs="?", default="head", help="target (default: head)")
    upgrade.set_defaults(handler=cmd_upgrade)
    current = db_sub.add_parser("current", help="the database's revision and the newest one")
    current.set_defaults(handler=cmd_current)
    revision = db_sub.add_parser(
        "revision", help="write a new migration file into navigator/migrations/versions/"
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration does")
    revision.add_argument("--rev-id", default=None, help="revision id, e.g. 0002 (default: random)")
    revision.add_argument(
        "--autogenerate",
        action="store_true",
        help="fill it in from the difference between navigator/insight/schema.py and the database",
    )
    revision.set_defaults(handler=cmd_revision)
    for parser in (upgrade, current, revision):
        parser.add_argument("--db", type=Path, default=None, help="a SQLite file instead")


def _target(args: argparse.Namespace) -> str:
    """Where the command works, for its messages (no password)."""
    from navigator.insight.database import configured_engine

    engine = configured_engine(args.db)
    try:
        return engine.url.render_as_string(hide_password=True)
    finally:
        engine.dispose()


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Migrate (adopting a database made before migrations); exit 1 when it fails."""
    from sqlalchemy.exc import SQLAlchemyError

    from navigator import migrations
    from navigator.insight.database import configured_engine, describe

    engine = configured_engine(args.db)
    try:
        changed = migrations.upgrade(engine, args.revision)
        with engine.connect() as connection:
            now = ", ".join(sorted(migrations.current(connection))) or "none"
    except SQLAlchemyError as exc:
        print(f"navigator db upgrade: {describe(exc)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"{_target(args)}: {'migrated to' if changed else 'already at'} {now}")
    return 0


def cmd_current(args: argparse.Namespace) -> int:
    """Print the database's revision and the newest; exit 1 when they differ."""
    from sqlalchemy.exc import SQLAlchemyError

    from navigator import migrations
    from navigator.insight.database import configured_engine, describe

    engine = configured_engine(args.db)
    try:
        with engine.connect() as connection:
            done = migrations.current(connection)
    except SQLAlchemyError as exc:
        print(f"navigator db current: {describe(exc)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    heads = migrations.heads()
    print(f"database: {', '.join(sorted(done)) or 'none'}  newest: {', '.join(sorted(heads))}")
    return 0 if done == heads else 1


def cmd_revision(args: argparse.Namespace) -> int:
    """Write a migration file (from script.py.mako) and print its path."""
    from navigator import migrations
    from navigator.insight.database import configured_engine

    engine = configured_engine(args.db)
    try:
        paths = migrations.revision(engine, args.message, args.autogenerate, args.rev_id)
    finally:
        engine.dispose()
    for path in paths:
        print(path)
    return 0
