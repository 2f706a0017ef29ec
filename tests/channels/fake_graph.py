"""A fake Graph API for WhatsApp: ``POST /{version}/{phone_number_id}/messages``.

It checks the bearer token and the Cloud API's limits (text 4096 characters; reply
buttons 1-3 with titles up to 20 and ids up to 256; lists up to 10 rows with titles up to
24, descriptions up to 72 and ids up to 200; interactive bodies up to 1024) and answers
with Graph's real success and error bodies. Failures can be queued (429, 5xx, 4xx).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "EAAtest-access-token"
VERSION = "v21.0"
PHONE_NUMBER_ID = "106540352242922"


def graph_error(status: int, code: int, message: str, details: str = "") -> JSONResponse:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AazvGkTBGs6Sn0oKHp1GcJ8",
    }
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return JSONResponse({"error": error}, status_code=status)


def _problem(payload: dict[str, Any]) -> str | None:
    """What the Cloud API would reject in ``payload``, or None."""
    if payload.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if payload.get("status") == "read":
        return None if payload.get("message_id") else "message_id is required"
    if not payload.get("to"):
        return "to is required"
    kind = payload.get("type")
    if kind == "text":
        body = payload.get("text", {}).get("body", "")
        return None if 1 <= len(body) <= 4096 else f"text body length {len(body)} invalid"
    if kind == "template":
        return _template_problem(payload.get("template") or {})
    if kind != "interactive":
        return f"unsupported type {kind}"
    interactive = payload["interactive"]
    body = interactive.get("body", {}).get("text", "")
    if not 1 <= len(body) <= 1024:
        return f"interactive body length {len(body)} invalid"
    action = interactive.get("action", {})
    if interactive.get("type") == "button":
        buttons = action.get("buttons", [])
        if not 1 <= len(buttons) <= 3:
            return "between 1 and 3 buttons"
        ids = [b["reply"]["id"] for b in buttons]
        if len(set(ids)) != len(ids):
            return "button ids must be unique"
        for b in buttons:
            if not 1 <= len(b["reply"]["title"]) <= 20:
                return "Button title length invalid. Min length: 1, Max length: 20"
            if not 1 <= len(b["reply"]["id"]) <= 256:
                return "Button id length invalid"
        return None
    if interactive.get("type") == "list":
        if not 1 <= len(action.get("button", "")) <= 20:
            return "list button label length invalid"
        sections = action.get("sections", [])
        rows = [r for s in sections for r in s.get("rows", [])]
        if not 1 <= len(rows) <= 10 or not 1 <= len(sections) <= 10:
            return "between 1 and 10 rows"
        if len(sections) > 1 and not all(s.get("title") for s in sections):
            return "section titles are required with several sections"
        ids = [r["id"] for r in rows]
        if len(set(ids)) != len(ids):
            return "row ids must be unique"
        for r in rows:
            if not 1 <= len(r["title"]) <= 24:
                return "Row title length invalid. Max length: 24"
            if len(r.get("description", "")) > 72:
                return "Row description length invalid. Max length: 72"
            if not 1 <= len(r["id"]) <= 200:
                return "Row id length invalid. Max length: 200"
        return None
    return f"unsupported interactive type {interactive.get('type')}"


# approved templates of the fake business account: (name, language) -> body parameters
TEMPLATES = {
    ("navigator_agent_reply", "id"): 1,
    ("navigator_agent_reply", "en"): 1,
    ("navigator_reminder", "id"): 2,
    ("navigator_reminder", "en"): 2,
}


def _template_problem(template: dict[str, Any]) -> str | None:
    """What the Cloud API would reject in a template message (error 132000 family)."""
    key = (template.get("name"), (template.get("language") or {}).get("code"))
    if key not in TEMPLATES:
        return "Template name does not exist in the translation"
    bodies = [c for c in template.get("components") or [] if c.get("type") == "body"]
    parameters = [p for c in bodies for p in c.get("parameters") or []]
    if len(parameters) != TEMPLATES[key]:
        return "Number of parameters does not match the expected number of params"
    for parameter in parameters:
        text = str(parameter.get("text") or "")
        if parameter.get("type") != "text" or not 1 <= len(text) <= 1024:
            return "Invalid parameter"
        if "\n" in text or "\t" in text or "     " in text:
            return (
                "Param text cannot have new-line/tab characters or more than 4 consecutive spaces"
            )
    return None


class FakeGraph:
    """Records accepted messages and read receipts; can fail on demand."""

    def __init__(self, token: str = TOKEN, phone_number_id: str = PHONE_NUMBER_ID) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.attempts: list[dict[str, Any]] = []
        self._sent: list[tuple[dict[str, Any], float]] = []
        self._reads: list[str] = []
        self._failures: list[tuple[str | None, Response]] = []
        self.app = Starlette(
            routes=[
                Route("/{version}/{phone_id}/messages", self._messages, methods=["POST"]),
                Route("/_fake/wait", self._wait, methods=["GET"]),
                Route("/_fake/count", self._count, methods=["GET"]),
            ]
        )

    @property
    def base_url_path(self) -> str:
        return f"/{VERSION}"

    def fail_next(self, response: Response, to: str | None = None) -> None:
        """Answer the next message (to ``to`` only, if given; never a read receipt)."""
        with self._lock:
            self._failures.append((to, response))

    def sent(self, to: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [p for p, _ in self._sent if to is None or p.get("to") == to]

    def sent_times(self) -> list[tuple[dict[str, Any], float]]:
        with self._lock:
            return list(self._sent)

    def reads(self) -> list[str]:
        with self._lock:
            return list(self._reads)

    def attempts_to(self, to: str) -> list[dict[str, Any]]:
        with self._lock:
            return [p for p in self.attempts if p.get("to") == to]

    async def _wait(self, request: Request) -> Response:
        """Test control: when the first message to ``?to=`` arrived (monotonic seconds)."""
        to = request.query_params["to"]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with self._lock:
                times = [at for p, at in self._sent if p.get("to") == to]
            if times:
                return JSONResponse({"at": times[0]})
            await asyncio.sleep(0.0005)
        return JSONResponse({"at": None}, status_code=404)

    async def _count(self, request: Request) -> Response:
        """Test control: how many messages were accepted."""
        with self._lock:
            return JSONResponse({"sent": len(self._sent)})

    async def _messages(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return graph_error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if request.path_params["phone_id"] != self.phone_number_id:
            return graph_error(400, 100, "Unsupported post request. Object does not exist")
        try:
            payload = json.loads(await request.body())
        except json.JSONDecodeError:
            return graph_error(400, 100, "(#100) Invalid parameter", "body is not JSON")
        with self._lock:
            self.attempts.append(payload)
            failure = None
            for i, (to, _) in enumerate(self._failures):
                if payload.get("to") and to in (None, payload.get("to")):
                    failure = self._failures.pop(i)[1]
                    break
        if failure is not None:
            return failure
        problem = _problem(payload)
        if problem:
            return graph_error(400, 100, "(#100) Invalid parameter", problem)
        with self._lock:
            if payload.get("status") == "read":
                self._reads.append(payload["message_id"])
                return JSONResponse({"success": True})
            self._sent.append((payload, time.monotonic()))
        message_id = f"wamid.FAKE{next(self._ids):08d}"
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": payload["to"], "wa_id": payload["to"]}],
                "messages": [{"id": message_id}],
            }
        )
