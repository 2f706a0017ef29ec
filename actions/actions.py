"""Thin rasa-sdk actions: read the tracker, ask :mod:`actions.answers`, send the reply."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.answers import (
    answer_clarify,
    answer_event,
    answer_out_of_scope,
    answer_person,
    answer_service,
    answer_smalltalk,
)
from actions.followups import answer_follow_up
from actions.pipeline import Context, answer_turn
from actions.reply import Reply, Turn
from embeddings.engine import SearchEngine

logger = logging.getLogger(__name__)

Answer = Callable[[SearchEngine, Turn], Reply]


def read_turn(tracker: Tracker) -> Turn:
    """The latest message and the conversation's slots as a :class:`Turn`."""
    message = tracker.latest_message or {}
    entities: dict[str, list[str]] = {}
    typed: dict[str, list[str]] = {}
    for entity in message.get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if name and value is not None:
            entities.setdefault(str(name), []).append(str(value))
            if entity.get("text"):
                typed.setdefault(str(name), []).append(str(entity["text"]))
    metadata = message.get("metadata") or {}
    ranking = [str(i.get("name")) for i in message.get("intent_ranking") or [] if i.get("name")]
    return Turn(
        text=str(message.get("text") or ""),
        intent=str((message.get("intent") or {}).get("name") or ""),
        entities=entities,
        entity_texts=typed,
        focus=tracker.get_slot("service"),
        life_event=tracker.get_slot("life_event"),
        lang=tracker.get_slot("lang"),
        lang_hint=metadata.get("language") if isinstance(metadata, dict) else None,
        intent_ranking=ranking,
        seen=[str(s) for s in tracker.get_slot("seen") or []],
        strikes=int(tracker.get_slot("strikes") or 0),
        offered=[str(s) for s in tracker.get_slot("offered") or []],
        region=tracker.get_slot("region"),
        region_ktp=tracker.get_slot("region_ktp"),
        reminder_offered=[str(s) for s in tracker.get_slot("reminder_offered") or []],
        reminder_open=tracker.get_slot("reminder_open"),
        reminder_pending=tracker.get_slot("reminder_pending"),
    )


def last_question(tracker: Tracker) -> str:
    """The citizen's typed message before the latest one (for a case code)."""
    said = [
        str(e.get("text") or "")
        for e in tracker.events
        if e.get("event") == "user" and not str(e.get("text") or "").startswith("/")
    ]
    return said[-2] if len(said) >= 2 else ""


def channel_of(tracker: Tracker) -> str:
    """The channel for the insight store: the adapter's metadata, else Rasa's input channel."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    return str(channel or tracker.get_latest_input_channel() or "rest")


def deliver(reply: Reply, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Send the messages, record the note for editors, return the slot events."""
    for message in reply.messages:
        if message.custom:  # what the message answers goes before its text and buttons,
            # so that a reader of the reply in order (a tool, an evaluation) meets the
            # service answered before the alternatives offered with it
            dispatcher.utter_message(json_message=message.custom)
        kwargs: dict[str, Any] = {"text": message.text}
        if message.buttons:
            kwargs["buttons"] = message.buttons
        dispatcher.utter_message(**kwargs)
    store = runtime.current().insight
    if reply.note is not None and store is not None:
        note = reply.note
        try:
            store.record(
                channel=channel_of(tracker),
                reason=note.reason,
                query=note.query,
                results=note.results,
                confidence=note.confidence,
                life_event=note.life_event,
            )
        except (OSError, ValueError) as exc:  # database errors: runtime.GuardedInsight
            logger.warning("could not record a %s query: %s", note.reason, exc)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


class _EngineAction(Action):
    """Runs one ``answer_*`` function (:mod:`actions.answers`, ``followups``, ``journeys``)."""

    action_name = ""
    answer: Answer

    def name(self) -> str:
        """The action's name in the domain."""
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer the latest message."""
        engine = runtime.current().engine
        turn = read_turn(tracker)
        context = Context(tracker.sender_id, channel_of(tracker), last_question(tracker))
        reply = answer_turn(engine, turn, type(self).answer, context)
        return deliver(reply, dispatcher, tracker)


class ActionSmalltalk(_EngineAction):
    """Greeting, help, thanks and goodbye."""

    action_name = "action_smalltalk"
    answer = staticmethod(answer_smalltalk)


class ActionLifeEvent(_EngineAction):
    """Confirm a life event and show its journey."""

    action_name = "action_life_event"
    answer = staticmethod(answer_event)


class ActionAnswerService(_EngineAction):
    """Answer a direct question or a picked service."""

    action_name = "action_answer_service"
    answer = staticmethod(answer_service)


class ActionFollowUp(_EngineAction):
    """Requirements, fee, where, time, steps, late, next of the service in focus."""

    action_name = "action_follow_up"
    answer = staticmethod(answer_follow_up)


class ActionClarify(_EngineAction):
    """Low NLU confidence: search decides, or ask back with life events."""

    action_name = "action_clarify"
    answer = staticmethod(answer_clarify)


class ActionOutOfScope(_EngineAction):
    """Polite refusal; never a procedure."""

    action_name = "action_out_of_scope"
    answer = staticmethod(answer_out_of_scope)


class ActionHandoff(_EngineAction):
    """Call-centre and complaint route; marks the conversation for agents."""

    action_name = "action_handoff"
    answer = staticmethod(answer_person)


class ActionReminder(_EngineAction):
    """A reminder's buttons (accept, decline, done, tomorrow): :mod:`actions.reminders`
    answers them before any answer function; small talk only if its store is gone."""

    action_name = "action_reminder"
    answer = staticmethod(answer_smalltalk)
