"""Rasa messages as Telegram messages: escaped HTML chunks and inline keyboards."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

from navigator.channels import payloads
from navigator.channels.rasa_client import BotMessage, Button
from navigator.channels.split import TELEGRAM_TEXT_LIMIT, split_text
from navigator.channels.store import StateStore
from navigator.channels.texts import Lang, text

CALLBACK_DATA_MAX_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64


@dataclass(frozen=True)
class OutgoingMessage:
    """One ``sendMessage`` call: HTML text and an optional inline keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def escape(plain: str) -> str:
    """Plain text escaped for ``parse_mode=HTML``."""
    return html.escape(plain, quote=False)


def keyboard(buttons: tuple[Button, ...], store: StateStore) -> InlineKeyboardMarkup:
    """One button per row; payloads longer than 64 bytes are mapped, never truncated."""
    rows = [
        [
            InlineKeyboardButton(
                b.title,
                callback_data=payloads.encode(b.payload, CALLBACK_DATA_MAX_BYTES, store),
            )
        ]
        for b in buttons
    ]
    return InlineKeyboardMarkup(rows)


def render(message: BotMessage, lang: Lang, store: StateStore) -> list[OutgoingMessage]:
    """The messages to send for one Rasa message; the keyboard goes with the last chunk.

    Chunks are split on the plain text and escaped afterwards, so an escape sequence or
    a tag is never cut in half and each chunk is valid HTML on its own.
    """
    plain = message.text.strip()
    if message.image:
        plain = f"{plain}\n{message.image}".strip()
    if not plain and message.buttons:
        plain = text("choose", lang)
    chunks = split_text(plain, TELEGRAM_TEXT_LIMIT)
    out = [OutgoingMessage(escape(chunk)) for chunk in chunks]
    if message.buttons and out:
        out[-1] = OutgoingMessage(out[-1].html, keyboard(message.buttons, store))
    return out
