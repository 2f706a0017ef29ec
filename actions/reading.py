"""What a message says about a service, apart from what it says to the dialogue.

Small talk around a question ("makasih, syaratnya apa?"), frustration ("capek bgt"), and
states that do not hold ("adk sy blm nikah") are no part of the question: these
functions find a message that is only small talk, and cut the rest to its question.
"""

from __future__ import annotations

from dataclasses import replace

from actions.cues import cues_of
from actions.focus import negated_events
from actions.reply import Turn
from actions.terms import named_terms
from embeddings.engine import SearchEngine


def only_smalltalk(engine: SearchEngine, turn: Turn) -> str | None:
    """The small-talk intent of a message that is nothing else ("hatur nuhun pisan!"):
    no part of a service asked for and no word of a service outside the small talk."""
    cues = cues_of(engine)
    found = cues.smalltalk_of(turn.text)
    if found is None or cues.aspect_of(turn.text):
        return None
    intent, rest = found
    return None if named_terms(engine, rest) else intent


def without_conditions(engine: SearchEngine, turn: Turn) -> Turn:
    """With a service in focus, the turn without the states it says do not hold when a
    life event's words are among them ("siapa yg berhak nerima? adk sy blm nikah" asks who
    may receive the accident compensation; it tells no marriage), nor NLU's reading of
    those words as an event or one of its services."""
    negated = negated_events(engine, turn)
    kept = cues_of(engine).without_negated(turn.text)
    if not negated or not kept:
        return turn
    services = engine.kb.services
    entities = dict(turn.entities)
    entities["life_event"] = [e for e in entities.get("life_event", []) if e not in negated]
    entities["service"] = [
        sid
        for sid in entities.get("service", [])
        if sid == turn.focus or sid not in services or not set(services[sid].life_events) <= negated
    ]
    return replace(turn, text=kept, entities={k: v for k, v in entities.items() if v})


def about_service(engine: SearchEngine, turn: Turn) -> Turn:
    """The turn with its text cut to what it says about a service, when small talk or
    frustration surrounds a question ("udh 3x ngurus akta anak ditolak terus, capek")."""
    if turn.is_payload:
        return turn
    turn = without_conditions(engine, turn)
    content = cues_of(engine).without_dialogue(turn.text)
    if content == " ".join(turn.text.lower().split()) or not named_terms(engine, content):
        return turn
    return replace(turn, text=content)
