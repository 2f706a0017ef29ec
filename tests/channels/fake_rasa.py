"""A fake Rasa REST channel: ``POST /webhooks/rest/webhook`` with scripted answers.

Keywords in the message choose the answer: ``tombol`` (2 buttons, one payload longer
than Telegram's 64 bytes), ``daftar`` (6 buttons), ``banyak`` (12), ``panjang`` (a
9000-character reply), ``lambat`` (answers after 3 s), ``gagal`` (HTTP 500); anything
else is echoed as ``Anda menulis: <message>``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

LONG_PAYLOAD = (
    '/pilih_layanan{"service_id": "akta-kelahiran-anak-baru-lahir", '
    '"life_event": "birth", "lokasi": "Kota Bandung"}'
)
SHORT_PAYLOAD = '/pilih_layanan{"service_id": "kk"}'
LONG_WORD = "persyaratan"


def long_text() -> str:
    """About 9000 characters of paragraphs: three Telegram or WhatsApp messages."""
    paragraph = " ".join(f"Langkah {i}: siapkan {LONG_WORD} & bawa <fotokopi>." for i in range(20))
    return "\n\n".join(paragraph for _ in range(9))


def buttons(n: int) -> list[dict[str, str]]:
    return [{"title": f"Layanan nomor {i}", "payload": f'/pilih{{"n": {i}}}'} for i in range(n)]


class FakeRasa:
    """Records what it receives; answers as Rasa's REST channel does."""

    def __init__(self, slow_seconds: float = 3.0) -> None:
        self.slow_seconds = slow_seconds
        self._lock = threading.Lock()
        self._received: list[dict[str, Any]] = []
        self.app = Starlette(
            routes=[Route("/webhooks/rest/webhook", self._webhook, methods=["POST"])]
        )

    @property
    def received(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._received)

    def messages_from(self, sender: str) -> list[str]:
        return [r["message"] for r in self.received if r.get("sender") == sender]

    def answer(self, sender: str, message: str) -> list[dict[str, Any]]:
        base = {"recipient_id": sender}
        if message == "/restart":
            return []
        if "tombol" in message:
            return [
                {
                    **base,
                    "text": "Layanan mana yang Anda maksud?",
                    "buttons": [
                        {"title": "Akta kelahiran", "payload": LONG_PAYLOAD},
                        {"title": "Kartu Keluarga", "payload": SHORT_PAYLOAD},
                    ],
                }
            ]
        if "daftar" in message:
            return [{**base, "text": "Pilih layanan:", "buttons": buttons(6)}]
        if "banyak" in message:
            return [{**base, "text": "Pilih layanan:", "buttons": buttons(12)}]
        if "panjang" in message:
            return [{**base, "text": long_text()}]
        return [{**base, "text": f"Anda menulis: {message}"}]

    async def _webhook(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except json.JSONDecodeError:
            return JSONResponse({"error": "bad json"}, status_code=400)
        with self._lock:
            self._received.append(body)
        message = str(body.get("message", ""))
        if "gagal" in message:
            return JSONResponse({"error": "internal"}, status_code=500)
        if "lambat" in message:
            await asyncio.sleep(self.slow_seconds)
        return JSONResponse(self.answer(str(body.get("sender")), message))
