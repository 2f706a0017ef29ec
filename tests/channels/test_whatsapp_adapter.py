"""The WhatsApp adapter as a real process against a fake Graph API and a fake Rasa."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from navigator.channels.texts import text
from navigator.channels.whatsapp.signature import sign
from tests.channels.conftest import Running, load_fixture, new_id
from tests.channels.fake_graph import PHONE_NUMBER_ID, TOKEN, VERSION, graph_error
from tests.channels.fake_rasa import LONG_PAYLOAD, long_text
from tests.channels.servers import AdapterProcess, free_port, wait_until

pytestmark = pytest.mark.integration

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
_numbers = itertools.count(1)


def whatsapp_env(rasa_url: str, graph: Running, var: Path, port: int) -> dict[str, str]:
    return {
        "RASA_URL": rasa_url,
        "RASA_TIMEOUT": "2",
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_API_BASE_URL": f"{graph.url}/{VERSION}",
        "WHATSAPP_PORT": str(port),
        "NAVIGATOR_VAR": str(var),
    }


class Adapter:
    """A running ``navigator whatsapp`` and a client for its webhook."""

    def __init__(self, process: AdapterProcess, port: int) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}/webhook"
        self.client = httpx.Client(timeout=5)

    def wait_ready(self) -> Adapter:
        def ready() -> bool:
            assert self.process.alive(), self.process.log()
            try:
                return self.client.get(self.url.replace("/webhook", "/healthz")).status_code == 200
            except httpx.TransportError:
                return False

        wait_until(ready, timeout=15, interval=0.05)
        return self

    def post(self, body: bytes | dict[str, Any], signed: bool = True) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["X-Hub-Signature-256"] = sign(raw, APP_SECRET)
        return self.client.post(self.url, content=raw, headers=headers)


def start_adapter(env: dict[str, str], port: int, log: Path) -> Adapter:
    return Adapter(AdapterProcess("whatsapp", env, log).start(), port).wait_ready()


@pytest.fixture(scope="module")
def adapter(rasa: Running, graph: Running, module_tmp: Path) -> Iterator[Adapter]:
    port = free_port()
    env = whatsapp_env(rasa.url, graph, module_tmp / "var", port)
    running = start_adapter(env, port, module_tmp / "whatsapp.log")
    yield running
    running.process.stop()


def citizen() -> str:
    """A fresh WhatsApp user id (an Indonesian mobile number) for one test."""
    return f"62812{next(_numbers):08d}"


def message(fixture: str, wa_id: str, **fields: Any) -> dict[str, Any]:
    """A recorded notification with a fresh message id, for ``wa_id``."""
    data = load_fixture(f"whatsapp/{fixture}.json")
    value = data["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = wa_id
    msg = value["messages"][0]
    msg.update({"from": wa_id, "id": new_id()}, **fields)
    return data


def text_message(wa_id: str, body: str) -> dict[str, Any]:
    return message("text", wa_id, text={"body": body})


def reply(wa_id: str, kind: str, reply_id: str, title: str = "Pilihan") -> dict[str, Any]:
    fixture = "button_reply" if kind == "button_reply" else "list_reply"
    return message(
        fixture, wa_id, interactive={"type": kind, kind: {"id": reply_id, "title": title}}
    )


def bodies(graph: Running, wa_id: str) -> list[str]:
    """Text of every message the adapter sent to ``wa_id`` (text or interactive body)."""
    out = []
    for p in graph.fake.sent(wa_id):
        out.append(p["text"]["body"] if p["type"] == "text" else p["interactive"]["body"]["text"])
    return out


def wait_for_messages(graph: Running, wa_id: str, n: int = 1) -> list[dict[str, Any]]:
    return wait_until(lambda: len(graph.fake.sent(wa_id)) >= n and graph.fake.sent(wa_id))


# ---- verification and signatures ------------------------------------------------------


def test_verification_echoes_the_challenge(adapter: Adapter) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    response = adapter.client.get(adapter.url, params=params)
    assert response.status_code == 200
    assert response.text == "1158201444"


def test_verification_with_a_wrong_token_is_forbidden(adapter: Adapter) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"}
    response = adapter.client.get(adapter.url, params=params)
    assert response.status_code == 403
    assert "1158201444" not in response.text


def test_verification_without_parameters_is_a_bad_request(adapter: Adapter) -> None:
    assert adapter.client.get(adapter.url).status_code == 400


def test_unsigned_and_wrongly_signed_posts_are_refused_and_not_processed(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    wa_id = citizen()
    unsigned = adapter.post(text_message(wa_id, "tanpa tanda tangan"), signed=False)
    assert unsigned.status_code == 401
    body = json.dumps(text_message(wa_id, "tanda tangan salah")).encode()
    wrong = adapter.client.post(
        adapter.url, content=body, headers={"X-Hub-Signature-256": sign(body, "not-the-secret")}
    )
    assert wrong.status_code == 403
    tampered = adapter.client.post(
        adapter.url,
        content=body.replace(b"salah", b"palsu"),
        headers={"X-Hub-Signature-256": sign(body, APP_SECRET)},
    )
    assert tampered.status_code == 403
    # A valid message afterwards is the first and only one that reaches Rasa.
    assert adapter.post(text_message(wa_id, "halo")).status_code == 200
    wait_for_messages(graph, wa_id)
    assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == ["halo"]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"object": "whatsapp_business_account"}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",'
        b' "value": {"messages": [{"type": "text"}]}}]}]}',
    ],
    ids=["broken", "binary", "list", "no-entry", "message-without-id"],
)
def test_malformed_bodies_get_400_and_the_adapter_keeps_running(
    adapter: Adapter, body: bytes
) -> None:
    assert adapter.post(body).status_code == 400
    assert adapter.process.alive()


# ---- conversation ---------------------------------------------------------------------


def test_text_goes_to_rasa_and_the_reply_comes_back(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    wa_id = citizen()
    notification = text_message(wa_id, "anak saya baru lahir")
    message_id = notification["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    assert adapter.post(notification).status_code == 200
    sent = wait_for_messages(graph, wa_id)
    assert sent[0]["type"] == "text"
    assert sent[0]["text"]["body"] == "Anda menulis: anak saya baru lahir"
    received = [r for r in rasa.fake.received if r["sender"] == f"whatsapp:{wa_id}"]
    assert received[0]["message"] == "anak saya baru lahir"
    assert received[0]["metadata"] == {"channel": "whatsapp", "language": "id"}
    wait_until(lambda: message_id in graph.fake.reads())


def test_status_updates_are_accepted_and_ignored(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    before = len(rasa.fake.received)
    assert adapter.post(load_fixture("whatsapp/statuses.json")).status_code == 200
    wa_id = citizen()
    adapter.post(text_message(wa_id, "setelah status"))
    wait_for_messages(graph, wa_id)
    assert [r["message"] for r in rasa.fake.received[before:]] == ["setelah status"]


def test_a_duplicate_delivery_is_processed_once(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    wa_id = citizen()
    notification = text_message(wa_id, "pesan yang dikirim ulang")
    assert adapter.post(notification).status_code == 200
    assert adapter.post(notification).status_code == 200
    adapter.post(text_message(wa_id, "pesan berikutnya"))
    wait_for_messages(graph, wa_id, 2)
    assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == [
        "pesan yang dikirim ulang",
        "pesan berikutnya",
    ]


def test_other_message_types_get_a_short_explanation(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    wa_id = citizen()
    adapter.post(message("image", wa_id))
    sent = wait_for_messages(graph, wa_id)
    assert sent[0]["text"]["body"] == text("unsupported", "id")
    assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == []


def test_a_shared_location_is_passed_on(adapter: Adapter, rasa: Running, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(message("location", wa_id))
    wait_for_messages(graph, wa_id)
    [received] = [r for r in rasa.fake.received if r["sender"] == f"whatsapp:{wa_id}"]
    assert received["message"].startswith("/share_location{")
    assert json.loads(received["message"][len("/share_location") :]) == {
        "latitude": -6.175392,
        "longitude": 106.827153,
    }
    assert received["metadata"]["location"]["latitude"] == -6.175392


def test_buttons_become_reply_buttons_and_a_long_payload_survives(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "tombol"))
    [sent] = wait_for_messages(graph, wa_id)
    assert sent["interactive"]["type"] == "button"
    assert sent["interactive"]["body"]["text"] == "Layanan mana yang Anda maksud?"
    buttons = [b["reply"] for b in sent["interactive"]["action"]["buttons"]]
    assert [b["title"] for b in buttons] == ["Akta kelahiran", "Kartu Keluarga"]
    adapter.post(reply(wa_id, "button_reply", buttons[0]["id"], "Akta kelahiran"))
    wait_for_messages(graph, wa_id, 2)
    assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == ["tombol", LONG_PAYLOAD]


def test_up_to_ten_buttons_become_a_list_and_a_row_goes_back_as_payload(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "daftar"))
    [sent] = wait_for_messages(graph, wa_id)
    assert sent["interactive"]["type"] == "list"
    rows = sent["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 6
    adapter.post(reply(wa_id, "list_reply", rows[2]["id"], rows[2]["title"]))
    wait_for_messages(graph, wa_id, 2)
    assert rasa.fake.messages_from(f"whatsapp:{wa_id}")[-1] == '/pilih{"n": 2}'


def test_more_than_ten_buttons_are_paged(adapter: Adapter, rasa: Running, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "banyak"))
    [first] = wait_for_messages(graph, wa_id)
    rows = first["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 10
    assert rows[-1]["title"] == text("more", "id")
    adapter.post(reply(wa_id, "list_reply", rows[-1]["id"], rows[-1]["title"]))
    second = wait_for_messages(graph, wa_id, 2)[1]
    # Three short options left: they fit reply buttons.
    assert second["interactive"]["type"] == "button"
    next_titles = [b["reply"]["title"] for b in second["interactive"]["action"]["buttons"]]
    assert next_titles == ["Layanan nomor 9", "Layanan nomor 10", "Layanan nomor 11"]
    assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == ["banyak"]  # paging is local


def test_a_long_reply_is_split_at_4096_characters(adapter: Adapter, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "panjang"))
    sent = wait_until(lambda: len(graph.fake.sent(wa_id)) >= 3 and graph.fake.sent(wa_id))
    parts = [p["text"]["body"] for p in sent]
    assert all(len(p) <= 4096 for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(long_text().split())
    assert all(not p.endswith("persyarat") for p in parts)  # no word cut in half


def test_rasa_errors_get_the_polite_busy_reply(adapter: Adapter, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "gagal"))
    wait_for_messages(graph, wa_id)
    assert bodies(graph, wa_id) == [text("busy", "id")]


def test_429_then_success_is_retried(adapter: Adapter, graph: Running) -> None:
    wa_id = citizen()
    graph.fake.fail_next(graph_error(429, 130429, "(#130429) Rate limit hit"), to=wa_id)
    graph.fake.fail_next(graph_error(429, 130429, "(#130429) Rate limit hit"), to=wa_id)
    adapter.post(text_message(wa_id, "coba lagi"))
    wait_for_messages(graph, wa_id)
    assert bodies(graph, wa_id) == ["Anda menulis: coba lagi"]
    assert len(graph.fake.attempts_to(wa_id)) == 3  # 429, 429, accepted


def test_5xx_on_the_reply_is_retried(adapter: Adapter, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "tunggu dulu"))
    wait_for_messages(graph, wa_id)
    graph.fake.fail_next(graph_error(503, 2, "Service temporarily unavailable"), to=wa_id)
    adapter.post(text_message(wa_id, "sekali lagi"))
    wait_for_messages(graph, wa_id, 2)
    assert bodies(graph, wa_id)[-1] == "Anda menulis: sekali lagi"


def test_4xx_is_not_retried(adapter: Adapter, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "pertama"))
    wait_for_messages(graph, wa_id)
    graph.fake.fail_next(graph_error(400, 131026, "(#131026) Message undeliverable"), to=wa_id)
    adapter.post(text_message(wa_id, "kedua"))
    adapter.post(text_message(wa_id, "ketiga"))
    wait_for_messages(graph, wa_id, 2)
    assert adapter.process.alive()
    attempts = [p["text"]["body"] for p in graph.fake.attempts_to(wa_id)]
    assert attempts.count("Anda menulis: kedua") == 1
    assert bodies(graph, wa_id)[-1] == "Anda menulis: ketiga"


def test_typed_bahasa_switches_to_english(adapter: Adapter, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "/bahasa en"))
    adapter.post(message("image", wa_id))
    wait_for_messages(graph, wa_id, 2)
    assert bodies(graph, wa_id) == [text("language_set", "en"), text("unsupported", "en")]


def test_no_phone_number_reaches_the_log(adapter: Adapter, graph: Running) -> None:
    wa_id = citizen()
    adapter.post(text_message(wa_id, "nomor saya 081234567890, NIK 3201234567890001"))
    wait_for_messages(graph, wa_id)
    log = adapter.process.log()
    assert "62812" not in log
    assert "081234567890" not in log and "3201234567890001" not in log
    assert TOKEN not in log and APP_SECRET not in log


# ---- restart and Rasa down (their own processes) ----------------------------------------


def test_processed_ids_survive_a_restart(rasa: Running, graph: Running, tmp_path: Path) -> None:
    port = free_port()
    env = whatsapp_env(rasa.url, graph, tmp_path / "var", port)
    wa_id = citizen()
    notification = text_message(wa_id, "sebelum restart")
    first = start_adapter(env, port, tmp_path / "first.log")
    try:
        first.post(notification)
        wait_for_messages(graph, wa_id)
    finally:
        assert first.process.stop() == 0
    second = start_adapter(env, port, tmp_path / "second.log")
    try:
        assert second.post(notification).status_code == 200  # Meta's retry
        second.post(text_message(wa_id, "sesudah restart"))
        wait_for_messages(graph, wa_id, 2)
        assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == [
            "sebelum restart",
            "sesudah restart",
        ]
    finally:
        second.process.stop()


def test_rasa_down_gets_a_polite_reply_and_the_adapter_keeps_running(
    graph: Running, tmp_path: Path
) -> None:
    port = free_port()
    env = whatsapp_env(f"http://127.0.0.1:{free_port()}", graph, tmp_path / "var", port)
    down = start_adapter(env, port, tmp_path / "down.log")
    try:
        wa_id = citizen()
        down.post(text_message(wa_id, "halo"))
        down.post(text_message(wa_id, "halo lagi"))
        wait_for_messages(graph, wa_id, 2)
        assert bodies(graph, wa_id) == [text("busy", "id")] * 2
        assert down.process.alive()
    finally:
        down.process.stop()


@pytest.mark.parametrize(
    "kind, fields",
    [
        ("reaction", {"reaction": {"message_id": "wamid.earlier", "emoji": "\U0001f44d"}}),
        ("edit", {"edit": {"original_message_id": "wamid.earlier"}}),
        ("revoke", {"revoke": {"original_message_id": "wamid.earlier"}}),
        ("system", {"system": {"body": "User changed number", "type": "user_changed_number"}}),
        ("unsupported", {"errors": [{"code": 131051, "title": "Message type unknown"}]}),
    ],
)
def test_notices_about_the_chat_are_left_unanswered(
    adapter: Adapter, rasa: Running, graph: Running, kind: str, fields: dict[str, Any]
) -> None:
    wa_id = citizen()
    notice = message("text", wa_id, type=kind, **fields)
    del notice["entry"][0]["changes"][0]["value"]["messages"][0]["text"]
    assert adapter.post(notice).status_code == 200
    adapter.post(text_message(wa_id, "syarat ktp"))  # answered after the notice, alone
    wait_for_messages(graph, wa_id)
    assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == ["syarat ktp"]
    assert len(graph.fake.sent(wa_id)) == 1


def test_the_business_own_number_is_never_answered(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    own = message("text", "15550783881", text={"body": "pesan dari nomor bisnis sendiri"})
    assert adapter.post(own).status_code == 200
    wa_id = citizen()
    adapter.post(text_message(wa_id, "halo"))
    wait_for_messages(graph, wa_id)
    assert rasa.fake.messages_from("whatsapp:15550783881") == []
    assert graph.fake.sent("15550783881") == []


def test_a_burst_of_pictures_gets_one_reply_with_the_human_route(
    adapter: Adapter, rasa: Running, graph: Running
) -> None:
    wa_id = citizen()
    for _ in range(3):
        adapter.post(message("image", wa_id))
    adapter.post(text_message(wa_id, "syarat ktp"))
    sent = wait_for_messages(graph, wa_id, 2)
    assert [p["text"]["body"] for p in sent] == [
        text("unsupported", "id"),
        "Anda menulis: syarat ktp",
    ]
    assert "petugas" in text("unsupported", "id")
