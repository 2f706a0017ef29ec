"""``navigator telegram`` and ``navigator whatsapp``: run one chat adapter."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from navigator import privacy as redact
from navigator.channels.settings import SettingsError, TelegramSettings, WhatsAppSettings

EXIT_CONFIG = 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``telegram`` and ``whatsapp`` subcommands."""
    telegram = sub.add_parser(
        "telegram",
        help="run the Telegram adapter (long polling; webhook when TELEGRAM_WEBHOOK_URL is set)",
        description="Settings come from the environment; see docs/channels.md.",
    )
    telegram.set_defaults(handler=cmd_telegram)
    whatsapp = sub.add_parser(
        "whatsapp",
        help="run the WhatsApp Cloud API webhook (WHATSAPP_PORT, default 8001, path /webhook)",
        description="Settings come from the environment; see docs/channels.md.",
    )
    whatsapp.set_defaults(handler=cmd_whatsapp)


def _config_error(command: str, exc: SettingsError) -> int:
    print(f"navigator {command}: cannot start:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  - {problem}", file=sys.stderr)
    print("Set them in the environment or .env (see env.channels.example).", file=sys.stderr)
    return EXIT_CONFIG


def _quiet_libraries() -> None:
    """Keep personal data and tokens out of the logs: redact, and quiet chatty libraries."""
    redact.install()
    root_level = logging.getLogger().level
    # httpx logs request URLs, and the Bot API URL holds the bot token.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root_level))
    # python-telegram-bot's debug lines print whole updates: names and message text.
    logging.getLogger("telegram").setLevel(max(logging.INFO, root_level))


def cmd_telegram(args: argparse.Namespace) -> int:
    """Run the Telegram adapter until SIGINT/SIGTERM."""
    try:
        settings = TelegramSettings.from_env(os.environ)
    except SettingsError as exc:
        return _config_error("telegram", exc)
    _quiet_libraries()
    from navigator.channels.telegram.app import run

    return run(settings)


def cmd_whatsapp(args: argparse.Namespace) -> int:
    """Run the WhatsApp webhook server until SIGINT/SIGTERM."""
    try:
        settings = WhatsAppSettings.from_env(os.environ)
    except SettingsError as exc:
        return _config_error("whatsapp", exc)
    _quiet_libraries()
    from navigator.channels.whatsapp.server import run

    return run(settings)
