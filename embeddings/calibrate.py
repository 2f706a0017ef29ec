"""Fit the confidence calibration on labelled questions and out-of-scope messages."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embeddings.confidence import FEATURES, Calibration, features
from embeddings.engine import SearchEngine
from embeddings.evaluation import Case


def feature_rows(engine: SearchEngine, queries: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Feature matrix of each query's ranking, and each top id."""
    rows, tops = [], []
    cleaned = [engine.normalizer.clean(q) or q for q in queries]
    dense_all = engine._dense_scores(engine.encoder.encode_queries(cleaned))  # noqa: SLF001
    for query, dense in zip(queries, dense_all, strict=True):
        result = engine.search(query, top_k=1)
        lexical = engine.lexical.scores(query)
        known = engine.lexical.known_terms(query)
        top = engine.ids.index(result.hits[0].id)
        order = np.array([top], dtype=np.int64)
        values = features(
            dense, lexical, lexical, order, known, len(engine.normalizer.terms(query))
        )
        rows.append([values[k] for k in FEATURES])
        tops.append(result.hits[0].id)
    return np.array(rows), tops


def fit(engine: SearchEngine, cases: Sequence[Case], out_of_scope: Sequence[str]) -> Calibration:
    """Logistic regression: P(top hit is right). Out-of-scope messages count as wrong."""
    from sklearn.linear_model import LogisticRegression

    x_in, tops = feature_rows(engine, [c.q for c in cases])
    x_out, _ = feature_rows(engine, list(out_of_scope))
    y = [int(top in case.expected) for top, case in zip(tops, cases, strict=True)] + [0] * len(
        x_out
    )
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit(np.vstack([x_in, x_out]), np.array(y))
    base = Calibration.default()
    return Calibration(
        coef={k: round(float(c), 4) for k, c in zip(FEATURES, model.coef_[0], strict=True)},
        intercept=round(float(model.intercept_[0]), 4),
        sure=base.sure,
        ask=base.ask,
        out_of_scope_dense=base.out_of_scope_dense,
        fitted_on={
            "questions": len(cases),
            "out_of_scope": len(out_of_scope),
            "encoder": engine.encoder.model,
            "positives": int(sum(y)),
        },
    )
