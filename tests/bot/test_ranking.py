"""Which service a message is about: journeys ranked for it, cues read as typed or
spelled out, and what the dialogue says around a question."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

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


def test_situations_whose_cues_are_as_long_are_told_apart_by_the_search(
    bot_engine: SearchEngine, tmp_path: Path
) -> None:
    # "ayah meninggal, rumahnya masih atas nama beliau": a breadwinner's death and an
    # inherited house tell cues as long; the search's ranking picks the house
    import yaml

    from embeddings.life_events import LifeEventModel
    from navigator.kb.loader import load_knowledge_base
    from tests.bot.conftest import extend_kb
    from tests.support.fixture_kb import write_fixture_kb

    kb_dir = extend_kb(write_fixture_kb(tmp_path))
    events = yaml.safe_load((kb_dir / "life_events.yml").read_text(encoding="utf-8"))
    birth = next(e for e in events if e["id"] == "birth")
    birth["situations"] = [
        {
            "id": "a",
            "name": "A",
            "name_en": "A",
            "cues": ["bayi lahir"],
            "services": ["akta-kelahiran"],
        },
        {
            "id": "b",
            "name": "B",
            "name_en": "B",
            "cues": ["masuk kk"],
            "services": ["kk-tambah-anggota"],
        },
    ]
    (kb_dir / "life_events.yml").write_text(yaml.safe_dump(events), encoding="utf-8")
    kb = load_knowledge_base(kb_dir)
    model = LifeEventModel(kb, bot_engine.normalizer, list(kb.services))
    text = "bayi lahir, masuk kk gmn"
    assert model.situation("birth", text).id == "a"  # the first listed, without a ranking
    ranked = ["kk-tambah-anggota", "akta-kelahiran"]
    assert model.situation("birth", text, ranked).id == "b"
    assert model.situation("birth", "bayi lahir", ranked).id == "a"  # a longer cue wins


def test_a_search_sure_of_one_of_the_events_services_leads_its_journey(
    bot_engine: SearchEngine,
) -> None:
    # "cuti melahirkan buat karyawati berapa bulan": the search is sure of maternity leave
    text = "anak baru lahir, urus apa aja?"
    result = bot_engine.search(text)
    hits = sorted(result.hits, key=lambda h: h.id != "kk-tambah-anggota")
    sure = replace(result, hits=hits, verdict="sure")
    assert ranked_services(bot_engine, "birth", text, sure)[0].id == "kk-tambah-anggota"
    unsure = replace(result, hits=hits, verdict="ask")
    assert ranked_services(bot_engine, "birth", text, unsure)[0].id == "akta-kelahiran"


def test_a_longer_name_counts_only_typed_side_by_side() -> None:
    from actions.naming import typed_together

    assert typed_together(frozenset({"pindah", "ktp"}), ["wajib", "pindah", "ktp"])
    assert typed_together(frozenset({"ganti", "kk"}), ["kk", "ganti", "dmna"])  # any order
    assert not typed_together(frozenset({"anak", "e-ktp"}), ["anak", "baru", "bikin", "e-ktp"])
    assert not typed_together(frozenset({"ganti", "kk"}), ["kk"])
