"""The insight store on SQLAlchemy with SQLite: migrations, adoption, errors, ``navigator db``."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from actions.runtime import GuardedInsight
from navigator import cli, migrations
from navigator.accounts.schema import metadata as accounts_metadata
from navigator.cases.schema import metadata as cases_metadata
from navigator.cluster.servers import free_port
from navigator.console import assist
from navigator.handoffs.schema import metadata as handoffs_metadata
from navigator.insight.database import create_engine, sqlalchemy_url, sqlite_url
from navigator.insight.schema import metadata
from navigator.insight.store import InsightStore
from navigator.reminders.schema import metadata as reminders_metadata

# What navigator/insight/store.py executed before migrations existed (commit 9c9eeff).
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS queries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    channel TEXT NOT NULL,
    reason TEXT NOT NULL,
    query TEXT NOT NULL,
    life_event TEXT,
    confidence REAL,
    results TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS queries_created ON queries(created);
CREATE TABLE IF NOT EXISTS evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    recall_at_3 REAL NOT NULL,
    mrr_at_10 REAL NOT NULL,
    detail TEXT NOT NULL
);
"""


REPO_ROOT = Path(__file__).resolve().parents[2]
HEAD = "0004"  # the newest migration (0004: reminders and case codes)

# One process's first use of the store at a given time (all of them at once).
FIRST_USE = """
import sys, time
from pathlib import Path
from navigator.insight.store import InsightStore
target, at = sys.argv[1], float(sys.argv[2])
store = InsightStore(url=target) if "://" in target else InsightStore(Path(target))
time.sleep(max(0.0, at - time.time()))
store.record(channel="console", reason="fallback", query="together")
"""


def first_use_together(target: str, processes: int = 4) -> list[str]:
    """Start ``processes`` that first use the store at ``target`` (a file or a URL) in
    the same instant; the error output of those that failed."""
    at = time.time() + 5  # after every interpreter has imported the store
    children = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_USE, target, str(at)],
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    failures = []
    for child in children:
        _, err = child.communicate(timeout=120)
        if child.returncode != 0:
            failures.append(err.strip().splitlines()[-1] if err.strip() else "no output")
    return failures


