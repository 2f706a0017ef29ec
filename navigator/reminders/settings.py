"""Reminder settings, read from the environment (names in ``.env.example``).

The channels' own variables say where messages go (the same as the adapters and the
console use); ``REMINDER_HOUR`` and ``REMINDER_TIMEZONE`` say when in the day they go.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from navigator.handoffs.settings import (
    DEFAULT_GRAPH_API,
    DEFAULT_RASA_URL,
    DEFAULT_TELEGRAM_API,
    channel_credentials,
)

DEFAULT_TEMPLATE = "navigator_reminder"
DEFAULT_HOUR = 9
DEFAULT_TIMEZONE = "Asia/Jakarta"


class ReminderSettingsError(ValueError):
    """A reminder setting cannot be read; the message names it."""


@dataclass(frozen=True)
class ReminderSettings:
    """When reminders go out, and the credentials of the channels they go out on."""

    hour: int = DEFAULT_HOUR
    timezone: str = DEFAULT_TIMEZONE
    rasa_url: str = DEFAULT_RASA_URL
    rasa_token: str = field(default="", repr=False)
    telegram_token: str = field(default="", repr=False)
    telegram_api: str = DEFAULT_TELEGRAM_API
    whatsapp_token: str = field(default="", repr=False)
    whatsapp_phone_id: str = ""
    whatsapp_api: str = DEFAULT_GRAPH_API
    whatsapp_template: str = DEFAULT_TEMPLATE
    whatsapp_template_language: str = "id"

    @property
    def zone(self) -> ZoneInfo:
        """The time zone of ``hour``."""
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ReminderSettings:
        """REMINDER_HOUR, REMINDER_TIMEZONE, WHATSAPP_REMINDER_TEMPLATE, and the channels'
        (:func:`navigator.handoffs.settings.channel_credentials`)."""
        env = os.environ if env is None else env

        def get(name: str, default: str = "") -> str:
            return env.get(name, "").strip() or default

        raw_hour = get("REMINDER_HOUR", str(DEFAULT_HOUR))
        if not raw_hour.isdigit() or not 0 <= int(raw_hour) <= 23:
            raise ReminderSettingsError(f"REMINDER_HOUR must be 0-23 (got {raw_hour!r})")
        timezone = get("REMINDER_TIMEZONE", DEFAULT_TIMEZONE)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ReminderSettingsError(
                f"REMINDER_TIMEZONE is not a known time zone (got {timezone!r})"
            ) from exc
        return cls(
            hour=int(raw_hour),
            timezone=timezone,
            whatsapp_template=get("WHATSAPP_REMINDER_TEMPLATE", DEFAULT_TEMPLATE),
            **channel_credentials(env),
        )
