"""What both adapters do with a citizen's message: ask Rasa, fall back politely.

Sender ids are prefixed by channel (``telegram:123``, ``whatsapp:628...``) so that
conversations never mix across channels. Free text that starts with ``/`` is passed on
without the slash: Rasa would otherwise read it as an intent with entities, which only
button payloads (written by the bot itself) may do.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from navigator.channels.rasa_client import BotMessage, RasaClient, RasaError
from navigator.channels.store import StateStore
from navigator.channels.texts import DEFAULT_LANG, Lang, text
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

RESTART_PAYLOAD = "/restart"
LOCATION_INTENT = "/share_location"


def citizen_text(raw: str) -> str:
    """Typed text made safe for Rasa: no leading slash, surrounding space removed."""
    return raw.strip().lstrip("/").strip()


def parse_command(raw: str) -> tuple[str, str] | None:
    """``("bahasa", "en")`` for ``/bahasa en``; None when the text is not a command."""
    stripped = raw.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    name, _, arg = stripped[1:].partition(" ")
    name = name.split("@", 1)[0].lower()
    return (name, arg.strip()) if name.isalpha() else None


def location_message(latitude: float, longitude: float) -> str:
    """The message that passes a shared location to Rasa as intent plus entities."""
    entities = json.dumps({"latitude": latitude, "longitude": longitude})
    return f"{LOCATION_INTENT}{entities}"


class Conversation:
    """One channel's link to Rasa, with per-citizen language."""

    def __init__(self, channel: str, rasa: RasaClient, store: StateStore) -> None:
        self.channel = channel
        self.rasa = rasa
        self.store = store

    def sender_id(self, user_id: str | int) -> str:
        """The Rasa sender id for a platform user or chat id."""
        return f"{self.channel}:{user_id}"

    def language(self, sender: str) -> Lang:
        """The citizen's chosen language, Indonesian by default."""
        return self.store.get_language(sender) or DEFAULT_LANG

    def set_language(self, sender: str, lang: Lang) -> None:
        """Remember the citizen's language."""
        self.store.set_language(sender, lang)

    async def ask(
        self, sender: str, message: str, extra: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        """Rasa's replies to ``message``, or the polite 'busy' text when Rasa fails."""
        lang = self.language(sender)
        metadata: dict[str, Any] = {"channel": self.channel, "language": lang, **(extra or {})}
        try:
            return await self.rasa.send(sender, message, metadata)
        except RasaError as exc:
            logger.warning("no answer from Rasa for %s: %s", pseudonym(sender), exc)
            return [BotMessage(text=text("busy", lang))]

    async def restart(self, sender: str) -> bool:
        """Ask Rasa to forget the conversation (its built-in ``/restart``)."""
        try:
            await self.rasa.send(sender, RESTART_PAYLOAD, {"channel": self.channel})
        except RasaError as exc:
            logger.warning("restart failed for %s: %s", pseudonym(sender), exc)
            return False
        return True
