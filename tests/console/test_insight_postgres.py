"""The insight store on a real PostgreSQL: migrations, records, the report, a restart.

Each test gets its own database on the session's server (``postgres`` fixture); the
restart test starts and stops a server of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient

from actions.runtime import GuardedInsight
from embeddings.runtime import EngineHolder
from navigator import migrations
from navigator.accounts.schema import metadata as accounts_metadata
from navigator.cases.schema import metadata as cases_metadata
from navigator.cluster.servers import Postgres
from navigator.console import assist
from navigator.console.app import create_app
from navigator.console.settings import ConsoleSettings
from navigator.handoffs.schema import metadata as handoffs_metadata
from navigator.insight.report import build_report
from navigator.insight.schema import metadata
from navigator.insight.store import InsightStore
from navigator.kb.loader import load_knowledge_base
from navigator.reminders.schema import metadata as reminders_metadata
from tests.support.fixture_kb import write_fixture_kb
from tests.unit.test_insight_sql import first_use_together


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[InsightStore]:
    store = InsightStore(url=pg_url)
    yield store
    store.close()


def test_migrations_create_the_tables_on_postgres(pg_url: str) -> None:
    store = InsightStore(url=pg_url)
    assert store.engine.dialect.name == "postgresql" and store.engine.dialect.driver == "psycopg"
    assert store.recent() == []  # first use: upgrade head
    with store.engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert {"queries", "evaluations", "accounts", "audit", "alembic_version"} <= set(
            inspector.get_table_names()
        )
        assert [i["name"] for i in inspector.get_indexes("queries")] == ["queries_created"]
        assert migrations.current(connection) == migrations.heads()
        both = [
            metadata,
            accounts_metadata,
            handoffs_metadata,
            reminders_metadata,
            cases_metadata,
        ]  # every table the migrations own
        assert compare_metadata(MigrationContext.configure(connection), both) == []  # type: ignore[arg-type]
    assert not migrations.upgrade(store.engine)  # a second run finds nothing to do
    store.close()


def test_records_round_trip_on_postgres(pg_store: InsightStore) -> None:
    first = pg_store.record(
        channel="whatsapp",
        reason="handoff",
        query="NIK 3201234567890123 mau bikin KTP",
        results=[{"id": "ktp-el", "score": 0.42}],
        confidence=0.42,
        life_event="adulthood",
    )
    second = pg_store.record(channel="console", reason="not_helpful", query="akta")
    pg_store.record_evaluation(0.81, 0.71, {"metrics": {"overall": {}}})
    newest, oldest = pg_store.recent()
    assert (newest.id, oldest.id) == (second, first) and second > first
    assert oldest.query == "NIK [NIK] mau bikin KTP"
    assert oldest.results == [{"id": "ktp-el", "score": 0.42}]
    assert (oldest.channel, oldest.reason, oldest.life_event) == (
        "whatsapp",
        "handoff",
        "adulthood",
    )
    assert isinstance(oldest.created, float) and oldest.confidence == pytest.approx(0.42)
    assert [r.id for r in pg_store.recent(reason="handoff")] == [first]
    [(at, r3, mrr)] = pg_store.evaluations()
    assert (r3, mrr) == (0.81, 0.71) and at == pytest.approx(newest.created, abs=60)


def test_the_report_works_on_postgres(pg_store: InsightStore, tmp_path: Path) -> None:
    kb = load_knowledge_base(write_fixture_kb(tmp_path, last_checked="2023-01-01"))
    for query, reason, event in [
        ("cara pasang wifi di rumah", "out_of_scope", None),
        ("pasang wifi rumah gimana", "fallback", None),
        ("akta anak saya salah nama", "not_helpful", "birth"),
    ]:
        pg_store.record(channel="telegram", reason=reason, query=query, life_event=event)  # type: ignore[arg-type]
    pg_store.record_evaluation(0.80, 0.70, {})
    pg_store.record_evaluation(0.86, 0.75, {})
    report = build_report(pg_store, kb)
    assert report.queries == 3
    assert report.groups[0].count == 2 and "wifi" in report.groups[0].question
    birth = next(c for c in report.coverage if c.id == "birth")
    assert birth.not_helpful == 1
    assert [p.recall_at_3 for p in report.evaluations] == [0.8, 0.86]
    assert report.stale


def test_console_feedback_and_insight_api_on_postgres(
    pg_store: InsightStore, holder: EngineHolder
) -> None:
    app = create_app(ConsoleSettings(), holder=holder, store=pg_store)
    with TestClient(app) as client:
        made = client.post(
            "/api/feedback",
            json={"query": "akta lahir 081234567890", "service_id": "akta-kelahiran"},
        )
        assert made.status_code == 201 and made.json() == {"recorded": True}
        report = client.get("/api/insight").json()
    assert report["queries"] == 1
    [row] = pg_store.recent()
    assert (row.reason, row.query) == ("not_helpful", "akta lahir [TELEPON]")


def test_processes_starting_together_migrate_once_on_postgres(pg_url: str) -> None:
    assert first_use_together(pg_url) == []
    store = InsightStore(url=pg_url)
    assert len(store.recent()) == 4
    with store.engine.connect() as connection:
        assert migrations.current(connection) == migrations.heads()
    store.close()


def _write(store: InsightStore, text: str) -> int:
    """What the action server does for each unanswered message."""
    row = GuardedInsight(store).record(channel="telegram", reason="fallback", query=text)
    assert isinstance(row, int)
    return row


def test_a_postgres_restart_is_survived(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    server = Postgres(tmp_path / "pg").start()
    try:
        store = InsightStore(url=server.url)
        assert _write(store, "sebelum restart") > 0
        server.stop()
        server.start()  # same data folder and port
        assert _write(store, "setelah restart") > 0  # the dead pooled connection is replaced

        server.stop()
        caplog.clear()
        with caplog.at_level(logging.DEBUG):
            assert _write(store, "saat mati 3201234567890123") == 0  # logged, not raised
            assert assist.record(store, "not_helpful", "saat mati juga", []) == 0
        said = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert [r.name for r in said] == ["actions.runtime", "navigator.console.assist"]
        for record in said:
            text = record.getMessage()
            assert "OperationalError" in text and "\n" not in text
            assert "saat mati" not in text and "[NIK]" not in text and "3201" not in text
            assert server.password not in text and record.exc_info is None

        server.start()
        assert _write(store, "sudah hidup lagi") > 0
        assert [r.query for r in store.recent()] == [
            "sudah hidup lagi",
            "setelah restart",
            "sebelum restart",
        ]
        store.close()
    finally:
        server.stop()


def test_accounts_and_audit_on_postgres(pg_url: str) -> None:
    from navigator.accounts import AccountStore

    store = AccountStore(url=pg_url)
    token = store.add("siti", "editor", "correct horse battery staple")
    assert store.exist() and store.verify("siti", "correct horse battery staple") is not None
    found = store.by_token(token)
    assert found is not None and found.role == "editor" and not found.disabled
    store.set_disabled("siti", True)
    assert store.get("siti", fresh=True).disabled  # type: ignore[union-attr]
    store.audit("siti", "login", "", "hp 081234567890")
    (entry,) = store.audit_log()
    assert entry.action == "login" and "081234567890" not in entry.detail
    store.close()


def test_handoffs_are_shared_by_several_consoles_on_postgres(pg_url: str) -> None:
    """Two console processes' stores on one database: one open handoff per conversation,
    one winner for a claim, and each sees the other's changes at once."""
    from concurrent.futures import ThreadPoolExecutor

    from navigator.handoffs.store import HandoffError, HandoffStore

    one, two = HandoffStore(url=pg_url), HandoffStore(url=pg_url)
    try:
        opened = [
            s.open(sender="whatsapp:62811", channel="whatsapp", language="id", reason="asked")
            for s in (one, two)
        ]
        assert opened[0].id == opened[1].id
        handoff = opened[0]

        def claim(store: HandoffStore, agent: str) -> str:
            try:
                return store.claim(handoff.id, agent).claimed_by or ""
            except HandoffError:
                return "refused"

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(claim, [one, two, one, two], ["siti", "budi", "ani", "eko"]))
        winners = [r for r in results if r != "refused"]
        assert len(winners) == 1
        assert two.get(handoff.id).claimed_by == winners[0]  # type: ignore[union-attr]
        one.release(handoff.id, winners[0])
        assert two.open_for("whatsapp:62811") is None
    finally:
        one.close()
        two.close()
