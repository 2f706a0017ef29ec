"""One turn, in the order the decisions are taken.

1. A reminder turn (the offer's answer, the date, "berhenti", "privasi", a reminder's
   button) or "ringkasan": answered as such (:mod:`actions.reminders`, :mod:`actions.cases`).
2. The region the message names or the location shared (:mod:`actions.place`), then the
   answer the action asked for (:func:`actions.answers.respond`, which checks injection,
   a request for a person and small talk first), with the region's own places.
3. Side parts of the reply: the agents' queue for a handoff (:mod:`actions.handoff`) with
   a case code, and the reminder offer for a service with a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from actions import cases, handoff, place, reminders
from actions.answers import respond
from actions.chat import seen_with
from actions.cues import cues_of
from actions.followups import answer_follow_up
from actions.reply import Reply, Turn
from embeddings.engine import SearchEngine

Answer = Callable[[SearchEngine, Turn], Reply]


@dataclass(frozen=True)
class Context:
    """Who the turn is from (for the side effects), never shown in replies."""

    sender: str = ""
    channel: str = "rest"
    last_question: str = ""  # the citizen's message before this one


def answer_with_region(engine: SearchEngine, turn: Turn, answer: Answer) -> Reply:
    """``respond``, with the region the message names (or the location shared) read first:
    a message that is only a place answers "where" about the focus (or notes the region),
    and a reply that shows a service's places gets the region's own."""
    found = place.read(engine, turn)
    if found is not None:
        turn = replace(turn, region=found.code, region_ktp=found.ktp)
    cues = cues_of(engine)
    lang = cues.language(turn)
    if found is not None and found.only and turn.focus in engine.kb.services:
        reply = respond(engine, replace(turn, intent="ask_where"), answer_follow_up)
    elif found is not None and found.only:
        reply = place.noted(engine, found, lang)
        reply.slots["lang"] = lang
    else:
        reply = respond(engine, turn, answer)
    if found is not None:
        reply.slots.update(place.slots_of(found))
    asked = turn.intent in ("ask_where", "share_location") or cues.aspect_of(turn.text) == "where"
    return place.with_region(engine, turn, reply, lang, asked or bool(found and found.only))


def answer_turn(engine: SearchEngine, turn: Turn, answer: Answer, context: Context) -> Reply:
    """The reply to one turn, with its side effects done."""
    cues = cues_of(engine)
    lang = cues.language(turn)
    special = reminders.handle(engine, turn, context.sender, context.channel, lang)
    if special is not None:
        return special
    if not turn.is_payload and cues.command(turn.text) == "summary":
        return cases.make(engine, turn, context.sender, lang, context.last_question)
    reply = answer_with_region(engine, turn, answer)
    focus = reply.slots.get("service")
    if focus and "seen" not in reply.slots:  # a journey's guess: "the first one" is it
        reply.slots["seen"] = seen_with(turn, str(focus))
    lang = "en" if (reply.slots.get("lang") or turn.lang) == "en" else "id"
    if reply.handoff is not None:
        reply = handoff.enqueue(
            engine,
            reply,
            sender=context.sender,
            channel=context.channel,
            text=turn.text,
            lang=lang,
            life_event=reply.slots.get("life_event") or turn.life_event,
            service=reply.slots.get("service") or turn.focus,
        )
        reply = cases.for_handoff(engine, turn, reply, context.sender, lang, turn.text)
    if turn.reminder_open and "reminder_open" not in reply.slots:
        reply.slots["reminder_open"] = None  # the offer was for the last turn only
    return reminders.offer(engine, turn, reply, context.channel, context.sender)
