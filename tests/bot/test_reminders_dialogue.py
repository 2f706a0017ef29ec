"""The reminder and case-code turns of the dialogue, on the real stores (SQLite in a
temporary folder): offer, yes, the date, the schedule, stop, privacy, case codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from actions import runtime
from actions.answers import answer_person, answer_service
from actions.pipeline import Context, answer_turn
from actions.reply import Reply, Turn
from embeddings.engine import SearchEngine
from navigator.cases.store import CaseStore
from navigator.reminders.store import ReminderStore
from tests.bot.conftest import FixedEngine, RecordingStore

TELEGRAM = Context("telegram:77", "telegram", "")


@pytest.fixture
def stores(bot_engine: SearchEngine, tmp_path: Path) -> Iterator[tuple[ReminderStore, CaseStore]]:
    reminders = ReminderStore(path=tmp_path / "insight.db")
    cases = CaseStore(reminders.engine)
    runtime.install(
        runtime.Runtime(
            engines=FixedEngine(bot_engine),
            insight=RecordingStore(),
            reminders=reminders,
            cases=cases,
        )
    )
    yield reminders, cases
    runtime.install(None)


def text(reply: Reply) -> str:
    return "\n".join(m.text for m in reply.messages)


def then(turn: Turn, reply: Reply, **next_turn: object) -> Turn:
    """The next turn, with the slots the reply set."""
    slots = {k: v for k, v in reply.slots.items() if k in Turn.__dataclass_fields__}
    return replace(turn, **{**slots, **next_turn})  # type: ignore[arg-type]


def test_offer_yes_date_schedule(
    bot_engine: SearchEngine, stores: tuple[ReminderStore, CaseStore]
) -> None:
    reminders, _ = stores
    turn = Turn(
        text='/choose_service{"service":"akta-kelahiran"}',
        intent="choose_service",
        entities={"service": ["akta-kelahiran"]},
    )
    card = answer_turn(bot_engine, turn, answer_service, TELEGRAM)
    offer = card.messages[-1]
    assert "Mau saya ingatkan" in offer.text
    assert offer.buttons[0]["payload"] == '/reminder_accept{"service":"akta-kelahiran"}'
    asked = answer_turn(
        bot_engine, then(turn, card, text="iya", intent="greet"), answer_service, TELEGRAM
    )
    assert "Kapan" in text(asked) and asked.slots["reminder_pending"] == "akta-kelahiran"
    born = dt.date.today() - dt.timedelta(days=3)
    dated = then(
        turn, asked, text=f"lahir tgl {born.day}/{born.month}/{born.year}", intent="nlu_fallback"
    )
    done = answer_turn(bot_engine, dated, answer_service, TELEGRAM)
    due = born + dt.timedelta(days=60)
    assert "Siap. Batas waktu" in text(done)
    assert {(r.service, r.due) for r in reminders.for_sender("telegram:77")} == {
        ("akta-kelahiran", due)
    }
    assert reminders.has_consent("telegram:77")
    privacy = answer_turn(
        bot_engine, then(dated, done, text="privasi", intent="help"), answer_service, TELEGRAM
    )
    assert "Persetujuan pengingat" in text(privacy)
    stop = answer_turn(
        bot_engine, then(dated, done, text="berhenti", intent="goodbye"), answer_service, TELEGRAM
    )
    assert "dihapus" in text(stop)
    assert reminders.for_sender("telegram:77") == [] and not reminders.has_consent("telegram:77")


def test_no_offer_over_rest_or_twice(
    bot_engine: SearchEngine, stores: tuple[ReminderStore, CaseStore]
) -> None:
    turn = Turn(
        text="akta kelahiran", intent="ask_service", entities={"service": ["akta-kelahiran"]}
    )
    rest = answer_turn(bot_engine, turn, answer_service, Context("it:1", "rest", ""))
    assert "Mau saya ingatkan" not in text(rest)
    again = replace(turn, reminder_offered=["akta-kelahiran"])
    assert "Mau saya ingatkan" not in text(answer_turn(bot_engine, again, answer_service, TELEGRAM))


def test_stop_words_inside_a_sentence_are_not_a_stop(
    bot_engine: SearchEngine, stores: tuple[ReminderStore, CaseStore]
) -> None:
    turn = Turn(text="saya berhenti kerja, bisa klaim JHT?", intent="ask_service")
    assert "Pengingat" not in text(answer_turn(bot_engine, turn, answer_service, TELEGRAM))


def test_a_case_code_keeps_the_journey_not_the_citizen(
    bot_engine: SearchEngine, stores: tuple[ReminderStore, CaseStore]
) -> None:
    _, cases = stores
    turn = Turn(
        text="ringkasan",
        intent="help",
        focus="akta-kelahiran",
        life_event="birth",
        seen=["akta-kelahiran"],
    )
    reply = answer_turn(
        bot_engine,
        turn,
        answer_service,
        replace(TELEGRAM, last_question="NIK 3171234567890001 akta gmn"),
    )
    code = reply.messages[0].custom["case"]  # type: ignore[index]
    assert code.startswith("NAV-") and code in text(reply)
    case = cases.get(code)
    assert case is not None and case.services[0].id == "akta-kelahiran"
    assert "3171234567890001" not in str(case) and "telegram:77" not in str(case)
    handoff = answer_turn(
        bot_engine,
        replace(turn, text="mau bicara dengan petugas", intent="handoff"),
        answer_person,
        TELEGRAM,
    )
    assert any(m.custom and m.custom.get("case") for m in handoff.messages)
