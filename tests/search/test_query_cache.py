"""The query-vector cache: same vectors as the encoder, fewer encoder calls, bounded."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.encoders import EncoderSettings
from embeddings.encoders.query_cache import CachedQueryEncoder


class CountingEncoder:
    """Deterministic vectors from the text; remembers every batch it was asked for."""

    backend = "counting"
    model = "counting-v1"
    dim = 3

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self.encode_queries(texts)


def test_cached_vectors_equal_fresh_ones_and_skip_the_encoder() -> None:
    inner = CountingEncoder()
    cached = CachedQueryEncoder(inner, size=10)
    first = cached.encode_queries(["syaratnya apa", "biayanya berapa"])
    again = cached.encode_queries(["biayanya berapa", "cara bikin ktp", "syaratnya apa"])
    np.testing.assert_array_equal(again[0], first[1])
    np.testing.assert_array_equal(again[2], first[0])
    np.testing.assert_array_equal(
        again,
        CountingEncoder().encode_queries(["biayanya berapa", "cara bikin ktp", "syaratnya apa"]),
    )
    assert inner.batches == [["syaratnya apa", "biayanya berapa"], ["cara bikin ktp"]]
    assert cached.stats() == {"entries": 3, "hits": 2, "misses": 3}
    assert (cached.backend, cached.model, cached.dim) == ("counting", "counting-v1", 3)


def test_a_text_repeated_in_one_batch_is_encoded_once() -> None:
    inner = CountingEncoder()
    out = CachedQueryEncoder(inner, size=10).encode_queries(["ktp", "kk", "ktp"])
    assert inner.batches == [["ktp", "kk"]]
    np.testing.assert_array_equal(out[0], out[2])


def test_least_recently_used_text_goes_first() -> None:
    inner = CountingEncoder()
    cached = CachedQueryEncoder(inner, size=2)
    cached.encode_queries(["a"])
    cached.encode_queries(["b"])
    cached.encode_queries(["a"])  # "a" used again: "b" is now the oldest
    cached.encode_queries(["c"])
    cached.encode_queries(["a", "b"])
    assert inner.batches == [["a"], ["b"], ["c"], ["b"]]
    assert cached.stats()["entries"] == 2


def test_returned_vectors_cannot_change_the_cache() -> None:
    cached = CachedQueryEncoder(CountingEncoder(), size=4)
    out = cached.encode_queries(["akta"])
    out[:] = 0
    assert cached.encode_queries(["akta"])[0].tolist() == [4.0, 2.0, 1.0]


def test_passages_are_not_cached_and_size_must_be_positive() -> None:
    inner = CountingEncoder()
    cached = CachedQueryEncoder(inner, size=4)
    cached.encode_passages(["x"])
    cached.encode_passages(["x"])
    assert inner.batches == [["x"], ["x"]]
    with pytest.raises(ValueError):
        CachedQueryEncoder(inner, size=0)


def test_servers_cache_by_default_and_the_environment_can_turn_it_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NAVIGATOR_QUERY_CACHE", raising=False)
    assert EncoderSettings.from_env().query_cache == 4096
    monkeypatch.setenv("NAVIGATOR_QUERY_CACHE", "0")
    assert EncoderSettings.from_env().query_cache == 0
    assert EncoderSettings().query_cache == 0  # benchmarks and index builds: no cache
