"""A service as phone-sized chat messages, and the slots that put it in focus."""

from __future__ import annotations

from typing import Any

from actions.reply import Message, Turn, service_button, service_of_payload
from actions.texts import Lang
from embeddings.engine import SearchEngine
from navigator.kb import render
from navigator.kb.schema import Service

MAX_PLACES = 3
MAX_SEEN = 8  # services remembered for "back to the first one"


def where_text(service: Service, lang: Lang) -> str:
    """The first places to go, with their links."""
    places = []
    for place in service.where[:MAX_PLACES]:
        text = place.text_en if lang == "en" else place.text
        places.append(f"{text} ({place.url})" if place.url else text)
    label = render.LABELS["where"][lang]
    return f"{label}:\n{render.bullets(places)}"


def source_text(service: Service, lang: Lang) -> str:
    """The first source and the date the service was last checked."""
    first = service.sources[0] if service.sources else None
    label = render.LABELS["sources"][lang]
    checked = f"{render.LABELS['checked'][lang]} {service.last_checked.isoformat()}"
    if first is None:
        return f"{label}: ({checked})"
    name = f"{first.title} ({first.url})" if first.url else first.title
    return f"{label}: {name}, {checked}"


def service_messages(
    engine: SearchEngine, service: Service, lang: Lang, extra: list[dict[str, str]] | None = None
) -> list[Message]:
    """A service as two phone-sized messages, with buttons for what comes next."""
    first = "\n\n".join(
        [
            render.title(service, lang).upper(),
            render.section(service, "summary", lang),
            render.section(service, "requirements", lang),
            render.section(service, "steps", lang),
        ]
    )
    second = "\n\n".join(
        [
            render.section(service, "fee", lang),
            render.section(service, "time", lang),
            *([render.section(service, "deadline", lang)] if service.deadline else []),
            where_text(service, lang),
            source_text(service, lang),
        ]
    )
    buttons = list(extra or [])
    following = engine.kb.next_in_journey(service.id)
    if following is not None and following.id not in {
        service_of_payload(b["payload"]) for b in buttons
    }:
        prefix = "Selanjutnya: " if lang == "id" else "Next: "
        buttons.insert(0, service_button(following, lang, prefix))
    return [
        Message(first, custom={"service": service.id}),
        Message(second, buttons=buttons),
    ]


def seen_with(turn: Turn, service_id: str) -> list[str]:
    """The services the conversation has had in focus, in order, ``service_id`` last."""
    return [sid for sid in turn.seen if sid != service_id][-(MAX_SEEN - 1) :] + [service_id]


def focus_slots(service: Service, turn: Turn, lang: Lang) -> dict[str, Any]:
    """Slots after answering ``service``: it is the focus; keep a fitting life event."""
    event = turn.life_event if turn.life_event in service.life_events else None
    if event is None and service.life_events:
        event = service.life_events[0]
    slots = {
        "service": service.id,
        "life_event": event,
        "lang": lang,
        "seen": seen_with(turn, service.id),
    }
    if turn.offered:
        slots["offered"] = None  # a service was answered: the journey's buttons are done
    return slots
