"""Where an adapter keeps its state: this process (SQLite, memory) or Redis, shared.

``open_state`` is the one choice both adapters make at start: without a Redis URL
(``NAVIGATOR_REDIS_URL``, read by the settings through ``navigator.settings.redis_url``)
everything stays as it always was, the SQLite ``ChannelStore`` and in-memory rate limits
and order; with one, the store, the rate limits and the conversation order live in Redis
so that several processes of the adapter behave as one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from navigator.channels.order import DEFAULT_WINDOW_S, ConversationOrder
from navigator.channels.ratelimit import Limiter, RateLimiter
from navigator.channels.shared import RedisConnection
from navigator.channels.shared_ratelimit import RedisRateLimiter
from navigator.channels.shared_store import RedisChannelStore
from navigator.channels.store import ChannelStore, StateStore

logger = logging.getLogger(__name__)


@dataclass
class ChannelState:
    """One adapter's store, and in Redis mode its connection and conversation order."""

    store: StateStore
    order: ConversationOrder | None = None
    redis: RedisConnection | None = None

    @property
    def shared(self) -> bool:
        """State is in Redis, shared with the adapter's other processes."""
        return self.redis is not None

    def limiter(self, per_minute: int, burst: int) -> Limiter:
        """Per-chat rate limits: shared in Redis mode, this process's otherwise."""
        if self.redis is None:
            return RateLimiter(per_minute, burst)
        return RedisRateLimiter(self.redis, per_minute, burst)

    async def aclose(self) -> None:
        """Close the store and, in Redis mode, the connections."""
        self.store.close()
        if self.redis is not None:
            await self.redis.aclose()


def open_state(
    channel: str,
    sqlite_path: Path,
    redis_url: str | None,
    order_window: float = DEFAULT_WINDOW_S,
) -> ChannelState:
    """The SQLite store at ``sqlite_path``, or everything in Redis at ``redis_url``."""
    if not redis_url:
        return ChannelState(ChannelStore(sqlite_path))
    connection = RedisConnection(redis_url, channel)
    connection.check()
    return ChannelState(
        RedisChannelStore(connection), ConversationOrder(connection, order_window), connection
    )
