"""The search engine: dense (encoder + FAISS) and lexical (BM25) retrieval, fused.

Loaded once per process and injected; nothing heavy happens at import time.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from embeddings import vector_index
from embeddings.confidence import Calibration, Verdict
from embeddings.documents import Passage, all_passages, lexical_text
from embeddings.encoders import Encoder
from embeddings.fusion import reciprocal_rank_fusion, top_indices
from embeddings.language import Lang, detect_language
from embeddings.lexical import LexicalIndex
from embeddings.life_events import LifeEventModel
from embeddings.text import Glossary, Normalizer, SpellingCorrector, tokens
from navigator.kb.loader import KnowledgeBase

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    """One ranked service."""

    id: str
    title: str
    title_en: str
    life_events: list[str]
    score: float
    dense: float
    lexical: float
    matched: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResult:
    """Ranked services for a query, with the life event guess and a calibrated confidence."""

    query: str
    hits: list[Hit]
    life_event: str | None
    life_event_scores: dict[str, float]
    confidence: float
    verdict: Verdict
    language: Lang

    @property
    def top(self) -> Hit | None:
        """The best hit, if any."""
        return self.hits[0] if self.hits else None


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the three signals in reciprocal rank fusion."""

    dense: float = 1.0
    lexical: float = 1.3
    life_event: float = 0.5
    k: float = 10.0


