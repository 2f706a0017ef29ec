"""The citizen's region in the dialogue: read from the message or a location, kept in
the conversation, and the region's own offices in "where" answers."""

from __future__ import annotations

from typing import Any

from actions.answers import answer_person, answer_service
from actions.followups import answer_follow_up
from actions.pipeline import answer_with_region
from actions.reply import Turn
from embeddings.engine import SearchEngine
from tests.bot.conftest import RecordingStore


def text(reply: Any) -> str:
    return "\n".join(m.text for m in reply.messages)


def test_a_place_alone_answers_where_for_the_focus(
    bot_engine: SearchEngine, insight: RecordingStore
) -> None:
    turn = Turn(text="sy di sleman", intent="nlu_fallback", focus="akta-kelahiran", lang="id")
    reply = answer_with_region(bot_engine, turn, answer_service)
    assert reply.slots["region"] == "34.04"
    assert "Di Kabupaten Sleman:" in text(reply)
    assert "Mal Pelayanan Publik Kabupaten Sleman" in text(reply)
    assert "Sumber: https://" in text(reply)
    assert "google.com/maps/search" in text(reply)


def test_a_place_alone_without_focus_is_noted(
    bot_engine: SearchEngine, insight: RecordingStore
) -> None:
    reply = answer_with_region(
        bot_engine, Turn(text="aku org bekasi", intent="greet"), answer_service
    )
    assert reply.slots["region"] == "32.75"
    assert "Kota Bekasi" in text(reply) and reply.messages[0].buttons  # the life events


def test_two_regions_keep_both(bot_engine: SearchEngine, insight: RecordingStore) -> None:
    turn = Turn(
        text="KTP Bekasi tapi tinggal di Depok", intent="nlu_fallback", focus="akta-kelahiran"
    )
    reply = answer_with_region(bot_engine, turn, answer_service)
    assert (reply.slots["region"], reply.slots["region_ktp"]) == ("32.76", "32.75")
    assert "Kota Depok" in text(reply) and "KTP dari Kota Bekasi" in text(reply)


def test_the_region_stays_for_later_where_questions(
    bot_engine: SearchEngine, insight: RecordingStore
) -> None:
    turn = Turn(
        text="daftarnya di mana?", intent="ask_where", focus="akta-kelahiran", region="34.04"
    )
    reply = answer_with_region(bot_engine, turn, answer_follow_up)
    assert "Di Kabupaten Sleman:" in text(reply)
    assert "region" not in reply.slots  # unchanged


def test_where_without_a_region_asks_for_it(
    bot_engine: SearchEngine, insight: RecordingStore
) -> None:
    turn = Turn(text="daftarnya di mana?", intent="ask_where", focus="akta-kelahiran")
    reply = answer_with_region(bot_engine, turn, answer_follow_up)
    assert "Sebutkan kabupaten/kota Anda" in text(reply)


def test_a_region_without_data_says_so(bot_engine: SearchEngine, insight: RecordingStore) -> None:
    turn = Turn(
        text="daftarnya di mana?", intent="ask_where", focus="akta-kelahiran", region="91.01"
    )
    reply = answer_with_region(bot_engine, turn, answer_follow_up)
    assert "belum punya data kantor atau MPP" in text(reply)


def test_a_shared_location_sets_the_region(
    bot_engine: SearchEngine, insight: RecordingStore
) -> None:
    turn = Turn(
        text='/share_location{"latitude": -7.7156, "longitude": 110.3553}',
        intent="share_location",
        entities={"latitude": ["-7.7156"], "longitude": ["110.3553"]},
        focus="akta-kelahiran",
    )
    reply = answer_with_region(bot_engine, turn, answer_follow_up)
    assert reply.slots["region"] == "34.04"
    assert "Di Kabupaten Sleman:" in text(reply)


def test_a_request_for_a_person_with_a_place_is_still_a_handoff(
    bot_engine: SearchEngine, insight: RecordingStore
) -> None:
    turn = Turn(text="saya di sleman, mau bicara dengan petugas", intent="handoff")
    reply = answer_with_region(bot_engine, turn, answer_person)
    assert reply.handoff == "asked" and reply.slots["region"] == "34.04"
