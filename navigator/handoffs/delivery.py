"""An agent's message to the citizen, on the citizen's own channel.

- Telegram: a plain-text ``sendMessage`` through python-telegram-bot's ``Bot`` (no
  parse mode, so what an agent types is never read as markup).
- WhatsApp: a text message inside Meta's 24-hour customer-service window (counted from
  the citizen's last message); outside it the Cloud API accepts only an approved
  template, so the text goes as the body parameter of ``WHATSAPP_AGENT_TEMPLATE``
  (whose body must be ``{{1}}`` or contain it). A template parameter may not hold a
  new line, a tab or more than four spaces in a row (Graph error 132018), so those are
  folded.
The base URLs are configurable (a business solution provider, or the tests' fakes).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError

from navigator.channels.clients import ChannelClients
from navigator.channels.whatsapp.graph import WhatsAppError
from navigator.handoffs.settings import WHATSAPP_WINDOW_S, HandoffSettings
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

TELEGRAM_LIMIT = 4096
WHATSAPP_TEXT_LIMIT = 4096
TEMPLATE_PARAM_LIMIT = 1024


class DeliveryError(Exception):
    """The message did not reach the channel; ``status`` is the console's HTTP answer."""

    def __init__(self, message: str, status: int = 502) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Delivered:
    """How a message went out: ``text`` or ``template``."""

    kind: str
    channel: str


def template_parameter(text: str) -> str:
    """Text a template's body parameter accepts: no new lines or tabs, at most four
    spaces in a row, at most 1024 characters."""
    folded = re.sub(r"\s*\n\s*", " · ", text.strip())
    folded = re.sub(r"[\t\r]", " ", folded)
    folded = re.sub(r" {5,}", "    ", folded)
    return folded[:TEMPLATE_PARAM_LIMIT]


def template_payload(to: str, name: str, language: str, text: str) -> dict[str, Any]:
    """A Cloud API template message with the agent's text as its one body parameter."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": template_parameter(text)}]}
            ],
        },
    }


def text_payload(to: str, text: str) -> dict[str, Any]:
    """A plain WhatsApp text message."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": text[:WHATSAPP_TEXT_LIMIT], "preview_url": False},
    }


class Delivery:
    """Sends to Telegram and WhatsApp with the console's credentials."""

    def __init__(self, settings: HandoffSettings) -> None:
        self.settings = settings
        self.clients = ChannelClients.of(settings)

    def can_reach(self, channel: str) -> bool:
        """Whether this console has credentials for ``channel``."""
        return self.clients.can_reach(channel)

    async def send(
        self,
        sender: str,
        text: str,
        last_citizen_at: float | None,
        now: float | None = None,
        channel: str | None = None,
    ) -> Delivered:
        """Send ``text`` to the conversation ``sender`` (``telegram:…``, ``whatsapp:…``, as
        the adapters name them; with ``channel`` given, a bare chat id or number too)."""
        prefix, _, rest = sender.partition(":")
        channel = channel or prefix
        user = rest if prefix == channel and rest else sender
        if not self.can_reach(channel) or not user:
            raise DeliveryError(
                f"this console cannot send to the {channel or 'unknown'} channel", 409
            )
        if channel == "telegram":
            try:
                bot = await self.clients.telegram()
                await bot.send_message(chat_id=int(user), text=text[:TELEGRAM_LIMIT])
            except (TelegramError, ValueError) as exc:
                logger.warning(
                    "agent message to %s failed: %s", pseudonym(sender), type(exc).__name__
                )
                raise DeliveryError(f"Telegram refused the message ({type(exc).__name__})") from exc
            return Delivered("text", channel)
        now = time.time() if now is None else now
        inside = last_citizen_at is not None and now - last_citizen_at < WHATSAPP_WINDOW_S
        payload = (
            text_payload(user, text)
            if inside
            else template_payload(
                user,
                self.settings.whatsapp_template,
                self.settings.whatsapp_template_language,
                text,
            )
        )
        try:
            await self.clients.whatsapp().send(payload)
        except WhatsAppError as exc:
            logger.warning("agent message to %s failed: %s", pseudonym(sender), type(exc).__name__)
            raise DeliveryError(f"WhatsApp refused the message ({type(exc).__name__})") from exc
        return Delivered("text" if inside else "template", channel)

    async def aclose(self) -> None:
        """Close the clients."""
        await self.clients.aclose()
