"""Retrieval metrics on a labelled question set: Recall@k, MRR@10, life-event accuracy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from embeddings.engine import SearchEngine, SearchResult


@dataclass(frozen=True)
class Case:
    """One labelled question."""

    q: str
    expected: tuple[str, ...]
    life_event: str
    style: str


def load_cases(path: Path) -> list[Case]:
    """Read the evaluation YAML (a list of {q, expected, life_event, style})."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(str(d["q"]), tuple(d["expected"]), str(d["life_event"]), str(d.get("style", "?")))
        for d in data
    ]


def reciprocal_rank(ranked: Sequence[str], expected: Sequence[str], cutoff: int = 10) -> float:
    """1/rank of the first expected id within the cutoff, else 0."""
    for rank, sid in enumerate(ranked[:cutoff], 1):
        if sid in expected:
            return 1.0 / rank
    return 0.0


def metrics(cases: Sequence[Case], results: Sequence[SearchResult]) -> dict[str, float]:
    """Recall@1, Recall@3, MRR@10 and life-event accuracy over the cases."""
    n = len(cases)
    if n == 0:
        return {"n": 0}
    r1 = r3 = mrr = event = 0.0
    for case, result in zip(cases, results, strict=True):
        ranked = [h.id for h in result.hits]
        r1 += ranked[:1] != [] and ranked[0] in case.expected
        r3 += any(sid in case.expected for sid in ranked[:3])
        mrr += reciprocal_rank(ranked, case.expected)
        event += result.life_event == case.life_event
    return {
        "n": n,
        "recall@1": round(r1 / n, 4),
        "recall@3": round(r3 / n, 4),
        "mrr@10": round(mrr / n, 4),
        "life_event_acc": round(event / n, 4),
    }


def evaluate(engine: SearchEngine, cases: Sequence[Case]) -> dict[str, dict[str, float]]:
    """Metrics overall and per query style."""
    results = engine.search_many([c.q for c in cases], top_k=10)
    by_style: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        by_style[case.style].append(i)
    report = {"overall": metrics(cases, results)}
    for style in sorted(by_style):
        idx = by_style[style]
        report[style] = metrics([cases[i] for i in idx], [results[i] for i in idx])
    return report


def misses(engine: SearchEngine, cases: Sequence[Case], k: int = 3) -> list[tuple[Case, list[str]]]:
    """Cases whose expected service is not in the top k, with what came instead."""
    results = engine.search_many([c.q for c in cases], top_k=k)
    out = []
    for case, result in zip(cases, results, strict=True):
        ranked = [h.id for h in result.hits]
        if not any(sid in case.expected for sid in ranked):
            out.append((case, ranked))
    return out
