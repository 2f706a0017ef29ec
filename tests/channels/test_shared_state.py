"""Several adapter processes sharing one Redis: duplicates, rate limits, order, outages.

The pure tests need nothing; the others use Debian's real redis-server (the session
fixture ``redis_server``, or an instance of their own when they stop it) and are marked
``integration``, like every test that starts a server. The important one runs two real
WhatsApp adapter processes behind "a load balancer" (the test posting to both in turn).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import random
import signal
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from telegram import Update

from navigator.channels.conversation import Conversation
from navigator.channels.order import ConversationOrder
from navigator.channels.rasa_client import RasaClient
from navigator.channels.ratelimit import RateLimiter
from navigator.channels.settings import RasaSettings, SettingsError, WhatsAppSettings
from navigator.channels.shared import Breaker, RedisConnection, SharedStateUnavailable, describe
from navigator.channels.shared_ratelimit import RedisRateLimiter
from navigator.channels.shared_store import RedisChannelStore
from navigator.channels.state import open_state
from navigator.channels.store import (
    PAYLOAD_TTL_S,
    SEEN_MESSAGE_TTL_S,
    ChannelStore,
    payload_key,
)
from navigator.channels.telegram.handlers import TelegramHandlers
from navigator.channels.texts import text
from navigator.channels.whatsapp.graph import GraphClient
from navigator.channels.whatsapp.processor import Admission, MessageProcessor
from navigator.channels.whatsapp.signature import sign
from navigator.channels.whatsapp.updates import IncomingMessage, parse_notification
from navigator.cluster.servers import Redis
from navigator.privacy import pseudonym
from tests.channels.conftest import Running, load_fixture, new_id
from tests.channels.fake_rasa import LONG_PAYLOAD
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.servers import AdapterProcess, ServerThread, free_port, wait_until
from tests.channels.test_telegram_adapter import telegram_env
from tests.channels.test_telegram_adapter import update as telegram_update
from tests.channels.test_whatsapp_adapter import (
    APP_SECRET,
    Adapter,
    bodies,
    message,
    start_adapter,
    text_message,
    wait_for_messages,
    whatsapp_env,
)

integration = pytest.mark.integration
WINDOW_MS = 600  # generous: every concurrent post of a test lands well within it
_numbers = itertools.count(1)


def citizen() -> str:
    """A fresh WhatsApp user id, distinct from the other modules' citizens."""
    return f"62813{next(_numbers):08d}"


# ---- pure: no Redis needed ----------------------------------------------------------------


def test_the_breaker_fails_fast_after_a_failure_then_tries_again() -> None:
    now = [0.0]
    breaker = Breaker(cooldown=2.0, clock=lambda: now[0])
    calls = []

    def call(fail: bool) -> None:
        with breaker.guard():
            calls.append(1)
            if fail:
                raise RedisConnectionError("refused")

    with pytest.raises(SharedStateUnavailable):
        call(fail=True)
    now[0] = 1.9
    with pytest.raises(SharedStateUnavailable):
        call(fail=False)  # not even tried
    assert len(calls) == 1 and breaker.down
    now[0] = 2.1
    call(fail=False)
    assert len(calls) == 2 and not breaker.down


def test_an_unreachable_redis_fails_at_once_and_then_without_trying() -> None:
    connection = RedisConnection(f"redis://127.0.0.1:{free_port()}/0", "whatsapp")
    store = RedisChannelStore(connection)
    started = time.monotonic()
    with pytest.raises(SharedStateUnavailable):
        store.claim_message("wamid.1")
    with pytest.raises(SharedStateUnavailable):
        store.get_language("whatsapp:1")
    assert time.monotonic() - started < 1.0
    limiter = RedisRateLimiter(connection, per_minute=6, burst=2)
    # while Redis is down the limit still holds, per process
    assert [limiter.allow("c") for _ in range(3)] == [True, True, False]
    assert limiter.should_warn("c") and not limiter.should_warn("c")
    assert not connection.check()
    connection.sync.close()


