"""The handoff queue's pure parts: the store's rules, office hours, transcripts, payloads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from navigator.handoffs import transcript
from navigator.handoffs.delivery import template_parameter, template_payload
from navigator.handoffs.hours import HoursError, OfficeHours
from navigator.handoffs.store import HandoffError, HandoffStore


@pytest.fixture
def store(tmp_path: Path) -> HandoffStore:
    return HandoffStore(path=tmp_path / "insight.db")


def open_one(store: HandoffStore, sender: str, reason: str = "asked", now: float = 1000.0):  # type: ignore[no-untyped-def]
    return store.open(sender=sender, channel="telegram", language="id", reason=reason, now=now)


def test_one_open_handoff_per_conversation_and_the_stronger_reason_wins(
    store: HandoffStore,
) -> None:
    first = open_one(store, "telegram:1", "unhelped")
    again = open_one(store, "telegram:1", "asked")
    assert again.id == first.id and again.reason == "asked"
    assert open_one(store, "telegram:1", "frustrated").reason == "asked"
    assert [h.id for h in store.queue()] == [first.id]


def test_two_processes_opening_at_once_make_one_handoff(tmp_path: Path) -> None:
    stores = [HandoffStore(path=tmp_path / "insight.db") for _ in range(4)]
    stores[0].queue()  # migrate once
    found: list[str] = []
    threads = [
        threading.Thread(target=lambda s=s: found.append(open_one(s, "whatsapp:62").id))
        for s in stores
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1 and len(stores[0].queue()) == 1


def test_claims_are_exclusive_and_releases_need_the_holder(store: HandoffStore) -> None:
    handoff = open_one(store, "telegram:2")
    assert store.claim(handoff.id, "siti").claimed_by == "siti"
    assert store.claim(handoff.id, "siti").status == "claimed"  # again: fine
    with pytest.raises(HandoffError) as taken:
        store.claim(handoff.id, "budi")
    assert taken.value.status == 409
    with pytest.raises(HandoffError) as other:
        store.release(handoff.id, "budi")
    assert other.value.status == 403
    assert store.release(handoff.id, "siti").status == "closed"
    with pytest.raises(HandoffError):
        store.claim(handoff.id, "siti")
    assert store.open_for("telegram:2") is None
    assert open_one(store, "telegram:2").id != handoff.id  # a new one after the close


def test_position_and_expected_wait(store: HandoffStore) -> None:
    waiting = [open_one(store, f"telegram:{i}", now=1000.0 + i) for i in range(3)]
    assert [store.position(h) for h in waiting] == [1, 2, 3]
    assert store.expected_wait(now=2000.0) is None  # no claims yet: no made-up figure
    for handoff, wait in zip(waiting, (60, 120, 600), strict=True):
        store.claim(handoff.id, "siti", now=handoff.created + wait)
    assert store.expected_wait(now=2000.0) == 120
    assert store.queue()[0].waiting_s() == 60  # stops counting at the claim


def test_queue_entries_never_carry_the_sender(store: HandoffStore) -> None:
    entry = open_one(store, "whatsapp:6281234567890").to_dict(now=1060.0)
    assert "6281234567890" not in str(entry)
    assert set(entry) >= {"id", "channel", "language", "life_event", "service", "waiting_s"}
    assert entry["waiting_s"] == 60 and entry["claimed_by"] is None


def test_agents_online_from_their_last_look(store: HandoffStore) -> None:
    from navigator.accounts import AccountStore

    accounts = AccountStore(store.engine)
    accounts.add("siti", "agent", "a long enough password")
    accounts.add("budi", "agent", "a long enough password")
    store.seen("siti", now=1000.0)
    store.seen("budi", now=800.0)
    assert store.agents_online(120, now=1050.0) == ["siti"]
    accounts.set_disabled("siti", True)
    assert store.agents_online(120, now=1050.0) == []


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_office_hours_in_jakarta_time_with_holidays() -> None:
    hours = OfficeHours.parse("sen-jum 08:00-16:00, sab 08.00-12.00")
    assert hours.is_open(at("2026-12-01T02:00"))  # Tuesday 09:00 WIB
    assert not hours.is_open(at("2026-12-01T09:30"))  # 16:30 WIB
    assert hours.is_open(at("2026-12-05T04:00"))  # Saturday 11:00 WIB
    assert not hours.is_open(at("2026-12-06T04:00"))  # Sunday
    assert not hours.is_open(at("2026-08-17T03:00"))  # Independence Day, a Monday
    assert hours.describe() == "Senin–Jumat 08.00–16.00; Sabtu 08.00–12.00 WIB"
    assert OfficeHours.parse("always").is_open(at("2026-08-17T20:00"))
    assert OfficeHours.parse("mon-fri 08:00-16:00", "Asia/Jayapura").describe("en").endswith("WIT")


@pytest.mark.parametrize("bad", ["", "weekdays 8-16", "mon-fri 16:00-08:00", "xyz 08:00-09:00"])
def test_unreadable_office_hours_say_what_is_wrong(bad: str) -> None:
    with pytest.raises(HoursError, match="HANDOFF_HOURS"):
        OfficeHours.parse(bad)


EVENTS = [
    {"event": "action", "name": "action_listen", "timestamp": 1.0},
    {"event": "user", "text": "bayi sy baru lahir, NIK 3171234567890001", "timestamp": 2.0},
    {
        "event": "bot",
        "text": "",
        "data": {"custom": {"service": "akta-kelahiran"}},
        "timestamp": 3.0,
    },
    {"event": "bot", "text": "AKTA KELAHIRAN ...", "data": {}, "timestamp": 3.1},
    {"event": "user", "text": '/choose_service{"service":"kia"}', "timestamp": 4.0},
    {"event": "pause", "timestamp": 5.0},
    {"event": "bot", "text": "Halo, saya siti", "metadata": {"agent": "siti"}, "timestamp": 6.0},
]


def test_transcript_speakers_masking_and_answered_service() -> None:
    lines = transcript.lines(EVENTS)
    assert [(ln.speaker, ln.service) for ln in lines] == [
        ("citizen", None),
        ("bot", "akta-kelahiran"),
        ("citizen", None),
        ("agent", None),
    ]
    shown = [ln.to_dict() for ln in lines]
    assert "[NIK]" in shown[0]["text"] and "3171234567890001" not in str(shown)
    assert "3171234567890001" in lines[0].to_dict(masked=False)["text"]
    assert shown[2]["text"] == "▸ kia" and shown[3]["agent"] == "siti"
    assert shown[1]["at"] == "1970-01-01T00:00:03+00:00"
    assert transcript.paused(EVENTS) and transcript.last_citizen_at(EVENTS) == 4.0
    assert not transcript.paused([*EVENTS, {"event": "resume"}])
    assert not transcript.paused([*EVENTS, {"event": "session_started"}])


def test_a_template_parameter_is_what_graph_accepts() -> None:
    folded = template_parameter("Baris satu.\n\n  Baris dua\tdengan      spasi")
    assert folded == "Baris satu. · Baris dua dengan    spasi"
    assert len(template_parameter("x" * 5000)) == 1024
    payload = template_payload("62812", "navigator_agent_reply", "id", "a\nb")
    assert payload["type"] == "template"
    assert payload["template"]["components"][0]["parameters"] == [{"type": "text", "text": "a · b"}]
