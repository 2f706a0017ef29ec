"""WhatsApp pieces: the signature vector, notification parsing, reply payloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from navigator.channels import payloads
from navigator.channels.rasa_client import BotMessage, Button
from navigator.channels.store import ChannelStore
from navigator.channels.whatsapp import outgoing
from navigator.channels.whatsapp.signature import Verdict, sign, verify
from navigator.channels.whatsapp.updates import MalformedUpdate, parse_notification
from tests.channels.conftest import FIXTURES, load_fixture
from tests.channels.fake_graph import _problem

SECRET = "test-app-secret"
# HMAC-SHA256 of tests/fixtures/whatsapp/text.json (bytes as stored) with SECRET, computed
# independently: openssl dgst -sha256 -hmac test-app-secret tests/fixtures/whatsapp/text.json
TEXT_SIGNATURE = "sha256=4806bd5128e7241676443c8e378560a0bbb73616391e859578b801504440c588"


@pytest.fixture
def store(tmp_path: Path) -> ChannelStore:
    return ChannelStore(tmp_path / "state.sqlite3")


def test_signature_vector() -> None:
    body = (FIXTURES / "whatsapp" / "text.json").read_bytes()
    assert sign(body, SECRET) == TEXT_SIGNATURE
    assert verify(body, TEXT_SIGNATURE, SECRET) is Verdict.VALID
    assert verify(body, TEXT_SIGNATURE.upper().replace("SHA256", "sha256"), SECRET) is Verdict.VALID
    assert verify(body + b" ", TEXT_SIGNATURE, SECRET) is Verdict.INVALID
    assert verify(body, "sha256=00", SECRET) is Verdict.INVALID
    assert verify(body, "sha256=é", SECRET) is Verdict.INVALID
    assert verify(body, None, SECRET) is Verdict.MISSING


def test_parse_every_fixture() -> None:
    text = parse_notification(load_fixture("whatsapp/text.json")).messages[0]
    assert (text.type, text.text, text.wa_id) == (
        "text",
        "saya baru di-PHK, bagaimana klaim JHT?",
        "6281234567890",
    )
    button = parse_notification(load_fixture("whatsapp/button_reply.json")).messages[0]
    assert (button.reply_id, button.reply_title) == ("/affirm", "Ya")
    row = parse_notification(load_fixture("whatsapp/list_reply.json")).messages[0]
    assert row.reply_id == "/pilih"
    place = parse_notification(load_fixture("whatsapp/location.json")).messages[0]
    assert (place.latitude, place.longitude) == (-6.175392, 106.827153)
    image = parse_notification(load_fixture("whatsapp/image.json")).messages[0]
    assert image.type == "image" and image.text is None
    statuses = parse_notification(load_fixture("whatsapp/statuses.json"))
    assert statuses.messages == [] and statuses.statuses == 3


def test_other_fields_are_ignored_and_broken_shapes_rejected() -> None:
    other = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"field": "account_update", "value": {}}]}],
    }
    assert parse_notification(other).messages == []
    for bad in (
        [],
        {"object": "page", "entry": []},
        {"object": "whatsapp_business_account", "entry": {}},
    ):
        with pytest.raises(MalformedUpdate):
            parse_notification(bad)


def _check(payload: dict[str, object]) -> None:
    assert _problem(payload) is None, (_problem(payload), json.dumps(payload)[:300])


def test_three_short_buttons_are_reply_buttons(store: ChannelStore) -> None:
    message = BotMessage("Ya atau tidak?", (Button("Ya", "/affirm"), Button("Tidak", "/deny")))
    [payload] = outgoing.build("628", message, "id", store)
    _check(payload)
    assert payload["interactive"]["type"] == "button"  # type: ignore[index]


def test_long_titles_make_a_list_with_descriptions(store: ChannelStore) -> None:
    title = "Akta kelahiran untuk anak yang lahir di luar negeri"
    message = BotMessage("Pilih:", (Button(title, "/a" + "x" * 300), Button("KK", "/kk")))
    [payload] = outgoing.build("628", message, "id", store)
    _check(payload)
    rows = payload["interactive"]["action"]["sections"][0]["rows"]  # type: ignore[index]
    assert len(rows[0]["title"]) <= 24 and rows[0]["description"].startswith("Akta kelahiran")
    assert payloads.decode(rows[0]["id"], store) == "/a" + "x" * 300


def test_many_buttons_are_paged(store: ChannelStore) -> None:
    buttons = tuple(Button(f"Pilihan {i}", f"/p{i}") for i in range(25))
    [first] = outgoing.build("628", BotMessage("Pilih:", buttons), "en", store)
    _check(first)
    rows = first["interactive"]["action"]["sections"][0]["rows"]  # type: ignore[index]
    assert len(rows) == 10 and rows[-1]["title"] == "More…"
    page = outgoing.parse_more(payloads.decode(rows[-1]["id"], store) or "")
    assert page is not None and [b.payload for b in page][:2] == ["/p9", "/p10"] and len(page) == 16


def test_long_text_with_buttons_keeps_the_body_within_1024(store: ChannelStore) -> None:
    message = BotMessage(" ".join(["kata"] * 1500), (Button("Ya", "/affirm"),))
    sent = outgoing.build("628", message, "id", store)
    for payload in sent:
        _check(payload)
    assert sent[-1]["type"] == "interactive" and all(p["type"] == "text" for p in sent[:-1])
    joined = " ".join(
        p["text"]["body"] if p["type"] == "text" else p["interactive"]["body"]["text"]  # type: ignore[index]
        for p in sent
    )
    assert joined.split() == ["kata"] * 1500


def test_buttons_without_text_get_a_prompt(store: ChannelStore) -> None:
    [payload] = outgoing.build("628", BotMessage("", (Button("Ya", "/affirm"),)), "id", store)
    assert payload["interactive"]["body"]["text"] == "Silakan pilih:"  # type: ignore[index]