def test_without_a_redis_url_state_stays_in_sqlite_and_memory(tmp_path: Path) -> None:
    state = open_state("whatsapp", tmp_path / "whatsapp.sqlite3", None)
    assert isinstance(state.store, ChannelStore) and state.order is None and not state.shared
    assert isinstance(state.limiter(30, 8), RateLimiter)
    asyncio.run(state.aclose())


def test_the_redis_url_is_checked_and_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "WHATSAPP_ACCESS_TOKEN": "EAAtest",
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_APP_SECRET": "secret",
        "WHATSAPP_VERIFY_TOKEN": "verify",
    }
    monkeypatch.setenv("NAVIGATOR_VAR", str(tmp_path))
    monkeypatch.delenv("NAVIGATOR_REDIS_URL", raising=False)
    settings = WhatsAppSettings.from_env(env)
    assert settings.redis_url is None and settings.order_window == 0.3
    monkeypatch.setenv("NAVIGATOR_REDIS_URL", "redis://:hunter2@10.0.0.5:6379/1")
    settings = WhatsAppSettings.from_env({**env, "WHATSAPP_ORDER_WINDOW_MS": "0"})
    assert settings.redis_url == "redis://:hunter2@10.0.0.5:6379/1" and settings.order_window == 0
    assert "hunter2" not in repr(settings)
    assert describe(settings.redis_url) == "10.0.0.5:6379/1"
    monkeypatch.setenv("NAVIGATOR_REDIS_URL", "http://:hunter2@10.0.0.5:6379")
    with pytest.raises(SettingsError) as error:
        WhatsAppSettings.from_env(env)
    assert "NAVIGATOR_REDIS_URL" in str(error.value) and "hunter2" not in str(error.value)


def test_a_message_travels_through_redis_unchanged() -> None:
    [parsed] = parse_notification(load_fixture("whatsapp/location.json")).messages
    assert parsed.timestamp is not None and parsed.timestamp > 1_600_000_000
    assert type(parsed).loads(parsed.dumps()) == parsed
    [typed] = parse_notification(load_fixture("whatsapp/text.json")).messages
    assert typed.timestamp == 1749416383 and type(typed).loads(typed.dumps()) == typed


# ---- the Redis pieces, two connections standing for two processes -----------------------


@pytest.fixture
async def connections(
    redis_server: Redis,
) -> AsyncIterator[tuple[RedisConnection, RedisConnection]]:
    """Two connections to one Redis under a fresh channel name: two adapter processes."""
    channel = f"test{uuid.uuid4().hex[:8]}"
    pair = RedisConnection(redis_server.url, channel), RedisConnection(redis_server.url, channel)
    yield pair
    for connection in pair:
        await connection.aclose()


