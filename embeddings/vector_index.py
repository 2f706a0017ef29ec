"""FAISS indexes of normalised vectors: exact (flat inner product) or approximate."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

INDEX_TYPES = ("flat", "hnsw", "ivf")


def create(dim: int, index_type: str = "flat", n_vectors: int = 0) -> faiss.Index:
    """An empty inner-product index; approximate types for large knowledge bases."""
    if index_type == "flat":
        return faiss.IndexFlatIP(dim)
    if index_type == "hnsw":
        hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.hnsw.efSearch = 256
        return hnsw
    if index_type == "ivf":
        nlist = max(1, min(4096, int(4 * np.sqrt(max(n_vectors, 1)))))
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.nprobe = max(1, nlist // 8)
        ivf.own_fields = True  # the index owns its quantizer
        quantizer.this.disown()  # type: ignore[attr-defined]
        return ivf
    raise ValueError(f"unknown index type {index_type!r}; one of {INDEX_TYPES}")


def build(vectors: np.ndarray, index_type: str = "flat") -> faiss.Index:
    """Index ``vectors`` (rows already L2-normalised)."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index = create(vectors.shape[1], index_type, len(vectors))
    if not index.is_trained:
        index.train(vectors)
    index.add(vectors)
    return index


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k inner products and row ids for each query row."""
    k = max(1, min(k, index.ntotal))
    scores, rows = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return scores, rows


def save(index: faiss.Index, path: Path) -> None:
    """Write with faiss.write_index (no pickle)."""
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    """Read with faiss.read_index."""
    return faiss.read_index(str(path))