class SearchEngine:
    """Hybrid retrieval over one knowledge base with one encoder and one FAISS index."""

    def __init__(
        self,
        kb: KnowledgeBase,
        encoder: Encoder,
        index: object,
        rows: list[str],
        weights: FusionWeights | None = None,
        calibration: Calibration | None = None,
    ) -> None:
        self.kb = kb
        self.encoder = encoder
        self.index = index
        self.rows = rows
        self.weights = weights or FusionWeights()
        self.calibration = calibration or Calibration.default()
        self.ids = sorted(kb.services)
        self._position = {sid: i for i, sid in enumerate(self.ids)}
        self._row_service = np.array([self._position[sid] for sid in rows], dtype=np.int64)
        glossary = Glossary((e.term, e.means) for e in kb.glossary)
        texts = [lexical_text(kb.services[s]) for s in self.ids]
        vocabulary = Counter(w for text in texts for w in tokens(text))
        vocabulary.update(w for e in kb.glossary for w in tokens(e.means))
        glossary_terms = {w for e in kb.glossary for w in tokens(e.term)}
        if kb.dialogue is not None:  # thanks and greetings as typed ("mkasih" is no "masih")
            talk = (c for cues in kb.dialogue.smalltalk.values() for c in cues)
            glossary_terms |= {w for c in talk for w in tokens(c)}
        corrector = SpellingCorrector(vocabulary, protected=glossary_terms)
        self.normalizer = Normalizer(glossary, vocabulary, corrector)
        self.lexical = LexicalIndex(self.ids, texts, self.normalizer)
        self.life_events = LifeEventModel(kb, self.normalizer, self.ids)
        self._terms = dict(zip(self.ids, self.lexical.doc_terms, strict=True))
        self._any_service_terms: frozenset[str] = frozenset().union(*self._terms.values())
        self._event_masks = {
            event: np.array([event in kb.services[s].life_events for s in self.ids])
            for event in kb.life_events
        }

    # -- construction -----------------------------------------------------------------
    @classmethod
    def build(
        cls, kb: KnowledgeBase, encoder: Encoder, index_type: str = "flat", **kwargs: object
    ) -> SearchEngine:
        """Encode the knowledge base and build the index in memory."""
        passages: list[Passage] = all_passages(kb)
        vectors = encoder.encode_passages([p.text for p in passages])
        index = vector_index.build(vectors, index_type)
        return cls(kb, encoder, index, [p.service_id for p in passages], **kwargs)  # type: ignore[arg-type]

    def warm_up(self) -> None:
        """Run a few searches so the first citizen does not pay for cold caches."""
        self.search_many(["cara membuat akta kelahiran", "how to get a passport"], top_k=3)
        self.search("gmn bikin ktp", top_k=3)

    # -- search -----------------------------------------------------------------------
    def service_terms(self, query: str) -> set[str]:
        """The query's normalised terms that occur in some service (no encoding: cheap).

        A hit's ``matched`` terms are always a subset of these, so a query with none of
        them cannot tie any result to a service by its words.
        """
        return {t for t in self.normalizer.terms(query) if t in self._any_service_terms}

    def _dense_scores(self, vectors: np.ndarray) -> np.ndarray:
        """Per service, the best cosine over its passages; shape (n_queries, n_services)."""
        k = min(len(self.rows), 64)
        scores, rows = vector_index.search(self.index, vectors, k)  # type: ignore[arg-type]
        out = np.full((len(vectors), len(self.ids)), -1.0, dtype=np.float32)
        for q in range(len(vectors)):
            valid = rows[q] >= 0
            services = self._row_service[rows[q][valid]]
            np.maximum.at(out[q], services, scores[q][valid])
        out[out < -0.5] = float(scores.min()) if scores.size else 0.0
        return out

    def search(self, query: str, top_k: int = 5, life_event: str | None = None) -> SearchResult:
        """Ranked services for one query."""
        return self.search_many([query], top_k=top_k, life_event=life_event)[0]

    def search_many(
        self, queries: Sequence[str], top_k: int = 5, life_event: str | None = None
    ) -> list[SearchResult]:
        """Ranked services for many queries, encoding them in one batch."""
        if self.weights.dense > 0:
            cleaned = [self.normalizer.clean(q) or q for q in queries]
            dense = self._dense_scores(self.encoder.encode_queries(cleaned))
        else:  # lexical-only configuration (benchmarks): no encoding at all
            dense = np.zeros((len(queries), len(self.ids)), dtype=np.float32)
        return [self._rank(query, dense[i], top_k, life_event) for i, query in enumerate(queries)]

    def _rank(
        self, query: str, dense: np.ndarray, top_k: int, life_event: str | None
    ) -> SearchResult:
        query_terms = self.normalizer.terms(query)
        lexical = self.lexical.scores(query, query_terms)
        known = self.lexical.known_terms(query, query_terms)
        events = self.life_events.scores(query, query_terms)
        prior = self.life_events.service_prior(events, query_terms)
        w = self.weights
        fused = reciprocal_rank_fusion(
            [dense, lexical, prior],
            [w.dense, w.lexical, w.life_event],
            k=w.k,
            active=[True, bool(lexical.any()), bool(prior.any())],
        )
        candidates = fused
        if life_event:
            mask = self._event_masks.get(life_event)
            candidates = np.where(mask, fused, -np.inf) if mask is not None else fused * -np.inf
        order = top_indices(candidates, max(top_k, 1))
        hits = [self._hit(int(i), fused, dense, lexical, query_terms) for i in order[:top_k]]
        event_guess, event_scores = self.life_events.guess(events, hits)
        confidence = self.calibration.confidence(
            dense, lexical, fused, order, known, len(query_terms)
        )
        verdict = self.calibration.verdict(
            confidence, known, float(dense.max()), event_cued=bool(events.any())
        )
        if verdict == "out_of_scope" and not life_event:
            event_guess, event_scores = None, {}
        return SearchResult(
            query=query,
            hits=hits,
            life_event=life_event or event_guess,
            life_event_scores=event_scores,
            confidence=confidence,
            verdict=verdict,
            language=detect_language(query),
        )

    def _hit(
        self, i: int, fused: np.ndarray, dense: np.ndarray, lexical: np.ndarray, terms: list[str]
    ) -> Hit:
        service = self.kb.services[self.ids[i]]
        matched = sorted({t for t in terms if t in self._terms[service.id]})
        return Hit(
            id=service.id,
            title=service.title,
            title_en=service.title_en,
            life_events=list(service.life_events),
            score=round(float(fused[i]), 6),
            dense=round(float(dense[i]), 4),
            lexical=round(float(lexical[i]), 4),
            matched=matched,
        )


Mode = Literal["hybrid", "dense", "lexical"]
