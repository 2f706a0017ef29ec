"""The schedule on a real PostgreSQL: migration 0004 matches the tables, and two workers
(two stores, two engines) claiming at the same instant get each reminder exactly once."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from navigator import migrations
from navigator.accounts.schema import metadata as accounts_metadata
from navigator.cases.schema import metadata as cases_metadata
from navigator.cases.store import CaseStore
from navigator.handoffs.schema import metadata as handoffs_metadata
from navigator.insight.schema import metadata as insight_metadata
from navigator.reminders.schema import metadata as reminders_metadata
from navigator.reminders.store import ReminderStore
from tests.channels.servers import wait_until

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2027, 1, 1, 10, 0, tzinfo=WIB)
AT = datetime(2027, 1, 13, 9, 0, tzinfo=WIB)
EVERY_TABLE = [
    insight_metadata,
    accounts_metadata,
    handoffs_metadata,
    reminders_metadata,
    cases_metadata,
]


def waiting_on_locks(engine: sa.Engine) -> int:
    """Connections of this database waiting for a row lock."""
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with engine.connect() as connection:
        return int(connection.execute(sa.text(query)).scalar_one())


def test_two_workers_claiming_at_once_on_postgres_get_each_reminder_once(pg_url: str) -> None:
    setup = ReminderStore(url=pg_url)
    assert setup.engine.dialect.name == "postgresql"
    for n in range(150):
        sender = f"whatsapp:62812{n:07d}"
        setup.grant(sender, "whatsapp", "id", "Boleh kami ingatkan?", NOW)
        setup.schedule(sender, "whatsapp", "id", "akta-kelahiran", "Akta", date(2027, 1, 20), NOW)
    workers = [ReminderStore(url=pg_url) for _ in range(2)]
    for worker in workers:
        worker.has_consent("warm-up")  # migrated and connected before the race
    claimed: dict[str, list[str]] = {}

    def claim(store: ReminderStore, owner: str) -> None:
        claimed[owner] = [r.id for r in store.claim_due(AT, owner, limit=150)]

    threads = [
        threading.Thread(target=claim, args=(w, f"host-{i}:1")) for i, w in enumerate(workers)
    ]
    # Hold every row locked while both workers start: each reads the same due ids, then
    # its first UPDATE waits on the lock; released, both race over the same rows.
    with setup.engine.connect() as holder:
        holder.execute(sa.text("SELECT id FROM reminders FOR UPDATE"))
        for thread in threads:
            thread.start()
        wait_until(lambda: waiting_on_locks(setup.engine) >= 2, timeout=30)
        holder.commit()
    for thread in threads:
        thread.join(timeout=60)
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == len(set(every)) == 150
    with setup.engine.connect() as connection:
        owners: dict[str | None, int] = dict(
            connection.execute(
                sa.text("SELECT lease_owner, count(*) FROM reminders GROUP BY lease_owner")
            ).all()
        )
    expected: dict[str | None, int] = {o: len(ids) for o, ids in claimed.items() if ids}
    expected[None] = 150  # the reminders of the day itself are not due yet
    assert owners == expected
    # only the holder of a claim can mark it
    owner, ids = next((o, ids) for o, ids in claimed.items() if ids)
    assert not workers[0].mark_sent(ids[0], "someone-else", AT)
    assert workers[1].mark_sent(ids[0], owner, AT)
    for store in (setup, *workers):
        store.close()


def test_migration_0004_matches_the_tables_on_postgres(pg_url: str) -> None:
    cases = CaseStore(url=pg_url)
    assert cases.get("NAV-22222") is None  # first use: upgrade head
    with cases.engine.connect() as connection:
        assert migrations.current(connection) == migrations.heads() == {"0004"}
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, EVERY_TABLE) == []  # type: ignore[arg-type]
    cases.close()
