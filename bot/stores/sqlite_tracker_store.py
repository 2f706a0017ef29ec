"""Rasa's SQL tracker store on SQLite, tuned for a chat server on one machine.

Stock ``SQLTrackerStore`` rebuilds the whole tracker from the database on every message
(a query, ``json.loads`` and an ``Event`` object per stored event) and counts the stored
events again before each save: about 9 of the 26 ms of CPU Rasa spent per message here.
This store keeps the same table and rows (any Rasa tool can read them) and adds:

* a write-ahead-log journal with ``synchronous=NORMAL`` and one pooled connection
  (a commit no longer waits for a full disk sync; a crash of the process loses nothing,
  a power cut can lose the last commits);
* a bounded in-process cache of the trackers it saved. A cached tracker is handed out
  again only if it still is exactly what the database holds: no event was added to it
  without being saved, and the newest row of that conversation is the one this store
  wrote (so another Rasa process or tool writing to the same file invalidates it).

endpoints.yml::

    tracker_store:
      type: stores.sqlite_tracker_store.SQLiteTrackerStore
      db: ../var/tracker.db
      cache_size: 1000     # conversations kept in memory (0: no cache)
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_CACHE_SIZE = 1000


@dataclass
class _Saved:
    """A tracker this store saved, how many of its events are stored, its newest row id."""

    tracker: DialogueStateTracker
    stored: int
    last_row: Optional[int]


def _tune_connection(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")  # several processes may share the file
    cursor.close()


class SQLiteTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` on an SQLite file, with WAL and a validated tracker cache."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        db: Text = "rasa.db",
        event_broker: Any = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("dialect", None)
        kwargs.pop("host", None)  # Rasa passes the endpoint's url; a file needs none
        super().__init__(domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        # one connection, reused: opening a file and setting pragmas per message is waste
        self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
        sa.event.listen(self.engine, "connect", _tune_connection)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.cache_size = max(0, int(cache_size))
        self._saved: OrderedDict[Text, _Saved] = OrderedDict()
        self.hits = 0
        self.misses = 0

    # -- reading --------------------------------------------------------------------
    @staticmethod
    def _newest_row(connection: Any, sender_id: Text) -> Optional[int]:
        # plain SQL on the pooled connection: the ORM query costs more than the lookup
        return connection.exec_driver_sql(_NEWEST_ROW, (sender_id,)).scalar()

    def _current(self, sender_id: Text, tracker: Optional[DialogueStateTracker]) -> bool:
        """The cached entry is ``tracker`` (if given) and exactly what the file holds."""
        saved = self._saved.get(sender_id)
        if saved is None or (tracker is not None and saved.tracker is not tracker):
            return False
        if tracker is None and len(saved.tracker.events) != saved.stored:
            return False  # changed without being saved (a turn that failed)
        with self.engine.connect() as connection:
            return self._newest_row(connection, sender_id) == saved.last_row

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The conversation's tracker: from the cache when still current, else the file."""
        if self.cache_size:
            if self._current(sender_id, None):
                self._saved.move_to_end(sender_id)
                self.hits += 1
                return self._saved[sender_id].tracker
            self._saved.pop(sender_id, None)
            self.misses += 1
        return await super().retrieve(sender_id)

    # -- writing --------------------------------------------------------------------
    def _unsaved_events(self, tracker: DialogueStateTracker) -> List[Event]:
        saved = self._saved.get(tracker.sender_id)
        if (
            saved is not None
            and saved.stored <= len(tracker.events)
            and self._current(tracker.sender_id, tracker)
        ):
            return list(itertools.islice(tracker.events, saved.stored, None))
        with self.session_scope() as session:  # stock: count what the file holds
            return list(self._additional_events(session, tracker))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's new events; remember the tracker as saved."""
        sender_id = tracker.sender_id
        events = self._unsaved_events(tracker)
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, events, sender_id)
        with self.engine.begin() as connection:
            if events:
                connection.exec_driver_sql(_INSERT, [_row(sender_id, e) for e in events])
            last_row = self._newest_row(connection, sender_id)
        if self.cache_size:
            self._saved[sender_id] = _Saved(tracker, len(tracker.events), last_row)
            self._saved.move_to_end(sender_id)
            while len(self._saved) > self.cache_size:
                self._saved.popitem(last=False)


_NEWEST_ROW = "SELECT max(id) FROM events WHERE sender_id = ?"
_INSERT = (
    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _row(sender_id: Text, event: Event) -> Tuple[Any, ...]:
    """The stock store's columns for one event."""
    data: Dict[Text, Any] = event.as_dict()
    intent = data.get("parse_data", {}).get("intent", {}).get("name")
    return (
        sender_id,
        event.type_name,
        data.get("timestamp"),
        intent,
        data.get("name"),
        json.dumps(data),
    )
