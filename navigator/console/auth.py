"""Access checks: a bearer token for the API, a signed session cookie for the pages.

The cookie never holds the token itself: it holds an expiry time and an HMAC of it
keyed with the token, so changing CONSOLE_TOKEN ends every session.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status

from navigator.console.settings import ConsoleSettings

COOKIE_NAME = "navigator_console"


def _sign(token: str, expires: int) -> str:
    message = f"navigator-console-session:{expires}".encode()
    return hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


def token_matches(settings: ConsoleSettings, candidate: str | None) -> bool:
    """Constant-time comparison of a presented token with CONSOLE_TOKEN."""
    if settings.token is None or not candidate:
        return False
    return hmac.compare_digest(candidate.encode(), settings.token.encode())


def session_value(settings: ConsoleSettings, now: float | None = None) -> str:
    """A cookie value valid for ``session_hours``."""
    assert settings.token is not None
    expires = int((now or time.time()) + settings.session_hours * 3600)
    return f"{expires}.{_sign(settings.token, expires)}"


def session_valid(settings: ConsoleSettings, value: str | None, now: float | None = None) -> bool:
    """True for an unexpired cookie signed with the current token."""
    if settings.token is None or not value:
        return False
    expires_text, _, signature = value.partition(".")
    if not expires_text.isdigit() or int(expires_text) < (now or time.time()):
        return False
    return hmac.compare_digest(signature, _sign(settings.token, int(expires_text)))


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def is_authorised(request: Request) -> bool:
    """True when no token is configured, or the request carries the token or a session."""
    settings: ConsoleSettings = request.app.state.settings
    if not settings.auth_required:
        return True
    if token_matches(settings, bearer(request)):
        return True
    return session_valid(settings, request.cookies.get(COOKIE_NAME))


def require_api_access(request: Request) -> None:
    """FastAPI dependency for /api/: 401 with a Bearer challenge when not authorised."""
    if not is_authorised(request):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or wrong token: send 'Authorization: Bearer <CONSOLE_TOKEN>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else (other hosts, //x) becomes '/'."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target


def same_origin(request: Request) -> bool:
    """False for a state-changing request whose Origin header names another site."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host
