"""The citizen's region: read from what they write or a shared location, remembered for
the conversation, and the regional part of every "where" answer.

- A message that names a kabupaten/kota (``navigator.regions``) sets the slot ``region``
  (its Kemendagri code), and ``region_ktp`` when it also names the ID card's region
  ("KTP Bekasi tapi tinggal di Depok"); a later one changes them. A shared location is
  located offline.
- A message that is only a place ("sy di sleman") answers "where" for the service in
  focus, or, with nothing in focus, notes the region and asks what to arrange.
- A reply that shows a service's places gets the region's own: its MPPs, its Dukcapil
  office for Dukcapil services, its own online service and its rule for the service
  (``knowledge_base/regions/facts``), each with its source. A region with no data on
  record says so; the national channel is already in the answer. The region is asked
  for only when the citizen asks where and no region is known.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from actions.cues import cues_of
from actions.reply import Message, Reply, Turn, event_button
from actions.terms import named_terms
from actions.texts import Lang, say
from embeddings.engine import SearchEngine
from navigator.kb import render
from navigator.kb.schema import Service
from navigator.regions.local import LocalPlace, local_places

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """The region a turn names (or a shared location falls in)."""

    code: str
    name: str
    ktp: str | None = None  # the ID card's region, when named apart
    only: bool = False  # the message says nothing but the place


def _regions() -> Any:
    from navigator import regions

    return regions


def read(engine: SearchEngine, turn: Turn) -> Place | None:
    """The region the message names, or the location shared; None when neither."""
    regions = _regions()
    try:
        lat, lon = turn.entity("latitude"), turn.entity("longitude")
        if turn.intent == "share_location" and lat and lon:
            found = regions.locate(float(lat), float(lon))
            return Place(found.code, found.name) if found is not None else None
        if turn.is_payload or not turn.text.strip():
            return None
        resolver = regions.default_resolver()
        resolution = resolver.resolve(turn.text)
    except (OSError, ValueError, regions.VocabularyError) as exc:  # no region is no answer
        logger.warning("region not read: %s", type(exc).__name__)
        return None
    if resolution.region is None:
        return None
    tokens = resolver.tokens(turn.text)
    named = {i for m in resolution.mentions for i in range(m.start, m.end)}
    rest = " ".join(t for i, t in enumerate(tokens) if i not in named)
    ktp = resolution.ktp.code if resolution.ktp is not None else None
    cues = cues_of(engine)
    only = not (
        named_terms(engine, rest)
        or cues.aspect_of(rest)
        or cues.wants_human(turn.text)
        or cues.is_injection(turn.text)
        or cues.complains(turn.text)
    )
    return Place(resolution.region.code, resolution.region.name, ktp, only)


def slots_of(place: Place) -> dict[str, Any]:
    """The conversation's region slots after this turn."""
    return {"region": place.code, "region_ktp": place.ktp}


def noted(engine: SearchEngine, place: Place, lang: Lang) -> Reply:
    """Only a place, nothing in focus: the region is noted; what is there to arrange?"""
    buttons = [event_button(engine, e, lang) for e in engine.kb.life_events]
    return Reply([Message(say("region_noted", lang, region=place.name), buttons=buttons)])


def _checked(place: LocalPlace, lang: Lang) -> str:
    label = render.LABELS["checked"][lang]
    return f"{render.LABELS['sources'][lang]}: {place.source} ({label} {place.last_checked})"


def region_name(code: str) -> str:
    """The kabupaten/kota's name (its code when unknown)."""
    region = _regions().default_resolver().table.get(code)
    return str(region.name) if region is not None else code


def regional_text(service: Service, code: str, lang: Lang) -> str:
    """The region's own MPPs, office, online service and rule for ``service``."""
    lines = []
    for item in local_places(service, code, lang):
        head = f"• {item.name}: {item.detail}" if item.detail else f"• {item.name}"
        link = f"\n  {item.map_url}" if item.map_url else ""
        lines.append(f"{head}{link}\n  {_checked(item, lang)}")
    name = region_name(code)
    if not lines:
        return say("region_no_data", lang, region=name)
    return say("region_offices", lang, region=name) + "\n" + "\n".join(lines)


def shows_places(message: Message, lang: Lang) -> bool:
    """A message with a service's places (``actions.chat.where_text`` writes the label)."""
    label = render.LABELS["where"][lang] + ":"
    return any(line.strip() == label for line in message.text.splitlines())


def with_region(engine: SearchEngine, turn: Turn, reply: Reply, lang: Lang, asked: bool) -> Reply:
    """Add the region's part to a reply that shows a service's places; ask for the region
    when the citizen asked where and none is known."""
    service = next(
        (
            engine.kb.services[m.custom["service"]]
            for m in reply.messages
            if m.custom and m.custom.get("service") in engine.kb.services
        ),
        None,
    )
    if service is None or not any(shows_places(m, lang) for m in reply.messages):
        return reply
    code = reply.slots.get("region") or turn.region
    if code:
        try:
            reply.messages.append(Message(regional_text(service, str(code), lang)))
        except (OSError, ValueError) as exc:
            logger.warning("regional facts not read: %s", type(exc).__name__)
        ktp = reply.slots.get("region_ktp", turn.region_ktp)
        if ktp and ktp != code:
            reply.messages.append(Message(say("region_ktp", lang, region=region_name(ktp))))
    elif asked:
        reply.messages.append(Message(say("region_ask", lang)))
    return reply
