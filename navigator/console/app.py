"""The console's FastAPI application: engine and insight store opened once at start-up."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request, status
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from embeddings.runtime import EngineHolder, SearchSettings
from navigator.accounts import AccountStore, StoreError
from navigator.cases.store import CaseStore
from navigator.console import api, cases, handoff_pages, handoffs, pages
from navigator.console.auth import LoginLimiter, api_role, page_role, same_origin
from navigator.console.settings import ConsoleSettings
from navigator.handoffs.delivery import Delivery
from navigator.handoffs.desk import Desk
from navigator.handoffs.rasa_api import RasaAPI
from navigator.handoffs.settings import HandoffSettings
from navigator.handoffs.store import HandoffStore
from navigator.insight.store import InsightStore

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY = 64 * 1024
UNPROCESSABLE = 422  # named by number: Starlette renamed the constant between versions
TOO_LARGE = 413
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
DESCRIPTION = """Agent-assist API of the Navigator. Every endpoint except `/api/health` needs
`Authorization: Bearer <account token>` (from `navigator agents add NAME --json`) once
accounts exist; the account's role (agent, editor, admin) decides what it may call."""
ERROR_KEYS = {403: "forbidden", 404: "not_found", 429: "bad_input", 503: "unavailable"}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _security_headers(request: Request, response: Response) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Same-origin: source links never learn the page URL (which holds the caller's words),
    # while the console's own form posts still carry an Origin header to check.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    if request.url.path not in ("/docs", "/redoc"):
        response.headers.setdefault("Content-Security-Policy", CSP)


async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Cross-site and oversized requests out; security headers on; access log without queries."""
    started = time.perf_counter()
    length = request.headers.get("content-length", "0")
    if request.method not in SAFE_METHODS and not same_origin(request):
        response: Response = JSONResponse(
            {"detail": "cross-site request refused"}, status.HTTP_403_FORBIDDEN
        )
    elif not length.isdigit() or int(length) > MAX_BODY:
        response = JSONResponse(
            {"detail": f"body larger than {MAX_BODY} bytes"},
            TOO_LARGE,
        )
    else:
        response = await call_next(request)
    _security_headers(request, response)
    # The path only: query strings carry the caller's words and never reach the log.
    logger.info(
        "%s %s %d %.1f ms",
        request.method,
        request.url.path,
        response.status_code,
        (time.perf_counter() - started) * 1000,
    )
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request) or request.url.path in ("/openapi.json", "/docs"):
        return await http_exception_handler(request, exc)
    key = ERROR_KEYS.get(exc.status_code, "bad_input")
    return pages.render(request, "error.html", exc.status_code, message_key=key)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return await request_validation_exception_handler(request, exc)
    return pages.render(request, "error.html", UNPROCESSABLE, message_key="bad_input")


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, pages.LoginRequired)
    return RedirectResponse(
        f"/login?{urlencode({'next': exc.next_url})}", status.HTTP_303_SEE_OTHER
    )


def _auth_state(app: FastAPI) -> str:
    if app.state.settings.token is not None:
        return "on (CONSOLE_TOKEN)"
    try:
        return "on (accounts)" if app.state.accounts.exist() else "off (localhost only)"
    except StoreError:
        return "unknown (account database unavailable)"


def create_app(
    settings: ConsoleSettings,
    holder: EngineHolder | None = None,
    store: InsightStore | None = None,
    search_settings: SearchSettings | None = None,
    accounts: AccountStore | None = None,
    handoff_settings: HandoffSettings | None = None,
) -> FastAPI:
    """The console app; the engine and stores are opened at start-up unless given (the
    accounts live in the insight store's database)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_store = store is None
        if app.state.holder is None:
            app.state.holder = EngineHolder.open(search_settings or SearchSettings.from_env())
        if app.state.store is None:
            app.state.store = InsightStore()
        if app.state.accounts is None:
            app.state.accounts = AccountStore(app.state.store.engine)
        wanted = handoff_settings or HandoffSettings.from_env()
        rasa = RasaAPI(wanted.rasa_url, wanted.rasa_token)
        delivery = Delivery(wanted)
        app.state.desk = Desk(HandoffStore(app.state.store.engine), rasa, delivery)
        app.state.cases = CaseStore(app.state.store.engine)
        engine = app.state.holder.get()  # EngineHolder.open has already warmed it up
        logger.info(
            "console ready: %d services, auth %s", len(engine.kb.services), _auth_state(app)
        )
        yield
        await rasa.aclose()
        await delivery.aclose()
        if own_store and app.state.store is not None:
            app.state.store.close()

    app = FastAPI(
        title="Navigator agent-assist console",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url=None,  # served below, behind a login like everything else
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.holder = holder
    app.state.store = store
    app.state.accounts = accounts
    app.state.desk = None
    app.state.cases = None
    app.state.handoff_poll_s = float(os.environ.get("HANDOFF_POLL_SECONDS", "0.25") or 0.25)
    app.state.login_limiter = LoginLimiter(
        settings.login_attempts, settings.login_window_minutes * 60
    )
    app.middleware("http")(guard)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(pages.LoginRequired, _login_required)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.public)
    app.include_router(api.router)
    app.include_router(handoffs.router)
    app.include_router(pages.router)
    app.include_router(pages.protected)
    app.include_router(handoff_pages.router)
    app.include_router(cases.router)
    app.add_api_route("/favicon.ico", _no_icon, include_in_schema=False)

    def openapi_schema() -> JSONResponse:
        return JSONResponse(app.openapi())

    def swagger() -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=app.title)

    app.add_api_route(
        "/openapi.json",
        openapi_schema,
        include_in_schema=False,
        dependencies=[Depends(api_role("agent"))],
    )
    app.add_api_route(
        "/docs", swagger, include_in_schema=False, dependencies=[Depends(page_role("agent"))]
    )
    return app


def _no_icon() -> Response:
    return Response(status_code=204)
