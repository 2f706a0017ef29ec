"""Life-event understanding: cue phrases in the query and the events of the top hits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from embeddings.text import Normalizer, stem
from navigator.kb.loader import KnowledgeBase
from navigator.kb.schema import Situation


class _HitLike(Protocol):
    @property
    def life_events(self) -> list[str]: ...


def cue_forms(
    normalizer: Normalizer, phrase: str, small_words: bool = False
) -> list[frozenset[str]]:
    """The terms a message must have for a cue phrase: as the glossary reads the phrase,
    and, for a phrase of several words, as it is written. The glossary may add words to
    a phrase ("tidak ada penghasilan" also reads as "tidak mampu, bantuan sosial"), which
    a citizen who typed "gk ada penghsilan" never wrote; either form is enough. With
    ``small_words`` the stop words stay ("mau lahiran" is not "lahiran")."""
    if small_words:
        read = normalizer.phrase_terms(phrase)
        written = [stem(w) for w in normalizer.words(phrase)]
    else:
        read = normalizer.terms(phrase)
        written = normalizer.typed_terms(phrase)
    forms = [frozenset(read)]
    if len(set(written)) > 1:  # one word as written is too loose ("meninggal": "tinggal")
        forms.append(frozenset(written))
    return [f for f in dict.fromkeys(forms) if f]


class LifeEventModel:
    """Scores each life event for a query, and turns that into a prior over services."""

    def __init__(self, kb: KnowledgeBase, normalizer: Normalizer, service_ids: list[str]) -> None:
        self.event_ids = list(kb.life_events)
        self.normalizer = normalizer
        self._cues: list[tuple[int, frozenset[str]]] = []
        for e, event in enumerate(kb.life_events.values()):
            for phrase in [*event.cues, event.name, event.name_en]:
                for terms in cue_forms(normalizer, phrase):
                    self._cues.append((e, terms))
        position = {sid: i for i, sid in enumerate(service_ids)}
        # situations: cue terms -> (event index, services vector with 1, 1/2, 1/3 ...)
        self._situations: list[tuple[int, frozenset[str], np.ndarray]] = []
        self._situation_cues: list[tuple[str, frozenset[str], Situation]] = []
        for e, event in enumerate(kb.life_events.values()):
            for situation in event.situations:
                for phrase in situation.cues:
                    for terms in cue_forms(normalizer, phrase, small_words=True):
                        self._situation_cues.append((event.id, terms, situation))
                vector = np.zeros(len(service_ids), dtype=np.float64)
                for rank, sid in enumerate(situation.services):
                    if sid in position:
                        vector[position[sid]] = 1.0 / (1 + rank)
                for phrase in situation.cues:
                    for terms in cue_forms(normalizer, phrase):
                        self._situations.append((e, terms, vector))
                        self._cues.append((e, terms))
        # prior[e, s]: how early service s comes in event e's journey (1, 1/2, 1/3, ...)
        self._prior = np.zeros((len(self.event_ids), len(service_ids)), dtype=np.float64)
        for e, event in enumerate(kb.life_events.values()):
            for rank, sid in enumerate(event.journey):
                if sid in position:
                    self._prior[e, position[sid]] = 1.0 / (1 + rank)

    def scores(self, query: str, query_terms: list[str] | None = None) -> np.ndarray:
        """Per event: the size of the largest of its cue phrases found in the query."""
        terms = set(query_terms if query_terms is not None else self.normalizer.terms(query))
        out = np.zeros(len(self.event_ids), dtype=np.float64)
        for e, cue in self._cues:
            if cue <= terms:
                out[e] = max(out[e], float(len(cue)))
        return out

    def service_prior(
        self, event_scores: np.ndarray, query_terms: list[str] | None = None
    ) -> np.ndarray:
        """Services first for the situation named ("di-PHK"), then early in the event's journey."""
        if not event_scores.any():
            return np.zeros(self._prior.shape[1], dtype=np.float64)
        weights = event_scores / event_scores.max()
        weights[weights < 1.0] = 0.0  # only the best-cued event(s) give a prior
        prior = weights @ self._prior
        if query_terms is not None:
            terms = set(query_terms)
            best = 0
            matched: list[np.ndarray] = []
            for _, cue, vector in self._situations:
                if cue <= terms and len(cue) >= best:
                    if len(cue) > best:
                        best, matched = len(cue), []
                    matched.append(vector)
            if matched:
                prior = prior + 2.0 * np.maximum.reduce(matched)
        return prior

    def situation(self, event_id: str, text: str, order: Sequence[str] = ()) -> Situation | None:
        """The situation of ``event_id`` whose longest cue the message contains, if any;
        between cues as long, the one whose services come first in ``order`` (the
        search's ranking for the message: "ayah meninggal, rumahnya masih atas nama
        beliau" tells a breadwinner's death and an inherited house alike; the search
        finds the house).

        Cues keep their small words here ("mau lahiran" is before the birth, "baru lahir"
        after it), so a message must contain the whole phrase.
        """
        terms = set(self.normalizer.phrase_terms(text))
        place = {sid: i for i, sid in enumerate(order)}

        def agreement(situation: Situation) -> int:
            return -min((place.get(sid, len(place)) for sid in situation.services), default=0)

        best: tuple[int, int, Situation] | None = None
        for event, cue, situation in self._situation_cues:
            if event != event_id or not cue <= terms:
                continue
            rank = (len(cue), agreement(situation))
            if best is None or rank > best[:2]:
                best = (*rank, situation)
        return best[2] if best else None

    def guess(
        self, event_scores: np.ndarray, hits: Sequence[_HitLike]
    ) -> tuple[str | None, dict[str, float]]:
        """The most likely life event, from cues and the events of the top three hits."""
        combined = np.zeros(len(self.event_ids), dtype=np.float64)
        if event_scores.any():
            combined += event_scores / event_scores.max()
        index = {e: i for i, e in enumerate(self.event_ids)}
        for rank, hit in enumerate(hits[:3]):
            for event in hit.life_events:
                if event in index:
                    combined[index[event]] += (1.0 / (rank + 1)) / len(hit.life_events)
        total = combined.sum()
        if total <= 0:
            return None, {}
        distribution = combined / total
        scores = {e: round(float(distribution[i]), 3) for i, e in enumerate(self.event_ids)}
        best = int(np.argmax(distribution))
        return self.event_ids[best], {k: v for k, v in scores.items() if v > 0}