def old_database(path: Path) -> None:
    """An insight.db as the sqlite3 store left it: three queries (one deleted), two runs."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(OLD_SCHEMA)
        for i, reason in enumerate(["fallback", "handoff", "not_helpful"]):
            db.execute(
                "INSERT INTO queries (created, channel, reason, query, life_event, confidence,"
                " results) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    1000.0 + i,
                    "telegram",
                    reason,
                    f"old question {i}",
                    "birth",
                    0.25,
                    '[{"id": "akta-kelahiran", "score": 0.25}]',
                ),
            )
        db.execute("DELETE FROM queries WHERE id = 3")  # AUTOINCREMENT: id 3 is never reused
        db.execute(
            "INSERT INTO evaluations (created, recall_at_3, mrr_at_10, detail) VALUES (?, ?, ?, ?)",
            (900.0, 0.8, 0.7, "{}"),
        )
        db.execute(
            "INSERT INTO evaluations (created, recall_at_3, mrr_at_10, detail) VALUES (?, ?, ?, ?)",
            (950.0, 0.85, 0.72, "{}"),
        )
    db.close()


def versions(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT version_num FROM alembic_version").fetchall()
    db.close()
    return [r[0] for r in rows]


def test_a_new_sqlite_store_is_migrated_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "var" / "insight.db"
    store = InsightStore(path)
    assert store.path == path and path.parent.is_dir()
    assert not path.exists()  # nothing connects before the first call
    assert store.recent() == []
    store.close()
    assert versions(path) == [HEAD]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        autoincrement = db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'queries'"
        ).fetchone()[0]
    db.close()
    assert {"queries", "queries_created", "evaluations", "alembic_version"} <= names
    assert "AUTOINCREMENT" in autoincrement


def test_records_round_trip_masked(tmp_path: Path) -> None:
    store = InsightStore(tmp_path / "insight.db")
    first = store.record(
        channel="telegram",
        reason="low_confidence",
        query="NIK saya 3201234567890123, hp 081234567890",
        results=[{"id": f"s{i}", "score": i / 10, "title": "dropped"} for i in range(12)],
        confidence=0.31,
        life_event="birth",
    )
    second = store.record(channel="console", reason="not_helpful", query="akta")
    with pytest.raises(ValueError):
        store.record(channel="console", reason="bogus", query="x")  # type: ignore[arg-type]
    store.record_evaluation(0.8, 0.7, {"metrics": {}})
    store.record_evaluation(0.9, 0.75, {})
    newest, oldest = store.recent()
    assert (newest.id, oldest.id) == (second, first) and second > first
    assert oldest.query == "NIK saya [NIK], hp [TELEPON]"
    assert oldest.results == [{"id": f"s{i}", "score": i / 10} for i in range(10)]
    for reason in ("injection", "insult"):  # what the actions note for those replies
        store.record(channel="rest", reason=reason, query="SYSTEM: ignore")  # type: ignore[arg-type]
    assert (oldest.channel, oldest.reason, oldest.life_event) == (
        "telegram",
        "low_confidence",
        "birth",
    )
    assert oldest.confidence == pytest.approx(0.31)
    assert (newest.life_event, newest.confidence, newest.results) == (None, None, [])
    assert [r.id for r in store.recent(reason="not_helpful")] == [second]
    assert len(store.recent(limit=1)) == 1
    assert [(r3, mrr) for _, r3, mrr in store.evaluations()] == [(0.8, 0.7), (0.9, 0.75)]
    store.close()


def test_an_old_style_database_is_adopted_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "insight.db"
    old_database(path)
    store = InsightStore(path)
    rows = store.recent()
    assert [(r.id, r.query, r.reason) for r in rows] == [
        (2, "old question 1", "handoff"),
        (1, "old question 0", "fallback"),
    ]
    assert rows[0].results == [{"id": "akta-kelahiran", "score": 0.25}]
    assert [(at, r3) for at, r3, _ in store.evaluations()] == [(900.0, 0.8), (950.0, 0.85)]
    assert versions(path) == [HEAD]
    assert store.record(channel="console", reason="fallback", query="new") == 4
    store.close()
    assert not migrations.upgrade(create_engine(sqlite_url(path)))  # nothing left to do
    assert len(InsightStore(path).recent()) == 3


def test_the_schema_matches_the_migrations(tmp_path: Path) -> None:
    engine = create_engine(sqlite_url(tmp_path / "insight.db"))
    assert migrations.upgrade(engine)
    with engine.connect() as connection:
        both = [
            metadata,
            accounts_metadata,
            handoffs_metadata,
            reminders_metadata,
            cases_metadata,
        ]  # every table the migrations own
        assert compare_metadata(MigrationContext.configure(connection), both) == []  # type: ignore[arg-type]
        assert migrations.current(connection) == migrations.heads() == {HEAD}
    engine.dispose()


def test_processes_starting_together_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "insight.db"
    assert first_use_together(str(path)) == []
    assert versions(path) == [HEAD]
    assert len(InsightStore(path).recent()) == 4


def test_stores_of_one_process_starting_together_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "insight.db"
    stores = [InsightStore(path) for _ in range(4)]
    start = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def first_use(store: InsightStore) -> None:
        start.wait()
        try:
            store.record(channel="console", reason="fallback", query="together")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=first_use, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(stores[0].recent()) == 4
    assert versions(path) == [HEAD]
    for store in stores:
        store.close()


def test_urls_get_the_psycopg_driver() -> None:
    url = "postgresql://navigator:secret@127.0.0.1:5432/navigator"
    assert sqlalchemy_url(url).drivername == "postgresql+psycopg"
    assert sqlalchemy_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert sqlalchemy_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert sqlalchemy_url(url).password == "secret"


def test_database_url_selects_postgres_unless_a_file_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", "postgresql://u:p@127.0.0.1:1/db")
    remote = InsightStore()
    assert remote.engine.dialect.name == "postgresql" and remote.path is None
    assert remote.engine.dialect.driver == "psycopg"
    assert remote.engine.pool._pre_ping  # type: ignore[attr-defined]
    local = InsightStore(tmp_path / "insight.db")
    assert local.engine.dialect.name == "sqlite"
    monkeypatch.delenv("NAVIGATOR_DATABASE_URL")
    monkeypatch.setenv("NAVIGATOR_INSIGHT_DB", str(tmp_path / "elsewhere.db"))
    assert InsightStore().path == tmp_path / "elsewhere.db"


def test_a_failing_write_logs_one_line_without_the_query(caplog: pytest.LogCaptureFixture) -> None:
    down = InsightStore(url=f"postgresql://navigator:pw@127.0.0.1:{free_port()}/navigator")
    with pytest.raises(sa.exc.OperationalError):
        down.record(channel="console", reason="fallback", query="x")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert assist.record(down, "fallback", "rahasia 3201234567890123", []) == 0
        sink = GuardedInsight(down)
        assert sink.record(channel="telegram", reason="handoff", query="rahasia juga") == 0
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in lines] == ["navigator.console.assist", "actions.runtime"]
    for line in lines:
        text = line.getMessage()
        assert "OperationalError" in text and "\n" not in text
        assert "rahasia" not in text and "3201" not in text and "INSERT" not in text
        assert "pw" not in text
    down.close()


def test_navigator_db_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "insight.db"
    old_database(path)
    assert cli.main(["db", "current", "--db", str(path)]) == 1
    assert f"database: none  newest: {HEAD}" in capsys.readouterr().out
    assert cli.main(["db", "upgrade", "--db", str(path)]) == 0
    assert f"migrated to {HEAD}" in capsys.readouterr().out
    assert cli.main(["db", "upgrade", "--db", str(path)]) == 0
    assert f"already at {HEAD}" in capsys.readouterr().out
    assert cli.main(["db", "current", "--db", str(path)]) == 0
    assert len(InsightStore(path).recent()) == 2
