"""Follow-ups on the fields citizens ask about, and the cue data they are read with."""

from __future__ import annotations

import pytest

from actions.answers import answer_service
from actions.cues import compile_cues, cues_of
from actions.followups import answer_follow_up
from actions.reply import Turn
from embeddings.engine import SearchEngine


def _ask(engine: SearchEngine, text: str, intent: str = "ask_service") -> str:
    turn = Turn(text=text, intent=intent, focus="akta-kelahiran", life_event="birth")
    reply = (
        answer_service(engine, turn) if intent == "ask_service" else answer_follow_up(engine, turn)
    )
    assert reply.slots.get("service") == "akta-kelahiran", reply
    return "\n".join(m.text for m in reply.messages)


def test_cues_match_whole_words_and_prefixes() -> None:
    pattern = compile_cues(["biaya*", "di mana", "jd*"])
    assert pattern.search("biayanya brp")
    assert pattern.search("ngurusnya di  mana ya")
    assert pattern.search("kapan jdnya")
    assert not pattern.search("pembiayaan")  # not at the start of a word
    assert not pattern.search("dimanapun")


def test_cues_take_either_word_and_a_gap_of_up_to_three_words() -> None:
    pattern = compile_cues(["sambungkan|hubungin ... orang|petugas*", "jangan|bukan mesin"])
    assert pattern.search("aku mau ngadu, sambungkan lah sama orang")
    assert pattern.search("hubungin petugasnya dong")
    assert pattern.search("bukan mesin")
    assert not pattern.search("sambungkan ke kantor kecamatan lalu ke orang")  # four words
    assert not pattern.search("hubungi orang")  # "hubungin" is a whole word


def test_a_request_for_a_person_is_read_in_its_chat_spelling(bot_engine: SearchEngine) -> None:
    cues = cues_of(bot_engine)
    assert cues.wants_human("Aku mau ngadu, sambungkan lah sama orang, jangan mesin")
    assert cues.wants_human("abdi hoyong ngobrol langsung sareng petugas wae")
    assert not cues.wants_human("apakah perlu nomor hp yang bisa dihubungi?")
    assert cues.complains("udh 2x dilempar2 trs, sy mau lapor aj petugasnya")
    assert not cues.complains("saya mau lapor kematian ke petugas kelurahan")


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("batas waktunya kapan?", "deadline"),
        ("ada batas umur?", "eligibility"),
        ("bisa diwakilkan ga", "proxy"),
        ("masa berlakunya brp lama", "validity"),
        ("dapetnya berapa", "benefit"),
        ("bisa lewat hp?", "online"),
        ("brp lama jdnya", "time"),
        ("kalo udh lewat 2 bulan gmn", "late"),
        ("syaratnya apa aj", "requirements"),
    ],
)
def test_aspect_of_reads_the_data_file(bot_engine: SearchEngine, text: str, aspect: str) -> None:
    assert cues_of(bot_engine).aspect_of(text) == aspect


def test_deadline_question_gets_the_deadline_not_the_processing_time(
    bot_engine: SearchEngine,
) -> None:
    text = _ask(bot_engine, "batas waktunya kapan?", intent="ask_time")
    assert "Batas waktu: Laporkan paling lambat 60 hari" in text
    assert "Lama proses" not in text


def test_online_question_gets_the_online_field(bot_engine: SearchEngine) -> None:
    text = _ask(bot_engine, "bisa online ga?")
    assert "Secara online: Sebagian daerah menerima pengajuan online." in text


def test_a_field_not_on_record_says_so_and_gives_the_source(bot_engine: SearchEngine) -> None:
    text = _ask(bot_engine, "ada batas umur ga?")
    assert "belum ada di catatan kami" in text
    assert "https://example.go.id/layanan/akta-kelahiran" in text
    english = _ask(bot_engine, "can someone else apply for me?")
    assert "is not on our record yet" in english
