"""The action server's long-lived objects: the search engine and the insight store.

They are opened once, when the action server starts (``python -m actions``), never at
import time and never per message. Tests install their own with :func:`install`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from embeddings.engine import SearchEngine
from navigator.insight.database import describe

if TYPE_CHECKING:
    from navigator.cases.store import CaseStore
    from navigator.handoffs.settings import HandoffSettings
    from navigator.handoffs.store import HandoffStore
    from navigator.reminders.store import ReminderStore

logger = logging.getLogger(__name__)


class EngineSource(Protocol):
    """Anything with ``get()`` returning the engine to use now (``EngineHolder``)."""

    def get(self) -> SearchEngine: ...


class InsightSink(Protocol):
    """Anything with ``record(...)`` like ``navigator.insight.store.InsightStore``."""

    def record(
        self,
        *,
        channel: str,
        reason: Any,
        query: str,
        results: Any = ...,
        confidence: float | None = ...,
        life_event: str | None = ...,
    ) -> object: ...


class GuardedInsight:
    """An insight sink whose database errors are logged in one line and never raised:
    with the database down (a PostgreSQL restart, say) the user still gets the reply.

    The line names the reason and the error's classes, never the query or the SQL.
    """

    def __init__(self, sink: InsightSink) -> None:
        self.sink = sink

    def record(
        self,
        *,
        channel: str,
        reason: Any,
        query: str,
        results: Any = (),
        confidence: float | None = None,
        life_event: str | None = None,
    ) -> object:
        """``sink.record(...)``, or 0 when the database failed."""
        try:
            return self.sink.record(
                channel=channel,
                reason=reason,
                query=query,
                results=results,
                confidence=confidence,
                life_event=life_event,
            )
        except SQLAlchemyError as exc:
            logger.warning("insight store: could not record a %s query: %s", reason, describe(exc))
            return 0


@dataclass
class Runtime:
    """The engine holder and the insight store of one action-server process."""

    engines: EngineSource
    insight: InsightSink | None = None
    handoffs: HandoffStore | None = None  # the agents' queue (navigator.handoffs)
    handoff_settings: HandoffSettings | None = None
    reminders: ReminderStore | None = None  # consents and schedules (navigator.reminders)
    cases: CaseStore | None = None  # case codes (navigator.cases)

    @property
    def engine(self) -> SearchEngine:
        """The engine to use for this message (cheap; swaps in new indexes)."""
        return self.engines.get()


_runtime: Runtime | None = None
_lock = threading.Lock()


def install(runtime: Runtime | None) -> None:
    """Set (or clear) the process's runtime."""
    global _runtime
    _runtime = runtime


def open_runtime() -> Runtime:
    """Load the engine (building the index if needed) and open the insight store."""
    from embeddings.runtime import EngineHolder, SearchSettings
    from navigator.handoffs.settings import HandoffSettings
    from navigator.handoffs.store import HandoffStore
    from navigator.insight.store import InsightStore

    settings = SearchSettings.from_env()
    logger.info("loading the search engine from %s", settings.index_dir)
    holder = EngineHolder.open(settings)
    _warm_regions()
    insight = InsightStore()
    from navigator.cases.store import CaseStore
    from navigator.reminders.store import ReminderStore

    return Runtime(
        engines=holder,
        insight=GuardedInsight(insight),
        handoffs=HandoffStore(insight.engine),
        handoff_settings=HandoffSettings.from_env(),
        reminders=ReminderStore(insight.engine),
        cases=CaseStore(insight.engine),
    )


def _warm_regions() -> None:
    """Build the region lookup and read the regional facts now, not on the first message
    (about 0.7 s); a broken vocabulary file is logged with its file and line."""
    from navigator.regions import VocabularyError, default_locator, default_resolver
    from navigator.regions.local import facts

    try:
        default_resolver()
        default_locator()
        facts()
    except VocabularyError as exc:
        logger.error("regions not loaded: %s", exc)


def current() -> Runtime:
    """The runtime; opened on first use only when the server was started without it."""
    global _runtime
    if _runtime is None:
        with _lock:
            if _runtime is None:
                logger.warning(
                    "search engine not preloaded; loading it now (use python -m actions)"
                )
                _runtime = open_runtime()
    return _runtime
