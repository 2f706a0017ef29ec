"""A reminder on the citizen's own channel, with "Sudah selesai" and "Ingatkan besok".

- Telegram (``telegram:<chat_id>``): ``sendMessage`` through python-telegram-bot's
  ``Bot`` (base URL ``TELEGRAM_API_BASE_URL``) with an inline keyboard of the two buttons.
- WhatsApp (``whatsapp:<wa_id>``): inside Meta's 24-hour customer-service window (the
  citizen's last message in Rasa's tracker) an interactive message with two reply
  buttons; outside it, or when the tracker cannot be read, the approved template
  ``WHATSAPP_REMINDER_TEMPLATE`` with two body parameters (the service, the due date)
  and two quick-reply buttons. Both carry the same payloads, which reach Rasa unchanged.

A failure raises :class:`SendError`; ``permanent`` says that trying again cannot help
(the citizen blocked the bot, the chat does not exist, Graph refused the message).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError

from navigator.channels.clients import ChannelClients
from navigator.channels.whatsapp.graph import GraphAPIError, WhatsAppError
from navigator.handoffs.delivery import template_parameter
from navigator.handoffs.rasa_api import RasaAPI, RasaAPIError
from navigator.handoffs.settings import WHATSAPP_WINDOW_S
from navigator.handoffs.transcript import last_citizen_at
from navigator.privacy import pseudonym
from navigator.reminders import texts
from navigator.reminders.settings import ReminderSettings
from navigator.reminders.store import Reminder

logger = logging.getLogger(__name__)

TELEGRAM_LIMIT = 4096
INTERACTIVE_BODY_LIMIT = 1024
PERMANENT_GRAPH_STATUSES = frozenset({400, 404})


class SendError(Exception):
    """The reminder did not reach the channel."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Sent:
    """How a reminder went out: ``buttons`` (a message with its buttons) or ``template``."""

    channel: str
    kind: str


class Sender(Protocol):
    """What the scheduler needs: send one reminder's text."""

    async def send(self, reminder: Reminder, text: str, now: float) -> Sent:
        """Deliver ``text`` with the reminder's buttons; SendError when it cannot."""
        ...


def interactive_payload(to: str, text: str, reminder: Reminder) -> dict[str, Any]:
    """A Cloud API interactive message with the two reply buttons."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": text[:INTERACTIVE_BODY_LIMIT]},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": data, "title": title}}
                    for title, data in texts.buttons(reminder.id, reminder.language)
                ]
            },
        },
    }


def reminder_template_payload(
    to: str, reminder: Reminder, name: str, language: str
) -> dict[str, Any]:
    """The approved reminder template: body ``{{1}}`` the service, ``{{2}}`` the due
    date (in the template's language), and two quick-reply buttons with the payloads."""
    body = [
        {"type": "text", "text": template_parameter(reminder.title)},
        {"type": "text", "text": texts.long_date(reminder.due, language)},
    ]
    buttons = [
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": str(index),
            "parameters": [{"type": "payload", "payload": data}],
        }
        for index, (_, data) in enumerate(texts.buttons(reminder.id, reminder.language))
    ]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": body}, *buttons],
        },
    }


def telegram_keyboard(reminder: Reminder) -> InlineKeyboardMarkup:
    """One row: "Sudah selesai" and "Ingatkan besok" (English titles for ``en``)."""
    row = [
        InlineKeyboardButton(title, callback_data=data)
        for title, data in texts.buttons(reminder.id, reminder.language)
    ]
    return InlineKeyboardMarkup([row])


class ChannelSender:
    """Sends reminders to Telegram and WhatsApp with the channels' credentials."""

    def __init__(self, settings: ReminderSettings, rasa: RasaAPI | None = None) -> None:
        self.settings = settings
        self._rasa = rasa
        self._own_rasa = rasa is None
        self.clients = ChannelClients.of(settings)

    def can_reach(self, channel: str) -> bool:
        """Whether the credentials for ``channel`` are set."""
        return self.clients.can_reach(channel)

    async def send(self, reminder: Reminder, text: str, now: float | None = None) -> Sent:
        """Deliver ``text`` with the buttons on the reminder's channel."""
        channel, _, user = reminder.sender.partition(":")
        if not user or channel not in ("telegram", "whatsapp"):
            raise SendError(f"cannot send to {channel or 'an unknown channel'}", permanent=True)
        if not self.can_reach(channel):
            raise SendError(f"no credentials for {channel}")  # set them: tried again later
        if channel == "telegram":
            return await self._send_telegram(reminder, user, text)
        return await self._send_whatsapp(reminder, user, text, time.time() if now is None else now)

    async def _send_telegram(self, reminder: Reminder, user: str, text: str) -> Sent:
        try:
            chat_id = int(user)
        except ValueError as exc:
            raise SendError("not a Telegram chat id", permanent=True) from exc
        try:
            bot = await self.clients.telegram()
            await bot.send_message(
                chat_id=chat_id,
                text=text[:TELEGRAM_LIMIT],
                reply_markup=telegram_keyboard(reminder),
            )
        except (Forbidden, BadRequest) as exc:  # blocked, or no such chat: never will
            logger.warning(
                "reminder %s to %s refused: %s",
                reminder.id,
                pseudonym(reminder.sender),
                type(exc).__name__,
            )
            raise SendError(f"Telegram refused it ({type(exc).__name__})", permanent=True) from exc
        except TelegramError as exc:
            raise SendError(f"Telegram failed ({type(exc).__name__})") from exc
        return Sent("telegram", "buttons")

    def _rasa_api(self) -> RasaAPI:
        if self._rasa is None:
            self._rasa = RasaAPI(self.settings.rasa_url, self.settings.rasa_token)
        return self._rasa

    async def inside_window(self, sender: str, now: float) -> bool:
        """Whether the citizen wrote within 24 hours (False when Rasa cannot be read)."""
        try:
            last = last_citizen_at(await self._rasa_api().events(sender))
        except RasaAPIError as exc:
            logger.info("tracker of %s not read (%s): template", pseudonym(sender), exc)
            return False
        return last is not None and now - last < WHATSAPP_WINDOW_S

    async def _send_whatsapp(self, reminder: Reminder, user: str, text: str, now: float) -> Sent:
        inside = await self.inside_window(reminder.sender, now)
        payload = (
            interactive_payload(user, text, reminder)
            if inside
            else reminder_template_payload(
                user,
                reminder,
                self.settings.whatsapp_template,
                self.settings.whatsapp_template_language,
            )
        )
        try:
            await self.clients.whatsapp().send(payload)
        except GraphAPIError as exc:
            permanent = exc.status in PERMANENT_GRAPH_STATUSES
            logger.warning(
                "reminder %s to %s refused: HTTP %s, Graph error %s",
                reminder.id,
                pseudonym(reminder.sender),
                exc.status,
                exc.code,
            )
            raise SendError(f"WhatsApp refused it (HTTP {exc.status})", permanent) from exc
        except WhatsAppError as exc:
            raise SendError(f"WhatsApp failed ({type(exc).__name__})") from exc
        return Sent("whatsapp", "buttons" if inside else "template")

    async def aclose(self) -> None:
        """Close the clients this sender opened."""
        await self.clients.aclose()
        if self._rasa is not None and self._own_rasa:
            await self._rasa.aclose()
            self._rasa = None
