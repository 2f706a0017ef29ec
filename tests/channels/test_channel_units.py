"""Pure pieces: payload mapping, the store, rate limits, Rasa and Graph clients."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from navigator.channels import payloads
from navigator.channels.conversation import citizen_text, parse_command
from navigator.channels.rasa_client import (
    BotMessage,
    Button,
    RasaBadResponse,
    RasaClient,
    RasaUnavailable,
    parse_messages,
)
from navigator.channels.ratelimit import RateLimiter
from navigator.channels.settings import RasaSettings
from navigator.channels.store import SEEN_MESSAGE_TTL_S, ChannelStore
from navigator.channels.whatsapp.graph import GraphAPIError, GraphClient, GraphUnavailable
from tests.channels.conftest import load_fixture


@pytest.fixture
def store(tmp_path: Path) -> ChannelStore:
    return ChannelStore(tmp_path / "state.sqlite3")


def test_short_payloads_pass_and_long_ones_are_mapped(store: ChannelStore) -> None:
    assert payloads.encode("/affirm", 64, store) == "/affirm"
    long = '/pilih_layanan{"service_id": "akta-kelahiran-anak-baru-lahir", "x": "ééééé"}'
    key = payloads.encode(long, 64, store)
    assert key.startswith(payloads.KEY_PREFIX) and len(key.encode()) <= 64
    assert payloads.decode(key, store) == long
    assert payloads.decode("#k:unknown", store) is None
    assert payloads.encode(long, 64, store) == key  # stable


def test_processed_ids_persist_and_expire(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first = ChannelStore(path)
    assert first.claim_message("wamid.1")
    assert not first.claim_message("wamid.1")
    first.close()
    second = ChannelStore(path)
    assert not second.claim_message("wamid.1")
    import time

    second.prune(now=time.time() + SEEN_MESSAGE_TTL_S + 1)
    assert second.claim_message("wamid.1")


def test_language_is_remembered(store: ChannelStore) -> None:
    assert store.get_language("telegram:1") is None
    store.set_language("telegram:1", "en")
    assert store.get_language("telegram:1") == "en"


def test_rate_limiter_allows_a_burst_then_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=6, burst=2, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert limiter.should_warn("a") and not limiter.should_warn("a")
    assert limiter.allow("b")
    now[0] = 10.0
    assert limiter.allow("a") and not limiter.allow("a")


def test_typed_text_cannot_inject_intents() -> None:
    assert citizen_text('/restart{"x": 1}') == 'restart{"x": 1}'
    assert parse_command("/bahasa en") == ("bahasa", "en")
    assert parse_command("/Reset@navigator_bot") == ("reset", "")
    assert parse_command("halo") is None


def test_rasa_messages_are_parsed_leniently() -> None:
    data = [
        {"recipient_id": "x", "text": "Halo", "buttons": [{"title": "Ya", "payload": "/affirm"}]},
        {"recipient_id": "x", "buttons": [{"title": "Tanpa payload"}, {"payload": "/no_title"}]},
        {"recipient_id": "x", "custom": {"kind": "card"}},
        "junk",
    ]
    assert parse_messages(data) == [
        BotMessage("Halo", (Button("Ya", "/affirm"),)),
        BotMessage("", (Button("Tanpa payload", "Tanpa payload"),)),
    ]
    with pytest.raises(RasaBadResponse):
        parse_messages({"not": "a list"})


def _rasa(handler: httpx.MockTransport) -> RasaClient:
    return RasaClient(RasaSettings("http://rasa"), client=httpx.AsyncClient(transport=handler))


async def test_rasa_client_posts_sender_message_and_metadata() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/webhooks/rest/webhook"
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=[{"recipient_id": "telegram:1", "text": "Halo"}])

    replies = await _rasa(httpx.MockTransport(handler)).send(
        "telegram:1", "hai", {"language": "id"}
    )
    assert replies == [BotMessage("Halo")]
    assert seen == [{"sender": "telegram:1", "message": "hai", "metadata": {"language": "id"}}]


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.ConnectError("refused"), RasaUnavailable),
        (httpx.ReadTimeout("slow"), RasaUnavailable),
        (httpx.Response(503), RasaUnavailable),
        (httpx.Response(404), RasaBadResponse),
        (httpx.Response(200, content=b"<html>"), RasaBadResponse),
    ],
)
async def test_rasa_client_failures_are_specific(
    response: httpx.Response | Exception, error: type[Exception]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(response, Exception):
            raise response
        return response

    with pytest.raises(error):
        await _rasa(httpx.MockTransport(handler)).send("s", "m")


def _graph(statuses: list[int], calls: list[int], **kwargs: float) -> GraphClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        status = statuses.pop(0)
        if status == 200:
            return httpx.Response(200, json=load_fixture("whatsapp/graph_send_response.json"))
        name = "rate_limit" if status == 429 else "invalid_parameter"
        return httpx.Response(status, json=load_fixture(f"whatsapp/graph_error_{name}.json"))

    return GraphClient(
        "http://graph/v21.0/1/messages",
        "token",
        backoff=0.0,
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        **kwargs,  # type: ignore[arg-type]
    )


async def test_graph_retries_429_and_5xx_then_succeeds() -> None:
    calls: list[int] = []
    body = await _graph([429, 502, 200], calls).send({"type": "text"})
    assert body["messages"][0]["id"].startswith("wamid.")
    assert len(calls) == 3


async def test_graph_never_retries_4xx() -> None:
    calls: list[int] = []
    with pytest.raises(GraphAPIError) as error:
        await _graph([400, 200], calls).send({"type": "text"})
    assert len(calls) == 1 and error.value.code == 100 and error.value.trace_id


async def test_graph_gives_up_after_the_retries() -> None:
    calls: list[int] = []
    with pytest.raises(GraphAPIError):
        await _graph([429] * 4, calls).send({"type": "text"})
    assert len(calls) == 4


async def test_graph_unreachable_is_specific() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client = GraphClient(
        "http://graph/v21.0/1/messages",
        "token",
        backoff=0.0,
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(GraphUnavailable):
        await client.send({"type": "text"})
