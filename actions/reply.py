"""What an action reads (:class:`Turn`) and what it answers (:class:`Reply`), with buttons."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from actions.texts import Lang
from embeddings.engine import SearchEngine, SearchResult
from navigator.kb import render
from navigator.kb.schema import Service


@dataclass
class Turn:
    """What an action knows about the message it answers."""

    text: str
    intent: str
    entities: dict[str, list[str]] = field(default_factory=dict)
    entity_texts: dict[str, list[str]] = field(default_factory=dict)  # as typed
    focus: str | None = None  # slot `service`
    life_event: str | None = None  # slot `life_event`
    lang: str | None = None  # slot `lang`
    lang_hint: str | None = None  # the adapter's language setting (metadata)
    intent_ranking: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)  # slot `seen`: services answered, in order
    strikes: int = 0  # slot `strikes`: replies in a row that did not help
    offered: list[str] = field(default_factory=list)  # slot `offered`: a journey's buttons
    region: str | None = None  # slot `region`: Kemendagri code of the citizen's kabupaten/kota
    region_ktp: str | None = None  # slot `region_ktp`: the ID card's, when named apart
    reminder_offered: list[str] = field(default_factory=list)  # slot: services offered one
    reminder_open: str | None = None  # slot: the service whose reminder was just offered
    reminder_pending: str | None = None  # slot: yes given, waiting for the date

    @property
    def is_payload(self) -> bool:
        """A button payload (``/intent{...}``) rather than typed text."""
        return self.text.startswith("/")

    def entity(self, name: str) -> str | None:
        """The entity's value when it has exactly one distinct value."""
        values = list(dict.fromkeys(self.entities.get(name, [])))
        return values[0] if len(values) == 1 else None


@dataclass
class Message:
    """One bot message for the REST channel."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        # Rasa's REST channel splits a text at blank lines into separate chat bubbles
        self.text = re.sub(r"\n\s*\n+", "\n", self.text.strip())


@dataclass
class Note:
    """A query for the editors' insight store."""

    reason: str
    query: str
    results: list[dict[str, Any]]
    confidence: float | None = None
    life_event: str | None = None


@dataclass
class Reply:
    """Messages, slots to set, and optionally a note for editors."""

    messages: list[Message]
    slots: dict[str, Any] = field(default_factory=dict)
    note: Note | None = None
    handoff: str | None = None  # an agent should see this: asked, unhelped, frustrated, complaint

    def services(self) -> list[str]:
        """Service ids this reply offers (answered or as buttons)."""
        found: list[str] = []
        for message in self.messages:
            if message.custom and message.custom.get("service"):
                found.append(str(message.custom["service"]))
            for button in message.buttons:
                sid = service_of_payload(button["payload"])
                if sid:
                    found.append(sid)
        return list(dict.fromkeys(found))


def service_button(service: Service, lang: Lang, prefix: str = "") -> dict[str, str]:
    """A button that opens a service; the payload stays under 64 bytes."""
    payload = "/choose_service" + json.dumps({"service": service.id}, separators=(",", ":"))
    return {"title": f"{prefix}{render.title(service, lang)}", "payload": payload}


def event_button(engine: SearchEngine, event_id: str, lang: Lang) -> dict[str, str]:
    """A button that opens a life event's journey."""
    event = engine.kb.life_events[event_id]
    payload = "/choose_life_event" + json.dumps({"life_event": event_id}, separators=(",", ":"))
    return {"title": event.name_en if lang == "en" else event.name, "payload": payload}


def service_of_payload(payload: str) -> str | None:
    """The service id a ``/choose_service{...}`` payload opens."""
    if not payload.startswith("/choose_service"):
        return None
    try:
        value = json.loads(payload[len("/choose_service") :]).get("service")
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None


def results_of(result: SearchResult, n: int = 3) -> list[dict[str, Any]]:
    """Top hits as ``{"id", "score"}`` for the insight store."""
    return [{"id": h.id, "score": h.score} for h in result.hits[:n]]
