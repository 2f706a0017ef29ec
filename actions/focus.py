"""Which service a message is about: the one in focus, another it names, or a life event.

The focus is the service the conversation is about (slot ``service``). A follow-up
stays on it unless its words clearly name another service; a message that tells a life
event without naming a service ("bini lahiran, urus apa?") opens that event's journey.
"""

from __future__ import annotations

import re
from dataclasses import replace

from actions.calling import calls_by_name, names_other, retitled
from actions.cues import cues_of
from actions.naming import FOCUS_MARGIN
from actions.reply import Turn
from actions.table import candidates, earlier_service, in_journey
from actions.terms import (
    cue_terms,
    foreign_terms,
    function_terms,
    generic_terms,
    journey_title_terms,
    name_terms,
    named_terms,
    title_terms,
    vocabulary_of,
)
from embeddings.engine import Hit, SearchEngine, SearchResult
from embeddings.text import root_words
from navigator.kb.schema import Service

EVENT_SHARE = 0.5  # the life event guess is taken when it holds this share of the evidence
NEW_QUESTION = 2  # telling words of a message that asks a question of its own
FOREIGN_WORDS = 2  # words no service knows that make a message naming none no follow-up


def specific_terms(engine: SearchEngine, result: SearchResult) -> set[str]:
    """Terms of the query that tie the top hit to a service: not generic, no event cue,
    and no function word unless the hit's title has it ("biasanya" is no "paspor biasa";
    "baru" is "KK baru")."""
    return hit_terms(engine, result.top) if result.top is not None else set()


def hit_terms(engine: SearchEngine, hit: Hit) -> set[str]:
    """The terms of the query that tie one hit to its service (see ``specific_terms``)."""
    function = function_terms() - title_terms(engine, hit.id)
    return set(hit.matched) - generic_terms(engine) - cue_terms(engine) - function


def names_likely(engine: SearchEngine, result: SearchResult) -> bool:
    """The query uses a name of one of the top services (worth offering them)."""
    terms = specific_terms(engine, result)
    return any(terms & name_terms(engine, h.id) for h in result.hits[:3])


def cued_events(engine: SearchEngine, text: str) -> set[str]:
    """Life events whose cue words the message itself uses ("lahiran", "di-PHK")."""
    scores = engine.life_events.scores(text)
    return {e for e, score in zip(engine.life_events.event_ids, scores, strict=True) if score > 0}


def negated_events(engine: SearchEngine, turn: Turn) -> set[str]:
    """With a service in focus, the life events whose words the message uses only for a
    state that does not hold: a condition of the question ("siapa yg berhak? adk sy blm
    nikah" about the accident compensation), no event told."""
    if turn.focus not in engine.kb.services or turn.is_payload:
        return set()
    kept = cues_of(engine).without_negated(turn.text)
    return cued_events(engine, turn.text) - cued_events(engine, kept)


def told_event(engine: SearchEngine, result: SearchResult, turn: Turn) -> str | None:
    """The life event a message tells without naming a service ("bini lahiran, urus apa?").

    The message must use a cue word of the event: services that merely resemble a short
    follow-up ("sing kudu digowo opo wae") never open another event's journey; and a
    question about a part of the focus in its own event is about the focus.
    """
    if turn.entity("service") in engine.kb.services:
        return None
    event = turn.entity("life_event")
    if event not in engine.kb.life_events:
        event = result.life_event
        if result.life_event_scores.get(event or "", 0.0) < EVENT_SHARE:
            return None
        if event not in cued_events(engine, turn.text):
            return None
    if specific_terms(engine, result) or asks_within(engine, turn, event):
        return None
    if event in negated_events(engine, turn):
        return None
    return event if event in engine.kb.life_events else None


