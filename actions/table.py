"""The services on the table: the focus, and what the last reply offered besides it.

A journey's buttons, or the other readings a guessed answer showed, stay offered until
the citizen picks one (slot ``offered``); a follow-up may be about any of them. These
functions say which one a follow-up means, or which earlier service it goes back to.
"""

from __future__ import annotations

from actions.cues import cues_of
from actions.reply import Turn
from actions.terms import name_terms, named_terms, telling_terms, title_terms, vocabulary_of
from embeddings.engine import SearchEngine, SearchResult

AGREE_DEPTH = 20  # how deep the search is read to compare two services for a follow-up


def candidates(engine: SearchEngine, turn: Turn) -> list[str]:
    """The focus, then the other services the last replies offered (a journey's buttons,
    a guessed answer's other readings)."""
    ids = [turn.focus or "", *turn.offered]
    return [sid for sid in dict.fromkeys(ids) if sid in engine.kb.services]


def best_offered(engine: SearchEngine, turn: Turn) -> str | None:
    """Of the services offered, the one whose words the follow-up uses most
    ("bisa dicicil?" after a journey led by SNBT: UKT relief), if it beats the focus and
    the search agrees."""
    if not turn.offered:
        return None
    # the focus is the journey's guess: a search sure of another service on the table,
    # with the guess not among its first three, is the citizen's pick ("yg 60% gaji itu
    # dapetnya brp lama?" after a job-loss journey led by the severance dispute)
    result = engine.search(turn.text)
    ranked_ids = [h.id for h in result.hits[:3]]
    if (
        result.verdict == "sure"
        and ranked_ids
        and ranked_ids[0] in turn.offered
        and turn.focus not in ranked_ids
    ):
        return ranked_ids[0]
    # frequent English words tell no service ("how many days after we arrive"); Sastrawi's
    # Indonesian list is too wide here ("perlu kartu keluarga baru?": baru tells it)
    named = named_terms(engine, turn.text) - cues_of(engine).english
    if not named:
        return None
    ranked = candidates(engine, turn)
    # the words it uses, then those its title has ("srat lingkungan": the environmental
    # approval, though the business number's text has "lingkungan" too)
    scores = [
        (len(named & vocabulary_of(engine, sid)), len(named & title_terms(engine, sid)))
        for sid in ranked
    ]
    best = max(range(len(ranked)), key=lambda i: (scores[i], -i))
    if best == 0 or scores[best] <= scores[0]:
        return None
    # and the search agrees: it ranks that one above the focus for this message (a word
    # of it alone is weak evidence: "bulanan", "kantor", "dikirim")
    order = [h.id for h in engine.search(turn.text, top_k=AGREE_DEPTH).hits]
    depth = len(order)
    place = {sid: order.index(sid) if sid in order else depth for sid in ranked}
    return ranked[best] if place[ranked[best]] < place[ranked[0]] else None


CONTEXT_HITS = 4  # how deep in an unsure search a service of the conversation is looked for


def in_context(engine: SearchEngine, result: SearchResult, turn: Turn) -> str | None:
    """For a search too unsure to answer alone: the best of its first hits that the
    conversation already holds (the focus, a journey's buttons, a service answered) and
    whose name the message uses ("nek KK ne piye, iso sekalian ra" after a birth journey
    that offered adding the baby to the family card)."""
    held = set(candidates(engine, turn)) | {sid for sid in turn.seen if sid in engine.kb.services}
    specific = telling_terms(engine, turn.text)
    for hit in result.hits[:CONTEXT_HITS]:
        if hit.id in held and specific & set(hit.matched) & name_terms(engine, hit.id):
            return hit.id
    return None


def earlier_service(engine: SearchEngine, turn: Turn, named: str | None = None) -> str | None:
    """The service a back-reference points to: the first one discussed, or the one before.
    A service the message names wins when the conversation has had it ("balik ke akta
    lahir td"), or when it only goes back ("balik ke soal KTP" names where to); "the first
    one" points to the first whatever else the search read in the message ("balik ke yg
    pertama td, surat dr kedutaannya hrs diterjemahin gk?")."""
    which = cues_of(engine).back_reference(turn.text)
    earlier = [sid for sid in turn.seen if sid != turn.focus and sid in engine.kb.services]
    if which is None:
        return None
    if named is not None and (named in earlier or which == "previous"):
        return named
    if not earlier:
        return None
    return earlier[0] if which == "first" else earlier[-1]


def in_journey(engine: SearchEngine, result: SearchResult, turn: Turn) -> str | None:
    """For a message the focus cannot answer, whose words it lacks: the first of the
    search's top hits that the conversation's life event has in its journey, or that the
    conversation already holds, and whose text has every word the message names ("bpjs jg
    hrs diganti?" while moving house: changing the health facility, not old-age savings)."""
    focus = engine.kb.services.get(turn.focus or "")
    if focus is None or result.verdict == "out_of_scope":
        return None
    named = {t for t in named_terms(engine, turn.text) - cues_of(engine).english if t.isalpha()}
    if not named or named <= vocabulary_of(engine, focus.id):
        return None
    held = set(candidates(engine, turn)) | set(turn.seen)
    held |= {s.id for s in engine.kb.journey(turn.life_event or "")}
    for hit in result.hits[: CONTEXT_HITS - 1]:
        if hit.id != focus.id and hit.id in held and named <= vocabulary_of(engine, hit.id):
            return hit.id
    return None
