"""The action server's long-lived objects: the search engine and the insight store.

They are opened once, when the action server starts (``python -m actions``), never at
import time and never per message. Tests install their own with :func:`install`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from embeddings.engine import SearchEngine

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


@dataclass
class Runtime:
    """The engine holder and the insight store of one action-server process."""

    engines: EngineSource
    insight: InsightSink | None = None

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
    from navigator.insight.store import InsightStore

    settings = SearchSettings.from_env()
    logger.info("loading the search engine from %s", settings.index_dir)
    holder = EngineHolder.open(settings)
    return Runtime(engines=holder, insight=InsightStore())


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
