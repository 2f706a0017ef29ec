"""What the bot answers for each kind of message, decided with the search engine.

Each ``answer_*`` function takes the engine and a :class:`Turn` (what the action read
from the tracker) and returns a :class:`Reply`: the messages to send, the slots to set
and, for editors, what to record in the insight store. Pure functions, no Rasa here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from actions.chat import focus_slots, service_messages
from actions.cues import cues_of
from actions.focus import (
    asks_within,
    cued_events,
    focus_reading,
    names_likely,
    off_topic,
    reads_as_follow_up,
    told_event,
)
from actions.followups import ASPECTS, answer_follow_up
from actions.journeys import answer_life_event, clarify_events, journey
from actions.naming import weigh_pick
from actions.reading import about_service, only_smalltalk
from actions.reply import Message, Note, Reply, Turn, event_button, results_of, service_button
from actions.strikes import count_strikes
from actions.table import in_context
from actions.terms import foreign_terms, named_terms
from actions.texts import Lang, say
from embeddings.engine import SearchEngine, SearchResult
from navigator.kb import render

MAX_ALTERNATIVES = 2
CLEAR_EVENT = 0.6  # with a cue word of the event in the message, this share is enough


def refuse(
    turn: Turn, lang: Lang, result: SearchResult | None = None, reason: str = "out_of_scope"
) -> Reply:
    """Polite refusal that says what the bot does; never a procedure."""
    note = Note(
        reason=reason,
        query=turn.text,
        results=results_of(result) if result else [],
        confidence=result.confidence if result else None,
    )
    message = Message(say("out_of_scope", lang), custom={"reply": "refusal"})
    return Reply([message], {"lang": lang}, note)


def answer_out_of_scope(engine: SearchEngine, turn: Turn) -> Reply:
    """NLU read the message as out of scope. Decided with the conversation: a question
    about the service in focus is answered; a real question NLU misread is searched; an
    insult gets a calm line; anything else a polite refusal."""
    cues = cues_of(engine)
    lang = cues.language(turn)
    if reads_as_follow_up(engine, turn, nlu_refused=True):
        return answer_follow_up(engine, turn)
    if cues.insults.search(turn.text.lower()):
        note = Note("insult", turn.text, [])
        return Reply([Message(say("calm", lang), custom={"reply": "calm"})], {"lang": lang}, note)
    result = engine.search(turn.text)
    if (
        result.verdict == "sure"
        and names_likely(engine, result)
        and not foreign_terms(engine, turn.text)  # "cara beli ktp palsu" stays refused
    ):
        return answer_service(engine, turn, result)  # a real question NLU misread
    return refuse(turn, lang, result)


def answer_service(engine: SearchEngine, turn: Turn, result: SearchResult | None = None) -> Reply:
    """A direct question or a picked service: answer the best service."""
    cues = cues_of(engine)
    lang = cues.language(turn)
    picked = turn.entity("service")
    if turn.is_payload:
        service = engine.kb.services.get(picked or "")
        if service is None:
            return Reply([Message(say("no_focus", lang))], {"lang": lang})
        return Reply(service_messages(engine, service, lang), focus_slots(service, turn, lang))
    result = result or engine.search(turn.text)
    turn, searched = weigh_pick(engine, result, turn)
    picked = turn.entity("service")
    aspect = cues.aspect_of(turn.text)
    stays, moved = focus_reading(engine, turn, result)
    if stays:
        # "dmn ngurusnya", "perlu kk ga?", "yg itu gmn": the service in focus, whatever NLU said
        intent = next((i for i, a in ASPECTS.items() if a == aspect), turn.intent)
        return answer_follow_up(engine, replace(turn, intent=intent), result)
    event = told_event(engine, result, turn)
    if event is not None:
        return journey(engine, event, lang, result, turn.text)
    if moved and not picked:  # the conversation chose it among the search's readings
        picked, searched = moved, True
        turn = replace(turn, entities={**turn.entities, "service": [moved]})
    if picked not in engine.kb.services and result.verdict == "out_of_scope":
        return refuse(turn, lang, result)
    if picked not in engine.kb.services and result.verdict == "ask":
        # unsure which service: a life event that both the words ("bayi", "kerja") and
        # the search agree on gets its journey; otherwise ask back, never guess a procedure
        event = result.life_event
        if (
            event
            and (
                event in turn.entities.get("life_event", [])
                or event in cued_events(engine, turn.text)
            )
            and result.life_event_scores.get(event, 0.0) >= CLEAR_EVENT
        ):
            return journey(engine, event, lang, result, turn.text)
        held = in_context(engine, result, turn)
        if held is not None:
            return answer_service(engine, replace(turn, entities={"service": [held]}), result)
        return clarify_events(engine, turn, lang, result, "low_confidence")
    service = engine.kb.services.get(picked or "")
    if service is None:
        service = engine.kb.services[result.hits[0].id]
    generic = cues.generic
    others = [h.id for h in result.hits if h.id != service.id and set(h.matched) - generic][
        :MAX_ALTERNATIVES
    ]
    extra = [service_button(engine.kb.services[sid], lang, "+ ") for sid in others]
    slots = focus_slots(service, turn, lang)
    if others and (searched or not picked):  # a guess: a follow-up may be about any of them
        slots["offered"] = [service.id, *others]
    return Reply(service_messages(engine, service, lang, extra), slots)


def answer_event(engine: SearchEngine, turn: Turn) -> Reply:
    """NLU read a life event told. With a service in focus, a message that asks about a
    part of it and tells no event ("validity nya berapa tahun?") is a follow-up."""
    cues = cues_of(engine)
    if not turn.is_payload and turn.focus in engine.kb.services:
        cued = cued_events(engine, turn.text)
        asks = cues.aspect_of(turn.text) or cues.back_reference(turn.text)
        if not turn.entities.get("life_event") and not cued and asks:
            return answer_follow_up(engine, turn)  # asks about the focus, tells no event
        told = turn.entity("life_event") or (min(cued) if cued else None)
        if asks_within(engine, turn, told):
            return answer_follow_up(engine, turn)  # a part of the focus, in its own event
    return answer_life_event(engine, turn)


def answer_person(engine: SearchEngine, turn: Turn) -> Reply:
    """NLU read a request for a person. With a service in focus, a message whose words
    ask for no person but for a part of the service ("lapornya kpn", "ngadu nang ndi?"),
    or that names what the focus is about ("nomor porsi itu ap"), is a follow-up; anything
    else ("mana orangnya") gets the human route."""
    cues = cues_of(engine)
    if (
        not turn.is_payload
        and turn.focus in engine.kb.services
        and not cues.wants_human(turn.text)
        and (
            cues.aspect_of(turn.text)
            or (named_terms(engine, turn.text) and reads_as_follow_up(engine, turn))
        )
    ):
        return answer_follow_up(engine, turn)  # "nomor porsi itu ap" about the hajj queue
    return answer_handoff(engine, turn)


def answer_clarify(engine: SearchEngine, turn: Turn) -> Reply:
    """NLU was unsure: let the search engine decide, or ask back with life events."""
    lang = cues_of(engine).language(turn)
    guess = next((i for i in turn.intent_ranking if i != "nlu_fallback"), None)
    if reads_as_follow_up(engine, turn):  # never ask back in the middle of a conversation
        intent = guess if guess in ASPECTS else turn.intent
        return answer_follow_up(engine, replace(turn, intent=intent))
    result = engine.search(turn.text)
    if turn.entity("service") in engine.kb.services and not foreign_terms(engine, turn.text):
        # a service named in words all known ("KTP-ku macam mana?"), whatever NLU guessed;
        # "cara beli ktp palsu" stays refused
        return answer_service(engine, turn, result)
    if guess == "out_of_scope" or result.verdict == "out_of_scope":
        if (
            turn.focus in engine.kb.services
            and result.verdict != "sure"
            and not (off_topic(engine, turn.text) or cues_of(engine).changes_topic(turn.text))
        ):
            # NLU unsure, the search sure of nothing, and the words are not another topic's:
            # in the middle of a conversation that is the focus ("bisa ji dilimpahkan ke
            # kakakku?" about the hajj seat)
            return answer_follow_up(engine, turn)
        return refuse(turn, lang, result)
    if (
        result.verdict == "sure"
        and result.top is not None
        and (turn.entity("service") in engine.kb.services or names_likely(engine, result))
    ):
        if guess in ASPECTS and turn.focus:
            return answer_follow_up(engine, replace(turn, intent=guess), result)
        if guess == "inform_life_event" and result.life_event:
            return journey(engine, result.life_event, lang, result, turn.text)
        reply = answer_service(engine, turn, result)
        reply.note = Note(
            "fallback", turn.text, results_of(result), result.confidence, result.life_event
        )
        return reply
    held = in_context(engine, result, turn)
    if held is not None:
        return answer_service(engine, replace(turn, entities={"service": [held]}), result)
    return clarify_events(engine, turn, lang, result, "fallback")


def answer_handoff(engine: SearchEngine, turn: Turn) -> Reply:
    """The call-centre and complaint route; marks the conversation for agents."""
    lang = cues_of(engine).language(turn)
    text = say("handoff", lang)
    service = engine.kb.services.get(turn.focus or "")
    if service is not None and service.where:
        place = service.where[0]
        where = place.text_en if lang == "en" else place.text
        where = f"{where} ({place.url})" if place.url else where
        text += "\n\n" + say(
            "handoff_service", lang, title=render.title(service, lang), where=where
        )
    note = Note(
        "handoff",
        turn.text,
        [{"id": service.id, "score": 1.0}] if service else [],
        None,
        turn.life_event,
    )
    message = Message(text, custom={"handoff": True})
    return Reply([message], {"handoff": True, "lang": lang}, note, handoff="asked")


def answer_smalltalk(engine: SearchEngine, turn: Turn) -> Reply:
    """Greeting, help, thanks, goodbye; greeting and help offer the life events."""
    lang = cues_of(engine).language(turn)
    if turn.intent == "help" and turn.entity("life_event") in engine.kb.life_events:
        return answer_life_event(engine, turn)  # "pengen kuliah, ada bantuan ga?"
    # a request for help, or small talk only NLU saw, that asks about the focus: "apa saja
    # yang ditanggung?", "so below that amount nothing at all?"
    nlu_only = turn.intent == "help" or cues_of(engine).smalltalk_of(turn.text) is None
    if nlu_only and reads_as_follow_up(engine, turn):
        return answer_follow_up(engine, turn)
    key = {"greet": "greet", "help": "help", "thank": "thank", "goodbye": "goodbye"}.get(
        turn.intent, "help"
    )
    buttons = []
    if key in ("greet", "help"):
        buttons = [event_button(engine, e, lang) for e in engine.kb.life_events]
    return Reply([Message(say(key, lang), buttons=buttons)], {"lang": lang})


SMALLTALK_INTENTS = ("greet", "thank", "goodbye", "help")


def respond(
    engine: SearchEngine, turn: Turn, answer: Callable[[SearchEngine, Turn], Reply]
) -> Reply:
    """Run one answer, after the checks that no intent classifier should be trusted with
    alone: text instructing the bot never gets a service card, a request for a person
    gets the human route, and a message that is only small talk gets small talk."""
    cues = cues_of(engine)
    typed = not turn.is_payload
    if typed and cues.is_injection(turn.text):
        reply = refuse(turn, cues.language(turn), reason="injection")
    elif typed and turn.intent != "handoff" and cues.wants_human(turn.text):
        reply = answer_handoff(engine, replace(turn, intent="handoff"))
    elif typed and turn.intent not in SMALLTALK_INTENTS and (small := only_smalltalk(engine, turn)):
        reply = answer_smalltalk(engine, replace(turn, intent=small))
    else:
        reply = answer(engine, about_service(engine, turn))
    return count_strikes(engine, turn, reply)
