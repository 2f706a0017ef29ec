"""Life events: confirm one and show its journey, say what comes next, or ask which one."""

from __future__ import annotations

from collections import Counter
from typing import Any

from actions.chat import focus_slots
from actions.cues import cues_of
from actions.focus import EVENT_SHARE, cued_events
from actions.naming import RARE_NAME
from actions.reply import Message, Note, Reply, Turn, event_button, results_of, service_button
from actions.terms import (
    cue_terms,
    foreign_terms,
    name_counts,
    name_terms,
    telling_terms,
    title_terms,
)
from actions.texts import Lang, confirm, say
from embeddings.engine import Hit, SearchEngine, SearchResult
from navigator.kb import render
from navigator.kb.schema import Service, Situation

CLARIFY_SERVICES = 3  # services a clarification offers
CLARIFY_EVENTS = 2  # ... and life events, when they hold this share of the evidence:
CLARIFY_EVENT_SHARE = 0.3
MAX_RANKED = 4  # services offered for a life event told in a message, before "all"


def clarify_events(
    engine: SearchEngine, turn: Turn, lang: Lang, result: SearchResult, reason: str
) -> Reply:
    """Ask back with what the search found: its best services that share a telling word
    with the message, then the likely life events; every event only when nothing scored."""
    telling = {t for t in telling_terms(engine, turn.text) if not t.isdigit()}
    foreign = telling & foreign_terms(engine, turn.text)
    # mostly words no service knows ("best phone under 3 million", "top up saldo dana"):
    # only a service whose name the message uses, in a life event its cue words tell, is
    # worth offering ("anak ambo baru lahia, baa caro mambuek akta lahianyo?")
    mostly_foreign = len(foreign) >= len(telling - foreign)
    cued = cued_events(engine, turn.text) if mostly_foreign else set()

    def worth_offering(hit: Hit) -> bool:
        shared = telling & set(hit.matched)
        if not mostly_foreign:
            return bool(shared)
        service = engine.kb.services[hit.id]
        return bool(shared & name_terms(engine, hit.id)) and bool(cued & set(service.life_events))

    services = [
        engine.kb.services[h.id] for h in result.hits[:CLARIFY_SERVICES] if worth_offering(h)
    ]
    ranked = sorted(result.life_event_scores.items(), key=lambda kv: -kv[1])
    events = [
        e for e, share in ranked if share >= CLARIFY_EVENT_SHARE and e in engine.kb.life_events
    ]
    buttons = [service_button(s, lang) for s in services]
    buttons += [event_button(engine, e, lang) for e in events[:CLARIFY_EVENTS]]
    if not buttons:
        buttons = [event_button(engine, e, lang) for e in engine.kb.life_events]
    note = Note(reason, turn.text, results_of(result), result.confidence, result.life_event)
    message = Message(say("clarify", lang), buttons=buttons, custom={"reply": "clarify"})
    slots: dict[str, Any] = {"lang": lang}
    if services:  # a next question that picks none is read against them, the first in focus
        slots.update(service=services[0].id, offered=[s.id for s in services])
    return Reply([message], slots, note)


def ranked_services(
    engine: SearchEngine, event_id: str, text: str, result: SearchResult | None = None
) -> list[Service]:
    """The event's services ranked for what the citizen said: a service of the event the
    message names ("jenazah") first; then the message's best service overall when it
    is filed under another event ("pindahan ke Depok, anak kudu pindah SMP": school
    transfer); then a service named by a word that is also an event cue ("UKT"); then
    the services of the situation it tells ("di-PHK": job-loss benefit first), a search
    within the event, and the rest of the journey in its order."""
    services = engine.kb.journey(event_id)
    if not text:
        return services
    result = result or engine.search(text)
    within = engine.search(text, top_k=len(services), life_event=event_id)
    situation = engine.life_events.situation(event_id, text, [h.id for h in within.hits])
    first = list(situation.services) if situation else []
    known = {s.id: s for s in services}
    journey_ids = set(known)
    top = result.top
    outsider = []
    if top is not None and top.id not in known:
        # the message's best service overall is filed under another event
        known[top.id] = engine.kb.services[top.id]
        outsider = [top.id]
    # a search sure of one of the event's services leads with it ("cuti melahirkan buat
    # karyawati berapa bulan": maternity leave before the birth certificate)
    sure = [top.id] if top is not None and result.verdict == "sure" else []
    # a service the message names, unless the situation it tells points elsewhere
    # ("putus sekolah pas kelas 2 SMP": equivalency education, not school admission)
    hits = [h for h in result.hits[:MAX_RANKED] if not first or h.id in first]
    typed = set(engine.normalizer.typed_terms(text))
    named = [h.id for h in hits if h.id in journey_ids and named_in(engine, h, typed, cues=False)]
    # "UKT", also a cue; not a word that tells the situation and that several of its
    # services have in their titles: its own order leads ("di-PHK" names the job-loss
    # situation, not the dispute service that has PHK in its title)
    weak = [h.id for h in hits if named_in(engine, h, typed - told_words(engine, situation), True)]
    order = [
        *sure,
        *named,
        *outsider,
        *weak,
        *first,
        *(h.id for h in within.hits),
        *(s.id for s in services),
    ]
    return [known[sid] for sid in dict.fromkeys(order) if sid in known]


