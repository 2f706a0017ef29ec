"""Rank fusion of the dense, lexical and life-event signals."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

# Above this many items only the best DEPTH of each signal are ranked (the rest add
# nothing to the fusion): large knowledge bases then cost O(n) instead of O(n log n).
DEPTH = 200
FULL_SORT_LIMIT = 2048


def ranks(scores: np.ndarray, depth: int | None = None) -> np.ndarray:
    """1-based rank of each item by descending score (ties share the better rank).

    With ``depth`` and more items than that, only the best ``depth`` get a rank; the
    others get infinity.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if depth is None or len(scores) <= depth:
        return rankdata(-scores, method="min")
    best = np.argpartition(-scores, depth - 1)[:depth]
    result = np.full(len(scores), np.inf)
    result[best] = rankdata(-scores[best], method="min")
    return result


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best finite scores, best first (stable for small inputs)."""
    n = len(scores)
    if n <= FULL_SORT_LIMIT:
        order = np.argsort(-scores, kind="stable")[: max(k, 0)]
    else:
        k = min(k, n)
        part = np.argpartition(-scores, k - 1)[:k]
        order = part[np.argsort(-scores[part], kind="stable")]
    return order[np.isfinite(scores[order])]


def reciprocal_rank_fusion(
    signals: list[np.ndarray],
    weights: list[float],
    k: float = 60.0,
    active: list[bool] | None = None,
) -> np.ndarray:
    """Weighted RRF: sum of weight / (k + rank) over the signals that are active."""
    total = np.zeros(len(signals[0]), dtype=np.float64)
    depth = DEPTH if len(total) > FULL_SORT_LIMIT else None
    for i, (scores, weight) in enumerate(zip(signals, weights, strict=True)):
        if (active is not None and not active[i]) or weight == 0:
            continue
        total += weight / (k + ranks(scores, depth))
    return total


def minmax(scores: np.ndarray) -> np.ndarray:
    """Scale to [0, 1]; a constant vector becomes zeros."""
    low, high = float(scores.min()), float(scores.max())
    if high - low < 1e-9:
        return np.zeros_like(scores, dtype=np.float64)
    return (scores - low) / (high - low)


def score_fusion(signals: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Weighted sum of min-max normalised scores (convex combination)."""
    total = np.zeros(len(signals[0]), dtype=np.float64)
    for scores, weight in zip(signals, weights, strict=True):
        total += weight * minmax(np.asarray(scores, dtype=np.float64))
    return total
