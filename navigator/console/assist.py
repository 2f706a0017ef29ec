"""Search for the console and record what the knowledge base could not answer."""

from __future__ import annotations

import logging

from embeddings.engine import SearchEngine, SearchResult
from navigator.insight.store import InsightStore, Reason, StoreError, describe

logger = logging.getLogger(__name__)

CHANNEL = "console"
MAX_QUERY = 1000


def unanswered_reason(result: SearchResult, sure: float) -> Reason | None:
    """Why a result goes to the editors' insight store, or None when it answered well."""
    if result.verdict == "out_of_scope":
        return "out_of_scope"
    if result.verdict == "ask" or result.confidence < sure:
        return "low_confidence"
    return None


def shown(result: SearchResult) -> list[dict[str, object]]:
    """Ids and scores of the hits, as the insight store keeps them."""
    return [{"id": h.id, "score": h.score} for h in result.hits]


def search(
    engine: SearchEngine,
    store: InsightStore | None,
    query: str,
    top_k: int = 5,
    life_event: str | None = None,
) -> SearchResult:
    """Run the search; store a masked copy of the query when it was not answered well."""
    result = engine.search(query, top_k=top_k, life_event=life_event)
    reason = unanswered_reason(result, engine.calibration.sure)
    logger.info(
        "search: %d chars, verdict=%s confidence=%.2f event=%s",
        len(query),
        result.verdict,
        result.confidence,
        result.life_event,
    )
    if reason is not None and store is not None:
        record(store, reason, query, shown(result), result.confidence, result.life_event)
    return result


def record(
    store: InsightStore,
    reason: Reason,
    query: str,
    results: list[dict[str, object]],
    confidence: float | None = None,
    life_event: str | None = None,
) -> int:
    """Store one query for editors; a storage failure is logged, never shown to the agent."""
    try:
        return store.record(
            channel=CHANNEL,
            reason=reason,
            query=query,
            results=results,
            confidence=confidence,
            life_event=life_event,
        )
    except StoreError as exc:  # the database is down or full: the agent still gets results
        logger.error("insight store: could not record a %s query: %s", reason, describe(exc))
        return 0
