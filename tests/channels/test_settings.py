"""Settings come from the environment; missing secrets fail at start, all named."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from navigator.channels.settings import SettingsError, TelegramSettings, WhatsAppSettings
from tests.channels.servers import NAVIGATOR

WHATSAPP = {
    "WHATSAPP_ACCESS_TOKEN": "EAAtest",
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "WHATSAPP_APP_SECRET": "secret",
    "WHATSAPP_VERIFY_TOKEN": "verify",
}


@pytest.fixture(autouse=True)
def _var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAVIGATOR_VAR", str(tmp_path))


def test_whatsapp_defaults() -> None:
    settings = WhatsAppSettings.from_env(WHATSAPP)
    assert settings.rasa.url == "http://localhost:5005"
    assert settings.rasa.webhook_url == "http://localhost:5005/webhooks/rest/webhook"
    assert settings.port == 8001
    assert settings.messages_url == "https://graph.facebook.com/v21.0/106540352242922/messages"
    assert "secret" not in repr(settings) and "EAAtest" not in repr(settings)


def test_whatsapp_base_url_is_configurable() -> None:
    env = {**WHATSAPP, "WHATSAPP_API_BASE_URL": "https://bsp.example.id/graph/v22.0/"}
    settings = WhatsAppSettings.from_env(env)
    assert settings.messages_url == "https://bsp.example.id/graph/v22.0/106540352242922/messages"


def test_every_missing_whatsapp_secret_is_named() -> None:
    with pytest.raises(SettingsError) as error:
        WhatsAppSettings.from_env({"WHATSAPP_PORT": "eighty"})
    names = " ".join(error.value.problems)
    for name in [*WHATSAPP, "WHATSAPP_PORT"]:
        assert name in names


def test_telegram_polling_by_default() -> None:
    settings = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "123:abc"})
    assert not settings.webhook_mode
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert "123:abc" not in repr(settings)


def test_telegram_webhook_needs_a_valid_secret() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_URL": "https://bot.example.id/tg"}
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
        TelegramSettings.from_env(env)
    with pytest.raises(SettingsError, match="A-Z a-z 0-9"):
        TelegramSettings.from_env({**env, "TELEGRAM_WEBHOOK_SECRET": "has spaces!"})
    settings = TelegramSettings.from_env({**env, "TELEGRAM_WEBHOOK_SECRET": "ok_Secret-1"})
    assert settings.webhook_mode and settings.webhook_path == "/tg"


def test_missing_token_fails_fast(tmp_path: Path) -> None:
    for command, name in (("telegram", "TELEGRAM_BOT_TOKEN"), ("whatsapp", "WHATSAPP_APP_SECRET")):
        result = subprocess.run(
            [str(NAVIGATOR), command],
            env={"PATH": "/usr/bin:/bin", "NAVIGATOR_VAR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 2
        assert name in result.stderr and "Traceback" not in result.stderr
