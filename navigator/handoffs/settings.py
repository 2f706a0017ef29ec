"""Handoff settings, read from the environment (names in ``.env.example``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from navigator.handoffs.hours import HoursError, OfficeHours

DEFAULT_HOURS = "mon-fri 08:00-16:00"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_GRAPH_API = "https://graph.facebook.com/v21.0"
WHATSAPP_WINDOW_S = 24 * 3600  # Meta's customer-service window after the citizen's message


class HandoffSettingsError(ValueError):
    """A handoff setting cannot be read; the message names it."""


def channel_credentials(env: Mapping[str, str]) -> dict[str, str]:
    """Rasa's HTTP API and the channels' credentials, as both the agents' replies and the
    reminders read them: RASA_URL, RASA_AUTH_TOKEN, TELEGRAM_BOT_TOKEN,
    TELEGRAM_API_BASE_URL, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_API_BASE_URL, WHATSAPP_TEMPLATE_LANGUAGE."""

    def get(name: str, default: str = "") -> str:
        return env.get(name, "").strip() or default

    return {
        "rasa_url": get("RASA_URL", DEFAULT_RASA_URL).rstrip("/"),
        "rasa_token": get("RASA_AUTH_TOKEN"),
        "telegram_token": get("TELEGRAM_BOT_TOKEN"),
        "telegram_api": get("TELEGRAM_API_BASE_URL", DEFAULT_TELEGRAM_API),
        "whatsapp_token": get("WHATSAPP_ACCESS_TOKEN"),
        "whatsapp_phone_id": get("WHATSAPP_PHONE_NUMBER_ID"),
        "whatsapp_api": get("WHATSAPP_API_BASE_URL", DEFAULT_GRAPH_API).rstrip("/"),
        "whatsapp_template_language": get("WHATSAPP_TEMPLATE_LANGUAGE", "id"),
    }


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError as exc:
        raise HandoffSettingsError(f"{name} must be a number (got {raw!r})") from exc
    if value <= 0:
        raise HandoffSettingsError(f"{name} must be positive")
    return value


@dataclass(frozen=True)
class HandoffSettings:
    """Office hours, presence, Rasa's HTTP API and the channels' credentials."""

    hours: OfficeHours
    online_s: float = 120.0  # an agent counts as online this long after the console was open
    rasa_url: str = DEFAULT_RASA_URL
    rasa_token: str = field(default="", repr=False)
    telegram_token: str = field(default="", repr=False)
    telegram_api: str = DEFAULT_TELEGRAM_API
    whatsapp_token: str = field(default="", repr=False)
    whatsapp_phone_id: str = ""
    whatsapp_api: str = DEFAULT_GRAPH_API
    whatsapp_template: str = "navigator_agent_reply"
    whatsapp_template_language: str = "id"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HandoffSettings:
        """HANDOFF_HOURS, HANDOFF_TIMEZONE, HANDOFF_HOLIDAYS, HANDOFF_ONLINE_SECONDS,
        WHATSAPP_AGENT_TEMPLATE, and the channels' (:func:`channel_credentials`)."""
        env = os.environ if env is None else env
        holidays_closed = env.get("HANDOFF_HOLIDAYS", "true").strip().lower() not in (
            "0",
            "false",
            "no",
            "off",
        )
        try:
            hours = OfficeHours.parse(
                env.get("HANDOFF_HOURS", "").strip() or DEFAULT_HOURS,
                env.get("HANDOFF_TIMEZONE", "").strip() or "Asia/Jakarta",
                holidays_closed,
            )
        except (HoursError, KeyError, ValueError) as exc:
            raise HandoffSettingsError(str(exc)) from exc
        return cls(
            hours=hours,
            online_s=_number(env, "HANDOFF_ONLINE_SECONDS", 120.0),
            whatsapp_template=env.get("WHATSAPP_AGENT_TEMPLATE", "").strip()
            or "navigator_agent_reply",
            **channel_credentials(env),
        )
