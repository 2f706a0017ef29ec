"""The handoff API (``/api/handoffs``): the queue, a conversation, claim, write, release.

For agents (bearer token of an account, or the console's session cookie, which is how
the page calls it). Every look at a conversation is in the audit log, and so is every
unmasking of its personal data; the transcript is masked unless ``unmask=true``. The
stream (``/api/handoffs/{id}/stream``) is server-sent events: each new line of the
transcript as it reaches the tracker store, and the handoff's status when it changes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from embeddings.engine import SearchEngine
from navigator.console.auth import Principal, api_role, audit
from navigator.console.reply import suggested_reply
from navigator.handoffs import transcript
from navigator.handoffs.delivery import DeliveryError
from navigator.handoffs.desk import MAX_TEXT, Desk
from navigator.handoffs.rasa_api import RasaAPIError
from navigator.handoffs.store import HandoffError, StoreError
from navigator.insight.database import describe
from navigator.insight.store import InsightStore
from navigator.kb.render import Lang

logger = logging.getLogger(__name__)

HANDOFF_ID = r"^h-[a-z0-9]{10}$"
PING_S = 15.0
STALE_CLAIM_S = 5.0  # a claim this old whose conversation is not paused was restarted

router = APIRouter(prefix="/api/handoffs", tags=["handoffs"])
Agent = Annotated[Principal, Depends(api_role("agent"))]
HandoffId = Annotated[str, Path(pattern=HANDOFF_ID)]


class Strict(BaseModel):
    """Request bodies: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class MessageIn(Strict):
    """An agent's message to the citizen."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)


class WrongAnswer(Strict):
    """A bot answer an agent marks as wrong: which line, and the right service."""

    index: int = Field(ge=0)
    service: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=100)


def desk(request: Request) -> Desk:
    """The app's handoff desk."""
    found: Desk = request.app.state.desk
    return found


async def _guarded(request: Request, work: Callable[[], Any]) -> Any:
    """Run ``work`` (a coroutine function) with the desk's errors as HTTP answers."""
    try:
        return await work()
    except HandoffError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    except DeliveryError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    except RasaAPIError as exc:
        logger.warning("Rasa's HTTP API failed: %s", exc)
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "the bot is not reachable"
        ) from exc
    except StoreError as exc:
        logger.warning("handoff database unavailable: %s", describe(exc))
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "the handoff database is unavailable"
        ) from exc


def _seen(request: Request, principal: Principal) -> None:
    """The agent has the console open: counts as online for the citizens' queue line."""
    try:
        desk(request).store.seen(principal.name)
    except StoreError as exc:
        logger.warning("presence not stored: %s", describe(exc))


@router.get("")
async def queue(request: Request, principal: Agent) -> list[dict[str, Any]]:
    """The open handoffs: waiting ones first (oldest first), then the claimed ones."""
    _seen(request, principal)

    async def work() -> list[dict[str, Any]]:
        now = time.time()
        return [h.to_dict(now) for h in desk(request).store.queue()]

    result: list[dict[str, Any]] = await _guarded(request, work)
    return result


async def _conversation(request: Request, handoff_id: str, unmask: bool) -> dict[str, Any]:
    conversation = await desk(request).conversation(handoff_id)
    handoff = conversation.handoff
    stale = time.time() - (handoff.claimed_at or 0) > STALE_CLAIM_S
    if handoff.status == "claimed" and not conversation.paused and stale:
        # the citizen restarted, or the session expired: Rasa answers again, so the
        # claim is over (it would otherwise hold a conversation the bot is serving)
        handoff = desk(request).store.release(handoff.id, "navigator", force=True)
    found = handoff.to_dict()
    found["paused"] = conversation.paused
    found["transcript"] = [line.to_dict(masked=not unmask) for line in conversation.lines]
    found["masked"] = not unmask
    return found


