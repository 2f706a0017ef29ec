"""Telegram rendering: escaped HTML chunks and inline keyboards with mapped payloads."""

from __future__ import annotations

from pathlib import Path

from navigator.channels import payloads
from navigator.channels.rasa_client import BotMessage, Button
from navigator.channels.store import ChannelStore
from navigator.channels.telegram.render import render
from tests.channels.fake_telegram import utf16_len, visible_text


def test_text_is_escaped_for_html(tmp_path: Path) -> None:
    [out] = render(BotMessage("Biaya < Rp10.000 & gratis <b>"), "id", ChannelStore(tmp_path / "s"))
    assert out.html == "Biaya &lt; Rp10.000 &amp; gratis &lt;b&gt;"
    assert visible_text(out.html) == ("Biaya < Rp10.000 & gratis <b>", None)


def test_long_text_is_split_into_valid_chunks_with_the_keyboard_last(tmp_path: Path) -> None:
    store = ChannelStore(tmp_path / "s")
    text = " ".join(["<a&b>"] * 2000)  # escaping grows it; the limit counts visible text
    long_payload = '/pilih{"service_id": "' + "x" * 80 + '"}'
    out = render(BotMessage(text, (Button("Pilih", long_payload),)), "id", store)
    assert len(out) == 3
    for chunk in out:
        shown, error = visible_text(chunk.html)
        assert error is None and utf16_len(shown) <= 4096
    assert out[0].keyboard is None and out[-1].keyboard is not None
    data = out[-1].keyboard.inline_keyboard[0][0].callback_data
    assert isinstance(data, str) and len(data.encode()) <= 64
    assert payloads.decode(data, store) == long_payload
