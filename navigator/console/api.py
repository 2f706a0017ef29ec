"""The JSON API under /api/ that a CRM can call: search, services, life events, replies."""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from embeddings.engine import SearchEngine
from embeddings.language import detect_language
from navigator.accounts import StoreError
from navigator.console import assist, views
from navigator.console.auth import Principal, accounts, api_role, require_api_access
from navigator.console.reply import suggested_reply
from navigator.insight.report import build_report
from navigator.insight.store import InsightStore
from navigator.kb.schema import LifeEventId

logger = logging.getLogger(__name__)

Lang = Literal["id", "en"]
SERVICE_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_QUERY = assist.MAX_QUERY
UNPROCESSABLE = 422  # named by number: Starlette renamed the constant between versions

# Every endpoint of ``router`` is for agents unless it names a higher role.
router = APIRouter(prefix="/api", tags=["console"], dependencies=[Depends(require_api_access)])
public = APIRouter(prefix="/api", tags=["health"])
Editor = Annotated[Principal, Depends(api_role("editor"))]
Admin = Annotated[Principal, Depends(api_role("admin"))]


def get_engine(request: Request) -> SearchEngine:
    """The engine to use for this request (swapped when a new index is built)."""
    engine: SearchEngine = request.app.state.holder.get()
    return engine


def get_store(request: Request) -> InsightStore | None:
    """The insight store, if the console has one."""
    store: InsightStore | None = request.app.state.store
    return store


Engine = Annotated[SearchEngine, Depends(get_engine)]
Store = Annotated[InsightStore | None, Depends(get_store)]


class Strict(BaseModel):
    """Request bodies: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class ReplyRequest(Strict):
    """Which service, which language, and which requirements the caller already has."""

    service_id: str = Field(pattern=SERVICE_ID, max_length=100)
    lang: Lang | None = Field(None, description="reply language; default: that of `query`, else id")
    query: str | None = Field(None, max_length=MAX_QUERY, description="the caller's words")
    have: list[int] = Field(default_factory=list, max_length=100, description="requirement indices")


class ReplyResponse(BaseModel):
    """The reply to copy into WhatsApp."""

    service_id: str
    lang: Lang
    text: str
    length: int
    missing: list[str]
    have: list[str]


class FeedbackRequest(Strict):
    """A "not helpful" mark: the query and what the console showed."""

    query: str = Field(min_length=1, max_length=MAX_QUERY)
    shown: list[str] = Field(default_factory=list, max_length=20)
    service_id: str | None = Field(None, pattern=SERVICE_ID, max_length=100)
    life_event: LifeEventId | None = None


class FeedbackResponse(BaseModel):
    """Whether the mark was stored."""

    recorded: bool


def _service_or_404(engine: SearchEngine, service_id: str) -> Any:
    service = engine.kb.services.get(service_id)
    if service is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no service {service_id!r}")
    return service


def _query_text(q: str) -> str:
    text = q.strip()
    if not text:
        raise HTTPException(UNPROCESSABLE, "q is empty")
    return text


@public.get("/health", summary="Liveness and the index being served (no token needed)")
def health(request: Request) -> dict[str, object]:
    """Status, service count and index folder name."""
    holder = request.app.state.holder
    engine = holder.get()
    folder = holder.folder
    return {
        "status": "ok",
        "services": len(engine.kb.services),
        "index": folder.name if folder else None,
    }


@router.get("/search", summary="Life event and top services for the caller's words")
def search(
    engine: Engine,
    store: Store,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="caller's words")],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
    life_event: Annotated[LifeEventId | None, Query(description="restrict to one event")] = None,
    lang: Annotated[Lang | None, Query(description="title language; default: the query's")] = None,
) -> dict[str, Any]:
    """`{"life_event", "results": [{"id", "title", "score", ...}], ...}`."""
    text = _query_text(q)
    result = assist.search(engine, store, text, top_k=k, life_event=life_event)
    return views.search_view(result, engine.kb, lang or result.language)


@router.get("/services/{service_id}", summary="One service in full")
def service(
    engine: Engine,
    service_id: Annotated[str, Path(pattern=SERVICE_ID, max_length=100)],
    lang: Lang = "id",
) -> dict[str, Any]:
    """Title, requirements, steps, fee, time, where, legal basis, sources, last checked."""
    return views.service_view(_service_or_404(engine, service_id), lang)


@router.get("/life-events", summary="Every life event with its journey in order")
def life_events(engine: Engine, lang: Lang = "id") -> list[dict[str, Any]]:
    """Life events in the knowledge base's order."""
    kb = engine.kb
    return [views.event_view(kb, e, lang) for e in kb.life_events.values()]


