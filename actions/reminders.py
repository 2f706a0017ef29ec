"""Reminders before a deadline, with consent: the offer, the yes, the date, the stop.

- When a Telegram or WhatsApp citizen gets a service whose legal deadline has a number
  (``deadline.within``), the bot offers a reminder once per service, with two buttons.
- On a clear yes (the button, or a whole-message "iya" right after the offer) it asks for
  the date the deadline counts from ("kapan tanggal kelahiran anak?"), reads it
  (``dateparser``, Indonesian and English, day before month), computes the due date
  (:mod:`navigator.reminders.deadlines`: calendar or working days with the national
  holidays) and schedules the reminders. The consent is recorded with its time, the
  words of the offer, and the channel.
- "berhenti" / "stop" (the whole message) withdraws every consent and deletes the
  schedule; "privasi" (``/privasi`` on Telegram) lists what is stored; a reminder's
  buttons stop that service's reminders or ask again tomorrow.
A database that is down gets a polite line and a log line, never a crash.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any
from zoneinfo import ZoneInfo

from actions import runtime
from actions.reply import Message, Reply, Turn
from actions.texts import Lang, say
from embeddings.engine import SearchEngine
from navigator.kb import render
from navigator.kb.schema import Service
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

CHANNELS = ("telegram", "whatsapp")
JAKARTA = ZoneInfo("Asia/Jakarta")
MONTHS_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


def day(date: dt.date, lang: Lang) -> str:
    """``12 Januari 2027`` (or ``12 January 2027``)."""
    if lang == "en":
        return f"{date.day} {date.strftime('%B')} {date.year}"
    return f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}"


def today() -> dt.date:
    """Today in Jakarta."""
    return dt.datetime.now(JAKARTA).date()


def _payload(turn: Turn, name: str) -> dict[str, Any] | None:
    if not turn.text.startswith(f"/{name}"):
        return None
    try:
        found = json.loads(turn.text[len(name) + 1 :] or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def offerable(service: Service | None) -> bool:
    """A service whose deadline a date can be computed for."""
    return service is not None and service.deadline is not None and bool(service.deadline.within)


def offer(engine: SearchEngine, turn: Turn, reply: Reply, channel: str, sender: str) -> Reply:
    """Add the reminder offer to a reply that answered a service with a deadline (once
    per service and conversation, on channels the bot can write to later)."""
    store = runtime.current().reminders
    if (
        store is None
        or channel not in CHANNELS
        or turn.is_payload
        and turn.intent != "choose_service"
    ):
        return reply
    answered = [m.custom["service"] for m in reply.messages if m.custom and m.custom.get("service")]
    service = engine.kb.services.get(answered[0]) if answered else None
    if service is None or not offerable(service) or service.id in turn.reminder_offered:
        return reply
    if len(reply.messages) < 2:
        return reply  # a follow-up (one message) does not offer; the full card does
    assert service.deadline is not None
    try:
        if any(r.service == service.id for r in store.for_sender(sender)):
            return reply
    except Exception as exc:  # noqa: BLE001 - the answer goes out without the offer
        logger.warning("reminders unavailable for %s: %s", pseudonym(sender), type(exc).__name__)
        return reply
    lang: Lang = "en" if reply.slots.get("lang", turn.lang) == "en" else "id"
    text = say("reminder_offer", lang, title=render.title(service, lang))
    buttons = [
        {
            "title": say("reminder_yes", lang),
            "payload": f'/reminder_accept{{"service":"{service.id}"}}',
        },
        {"title": say("reminder_no", lang), "payload": "/reminder_decline"},
    ]
    reply.messages.append(Message(text, buttons=buttons, custom={"reply": "reminder_offer"}))
    reply.slots["reminder_offered"] = [*turn.reminder_offered, service.id]
    reply.slots["reminder_open"] = service.id
    return reply


def handle(engine: SearchEngine, turn: Turn, sender: str, channel: str, lang: Lang) -> Reply | None:
    """A reminder turn (accept, decline, the date, stop, privacy, a reminder's button),
    or None when the message is something else."""
    store = runtime.current().reminders
    if store is None:
        return None
    command = None if turn.is_payload else runtime_cues(engine).command(turn.text)
    accept = _payload(turn, "reminder_accept")
    if accept is None and turn.reminder_open and command == "yes":
        accept = {"service": turn.reminder_open}
    try:
        if accept is not None:
            return _ask_date(engine, str(accept.get("service") or ""), lang)
        if _payload(turn, "reminder_decline") is not None or (
            turn.reminder_open and command == "no"
        ):
            return Reply([Message(say("reminder_declined", lang))], {"reminder_open": None})
        if command == "stop":
            removed = store.withdraw(sender)
            key = "reminder_stopped" if removed or store.has_consent(sender) else "reminder_none"
            return Reply([Message(say(key, lang, n=str(removed)))], {"reminder_pending": None})
        if command == "privacy":
            return _privacy(engine, turn, store, sender, lang)
        if (done := _payload(turn, "reminder_done")) is not None:
            return _done(engine, store, sender, str(done.get("r") or ""), lang)
        if (later := _payload(turn, "reminder_tomorrow")) is not None:
            store.snooze(str(later.get("r") or ""), dt.datetime.now(dt.UTC).timestamp())
            return Reply([Message(say("reminder_snoozed", lang))])
        if turn.reminder_pending and not turn.is_payload:
            return _dated(engine, turn, store, sender, channel, lang)
    except Exception as exc:  # noqa: BLE001 - database down: a polite line, never silence
        logger.warning("reminder turn for %s failed: %s", pseudonym(sender), type(exc).__name__)
        return Reply([Message(say("reminder_unavailable", lang))])
    return None


def runtime_cues(engine: SearchEngine) -> Any:
    from actions.cues import cues_of

    return cues_of(engine)


def _ask_date(engine: SearchEngine, service_id: str, lang: Lang) -> Reply:
    service = engine.kb.services.get(service_id)
    if not offerable(service):
        return Reply([Message(say("reminder_declined", lang))], {"reminder_open": None})
    assert service is not None and service.deadline is not None
    counted = service.deadline.counted_from_en if lang == "en" else service.deadline.counted_from
    text = say("reminder_ask_date", lang, counted_from=str(counted))
    return Reply([Message(text)], {"reminder_open": None, "reminder_pending": service.id})


def read_date(engine: SearchEngine, text: str, base: dt.date) -> dt.date | None:
    """The date a message gives ("20 november", "kemarin", "05/11/2026"), or None."""
    from dateparser.search import search_dates

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time(12)),
        "REQUIRE_PARTS": ["day"],
    }
    for form in (text, runtime_cues(engine).spell(text)):
        found = search_dates(form, languages=["id", "en"], settings=settings)  # type: ignore[arg-type]
        if found:
            return found[0][1].date()
    return None


def _dated(
    engine: SearchEngine, turn: Turn, store: Any, sender: str, channel: str, lang: Lang
) -> Reply | None:
    from navigator.reminders.deadlines import due_date, reminder_dates

    service = engine.kb.services.get(str(turn.reminder_pending))
    if not offerable(service):
        return None
    assert service is not None and service.deadline is not None
    now = today()
    anchor = read_date(engine, turn.text, now)
    if anchor is None:
        from actions.terms import named_terms

        if named_terms(engine, turn.text):  # a new question: the date can wait
            return None
        return Reply([Message(say("reminder_date_again", lang))])
    due = due_date(anchor, service.deadline)
    title = render.title(service, lang)
    if due < now:
        return Reply(
            [Message(say("reminder_past", lang, title=title, due=day(due, lang)))],
            {"reminder_pending": None},
        )
    wording = say("reminder_offer", lang, title=title)
    store.grant(sender, channel, lang, wording)
    scheduled = store.schedule(sender, channel, lang, service.id, title, due)
    dates = ", ".join(day(d, lang) for _, d in reminder_dates(due, now)) or day(due, lang)
    text = say("reminder_set", lang, title=title, due=day(due, lang), dates=dates)
    logger.info("%d reminders scheduled for %s", len(scheduled), pseudonym(sender))
    return Reply([Message(text)], {"reminder_pending": None})


def _done(engine: SearchEngine, store: Any, sender: str, reminder_id: str, lang: Lang) -> Reply:
    found = next((r for r in store.for_sender(sender) if r.id == reminder_id), None)
    if found is not None:
        store.done(sender, found.service)
    service = engine.kb.services.get(found.service) if found is not None else None
    title = render.title(service, lang) if service is not None else ""
    return Reply([Message(say("reminder_done", lang, title=title))])


def _privacy(engine: SearchEngine, turn: Turn, store: Any, sender: str, lang: Lang) -> Reply:
    lines = []
    for reminder in store.for_sender(sender):
        service = engine.kb.services.get(reminder.service)
        title = render.title(service, lang) if service is not None else reminder.service
        lines.append(f"• {title}: {day(reminder.due, lang)} ({reminder.status})")
    consent = say("privacy_consent" if store.has_consent(sender) else "privacy_no_consent", lang)
    region = say("privacy_region", lang, region=str(turn.region)) if turn.region else ""
    text = say("privacy", lang, consent=consent, reminders="\n".join(lines) or "–", region=region)
    return Reply([Message(text.strip())])
