"""A reminder along the journey, end to end: a citizen on Telegram (and on WhatsApp)
accepts a reminder for a birth on a given date; `navigator reminders run` seven days
before the 60-day deadline sends exactly one message to that citizen through the fake
Bot API (Graph API), never a second copy, and nothing after "berhenti"."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.channels.servers import wait_until
from tests.console.support import navigator
from tests.handoff.world import World

pytestmark = pytest.mark.integration

JAKARTA = ZoneInfo("Asia/Jakarta")
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"


def indonesian(date: dt.date) -> str:
    return f"{date.day} {MONTHS.split()[date.month - 1]} {date.year}"


def born() -> dt.date:
    """A birth five days ago (the conversation happens today, whatever today is)."""
    return dt.datetime.now(JAKARTA).date() - dt.timedelta(days=5)


def week_before_deadline() -> str:
    """09:00 in Jakarta seven days before the 60-day deadline, as ISO 8601."""
    due = born() + dt.timedelta(days=60)
    moment = dt.datetime.combine(due - dt.timedelta(days=7), dt.time(9, 0), JAKARTA)
    return moment.isoformat()


def run_reminders(world: World, now: str) -> dict[str, Any]:
    done = navigator(["reminders", "run", "--now", now], world.env)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def offered_buttons(world: World, chat: int) -> list[dict[str, str]]:
    for params in world.telegram.calls("sendMessage", chat):
        markup = params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup or {}
        for row in markup.get("inline_keyboard", []):
            if any("reminder_accept" in b.get("callback_data", "") for b in row):
                return list(row)
    return []


def press(world: World, chat: int, data: str) -> None:
    world.telegram.push_update(
        {
            "callback_query": {
                "id": f"cb{chat}",
                "from": {"id": chat, "is_bot": False, "first_name": "Warga"},
                "message": {
                    "message_id": 1,
                    "chat": {"id": chat, "type": "private"},
                    "date": 0,
                    "text": "(offer)",
                },
                "chat_instance": "1",
                "data": data,
            }
        }
    )


def test_a_telegram_reminder_a_week_before_the_birth_deadline(world: World) -> None:
    chat = 700_000_501
    world.tell_telegram(chat, "cara bikin akta kelahiran anak")
    buttons = wait_until(lambda: offered_buttons(world, chat), 60)
    press(world, chat, buttons[0]["callback_data"])
    wait_until(lambda: any("Kapan" in t for t in world.telegram.sent_texts(chat)), 30)
    world.tell_telegram(chat, f"lahirnya tanggal {indonesian(born())}")
    wait_until(lambda: any("Siap. Batas waktu" in t for t in world.telegram.sent_texts(chat)), 30)

    listed = navigator(["reminders", "list", "--json"], world.env)
    mine = [r for r in json.loads(listed.stdout) if r["service"] == "akta-kelahiran"]
    assert {r["kind"] for r in mine} >= {"before7", "day"}
    assert str(chat) not in listed.stdout  # pseudonyms only

    before = len(world.telegram.sent_texts(chat))
    report = run_reminders(world, week_before_deadline())
    sent = world.telegram.sent_texts(chat)[before:]
    assert len(sent) == 1 and "Pengingat" in sent[0], (report, sent)
    run_reminders(world, week_before_deadline())  # again: no second copy
    assert len(world.telegram.sent_texts(chat)) == before + 1
    world.tell_telegram(chat, "/berhenti")
    wait_until(lambda: any("dihentikan" in t for t in world.telegram.sent_texts(chat)), 30)
    stopped = len(world.telegram.sent_texts(chat))
    run_reminders(world, (born() + dt.timedelta(days=60)).isoformat() + "T09:00:00+07:00")
    assert len(world.telegram.sent_texts(chat)) == stopped  # none after berhenti


def test_one_whatsapp_reminder_then_berhenti_stops_the_rest(world: World) -> None:
    wa_id = "6281299900501"
    world.tell_whatsapp(wa_id, "cara bikin akta kelahiran anak")

    def offer() -> str | None:
        for p in world.graph.sent(wa_id):
            for b in p.get("interactive", {}).get("action", {}).get("buttons", []):
                if "reminder_accept" in b["reply"]["id"]:
                    return str(b["reply"]["id"])
        return None

    payload = wait_until(offer, 60)
    world.press_whatsapp(wa_id, payload, "Ya, ingatkan saya")
    wait_until(lambda: "Kapan" in json.dumps(world.graph.sent(wa_id)), 30)
    world.tell_whatsapp(wa_id, indonesian(born()))
    wait_until(lambda: "Siap. Batas waktu" in json.dumps(world.graph.sent(wa_id)), 30)
    before = len(world.graph.sent(wa_id))
    run_reminders(world, week_before_deadline())
    sent = world.graph.sent(wa_id)[before:]
    # seven weeks after the citizen's last message: outside the 24-hour window
    assert [p["type"] for p in sent] == ["template"], sent
    world.tell_whatsapp(wa_id, "berhenti")
    wait_until(lambda: "Pengingat dihentikan" in json.dumps(world.graph.sent(wa_id)), 30)
    before = len(world.graph.sent(wa_id))
    on_the_day = (born() + dt.timedelta(days=60)).isoformat() + "T09:00:00+07:00"
    run_reminders(world, on_the_day)
    assert len(world.graph.sent(wa_id)) == before


def test_over_the_rest_channel_with_the_adapters_sender_id(world: World) -> None:
    """The same conversation straight over Rasa's REST channel, as an adapter would send
    it (sender ``telegram:<chat>``, channel metadata): the reminder reaches the Bot API."""
    chat = 700_000_503
    sender = f"telegram:{chat}"
    url = f"{world.rasa}/webhooks/rest/webhook"
    meta = {"channel": "telegram", "language": "id"}

    def say(text: str) -> list[dict[str, Any]]:
        reply = httpx.post(
            url, json={"sender": sender, "message": text, "metadata": meta}, timeout=30
        )
        return list(reply.json())

    offer = [b for m in say("cara bikin akta kelahiran anak") for b in m.get("buttons") or []]
    accept = next(b["payload"] for b in offer if "reminder_accept" in b["payload"])
    assert any("Kapan" in (m.get("text") or "") for m in say(accept))
    assert any("Siap" in (m.get("text") or "") for m in say(indonesian(born())))
    before = len(world.telegram.sent_texts(chat))
    run_reminders(world, week_before_deadline())
    assert len(world.telegram.sent_texts(chat)) == before + 1


def test_a_case_code_from_the_chat_opens_in_the_console(world: World, browser: Any) -> None:
    """ "ringkasan" on Telegram gives a code; an agent opens it in Chromium and sees the
    journey's checklist."""
    from tests.handoff.test_two_party import log_in

    chat = 700_000_502
    world.tell_telegram(chat, "cara bikin akta kelahiran anak")
    wait_until(lambda: any("AKTA KELAHIRAN" in t for t in world.telegram.sent_texts(chat)), 60)
    world.tell_telegram(chat, "/ringkasan")
    said = wait_until(lambda: [t for t in world.telegram.sent_texts(chat) if "NAV-" in t], 30)
    code = next(w.strip(".,():") for w in said[0].split() if w.startswith("NAV-"))
    page = log_in(browser, world)
    page.goto(f"{world.console}/cases/{code}")
    page.wait_for_selector(".case-code")
    assert page.inner_text(".case-code") == code
    assert "Akta Kelahiran" in page.inner_text(".case-list")
    assert page.locator("img.case-qr").count() == 1
    assert page.errors == []
