"""Typed adapter settings read once from the environment at each entry point.

Every name is listed, with a safe placeholder, in ``env.channels.example``. Missing or
invalid values raise ``SettingsError`` naming every problem at once, so an adapter fails
at start rather than on the first message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from navigator.settings import redis_url, var_dir

DEFAULT_RASA_URL = "http://localhost:5005"
DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_WHATSAPP_API_BASE_URL = "https://graph.facebook.com/v21.0"
DEFAULT_WHATSAPP_PORT = 8001
DEFAULT_TELEGRAM_WEBHOOK_PORT = 8002
DEFAULT_ORDER_WINDOW_MS = 300
REDIS_SCHEMES = ("redis", "rediss", "unix")

# Telegram accepts 1-256 characters from this set for a webhook secret token.
_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(ValueError):
    """The environment lacks a required setting or holds an invalid one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class _Reader:
    """Collects problems while reading values, so they are all reported together."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def optional(self, name: str, default: str = "") -> str:
        return self.env.get(name, "").strip() or default

    def required(self, name: str, hint: str) -> str:
        value = self.env.get(name, "").strip()
        if not value:
            self.problems.append(f"{name} is not set ({hint})")
        return value

    def url(self, name: str, default: str) -> str:
        value = self.optional(name, default).rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.problems.append(f"{name} must be an http(s) URL, got {value!r}")
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.optional(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problems.append(f"{name} must be a whole number, got {raw!r}")
            return default
        if not low <= value <= high:
            self.problems.append(f"{name} must be between {low} and {high}, got {value}")
        return value

    def number(self, name: str, default: float, low: float, high: float) -> float:
        raw = self.optional(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            self.problems.append(f"{name} must be a number, got {raw!r}")
            return default
        if not low <= value <= high:
            self.problems.append(f"{name} must be between {low} and {high}, got {value}")
        return value

    def redis_url(self) -> str | None:
        """``NAVIGATOR_REDIS_URL`` (via ``navigator.settings``): shared state, or None."""
        value = redis_url()
        if value and urlsplit(value).scheme not in REDIS_SCHEMES:
            # the value may hold a password: name the variable, not the value
            self.problems.append(
                "NAVIGATOR_REDIS_URL must start with redis://, rediss:// or unix://"
            )
        return value

    def done(self) -> None:
        if self.problems:
            raise SettingsError(self.problems)


@dataclass(frozen=True)
class RasaSettings:
    """Where the Rasa REST channel is and how long to wait for it."""

    url: str = DEFAULT_RASA_URL
    timeout: float = 10.0

    @property
    def webhook_url(self) -> str:
        """The REST channel endpoint."""
        return f"{self.url}/webhooks/rest/webhook"

    @classmethod
    def read(cls, r: _Reader) -> RasaSettings:
        return cls(
            url=r.url("RASA_URL", DEFAULT_RASA_URL),
            timeout=r.number("RASA_TIMEOUT", 10.0, 0.1, 300.0),
        )


@dataclass(frozen=True)
class TelegramSettings:
    """Everything ``navigator telegram`` reads."""

    bot_token: str = field(repr=False)
    api_base_url: str = DEFAULT_TELEGRAM_API_BASE_URL
    webhook_url: str = ""
    webhook_secret: str = field(default="", repr=False)
    webhook_host: str = "127.0.0.1"
    webhook_port: int = DEFAULT_TELEGRAM_WEBHOOK_PORT
    poll_timeout: int = 10
    rate_per_minute: int = 30
    rate_burst: int = 8
    rasa: RasaSettings = field(default_factory=RasaSettings)
    state_path: Path = field(default_factory=lambda: var_dir() / "telegram.sqlite3")
    redis_url: str | None = field(default_factory=redis_url, repr=False)

    @property
    def webhook_mode(self) -> bool:
        """Webhook when a public URL is configured, long polling otherwise."""
        return bool(self.webhook_url)

    @property
    def webhook_path(self) -> str:
        """The local path the webhook server listens on: the path of the public URL."""
        return urlsplit(self.webhook_url).path or "/"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TelegramSettings:
        """Read and check the Telegram settings; raises ``SettingsError``."""
        r = _Reader(env)
        token = r.required("TELEGRAM_BOT_TOKEN", "the token BotFather gave you")
        if token and ":" not in token:
            r.problems.append("TELEGRAM_BOT_TOKEN does not look like a BotFather token")
        webhook_url = r.optional("TELEGRAM_WEBHOOK_URL")
        secret = r.optional("TELEGRAM_WEBHOOK_SECRET")
        if webhook_url:
            if urlsplit(webhook_url).scheme not in ("http", "https"):
                r.problems.append("TELEGRAM_WEBHOOK_URL must be an https URL")
            if not secret:
                r.problems.append(
                    "TELEGRAM_WEBHOOK_SECRET is not set (required with TELEGRAM_WEBHOOK_URL)"
                )
            elif not _TELEGRAM_SECRET.match(secret):
                r.problems.append(
                    "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -"
                )
        settings = cls(
            bot_token=token,
            api_base_url=r.url("TELEGRAM_API_BASE_URL", DEFAULT_TELEGRAM_API_BASE_URL),
            webhook_url=webhook_url,
            webhook_secret=secret,
            webhook_host=r.optional("TELEGRAM_WEBHOOK_HOST", "127.0.0.1"),
            webhook_port=r.integer(
                "TELEGRAM_WEBHOOK_PORT", DEFAULT_TELEGRAM_WEBHOOK_PORT, 1, 65535
            ),
            poll_timeout=r.integer("TELEGRAM_POLL_TIMEOUT", 10, 0, 50),
            rate_per_minute=r.integer("TELEGRAM_RATE_LIMIT_PER_MINUTE", 30, 1, 10_000),
            rate_burst=r.integer("TELEGRAM_RATE_LIMIT_BURST", 8, 1, 1_000),
            rasa=RasaSettings.read(r),
            redis_url=r.redis_url(),
        )
        r.done()
        return settings


@dataclass(frozen=True)
class WhatsAppSettings:
    """Everything ``navigator whatsapp`` reads."""

    access_token: str = field(repr=False)
    phone_number_id: str
    app_secret: str = field(repr=False)
    verify_token: str = field(repr=False)
    api_base_url: str = DEFAULT_WHATSAPP_API_BASE_URL
    host: str = "127.0.0.1"
    port: int = DEFAULT_WHATSAPP_PORT
    workers: int = 16
    queue_size: int = 10_000
    order_window: float = DEFAULT_ORDER_WINDOW_MS / 1000
    rasa: RasaSettings = field(default_factory=RasaSettings)
    state_path: Path = field(default_factory=lambda: var_dir() / "whatsapp.sqlite3")
    redis_url: str | None = field(default_factory=redis_url, repr=False)

    @property
    def messages_url(self) -> str:
        """Where replies are posted: ``{base}/{phone_number_id}/messages``."""
        return f"{self.api_base_url}/{self.phone_number_id}/messages"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WhatsAppSettings:
        """Read and check the WhatsApp settings; raises ``SettingsError``."""
        r = _Reader(env)
        settings = cls(
            access_token=r.required(
                "WHATSAPP_ACCESS_TOKEN", "a system-user access token from Meta Business"
            ),
            phone_number_id=r.required(
                "WHATSAPP_PHONE_NUMBER_ID", "the phone number id shown under WhatsApp > API Setup"
            ),
            app_secret=r.required("WHATSAPP_APP_SECRET", "App settings > Basic > App secret"),
            verify_token=r.required(
                "WHATSAPP_VERIFY_TOKEN", "any string you also enter in the webhook settings"
            ),
            api_base_url=r.url("WHATSAPP_API_BASE_URL", DEFAULT_WHATSAPP_API_BASE_URL),
            host=r.optional("WHATSAPP_HOST", "127.0.0.1"),
            port=r.integer("WHATSAPP_PORT", DEFAULT_WHATSAPP_PORT, 1, 65535),
            workers=r.integer("WHATSAPP_WORKERS", 16, 1, 1_000),
            queue_size=r.integer("WHATSAPP_QUEUE_SIZE", 10_000, 1, 1_000_000),
            order_window=r.integer("WHATSAPP_ORDER_WINDOW_MS", DEFAULT_ORDER_WINDOW_MS, 0, 10_000)
            / 1000,
            rasa=RasaSettings.read(r),
            redis_url=r.redis_url(),
        )
        r.done()
        return settings