def asks_within(engine: SearchEngine, turn: Turn, event: str | None) -> bool:
    """The message asks for a part of the service in focus, in the life event it tells:
    a question about the focus, not the event's journey again ("berapa lama prosesnya
    hingga pensiun pertama dibayarkan?" about the ASN pension)."""
    focus = engine.kb.services.get(turn.focus or "")
    if focus is None or turn.is_payload or event not in focus.life_events:
        return False
    if cues_of(engine).aspect_of(turn.text) is None:
        return False
    # the event's words that name a service there name the focus ("pensiun"), not
    # another ("surat pindahnya bisa online?" about the KTP: the move itself)
    told = set(engine.normalizer.terms(turn.text)) & cue_terms(engine)
    return told & journey_title_terms(engine, str(event)) <= title_terms(engine, focus.id)


def _is_requirement_of(focus: Service, typed: list[str]) -> bool:
    """The named document is something the focus service asks for ("perlu KK ga?")."""
    needs = " ".join(focus.requirements + focus.requirements_en).lower()
    return any(re.search(rf"\b{re.escape(t.lower())}\b", needs) for t in typed if t)


def names_a_service(engine: SearchEngine, result: SearchResult | None, turn: Turn) -> str | None:
    """The service a follow-up names, if it clearly names another one (moves the focus)."""
    focus = engine.kb.services.get(turn.focus or "")
    named = turn.entity("service")
    if named and named in engine.kb.services and named != (focus.id if focus else None):
        typed = turn.entity_texts.get("service", [])
        if (
            focus is not None
            and cues_of(engine).aspect_of(turn.text) == "requirements"
            and not cues_of(engine).asks_to_obtain(turn.text)
            and _is_requirement_of(focus, typed)
        ):
            return None  # "perlu KK ga?" asks about the focus service's requirements
        return named
    top = result.top if result is not None else None
    if result is not None and top is not None and names_other(engine, result, turn, focus):
        return top.id
    if result is None or top is None or focus is None and result.verdict != "sure":
        return None
    if focus is not None and result.verdict != "out_of_scope":
        # "kk jg ilng" after the KTP; "trs izin usahanya ngurs dmn" after the old-age
        # savings: an unsure search between the business number and land use shows its
        # first three; a sure one, its top
        for hit in result.hits[: 1 if result.verdict == "sure" else 3]:
            if calls_by_name(engine, turn, hit.id, focus, hit_terms(engine, hit)):
                return hit.id
    if result.verdict != "sure":
        return None
    specific = specific_terms(engine, result)
    ranked = [h.id for h in result.hits[:3]]
    # every word that could name a service is the focus's own: stay, unless it is a
    # question of its own that the focus does not even fit ("akta lahirnya cm ada nama
    # ibu, bs dibenerin?" after isbat nikah), which goes where the search says; a word
    # of the focus's title keeps it ("berapa lama sampai pensiun dibayar?" on ASN pension)
    if focus is None:
        return top.id if specific else None
    scores = {h.id: h.score for h in result.hits}
    close = scores.get(focus.id, -1.0) >= top.score - FOCUS_MARGIN
    asks = cues_of(engine).aspect_of(turn.text)
    if not close and asks != "requirements" and retitled(engine, turn, top, focus):
        return top.id  # "pensiun bulanan ti BPJS?" after the old-age savings: the pension
    if specific <= vocabulary_of(engine, focus.id) and (
        focus.id in ranked
        or len(specific) < NEW_QUESTION
        or specific & title_terms(engine, focus.id)
    ):
        return None
    if close:
        return None  # the focus scores nearly as well: the conversation decides
    known = named_terms(engine, turn.text)
    if set(top.matched) & known <= vocabulary_of(engine, focus.id) and (
        known & vocabulary_of(engine, focus.id) - set(top.matched)
    ):
        return None  # the focus knows all the top found and more ("lapor masih hidup")
    if focus.id in ranked or asks:
        # the focus fits too ("perlu notaris?"), or the message asks for a part of a
        # service ("dokumen apa saja yang diminta?"): switch only when a word of the
        # other's titles names it ("antre" of "antrean haji" does not name the hajj)
        own = title_terms(engine, focus.id)
        if top.id != focus.id and specific & title_terms(engine, top.id) - own:
            return top.id
        # the focus does not fit at all, and the message has a telling word it lacks
        # ("keripiknya dibungkus plastik, perlu izin apa?" after the job-loss benefit)
        lacks = specific - vocabulary_of(engine, focus.id) & engine.lexical.distinctive
        written = set(engine.normalizer.typed_terms(turn.text))
        return top.id if focus.id not in ranked and lacks & written else None
    # a word that a quarter of the services use tells none of them ("tahun", "masih")
    return top.id if specific & engine.lexical.distinctive else None


