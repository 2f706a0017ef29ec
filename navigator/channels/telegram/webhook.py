"""Webhook mode: a small Starlette app that checks Telegram's secret token on every update."""

from __future__ import annotations

import hmac
import json
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000


def create_webhook_app(application: Application, secret: str, path: str) -> Starlette:  # type: ignore[type-arg]
    """An ASGI app that queues each authentic update for ``application``."""
    expected = secret.encode()

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            logger.warning("webhook post without secret token rejected")
            return Response(status_code=401)
        if not hmac.compare_digest(given.encode(), expected):
            logger.warning("webhook post with a wrong secret token rejected")
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response(status_code=413)
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse({"error": "body is not JSON"}, status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        try:
            update = Update.de_json(data, application.bot)
        except (KeyError, TypeError, ValueError, AttributeError):
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route(path, receive_update, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ]
    )
