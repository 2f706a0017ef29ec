"""Actions against recorded-shape tracker fixtures: both the events and the messages."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAnswerService,
    ActionClarify,
    ActionFollowUp,
    ActionHandoff,
    ActionLifeEvent,
    ActionOutOfScope,
    ActionSmalltalk,
)
from actions.reply import service_of_payload
from tests.bot.conftest import RecordingStore, load_tracker

DOMAIN: dict[str, Any] = {}


def run(action: Any, fixture: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action on a tracker fixture; returns (events, dispatcher messages)."""
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(load_tracker(fixture))
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return events, as_shown(dispatcher.messages)


def as_shown(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each message with the marker sent just before it (``custom`` only) folded in."""
    shown: list[dict[str, Any]] = []
    marker: dict[str, Any] | None = None
    for message in messages:
        if message.get("custom") and not message.get("text") and not message.get("buttons"):
            marker = message["custom"]
            continue
        shown.append({**message, "custom": marker} if marker else message)
        marker = None
    return shown


def test_what_a_message_answers_comes_before_its_text_and_buttons() -> None:
    dispatcher = CollectingDispatcher()
    tracker = Tracker.from_dict(load_tracker("choose_service"))
    asyncio.run(ActionAnswerService().run(dispatcher, tracker, DOMAIN))
    first, second = dispatcher.messages[:2]
    assert first["custom"] == {"service": "akta-kelahiran"} and not first["text"]
    assert second["text"] and not second["custom"]


def offered(messages: list[dict[str, Any]]) -> list[str]:
    """Service ids a reply answers (custom payload) or offers as buttons."""
    ids = []
    for message in messages:
        custom = message.get("custom") or {}
        if custom.get("service"):
            ids.append(custom["service"])
        ids += [s for b in message.get("buttons") or [] if (s := service_of_payload(b["payload"]))]
    return ids


def all_text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def test_life_event_confirms_and_shows_the_journey_in_order(insight: RecordingStore) -> None:
    events, messages = run(ActionLifeEvent(), "life_event_birth")
    assert events == [
        SlotSet("life_event", "birth"),
        SlotSet("lang", "id"),
        SlotSet("service", "akta-kelahiran"),
        SlotSet("offered", ["akta-kelahiran", "kk-tambah-anggota"]),
        SlotSet("seen", ["akta-kelahiran"]),  # the guess in focus counts as discussed
    ]
    assert len(messages) == 1
    assert messages[0]["text"].startswith("Selamat atas kelahiran")
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["1. Akta Kelahiran", "2. Penambahan Anggota Keluarga di Kartu Keluarga"]
    assert messages[0]["buttons"][0]["payload"] == '/choose_service{"service":"akta-kelahiran"}'
    assert insight.records == []


def test_unclear_life_event_asks_back_with_what_the_search_found(
    insight: RecordingStore,
) -> None:
    events, messages = run(ActionLifeEvent(), "life_event_unclear")
    assert events == [SlotSet("lang", "id")]
    assert messages[0]["text"].startswith("Maaf, saya belum yakin maksud Anda.")
    assert messages[0]["custom"] == {"reply": "clarify"}
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    # two life events told, no service named: both events are offered
    assert set(payloads) == {
        '/choose_life_event{"life_event":"marriage"}',
        '/choose_life_event{"life_event":"moving"}',
    }
    assert offered(messages) == []
    assert insight.records[0]["reason"] == "low_confidence"
    assert insight.records[0]["channel"] == "whatsapp"
    assert insight.records[0]["query"] == "anak sy mau nikah dan pindah rumah"


def test_picked_service_is_answered_with_everything(insight: RecordingStore) -> None:
    events, messages = run(ActionAnswerService(), "choose_service")
    assert events == [
        SlotSet("service", "akta-kelahiran"),
        SlotSet("life_event", "birth"),
        SlotSet("lang", "id"),
        SlotSet("seen", ["akta-kelahiran"]),
    ]
    assert len(messages) == 2
    first, second = messages
    assert first["custom"] == {"service": "akta-kelahiran"}
    for part in ("AKTA KELAHIRAN", "Syarat yang dibawa:", "Langkah:"):
        assert part in first["text"]
    for part in (
        "Biaya: Gratis.",
        "Lama proses:",
        "Tempat:",
        "Sumber: Contoh (https://example.go.id",
    ):
        assert part in second["text"]
    assert second["buttons"][0] == {
        "title": "Selanjutnya: Penambahan Anggota Keluarga di Kartu Keluarga",
        "payload": '/choose_service{"service":"kk-tambah-anggota"}',
    }
    assert "\n\n" not in first["text"] + second["text"]  # one chat bubble each


def test_direct_english_question_is_answered_in_english(insight: RecordingStore) -> None:
    events, messages = run(ActionAnswerService(), "ask_service_en")
    assert SlotSet("service", "akta-kematian") in events
    assert SlotSet("lang", "en") in events
    assert messages[0]["text"].startswith("DEATH CERTIFICATE")
    assert "What to bring:" in messages[0]["text"]
    assert "Fee: Free." in messages[1]["text"]


def test_follow_up_answers_about_the_service_in_focus(insight: RecordingStore) -> None:
    events, messages = run(ActionFollowUp(), "follow_up_fee")
    assert events == [
        SlotSet("service", "akta-kelahiran"),
        SlotSet("life_event", "birth"),
        SlotSet("lang", "id"),
        SlotSet("seen", ["akta-kelahiran"]),
    ]
    assert len(messages) == 1
    assert messages[0]["text"] == "AKTA KELAHIRAN\nBiaya: Gratis."
    assert messages[0]["custom"] == {"service": "akta-kelahiran"}
    assert not messages[0]["buttons"]
    assert insight.records == []


def test_a_follow_up_naming_another_service_moves_the_focus(insight: RecordingStore) -> None:
    events, messages = run(ActionFollowUp(), "follow_up_switch")
    assert SlotSet("service", "pindah-domisili") in events
    assert SlotSet("life_event", "moving") in events
    assert messages[0]["text"].startswith("PINDAH")
    assert "Syarat yang dibawa:" in messages[0]["text"]


def test_late_follow_up_uses_the_faq(insight: RecordingStore) -> None:
    _, messages = run(ActionFollowUp(), "follow_up_late")
    assert messages[0]["text"] == (
        "AKTA KELAHIRAN\nBagaimana kalau pelaporan kelahiran sudah terlambat?\n"
        "Tetap bisa diurus di Dukcapil tanpa penetapan pengadilan."
    )


def test_next_follow_up_walks_the_journey(insight: RecordingStore) -> None:
    events, messages = run(ActionFollowUp(), "follow_up_next")
    assert SlotSet("service", "kk-tambah-anggota") in events
    assert messages[0]["text"].startswith(
        "Setelah Akta Kelahiran, langkah berikutnya biasanya Penambahan Anggota Keluarga"
    )
    assert offered(messages)[0] == "kk-tambah-anggota"


def test_follow_up_without_focus_asks_which_service(insight: RecordingStore) -> None:
    events, messages = run(ActionFollowUp(), "follow_up_no_focus")
    assert events == [SlotSet("lang", "id")]
    assert messages[0]["text"].startswith("Tentang layanan apa?")
    assert all(b["payload"].startswith("/choose_life_event") for b in messages[0]["buttons"])
    assert insight.records[0]["reason"] == "low_confidence"


def test_out_of_scope_is_refused_politely_and_recorded(insight: RecordingStore) -> None:
    events, messages = run(ActionOutOfScope(), "out_of_scope")
    assert events == [SlotSet("lang", "id")]
    assert len(messages) == 1 and not messages[0]["buttons"]
    assert messages[0]["text"].startswith("Maaf, saya hanya bisa membantu urusan layanan publik")
    assert offered(messages) == []
    assert messages[0]["custom"] == {"reply": "refusal"}
    # what search found is kept for editors: a question NLU misread would show up here
    [record] = insight.records
    assert (record["channel"], record["reason"], record["query"]) == (
        "telegram",
        "out_of_scope",
        "siapa presiden terbaik",
    )
    assert record["results"] and record["confidence"] is not None


def test_handoff_gives_the_complaint_route_and_marks_the_conversation(
    insight: RecordingStore,
) -> None:
    events, messages = run(ActionHandoff(), "handoff")
    assert events == [SlotSet("handoff", True), SlotSet("lang", "id")]
    text = messages[0]["text"]
    assert "SP4N-LAPOR!" in text and "https://www.lapor.go.id" in text
    assert "Untuk Akta Kelahiran, kantor layanannya: Kantor layanan" in text
    assert messages[0]["custom"] == {"handoff": True}
    assert insight.records[0]["reason"] == "handoff"
    assert insight.records[0]["channel"] == "whatsapp"
    assert "sender" not in json.dumps(insight.records[0])


def test_fallback_asks_back_or_refuses_never_guesses(insight: RecordingStore) -> None:
    _, messages = run(ActionClarify(), "fallback")
    assert offered(messages) == []
    assert insight.records[0]["reason"] in {"fallback", "out_of_scope"}


def test_greeting_in_english_offers_the_life_events(insight: RecordingStore) -> None:
    events, messages = run(ActionSmalltalk(), "greet_en")
    assert events == [SlotSet("lang", "en")]
    assert messages[0]["text"].startswith("Hello! I am Navigator")
    assert len(messages[0]["buttons"]) == 8
    assert messages[0]["buttons"][0] == {
        "title": "Birth",
        "payload": '/choose_life_event{"life_event":"birth"}',
    }


@pytest.mark.parametrize("fixture", ["choose_service", "life_event_birth", "greet_en"])
def test_button_payloads_fit_telegram(insight: RecordingStore, fixture: str) -> None:
    action = {
        "choose_service": ActionAnswerService(),
        "life_event_birth": ActionLifeEvent(),
        "greet_en": ActionSmalltalk(),
    }[fixture]
    _, messages = run(action, fixture)
    for message in messages:
        for button in message.get("buttons") or []:
            assert len(button["payload"].encode()) <= 64


def test_life_event_naming_a_service_puts_that_service_in_focus(insight: RecordingStore) -> None:
    events, messages = run(ActionLifeEvent(), "life_event_birth_names_service")
    assert SlotSet("life_event", "birth") in events
    assert SlotSet("service", "kk-tambah-anggota") in events  # not the journey's first step
    # the journey is ranked for the message: what it asks about comes first
    assert offered(messages) == ["kk-tambah-anggota", "akta-kelahiran"]


def test_a_told_life_event_offers_its_best_services_and_the_whole_journey(
    bot_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actions import journeys
    from actions.journeys import journey

    monkeypatch.setattr(journeys, "MAX_RANKED", 0)  # the fixture's journey is short
    told = journey(bot_engine, "birth", "id", text="anak saya baru lahir")
    buttons = told.messages[0].buttons
    assert [b["title"] for b in buttons] == ["Semua layanan (2)"]
    assert buttons[0]["payload"] == '/choose_life_event{"life_event":"birth"}'
    assert told.slots["service"] == "akta-kelahiran"
    picked = journey(bot_engine, "birth", "en")  # from that button: the whole journey
    assert len(picked.messages[0].buttons) == 2
    assert picked.messages[0].text.endswith("requirements, steps and fees:")


def test_a_situation_puts_its_services_first(
    bot_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actions.journeys import ranked_services
    from navigator.kb.schema import Situation

    situation = Situation(
        id="kk", name="KK", name_en="Family card", cues=["kk"], services=["kk-tambah-anggota"]
    )
    monkeypatch.setattr(
        bot_engine.life_events, "situation", lambda event, text, order=(): situation
    )
    unsure = replace(bot_engine.search("anak sy lahir"), verdict="ask")  # a sure one leads
    ranked = ranked_services(bot_engine, "birth", "anak sy lahir", unsure)
    assert [s.id for s in ranked] == ["kk-tambah-anggota", "akta-kelahiran"]


class CountingSearches:
    """Counts the searches the fixture engine runs during a test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, engine: Any) -> None:
        self.count = 0
        search = engine.search

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return search(*args, **kwargs)

        monkeypatch.setattr(engine, "search", counted)


