"""The Telegram adapter as a real process against a fake Bot API and a fake Rasa."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from navigator.channels.texts import text
from tests.channels.conftest import Running, load_fixture
from tests.channels.fake_rasa import LONG_PAYLOAD, SHORT_PAYLOAD, long_text
from tests.channels.fake_telegram import TOKEN, FakeTelegram
from tests.channels.servers import AdapterProcess, ServerThread, free_port, wait_until

pytestmark = pytest.mark.integration

_chats = itertools.count(1)
RATE_BURST = 5


def telegram_env(rasa_url: str, api: Running, var: Path, **extra: str) -> dict[str, str]:
    return {
        "RASA_URL": rasa_url,
        "RASA_TIMEOUT": "1",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"{api.url}/bot",
        "TELEGRAM_RATE_LIMIT_PER_MINUTE": "6",
        "TELEGRAM_RATE_LIMIT_BURST": str(RATE_BURST),
        "TELEGRAM_POLL_TIMEOUT": "1",
        "NAVIGATOR_VAR": str(var),
        **extra,
    }


@pytest.fixture(scope="module")
def adapter(rasa: Running, telegram_api: Running, module_tmp: Path) -> Iterator[AdapterProcess]:
    env = telegram_env(rasa.url, telegram_api, module_tmp / "var")
    process = AdapterProcess("telegram", env, module_tmp / "telegram.log").start()

    def polling() -> bool:
        assert process.alive(), process.log()
        return bool(telegram_api.fake.calls("getUpdates"))

    wait_until(polling, timeout=15, interval=0.05)
    yield process
    process.stop()


def chat() -> int:
    """A fresh private chat id for one test."""
    return 700_100_000 + next(_chats)


def update(fixture: str, chat_id: int, **message_fields: Any) -> dict[str, Any]:
    """A recorded update moved into ``chat_id``."""
    data = load_fixture(f"telegram/{fixture}.json")
    message = data.get("message") or data["callback_query"]["message"]
    message["chat"]["id"] = chat_id
    message.update(message_fields)
    if "message" in data:
        data["message"]["from"]["id"] = chat_id
    else:
        data["callback_query"]["from"]["id"] = chat_id
    return data


def say(api: Running, chat_id: int, words: str) -> None:
    entities = []
    if words.startswith("/"):
        entities = [{"offset": 0, "length": len(words.split()[0]), "type": "bot_command"}]
    fields: dict[str, Any] = {"text": words}
    if entities:
        fields["entities"] = entities
    api.fake.push_update(update("message_text", chat_id, **fields))


def replies(api: Running, chat_id: int, n: int = 1) -> list[str]:
    return wait_until(
        lambda: len(api.fake.sent_texts(chat_id)) >= n and api.fake.sent_texts(chat_id)
    )


def test_startup_deletes_the_webhook_and_sets_the_command_menu(
    adapter: AdapterProcess, telegram_api: Running
) -> None:
    assert telegram_api.fake.calls("getMe")
    assert telegram_api.fake.calls("deleteWebhook")
    commands = telegram_api.fake.calls("setMyCommands")
    names = [c["command"] for c in commands[0]["commands"]]
    assert names == ["start", "help", "bahasa", "reset", "ringkasan", "privasi", "berhenti"]


def test_text_goes_to_rasa_with_typing_shown(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    say(telegram_api, chat_id, "anak saya baru lahir <3 & butuh akta")
    assert replies(telegram_api, chat_id) == ["Anda menulis: anak saya baru lahir <3 & butuh akta"]
    [received] = [r for r in rasa.fake.received if r["sender"] == f"telegram:{chat_id}"]
    assert received["metadata"] == {"channel": "telegram", "language": "id"}
    actions = telegram_api.fake.calls("sendChatAction", chat_id)
    assert actions and actions[0]["action"] == "typing"
    [sent] = telegram_api.fake.calls("sendMessage", chat_id)
    assert sent["parse_mode"] == "HTML"
    assert "&lt;3 &amp; butuh" in sent["text"]


def test_start_and_help_answer_locally(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    say(telegram_api, chat_id, "/start")
    assert replies(telegram_api, chat_id) == [text("start", "id")]
    say(telegram_api, chat_id, "/help")
    assert replies(telegram_api, chat_id, 2)[1] == text("help", "id")
    assert rasa.fake.messages_from(f"telegram:{chat_id}") == []


def test_privasi_ringkasan_and_berhenti_go_to_the_bot_as_words(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    for command in ("/privasi", "/ringkasan", "/berhenti"):
        say(telegram_api, chat_id, command)
    wait_until(lambda: len(rasa.fake.messages_from(f"telegram:{chat_id}")) == 3)
    assert rasa.fake.messages_from(f"telegram:{chat_id}") == ["privasi", "ringkasan", "berhenti"]


def test_bahasa_switches_language_and_reset_restarts_rasa(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    say(telegram_api, chat_id, "/bahasa")
    assert replies(telegram_api, chat_id) == [text("language_set", "en")]
    say(telegram_api, chat_id, "/reset")
    assert replies(telegram_api, chat_id, 2)[1] == text("reset_done", "en")
    assert rasa.fake.messages_from(f"telegram:{chat_id}") == ["/restart"]
    say(telegram_api, chat_id, "/bahasa id")
    assert replies(telegram_api, chat_id, 3)[2] == text("language_set", "id")


def test_buttons_become_an_inline_keyboard_and_a_press_sends_the_full_payload(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    say(telegram_api, chat_id, "tombol")
    replies(telegram_api, chat_id)
    [sent] = telegram_api.fake.calls("sendMessage", chat_id)
    keyboard = sent["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Akta kelahiran", "Kartu Keluarga"]
    long_data, short_data = keyboard[0][0]["callback_data"], keyboard[1][0]["callback_data"]
    assert len(long_data.encode()) <= 64 and long_data != LONG_PAYLOAD[:64]
    assert short_data == SHORT_PAYLOAD

    press = update("callback_query", chat_id)
    press["callback_query"]["data"] = long_data
    press["callback_query"]["id"] = f"cq-{chat_id}"
    telegram_api.fake.push_update(press)
    replies(telegram_api, chat_id, 2)
    assert rasa.fake.messages_from(f"telegram:{chat_id}") == ["tombol", LONG_PAYLOAD]
    answered = [c["callback_query_id"] for c in telegram_api.fake.calls("answerCallbackQuery")]
    assert f"cq-{chat_id}" in answered
    assert telegram_api.fake.calls("editMessageReplyMarkup", chat_id)


def test_an_unknown_button_key_is_explained(adapter: AdapterProcess, telegram_api: Running) -> None:
    chat_id = chat()
    press = update("callback_query", chat_id)
    press["callback_query"]["data"] = "#k:doesnotexist"
    telegram_api.fake.push_update(press)
    assert replies(telegram_api, chat_id) == [text("button_expired", "id")]


def test_a_long_reply_is_split_into_valid_messages(
    adapter: AdapterProcess, telegram_api: Running
) -> None:
    chat_id = chat()
    say(telegram_api, chat_id, "panjang")
    parts = replies(telegram_api, chat_id, 3)
    assert len(parts) == 3
    assert all(len(p) <= 4096 for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(long_text().split())


@pytest.mark.parametrize("fixture", ["message_photo", "message_voice", "message_sticker"])
def test_non_text_messages_get_a_short_explanation(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running, fixture: str
) -> None:
    chat_id = chat()
    telegram_api.fake.push_update(update(fixture, chat_id))
    assert replies(telegram_api, chat_id) == [text("unsupported", "id")]
    assert rasa.fake.messages_from(f"telegram:{chat_id}") == []


def test_a_shared_location_is_passed_on(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    telegram_api.fake.push_update(update("message_location", chat_id))
    replies(telegram_api, chat_id)
    [received] = [r for r in rasa.fake.received if r["sender"] == f"telegram:{chat_id}"]
    assert json.loads(received["message"][len("/share_location") :]) == {
        "latitude": -6.175392,
        "longitude": 106.827153,
    }


@pytest.mark.parametrize("words", ["gagal", "lambat"], ids=["rasa-500", "rasa-slow"])
def test_rasa_failing_or_slow_gets_the_polite_busy_reply(
    adapter: AdapterProcess, telegram_api: Running, words: str
) -> None:
    chat_id = chat()
    say(telegram_api, chat_id, words)
    assert replies(telegram_api, chat_id) == [text("busy", "id")]
    assert adapter.alive()


def test_flood_control_429_then_success(adapter: AdapterProcess, telegram_api: Running) -> None:
    chat_id = chat()
    telegram_api.fake.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
    )
    say(telegram_api, chat_id, "halo")
    assert replies(telegram_api, chat_id) == ["Anda menulis: halo"]
    assert len(telegram_api.fake.calls("sendMessage", chat_id, failed=True)) == 2


def test_a_chat_that_floods_is_rate_limited(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    for i in range(RATE_BURST + 3):
        say(telegram_api, chat_id, f"pesan {i}")
    sent = replies(telegram_api, chat_id, RATE_BURST + 1)
    assert sent.count(text("rate_limited", "id")) == 1
    assert len(rasa.fake.messages_from(f"telegram:{chat_id}")) == RATE_BURST


def test_no_token_or_message_text_in_the_log(
    adapter: AdapterProcess, telegram_api: Running
) -> None:
    chat_id = chat()
    say(telegram_api, chat_id, "NIK saya 3201234567890001 nomor 0812-3456-7890")
    replies(telegram_api, chat_id)
    log = adapter.log()
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "3201234567890001" not in log and "0812-3456-7890" not in log
    assert str(chat_id) not in log


# ---- webhook mode: its own process ------------------------------------------------------


def test_webhook_mode_checks_the_secret_token(rasa: Running, tmp_path: Path) -> None:
    telegram = FakeTelegram()
    server = ServerThread(telegram.app).start()
    port = free_port()
    secret = "s3cret_Token-for-tests"
    running = Running(telegram, server)
    env = telegram_env(
        rasa.url,
        running,
        tmp_path / "var",
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
        TELEGRAM_WEBHOOK_SECRET=secret,
        TELEGRAM_WEBHOOK_PORT=str(port),
    )
    process = AdapterProcess("telegram", env, tmp_path / "webhook.log").start()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    client = httpx.Client(timeout=5)
    try:

        def ready() -> bool:
            assert process.alive(), process.log()
            try:
                return client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
            except httpx.TransportError:
                return False

        wait_until(ready, timeout=15, interval=0.05)
        [registered] = telegram.calls("setWebhook")
        assert registered["url"] == url and registered["secret_token"] == secret
        assert not telegram.calls("getUpdates")

        chat_id = chat()
        body = update("message_text", chat_id, text="lewat webhook")
        header = "X-Telegram-Bot-Api-Secret-Token"
        assert client.post(url, json=body).status_code == 401
        assert client.post(url, json=body, headers={header: "wrong"}).status_code == 403
        bad = client.post(url, content=b"{oops", headers={header: secret})
        assert bad.status_code == 400
        not_update = client.post(url, json={"hello": 1}, headers={header: secret})
        assert not_update.status_code == 400
        assert client.post(url, json=body, headers={header: secret}).status_code == 200
        assert replies(running, chat_id) == ["Anda menulis: lewat webhook"]
        assert rasa.fake.messages_from(f"telegram:{chat_id}") == ["lewat webhook"]
        assert process.stop() == 0
    finally:
        process.stop()
        client.close()
        server.stop()


def test_an_update_the_library_cannot_parse_is_skipped_without_its_content(
    adapter: AdapterProcess, telegram_api: Running, rasa: Running
) -> None:
    chat_id = chat()
    broken = update("message_text", chat_id, text="nama saya Siti Aminah")
    broken["message"]["from"]["first_name"] = "Siti Aminah"
    broken["message"]["entities"] = [{"type": "bold"}]  # no offset or length: cannot be parsed
    telegram_api.fake.push_update(broken)
    say(telegram_api, chat_id, "syarat akta kelahiran")  # queued behind it, same batch or next
    assert replies(telegram_api, chat_id) == ["Anda menulis: syarat akta kelahiran"]
    assert rasa.fake.messages_from(f"telegram:{chat_id}") == ["syarat akta kelahiran"]
    polls = len(telegram_api.fake.calls("getUpdates"))
    time.sleep(1.0)
    assert len(telegram_api.fake.calls("getUpdates")) - polls < 10  # no hot retry loop
    log = adapter.log()
    assert "could not be parsed" in log
    assert "Siti" not in log and "Aminah" not in log
