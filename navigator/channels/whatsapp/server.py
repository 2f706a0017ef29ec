"""The WhatsApp webhook server: verification, signature check, fast 200, work after."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from navigator.channels.conversation import Conversation
from navigator.channels.rasa_client import RasaClient
from navigator.channels.settings import WhatsAppSettings
from navigator.channels.shutdown import exit_cleanly_on_sigterm
from navigator.channels.state import ChannelState, open_state
from navigator.channels.whatsapp import signature
from navigator.channels.whatsapp.graph import GraphClient
from navigator.channels.whatsapp.processor import Admission, MessageProcessor
from navigator.channels.whatsapp.updates import MalformedUpdate, parse_notification

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook"
MAX_BODY_BYTES = 1_000_000


def create_app(settings: WhatsAppSettings, processor: MessageProcessor) -> Starlette:
    """The ASGI app: ``GET/POST /webhook`` and ``GET /healthz``."""

    async def verify(request: Request) -> Response:
        """Meta's subscription check: echo ``hub.challenge`` when the token matches."""
        params = request.query_params
        mode, token, challenge = (
            params.get("hub.mode"),
            params.get("hub.verify_token"),
            params.get("hub.challenge"),
        )
        if mode is None or token is None or challenge is None:
            return PlainTextResponse("missing hub.mode, hub.verify_token or hub.challenge", 400)
        if mode != "subscribe" or not hmac.compare_digest(
            token.encode(), settings.verify_token.encode()
        ):
            logger.warning("webhook verification with a wrong token or mode refused")
            return PlainTextResponse("forbidden", 403)
        logger.info("webhook verified by Meta")
        return PlainTextResponse(challenge)

    async def receive(request: Request) -> Response:
        """A signed notification: queue its messages and answer at once."""
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("too large", 413)
        verdict = signature.verify(
            body, request.headers.get(signature.SIGNATURE_HEADER), settings.app_secret
        )
        if verdict is signature.Verdict.MISSING:
            logger.warning("unsigned webhook post rejected")
            return PlainTextResponse("signature required", 401)
        if verdict is signature.Verdict.INVALID:
            logger.warning("webhook post with a wrong signature rejected")
            return PlainTextResponse("bad signature", 403)
        try:
            notification = parse_notification(json.loads(body))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return PlainTextResponse("body is not JSON", 400)
        except MalformedUpdate as exc:
            logger.warning("malformed webhook post: %s", exc)
            return PlainTextResponse(f"malformed: {exc}", 400)
        for message in notification.messages:
            if message.phone_number_id and message.phone_number_id != settings.phone_number_id:
                logger.info("message for another phone number id ignored")
                continue
            if message.silent:
                logger.debug("%s notice left unanswered", message.type)
                continue
            if await processor.submit(message) is Admission.FULL:
                logger.error("queue full: asking Meta to retry later")
                return PlainTextResponse("busy", 503)
        return PlainTextResponse("ok")

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        processor.start()
        logger.info("WhatsApp webhook ready on %s:%d%s", settings.host, settings.port, WEBHOOK_PATH)
        try:
            yield
        finally:
            await processor.stop()

    return Starlette(
        routes=[
            Route(WEBHOOK_PATH, verify, methods=["GET"]),
            Route(WEBHOOK_PATH, receive, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def build_processor(
    settings: WhatsAppSettings,
) -> tuple[MessageProcessor, RasaClient, GraphClient, ChannelState]:
    """The processor with its Rasa and Graph clients and its state (SQLite, or Redis)."""
    state = open_state(
        "whatsapp", settings.state_path, settings.redis_url, order_window=settings.order_window
    )
    rasa = RasaClient(settings.rasa)
    graph = GraphClient(settings.messages_url, settings.access_token)
    processor = MessageProcessor(
        Conversation("whatsapp", rasa, state.store),
        graph,
        order=state.order,
        workers=settings.workers,
        queue_size=settings.queue_size,
    )
    return processor, rasa, graph, state


def run(settings: WhatsAppSettings) -> int:
    """Serve the webhook until SIGINT/SIGTERM; returns the exit code."""
    processor, rasa, graph, state = build_processor(settings)
    app = create_app(settings, processor)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)

    async def serve() -> None:
        try:
            await server.serve()
        finally:
            await rasa.aclose()
            await graph.aclose()
            await state.aclose()

    exit_cleanly_on_sigterm()
    asyncio.run(serve())
    return 0 if server.started else 1
