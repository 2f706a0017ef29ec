"""The reminder store, texts, settings and one scheduler pass, on SQLite with a fixed
clock and an in-memory sender."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from navigator.privacy import pseudonym
from navigator.reminders import texts
from navigator.reminders.scheduler import run_due
from navigator.reminders.schema import consents, reminders
from navigator.reminders.sender import SendError, Sent
from navigator.reminders.settings import ReminderSettings, ReminderSettingsError
from navigator.reminders.store import ConsentRequired, Reminder, ReminderStore, backoff_s

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2027, 1, 1, 10, 0, tzinfo=WIB)  # a fixed clock
DUE = date(2027, 1, 20)
BEFORE7_AT = datetime(2027, 1, 13, 9, 0, tzinfo=WIB)
DAY_AT = datetime(2027, 1, 20, 9, 0, tzinfo=WIB)
CITIZEN = "telegram:4242"
WORDING = "Boleh kami ingatkan batas waktunya lewat chat ini?"


def at(moment: datetime, minutes: float = 0) -> datetime:
    return moment + timedelta(minutes=minutes)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "insight.db"


@pytest.fixture
def store(db: Path) -> ReminderStore:
    return ReminderStore(path=db)


def consented(store: ReminderStore, sender: str = CITIZEN, channel: str = "telegram") -> None:
    store.grant(sender, channel, "id", WORDING, NOW)


def schedule(
    store: ReminderStore, sender: str = CITIZEN, service: str = "akta-kelahiran", due: date = DUE
) -> list[Reminder]:
    channel = sender.split(":")[0]
    return store.schedule(sender, channel, "id", service, "Akta Kelahiran", due, NOW)


# -- consent and scheduling


def test_nothing_is_scheduled_without_consent(store: ReminderStore) -> None:
    with pytest.raises(ConsentRequired):
        schedule(store)
    consented(store)
    assert store.has_consent(CITIZEN)
    with pytest.raises(ValueError, match="telegram or whatsapp"):
        store.schedule("rest:1", "rest", "id", "x", "X", DUE, NOW)


def test_schedule_makes_two_reminders_at_nine_in_jakarta(store: ReminderStore) -> None:
    consented(store)
    found = schedule(store)
    assert [(r.kind, r.due, r.status) for r in found] == [
        ("before7", DUE, "pending"),
        ("day", DUE, "pending"),
    ]
    assert [datetime.fromtimestamp(r.send_at, UTC).isoformat() for r in found] == [
        "2027-01-13T02:00:00+00:00",  # 09:00 WIB
        "2027-01-20T02:00:00+00:00",
    ]
    assert all(len(texts.payload("reminder_tomorrow", r.id).encode()) <= 64 for r in found)


def test_scheduling_is_idempotent_and_the_database_refuses_a_second_copy(
    store: ReminderStore,
) -> None:
    consented(store)
    first = schedule(store)
    assert schedule(store) == first
    assert len(store.all_pending()) == 2
    row = {**first[0].__dict__, "id": "r-duplicate0"}
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(sa.insert(reminders).values(row))
    # another due date of the same service is another reminder
    assert len(schedule(store, due=date(2027, 3, 1))) == 2


def test_a_reminder_whose_hour_has_passed_today_is_left_out(store: ReminderStore) -> None:
    consented(store)
    late = datetime(2027, 1, 13, 15, 0, tzinfo=WIB)  # the before7 day, after 09:00
    found = store.schedule(CITIZEN, "telegram", "id", "akta-kelahiran", "Akta", DUE, late)
    assert [r.kind for r in found] == ["day"]
    assert store.schedule(CITIZEN, "telegram", "id", "x", "X", DUE, at(DAY_AT, 1)) == []


def test_a_new_store_on_the_same_file_sees_the_schedule(db: Path) -> None:
    first = ReminderStore(path=db)
    consented(first)
    made = schedule(first)
    first.close()
    again = ReminderStore(path=db)  # a restart
    assert again.has_consent(CITIZEN)
    assert [r.id for r in again.all_pending()] == [r.id for r in made]
    assert [r.id for r in again.claim_due(BEFORE7_AT, "after-restart")] == [made[0].id]


def test_withdraw_deletes_the_schedule_and_keeps_only_the_consent_record(
    store: ReminderStore,
) -> None:
    consented(store)
    schedule(store)
    schedule(store, service="kia")
    sent = store.claim_due(BEFORE7_AT, "w")
    store.mark_sent(sent[0].id, "w", BEFORE7_AT)
    assert store.withdraw(CITIZEN, at(BEFORE7_AT, 5)) == 3  # four made, one already sent
    assert store.for_sender(CITIZEN) == [] and not store.has_consent(CITIZEN)
    with pytest.raises(ConsentRequired):
        schedule(store)
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(consents)).all()
    assert [(r.wording, r.withdrawn_at is not None) for r in rows] == [(WORDING, True)]
    consented(store)  # agreeing again is a new record
    assert store.has_consent(CITIZEN) and len(schedule(store)) == 2
    assert store.withdraw("telegram:nobody") == 0


def test_a_reminder_left_behind_by_a_racing_withdrawal_is_never_claimed(
    store: ReminderStore,
) -> None:
    consented(store)
    schedule(store)
    with store.engine.begin() as connection:  # consent gone, rows not (yet) deleted
        connection.execute(sa.update(consents).values(withdrawn_at=NOW.timestamp()))
    assert store.claim_due(at(DAY_AT, 1), "w") == []


def test_list_rows_carry_a_pseudonym_never_the_sender(store: ReminderStore) -> None:
    consented(store)
    row = schedule(store)[0].to_dict()
    assert set(row) == {"id", "sender_pseudonym", "channel", "service", "due", "kind"} | {
        "send_at",
        "status",
    }
    assert row["sender_pseudonym"] == pseudonym(CITIZEN) and "4242" not in str(row)


# -- claims, leases, failures


def test_claims_are_exclusive_until_the_lease_ends(store: ReminderStore) -> None:
    consented(store)
    before7, day = schedule(store)
    assert store.claim_due(at(BEFORE7_AT, -1), "a") == []  # not yet
    claimed = store.claim_due(BEFORE7_AT, "a", lease_s=300)
    assert [r.id for r in claimed] == [before7.id] and claimed[0].attempts == 1
    assert store.claim_due(at(BEFORE7_AT, 1), "b") == []
    taken = store.claim_due(at(BEFORE7_AT, 6), "b")  # a died: its lease ran out
    assert [r.id for r in taken] == [before7.id] and taken[0].attempts == 2
    assert not store.mark_sent(before7.id, "a", at(BEFORE7_AT, 7))  # no longer a's
    assert store.mark_sent(before7.id, "b", at(BEFORE7_AT, 7))
    assert store.get(before7.id).status == "sent"  # type: ignore[union-attr]
    assert store.claim_due(at(DAY_AT, 1), "c")[0].id == day.id


def test_threads_racing_for_due_reminders_claim_each_exactly_once(db: Path) -> None:
    setup = ReminderStore(path=db)
    for n in range(30):
        consented(setup, f"telegram:{n}")
        schedule(setup, f"telegram:{n}")
    stores = [ReminderStore(path=db) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    claims: list[list[str]] = []

    def claim(s: ReminderStore, owner: str) -> None:
        barrier.wait()
        claims.append([r.id for r in s.claim_due(BEFORE7_AT, owner, limit=30)])

    threads = [threading.Thread(target=claim, args=(s, f"w{i}")) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for ids in claims for i in ids]
    assert len(every) == len(set(every)) == 30


def test_failures_back_off_1_2_4_minutes_then_give_up(store: ReminderStore) -> None:
    consented(store)
    before7 = schedule(store)[0]
    moment = BEFORE7_AT
    waits = []
    for _ in range(4):
        (claimed,) = store.claim_due(moment, "w")
        assert store.mark_failed(claimed.id, "w", moment, max_attempts=5) == "pending"
        retry_at = store.get(before7.id).next_attempt_at  # type: ignore[union-attr]
        waits.append(retry_at - moment.timestamp())
        assert store.claim_due(moment + timedelta(seconds=waits[-1] - 1), "w") == []
        moment += timedelta(seconds=waits[-1])
    assert waits == [60, 120, 240, 480]
    (claimed,) = store.claim_due(moment, "w")
    assert claimed.attempts == 5
    assert store.mark_failed(claimed.id, "w", moment, max_attempts=5) == "failed"
    assert store.claim_due(moment + timedelta(days=1), "w") == []
    assert backoff_s(1) == 60 and backoff_s(20) == 3600


def test_a_permanent_failure_gives_up_at_once(store: ReminderStore) -> None:
    consented(store)
    schedule(store)
    (claimed,) = store.claim_due(BEFORE7_AT, "w")
    assert store.mark_failed(claimed.id, "w", BEFORE7_AT, permanent=True) == "failed"
    assert store.mark_failed(claimed.id, "w", BEFORE7_AT) is None  # not held any more


# -- the citizen's buttons


def test_done_cancels_the_rest_of_that_service(store: ReminderStore) -> None:
    consented(store)
    before7, day = schedule(store)
    other = schedule(store, service="kia", due=date(2027, 2, 1))
    (claimed,) = store.claim_due(BEFORE7_AT, "w")
    store.mark_sent(claimed.id, "w", BEFORE7_AT)
    assert store.done(CITIZEN, "akta-kelahiran") == 1
    status = {r.id: r.status for r in store.for_sender(CITIZEN)}
    assert status[before7.id] == "done" and status[day.id] == "cancelled"
    assert [status[r.id] for r in other] == ["pending", "pending"]
    kia_before7 = datetime(2027, 1, 25, 9, tzinfo=WIB)
    assert [r.service for r in store.claim_due(kia_before7, "w")] == ["kia"]


def test_snooze_reminds_again_tomorrow_at_nine_once(store: ReminderStore) -> None:
    consented(store)
    before7, day = schedule(store)
    (claimed, *_) = store.claim_due(BEFORE7_AT, "w")
    store.mark_sent(claimed.id, "w", BEFORE7_AT)
    pressed = at(BEFORE7_AT, 30)
    tomorrow = store.snooze(before7.id, pressed)
    assert tomorrow is not None and tomorrow.kind == "tomorrow" and tomorrow.status == "pending"
    assert tomorrow.send_at == datetime(2027, 1, 14, 9, tzinfo=WIB).timestamp()
    assert store.snooze(before7.id, at(pressed, 1)) == tomorrow  # pressed twice: one reminder
    # sent the next day and snoozed again: the same row moves on by a day
    (again,) = store.claim_due(datetime(2027, 1, 14, 9, tzinfo=WIB), "w")
    store.mark_sent(again.id, "w")
    later = store.snooze(again.id, datetime(2027, 1, 14, 10, tzinfo=WIB))
    assert later is not None and later.id == tomorrow.id and later.status == "pending"
    assert later.send_at == datetime(2027, 1, 15, 9, tzinfo=WIB).timestamp()
    # the evening before the due date: tomorrow's reminder is the one on the day
    assert store.snooze(before7.id, datetime(2027, 1, 19, 20, tzinfo=WIB)) == store.get(day.id)
    # on the day, tomorrow is too late
    assert store.snooze(day.id, at(DAY_AT, 5)) is None
    store.done(CITIZEN, "akta-kelahiran")
    assert store.snooze(before7.id, pressed) is None


def test_purge_deletes_rows_long_past_their_due_date(store: ReminderStore) -> None:
    consented(store)
    schedule(store)
    assert store.purge(datetime(2027, 2, 19, tzinfo=WIB)) == 0
    assert store.purge(datetime(2027, 2, 20, tzinfo=WIB)) == 2


# -- texts and settings


def test_texts_in_indonesian_and_english() -> None:
    assert texts.long_date(date(2027, 1, 12)) == "12 Januari 2027"
    assert texts.long_date(date(2027, 8, 5), "en") == "5 August 2027"
    assert texts.long_date(date(2027, 8, 5), "en_US") == "5 August 2027"
    early = texts.message("Akta Kelahiran", DUE, date(2027, 1, 13))
    assert early == (
        "Pengingat: batas waktu Akta Kelahiran jatuh pada 20 Januari 2027 (7 hari lagi).\n"
        "Balas 'berhenti' untuk berhenti menerima pengingat."
    )
    assert texts.message("Akta Kelahiran", DUE, DUE).startswith(
        "Pengingat: batas waktu Akta Kelahiran jatuh pada 20 Januari 2027, hari ini."
    )
    assert "(besok)" in texts.message("X", DUE, date(2027, 1, 19))
    english = texts.message("Birth Certificate", DUE, date(2027, 1, 13), "en")
    assert english.splitlines() == [
        "Reminder: the deadline for Birth Certificate is 20 January 2027 (7 days from now).",
        "Reply 'stop' to stop receiving reminders.",
    ]
    assert texts.buttons("r-abc", "id") == [
        ("Sudah selesai", '/reminder_done{"r":"r-abc"}'),
        ("Ingatkan besok", '/reminder_tomorrow{"r":"r-abc"}'),
    ]
    assert [t for t, _ in texts.buttons("r-abc", "en")] == ["Done", "Remind me tomorrow"]


def test_settings_from_the_environment() -> None:
    found = ReminderSettings.from_env({})
    assert (found.hour, found.timezone, found.whatsapp_template) == (
        9,
        "Asia/Jakarta",
        "navigator_reminder",
    )
    custom = ReminderSettings.from_env(
        {
            "REMINDER_HOUR": "8",
            "REMINDER_TIMEZONE": "Asia/Makassar",
            "WHATSAPP_REMINDER_TEMPLATE": "pengingat",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
            "RASA_URL": "http://rasa:5005/",
            "TELEGRAM_BOT_TOKEN": "123:secret-bot-token",
        }
    )
    assert (custom.hour, custom.zone, custom.whatsapp_template) == (
        8,
        ZoneInfo("Asia/Makassar"),
        "pengingat",
    )
    assert custom.rasa_url == "http://rasa:5005" and custom.telegram_token == "123:secret-bot-token"
    assert "secret-bot-token" not in repr(custom)
    for bad in ({"REMINDER_HOUR": "24"}, {"REMINDER_HOUR": "nine"}, {"REMINDER_TIMEZONE": "WIB"}):
        with pytest.raises(ReminderSettingsError):
            ReminderSettings.from_env(bad)


# -- one pass of the scheduler


class MemorySender:
    """Records what it is asked to send; fails on demand."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail: dict[str, SendError] = {}

    async def send(self, reminder: Reminder, text: str, now: float) -> Sent:
        if reminder.sender in self.fail:
            raise self.fail[reminder.sender]
        self.sent.append((reminder.sender, text))
        return Sent(reminder.channel, "buttons")


