"""The console's client for Rasa's HTTP API (``rasa run --enable-api``).

It reads a conversation's tracker, pauses and resumes it (Rasa's own
``ConversationPaused``: a paused conversation's messages are recorded and not answered)
and appends an agent's messages as ``bot`` events, so that the tracker store stays the
one record of the conversation. ``RASA_AUTH_TOKEN`` is sent when Rasa runs with
``--auth-token``.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import httpx


class RasaAPIError(Exception):
    """Rasa's HTTP API did not answer as expected."""


class RasaAPI:
    """A small async client; one connection pool per console process."""

    def __init__(self, base_url: str, token: str = "", timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._params = {"token": token} if token else {}
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=2.0))

    def _url(self, sender: str, tail: str) -> str:
        # Sanic does not decode %3A in a path segment: the colon of telegram:123 stays
        return f"{self.base_url}/conversations/{quote(sender, safe=':')}/{tail}"

    async def events(self, sender: str) -> list[dict[str, Any]]:
        """The conversation's events since its last restart."""
        try:
            response = await self._client.get(
                self._url(sender, "tracker"),
                params={**self._params, "include_events": "AFTER_RESTART"},
            )
            response.raise_for_status()
            events = response.json().get("events") or []
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            raise RasaAPIError(f"tracker not read: {type(exc).__name__}") from exc
        return [e for e in events if isinstance(e, dict)]

    async def append(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Append events to the conversation (Rasa takes its lock for it)."""
        try:
            response = await self._client.post(
                self._url(sender, "tracker/events"),
                params={**self._params, "include_events": "NONE"},
                json=events,
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise RasaAPIError(f"events not appended: {type(exc).__name__}") from exc

    async def pause(self, sender: str) -> None:
        """The bot stops answering this conversation."""
        await self.append(sender, [{"event": "pause", "timestamp": time.time()}])

    async def resume(self, sender: str) -> None:
        """The bot answers this conversation again."""
        await self.append(sender, [{"event": "resume", "timestamp": time.time()}])

    async def said(self, sender: str, text: str, agent: str = "") -> None:
        """Record a message sent to the citizen: an agent's, or the bot's own (no agent)."""
        event: dict[str, Any] = {"event": "bot", "text": text, "timestamp": time.time()}
        if agent:
            event["metadata"] = {"agent": agent}
        await self.append(sender, [event])

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
