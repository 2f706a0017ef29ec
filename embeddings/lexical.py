"""Indonesian-aware BM25 (bm25s) over the services' lexical text."""

from __future__ import annotations

import logging
from collections import Counter

import bm25s
import numpy as np

from embeddings.text import Normalizer

logger = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG when imported; keep its per-build chatter out of our logs.
logging.getLogger("bm25s").setLevel(logging.WARNING)


# Question and function words: they occur in service text but say nothing about whether
# a message is about public services at all ("cuaca hari ini gimana", "who should I vote").
NOT_EVIDENCE = frozenset(
    """
    bagaimana gimana berapa tidak hari cara buat membuat buat yang mana jadi sekarang
    dapat pada tentang apakah sejak hasil turut lebih bisa kalau terus bantu dasar baru
    lama nanti kapan siapa kenapa mengapa harus boleh perlu sama aman tinggal punya
    pakai pakai kasih like who and have there what which when where why with from your
    about this that will there have has into only just also much many more most some
    than then them they
    """.split()
)


class LexicalIndex:
    """BM25 over one document per service; scores for every service at once."""

    def __init__(
        self,
        ids: list[str],
        texts: list[str],
        normalizer: Normalizer,
        k1: float = 1.2,
        b: float = 0.6,
    ) -> None:
        self.ids = ids
        self.normalizer = normalizer
        corpus = [normalizer.terms(text) for text in texts]
        self.doc_terms = [set(doc) for doc in corpus]
        self.vocabulary = {term for doc in corpus for term in doc}
        frequency = Counter(term for doc in corpus for term in set(doc))
        # Terms in a quarter or more of the services ("cara", "syarat") say little about scope.
        limit = max(2, int(0.25 * len(corpus)))
        self.distinctive = {
            t for t, n in frequency.items() if n < limit and t not in NOT_EVIDENCE and len(t) > 2
        }
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        self._bm25.index(corpus, show_progress=False)

    def scores(self, query: str, terms: list[str] | None = None) -> np.ndarray:
        """BM25 score of each service for ``query`` (zeros when no term is known)."""
        terms = [t for t in (terms or self.normalizer.terms(query)) if t in self.vocabulary]
        if not terms:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def known_terms(self, query: str, terms: list[str] | None = None) -> list[str]:
        """The query's distinctive terms found in the knowledge base (evidence of scope)."""
        return [t for t in (terms or self.normalizer.terms(query)) if t in self.distinctive]