def told_words(engine: SearchEngine, situation: Situation | None) -> set[str]:
    """Words of the situation's cues that two or more of its services have in their titles."""
    if situation is None:
        return set()
    cues = set(engine.normalizer.typed_terms(" ".join(situation.cues)))
    titled = Counter(t for sid in situation.services for t in title_terms(engine, sid))
    return {t for t in cues if titled[t] >= 2}


def named_in(engine: SearchEngine, hit: Hit, typed: set[str], cues: bool) -> bool:
    """The message types a word of the hit's title that few services' titles share
    ("pelatihan", "JHT"; not "pindah" or "bpjs", nor "domisili" that the glossary reads
    into "pindahan"); with ``cues``, also a word that tells a life event ("UKT", "PHK"),
    which names a service less surely."""
    telling = set(hit.matched) & typed - cues_of(engine).generic
    if not cues:
        telling -= cue_terms(engine)
    counts = name_counts(engine)
    return any(counts[t] <= RARE_NAME for t in telling & title_terms(engine, hit.id))


def journey(
    engine: SearchEngine,
    event_id: str,
    lang: Lang,
    result: SearchResult | None = None,
    text: str = "",
) -> Reply:
    """Confirm a life event and offer its services as buttons.

    Told in a message (``text``), the services are ranked for it and the best few are
    offered, with one more button for the whole journey; picked from a button, the whole
    journey is shown in order. The first service offered is the focus (what a follow-up
    such as "biayanya berapa?" is about): the one the message names ("daftarin bayi ke
    bpjs"), else the best ranked.
    """
    services = ranked_services(engine, event_id, text, result)
    shown = services[:MAX_RANKED] if text and len(services) > MAX_RANKED + 1 else services
    buttons = [service_button(s, lang, f"{i}. ") for i, s in enumerate(shown, 1)]
    if len(shown) < len(services):
        whole = event_button(engine, event_id, lang)
        whole["title"] = say("whole_journey", lang, n=str(len(services)))
        buttons.append(whole)
    slots: dict[str, Any] = {"life_event": event_id, "lang": lang}
    slots["service"] = services[0].id if services else None
    if text:  # a follow-up may be about any of the services offered, not only the first
        slots["offered"] = [s.id for s in shown]
    intro = say("journey_ranked" if text else "journey_intro", lang)
    text_out = f"{confirm(event_id, lang)} {intro}".strip()
    return Reply([Message(text_out, buttons=buttons, custom={"life_event": event_id})], slots)


def answer_life_event(engine: SearchEngine, turn: Turn) -> Reply:
    """A life event told or picked: confirm it and show its journey; ask back if unsure."""
    lang = cues_of(engine).language(turn)
    picked = turn.entity("life_event")
    if turn.is_payload:
        if picked in engine.kb.life_events:
            return journey(engine, picked, lang)
        return Reply([Message(say("no_focus", lang))], {"lang": lang})
    result = engine.search(turn.text)
    if picked in engine.kb.life_events:
        return journey(engine, picked, lang, result, turn.text)
    event = result.life_event
    share = result.life_event_scores.get(event, 0.0) if event else 0.0
    if event in engine.kb.life_events and share >= EVENT_SHARE:
        return journey(engine, event, lang, result, turn.text)
    return clarify_events(engine, turn, lang, result, "low_confidence")


def next_step(engine: SearchEngine, service: Service, turn: Turn, lang: Lang) -> Reply:
    """What comes after ``service`` in the conversation's journey, or the whole journey."""
    event = turn.life_event if turn.life_event in service.life_events else None
    following = engine.kb.next_in_journey(service.id, event)
    if following is None and event is not None:
        following = engine.kb.next_in_journey(service.id)
    done = render.title(service, lang)
    if following is None:
        event_id = event or (service.life_events[0] if service.life_events else None)
        services = engine.kb.journey(event_id) if event_id else []
        buttons = [service_button(s, lang, f"{i}. ") for i, s in enumerate(services, 1)]
        return Reply(
            [Message(say("journey_done", lang, done=done), buttons=buttons)], {"lang": lang}
        )
    text = say("next_is", lang, done=done, next=render.title(following, lang))
    summary = render.section(following, "summary", lang)
    after = engine.kb.next_in_journey(following.id, event)
    buttons = [service_button(following, lang)]
    if after is not None:
        buttons.append(service_button(after, lang, "+ "))
    message = Message(f"{text}\n\n{summary}", buttons=buttons, custom={"service": following.id})
    return Reply([message], focus_slots(following, turn, lang))
