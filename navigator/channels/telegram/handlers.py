"""Telegram update handlers: commands, text, button presses, locations and the rest."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext, suppress
from weakref import WeakValueDictionary

from telegram import Bot, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from navigator.channels import payloads
from navigator.channels.conversation import (
    Conversation,
    citizen_text,
    location_message,
    parse_command,
)
from navigator.channels.order import ConversationOrder
from navigator.channels.rasa_client import BotMessage
from navigator.channels.ratelimit import Limiter
from navigator.channels.shared import SharedStateUnavailable
from navigator.channels.telegram.render import escape, render
from navigator.channels.texts import DEFAULT_LANG, Lang, parse_lang, text
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

TYPING_REFRESH_S = 4.5  # Telegram shows "typing…" for about 5 seconds per chat action


@asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block ends."""

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                logger.debug("chat action failed: %s", type(exc).__name__)
            await asyncio.sleep(TYPING_REFRESH_S)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


class TelegramHandlers:
    """The bot's handlers, sharing one Rasa conversation, store and rate limiter."""

    def __init__(
        self,
        conversation: Conversation,
        limiter: Limiter,
        order: ConversationOrder | None = None,
    ) -> None:
        self.conversation = conversation
        self.store = conversation.store
        self.limiter = limiter
        # One lock per chat keeps replies in order while updates run concurrently; with
        # Redis, ``order`` adds one per chat across the adapter's processes.
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()
        self.order = order

    def _lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock

    def _shared_turn(self, sender: str) -> AbstractAsyncContextManager[None]:
        return self.order.turn(sender) if self.order is not None else nullcontext()

    def _sender(self, update: Update) -> str:
        assert update.effective_chat is not None
        return self.conversation.sender_id(update.effective_chat.id)

    def _lang(self, update: Update) -> Lang:
        return self.conversation.language(self._sender(update))

    async def _admit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Per-chat rate limit; tells the citizen once when they are over it."""
        chat = update.effective_chat
        if chat is None:
            return False
        if self.limiter.allow(chat.id):
            return True
        logger.info("rate limited %s", pseudonym(chat.id))
        if self.limiter.should_warn(chat.id):
            await self._say(context.bot, chat.id, text("rate_limited", self._lang(update)))
        return False

    async def _say(self, bot: Bot, chat_id: int, plain: str) -> None:
        await bot.send_message(chat_id, escape(plain), parse_mode=ParseMode.HTML)

    async def _send(self, bot: Bot, chat_id: int, messages: list[BotMessage], lang: Lang) -> None:
        for message in messages:
            for out in render(message, lang, self.store):
                await bot.send_message(
                    chat_id, out.html, parse_mode=ParseMode.HTML, reply_markup=out.keyboard
                )

    async def _relay(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        message: str,
        extra: dict[str, object] | None = None,
    ) -> None:
        """Send ``message`` to Rasa with "typing…" shown, then deliver the replies."""
        chat = update.effective_chat
        assert chat is not None
        sender = self._sender(update)
        async with self._lock(chat.id), self._shared_turn(sender):
            async with typing(context.bot, chat.id):
                replies = await self.conversation.ask(sender, message, dict(extra or {}))
            await self._send(context.bot, chat.id, replies, self.conversation.language(sender))

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/start``: greeting and what the bot can do."""
        if await self._admit(update, context):
            assert update.effective_chat is not None
            await self._say(
                context.bot, update.effective_chat.id, text("start", self._lang(update))
            )

    async def help_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/help``: how to ask and the commands."""
        if await self._admit(update, context):
            assert update.effective_chat is not None
            await self._say(context.bot, update.effective_chat.id, text("help", self._lang(update)))

    async def bahasa(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/bahasa [id|en]``: set the language, or switch between the two."""
        if not await self._admit(update, context):
            return
        assert update.effective_chat is not None
        sender = self._sender(update)
        wanted = parse_lang(context.args[0]) if context.args else None
        lang: Lang = wanted or ("en" if self.conversation.language(sender) == "id" else "id")
        self.conversation.set_language(sender, lang)
        await self._say(context.bot, update.effective_chat.id, text("language_set", lang))

    async def reset(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/reset``: ask Rasa to forget the conversation."""
        if not await self._admit(update, context):
            return
        assert update.effective_chat is not None
        sender = self._sender(update)
        ok = await self.conversation.restart(sender)
        key = "reset_done" if ok else "busy"
        await self._say(context.bot, update.effective_chat.id, text(key, self._lang(update)))

    async def to_bot(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/privasi``, ``/ringkasan``, ``/berhenti``: the word goes to Rasa, whose
        actions answer it (what is stored, a case code, stop the reminders)."""
        message = update.effective_message
        if message is None or not message.text or not await self._admit(update, context):
            return
        command = parse_command(message.text)
        if command is not None:
            await self._relay(update, context, command[0])

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other ``/command``: the help text."""
        await self.help_command(update, context)

    async def text_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Free text goes to Rasa."""
        message = update.effective_message
        if message is None or not message.text or not await self._admit(update, context):
            return
        cleaned = citizen_text(message.text)
        if cleaned:
            await self._relay(update, context, cleaned)

    async def button_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An inline button: answer the query, remove the keyboard, send the payload."""
        query = update.callback_query
        if query is None or update.effective_chat is None:
            return
        await query.answer()
        if not await self._admit(update, context):
            return
        with suppress(BadRequest):  # already edited, or the message is too old to edit
            await query.edit_message_reply_markup(reply_markup=None)
        payload = payloads.decode(query.data or "", self.store)
        if not payload:
            await self._say(
                context.bot, update.effective_chat.id, text("button_expired", self._lang(update))
            )
            return
        await self._relay(update, context, payload)

    async def location(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A shared location goes to Rasa as ``/share_location`` with coordinates."""
        message = update.effective_message
        if message is None or message.location is None or not await self._admit(update, context):
            return
        loc = message.location
        coords = {"latitude": loc.latitude, "longitude": loc.longitude}
        await self._relay(
            update, context, location_message(loc.latitude, loc.longitude), {"location": coords}
        )

    async def unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, voice notes, stickers and the like: a short explanation."""
        if await self._admit(update, context):
            assert update.effective_chat is not None
            await self._say(
                context.bot, update.effective_chat.id, text("unsupported", self._lang(update))
            )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the error (redacted by the log filter) and apologise to the citizen."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(context.error, SharedStateUnavailable):
            who = pseudonym(chat.id) if chat is not None else "an update"
            logger.warning("Redis unavailable while answering %s: busy reply", who)
        else:
            logger.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and chat is not None:
            try:
                lang = self._lang(update)
            except SharedStateUnavailable:
                lang = DEFAULT_LANG
            with suppress(TelegramError):
                await self._say(context.bot, chat.id, text("busy", lang))
