"""The work after the webhook has answered: Rasa, then the Graph API, in the background.

The webhook only checks, records and queues (so Meta's timeout is never hit); workers
take messages off the queue. Each message id is claimed in SQLite before it is queued,
so a retried webhook, even after a restart, is never processed twice. One lock per
citizen keeps their replies in order.

With Redis (``order``, several processes behind a load balancer), the claim and the
citizen's queue are in Redis instead, and the local queue only says whose inbox to
drain: each message is answered once, by one process at a time, in the citizen's order
(see ``navigator.channels.order``). When Redis fails, the citizen gets the "busy" text.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import suppress
from enum import Enum
from weakref import WeakValueDictionary

from navigator.channels import payloads
from navigator.channels.conversation import (
    Conversation,
    citizen_text,
    location_message,
    parse_command,
)
from navigator.channels.order import ConversationOrder
from navigator.channels.rasa_client import BotMessage
from navigator.channels.shared import SharedStateUnavailable
from navigator.channels.texts import DEFAULT_LANG, Lang, parse_lang, text
from navigator.channels.whatsapp import outgoing
from navigator.channels.whatsapp.graph import GraphClient, WhatsAppError
from navigator.channels.whatsapp.updates import IncomingMessage
from navigator.privacy import pseudonym

logger = logging.getLogger(__name__)

MEDIA_REPLY_EVERY = 600.0  # seconds: a burst of pictures gets one reply, not one each
MAX_REMEMBERED = 100_000  # citizens whose last such reply is kept in memory


class Admission(Enum):
    """What happened to a message handed to the processor."""

    QUEUED = "queued"
    DUPLICATE = "duplicate"
    FULL = "full"


class Route(Enum):
    """How a worker deals with a queued message."""

    LOCAL = "local"  # claimed in SQLite: answer it here
    SHARED = "shared"  # queued in the citizen's Redis inbox: drain the inbox
    BUSY = "busy"  # Redis failed: tell the citizen to try again


class MessageProcessor:
    """A bounded queue and a pool of workers that answer citizens."""

    def __init__(
        self,
        conversation: Conversation,
        graph: GraphClient,
        *,
        order: ConversationOrder | None = None,
        workers: int = 16,
        queue_size: int = 10_000,
    ) -> None:
        self.conversation = conversation
        self.store = conversation.store
        self.graph = graph
        self.order = order
        self._queue: asyncio.Queue[tuple[IncomingMessage, Route]] = asyncio.Queue(queue_size)
        self._reserved = 0  # places promised to submissions waiting for Redis
        self._n_workers = workers
        self._tasks: list[asyncio.Task[None]] = []
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()
        self._drain_waiting: set[str] = set()  # citizens with a drain queued behind another
        self._media_replied: dict[str, float] = {}  # wa_id -> when told that typing works

    async def submit(self, message: IncomingMessage) -> Admission:
        """Queue ``message`` unless it was seen before or the queue is full."""
        if self._queue.qsize() + self._reserved >= self._queue.maxsize:
            return Admission.FULL
        if self.order is None:
            route: Route | None = Route.LOCAL if self.store.claim_message(message.id) else None
        else:
            self._reserved += 1  # while Redis answers, other posts must not take our place
            try:
                route = await self._enqueue_shared(message)
            finally:
                self._reserved -= 1
        if route is None:
            logger.info("duplicate delivery of a message ignored")
            return Admission.DUPLICATE
        self._queue.put_nowait((message, route))
        return Admission.QUEUED

    async def _enqueue_shared(self, message: IncomingMessage) -> Route | None:
        """Claim and queue ``message`` in Redis; None for a duplicate."""
        assert self.order is not None
        try:
            fresh = await self.order.enqueue(
                message.id, message.wa_id, message.dumps(), message.timestamp
            )
        except SharedStateUnavailable:
            logger.warning(
                "cannot queue a message from %s in Redis: busy reply", pseudonym(message.wa_id)
            )
            return Route.BUSY
        return Route.SHARED if fresh else None

    def start(self) -> None:
        """Start the workers on the running loop."""
        self._tasks = [
            asyncio.create_task(self._work(), name=f"whatsapp-worker-{i}")
            for i in range(self._n_workers)
        ]

    async def stop(self, drain_timeout: float = 5.0) -> None:
        """Finish queued work for up to ``drain_timeout`` seconds, then stop the workers."""
        try:
            await asyncio.wait_for(self._queue.join(), drain_timeout)
        except TimeoutError:
            logger.warning("stopping with %d messages unanswered", self._queue.qsize())
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _work(self) -> None:
        while True:
            message, route = await self._queue.get()
            try:
                if route is Route.LOCAL:
                    await self.handle(message)
                elif route is Route.SHARED:
                    await self._drain(message.wa_id)
                else:
                    await self._say_busy(message.wa_id)
            except Exception:  # a worker must survive any single message
                logger.exception("failed to answer a WhatsApp message of type %s", message.type)
            finally:
                self._queue.task_done()

    def _lock(self, wa_id: str) -> asyncio.Lock:
        lock = self._locks.get(wa_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[wa_id] = lock
        return lock

    async def handle(self, message: IncomingMessage) -> None:
        """Mark read, work out the reply and send it, one message at a time per citizen."""
        async with self._lock(message.wa_id):
            await self._answer(message)

    async def _drain(self, wa_id: str) -> None:
        """Answer what waits in the citizen's Redis inbox, unless another process does."""
        assert self.order is not None
        if wa_id in self._drain_waiting:
            return  # a drain that starts after this message was queued is waiting already
        self._drain_waiting.add(wa_id)
        waiting = True
        try:
            async with self._lock(wa_id):  # this process's other workers wait here
                self._drain_waiting.discard(wa_id)
                waiting = False
                await self.order.drain(wa_id, self._answer_queued)
        except SharedStateUnavailable:
            logger.warning("Redis failed while answering %s: busy reply", pseudonym(wa_id))
            await self._say_busy(wa_id)
        finally:
            if waiting:  # cancelled while waiting
                self._drain_waiting.discard(wa_id)

    async def _answer_queued(self, body: str) -> None:
        message = IncomingMessage.loads(body)
        try:
            await self._answer(message)
        except SharedStateUnavailable:
            raise  # the drain stops; the citizen is told once
        except Exception:  # the next queued message must still be answered
            logger.exception("failed to answer a WhatsApp message of type %s", message.type)

    async def _answer(self, message: IncomingMessage) -> None:
        try:
            await self.graph.mark_read(message.id)
        except WhatsAppError as exc:
            logger.warning("could not mark a message read: %s", exc)
        sender = self.conversation.sender_id(message.wa_id)
        replies = await self._replies(sender, message)
        await self._deliver(message.wa_id, replies, self.conversation.language(sender))

    async def _say_busy(self, wa_id: str) -> None:
        """The polite "busy" text, in the citizen's language if it can still be read."""
        try:
            lang = self.conversation.language(self.conversation.sender_id(wa_id))
        except SharedStateUnavailable:
            lang = DEFAULT_LANG
        with suppress(WhatsAppError):  # already logged by the client
            await self.graph.send(outgoing.text_payload(wa_id, text("busy", lang)))

    async def _replies(self, sender: str, message: IncomingMessage) -> list[BotMessage]:
        lang = self.conversation.language(sender)
        if message.type == "text" and message.text:
            command = parse_command(message.text)
            if command:
                handled = await self._command(sender, *command)
                if handled is not None:
                    return handled
            cleaned = citizen_text(message.text)
            return await self.conversation.ask(sender, cleaned) if cleaned else []
        if message.reply_id:
            payload = payloads.decode(message.reply_id, self.store)
            if payload is None:
                return [BotMessage(text=text("button_expired", lang))]
            page = outgoing.parse_more(payload)
            if page is not None:
                return [BotMessage(text=text("choose", lang), buttons=tuple(page))] if page else []
            return await self.conversation.ask(sender, payload)
        if message.type == "location" and message.latitude is not None:
            assert message.longitude is not None
            coords = {"latitude": message.latitude, "longitude": message.longitude}
            return await self.conversation.ask(
                sender, location_message(message.latitude, message.longitude), {"location": coords}
            )
        logger.info("unsupported message type %s from %s", message.type, pseudonym(sender))
        if not await self._first_media_reply(message.wa_id):
            return []  # one short reply per burst of pictures or voice notes
        return [BotMessage(text=text("unsupported", lang))]

    async def _first_media_reply(self, wa_id: str) -> bool:
        """True once per citizen per ``MEDIA_REPLY_EVERY`` seconds (in any process)."""
        if self.order is not None:
            return await self.order.once("media", wa_id, MEDIA_REPLY_EVERY)
        now = time.monotonic()
        last = self._media_replied.get(wa_id)
        if last is not None and now - last < MEDIA_REPLY_EVERY:
            return False
        if len(self._media_replied) > MAX_REMEMBERED:
            self._media_replied.clear()
        self._media_replied[wa_id] = now
        return True

    async def _command(self, sender: str, name: str, arg: str) -> list[BotMessage] | None:
        """Typed ``/bahasa``, ``/reset``, ``/start``, ``/help``; None for anything else."""
        lang = self.conversation.language(sender)
        if name == "bahasa":
            new: Lang = parse_lang(arg) or ("en" if lang == "id" else "id")
            self.conversation.set_language(sender, new)
            return [BotMessage(text=text("language_set", new))]
        if name == "reset":
            ok = await self.conversation.restart(sender)
            return [BotMessage(text=text("reset_done" if ok else "busy", lang))]
        if name in ("start", "help"):
            return [BotMessage(text=text("help", lang))]
        return None

    async def _deliver(self, wa_id: str, replies: list[BotMessage], lang: Lang) -> None:
        for reply in replies:
            for payload in outgoing.build(wa_id, reply, lang, self.store):
                try:
                    await self.graph.send(payload)
                except WhatsAppError:
                    return  # already logged; the rest would arrive out of context
