"""One Redis for several adapter processes: the connection, its timeouts and a breaker.

With ``NAVIGATOR_REDIS_URL`` set, what several processes of one adapter must share lives
in Redis under ``navigator:<channel>:`` (``shared_store``, ``shared_ratelimit``,
``order``). Every command has a short socket timeout and no retries, and after a failure
every call fails at once for ``COOLDOWN_S`` seconds without touching the network: a Redis
that is down or hung costs a message at most one timeout, and then nothing. Callers get
``SharedStateUnavailable`` and give the citizen the polite "busy" text.

The URL may hold a password: it is never logged, only ``host:port/db``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.exceptions import LockError, RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT_S = 1.0
COOLDOWN_S = 2.0
KEY_ROOT = "navigator"


class SharedStateUnavailable(Exception):
    """Redis could not be reached or failed; the citizen gets the polite 'busy' text."""


class Breaker:
    """After a Redis failure, fail every call at once for ``cooldown`` seconds.

    Logs one warning when Redis becomes unavailable and one line when it answers again,
    not one per call.
    """

    def __init__(
        self, cooldown: float = COOLDOWN_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.cooldown = cooldown
        self._clock = clock
        self._open_until = float("-inf")
        self.down = False

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run a block of Redis calls: fail fast while open, open on a Redis error."""
        if self._clock() < self._open_until:
            raise SharedStateUnavailable("Redis failed moments ago")
        try:
            yield
        except LockError:
            raise  # a lock that expired or is held elsewhere: not an outage
        except RedisError as exc:
            self._open_until = self._clock() + self.cooldown
            if not self.down:
                logger.warning(
                    "Redis unavailable (%s); citizens get the busy reply until it answers",
                    type(exc).__name__,
                )
            self.down = True
            raise SharedStateUnavailable(type(exc).__name__) from exc
        if self.down:
            self.down = False
            logger.info("Redis answers again")


def describe(url: str) -> str:
    """``host:port/db`` of a Redis URL, without user or password (for logs)."""
    kwargs = redis.connection.parse_url(url)
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"


@dataclass
class RedisConnection:
    """A synchronous and an asyncio client for one Redis, one breaker, one key prefix."""

    url: str = field(repr=False)
    channel: str
    timeout: float = SOCKET_TIMEOUT_S
    breaker: Breaker = field(default_factory=Breaker)

    def __post_init__(self) -> None:
        options: dict[str, Any] = {
            "socket_timeout": self.timeout,
            "socket_connect_timeout": self.timeout,
            "decode_responses": True,
            "client_name": f"navigator-{self.channel}",
        }
        # no retries: the breaker decides, and a retry would multiply the timeout
        self.sync: redis.Redis = redis.Redis.from_url(
            self.url, retry=Retry(NoBackoff(), 0), **options
        )
        self.aio: aioredis.Redis = aioredis.Redis.from_url(
            self.url, retry=AsyncRetry(NoBackoff(), 0), **options
        )

    @property
    def where(self) -> str:
        """Where Redis is, fit for a log line."""
        return describe(self.url)

    def key(self, *parts: str | int) -> str:
        """``navigator:<channel>:<part>:<part>...``"""
        return ":".join([KEY_ROOT, self.channel, *map(str, parts)])

    def check(self) -> bool:
        """Ping once at start and log the outcome; never raises (Redis may come later)."""
        try:
            with self.breaker.guard():
                self.sync.ping()
        except SharedStateUnavailable:
            logger.warning("%s: Redis at %s does not answer yet", self.channel, self.where)
            return False
        logger.info(
            "%s: duplicates, rate limits and order shared in Redis at %s", self.channel, self.where
        )
        return True

    async def aclose(self) -> None:
        """Close both connection pools."""
        self.sync.close()
        await self.aio.aclose()