@router.get("/{handoff_id}")
async def conversation(
    request: Request,
    principal: Agent,
    handoff_id: HandoffId,
    unmask: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    """One handoff with its transcript (``from``: citizen, bot or agent)."""
    _seen(request, principal)
    audit(request, "unmask" if unmask else "open_handoff", handoff_id)
    result: dict[str, Any] = await _guarded(
        request, lambda: _conversation(request, handoff_id, unmask)
    )
    return result


@router.post("/{handoff_id}/claim")
async def claim(request: Request, principal: Agent, handoff_id: HandoffId) -> dict[str, Any]:
    """Take the conversation: the bot stays silent for it until it is released."""

    async def work() -> dict[str, Any]:
        handoff = await desk(request).claim(handoff_id, principal.name)
        return handoff.to_dict()

    result: dict[str, Any] = await _guarded(request, work)
    audit(request, "claim", handoff_id)
    return result


@router.post("/{handoff_id}/messages")
async def send(
    request: Request, principal: Agent, handoff_id: HandoffId, body: MessageIn
) -> dict[str, Any]:
    """Send the citizen a message on their channel (WhatsApp: a template outside the
    24-hour window)."""

    async def work() -> dict[str, Any]:
        delivered = await desk(request).send(handoff_id, principal.name, body.text)
        return {"delivered": delivered.kind, "channel": delivered.channel}

    result: dict[str, Any] = await _guarded(request, work)
    audit(request, "message", handoff_id, result["delivered"])
    return result


@router.post("/{handoff_id}/release")
async def release(request: Request, principal: Agent, handoff_id: HandoffId) -> dict[str, Any]:
    """Back to the bot, with one line to the citizen (an admin may release any)."""

    async def work() -> dict[str, Any]:
        force = principal.allows("admin")
        handoff = await desk(request).release(handoff_id, principal.name, force=force)
        return handoff.to_dict()

    result: dict[str, Any] = await _guarded(request, work)
    audit(request, "release", handoff_id)
    return result


@router.get("/{handoff_id}/suggestions")
async def suggestions(
    request: Request, principal: Agent, handoff_id: HandoffId
) -> list[dict[str, Any]]:
    """Replies to the citizen's latest message from the knowledge base, with sources."""

    async def work() -> list[dict[str, Any]]:
        found = await desk(request).conversation(handoff_id)
        said = [line for line in found.lines if line.speaker == "citizen"]
        if not said:
            return []
        engine: SearchEngine = request.app.state.holder.get()
        lang: Lang = "en" if found.handoff.language == "en" else "id"
        result = engine.search(said[-1].text, top_k=3)
        out = []
        for hit in result.hits[:3]:
            service = engine.kb.services[hit.id]
            out.append(
                {
                    "service": service.id,
                    "title": service.title_en
                    if lang == "en" and service.title_en
                    else service.title,
                    "score": round(hit.score, 3),
                    "text": suggested_reply(service, lang).text,
                    "sources": [
                        {"title": s.title, "url": str(s.url) if s.url else None}
                        for s in service.sources
                    ],
                }
            )
        return out

    result: list[dict[str, Any]] = await _guarded(request, work)
    return result


@router.post("/{handoff_id}/wrong")
async def wrong_answer(
    request: Request, principal: Agent, handoff_id: HandoffId, body: WrongAnswer
) -> dict[str, Any]:
    """Mark a bot answer wrong and name the right service: a proposed fix for editors."""
    engine: SearchEngine = request.app.state.holder.get()
    if body.service not in engine.kb.services:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "unknown service")

    async def work() -> dict[str, Any]:
        found = await desk(request).conversation(handoff_id)
        answer = next((line for line in found.lines if line.index == body.index), None)
        if answer is None or answer.speaker != "bot":
            raise HandoffError("that line is not a bot answer", 422)
        asked = [ln for ln in found.lines if ln.speaker == "citizen" and ln.index < body.index]
        store: InsightStore | None = request.app.state.store
        if store is None:
            raise HandoffError("no insight store", 503)
        row = store.record(
            channel=found.handoff.channel,
            reason="agent_fix",
            query=asked[-1].text if asked else "",
            results=[{"id": answer.service, "score": None}] if answer.service else [],
            life_event=found.handoff.life_event,
            proposed=body.service,
        )
        return {"recorded": row}

    result: dict[str, Any] = await _guarded(request, work)
    audit(request, "mark_wrong", handoff_id, body.service)
    return result


def _event(kind: str, data: Any, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get("/{handoff_id}/stream")
async def stream(
    request: Request,
    principal: Agent,
    handoff_id: HandoffId,
    after: Annotated[int, Query(ge=-1)] = -1,
    unmask: Annotated[bool, Query()] = False,
) -> StreamingResponse:
    """Server-sent events: ``line`` for each transcript line after event ``after`` (or
    ``Last-Event-ID``), ``status`` when the handoff changes; a comment every 15 s."""
    the_desk = desk(request)
    await _guarded(request, lambda: the_desk.conversation(handoff_id))  # 404 before streaming
    audit(request, "unmask" if unmask else "open_handoff", handoff_id, "stream")
    last_id = request.headers.get("last-event-id", "")
    start = int(last_id) if last_id.isdigit() else after
    interval: float = request.app.state.handoff_poll_s

    async def events() -> AsyncIterator[str]:
        seen, status_now, pinged = start, None, time.monotonic()
        while not await request.is_disconnected():
            try:
                handoff = the_desk.store.get(handoff_id)
                items = await the_desk.rasa.events(handoff.sender) if handoff else []
            except (RasaAPIError, StoreError) as exc:
                logger.warning("handoff stream: %s", type(exc).__name__)
                yield _event("unavailable", {"detail": "the bot is not reachable"})
                await asyncio.sleep(max(interval, 1.0))
                continue
            if handoff is None:
                return
            for line in transcript.lines(items):
                if line.index > seen:
                    seen = line.index
                    yield _event("line", line.to_dict(masked=not unmask), line.index)
            if handoff.status != status_now:
                status_now = handoff.status
                yield _event("status", handoff.to_dict())
            if time.monotonic() - pinged > PING_S:
                pinged = time.monotonic()
                _seen(request, principal)
                yield ": ping\n\n"
            await asyncio.sleep(interval)

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
