"""The SQLite tracker store: stock rows, WAL, and a cache that never serves stale state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from stores.sqlite_tracker_store import SQLiteTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [ask_fee]
slots:
  service:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
"""
)


def store(path: Path, cache_size: int = 10) -> SQLiteTrackerStore:
    return SQLiteTrackerStore(DOMAIN, db=str(path), cache_size=cache_size, host=None)


def rows(path: Path, sender: str) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("select count(*) from events where sender_id=?", (sender,)).fetchone()[0]


def turn(tracker: DialogueStateTracker, text: str, service: str) -> None:
    tracker.update(UserUttered(text, {"name": "ask_fee", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_follow_up"))
    tracker.update(SlotSet("service", service))
    tracker.update(ActionExecuted("action_listen"))


def new_tracker(sender: str) -> DialogueStateTracker:
    """A started session. (Rasa also writes action_session_start just before it, which
    the stock SQL store never reads back: not being part of the session, it is left out.)"""
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    return tracker


async def test_saved_conversations_read_back_in_any_process(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    first = store(db)
    tracker = new_tracker("citizen-1")
    turn(tracker, "biaya akta berapa", "akta-kelahiran")
    await first.save(tracker)
    for reader in (store(db), SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))):
        again = await reader.retrieve("citizen-1")
        assert again is not None
        assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]
        assert again.get_slot("service") == "akta-kelahiran"
    assert await store(db).retrieve("nobody") is None


async def test_a_cached_tracker_is_reused_and_only_new_events_are_written(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    s = store(db)
    tracker = new_tracker("c")
    turn(tracker, "biaya akta berapa", "akta-kelahiran")
    await s.save(tracker)
    again = await s.retrieve("c")
    assert again is tracker and (s.hits, s.misses) == (1, 0)
    turn(again, "syaratnya apa", "akta-kelahiran")
    await s.save(again)
    await s.save(again)  # nothing new: nothing written
    assert rows(db, "c") == len(tracker.events) == 10


async def test_unsaved_changes_are_never_served(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    s = store(db)
    tracker = new_tracker("c")
    await s.save(tracker)
    turn(tracker, "dibuang", "paspor")  # a turn that failed before it was saved
    again = await s.retrieve("c")
    assert again is not tracker and again is not None
    assert len(again.events) == 2 and again.get_slot("service") is None
    turn(again, "biaya akta", "akta-kelahiran")
    await s.save(again)
    assert rows(db, "c") == 6


async def test_another_writer_invalidates_the_cache(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    a, b = store(db), store(db)
    tracker = new_tracker("c")
    await a.save(tracker)
    other = await b.retrieve("c")
    assert other is not None
    turn(other, "biaya paspor", "paspor")
    await b.save(other)
    seen = await a.retrieve("c")
    assert seen is not tracker and seen is not None
    assert seen.get_slot("service") == "paspor" and len(seen.events) == 6
    turn(seen, "syaratnya", "paspor")
    await a.save(seen)
    assert rows(db, "c") == 10


async def test_the_cache_is_bounded_and_can_be_off(tmp_path: Path) -> None:
    s = store(tmp_path / "a.db", cache_size=2)
    for sender in ("x", "y", "z"):
        await s.save(new_tracker(sender))
    assert list(s._saved) == ["y", "z"]
    off = store(tmp_path / "b.db", cache_size=0)
    tracker = new_tracker("x")
    await off.save(tracker)
    again = await off.retrieve("x")
    assert again is not tracker and again is not None and len(again.events) == 2
    turn(again, "biaya", "paspor")
    await off.save(again)
    assert rows(tmp_path / "b.db", "x") == 6


async def test_a_new_session_reads_back_from_its_start(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    s = store(db)
    tracker = new_tracker("c")
    turn(tracker, "biaya akta", "akta-kelahiran")
    await s.save(tracker)
    later = new_tracker("c")  # what Rasa appends when the session expired
    for event in later.events:
        event.timestamp += 3600
        tracker.update(event)
    await s.save(tracker)
    assert rows(db, "c") == 8
    fresh = await store(db).retrieve("c")
    assert fresh is not None and len(fresh.events) == 2  # stock behaviour: latest session


def test_the_file_uses_a_write_ahead_log(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    with store(db).session_scope() as session:
        mode = session.execute(pytest.importorskip("sqlalchemy").text("PRAGMA journal_mode"))
        assert mode.scalar() == "wal"