def about_focus_only(engine: SearchEngine, turn: Turn) -> bool:
    """A follow-up on the service in focus whose words can name no other service
    ("biayanya berapa?", "kalau sudah telat?"): a search could not move the focus, so
    none is run. Exact: ``names_a_service`` needs specific terms, and these are a subset
    of the query's service terms."""
    if turn.focus not in engine.kb.services:
        return False
    return not named_terms(engine, turn.text)


def off_topic(engine: SearchEngine, text: str) -> bool:
    """Words no service knows outweigh the ones it does ("harga bitcoin bakal naik")."""
    foreign = foreign_terms(engine, text)
    if not foreign:
        return False
    return len(foreign) > 1 or not named_terms(engine, text)


def reads_as_follow_up(engine: SearchEngine, turn: Turn, nlu_refused: bool = False) -> bool:
    """With a service in focus, the message can be read as a question about it: it asks
    for a part of a service, goes back to an earlier one, or names nothing but the
    focus and the services just offered ("trus?", "yg itu gmn", "bisa dicicil ga?").
    When NLU read it as out of scope, words that no service knows ("harga bitcoin")
    keep it out of scope."""
    cues = cues_of(engine)
    if turn.focus not in engine.kb.services or turn.is_payload or cues.changes_topic(turn.text):
        return False  # "unrelated, but how do I top up my GoPay?"
    if nlu_refused and foreign_terms(engine, turn.text):  # "cara beli ktp palsu"
        return False
    if cues.aspect_of(turn.text) or cues.back_reference(turn.text):
        return True
    named = named_terms(engine, turn.text)
    foreign = foreign_terms(engine, turn.text)
    if not named and len(foreign & root_words()) >= FOREIGN_WORDS:
        # "eh min resep rendang yg empuk gmn": words of the dictionary, none a service's;
        # a spelling no dictionary has is no evidence ("dftrnya lwt ap", "barudak kenging")
        return False
    if (
        not named
        and len(foreign) >= FOREIGN_WORDS
        and cues.language(replace(turn, lang=None, lang_hint=None)) == "en"
        and engine.search(turn.text).verdict == "out_of_scope"
    ):
        # "Can you top up my GoPay 100k real quick?": English words no service knows, and
        # the search, which reads English well (not chat spellings: "dftrnya lwt ap"),
        # finds the whole message far from every service
        return False
    return any(named <= vocabulary_of(engine, sid) for sid in candidates(engine, turn))


def focus_reading(
    engine: SearchEngine, turn: Turn, result: SearchResult
) -> tuple[bool, str | None]:
    """In the middle of a conversation: whether a message stays on the focus, and the
    service it moves to instead, if any. It moves to a service it names, or, when it
    reads as no follow-up, to one of the conversation's life event that has the words the
    focus lacks ("bpjs jg hrs diganti?" while moving house); it leaves the focus too when
    it tells a life event, says it leaves the topic, or uses words no service knows."""
    if turn.focus not in engine.kb.services or turn.is_payload:
        return False, None
    moved = names_a_service(engine, result, turn)
    if earlier_service(engine, turn, moved) not in (None, moved):
        return True, None  # "balik ke yg pertama td, ...": the follow-up goes back
    follows = reads_as_follow_up(engine, turn)
    if not (moved or turn.entity("service") or follows):
        moved = in_journey(engine, result, turn)
    if moved or cues_of(engine).changes_topic(turn.text) or told_event(engine, result, turn):
        return False, moved  # "unrelated, but ...": searched afresh
    return follows or not off_topic(engine, turn.text), None
