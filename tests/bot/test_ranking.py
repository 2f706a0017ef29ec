"""Which service a message is about: journeys ranked for it, cues read as typed or
spelled out, and what the dialogue says around a question."""

from __future__ import annotations

from dataclasses import replace

from actions.answers import answer_event, respond
from actions.cues import cues_of
from actions.followups import answer_follow_up
from actions.journeys import journey, ranked_services
from actions.reply import Turn
from embeddings.engine import SearchEngine


def test_a_follow_up_on_the_journeys_guess_still_offers_its_other_services(
    bot_engine: SearchEngine,
) -> None:
    offered = journey(bot_engine, "birth", "id", text="anak sy baru lahir, urus apa aja?")
    assert offered.slots["offered"][:1] == [offered.slots["service"]]
    turn = Turn(
        text="syaratnya apa aja?",
        intent="ask_requirements",
        focus=offered.slots["service"],
        life_event="birth",
        offered=offered.slots["offered"],
    )
    reply = respond(bot_engine, turn, answer_follow_up)
    assert reply.services() == offered.slots["offered"]  # the guess first, then the others
    assert "offered" not in reply.slots  # nothing chosen yet: the journey's list stays
    picked = respond(bot_engine, replace(turn, offered=[]), answer_follow_up)
    assert picked.services() == [turn.focus]


def test_a_named_service_leads_its_journey_and_a_button_shows_the_whole_journey(
    bot_engine: SearchEngine,
) -> None:
    told = ranked_services(bot_engine, "birth", "bayi baru lahir, masukin ke kartu keluarga gmn")
    assert told[0].id == "kk-tambah-anggota"
    assert [s.id for s in ranked_services(bot_engine, "birth", "")] == [
        "akta-kelahiran",
        "kk-tambah-anggota",
    ]


def test_the_longest_aspect_cue_wins_and_chat_spellings_are_read(
    bot_engine: SearchEngine,
) -> None:
    cues = cues_of(bot_engine)
    assert cues.aspect_of("bara lamo siapnyo?") == "time"  # not "bara": fee
    assert cues.aspect_of("bara biayanyo?") == "fee"
    spelled = replace(cues, spell=lambda text: "yang mengurus harus saya sendiri")
    assert cues.aspect_of("yg ngurus hrs sy sndiri") is None
    assert spelled.aspect_of("yg ngurus hrs sy sndiri") == "proxy"


def test_small_talk_and_frustration_are_not_searched(bot_engine: SearchEngine) -> None:
    content = cues_of(bot_engine).without_dialogue(
        "Halo kak, udh 3x ngurus akta ditolak terus, capek bgt"
    )
    assert "akta" in content
    for said in ("halo", "ditolak terus", "capek"):
        assert said not in content


def test_a_life_event_read_while_a_service_is_in_focus_can_be_a_follow_up(
    bot_engine: SearchEngine,
) -> None:
    turn = Turn(
        text="validity nya berapa tahun?",
        intent="inform_life_event",
        focus="akta-kelahiran",
        life_event="birth",
    )
    reply = respond(bot_engine, turn, answer_event)
    assert reply.services() == ["akta-kelahiran"]
    told = respond(
        bot_engine,
        replace(turn, text="istri sy baru melahirkan", entities={"life_event": ["birth"]}),
        answer_event,
    )
    assert told.slots.get("offered")  # a journey, ranked for what was told


def test_a_request_for_a_person_read_by_nlu_alone_can_be_a_follow_up(
    bot_engine: SearchEngine,
) -> None:
    from actions.answers import answer_person

    turn = Turn(text="lapornya paling lambat kapan", intent="handoff", focus="akta-kelahiran")
    reply = respond(bot_engine, turn, answer_person)
    assert reply.services() == ["akta-kelahiran"]
    assert not reply.slots.get("handoff")
    asked = respond(bot_engine, replace(turn, text="mau bicara dengan petugas aja"), answer_person)
    assert asked.slots.get("handoff") is True


def test_chat_fillers_are_no_evidence_of_another_topic(bot_engine: SearchEngine) -> None:
    from actions.terms import foreign_terms

    assert foreign_terms(bot_engine, "sekalian aja ya kan") == set()  # function words
    assert foreign_terms(bot_engine, "harga bitcoin bakal naik") >= {"bitcoin"}
