"""The REST channel answers politely, without logging the text, when the bot fails."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from connectors.rest import RestInput
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage


async def _post(handler: Any, body: dict[str, Any], **settings: Any) -> list[dict[str, Any]]:
    """What the webhook answers for ``body`` (its handling, without an HTTP server)."""
    channel = RestInput(one_request_per_connection=False, **settings)
    collector = CollectingOutputChannel()
    message = UserMessage(body["message"], collector, body["sender"], metadata=body.get("metadata"))
    response = await channel.answer(handler, message, collector)
    assert response.status == 200
    return json.loads(response.body)


async def test_answers_pass_through() -> None:
    async def handler(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "halo " + message.text)

    replies = await _post(handler, {"sender": "s1", "message": "apa kabar"})
    assert replies == [{"recipient_id": "s1", "text": "halo apa kabar"}]


async def test_a_failure_gets_the_polite_reply_and_no_text_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def handler(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "separuh jawaban")
        raise ConnectionError("tracker store down")

    caplog.set_level(logging.DEBUG)
    body = {
        "sender": "628123456789",
        "message": "NIK saya 3201010101010001",
        "metadata": {"language": "en"},
    }
    replies = await _post(handler, body)
    assert len(replies) == 1 and replies[0]["text"].startswith(
        "Sorry, the service is having trouble"
    )
    assert "ConnectionError" in caplog.text
    assert "3201010101010001" not in caplog.text and "628123456789" not in caplog.text


async def test_silence_counts_as_failure_but_not_for_restart() -> None:
    async def handler(message: UserMessage) -> None:
        return None  # a custom action failed: Rasa dropped its events and said nothing

    text = {"unavailable_text": {"id": "Coba lagi ya."}}
    replies = await _post(handler, {"sender": "s", "message": "syaratnya apa"}, **text)
    assert replies[0]["text"] == "Coba lagi ya."
    assert await _post(handler, {"sender": "s", "message": "/restart"}, **text) == []


async def test_the_action_call_gets_the_endpoints_time_limit() -> None:
    import asyncio

    from aiohttp import web
    from components import action_timeout
    from rasa.utils.endpoints import EndpointConfig

    action_timeout.install()

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/webhook", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", timeout=0.3)
        started = asyncio.get_running_loop().time()
        with pytest.raises(asyncio.TimeoutError):
            await endpoint.request(json={}, method="post", timeout=300)
        assert asyncio.get_running_loop().time() - started < 2
    finally:
        await runner.cleanup()