@pytest.mark.parametrize(
    ("fixture", "searches"),
    [("follow_up_fee", 0), ("follow_up_late", 0), ("follow_up_next", 0), ("follow_up_switch", 1)],
)
def test_follow_ups_search_only_when_their_words_could_name_another_service(
    insight: RecordingStore,
    bot_engine: Any,
    monkeypatch: pytest.MonkeyPatch,
    fixture: str,
    searches: int,
) -> None:
    counter = CountingSearches(monkeypatch, bot_engine)
    run(ActionFollowUp(), fixture)
    assert counter.count == searches


def test_an_unsure_search_that_names_a_journey_service_puts_it_in_focus(
    bot_engine: Any,
) -> None:
    from actions.journeys import journey
    from embeddings.engine import Hit, SearchResult

    def result(matched: list[str]) -> SearchResult:
        hit = Hit("kk-tambah-anggota", "KK", "Family card", ["birth"], 0.2, 0.8, 3.0, matched)
        return SearchResult("q", [hit], "birth", {"birth": 0.9}, 0.5, "ask", "id")

    text = "bayi baru lahir, masukin ke kk gmn"
    named = journey(bot_engine, "birth", "id", result(["kk"]), text)
    assert named.slots["service"] == "kk-tambah-anggota"
    assert named.slots["offered"][0] == "kk-tambah-anggota"
    vague = journey(bot_engine, "birth", "id", result(["bayi"]), "bayi baru lahir gmn")
    assert vague.slots["service"] != "kk-tambah-anggota"  # an event cue names no service
    picked = journey(bot_engine, "birth", "id", result(["kk"]))  # a button: the whole journey
    assert picked.slots["service"] == "akta-kelahiran"
