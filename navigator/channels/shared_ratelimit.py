"""Per-chat token buckets in Redis, so that every adapter process spends one budget.

The same behaviour as ``RateLimiter``: ``burst`` messages at once, then ``per_minute``;
``should_warn`` is True once per limited streak. A bucket is a hash
``navigator:<channel>:rate:<key>`` updated by one Lua script (atomic: two processes never
spend the same token) on Redis's own clock, so the hosts' clocks do not matter. It expires
once it would have refilled completely, when it is the same as a new bucket.

While Redis is unavailable each process falls back to its own in-memory buckets: the
limit still holds per process, and the citizen's messages get the "busy" reply anyway.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable

from navigator.channels.ratelimit import RateLimiter
from navigator.channels.shared import RedisConnection, SharedStateUnavailable

# KEYS[1] bucket; ARGV: now in ms (negative: Redis's clock), tokens per ms, burst,
# "allow" or "warn", expiry in ms. Returns 1 for allowed / warn now, else 0.
_BUCKET = """
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local rate, burst = tonumber(ARGV[2]), tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'warned')
local tokens = tonumber(b[1]) or burst
local updated = tonumber(b[2]) or now
local warned = b[3] == '1'
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local result = 0
if ARGV[4] == 'allow' then
  if tokens >= 1 then
    tokens = tokens - 1
    warned = false
    result = 1
  end
elseif not warned then
  warned = true
  result = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now),
           'warned', warned and '1' or '0')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return result
"""


class RedisRateLimiter:
    """``allow(key)`` is True while ``key`` stays within ``per_minute`` after a ``burst``,
    counted across every process that uses the same Redis."""

    def __init__(
        self,
        connection: RedisConnection,
        per_minute: int,
        burst: int,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.connection = connection
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock  # seconds; None: Redis's clock (tests pass a fake one)
        self._script = connection.sync.register_script(_BUCKET)
        self._ttl_ms = math.ceil(self.burst / self.rate * 1000) + 1000
        self.fallback = RateLimiter(per_minute, burst)

    def _call(self, key: Hashable, mode: str) -> bool:
        now_ms = -1 if self._clock is None else round(self._clock() * 1000)
        with self.connection.breaker.guard():
            result = self._script(
                keys=[self.connection.key("rate", str(key))],
                args=[now_ms, repr(self.rate / 1000), repr(self.burst), mode, self._ttl_ms],
            )
        return bool(result)

    def allow(self, key: Hashable) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        try:
            return self._call(key, "allow")
        except SharedStateUnavailable:
            return self.fallback.allow(key)

    def should_warn(self, key: Hashable) -> bool:
        """True once per limited streak, so the citizen is told once, not on every message."""
        try:
            return self._call(key, "warn")
        except SharedStateUnavailable:
            return self.fallback.should_warn(key)
