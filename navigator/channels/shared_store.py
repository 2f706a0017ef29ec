"""``StateStore`` in Redis, shared by every process of one adapter.

The same interface and lifetimes as the SQLite ``ChannelStore``:

- ``seen:<message id>``: ``SET NX`` with a 7-day expiry, so exactly one process claims
  a message however often and wherever Meta delivers it;
- ``payload:<key>``: a long button payload, kept 90 days from its last use (writing it
  again or reading it resets the expiry), so a button sent by one process works when
  its press reaches another;
- ``languages``: a hash of each citizen's chosen language, kept without expiry.

Each call is one round trip on the synchronous client (well under a millisecond on a
local network), as cheap as the SQLite statement it replaces. Errors raise
``SharedStateUnavailable`` (see ``shared``).
"""

from __future__ import annotations

from navigator.channels.shared import RedisConnection
from navigator.channels.store import PAYLOAD_TTL_S, SEEN_MESSAGE_TTL_S, payload_key
from navigator.channels.texts import LANGUAGES, Lang


class RedisChannelStore:
    """Processed message ids, payload keys and languages for one adapter, in Redis."""

    def __init__(self, connection: RedisConnection) -> None:
        self.connection = connection
        self._redis = connection.sync
        self._guard = connection.breaker.guard

    def seen_key(self, message_id: str) -> str:
        """The key that marks ``message_id`` as claimed (also used by ``order``)."""
        return self.connection.key("seen", message_id)

    def claim_message(self, message_id: str) -> bool:
        """Record ``message_id``; True the first time, False for a duplicate."""
        with self._guard():
            return bool(
                self._redis.set(self.seen_key(message_id), "1", nx=True, ex=SEEN_MESSAGE_TTL_S)
            )

    def release_message(self, message_id: str) -> None:
        """Forget ``message_id`` so a redelivery is processed."""
        with self._guard():
            self._redis.delete(self.seen_key(message_id))

    def put_payload(self, payload: str) -> str:
        """A short key (22 URL-safe characters) that ``get_payload`` maps back."""
        key = payload_key(payload)
        with self._guard():
            self._redis.set(self.connection.key("payload", key), payload, ex=PAYLOAD_TTL_S)
        return key

    def get_payload(self, key: str) -> str | None:
        """The payload stored under ``key`` (its expiry renewed), or None."""
        with self._guard():
            value = self._redis.getex(self.connection.key("payload", key), ex=PAYLOAD_TTL_S)
        return value if isinstance(value, str) else None

    def get_language(self, sender: str) -> Lang | None:
        """The language ``sender`` chose, if any."""
        with self._guard():
            value = self._redis.hget(self.connection.key("languages"), sender)
        if isinstance(value, str) and value in LANGUAGES:
            lang: Lang = value  # type: ignore[assignment]
            return lang
        return None

    def set_language(self, sender: str, lang: Lang) -> None:
        """Remember ``sender``'s language."""
        with self._guard():
            self._redis.hset(self.connection.key("languages"), sender, lang)

    def prune(self, now: float | None = None) -> None:
        """Nothing to do: Redis expires message ids and payloads itself."""

    def close(self) -> None:
        """Close the synchronous client (the asyncio one closes with the connection)."""
        self._redis.close()
