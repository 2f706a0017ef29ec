"""Server-rendered pages: search, life events, a service, editors' insight, login."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from embeddings.engine import Hit, SearchEngine
from navigator.accounts import StoreError
from navigator.console import assist, views
from navigator.console.auth import (
    COOKIE_NAME,
    LoginRequired,
    Principal,
    accounts,
    audit,
    auth_required,
    current,
    page_role,
    safe_next,
    secret,
    session_value,
)
from navigator.console.i18n import UiLang, pick_lang, translator
from navigator.console.reply import REPLY_LIMIT, clip, suggested_reply
from navigator.console.settings import ConsoleSettings
from navigator.insight.report import build_report
from navigator.kb.render import Lang
from navigator.kb.schema import LIFE_EVENT_IDS, Service
from navigator.regions import Region, VocabularyError, default_resolver
from navigator.regions.local import facts, local_places

logger = logging.getLogger(__name__)

UI_COOKIE = "console_ui"
UNPROCESSABLE = 422  # named by number: Starlette renamed the constant between versions
TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


__all__ = ["LoginRequired", "protected", "render", "router"]

router = APIRouter(include_in_schema=False)
# Every page below is for agents unless its route names a higher role.
protected = APIRouter(include_in_schema=False, dependencies=[Depends(page_role("agent"))])
Editor = Annotated[Principal, Depends(page_role("editor"))]
Admin = Annotated[Principal, Depends(page_role("admin"))]


def ui_lang(request: Request) -> UiLang:
    """The interface language: ``?ui=`` first, then the cookie, else Indonesian."""
    return pick_lang(request.query_params.get("ui") or request.cookies.get(UI_COOKIE))


def _with_params(request: Request, **params: str) -> str:
    """This page's local URL with some query parameters replaced."""
    query = {**dict(request.query_params), **params}
    return f"{request.url.path}?{urlencode(query)}"


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with the language helpers; remember an explicit ``?ui=`` choice."""
    lang = ui_lang(request)
    other: UiLang = "en" if lang == "id" else "id"
    me: Principal | None = getattr(request.state, "principal", None)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "ui": lang,
            "t": translator(lang),
            "other_lang_url": _with_params(request, ui=other),
            "me": me,
            "auth_required": me is not None and me.via == "session",
            "reply_limit": REPLY_LIMIT,
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("ui") in ("id", "en"):
        response.set_cookie(UI_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _engine(request: Request) -> SearchEngine:
    engine: SearchEngine = request.app.state.holder.get()
    return engine


def _gist(text: str, limit: int = 60) -> str:
    """The first sentence, clipped: for a card's one-line summary."""
    return clip(text.split(". ")[0].rstrip("."), limit)


def card(
    service: Service,
    lang: UiLang,
    reply_lang: Lang,
    hit: Hit | None = None,
    region: Region | None = None,
) -> dict[str, Any]:
    """Everything one service card shows: the service, why it matched, the reply, and the
    caller's region's own places for it (when a region is known)."""
    view = views.service_view(service, lang)
    view["region"] = region.name if region is not None else None
    view["local"] = local_places(service, region.code, lang) if region is not None else []
    view["fee_short"] = _gist(view["fee"])
    view["time_short"] = _gist(view["time"])
    view["matched"] = list(hit.matched) if hit else None
    view["score"] = hit.score if hit else None
    view["reply"] = suggested_reply(service, reply_lang)
    view["reply_lang"] = reply_lang
    return view


