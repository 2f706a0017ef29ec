"""Follow-ups about the service in focus: requirements, fee, where, time, steps, late,
next, and the facts citizens ask about (deadline, who may apply, what one receives,
online, validity, applying for someone else).

Where the knowledge base has no answer to the question asked, the reply says so and
gives the source to check: never a neighbouring field (a deadline question is not
answered with the processing time).
"""

from __future__ import annotations

import re

from actions.chat import focus_slots, service_messages, where_text
from actions.cues import Cues, cues_of
from actions.focus import (
    about_focus_only,
    names_a_service,
    specific_terms,
    told_event,
)
from actions.journeys import journey, next_step
from actions.reply import (
    Message,
    Note,
    Reply,
    Turn,
    event_button,
    results_of,
    service_button,
    service_of_payload,
)
from actions.table import best_offered, earlier_service
from actions.terms import name_terms, vocabulary_of
from actions.texts import Lang, field_name, say
from embeddings.engine import SearchEngine, SearchResult
from navigator.kb import render
from navigator.kb.schema import FACT_FIELDS, Service

MAX_STILL_OFFERED = 2  # other services of the journey a follow-up answer still offers

# Intent -> the part of the service in focus that a follow-up asks for.
ASPECTS: dict[str, str] = {
    "ask_requirements": "requirements",
    "ask_fee": "fee",
    "ask_where": "where",
    "ask_time": "time",
    "ask_steps": "steps",
    "ask_late": "late",
    "ask_next": "next",
    "share_location": "where",
}


def aspect_asked(cues: Cues, turn: Turn, focus_named: bool = True) -> str:
    """What the follow-up asks about: the intent's aspect, unless the words ask for one
    that has no intent of its own (deadline, eligibility, ...), which only cues tell. A
    classifier's "next" with neither a cue nor the focus's name behind it (``focus_named``)
    is no question about what comes next: the focus is shown again."""
    cued = None if turn.is_payload else cues.aspect_of(turn.text)
    if cued is not None and cued not in ASPECTS.values():
        return cued
    classified = ASPECTS.get(turn.intent)
    if (
        cued is not None
        and classified not in (None, cued)
        and not cues.cues_aspect(turn.text, str(classified))
    ):
        return cued  # the words ask where; the classifier's "late" has no word behind it
    if classified == "next" and cued is None and not turn.is_payload and not focus_named:
        return "summary"  # "Can it be extended?": no word asks for what comes next
    return classified or cued or "summary"


def late_text(cues: Cues, service: Service, turn: Turn, lang: Lang) -> str:
    """The FAQ answer about being late, lost or expired that fits the question best."""
    words = set(re.findall(r"\w+", turn.text.lower()))
    best: tuple[int, str] | None = None
    for faq in service.faq:
        question, answer = (faq.q_en, faq.a_en) if lang == "en" else (faq.q, faq.a)
        if not cues.late_faq.search(f"{faq.q} {faq.q_en}".lower()):
            continue
        overlap = len(words & set(re.findall(r"\w+", f"{faq.q} {faq.q_en}".lower())))
        if best is None or overlap > best[0]:
            best = (overlap, f"{question}\n{answer}")
    title = render.title(service, lang)
    if best is not None:
        return f"{title.upper()}\n\n{best[1]}"
    if service.deadline is not None and service.deadline.after:
        return f"{title.upper()}\n\n{render.section(service, 'deadline', lang)}"
    fee = render.section(service, "fee", lang)
    if cues.late_faq.search(fee.lower()):
        return f"{title.upper()}\n\n{fee}"
    return say("late_unknown", lang, title=title)


def fact_answer(service: Service, aspect: str, lang: Lang) -> str:
    """A fact the citizen asked about, or that it is not on record and where to check."""
    title = render.title(service, lang)
    if getattr(service, aspect) is not None:
        return f"{title.upper()}\n\n{render.section(service, aspect, lang)}"  # type: ignore[arg-type]
    if aspect == "online":
        online = [p for p in service.where if p.channel in ("online", "app")]
        if online:
            places = [
                (p.text_en if lang == "en" else p.text) + (f" ({p.url})" if p.url else "")
                for p in online
            ]
            label = render.LABELS["online"][lang]
            return f"{title.upper()}\n\n{label}:\n{render.bullets(places)}"
    source = service.sources[0] if service.sources else None
    where = (str(source.url) if source.url else source.title) if source else ""
    return say("not_on_record", lang, title=title, what=field_name(aspect, lang), source=where)


