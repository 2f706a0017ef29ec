"""The words of services as the dialogue weighs them: names, titles, every word of a
service, words that tell none (generic follow-up words, life-event cues, function words).

Computed once per engine (cached), from the knowledge base and the glossary's readings.
"""

from __future__ import annotations

import functools
from collections import Counter

from actions.cues import cues_of
from embeddings.engine import SearchEngine
from embeddings.text import stem
from navigator.kb import render


def generic_terms(engine: SearchEngine) -> frozenset[str]:
    """Normalised follow-up words that name no service."""
    return cues_of(engine).generic


@functools.lru_cache(maxsize=4)
def cue_terms(engine: SearchEngine) -> frozenset[str]:
    """Normalised life-event cue words ("lahir", "phk"): they tell an event, not a service."""
    cues = " ".join(c for e in engine.kb.life_events.values() for c in e.cues)
    return frozenset(engine.normalizer.terms(cues))


@functools.lru_cache(maxsize=512)
def name_terms(engine: SearchEngine, service_id: str) -> frozenset[str]:
    """Normalised terms of a service's names (title, English title, aliases)."""
    service = engine.kb.services[service_id]
    return frozenset(
        engine.normalizer.terms(" ".join([service.title, service.title_en, *service.aliases]))
    )


@functools.lru_cache(maxsize=512)
def title_terms(engine: SearchEngine, service_id: str) -> frozenset[str]:
    """Normalised terms of a service's titles, in both languages."""
    service = engine.kb.services[service_id]
    return frozenset(engine.normalizer.terms(f"{service.title} {service.title_en}"))


@functools.lru_cache(maxsize=512)
def titles_apart(engine: SearchEngine, service_id: str) -> tuple[frozenset[str], ...]:
    """Normalised terms of each of a service's titles: Indonesian, English."""
    service = engine.kb.services[service_id]
    return tuple(frozenset(engine.normalizer.terms(t)) for t in (service.title, service.title_en))


@functools.lru_cache(maxsize=512)
def names_apart(engine: SearchEngine, service_id: str) -> tuple[frozenset[str], ...]:
    """Normalised terms of each of a service's names: titles and aliases, one by one, as
    the glossary reads them and as typed ("izin usahanya" has the typed alias "izin usaha"
    but not its reading, which adds "nib oss")."""
    service = engine.kb.services[service_id]
    names = (service.title, service.title_en, *service.aliases)
    read = [frozenset(engine.normalizer.terms(n)) for n in names]
    typed = [frozenset(engine.normalizer.typed_terms(n)) for n in names]
    return tuple(t for t in dict.fromkeys(read + typed) if t)


@functools.lru_cache(maxsize=64)
def journey_title_terms(engine: SearchEngine, event_id: str) -> frozenset[str]:
    """Normalised terms of the titles of a life event's services."""
    return frozenset(t for s in engine.kb.journey(event_id) for t in title_terms(engine, s.id))


@functools.lru_cache(maxsize=4)
def name_counts(engine: SearchEngine) -> Counter[str]:
    """How many services' titles use each normalised term."""
    return Counter(t for sid in engine.kb.services for t in title_terms(engine, sid))


@functools.lru_cache(maxsize=4)
def term_spread(engine: SearchEngine) -> Counter[str]:
    """How many services use each normalised term anywhere in their text."""
    return Counter(t for sid in engine.kb.services for t in vocabulary_of(engine, sid))


@functools.lru_cache(maxsize=512)
def vocabulary_of(engine: SearchEngine, service_id: str) -> frozenset[str]:
    """Every normalised term of a service as a citizen reads it, in both languages."""
    service = engine.kb.services[service_id]
    text = f"{render.full(service, 'id')}\n{render.full(service, 'en')}"
    return frozenset(engine.normalizer.terms(text))


def telling_terms(engine: SearchEngine, text: str) -> set[str]:
    """Normalised words of a message that could tell a service: not generic, no event cue."""
    return set(engine.normalizer.terms(text)) - generic_terms(engine) - cue_terms(engine)


def named_terms(engine: SearchEngine, text: str) -> set[str]:
    """The telling words that some service knows."""
    return engine.service_terms(text) - generic_terms(engine) - cue_terms(engine)


def foreign_terms(engine: SearchEngine, text: str) -> set[str]:
    """See :func:`_foreign_terms` (computed once per message, asked several times)."""
    return set(_foreign_terms(engine, text))


@functools.lru_cache(maxsize=256)
def _foreign_terms(engine: SearchEngine, text: str) -> frozenset[str]:
    """Content words of the message that no service knows ("bitcoin", "saham"); chat
    fillers and function words ("ntar", "kan", "sekalian", as the glossary reads them)
    and frequent English words ("instead", "option") are no evidence of another topic."""
    fillers = function_terms() | cues_of(engine).english  # "instead", "option"
    for word in engine.normalizer.words(text):
        reading = set(engine.normalizer.clean(word).split()) - {word}
        if reading and {stem(w) for w in reading} <= function_terms():
            fillers = fillers | {word}  # "ntar": nanti, "jg": juga
    return frozenset(telling_terms(engine, text) - engine.service_terms(text) - fillers)


@functools.lru_cache(maxsize=1)
def function_terms() -> frozenset[str]:
    """Indonesian function words (Sastrawi's stop-word list, Tala's), stemmed."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    words = StopWordRemoverFactory().get_stop_words()
    return frozenset(stem(w) for w in words if w.isalpha())