@integration
async def test_a_message_is_claimed_once_across_processes(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    one, two = (RedisChannelStore(c) for c in connections)
    assert one.claim_message("wamid.A")
    assert not two.claim_message("wamid.A") and not one.claim_message("wamid.A")
    ttl = connections[0].sync.ttl(one.seen_key("wamid.A"))
    assert SEEN_MESSAGE_TTL_S - 5 <= ttl <= SEEN_MESSAGE_TTL_S
    two.release_message("wamid.A")
    assert one.claim_message("wamid.A")


@integration
async def test_payload_keys_and_languages_are_shared(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    one, two = (RedisChannelStore(c) for c in connections)
    key = one.put_payload(LONG_PAYLOAD)
    assert key == payload_key(LONG_PAYLOAD)  # the same key as the SQLite store's
    assert two.get_payload(key) == LONG_PAYLOAD
    assert two.get_payload("unknown") is None
    redis_key = connections[0].key("payload", key)
    connections[0].sync.expire(redis_key, 60)
    assert one.get_payload(key) == LONG_PAYLOAD  # a use renews the 90 days
    assert connections[0].sync.ttl(redis_key) > PAYLOAD_TTL_S - 5
    assert one.get_language("whatsapp:1") is None
    one.set_language("whatsapp:1", "en")
    assert two.get_language("whatsapp:1") == "en"
    connections[0].sync.hset(connections[0].key("languages"), "whatsapp:2", "fr")
    assert two.get_language("whatsapp:2") is None


@integration
async def test_two_processes_spend_one_rate_limit_budget(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    now = [1000.0]
    one, two = (
        RedisRateLimiter(c, per_minute=6, burst=2, clock=lambda: now[0]) for c in connections
    )
    assert one.allow(42) and two.allow(42)
    assert not one.allow(42) and not two.allow(42)
    assert two.should_warn(42) and not one.should_warn(42)  # told once, by one of them
    assert one.allow(7)  # another chat has its own bucket
    now[0] += 10.0  # one token back
    assert two.allow(42) and not one.allow(42)
    assert one.should_warn(42)  # a new streak
    ttl = connections[0].sync.pttl(connections[0].key("rate", 42))
    assert 0 < ttl <= 21_000  # gone once it would be full again
    real = RedisRateLimiter(connections[0], per_minute=60, burst=1)  # Redis's own clock
    assert real.allow("x") and not real.allow("x")


@integration
async def test_the_inbox_answers_by_timestamp_then_by_arrival_and_once(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    one, two = (ConversationOrder(c, window=0) for c in connections)
    assert await one.enqueue("m-c", "628", "c", timestamp=12)
    assert await two.enqueue("m-a", "628", "a", timestamp=10)
    assert await one.enqueue("m-b", "628", "b", timestamp=10)  # same second, arrived later
    assert not await one.enqueue("m-a", "628", "a again", timestamp=10)  # Meta's retry
    assert await two.pending("628") == 3
    answered: list[str] = []

    async def answer(body: str) -> None:
        answered.append(body)

    assert await two.drain("628", answer) == 3
    assert answered == ["a", "b", "c"]
    assert await one.drain("628", answer) == 0


@integration
async def test_an_earlier_message_arriving_within_the_window_is_answered_first(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    one, two = (ConversationOrder(c, window=0.3) for c in connections)
    answered: list[tuple[str, float]] = []
    started = time.monotonic()

    async def answer(body: str) -> None:
        answered.append((body, time.monotonic() - started))

    assert await one.enqueue("m-2", "628", "second", timestamp=101)
    draining = asyncio.create_task(one.drain("628", answer))
    await asyncio.sleep(0.1)
    assert answered == []  # held back for the window
    assert await two.enqueue("m-1", "628", "first", timestamp=100)  # late, on the other one
    assert await draining == 2
    assert [body for body, _ in answered] == ["first", "second"]
    assert answered[0][1] >= 0.3


@integration
async def test_two_processes_never_work_on_one_citizen_at_once(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    orders = [ConversationOrder(c, window=0) for c in connections]
    active, most = [0], [0]
    answered: list[str] = []

    async def answer(body: str) -> None:
        active[0] += 1
        most[0] = max(most[0], active[0])
        await asyncio.sleep(0.005)
        answered.append(body)
        active[0] -= 1

    async def arrive(i: int) -> None:  # each process queues a message and drains
        order = orders[i % 2]
        assert await order.enqueue(f"m-{i}", "628", f"{i:02d}", timestamp=100 + i)
        await order.drain("628", answer)

    async def elsewhere(i: int) -> None:  # another citizen, unaffected
        assert await orders[i % 2].enqueue(f"x-{i}", "629", f"x{i}", timestamp=100 + i)
        await orders[i % 2].drain("629", answer)

    await asyncio.gather(*(arrive(i) for i in range(12)), *(elsewhere(i) for i in range(3)))
    mine = [body for body in answered if not body.startswith("x")]
    assert mine == sorted(mine) and len(mine) == 12
    assert sorted(body for body in answered if body.startswith("x")) == ["x0", "x1", "x2"]
    assert most[0] <= 2  # at most one per citizen: 628 and 629 may overlap


@integration
async def test_a_turn_waits_for_the_other_process(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    one, two = (ConversationOrder(c) for c in connections)
    events: list[str] = []
    inside = asyncio.Event()

    async def first() -> None:
        async with one.turn("telegram:5"):
            events.append("one in")
            inside.set()
            await asyncio.sleep(0.1)
            events.append("one out")

    async def second() -> None:
        await inside.wait()
        async with two.turn("telegram:5"):
            events.append("two in")

    await asyncio.gather(first(), second())
    assert events == ["one in", "one out", "two in"]


@integration
async def test_a_message_waiting_too_long_is_dropped_with_a_pseudonym(
    connections: tuple[RedisConnection, RedisConnection], caplog: pytest.LogCaptureFixture
) -> None:
    order = ConversationOrder(connections[0], window=0, max_wait=0.05)
    assert await order.enqueue("m-old", "6281399990000", "lama")
    await asyncio.sleep(0.1)
    answered: list[str] = []

    async def answer(body: str) -> None:
        answered.append(body)

    with caplog.at_level(logging.WARNING, logger="navigator.channels.order"):
        assert await order.drain("6281399990000", answer) == 0
    assert answered == []
    assert pseudonym("6281399990000") in caplog.text and "6281399990000" not in caplog.text


@integration
async def test_once_is_once_across_processes(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    one, two = (ConversationOrder(c) for c in connections)
    assert await one.once("media", "628", 600)
    assert not await two.once("media", "628", 600)
    assert await two.once("media", "629", 600)


@integration
def test_with_a_redis_url_everything_is_shared(redis_server: Redis, tmp_path: Path) -> None:
    state = open_state("whatsapp", tmp_path / "unused.sqlite3", redis_server.url, 0.5)
    assert isinstance(state.store, RedisChannelStore) and state.shared
    assert state.order is not None and state.order.window == 0.5
    assert isinstance(state.limiter(30, 8), RedisRateLimiter)
    assert not (tmp_path / "unused.sqlite3").exists()
    asyncio.run(state.aclose())


# ---- the WhatsApp processor in shared mode, in this process ------------------------------


class Recorder:
    """Rasa and the Graph API as mock transports, recording in one list in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def rasa(self) -> RasaClient:
        def handler(request: httpx.Request) -> httpx.Response:
            body = json.loads(request.content)
            self.events.append(("rasa", body["message"]))
            answer = [{"recipient_id": body["sender"], "text": f"Anda menulis: {body['message']}"}]
            return httpx.Response(200, json=answer)

        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return RasaClient(RasaSettings("http://rasa"), client=client)

    def graph(self) -> GraphClient:
        def handler(request: httpx.Request) -> httpx.Response:
            payload = json.loads(request.content)
            if payload.get("status") == "read":
                self.events.append(("read", payload["message_id"]))
                return httpx.Response(200, json={"success": True})
            self.events.append(("sent", payload["text"]["body"]))
            return httpx.Response(200, json=load_fixture("whatsapp/graph_send_response.json"))

        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return GraphClient("http://graph/v21.0/1/messages", "token", backoff=0.0, client=client)

    def of(self, kind: str) -> list[str]:
        return [value for what, value in self.events if what == kind]


def processor(connection: RedisConnection, recorder: Recorder) -> MessageProcessor:
    store = RedisChannelStore(connection)
    return MessageProcessor(
        Conversation("whatsapp", recorder.rasa(), store),
        recorder.graph(),
        order=ConversationOrder(connection, window=0.05),
        workers=4,
    )


def incoming(wa_id: str, words: str, timestamp: int) -> IncomingMessage:
    return IncomingMessage(
        id=new_id(), wa_id=wa_id, type="text", phone_number_id="1", text=words, timestamp=timestamp
    )


async def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.005)


@integration
async def test_two_processors_answer_each_message_once_in_order(
    connections: tuple[RedisConnection, RedisConnection],
) -> None:
    recorder = Recorder()
    processors = [processor(c, recorder) for c in connections]
    for p in processors:
        p.start()
    messages = [incoming("628", f"pesan {i}", 100 + i) for i in range(10)]
    submissions = [(processors[i % 2], m) for i, m in enumerate(messages)]
    submissions += [(processors[1], messages[4]), (processors[0], messages[7])]  # retries
    random.Random(3).shuffle(submissions)
    admitted = await asyncio.gather(*(p.submit(m) for p, m in submissions))
    assert admitted.count(Admission.QUEUED) == 10 and admitted.count(Admission.DUPLICATE) == 2
    await wait_for(lambda: len(recorder.of("sent")) >= 10)
    for p in processors:
        await p.stop()
    expected = [f"pesan {i}" for i in range(10)]
    assert recorder.of("rasa") == expected
    assert recorder.of("sent") == [f"Anda menulis: {m}" for m in expected]
    assert recorder.of("read") == [m.id for m in messages]
    # one at a time: each message is read, asked and answered before the next is read
    assert [what for what, _ in recorder.events] == ["read", "rasa", "sent"] * 10


async def test_a_processor_without_redis_answers_busy_at_once() -> None:
    recorder = Recorder()
    connection = RedisConnection(f"redis://127.0.0.1:{free_port()}/0", "whatsapp")
    worker = processor(connection, recorder)
    worker.start()
    started = time.monotonic()
    assert await worker.submit(incoming("6281300000001", "halo", 100)) is Admission.QUEUED
    assert await worker.submit(incoming("6281300000001", "halo?", 101)) is Admission.QUEUED
    assert time.monotonic() - started < 1.0
    await wait_for(lambda: len(recorder.of("sent")) >= 2)
    await worker.stop()
    await connection.aclose()
    assert recorder.of("sent") == [text("busy", "id")] * 2 and recorder.of("rasa") == []


class FakeBot:
    """The two Bot API calls a text message needs."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.sent.append(text)

    async def send_chat_action(self, chat_id: int, action: str) -> None:
        pass


async def test_telegram_says_busy_when_redis_is_down() -> None:
    state = open_state("telegram", Path("unused"), f"redis://127.0.0.1:{free_port()}/0")
    handlers = TelegramHandlers(
        Conversation("telegram", Recorder().rasa(), state.store),
        state.limiter(30, 8),
        order=state.order,
    )
    update = Update.de_json(load_fixture("telegram/message_text.json"), None)
    bot = FakeBot()
    context = SimpleNamespace(bot=bot, args=[], error=None)
    with pytest.raises(SharedStateUnavailable) as error:
        await handlers.text_message(update, context)  # type: ignore[arg-type]
    context.error = error.value  # what python-telegram-bot hands its error handler
    await handlers.on_error(update, context)  # type: ignore[arg-type]
    assert bot.sent == [text("busy", "id")]
    await state.aclose()


# ---- two WhatsApp adapter processes, one Redis ---------------------------------------------


def shared_env(
    rasa: Running, graph: Running, var: Path, port: int, redis_url: str
) -> dict[str, str]:
    return {
        **whatsapp_env(rasa.url, graph, var, port),
        "NAVIGATOR_REDIS_URL": redis_url,
        "WHATSAPP_ORDER_WINDOW_MS": str(WINDOW_MS),
    }


@pytest.fixture(scope="module")
def pair(
    rasa: Running, graph: Running, redis_server: Redis, module_tmp: Path
) -> Iterator[tuple[Adapter, Adapter]]:
    """Two ``navigator whatsapp`` processes with their own var folders and one Redis."""
    adapters = []
    for name in ("first", "second"):
        port = free_port()
        env = shared_env(rasa, graph, module_tmp / name, port, redis_server.url)
        adapters.append(
            Adapter(AdapterProcess("whatsapp", env, module_tmp / f"{name}.log").start(), port)
        )
    for adapter in adapters:
        adapter.wait_ready()
    yield adapters[0], adapters[1]
    for adapter in adapters:
        adapter.process.stop()


def at(notification: dict[str, Any], timestamp: int) -> dict[str, Any]:
    """``notification`` with WhatsApp's ``timestamp`` (when the citizen sent it)."""
    notification["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(timestamp)
    return notification


def sent_at(wa_id: str, body: str, timestamp: int) -> dict[str, Any]:
    """A text notification sent at ``timestamp``."""
    return at(text_message(wa_id, body), timestamp)


def message_id(notification: dict[str, Any]) -> str:
    return str(notification["entry"][0]["changes"][0]["value"]["messages"][0]["id"])


def post_together(posts: list[tuple[Adapter, dict[str, Any]]]) -> list[int]:
    """Post every notification at the same moment, each from its own thread."""
    barrier = threading.Barrier(len(posts))

    def post(adapter: Adapter, notification: dict[str, Any]) -> int:
        raw = json.dumps(notification).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, APP_SECRET)}
        with httpx.Client(timeout=10) as client:  # made before: building one takes long
            barrier.wait()
            return client.post(adapter.url, content=raw, headers=headers).status_code

    with ThreadPoolExecutor(len(posts)) as pool:
        futures = [pool.submit(post, adapter, n) for adapter, n in posts]
        return [future.result() for future in futures]


@integration
def test_two_processes_answer_each_message_once_and_in_order(
    pair: tuple[Adapter, Adapter], rasa: Running, graph: Running
) -> None:
    base = int(time.time()) - 60
    citizens = [citizen(), citizen()]
    sent = {wa_id: [sent_at(wa_id, f"pesan {i}", base + i) for i in range(6)] for wa_id in citizens}
    posts = []
    for notifications in sent.values():
        posts += [(pair[i % 2], n) for i, n in enumerate(notifications)]
        posts.append((pair[1], notifications[2]))  # Meta retries message 2 on the other one
        posts.append((pair[0], notifications[5]))  # and message 5
    random.Random(20240611).shuffle(posts)  # the platform's order is not the arrival order
    assert post_together(posts) == [200] * len(posts)

    for wa_id in citizens:
        wait_for_messages(graph, wa_id, 6)
    # A last message is answered after everything queued before it, so once its reply is
    # there, any second answer to an earlier message would be there too.
    for wa_id in citizens:
        pair[0].post(sent_at(wa_id, "selesai", base + 30))
    for wa_id in citizens:
        wait_for_messages(graph, wa_id, 7)
    for wa_id, notifications in sent.items():
        expected = [f"pesan {i}" for i in range(6)] + ["selesai"]
        assert rasa.fake.messages_from(f"whatsapp:{wa_id}") == expected
        assert bodies(graph, wa_id) == [f"Anda menulis: {m}" for m in expected]
        reads = graph.fake.reads()
        assert [reads.count(message_id(n)) for n in notifications] == [1] * 6
    for adapter in pair:
        assert adapter.process.alive()
        assert "62813" not in adapter.process.log()


@integration
def test_languages_and_media_replies_are_shared_between_processes(
    pair: tuple[Adapter, Adapter], rasa: Running, graph: Running
) -> None:
    first, second = pair
    wa_id = citizen()
    base = int(time.time()) - 60
    second.post(sent_at(wa_id, "/bahasa en", base))
    for i, adapter in enumerate((first, second, first), 1):  # a burst of pictures on both
        adapter.post(at(message("image", wa_id), base + i))
    first.post(sent_at(wa_id, "halo", base + 5))
    wait_for_messages(graph, wa_id, 3)
    assert bodies(graph, wa_id) == [
        text("language_set", "en"),
        text("unsupported", "en"),
        "Anda menulis: halo",
    ]
    received = [r for r in rasa.fake.received if r["sender"] == f"whatsapp:{wa_id}"]
    assert [r["metadata"]["language"] for r in received] == ["en"]


@integration
def test_redis_hung_or_down_gets_a_quick_answer_and_the_busy_reply(
    rasa: Running, graph: Running, tmp_path: Path
) -> None:
    own = Redis(tmp_path / "redis").start()
    port = free_port()
    adapter = start_adapter(
        shared_env(rasa, graph, tmp_path / "var", port, own.url), port, tmp_path / "down.log"
    )
    revived: Redis | None = None
    try:
        before = citizen()
        adapter.post(text_message(before, "sebelum"))
        wait_for_messages(graph, before)
        assert bodies(graph, before) == ["Anda menulis: sebelum"]

        assert own.process is not None
        os.kill(own.process.pid, signal.SIGSTOP)  # hung: connections open, no answers
        try:
            hung = citizen()
            started = time.monotonic()
            assert adapter.post(text_message(hung, "redis macet")).status_code == 200
            assert time.monotonic() - started < 2.5  # one 1-second timeout, no retries
            wait_for_messages(graph, hung)
            assert bodies(graph, hung) == [text("busy", "id")]
        finally:
            os.kill(own.process.pid, signal.SIGCONT)
        own.stop()

        down = citizen()
        started = time.monotonic()
        assert adapter.post(text_message(down, "redis mati")).status_code == 200
        assert time.monotonic() - started < 2.5
        wait_for_messages(graph, down)
        assert bodies(graph, down) == [text("busy", "id")]
        assert adapter.process.alive()

        revived = Redis(tmp_path / "redis-again", port=own.port).start()
        after = citizen()

        def answered_again() -> bool:
            n = len(graph.fake.sent(after))
            adapter.post(text_message(after, "sesudah"))
            wait_for_messages(graph, after, n + 1)
            return bodies(graph, after)[-1] == "Anda menulis: sesudah"

        wait_until(answered_again, timeout=10, interval=0.2)
        log = adapter.process.log()
        assert "Redis unavailable" in log and pseudonym(hung) in log
        assert "62813" not in log and "redis macet" not in log
    finally:
        adapter.process.stop()
        if revived is not None:
            revived.stop()
        own.stop()


# ---- two Telegram webhook processes, one Redis ------------------------------------------------


@integration
def test_two_telegram_processes_share_the_rate_limit_and_button_keys(
    rasa: Running, redis_server: Redis, tmp_path: Path
) -> None:
    api = FakeTelegram()
    server = ServerThread(api.app).start()
    running = Running(api, server)
    secret = "shared_secret-token"
    processes, urls = [], []
    for name in ("first", "second"):
        port = free_port()
        url = f"http://127.0.0.1:{port}/hook"
        env = telegram_env(
            rasa.url,
            running,
            tmp_path / name,
            TELEGRAM_WEBHOOK_URL=url,
            TELEGRAM_WEBHOOK_SECRET=secret,
            TELEGRAM_WEBHOOK_PORT=str(port),
            TELEGRAM_RATE_LIMIT_BURST="3",
            NAVIGATOR_REDIS_URL=redis_server.url,
        )
        processes.append(AdapterProcess("telegram", env, tmp_path / f"{name}.log").start())
        urls.append(url)
    client = httpx.Client(timeout=5)
    update_ids = itertools.count(990_000)

    def post(i: int, body: dict[str, Any]) -> None:
        body["update_id"] = next(update_ids)
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        assert client.post(urls[i], json=body, headers=headers).status_code == 200

    try:
        for process, url in zip(processes, urls, strict=True):

            def ready(process: AdapterProcess = process, url: str = url) -> bool:
                assert process.alive(), process.log()
                try:
                    return client.get(url.replace("/hook", "/healthz")).status_code == 200
                except httpx.TransportError:
                    return False

            wait_until(ready, timeout=15, interval=0.05)
        chat_id = 700_900_000 + next(_numbers)
        post(0, telegram_update("message_text", chat_id, text="tombol"))
        wait_until(lambda: api.calls("sendMessage", chat_id))
        [sent] = api.calls("sendMessage", chat_id)
        long_data = sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        press = telegram_update("callback_query", chat_id)
        press["callback_query"]["data"] = long_data
        post(1, press)  # the key written by the first process, read by the second
        wait_until(lambda: len(api.sent_texts(chat_id)) >= 2)
        assert rasa.fake.messages_from(f"telegram:{chat_id}") == ["tombol", LONG_PAYLOAD]

        for i in range(4):  # one token is left of the burst of 3, whichever process gets it
            post(i % 2, telegram_update("message_text", chat_id, text=f"pesan {i}"))
        limited = f"rate limited {pseudonym(chat_id)}"
        wait_until(lambda: sum(p.log().count(limited) for p in processes) == 3)
        wait_until(lambda: len(api.sent_texts(chat_id)) >= 4)
        texts = api.sent_texts(chat_id)
        assert texts.count(text("rate_limited", "id")) == 1
        assert len(rasa.fake.messages_from(f"telegram:{chat_id}")) == 3
    finally:
        for process in processes:
            process.stop()
        client.close()
        server.stop()
