"""A small async client for Rasa's REST channel (``POST /webhooks/rest/webhook``).

The adapters never import rasa: they send ``{"sender", "message", "metadata"}`` and get a
list of ``{"recipient_id", "text"?, "buttons"?, "image"?, "custom"?}`` back.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from navigator.channels.settings import RasaSettings
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)


class RasaError(Exception):
    """Rasa did not answer usefully; the citizen gets the polite 'try again' text."""


class RasaUnavailable(RasaError):
    """Rasa could not be reached, timed out, or answered with a server error."""


class RasaBadResponse(RasaError):
    """Rasa answered, but not with the REST channel's list of messages."""


@dataclass(frozen=True)
class Button:
    """A choice offered by the bot: what the citizen sees and what goes back to Rasa."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    """One message from Rasa, reduced to what the adapters render."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    custom: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def is_empty(self) -> bool:
        """Nothing to show (e.g. a custom payload the adapters do not render)."""
        return not (self.text.strip() or self.buttons or self.image)


def parse_button(raw: object) -> Button | None:
    """A ``Button`` from Rasa's ``{"title", "payload"}``, or None when unusable."""
    if not isinstance(raw, dict):
        return None
    title = raw.get("title")
    payload = raw.get("payload", title)
    if not isinstance(title, str) or not title.strip():
        return None
    if not isinstance(payload, str) or not payload:
        payload = title
    return Button(title=title.strip(), payload=payload)


def parse_messages(data: object) -> list[BotMessage]:
    """Bot messages from a REST channel response body; raises ``RasaBadResponse``."""
    if not isinstance(data, list):
        raise RasaBadResponse(f"expected a JSON list, got {type(data).__name__}")
    messages: list[BotMessage] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        text = item.get("text")
        buttons = item.get("buttons")
        image = item.get("image")
        custom = item.get("custom")
        parsed = (
            tuple(b for b in map(parse_button, buttons) if b) if isinstance(buttons, list) else ()
        )
        message = BotMessage(
            text=text if isinstance(text, str) else "",
            buttons=parsed,
            image=image if isinstance(image, str) and image else None,
            custom=custom if isinstance(custom, dict) else None,
        )
        if not message.is_empty:
            messages.append(message)
    return messages


class RasaClient:
    """Sends one citizen message to Rasa and returns the bot's replies."""

    def __init__(self, settings: RasaSettings, client: httpx.AsyncClient | None = None) -> None:
        self._settings = settings
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 3.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        """Post ``message`` from ``sender``; raises ``RasaUnavailable``/``RasaBadResponse``."""
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self._client.post(self._settings.webhook_url, json=body)
        except httpx.TimeoutException as exc:
            logger.warning(
                "Rasa timed out after %.1fs for %s", self._settings.timeout, pseudonym(sender)
            )
            raise RasaUnavailable("Rasa timed out") from exc
        except httpx.TransportError as exc:
            logger.warning("Rasa unreachable at %s: %s", self._settings.url, type(exc).__name__)
            raise RasaUnavailable("Rasa unreachable") from exc
        if response.status_code >= 500:
            logger.warning("Rasa answered HTTP %d", response.status_code)
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        if response.status_code != 200:
            logger.error("Rasa rejected the message: HTTP %d", response.status_code)
            raise RasaBadResponse(f"Rasa answered HTTP {response.status_code}")
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            logger.error("Rasa answered with a body that is not JSON")
            raise RasaBadResponse("Rasa answered with a body that is not JSON") from exc
        return parse_messages(data)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
