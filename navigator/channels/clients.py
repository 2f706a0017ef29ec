"""The clients that write to a citizen outside a conversation turn (an agent's message, a
reminder): python-telegram-bot's ``Bot`` and the Graph API client, opened on first use
with the channels' credentials, shared by :mod:`navigator.handoffs.delivery` and
:mod:`navigator.reminders.sender`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from telegram import Bot

from navigator.channels.whatsapp.graph import GraphClient


class Credentials(Protocol):
    """Settings that name the channels' credentials (handoff and reminder settings)."""

    @property
    def telegram_token(self) -> str: ...
    @property
    def telegram_api(self) -> str: ...
    @property
    def whatsapp_token(self) -> str: ...
    @property
    def whatsapp_phone_id(self) -> str: ...
    @property
    def whatsapp_api(self) -> str: ...


@dataclass
class ChannelClients:
    """Lazily opened clients for Telegram and WhatsApp."""

    telegram_token: str = field(default="", repr=False)
    telegram_api: str = "https://api.telegram.org/bot"
    whatsapp_token: str = field(default="", repr=False)
    whatsapp_phone_id: str = ""
    whatsapp_api: str = "https://graph.facebook.com/v21.0"
    _bot: Bot | None = field(default=None, repr=False)
    _graph: GraphClient | None = field(default=None, repr=False)

    @classmethod
    def of(cls, settings: Credentials) -> ChannelClients:
        """The clients for these settings' credentials."""
        return cls(
            settings.telegram_token,
            settings.telegram_api,
            settings.whatsapp_token,
            settings.whatsapp_phone_id,
            settings.whatsapp_api,
        )

    def can_reach(self, channel: str) -> bool:
        """Whether the credentials for ``channel`` are set."""
        if channel == "telegram":
            return bool(self.telegram_token)
        if channel == "whatsapp":
            return bool(self.whatsapp_token and self.whatsapp_phone_id)
        return False

    async def telegram(self) -> Bot:
        """The Bot, initialised once (``getMe``)."""
        if self._bot is None:
            bot = Bot(self.telegram_token, base_url=self.telegram_api)
            await bot.initialize()
            self._bot = bot
        return self._bot

    def whatsapp(self) -> GraphClient:
        """The Graph API client for this phone number (retries with backoff)."""
        if self._graph is None:
            url = f"{self.whatsapp_api}/{self.whatsapp_phone_id}/messages"
            self._graph = GraphClient(url, self.whatsapp_token, max_retries=2)
        return self._graph

    async def aclose(self) -> None:
        """Close what was opened."""
        if self._bot is not None:
            await self._bot.shutdown()
            self._bot = None
        if self._graph is not None:
            await self._graph.aclose()
            self._graph = None