def answer_follow_up(engine: SearchEngine, turn: Turn, result: SearchResult | None = None) -> Reply:
    """A question about the service in focus, or about another one it names."""
    cues = cues_of(engine)
    lang = cues.language(turn)
    named = turn.intent != "ask_next" or (  # only a classified "next" needs it
        turn.focus in engine.kb.services
        and bool(set(engine.normalizer.terms(turn.text)) & name_terms(engine, str(turn.focus)))
    )
    aspect = aspect_asked(cues, turn, focus_named=named)
    if result is None and not turn.is_payload and not about_focus_only(engine, turn):
        result = engine.search(turn.text)
    if turn.focus not in engine.kb.services and result is not None:
        event = told_event(engine, result, turn)
        if event is not None:
            return journey(engine, event, lang, result, turn.text)  # "bini lahiran, urus apa?"
    calls = names_a_service(engine, result, turn)
    target = earlier_service(engine, turn, calls) or calls or best_offered(engine, turn)
    service = engine.kb.services.get(target or turn.focus or "")
    if service is None:  # nothing in focus and no service named: ask, never guess
        buttons = [event_button(engine, e, lang) for e in engine.kb.life_events]
        note = Note(
            "low_confidence",
            turn.text,
            results_of(result) if result else [],
            result.confidence if result else None,
        )
        message = Message(say("no_focus", lang), buttons=buttons, custom={"reply": "clarify"})
        return Reply([message], {"lang": lang}, note)
    if aspect == "next":
        return next_step(engine, service, turn, lang)
    if aspect == "summary":  # nothing asked in particular ("yg itu gmn", "back to the first")
        return Reply(service_messages(engine, service, lang), focus_slots(service, turn, lang))
    if aspect == "late":
        text = late_text(cues, service, turn, lang)
    elif aspect in FACT_FIELDS:
        text = fact_answer(service, aspect, lang)
    elif aspect == "where":
        text = f"{render.title(service, lang).upper()}\n\n{where_text(service, lang)}"
        if turn.intent == "share_location":
            text = f"{say('location', lang)}\n\n{text}"
    else:
        body = render.section(service, aspect, lang)  # type: ignore[arg-type]
        text = f"{render.title(service, lang).upper()}\n\n{body}"
    buttons = other_readings(engine, service, result, lang)
    slots = focus_slots(service, turn, lang)
    if turn.offered and service.id in (turn.focus, *turn.offered):  # still a guess, no choice
        buttons += still_offered(engine, service, turn, buttons, lang)
        slots.pop("offered", None)  # the citizen has not chosen yet: keep the journey's buttons
    message = Message(text, buttons=buttons)
    message.custom = {"service": service.id}
    return Reply([message], slots)


def still_offered(
    engine: SearchEngine,
    service: Service,
    turn: Turn,
    buttons: list[dict[str, str]],
    lang: Lang,
) -> list[dict[str, str]]:
    """Buttons for the other services a journey offered, while the citizen has not picked
    one: a follow-up about the guessed focus ("dokumennya apa?") may be about any of them."""
    shown = {service.id} | {service_of_payload(b["payload"]) for b in buttons}
    others = [sid for sid in turn.offered if sid not in shown and sid in engine.kb.services]
    return [
        service_button(engine.kb.services[sid], lang, "+ ") for sid in others[:MAX_STILL_OFFERED]
    ]


def other_readings(
    engine: SearchEngine, service: Service, result: SearchResult | None, lang: Lang
) -> list[dict[str, str]]:
    """A button for the service the words fit best, when it is not the one answered and
    the words are not all the answered one's own ("harus ada jaminan?" about UMi: KUR)."""
    if result is None or result.top is None or result.top.id == service.id:
        return []
    if specific_terms(engine, result) <= vocabulary_of(engine, service.id):
        return []
    return [service_button(engine.kb.services[result.top.id], lang, "+ ")]