def _login_open(request: Request) -> bool:
    """True when nothing needs a login (no accounts, no CONSOLE_TOKEN: loopback only)."""
    return not auth_required(request)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    """The login form (only when there are accounts or a token)."""
    if _login_open(request):
        return RedirectResponse("/", status.HTTP_303_SEE_OTHER)
    return render(request, "login.html", next=safe_next(next), failed=False, account_name="")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check name and password; set the session cookie and go on, or show the form again.

    Too many failures for the name or from the address in the window: 429.
    """
    settings: ConsoleSettings = request.app.state.settings
    if _login_open(request):
        return RedirectResponse("/", status.HTTP_303_SEE_OTHER)
    store = accounts(request)
    key = name.strip().lower()[:64]
    limits = (f"name:{key}", f"addr:{_client(request)}")
    limiter = request.app.state.login_limiter
    try:
        known = store.get(key) is not None if key else False
        wait = limiter.wait(*limits)
        if wait > 0:
            audit(request, "login_blocked", account=key if known else "", detail="rate limit")
            logger.warning("console login refused: too many failed attempts")
            minutes = max(1, math.ceil(wait / 60))
            refused = render(
                request,
                "login.html",
                status.HTTP_429_TOO_MANY_REQUESTS,
                next=safe_next(next),
                failed=False,
                limited=minutes,
                account_name=key if known else "",
            )
            refused.headers["Retry-After"] = str(math.ceil(wait))
            return refused
        account = await run_in_threadpool(store.verify, key, password)
        if account is None or account.disabled:
            limiter.fail(*limits)
            reason = (
                "unknown account" if not known else ("disabled" if account else "wrong password")
            )
            audit(request, "login_failed", account=key if known else "", detail=reason)
            logger.warning("console login failed")
            await asyncio.sleep(0.5)
            return render(
                request,
                "login.html",
                status.HTTP_401_UNAUTHORIZED,
                next=safe_next(next),
                failed=True,
                account_name=key if known else "",
            )
        limiter.clear(limits[0])
        store.touch_login(account.name)
        audit(request, "login", account=account.name)
    except StoreError as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE) from exc
    response = RedirectResponse(safe_next(next), status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        COOKIE_NAME,
        session_value(secret(request), account, settings.session_hours),
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        secure=settings.cookie_secure,
        samesite="strict",
    )
    logger.info("console login: %s (%s)", account.name, account.role)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """Forget the session (recorded in the audit log)."""
    principal = None
    with contextlib.suppress(HTTPException):
        principal = current(request)
    if principal is not None and principal.via == "session":
        audit(request, "logout", principal=principal)
    response = RedirectResponse("/login", status.HTTP_303_SEE_OTHER)
    response.delete_cookie(COOKIE_NAME)
    return response


def caller_region(*texts: str) -> Region | None:
    """The kabupaten/kota named in the region box, else in the caller's words."""
    try:
        resolver = default_resolver()
    except (VocabularyError, OSError) as exc:  # logged with file and line; no region
        logger.error("regions not loaded: %s", exc)
        return None
    for text in texts:
        if text.strip():
            found = resolver.resolve(text[:200]).region
            if found is not None:
                return found
    return None


@protected.get("/", response_class=HTMLResponse)
def search_page(
    request: Request, q: str | None = None, noted: str | None = None, region: str = ""
) -> Response:
    """The search box; with ``q``, the life event, its journey and the top services (and
    the caller's region's places, from the region box or the caller's words)."""
    engine = _engine(request)
    lang = ui_lang(request)
    events = [views.event_view(engine.kb, e, lang) for e in engine.kb.life_events.values()]
    text = (q or "").strip()
    if not text:
        return render(request, "search.html", query="", result=None, events=events, region="")
    if len(text) > assist.MAX_QUERY:
        return render(
            request,
            "search.html",
            UNPROCESSABLE,
            query="",
            result=None,
            events=events,
            error=translator(lang)("too_long", n=assist.MAX_QUERY),
        )
    result = assist.search(engine, request.app.state.store, text, top_k=5)
    place = caller_region(region, text)
    cards = [card(engine.kb.services[h.id], lang, result.language, h, place) for h in result.hits]
    event = engine.kb.life_events.get(result.life_event or "")
    return render(
        request,
        "search.html",
        query=text,
        result=result,
        cards=cards,
        journey=views.event_view(engine.kb, event, lang) if event else None,
        shown_ids=[h.id for h in result.hits],
        in_results={h.id for h in result.hits},
        noted=noted,
        events=events,
        region=region,
        place=place,
    )