@router.get("/life-events/{event_id}", summary="One life event and its journey")
def life_event(engine: Engine, event_id: LifeEventId, lang: Lang = "id") -> dict[str, Any]:
    """The journey of one event, in order."""
    event = engine.kb.life_events.get(event_id)
    if event is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no life event {event_id!r}")
    return views.event_view(engine.kb, event, lang)


@router.post("/reply", summary="Suggested WhatsApp reply listing what the caller still needs")
def reply(engine: Engine, body: ReplyRequest) -> ReplyResponse:
    """Reply in `lang` (or the caller's language) without the requirements in `have`."""
    service = _service_or_404(engine, body.service_id)
    bad = [i for i in body.have if not 0 <= i < len(service.requirements)]
    if bad:
        raise HTTPException(
            UNPROCESSABLE,
            f"have: indices {bad} outside 0..{len(service.requirements) - 1}",
        )
    lang: Lang = body.lang or (detect_language(body.query) if body.query else "id")
    made = suggested_reply(service, lang, set(body.have))
    return ReplyResponse(
        service_id=made.service_id,
        lang=made.lang,
        text=made.text,
        length=made.length,
        missing=made.missing,
        have=made.have,
    )


@router.post(
    "/feedback", status_code=status.HTTP_201_CREATED, summary='Mark a result "not helpful"'
)
def feedback(engine: Engine, store: Store, body: FeedbackRequest) -> FeedbackResponse:
    """Store the (masked) query and what was shown, for editors."""
    if not body.query.strip():
        raise HTTPException(UNPROCESSABLE, "query is empty")
    if store is None:
        return FeedbackResponse(recorded=False)
    shown = [body.service_id] if body.service_id else []
    shown += [s for s in body.shown if s not in shown]
    row = assist.record(
        store,
        "not_helpful",
        body.query.strip(),
        [{"id": sid, "score": None} for sid in shown],
        life_event=body.life_event,
    )
    logger.info("not helpful: service=%s", body.service_id)
    return FeedbackResponse(recorded=row > 0)


@router.get(
    "/insight",
    summary="Editors' report (editor role): unanswered questions, coverage, stale, trend",
)
def insight(
    _: Editor,
    engine: Engine,
    store: Store,
    days: Annotated[int, Query(ge=1, le=3650)] = 30,
    top: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """The same report as `navigator kb report --json`."""
    if store is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "no insight store configured")
    report = build_report(store, engine.kb, days=days, top=top, terms=engine.normalizer.terms)
    return report.to_dict()


@router.get("/accounts", summary="Every account: name, role, disabled, times (admin role)")
def account_list(request: Request, _: Admin) -> list[dict[str, Any]]:
    """Accounts without their hashes."""
    try:
        found = accounts(request).all_accounts()
    except StoreError as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "account database unavailable"
        ) from exc
    return [
        {
            "name": a.name,
            "role": a.role,
            "disabled": a.disabled,
            "created": a.created,
            "last_login": a.last_login,
        }
        for a in found
    ]


@router.get("/audit", summary="The audit log of the last `days` days (admin role)")
def audit_log(
    request: Request,
    _: Admin,
    days: Annotated[float, Query(gt=0, le=3650)] = 7,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> list[dict[str, object]]:
    """`[{"at", "account", "action", "target", "detail"}]`, oldest first."""
    try:
        entries = accounts(request).audit_log(since=time.time() - days * 86400, limit=limit)
    except StoreError as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "account database unavailable"
        ) from exc
    return [e.to_dict() for e in entries]
