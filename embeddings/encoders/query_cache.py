"""A bounded cache of query vectors in front of any encoder.

Chat traffic repeats itself: follow-ups such as "syaratnya apa aja?" or "biayanya
berapa?" and the common questions ("cara bikin ktp") come back thousands of times a day,
and each costs an encoder pass (about 10 ms of CPU with the default model). The cache
keeps the vectors of the most recently seen query texts (least recently used out first),
so a repeated text skips the encoder. Passages are never cached: they are encoded once,
when the index is built.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from embeddings.encoders.base import Encoder


class CachedQueryEncoder:
    """``encoder`` with its query vectors cached for up to ``size`` distinct texts."""

    def __init__(self, encoder: Encoder, size: int) -> None:
        if size < 1:
            raise ValueError("query cache size must be at least 1")
        self.inner = encoder
        self.backend = encoder.backend
        self.model = encoder.model
        self.dim = encoder.dim
        self.size = size
        self.hits = 0
        self.misses = 0
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Cached vectors where known; the rest encoded in one batch and remembered."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                vector = self._vectors.get(text)
                if vector is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._vectors.move_to_end(text)
                    out[i] = vector
            self.hits += len(texts) - sum(len(rows) for rows in missing.values())
            self.misses += len(missing)
        if missing:
            fresh = self.inner.encode_queries(list(missing))
            with self._lock:
                for (text, rows), vector in zip(missing.items(), fresh, strict=True):
                    out[rows] = vector
                    self._vectors[text] = vector.copy()
                    self._vectors.move_to_end(text)
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return out

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Passages go straight to the encoder."""
        return self.inner.encode_passages(texts)

    def stats(self) -> dict[str, int]:
        """Size and hit counts, for health pages and benchmarks."""
        with self._lock:
            return {"entries": len(self._vectors), "hits": self.hits, "misses": self.misses}
