"""Rank fusion of the dense, lexical and life-event signals."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each item by descending score (ties share the better rank)."""
    return rankdata(-np.asarray(scores, dtype=np.float64), method="min")


def reciprocal_rank_fusion(
    signals: list[np.ndarray],
    weights: list[float],
    k: float = 60.0,
    active: list[bool] | None = None,
) -> np.ndarray:
    """Weighted RRF: sum of weight / (k + rank) over the signals that are active."""
    total = np.zeros(len(signals[0]), dtype=np.float64)
    for i, (scores, weight) in enumerate(zip(signals, weights, strict=True)):
        if active is not None and not active[i]:
            continue
        total += weight / (k + ranks(scores))
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
