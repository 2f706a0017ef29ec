"""A bot whose long polling survives an update the library cannot parse.

python-telegram-bot parses a whole ``getUpdates`` batch at once: one update it cannot
read (a field of a type it does not expect) fails the batch, the updater retries with
the same offset about twenty times a second, and every later message waits; its error
line also writes the raw batch, with people's names, to the log. ``TolerantBot`` reads
such a batch again one update at a time, skips what cannot be parsed (logging only its
``update_id``) and lets polling go on past it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)


class TolerantBot(ExtBot):  # type: ignore[type-arg]
    """``ExtBot`` with a ``get_updates`` that skips unparsable updates."""

    async def get_updates(  # type: ignore[override]
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        try:
            return await super().get_updates(
                offset=offset,
                limit=limit,
                timeout=timeout,
                allowed_updates=allowed_updates,
                **kwargs,
            )
        except TelegramError:
            raise  # network, flood control, conflict: the updater's own retry handles them
        except Exception:  # noqa: BLE001 - what the library raises when it cannot parse
            logger.warning("a batch of updates could not be parsed; reading it one by one")
        raw = await self.do_api_request(
            "getUpdates",
            api_kwargs={
                "offset": offset,
                "limit": limit,
                "timeout": 0,
                "allowed_updates": allowed_updates,
            },
        )
        updates = []
        for item in raw if isinstance(raw, list) else []:
            updates.append(self._parse(item))
        return tuple(u for u in updates if u is not None)

    def _parse(self, item: object) -> Update | None:
        """One update, or an empty one with its id when it cannot be parsed (so that the
        next poll's offset moves past it)."""
        update_id = item.get("update_id") if isinstance(item, dict) else None
        try:
            update = Update.de_json(item, self)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001
            if not isinstance(update_id, int):
                return None
            logger.warning("skipped update %d: it could not be parsed", update_id)
            return Update(update_id=update_id)
        if update is not None:
            self.insert_callback_data(update)
        return update
