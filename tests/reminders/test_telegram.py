"""Reminders to Telegram through the real command against the fake Bot API: two
processes at the same moment send each reminder once; withdrawn consent sends nothing;
the Bot API's refusals back off or give up; the worker stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from starlette.responses import Response

from navigator.privacy import pseudonym
from navigator.reminders import texts
from navigator.reminders.schema import reminders
from navigator.reminders.store import ReminderStore
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.servers import wait_until
from tests.reminders.conftest import Served, serve
from tests.reminders.support import reminder_env, run, start

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2027, 1, 1, 10, 0, tzinfo=WIB)
DUE = date(2027, 1, 20)
BEFORE7 = "2027-01-13T09:00:00+07:00"


def env_for(db: Path, telegram_api: Served) -> dict[str, str]:
    return reminder_env(db, TELEGRAM_API_BASE_URL=f"{telegram_api.url}/bot")


def fake(telegram_api: Served) -> FakeTelegram:
    assert isinstance(telegram_api.fake, FakeTelegram)
    return telegram_api.fake


def citizens(store: ReminderStore, chats: range, language: str = "id") -> None:
    for chat in chats:
        sender = f"telegram:{chat}"
        store.grant(sender, "telegram", language, "Boleh kami ingatkan?", NOW)
        store.schedule(sender, "telegram", language, "akta-kelahiran", "Akta Kelahiran", DUE, NOW)


class RacingTelegram(FakeTelegram):
    """The fake Bot API holding each process's first call (``getMe``, made after its first
    claim) until two are waiting at once (at most 4 s: python-telegram-bot gives up after
    5), and taking 10 ms per message: two ``run`` processes then claim and send side by
    side, however long each took to start."""

    HOLD_S = 4.0

    def __init__(self) -> None:
        super().__init__()
        self.waiting = 0
        self.met = False

    async def _m_getMe(self, params: dict[str, Any]) -> Response:
        self.waiting += 1
        deadline = time.monotonic() + self.HOLD_S
        try:
            while not self.met and time.monotonic() < deadline:
                self.met = self.waiting >= 2
                await asyncio.sleep(0.005)
        finally:
            self.waiting -= 1
        return await super()._m_getMe(params)

    async def _m_sendMessage(self, params: dict[str, Any]) -> Response:
        await asyncio.sleep(0.01)
        return await super()._m_sendMessage(params)


def race(tmp_path: Path) -> tuple[list[dict[str, Any]], RacingTelegram, ReminderStore, Path]:
    """Two ``run`` processes at the same moment over 60 due reminders on one database."""
    telegram = RacingTelegram()
    serving = serve(telegram)
    served = next(serving)
    db = tmp_path / "insight.db"
    store = ReminderStore(path=db)
    citizens(store, CHATS[:50])
    citizens(store, CHATS[50:], "en")
    env = env_for(db, served)
    # small batches: each process claims three, sends them, claims again
    children = [start(["run", "--now", BEFORE7, "--batch", "3"], env) for _ in range(2)]
    reports = []
    try:
        for child in children:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            reports.append(json.loads(out))
    finally:
        serving.close()  # stops the server; the fake keeps what it received
    return reports, telegram, store, db


CHATS = range(710_000, 710_060)


def test_two_processes_at_the_same_moment_send_each_reminder_once(tmp_path: Path) -> None:
    for attempt in range(3):  # a machine too busy to start both within 4 s: again
        reports, bot, store, db = race(tmp_path / str(attempt))
        assert sum(r["sent"] for r in reports) == 60 and sum(r["claimed"] for r in reports) == 60
        for chat in CHATS:
            assert len(bot.calls("sendMessage", chat)) == 1, f"chat {chat}: not one message"
        if all(r["sent"] > 0 for r in reports):
            break
    assert all(r["sent"] > 0 for r in reports), reports  # they did race
    assert all(r["now"] == "2027-01-13T09:00:00+07:00" for r in reports)
    before7 = {r.sender: r for r in store.all_reminders() if r.kind == "before7"}
    for chat in CHATS:
        (call,) = bot.calls("sendMessage", chat)
        reminder = before7[f"telegram:{chat}"]
        assert reminder.status == "sent"
        language = "en" if chat in CHATS[50:] else "id"
        assert call["text"] == texts.message("Akta Kelahiran", DUE, date(2027, 1, 13), language)
        (row,) = call["reply_markup"]["inline_keyboard"]
        assert [(b["text"], b["callback_data"]) for b in row] == texts.buttons(
            reminder.id, language
        )
    assert bot.calls("sendMessage", CHATS[0])[0]["text"].startswith(
        "Pengingat: batas waktu Akta Kelahiran jatuh pada 20 Januari 2027 (7 hari lagi)."
    )
    assert [b["text"] for b in row] == ["Done", "Remind me tomorrow"]


def test_withdrawn_consent_sends_nothing_and_a_second_run_nothing_more(
    tmp_path: Path, telegram_api: Served
) -> None:
    db = tmp_path / "insight.db"
    store = ReminderStore(path=db)
    citizens(store, range(720_000, 720_002))
    assert store.withdraw("telegram:720000") == 2
    env = env_for(db, telegram_api)
    report = run(["run", "--now", BEFORE7], env)
    assert (report["claimed"], report["sent"]) == (1, 1)
    assert fake(telegram_api).calls("sendMessage", 720_000) == []
    assert len(fake(telegram_api).calls("sendMessage", 720_001)) == 1
    assert run(["run", "--now", BEFORE7], env)["claimed"] == 0  # the same moment again


def test_list_shows_the_schedule_under_pseudonyms(tmp_path: Path, telegram_api: Served) -> None:
    db = tmp_path / "insight.db"
    citizens(ReminderStore(path=db), range(730_000, 730_001))
    rows: Any = run(["list", "--json"], env_for(db, telegram_api))
    assert [(r["kind"], r["due"], r["status"], r["send_at"]) for r in rows] == [
        ("before7", "2027-01-20", "pending", "2027-01-13T02:00:00+00:00"),
        ("day", "2027-01-20", "pending", "2027-01-20T02:00:00+00:00"),
    ]
    assert {r["sender_pseudonym"] for r in rows} == {pseudonym("telegram:730000")}
    assert "730000" not in json.dumps(rows)


def test_refusals_back_off_or_give_up(tmp_path: Path, telegram_api: Served) -> None:
    db = tmp_path / "insight.db"
    store = ReminderStore(path=db)
    citizens(store, range(740_000, 740_002))
    env = env_for(db, telegram_api)
    bot = fake(telegram_api)
    bot.fail_next("sendMessage", 502, "Bad Gateway")  # the first of the two sends
    bot.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")  # the second
    first = run(["run", "--now", BEFORE7], env)
    assert (first["claimed"], first["sent"], first["retry"], first["failed"]) == (2, 0, 1, 1)
    statuses = {r.sender: r.status for r in store.all_reminders() if r.kind == "before7"}
    assert sorted(statuses.values()) == ["failed", "pending"]
    (retried,) = [s for s, status in statuses.items() if status == "pending"]
    assert run(["run", "--now", "2027-01-13T09:01:00+07:00"], env)["sent"] == 1  # a minute on
    chat = int(retried.partition(":")[2])
    assert len(bot.calls("sendMessage", chat)) == 1
    assert len(bot.calls("sendMessage", chat, failed=True)) == 2


def test_the_worker_sends_with_the_clock_and_stops_on_sigterm(
    tmp_path: Path, telegram_api: Served
) -> None:
    db = tmp_path / "insight.db"
    store = ReminderStore(path=db)
    today = datetime.now(WIB).date()
    sender = "telegram:750000"
    store.grant(sender, "telegram", "id", "Boleh kami ingatkan?", NOW)
    yesterday = datetime.now(WIB) - timedelta(days=1)
    made = store.schedule(
        sender,
        "telegram",
        "id",
        "kia",
        "Kartu Identitas Anak",
        today + timedelta(days=7),
        yesterday,
    )
    with store.engine.begin() as connection:  # due a moment ago, whatever the hour
        connection.execute(
            sa.update(reminders)
            .where(reminders.c.id == made[0].id)
            .values(next_attempt_at=time.time() - 1)
        )
    child = start(["worker", "--every", "0.2"], env_for(db, telegram_api))
    try:
        wait_until(lambda: fake(telegram_api).calls("sendMessage", 750_000), timeout=30)
        wait_until(lambda: store.get(made[0].id).status == "sent", timeout=10)  # type: ignore[union-attr]
    finally:
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=15)
    assert child.returncode == 0, err
    assert "reminder worker stopped" in err
    assert "750000" not in err and fake(telegram_api).token not in err
    assert len(fake(telegram_api).calls("sendMessage", 750_000)) == 1


@pytest.mark.parametrize("moment", ["2027-13-01", "yesterday"])
def test_run_refuses_a_moment_that_is_not_iso_8601(
    tmp_path: Path, telegram_api: Served, moment: str
) -> None:
    child = start(["run", "--now", moment], env_for(tmp_path / "insight.db", telegram_api))
    _, err = child.communicate(timeout=60)
    assert child.returncode == 2 and "ISO 8601" in err
