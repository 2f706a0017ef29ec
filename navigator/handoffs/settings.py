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
        RASA_URL, RASA_AUTH_TOKEN, TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL,
        WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_API_BASE_URL,
        WHATSAPP_AGENT_TEMPLATE, WHATSAPP_TEMPLATE_LANGUAGE."""
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
            rasa_url=(env.get("RASA_URL", "").strip() or DEFAULT_RASA_URL).rstrip("/"),
            rasa_token=env.get("RASA_AUTH_TOKEN", "").strip(),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_api=(env.get("TELEGRAM_API_BASE_URL", "").strip() or DEFAULT_TELEGRAM_API),
            whatsapp_token=env.get("WHATSAPP_ACCESS_TOKEN", "").strip(),
            whatsapp_phone_id=env.get("WHATSAPP_PHONE_NUMBER_ID", "").strip(),
            whatsapp_api=(env.get("WHATSAPP_API_BASE_URL", "").strip() or DEFAULT_GRAPH_API).rstrip(
                "/"
            ),
            whatsapp_template=env.get("WHATSAPP_AGENT_TEMPLATE", "").strip()
            or "navigator_agent_reply",
            whatsapp_template_language=env.get("WHATSAPP_TEMPLATE_LANGUAGE", "").strip() or "id",
        )
