"""The service NLU named, weighed against the search.

NLU's entity ruler finds a service in the words typed; the search reads the whole
message. When they disagree, these functions say whose reading stands: a name that many
titles share lets the search choose among them, and a search that is sure of another
service, by a rare word of its title or by a clear margin, overrules NLU.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from actions.reply import Turn
from actions.terms import generic_terms, name_counts, names_apart, title_terms
from embeddings.engine import Hit, SearchEngine, SearchResult

RARE_NAME = 2  # a title word used by at most this many titles names one service
FOCUS_MARGIN = 0.02  # a focus scoring this close to the top hit keeps a follow-up
LONGER_NAME_HITS = 3  # the search's readings a longer name may pick among


def weigh_pick(engine: SearchEngine, result: SearchResult, turn: Turn) -> tuple[Turn, bool]:
    """The turn with NLU's service kept, replaced by the search's top or dropped; and
    whether the search chose among readings (then its others stay offered).

    "duit bpjs tk sy bisa diambil?": the search knows it is old-age savings. A service of
    the name typed is named all the same, whatever the focus ("abis nikah kk nya gmn?":
    the new family card)."""
    picked, top = turn.entity("service"), result.top
    if not picked or top is None or top.id == picked:
        return turn, False
    longer = longer_name(engine, result, turn, picked)
    if longer is not None:
        return replace(turn, entities={**turn.entities, "service": [longer]}), False
    if not (
        vague_name(engine, turn)
        or outnamed(engine, result, picked)
        or out_of_event(engine, result, turn, picked)
    ):
        return turn, False
    chosen = [top.id] if top.id in name_sharers(engine, turn) else []
    return replace(turn, entities={**turn.entities, "service": chosen}), True


def longer_name(engine: SearchEngine, result: SearchResult, turn: Turn, picked: str) -> str | None:
    """A service of the search's first readings that the message calls by a longer name,
    which holds the words NLU found ("wajib memindahkan KTP-nya?": "pindah KTP" is a name
    of the certificate of moving, not the ID card; "KK baru" the new family card)."""
    found = set(engine.normalizer.typed_terms(" ".join(turn.entity_texts.get("service", []))))
    if not found or picked not in engine.kb.services:
        return None
    said = engine.normalizer.typed_terms(turn.text)
    own = names_apart(engine, picked)
    for hit in result.hits[:LONGER_NAME_HITS]:
        if hit.id == picked:
            continue
        names = [n for n in names_apart(engine, hit.id) if found < n and typed_together(n, said)]
        if any(not any(n <= o for o in own) for n in names):
            return hit.id
    return None


def typed_together(name: frozenset[str], said: list[str]) -> bool:
    """Every word of the name typed side by side, in any order ("kk nya gnti": "ganti
    kk"; not "anakku ... bikin e-ktp", which is no "e-ktp anak")."""
    size = len(name)
    return any(set(said[i : i + size]) == name for i in range(len(said) - size + 1))


def out_of_event(engine: SearchEngine, result: SearchResult, turn: Turn, picked: str) -> bool:
    """The message tells a life event that the service NLU found is not part of, and the
    search is sure of a service of that event whose title has a word of the name typed: a
    kind of the thing named that fits the event ("papa aku pensiunan PNS, meninggal bulan
    lalu. Mama bisa lanjut dapet pensiunnya?": the widow's pension, not the civil servant's
    own; "changing my ID card status to married" keeps the ID card)."""
    told = turn.entity("life_event")
    top = result.top
    services = engine.kb.services
    if told is None or top is None or result.verdict != "sure" or picked not in services:
        return False
    if told in services[picked].life_events or told not in services[top.id].life_events:
        return False
    typed = set(engine.normalizer.typed_terms(" ".join(turn.entity_texts.get("service", []))))
    return bool(typed & title_terms(engine, top.id))


def name_sharers(engine: SearchEngine, turn: Turn) -> set[str]:
    """The services whose titles have every word of the service NLU found, as typed or as
    the glossary reads them ("bpjs tk": bpjs ketenagakerjaan)."""
    typed = " ".join(turn.entity_texts.get("service", []))
    forms = [set(engine.normalizer.typed_terms(typed))]  # as typed, and as the glossary
    forms.append(set(engine.normalizer.typed_terms(engine.normalizer.clean(typed))))  # reads it
    forms = [f for f in forms if f]
    return {sid for sid in engine.kb.services if any(f <= title_terms(engine, sid) for f in forms)}


def vague_name(engine: SearchEngine, turn: Turn) -> bool:
    """The service NLU found was typed as words that many services' titles share ("bpjs
    tk" is registration, old-age savings and pension alike): the search should decide."""
    return len(name_sharers(engine, turn)) > RARE_NAME


def outnamed(engine: SearchEngine, result: SearchResult, picked: str) -> bool:
    """The search is sure of another service than the one NLU found, and the message uses
    a word of that service's title that no more than two titles have, which the found
    one's title lacks ("adhiku TKW nang Taiwan seda, piye mulihke jenazahe?": NLU found the
    migrant registration in "TKW"; the search, repatriation of the body), or scores the
    found one more than ``FOCUS_MARGIN`` below its top."""
    top = result.top
    if top is None or top.id == picked or result.verdict != "sure":
        return False
    if rare_title_words(engine, top, picked, name_counts(engine)):
        return True
    # or the found one scores clearly below it, on a message that asks more than its name
    # ("akta kelahiran anak sy cm ada nama ibu, gmn agar nama ayahnya dicantumkan?")
    scores = {h.id: h.score for h in result.hits}
    return picked not in scores or scores[picked] < top.score - FOCUS_MARGIN


def rare_title_words(engine: SearchEngine, hit: Hit, other: str, counts: Counter[str]) -> set[str]:
    """Words the hit matched in its title that ``other``'s title lacks and at most
    ``RARE_NAME`` services use, as ``counts`` counts them (titles, or whole texts)."""
    words = set(hit.matched) & title_terms(engine, hit.id) - title_terms(engine, other)
    return {t for t in words - generic_terms(engine) if counts[t] <= RARE_NAME}
