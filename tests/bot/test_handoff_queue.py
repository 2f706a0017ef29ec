"""The action server's side of the handoff: the conversation goes in the agents' queue,
and a citizen who asked hears their place in it, or the route when nobody can answer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.actions import ActionHandoff, ActionOutOfScope
from embeddings.engine import SearchEngine
from navigator.accounts import AccountStore
from navigator.handoffs.hours import OfficeHours
from navigator.handoffs.settings import HandoffSettings
from navigator.handoffs.store import HandoffStore
from tests.bot.conftest import FixedEngine, RecordingStore, load_tracker
from tests.bot.test_actions import DOMAIN, as_shown


@pytest.fixture
def queue(bot_engine: SearchEngine, tmp_path: Path) -> Iterator[HandoffStore]:
    store = HandoffStore(path=tmp_path / "insight.db")
    AccountStore(store.engine).add("siti", "agent", "a long enough password")
    runtime.install(
        runtime.Runtime(
            engines=FixedEngine(bot_engine),
            insight=RecordingStore(),
            handoffs=store,
            handoff_settings=HandoffSettings(hours=OfficeHours.parse("always")),
        )
    )
    yield store
    runtime.install(None)


def run(action: Any, tracker: dict[str, Any]) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, Tracker.from_dict(tracker), DOMAIN))
    return as_shown(dispatcher.messages)


def on(channel: str, sender: str, **latest: Any) -> dict[str, Any]:
    tracker = load_tracker("handoff")
    tracker["sender_id"] = sender
    tracker["latest_message"]["metadata"]["channel"] = channel
    tracker["latest_message"].update(latest)
    return tracker


def test_a_citizen_who_asks_is_queued_and_told_their_place(queue: HandoffStore) -> None:
    queue.seen("siti")  # an agent has the console open
    first = run(ActionHandoff(), on("telegram", "telegram:1"))
    second = run(ActionHandoff(), on("whatsapp", "whatsapp:6281234567890"))
    assert "nomor 1 di antrean" in first[0]["text"] and "SP4N-LAPOR!" in first[0]["text"]
    assert "nomor 2 di antrean" in second[0]["text"]
    assert "belum bisa kami hitung" in second[0]["text"]  # no claims yet: no made-up wait
    waiting = queue.queue()
    assert [(h.channel, h.reason, h.service) for h in waiting] == [
        ("telegram", "asked", "akta-kelahiran"),
        ("whatsapp", "asked", "akta-kelahiran"),
    ]
    assert waiting[0].summary.startswith("Minta petugas · Kelahiran · Akta Kelahiran\n")


def test_nobody_online_or_after_hours_gets_the_route_not_a_promise(queue: HandoffStore) -> None:
    shown = run(ActionHandoff(), on("telegram", "telegram:2"))
    assert "tidak ada petugas yang sedang aktif" in shown[0]["text"]
    assert "antrean" not in shown[0]["text"] and "1500537" in shown[0]["text"]
    queue.seen("siti")
    settings = runtime.current().handoff_settings
    assert settings is not None
    runtime.current().handoff_settings = HandoffSettings(
        hours=OfficeHours.parse("mon 00:00-00:01", holidays_closed=False)
    )
    shown = run(ActionHandoff(), on("telegram", "telegram:3"))
    assert "di luar jam layanan: Senin 00.00–00.01 WIB" in shown[0]["text"]
    assert len(queue.queue()) == 2  # both are in the queue for when an agent comes


def test_rest_conversations_are_not_queued(queue: HandoffStore) -> None:
    queue.seen("siti")
    shown = run(ActionHandoff(), on("rest", "it:1"))
    assert "antrean" not in shown[0]["text"] and "SP4N-LAPOR!" in shown[0]["text"]
    assert queue.queue() == []


def test_two_replies_that_did_not_help_queue_the_conversation(queue: HandoffStore) -> None:
    tracker = on("whatsapp", "whatsapp:6289999", text="siapa presiden terbaik")
    tracker["latest_message"]["intent"] = {"name": "out_of_scope", "confidence": 0.99}
    tracker["slots"]["strikes"] = 1.0
    shown = run(ActionOutOfScope(), tracker)
    assert any('ketik "petugas"' in m["text"] for m in shown)
    [handoff] = queue.queue()
    assert handoff.reason == "unhelped" and handoff.channel == "whatsapp"


def test_a_database_that_is_down_leaves_the_route(queue: HandoffStore, tmp_path: Path) -> None:
    queue.engine.dispose()
    (tmp_path / "insight.db").unlink()
    (tmp_path / "insight.db").mkdir()  # no database can be opened there now
    broken = HandoffStore(path=tmp_path / "insight.db")
    runtime.current().handoffs = broken
    shown = run(ActionHandoff(), on("telegram", "telegram:4"))
    assert "SP4N-LAPOR!" in shown[0]["text"] and "antrean" not in shown[0]["text"]
