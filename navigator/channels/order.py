"""One message at a time per citizen across adapter processes, in the platform's order.

With ``NAVIGATOR_REDIS_URL`` set, a WhatsApp message goes from the webhook into the
citizen's inbox in Redis, ``navigator:whatsapp:inbox:<wa_id>``: a sorted set ordered by
WhatsApp's ``timestamp`` (whole seconds), then by arrival at Redis. Claiming the message
id (``seen:<id>``, ``SET NX``, 7 days) and queuing it are one Lua script, so a message
is queued once however often, and on whichever process, Meta delivers it. Whichever
process then holds the citizen's lock (``lock:<wa_id>``, redis-py's ``Lock``) takes the
inbox's first message, answers it (mark read, Rasa, replies), takes the next, and so on
until the inbox is empty; every process that queued a message waits for the lock and
drains whatever is left, so no message waits for a process that has moved on.

The guarantee, per citizen:

1. at most one process works on the citizen at a time (mark read, Rasa, replies): the
   lock is renewed every few seconds while the work goes on;
2. each message id is answered at most once, whichever processes it reaches;
3. a message is taken no sooner than ``window`` seconds after it reached Redis, and the
   inbox's first message is always taken first: so a message that reaches any process
   up to ``window`` seconds after a later one (by WhatsApp's timestamp) is still
   answered before it.

Limits, honestly:

- a message that arrives more than ``window`` late (a Meta retry minutes later) is
  answered when it comes, after later messages that were already answered;
- timestamps are whole seconds: messages sent within one second are answered in the
  order they reached Redis;
- a process killed while answering loses that message (it was claimed: it is never
  answered twice); messages still in the inbox are answered by another process that
  queued one for the citizen and waits for the lock, or with the citizen's next message,
  or dropped with a log line once they have waited ``max_wait`` seconds;
- a Redis that hangs may run a command after the adapter gave up on it: the message the
  citizen was told to send again ("busy") may then be queued after all, and answered
  with their next message;
- a process that stalls without renewing for ``LOCK_TTL_S`` seconds loses the lock, and
  another may then answer the same citizen at the same time (logged);
- one Redis, not Redis Cluster (a script touches keys of different slots); a failover
  to a replica may lose the last writes, and with them duplicates and order for a moment.

``turn`` is the lock alone, for Telegram: one update of a chat at a time across
processes, in the order they get the lock (not reordered).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress

from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from navigator.channels.shared import RedisConnection
from navigator.channels.store import SEEN_MESSAGE_TTL_S
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_S = 0.3
MAX_WAIT_S = 600.0  # a queued message older than this is dropped, not answered out of context
LOCK_TTL_S = 10.0  # a lock expires this long after its holder stopped renewing it
LOCK_RENEW_S = LOCK_TTL_S / 3
LOCK_POLL_S = 0.01  # how often a waiting process tries the lock
LOCK_WAIT_S = 30.0  # then it looks whether anything is left to do, and waits again

# KEYS: seen, inbox, sequence; ARGV: seen expiry s, timestamp (negative: now), body,
# inbox expiry s. Members are "<sequence>|<queued at, ms>|<body>": equal timestamps sort
# by sequence, i.e. by arrival at Redis. Returns 1 when queued, 0 for a duplicate.
_ENQUEUE = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local seq = redis.call('INCR', KEYS[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local score = tonumber(ARGV[2])
if score < 0 then score = tonumber(t[1]) end
redis.call('ZADD', KEYS[2], score, string.format('%020d|%d|', seq, now) .. ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
"""

EMPTY, WAIT, TAKEN, DROPPED = 0, 1, 2, 3

# KEYS: inbox; ARGV: window ms, max wait ms. Returns {EMPTY}, {WAIT, ms}, {TAKEN, body}
# or {DROPPED} for the inbox's first message.
_TAKE = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return {0, ''} end
local member = first[1]
local queued, body = string.match(member, '^%d+|(%d+)|(.*)$')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local age = now - tonumber(queued)
if age > tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], member)
  return {3, ''}
