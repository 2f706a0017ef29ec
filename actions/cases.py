"""Case codes for the counter: "ringkasan" (``/ringkasan``) or a handoff gives the citizen
a short code with the journey's checklist, which an agent or the MPP counter opens.

Nothing that identifies the citizen is stored with the code (no sender id, no name): the
life event, the services with what is done, the documents to bring and the last
question (masked). Codes expire after 30 days (:mod:`navigator.cases`).
"""

from __future__ import annotations

import logging
from typing import Any

from actions import runtime
from actions.reply import Message, Reply, Turn
from actions.texts import Lang, say
from embeddings.engine import SearchEngine
from navigator.kb import render
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

MAX_SERVICES = 6


def checklist(engine: SearchEngine, turn: Turn, sender: str, lang: Lang) -> dict[str, Any]:
    """The journey as the code keeps it: services (done or not), documents, life event."""
    ids = [s for s in [*turn.seen, turn.focus] if s in engine.kb.services]
    event = engine.kb.life_events.get(turn.life_event or "")
    if event is not None:
        ids += [s for s in event.journey if s in engine.kb.services][:3]
    ids = list(dict.fromkeys(ids))[:MAX_SERVICES]
    done: set[str] = set()
    store = runtime.current().reminders
    if store is not None:
        try:
            done = {r.service for r in store.for_sender(sender) if r.status == "done"}
        except Exception as exc:  # noqa: BLE001 - the code goes out without "done"
            logger.warning("reminders unreadable for %s: %s", pseudonym(sender), type(exc).__name__)
    focus = engine.kb.services.get(turn.focus or (ids[0] if ids else ""))
    documents = (focus.requirements_en if lang == "en" else focus.requirements) if focus else []
    services = [
        {"id": s, "title": render.title(engine.kb.services[s], lang), "done": s in done}
        for s in ids
    ]
    return {"life_event": turn.life_event, "services": services, "documents": list(documents)}


def case_text(case: Any, items: dict[str, Any], lang: Lang) -> str:
    """The code and its checklist, for the citizen."""
    lines = [f"{'☑' if s['done'] else '☐'} {s['title']}" for s in items["services"]]
    text = say("case_code", lang, code=case.code, days="30")
    if lines:
        text += "\n\n" + "\n".join(lines)
    if items["documents"]:
        text += (
            "\n\n"
            + say("case_documents", lang)
            + "\n"
            + "\n".join(f"• {d}" for d in items["documents"][:8])
        )
    return text


def make(engine: SearchEngine, turn: Turn, sender: str, lang: Lang, last_question: str) -> Reply:
    """A new case code for the conversation."""
    store = runtime.current().cases
    if store is None:
        return Reply([Message(say("case_unavailable", lang))])
    items = checklist(engine, turn, sender, lang)
    try:
        case = store.create(
            life_event=items["life_event"],
            services=items["services"],
            documents=items["documents"],
            last_question=last_question,
        )
    except Exception as exc:  # noqa: BLE001 - database down: say so, never silence
        logger.warning("case code for %s not made: %s", pseudonym(sender), type(exc).__name__)
        return Reply([Message(say("case_unavailable", lang))])
    return Reply([Message(case_text(case, items, lang), custom={"case": case.code})])


def for_handoff(
    engine: SearchEngine, turn: Turn, reply: Reply, sender: str, lang: Lang, last_question: str
) -> Reply:
    """A citizen handed to a person gets a case code too (the agent opens it)."""
    if reply.handoff != "asked" or runtime.current().cases is None:
        return reply
    made = make(engine, turn, sender, lang, last_question)
    if made.messages and made.messages[0].custom:
        reply.messages.extend(made.messages)
    return reply
