"""Rasa's REST channel: a polite reply when the bot fails, and one request per
connection when Rasa runs several workers.

**No silence, no text in the log.** When handling a message fails (the tracker store's
PostgreSQL restarting, Redis down, the action server slow or gone), stock Rasa answers
``[]`` (the citizen hears nothing) and logs the message text, which may hold a NIK or a
name. Here the webhook then answers the polite "please send it again" text in the
citizen's language (``metadata.language``: ``id`` or ``en``) and logs one line with a
pseudonym of the sender and the error's type. An empty answer counts as a failure too:
every message a citizen sends gets a reply from this bot, so nothing to say means a
custom action failed (Rasa drops its events and carries on). The texts are set in
credentials.yml.

With ``SANIC_WORKERS`` above 1, Rasa's worker processes share one listening socket and
each accepts whatever connections are waiting. Clients such as our adapters keep their
connections open, so a burst of new connections can land on one worker and stay there:
measured here, one worker did 98% of the work while the other idled. Closing each
webhook connection after its reply (``Connection: close``) makes every message a fresh
connection, accepted by whichever worker is free; a local TCP handshake costs far less
than a queue behind a busy worker. With one worker, connections stay open as usual.

The channel keeps the stock name and URL: ``POST /webhooks/rest/webhook``.

credentials.yml::

    connectors.rest.RestInput:
      one_request_per_connection: auto   # auto (several workers) | true | false
      unavailable_text:
        id: "Maaf, ..."
        en: "Sorry, ..."
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels import rest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

UNAVAILABLE_TEXT = {
    "id": "Maaf, layanan sedang terganggu sehingga pesan Anda belum terjawab. "
    "Silakan kirim lagi dalam beberapa saat.",
    "en": "Sorry, the service is having trouble and your message was not answered. "
    "Please send it again in a moment.",
}


# Rasa's built-in intents whose default actions say nothing (restart, new session)
SILENT_COMMANDS = ("/restart", "/session_start")


def _may_be_silent(text: Optional[Text]) -> bool:
    return (text or "").strip().split("{", 1)[0] in SILENT_COMMANDS


def pseudonym(sender: Text) -> Text:
    """A short, stable, non-reversible tag for a sender id in logs."""
    return "u-" + hashlib.blake2b(sender.encode(), digest_size=5, person=b"navigator").hexdigest()


def _wanted(setting: Any) -> bool:
    if str(setting).lower() in ("true", "1", "yes"):
        return True
    if str(setting).lower() in ("false", "0", "no"):
        return False
    return int(os.environ.get("SANIC_WORKERS", "1") or 1) > 1  # auto


class RestInput(rest.RestInput):
    """The stock REST channel (same name, same URL, same replies)."""

    def __init__(
        self,
        one_request_per_connection: Any = "auto",
        unavailable_text: Optional[Dict[Text, Text]] = None,
    ) -> None:
        super().__init__()
        self.one_request_per_connection = _wanted(one_request_per_connection)
        self.unavailable_text = {**UNAVAILABLE_TEXT, **(unavailable_text or {})}

    @classmethod
    def name(cls) -> Text:
        """``rest``: the URL stays ``/webhooks/rest/webhook``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "RestInput":
        """Read ``one_request_per_connection`` from credentials.yml."""
        return cls(**(credentials or {}))

    def unavailable(self, sender_id: Text, metadata: Optional[Dict[Text, Any]]) -> Dict[Text, Any]:
        """The polite reply for a message the bot could not answer."""
        lang = (metadata or {}).get("language")
        text = self.unavailable_text.get(lang if isinstance(lang, str) else "id")
        return {"recipient_id": sender_id, "text": text or self.unavailable_text["id"]}

    async def answer(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        message: UserMessage,
        collector: CollectingOutputChannel,
        paused: Optional[Callable[[Text], Awaitable[bool]]] = None,
    ) -> HTTPResponse:
        """Handle one message; the polite reply and a line without its text on failure.
        A conversation an agent holds (paused) is recorded and not answered: silence is
        right there, the agent writes."""
        failure = None
        try:
            await on_new_message(message)
        except CancelledError:
            failure = "timeout"
        except Exception as exc:  # noqa: BLE001 - any failure gets the polite reply
            cause = exc.__cause__ or exc.__context__
            failure = type(exc).__name__ + (f" from {type(cause).__name__}" if cause else "")
        if failure is None and not collector.messages and not _may_be_silent(message.text):
            if paused is not None and await paused(message.sender_id or ""):
                return response.json([])
            failure = "no reply (a custom action failed?)"
        if failure is not None:
            logger.error(
                "message from %s not answered: %s; sent the polite 'send it again' reply",
                pseudonym(message.sender_id or ""),
                failure,
            )
            # what the bot did say before failing is dropped: half an answer misleads
            return response.json([self.unavailable(message.sender_id or "", message.metadata)])
        return response.json(collector.messages)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """The stock routes (``GET /``, ``POST /webhook``, streaming as stock); the
        webhook answers politely on failure, and its connection closes after the
        reply when asked."""
        blueprint = Blueprint(
            f"custom_webhook_{type(self).__name__}", inspect.getmodule(self).__name__
        )

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Any:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            input_channel = self._extract_input_channel(request)
            metadata = self.get_metadata(request)
            if bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender_id, input_channel, metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, sender_id, input_channel=input_channel, metadata=metadata
            )

            async def paused(sender: Text) -> bool:
                agent = getattr(request.app.ctx, "agent", None)
                store = getattr(agent, "tracker_store", None)
                if store is None:
                    return False
                try:
                    tracker = await store.retrieve(sender)
                except Exception:  # noqa: BLE001 - unknown: the polite reply is safer
                    return False
                return tracker is not None and tracker.is_paused()

            return await self.answer(on_new_message, message, collector, paused)

        if self.one_request_per_connection:

            @blueprint.middleware("request")
            async def close_after_reply(request: Request) -> None:
                if request.stream is not None:
                    request.stream.keep_alive = False

        return blueprint
