"""The tracker store fails the message instead of silently forgetting the conversation.

Rasa 3.6 wraps every tracker store in ``FailSafeTrackerStore``: when the store fails
(PostgreSQL restarting, say) it answers "no such conversation" and saves to memory
instead. The citizen then gets an answer without the conversation's context ("About
which service?" after a question on a service in focus), the turn is lost once the
store is back, and the error line it logs carries the SQL parameters, that is, the
citizen's own words. Here a failing store raises ``TrackerStoreUnavailable`` instead,
after one log line with the error's type only; the REST channel then asks the citizen,
politely, to send the message again (``connectors/rest.py``), and the next message
after the store is back finds the whole conversation.

A connection that died while the store restarted is retried once on a fresh one
(SQLAlchemy marks such errors ``connection_invalidated`` and drops the old pool), so the
first message after the restart is answered, not refused.

Installed when the bot's NLU components are imported (that is, when Rasa loads the model).
"""

from __future__ import annotations

import logging
from typing import Any, Optional, Text

logger = logging.getLogger(__name__)

_installed = False


def install() -> None:
    """Patch ``FailSafeTrackerStore`` (idempotent)."""
    global _installed
    if _installed:
        return
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.shared.exceptions import RasaException

    class TrackerStoreUnavailable(RasaException):
        """The conversation store failed; the message cannot be handled now."""

    def fail(self: FailSafeTrackerStore, doing: Text, error: Exception) -> None:
        cause = error.__cause__ or error.__context__
        logger.error(
            "%s could not %s a conversation: %s%s",
            type(self._tracker_store).__name__,
            doing,
            type(error).__name__,
            f" from {type(cause).__name__}" if cause else "",
        )
        raise TrackerStoreUnavailable(f"tracker store failed to {doing}") from None

    async def attempt(self: FailSafeTrackerStore, doing: Text, call: Any) -> Any:
        for retry in (True, False):
            try:
                return await call()
            except Exception as error:  # noqa: BLE001 - any store failure fails the turn
                if retry and getattr(error, "connection_invalidated", False):
                    continue  # a connection from before a restart: once more, afresh
                fail(self, doing, error)
        return None

    async def retrieve(self: FailSafeTrackerStore, sender_id: Text) -> Optional[Any]:
        return await attempt(self, "read", lambda: self._tracker_store.retrieve(sender_id))

    async def retrieve_full_tracker(self: FailSafeTrackerStore, sender_id: Text) -> Optional[Any]:
        store = self._tracker_store
        return await attempt(self, "read", lambda: store.retrieve_full_tracker(sender_id))

    async def save(self: FailSafeTrackerStore, tracker: Any) -> None:
        await attempt(self, "save", lambda: self._tracker_store.save(tracker))

    FailSafeTrackerStore.retrieve = retrieve  # type: ignore[assignment]
    FailSafeTrackerStore.retrieve_full_tracker = retrieve_full_tracker  # type: ignore[assignment]
    FailSafeTrackerStore.save = save  # type: ignore[assignment]
    _installed = True
