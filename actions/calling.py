"""Whether a follow-up calls another service than the one in focus by name.

A follow-up stays on the focus unless it names another service: by a whole name of it
(title, English title, alias), by a word of its title that few services use, or by a life
event's word of its title. A document the focus merely needs is no such name when the
message asks whether the focus needs it ("perlu KK ga?").
"""

from __future__ import annotations

from actions.cues import cues_of
from actions.naming import rare_title_words
from actions.reply import Turn
from actions.terms import (
    cue_terms,
    function_terms,
    generic_terms,
    name_terms,
    names_apart,
    term_spread,
    title_terms,
    titles_apart,
)
from embeddings.engine import Hit, SearchEngine, SearchResult
from navigator.kb.schema import Service


def retitled(engine: SearchEngine, turn: Turn, top: Hit, focus: Service) -> bool:
    """The message types a life event's word ("pensiun") that the top hit's title has and
    the focus's title lacks: the words ``specific_terms`` leaves out, as a name."""
    typed = set(engine.normalizer.typed_terms(turn.text))
    words = set(top.matched) & typed & title_terms(engine, top.id) - title_terms(engine, focus.id)
    return bool(words & cue_terms(engine) - generic_terms(engine) - function_terms())


def calls_by_name(
    engine: SearchEngine, turn: Turn, top: str, focus: Service, specific: set[str]
) -> bool:
    """The message calls the top hit by one of its names (title, English title, alias),
    every word of it, with a word the focus's names lack ("kk", "NPWP", "death
    certificate"; not "selection" of "National Selection into State Universities"): a
    document the focus merely asks for counts when it is mentioned for itself, not when
    the message asks whether the focus needs it ("perlu KK ga?" about the birth
    certificate)."""
    if top == focus.id:
        return False
    said = set(engine.normalizer.terms(turn.text))
    own = name_terms(engine, focus.id)
    called = [n for n in names_apart(engine, top) if n <= said and n - own]
    # with a telling word of its own, a life event's word names a service too when a whole
    # name of it is called ("civil service test" reads as "cpns", a word of the work event)
    naming = {t for n in called for t in n} & (
        specific | (cue_terms(engine) if specific else set())
    )
    if not naming:
        return False
    cues = cues_of(engine)
    if cues.aspect_of(turn.text) == "requirements" and not cues.asks_to_obtain(turn.text):
        needs = " ".join(focus.requirements + focus.requirements_en)
        return not naming <= set(engine.normalizer.terms(needs))
    return True  # "I never got a tax number. Do I need to apply for one?": the NPWP


def names_other(
    engine: SearchEngine, result: SearchResult, turn: Turn, focus: Service | None
) -> bool:
    """The message names the top hit, which is not the focus, however unsure the search:
    a word of its title that at most two services use anywhere and the focus's title
    lacks ("klo prakerja msh buka?" after BLK training), or every word of one of its
    titles ("trs akta klahiran adiknya bs skalian?" after the child ID card). Not when it
    asks whether the focus needs that document ("perlu akta kelahiran ga?" about the
    child ID card)."""
    top = result.top
    if top is None or focus is None or top.id == focus.id or result.verdict == "out_of_scope":
        return False
    own = title_terms(engine, focus.id)
    rare = rare_title_words(engine, top, focus.id, term_spread(engine))
    titled = any(t - own and t <= set(top.matched) for t in titles_apart(engine, top.id))
    if not (rare or titled):
        return False
    if cues_of(engine).aspect_of(turn.text) == "requirements":
        needs = " ".join(focus.requirements + focus.requirements_en)
        named = set(top.matched) & title_terms(engine, top.id) - generic_terms(engine)
        if named <= set(engine.normalizer.terms(needs)):
            return False
    return True
