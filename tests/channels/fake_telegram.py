"""A fake Telegram Bot API: ``{base}/bot<token>/<method>`` as python-telegram-bot calls it.

It speaks the real protocol (``{"ok": true, "result": ...}`` or ``{"ok": false,
"error_code", "description", "parameters"?}``), holds ``getUpdates`` open like long
polling, and checks what real Telegram checks: the token, 4096 characters of text after
HTML parsing, well-formed HTML, and 64 bytes of ``callback_data``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import threading
import time
from html.parser import HTMLParser
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123456:TEST-token_for-fake-bot-api"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Navigator",
    "username": "navigator_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_RAW_FIELDS = {"text", "url", "secret_token", "callback_query_id", "action", "parse_mode"}
_ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}


class _HTMLCheck(HTMLParser):
    """Telegram's HTML mode: a few tags, balanced; returns the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = f'unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = f'unmatched end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible_text(markup: str) -> tuple[str, str | None]:
    """The text Telegram would show for HTML ``markup``, and a parse error if any."""
    if re.search(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)", markup):
        return "", "unescaped '&'"
    if re.search(r"<(?![a-zA-Z/])", markup):
        return "", "unescaped '<'"
    parser = _HTMLCheck()
    parser.feed(markup)
    parser.close()
    if parser.stack and not parser.error:
        parser.error = f'unclosed tag "{parser.stack[-1]}"'
    return html.unescape("".join(parser.text)), parser.error


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(code: int, description: str, **parameters: Any) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


class FakeTelegram:
    """State and ASGI app of the fake Bot API."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1000
        self._next_message_id = 5000
        self._calls: list[tuple[str, dict[str, Any], float, bool]] = []
        self._failures: dict[str, list[JSONResponse]] = {}
        self.webhook: dict[str, Any] | None = None
        self.closing = False
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._dispatch, methods=["GET", "POST"]),
                Route("/_fake/wait", self._wait, methods=["GET"]),
            ]
        )

    # ---- test-side controls -------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for ``getUpdates``; returns its ``update_id``."""
        with self._lock:
            self._next_update_id += 1
            update = {**update, "update_id": self._next_update_id}
            self._updates.append(update)
            return self._next_update_id

    def fail_next(self, method: str, code: int, description: str, **parameters: Any) -> None:
        """The next call of ``method`` gets this error instead of a result."""
        with self._lock:
            self._failures.setdefault(method, []).append(_error(code, description, **parameters))

    def calls(
        self, method: str, chat_id: int | None = None, failed: bool = False
    ) -> list[dict[str, Any]]:
        """Parameters of each successful call of ``method`` (``failed``: every attempt)."""
        with self._lock:
            return [
                params
                for name, params, _, ok in self._calls
                if name == method
                and (ok or failed)
                and (chat_id is None or params.get("chat_id") == chat_id)
            ]

    def call_times(self, method: str) -> list[tuple[dict[str, Any], float]]:
        """Successful calls of ``method`` with the monotonic time they arrived."""
        with self._lock:
            return [(params, at) for name, params, at, ok in self._calls if name == method and ok]

    def sent_texts(self, chat_id: int) -> list[str]:
        """The visible text of each message delivered to ``chat_id``."""
        return [visible_text(p["text"])[0] for p in self.calls("sendMessage", chat_id)]

    async def _wait(self, request: Request) -> Response:
        """Test control: when the first message to ``?chat_id=`` arrived (monotonic)."""
        chat_id = int(request.query_params["chat_id"])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            times = [at for p, at in self.call_times("sendMessage") if p.get("chat_id") == chat_id]
            if times:
                return JSONResponse({"at": times[0]})
            await asyncio.sleep(0.0005)
        return JSONResponse({"at": None}, status_code=404)

    # ---- protocol -----------------------------------------------------------------
    async def _params(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query_params)
        content_type = request.headers.get("content-type", "")
        if "application/json" in content_type:
            body = await request.body()
            params.update(json.loads(body) if body else {})
        elif content_type:
            form = await request.form()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key, value in list(params.items()):
            if key not in _RAW_FIELDS and isinstance(value, str):
                with contextlib.suppress(json.JSONDecodeError):
                    params[key] = json.loads(value)
        return params

    async def _dispatch(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        try:
            params = await self._params(request)
        except ClientDisconnect:  # the adapter hung up (shutdown during a long poll)
            return Response(status_code=499)
        arrived = time.monotonic()
        with self._lock:
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
        handler = getattr(self, f"_m_{method}", None)
        if failure is None and handler is None:
            failure = _error(404, "Not Found")
        result: Response = failure or await handler(params)  # type: ignore[misc]
        with self._lock:
            self._calls.append((method, params, arrived, result.status_code == 200))
        return result

    def _message(self, chat_id: Any, **fields: Any) -> dict[str, Any]:
        with self._lock:
            self._next_message_id += 1
            message_id = self._next_message_id
        return {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": {"id": chat_id, "type": "private", "first_name": "Citizen"},
            "date": int(time.time()),
            **fields,
        }

    async def _m_getMe(self, params: dict[str, Any]) -> Response:
        return _ok(BOT_USER)

    async def _m_getUpdates(self, params: dict[str, Any]) -> Response:
        if self.webhook:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 30.0)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates[: int(params.get("limit") or 100)])
            if ready or time.monotonic() >= deadline or self.closing:
                return _ok(ready)
            await asyncio.sleep(0.01)

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Response:
        self.webhook = None
        return _ok(True)

    async def _m_setWebhook(self, params: dict[str, Any]) -> Response:
        if not str(params.get("url", "")).startswith(("https://", "http://")):
            return _error(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self.webhook = params
        return _ok(True)

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> Response:
        url = (self.webhook or {}).get("url", "")
        return _ok({"url": url, "has_custom_certificate": False, "pending_update_count": 0})

    async def _m_setMyCommands(self, params: dict[str, Any]) -> Response:
        return _ok(True)

    async def _m_sendChatAction(self, params: dict[str, Any]) -> Response:
        return _ok(True)

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Response:
        return _ok(True)

    def _check_markup(self, markup: Any) -> str | None:
        if not markup:
            return None
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    return "Bad Request: BUTTON_DATA_INVALID"
        return None

    async def _m_sendMessage(self, params: dict[str, Any]) -> Response:
        text = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            shown, error = visible_text(text)
            if error:
                return _error(400, f"Bad Request: can't parse entities: {error}")
        else:
            shown = text
        if not shown.strip():
            return _error(400, "Bad Request: message text is empty")
        if utf16_len(shown) > 4096:
            return _error(400, "Bad Request: message is too long")
        problem = self._check_markup(params.get("reply_markup"))
        if problem:
            return _error(400, problem)
        fields: dict[str, Any] = {"text": shown}
        if params.get("reply_markup"):
            fields["reply_markup"] = params["reply_markup"]
        return _ok(self._message(params.get("chat_id"), **fields))

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Response:
        if "inline_message_id" in params:
            return _ok(True)
        return _ok(self._message(params.get("chat_id"), text="(edited)"))