def test_run_due_sends_marks_and_backs_off(store: ReminderStore) -> None:
    for sender in ("telegram:1", "telegram:2", "telegram:3"):
        consented(store, sender)
        schedule(store, sender)
    memory = MemorySender()
    memory.fail = {"telegram:2": SendError("timed out"), "telegram:3": SendError("blocked", True)}
    report = asyncio.run(run_due(BEFORE7_AT, store, memory, "w"))
    assert (report.claimed, report.sent, report.retry, report.failed) == (3, 1, 1, 1)
    assert memory.sent == [("telegram:1", texts.message("Akta Kelahiran", DUE, BEFORE7_AT.date()))]
    assert asyncio.run(run_due(at(BEFORE7_AT, 0.5), store, memory, "w")).claimed == 0
    memory.fail = {}
    again = asyncio.run(run_due(at(BEFORE7_AT, 1), store, memory, "w"))
    assert (again.claimed, again.sent) == (1, 1)  # telegram:2 after a minute; 3 gave up
    assert [s for s, _ in memory.sent] == ["telegram:1", "telegram:2"]


def test_run_due_skips_a_reminder_whose_day_has_passed(store: ReminderStore) -> None:
    consented(store)
    schedule(store)
    memory = MemorySender()
    report = asyncio.run(run_due(datetime(2027, 1, 21, 9, tzinfo=WIB), store, memory, "w"))
    assert (report.claimed, report.sent, report.skipped) == (2, 0, 2)
    assert memory.sent == [] and store.all_pending() == []
    late = asyncio.run(run_due(datetime(2027, 1, 21, 9, tzinfo=WIB), store, memory, "w"))
    assert late.claimed == 0
    with pytest.raises(ValueError):
        asyncio.run(run_due(datetime(2027, 1, 21, 9), store, memory, "w"))


def test_migration_0004_matches_the_tables(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from navigator import migrations
    from navigator.accounts.schema import metadata as accounts_metadata
    from navigator.cases.schema import metadata as cases_metadata
    from navigator.handoffs.schema import metadata as handoffs_metadata
    from navigator.insight.schema import metadata as insight_metadata
    from navigator.reminders.schema import metadata as reminders_metadata

    store = ReminderStore(path=tmp_path / "insight.db")
    assert not store.has_consent(CITIZEN)  # first use: upgrade head
    every = [
        insight_metadata,
        accounts_metadata,
        handoffs_metadata,
        reminders_metadata,
        cases_metadata,
    ]
    with store.engine.connect() as connection:
        assert migrations.current(connection) == migrations.heads() == {"0004"}
        assert compare_metadata(MigrationContext.configure(connection), every) == []  # type: ignore[arg-type]
    store.close()
