"""Build the python-telegram-bot ``Application`` and run it by polling or webhook."""

from __future__ import annotations

import asyncio
import logging

import uvicorn
from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from navigator.channels.conversation import Conversation
from navigator.channels.rasa_client import RasaClient
from navigator.channels.settings import TelegramSettings
from navigator.channels.shutdown import exit_cleanly_on_sigterm
from navigator.channels.state import open_state
from navigator.channels.telegram.handlers import TelegramHandlers
from navigator.channels.telegram.retry import RetryAfterLimiter
from navigator.channels.telegram.tolerant import TolerantBot
from navigator.channels.telegram.webhook import create_webhook_app

logger = logging.getLogger(__name__)

COMMANDS = {
    "id": [
        BotCommand("start", "Perkenalan"),
        BotCommand("help", "Bantuan"),
        BotCommand("bahasa", "Ganti bahasa (Indonesia/English)"),
        BotCommand("reset", "Mulai percakapan dari awal"),
        BotCommand("ringkasan", "Kode kasus dan daftar periksa untuk loket"),
        BotCommand("privasi", "Data yang disimpan tentang Anda"),
        BotCommand("berhenti", "Hentikan dan hapus pengingat"),
    ],
    "en": [
        BotCommand("start", "Introduction"),
        BotCommand("help", "Help"),
        BotCommand("bahasa", "Switch language (Indonesia/English)"),
        BotCommand("reset", "Start the conversation over"),
        BotCommand("ringkasan", "Case code and checklist for the counter"),
        BotCommand("privasi", "What is stored about you"),
        BotCommand("berhenti", "Stop and delete reminders"),
    ],
}

UNSUPPORTED = (
    filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Sticker.ALL
    | filters.Document.ALL
    | filters.CONTACT
    | filters.POLL
)

App = Application  # type: ignore[type-arg]


def _request(connection_pool_size: int) -> HTTPXRequest:
    """An HTTP client for the Bot API with the adapter's timeouts."""
    return HTTPXRequest(
        connection_pool_size=connection_pool_size,
        connect_timeout=5.0,
        read_timeout=15.0,
        write_timeout=15.0,
        pool_timeout=5.0,
    )


def build_application(settings: TelegramSettings) -> App:
    """The configured application with every handler registered."""
    state = open_state("telegram", settings.state_path, settings.redis_url)
    rasa = RasaClient(settings.rasa)
    conversation = Conversation("telegram", rasa, state.store)
    handlers = TelegramHandlers(
        conversation,
        state.limiter(settings.rate_per_minute, settings.rate_burst),
        order=state.order,
    )

    async def post_init(application: App) -> None:
        try:
            await application.bot.set_my_commands(COMMANDS["id"])
            await application.bot.set_my_commands(COMMANDS["en"], language_code="en")
        except TelegramError as exc:  # cosmetic: the bot works without the command menu
            logger.warning("could not set the command menu: %s", exc)

    async def post_shutdown(_: App) -> None:
        await rasa.aclose()
        await state.aclose()

    bot = TolerantBot(
        settings.bot_token,
        base_url=settings.api_base_url,
        request=_request(connection_pool_size=256),
        get_updates_request=_request(connection_pool_size=1),
        rate_limiter=RetryAfterLimiter(),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(64)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    only_new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help_command))
    application.add_handler(CommandHandler("bahasa", handlers.bahasa))
    application.add_handler(CommandHandler("reset", handlers.reset))
    application.add_handler(CommandHandler(["privasi", "ringkasan", "berhenti"], handlers.to_bot))
    application.add_handler(CallbackQueryHandler(handlers.button_press))
    application.add_handler(MessageHandler(only_new & filters.LOCATION, handlers.location))
    application.add_handler(MessageHandler(only_new & filters.COMMAND, handlers.unknown_command))
    application.add_handler(MessageHandler(only_new & filters.TEXT, handlers.text_message))
    application.add_handler(MessageHandler(only_new & UNSUPPORTED, handlers.unsupported))
    application.add_error_handler(handlers.on_error)
    return application


async def _serve_webhook(application: App, settings: TelegramSettings) -> None:
    """Register the webhook with Telegram and serve it until SIGINT/SIGTERM."""
    web = create_webhook_app(application, settings.webhook_secret, settings.webhook_path)
    server = uvicorn.Server(
        uvicorn.Config(
            web,
            host=settings.webhook_host,
            port=settings.webhook_port,
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
    )
    async with application:
        if application.post_init:
            await application.post_init(application)
        await application.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
        await application.start()
        logger.info(
            "Telegram webhook listening on %s:%d%s",
            settings.webhook_host,
            settings.webhook_port,
            settings.webhook_path,
        )
        try:
            await server.serve()
        finally:
            await application.stop()
    if application.post_shutdown:
        await application.post_shutdown(application)


def run(settings: TelegramSettings) -> int:
    """Run the adapter until stopped; returns the exit code."""
    application = build_application(settings)
    try:
        if settings.webhook_mode:
            exit_cleanly_on_sigterm()
            asyncio.run(_serve_webhook(application, settings))
        else:
            logger.info("Telegram adapter polling %s", settings.api_base_url)
            # A stop waits for the open long poll, so this is also the longest shutdown.
            application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.poll_timeout)
    except InvalidToken:
        logger.error("Telegram rejected TELEGRAM_BOT_TOKEN; check it with BotFather")
        return 1
    except NetworkError as exc:
        logger.error("cannot reach the Telegram Bot API at %s: %s", settings.api_base_url, exc)
        return 1
    return 0