@protected.post("/feedback")
def feedback_form(
    request: Request,
    query: Annotated[str, Form(min_length=1, max_length=assist.MAX_QUERY)],
    service_id: Annotated[str, Form(max_length=100)] = "",
    shown: Annotated[str, Form(max_length=2000)] = "",
    life_event: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """No-JavaScript fallback of the "not helpful" button."""
    store = request.app.state.store
    ids = [service_id] if service_id else []
    ids += [s for s in shown.split(",") if s and s not in ids][:20]
    if store is not None and query.strip():
        event = life_event if life_event in LIFE_EVENT_IDS else None
        shown_ids: list[dict[str, object]] = [{"id": s, "score": None} for s in ids]
        assist.record(store, "not_helpful", query.strip(), shown_ids, life_event=event)
    target = "/?" + urlencode({"q": query.strip(), "noted": service_id or "1"})
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)


@protected.get("/events", response_class=HTMLResponse)
def events_page(request: Request) -> Response:
    """Every life event with its journey."""
    engine = _engine(request)
    lang = ui_lang(request)
    events = [views.event_view(engine.kb, e, lang) for e in engine.kb.life_events.values()]
    return render(request, "events.html", events=events)


@protected.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    """One life event: its services as cards, in journey order."""
    engine = _engine(request)
    lang = ui_lang(request)
    event = engine.kb.life_events.get(event_id) if event_id in LIFE_EVENT_IDS else None
    if event is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    cards = [
        card(engine.kb.services[s], lang, lang) for s in event.journey if s in engine.kb.services
    ]
    return render(
        request, "event.html", event=views.event_view(engine.kb, event, lang), cards=cards
    )


@protected.get("/services/{service_id}", response_class=HTMLResponse)
def service_page(request: Request, service_id: str, reply: str | None = None) -> Response:
    """One service card, open, with its suggested reply."""
    engine = _engine(request)
    lang = ui_lang(request)
    service = engine.kb.services.get(service_id)
    if service is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    reply_lang: Lang = "en" if reply == "en" else ("id" if reply == "id" else lang)
    return render(request, "service.html", card=card(service, lang, reply_lang))


@protected.get("/insight", response_class=HTMLResponse)
def insight_page(request: Request, _: Editor, days: int = 30) -> Response:
    """The editors' report."""
    engine = _engine(request)
    store = request.app.state.store
    days = max(1, min(days, 3650))
    report = (
        build_report(store, engine.kb, days=days, terms=engine.normalizer.terms) if store else None
    )
    since = time.time() - days * 86400
    fixes = [
        {
            "question": r.query,
            "answered": [_title(engine, str(x.get("id"))) for x in r.results if x.get("id")],
            "proposed": _title(engine, r.proposed or ""),
            "channel": r.channel,
        }
        for r in (store.recent(limit=200, reason="agent_fix") if store else [])
        if r.created >= since
    ]
    return render(
        request, "insight.html", report=report, days=days, fixes=fixes, regions=facts().coverage()
    )


def _title(engine: SearchEngine, service_id: str) -> str:
    service = engine.kb.services.get(service_id)
    return service.title if service is not None else service_id


@protected.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API reference from the OpenAPI schema, readable offline."""
    schema = request.app.openapi()
    return render(request, "api_docs.html", schema=schema)


@protected.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, _: Admin, days: int = 7) -> Response:
    """Accounts and the audit log of the last ``days`` days."""
    days = max(1, min(days, 3650))
    store = accounts(request)
    try:
        people = store.all_accounts()
        entries = store.audit_log(since=time.time() - days * 86400, limit=500)
    except StoreError as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE) from exc
    return render(
        request,
        "admin.html",
        accounts=people,
        entries=list(reversed(entries)),
        days=days,
        when=_when,
    )


def _when(at: float | None) -> str:
    """A stored time for the admin page (UTC)."""
    if at is None:
        return "–"
    return dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