end
if age < tonumber(ARGV[1]) then return {1, tostring(tonumber(ARGV[1]) - age)} end
redis.call('ZREM', KEYS[1], member)
return {2, body}
"""

Answer = Callable[[str], Awaitable[None]]


class ConversationOrder:
    """Per-citizen inboxes and locks in Redis, shared by every process of one adapter."""

    def __init__(
        self,
        connection: RedisConnection,
        window: float = DEFAULT_WINDOW_S,
        max_wait: float = MAX_WAIT_S,
    ) -> None:
        self.connection = connection
        self.window = window
        self.max_wait = max_wait
        self._guard = connection.breaker.guard
        self._enqueue = connection.aio.register_script(_ENQUEUE)
        self._take = connection.aio.register_script(_TAKE)

    def _key(self, *parts: str) -> str:
        return self.connection.key(*parts)

    async def enqueue(
        self, message_id: str, citizen: str, body: str, timestamp: int | None = None
    ) -> bool:
        """Claim ``message_id`` and queue ``body`` for ``citizen``; False for a duplicate."""
        with self._guard():
            queued = await self._enqueue(
                keys=[self._key("seen", message_id), self._key("inbox", citizen), self._key("seq")],
                args=[
                    SEEN_MESSAGE_TTL_S,
                    -1 if timestamp is None else timestamp,
                    body,
                    math.ceil(self.max_wait),
                ],
            )
        return bool(queued)

    async def pending(self, citizen: str) -> int:
        """How many messages wait in ``citizen``'s inbox."""
        with self._guard():
            return int(await self.connection.aio.zcard(self._key("inbox", citizen)))

    async def drain(self, citizen: str, answer: Answer) -> int:
        """Hold ``citizen``'s lock and ``answer`` each queued message in order; how many."""
        answered = 0
        while True:
            lock = await self._acquire(citizen)
            if lock is None:  # another process worked on the citizen all this time
                if not await self.pending(citizen):
                    return answered
                continue
            async with self._holding(lock):
                while (body := await self._next(citizen)) is not None:
                    await answer(body)
                    answered += 1
            return answered

    @asynccontextmanager
    async def turn(self, citizen: str) -> AsyncIterator[None]:
        """Hold ``citizen``'s lock for the block: no other process works on them meanwhile."""
        lock = await self._acquire(citizen)
        while lock is None:
            logger.info("still waiting for another process working on %s", pseudonym(citizen))
            lock = await self._acquire(citizen)
        async with self._holding(lock):
            yield

    async def once(self, what: str, citizen: str, seconds: float) -> bool:
        """True for the first call per ``citizen`` and ``what`` in ``seconds``, in any process."""
        with self._guard():
            first = await self.connection.aio.set(
                self._key(what, citizen), "1", nx=True, ex=math.ceil(seconds)
            )
        return bool(first)

    async def _acquire(self, citizen: str) -> Lock | None:
        lock = self.connection.aio.lock(
            self._key("lock", citizen),
            timeout=LOCK_TTL_S,
            sleep=LOCK_POLL_S,
            blocking_timeout=LOCK_WAIT_S,
            thread_local=False,
        )
        with self._guard():
            acquired = await lock.acquire()
        return lock if acquired else None

    async def _next(self, citizen: str) -> str | None:
        """The inbox's first message once it has waited ``window``; None when empty."""
        args = [round(self.window * 1000), round(self.max_wait * 1000)]
        while True:
            with self._guard():
                state, value = await self._take(keys=[self._key("inbox", citizen)], args=args)
            if state == TAKEN:
                return str(value)
            if state == EMPTY:
                return None
            if state == WAIT:
                await asyncio.sleep(int(value) / 1000)
            else:
                logger.warning(
                    "dropped a message for %s queued over %.0f s ago",
                    pseudonym(citizen),
                    self.max_wait,
                )

    @asynccontextmanager
    async def _holding(self, lock: Lock) -> AsyncIterator[None]:
        """Renew ``lock`` while the block runs, release it after."""
        renewer = asyncio.create_task(self._renew(lock))
        try:
            yield
        finally:
            renewer.cancel()
            with suppress(asyncio.CancelledError):
                await renewer
            try:
                await lock.release()
            except LockError:
                logger.warning("a citizen's lock expired before it was released")
            except RedisError as exc:
                logger.warning(
                    "could not release a citizen's lock (%s); it expires in %.0f s",
                    type(exc).__name__,
                    LOCK_TTL_S,
                )

    async def _renew(self, lock: Lock) -> None:
        while True:
            await asyncio.sleep(LOCK_RENEW_S)
            try:
                await lock.reacquire()
            except LockError:
                logger.warning("lost a citizen's lock: another process may answer them too")
                return
            except RedisError as exc:
                logger.warning("could not renew a citizen's lock (%s)", type(exc).__name__)
