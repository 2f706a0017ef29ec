"""The agents' handoff pages: the queue and one conversation (claim, write, release).

The pages render what the server knows at once (masked) and leave the live part to
``static/handoff.js``, which calls the JSON API (:mod:`navigator.console.handoffs`)
with the session cookie and listens to its server-sent events.
"""

from __future__ import annotations

import re
import time
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from navigator.console.auth import Principal, audit, page_role
from navigator.console.handoffs import HANDOFF_ID, _conversation, _guarded, _seen
from navigator.console.pages import render
from navigator.kb import render as kb_render

router = APIRouter(include_in_schema=False)
Agent = Annotated[Principal, Depends(page_role("agent"))]


def _titles(request: Request, lang: str) -> dict[str, str]:
    engine = request.app.state.holder.get()
    return {
        sid: kb_render.title(s, "en" if lang == "en" else "id")
        for sid, s in engine.kb.services.items()
    }


@router.get("/handoffs", response_class=HTMLResponse)
async def queue_page(request: Request, principal: Agent) -> Response:
    """The queue: who waits, for how long, about what."""
    _seen(request, principal)
    found = await _guarded(request, lambda: _queue(request))
    return render(request, "handoffs.html", handoffs=found, titles=_titles(request, "id"))


async def _queue(request: Request) -> list[dict[str, object]]:
    now = time.time()
    return [h.to_dict(now) for h in request.app.state.desk.store.queue()]


@router.get("/handoffs/{handoff_id}", response_class=HTMLResponse)
async def conversation_page(request: Request, handoff_id: str, principal: Agent) -> Response:
    """One conversation: transcript, claim, write, suggestions, hand back."""
    if not re.match(HANDOFF_ID, handoff_id):
        raise HTTPException(404, "no such handoff")
    _seen(request, principal)
    audit(request, "open_handoff", handoff_id, "page")
    found = await _guarded(request, lambda: _conversation(request, handoff_id, False))
    titles = _titles(request, found["language"])
    return render(
        request,
        "handoff.html",
        h=found,
        titles=titles,
        mine=found["claimed_by"] == principal.name,
        services=sorted(titles.items(), key=lambda kv: kv[1]),
    )
