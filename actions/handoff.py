"""Put a conversation in the agents' queue and tell the citizen what to expect.

The answer functions decide *that* a conversation needs a person (``Reply.handoff``: the
citizen asked, the bot failed twice, frustration, a complaint); this module does the
side effect, as :func:`actions.actions.deliver` does for the insight note. Only channels
an agent can write to (Telegram, WhatsApp) are queued. When the citizen asked, the reply
says where they stand: their place in the queue and the expected wait, or, outside
office hours or with no agent online, the call-centre and complaint route instead of a
promise. A database that is down leaves the reply as the route alone.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from actions import runtime
from actions.reply import Message, Reply
from actions.texts import say
from embeddings.engine import SearchEngine
from embeddings.language import Lang
from navigator.handoffs.store import HandoffStore, StoreError
from navigator.insight.database import describe
from navigator.kb import render
from navigator.privacy import pseudonym, redact

logger = logging.getLogger(__name__)

QUEUED_CHANNELS = ("telegram", "whatsapp")
REASON_LABELS = {
    "asked": "Minta petugas",
    "unhelped": "Bot dua kali tidak membantu",
    "frustrated": "Warga kesal",
    "complaint": "Pengaduan",
}


def summary(
    engine: SearchEngine, reason: str, life_event: str | None, service: str | None, text: str
) -> str:
    """Two lines for the queue: why and about what; the citizen's words, masked."""
    about = [REASON_LABELS.get(reason, reason)]
    if life_event in engine.kb.life_events:
        about.append(engine.kb.life_events[life_event].name)
    if service in engine.kb.services:
        about.append(render.title(engine.kb.services[service], "id"))
    words = " ".join(redact(text).split())
    return " · ".join(about) + "\n" + (words[:137] + "…" if len(words) > 140 else words)


def _status_line(store: HandoffStore, handoff_id: str, lang: Lang) -> str:
    """Queue position and wait, or why nobody will answer now."""
    settings = runtime.current().handoff_settings
    assert settings is not None
    now = time.time()
    open_now = settings.hours.is_open(datetime.fromtimestamp(now, UTC))
    online = store.agents_online(settings.online_s, now) if open_now else []
    if not open_now or not online:
        why = (
            say("handoff_after_hours", lang, hours=settings.hours.describe(lang))
            if not open_now
            else say("handoff_nobody", lang)
        )
        return say("handoff_closed", lang, why=why)
    found = store.get(handoff_id)
    assert found is not None
    wait = store.expected_wait(now)
    wait_text = (
        say("handoff_wait", lang, minutes=str(max(1, round(wait / 60))))
        if wait is not None
        else say("handoff_wait_unknown", lang)
    )
    return say("handoff_queued", lang, position=str(store.position(found)), wait=wait_text)


def enqueue(
    engine: SearchEngine,
    reply: Reply,
    *,
    sender: str,
    channel: str,
    text: str,
    lang: Lang,
    life_event: str | None,
    service: str | None,
) -> Reply:
    """Open (or update) the conversation's handoff; for a citizen who asked, put the
    queue line in front of the route."""
    store = runtime.current().handoffs
    if reply.handoff is None or store is None or channel not in QUEUED_CHANNELS:
        return reply
    try:
        handoff = store.open(
            sender=sender,
            channel=channel,
            language=lang,
            reason=reply.handoff,
            life_event=life_event,
            service=service,
            summary=summary(engine, reply.handoff, life_event, service, text),
        )
        line = _status_line(store, handoff.id, lang) if reply.handoff == "asked" else ""
    except StoreError as exc:
        logger.warning("handoff for %s not queued: %s", pseudonym(sender), describe(exc))
        return reply
    if line:
        for message in reply.messages:
            if message.custom and message.custom.get("handoff"):
                message.text = f"{line}\n\n{message.text}"
                break
        else:
            reply.messages.insert(0, Message(line))
    return reply
