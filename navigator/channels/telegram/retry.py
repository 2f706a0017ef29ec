"""Retry Telegram requests that hit flood control (HTTP 429 with ``retry_after``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]


def _seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class RetryAfterLimiter(BaseRateLimiter[int]):
    """Waits the time Telegram asks for and tries again, a few times at most.

    Polling (``getUpdates``) is left to the updater's own retry loop, and waits longer than
    ``max_wait`` are not worth holding a citizen's reply for: those errors propagate.
    """

    def __init__(self, max_retries: int = 3, max_wait: float = 30.0) -> None:
        self.max_retries = max_retries
        self.max_wait = max_wait

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        """Call ``callback``; on ``RetryAfter`` sleep and call again."""
        attempt = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                if endpoint == "getUpdates" or attempt >= self.max_retries or wait > self.max_wait:
                    raise
                attempt += 1
                logger.warning(
                    "Telegram flood control on %s: retry %d in %.1fs", endpoint, attempt, wait
                )
                await asyncio.sleep(wait)
