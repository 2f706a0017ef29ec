"""Access checks: accounts with roles, a signed session cookie for the pages, bearer
tokens for the API, a login rate limit and the audit helper.

Who is asking (:func:`current`), in this order:

1. ``Authorization: Bearer <token>``: the legacy CONSOLE_TOKEN (an admin, for the
   transition) or an account's API token (stored as its SHA-256 only);
2. the session cookie ``<name>.<expires>.<hmac>``: HMAC-SHA256 keyed with the server
   secret (CONSOLE_SECRET, else a file under the var dir) over the name, the expiry and
   a key derived from the account's password hash, so a new password ends old sessions;
   the account is read on every request (cached for a second), so a disabled account
   is refused at once;
3. nobody. With no accounts at all and no CONSOLE_TOKEN (development on loopback) the
   console is open and everybody is the admin "local".

Roles include each other: agent < editor < admin (:data:`navigator.accounts.ROLES`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status

from navigator.accounts import Account, AccountStore, Role, StoreError, role_rank
from navigator.console.settings import ConsoleSettings
from navigator.insight.database import describe
from navigator.settings import var_dir

logger = logging.getLogger(__name__)

COOKIE_NAME = "navigator_console"
SECRET_FILE = "console-secret"
LEGACY_NAME = "CONSOLE_TOKEN"  # the name the legacy shared token acts under
OPEN_NAME = "local"  # everybody, when there are no accounts and no token (loopback only)
_UNKNOWN = object()


class LoginRequired(Exception):
    """Raised by page routes when the visitor has no valid session."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


@dataclass(frozen=True)
class Principal:
    """Who a request comes from: an account name, its role and how it proved it."""

    name: str
    role: Role
    via: str  # "session", "token", "legacy-token" or "open"

    def allows(self, role: Role) -> bool:
        """True when this role includes ``role``."""
        return role_rank(self.role) >= role_rank(role)


# -- the server secret


def load_secret(settings: ConsoleSettings, folder: Path | None = None) -> bytes:
    """CONSOLE_SECRET, else the secret in ``folder``/console-secret (the var dir), made
    on first use with mode 600 so that the console processes of one host share it."""
    if settings.secret:
        return settings.secret.encode()
    path = (folder or var_dir()) / SECRET_FILE
    for _ in range(50):
        try:
            text = path.read_text("ascii").strip()
        except FileNotFoundError:
            _create_secret(path)
            continue
        if len(text) >= 32:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
                logger.warning("%s was readable by others: mode set to 600", path)
            return text.encode()
        time.sleep(0.02)  # another process is writing it
    raise RuntimeError(f"cannot read the console secret from {path}")


def _create_secret(path: Path) -> None:
    """Write a new secret to a private temporary file and link it into place: the
    secret appears whole or not at all, and only one process's secret wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(temporary, path)
            logger.info("console secret created in %s (set CONSOLE_SECRET on several hosts)", path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)


def secret(request: Request) -> bytes:
    """The app's signing secret, loaded once."""
    app = request.app
    found: bytes | None = getattr(app.state, "secret", None)
    if found is None:
        found = load_secret(app.state.settings)
        app.state.secret = found
    return found


# -- session cookies


def _sign(key: bytes, name: str, expires: int, session_key: str) -> str:
    message = f"navigator-console-session:v2:{name}:{expires}:{session_key}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def session_value(key: bytes, account: Account, hours: float, now: float | None = None) -> str:
    """A cookie value naming ``account``, valid for ``hours``."""
    expires = int((now or time.time()) + hours * 3600)
    return f"{account.name}.{expires}.{_sign(key, account.name, expires, account.session_key)}"


def session_name(value: str | None) -> str | None:
    """The account name a cookie claims (not yet checked)."""
    if not value:
        return None
    name, _, rest = value.rpartition(".")
    name, _, expires = name.rpartition(".")
    return name if name and expires.isdigit() and len(rest) == 64 else None


def session_valid(
    key: bytes, value: str | None, account: Account | None, now: float | None = None
) -> bool:
    """True for an unexpired cookie of ``account`` (enabled) signed with ``key``."""
    if not value or account is None or account.disabled:
        return False
    head, _, signature = value.rpartition(".")
    name, _, expires_text = head.rpartition(".")
    if name != account.name or not expires_text.isdigit():
        return False
    if int(expires_text) < (now or time.time()):
        return False
    expected = _sign(key, name, int(expires_text), account.session_key)
    return hmac.compare_digest(signature.encode(), expected.encode())


# -- tokens


def token_matches(settings: ConsoleSettings, candidate: str | None) -> bool:
    """Constant-time comparison of a presented token with the legacy CONSOLE_TOKEN."""
    if settings.token is None or not candidate:
        return False
    return hmac.compare_digest(candidate.encode(), settings.token.encode())


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


# -- who is asking


def accounts(request: Request) -> AccountStore:
    """The app's account store."""
    store: AccountStore = request.app.state.accounts
    return store


def _unavailable(exc: BaseException) -> HTTPException:
    logger.warning("account database unavailable: %s", describe(exc))
    return HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "account database unavailable")


def auth_required(request: Request) -> bool:
    """True when CONSOLE_TOKEN is set or any account exists (then nothing is open)."""
    settings: ConsoleSettings = request.app.state.settings
    if settings.token is not None:
        return True
    try:
        return accounts(request).exist()
    except StoreError as exc:
        raise _unavailable(exc) from exc


def _find(request: Request) -> Principal | None:
    settings: ConsoleSettings = request.app.state.settings
    store = accounts(request)
    presented = bearer(request)
    if presented is not None:
        if token_matches(settings, presented):
            return Principal(LEGACY_NAME, "admin", "legacy-token")
        found = store.by_token(presented)
        if found is not None and not found.disabled:
            return Principal(found.name, found.role, "token")
        return None
    cookie = request.cookies.get(COOKIE_NAME)
    name = session_name(cookie)
    if name is not None:
        account = store.get(name)
        if session_valid(secret(request), cookie, account):
            assert account is not None
            return Principal(account.name, account.role, "session")
    if not auth_required(request):
        return Principal(OPEN_NAME, "admin", "open")
    return None


def current(request: Request) -> Principal | None:
    """Who this request comes from (None: nobody); worked out once per request."""
    known = getattr(request.state, "principal", _UNKNOWN)
    if known is not _UNKNOWN:
        return cast("Principal | None", known)
    try:
        found: Principal | None = _find(request)
    except StoreError as exc:
        raise _unavailable(exc) from exc
    request.state.principal = found
    return found


def _forbidden(request: Request, principal: Principal, role: Role) -> HTTPException:
    audit(request, "forbidden", request.url.path, f"needs {role}", principal=principal)
    return HTTPException(status.HTTP_403_FORBIDDEN, f"the {role} role is needed here")


def api_role(role: Role) -> Callable[[Request], Principal]:
    """FastAPI dependency for /api/: 401 with a Bearer challenge without valid
    credentials, 403 when the account's role does not include ``role``."""

    def check(request: Request) -> Principal:
        principal = current(request)
        if principal is None:
            raise HTTPException(
                status_code=status.HTTP_401_UNAUTHORIZED,
                detail="missing or wrong token: send 'Authorization: Bearer <account token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not principal.allows(role):
            raise _forbidden(request, principal, role)
        return principal

    check.__name__ = f"api_role_{role}"
    return check


def page_role(role: Role) -> Callable[[Request], Principal]:
    """Dependency for pages: the login form without a session, 403 for a lesser role."""

    def check(request: Request) -> Principal:
        principal = current(request)
        if principal is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        if not principal.allows(role):
            raise _forbidden(request, principal, role)
        return principal

    check.__name__ = f"page_role_{role}"
    return check


require_api_access = api_role("agent")


def is_authorised(request: Request) -> bool:
    """True when the request may see the agent's pages and API."""
    return current(request) is not None


# -- audit


def audit(
    request: Request,
    action: str,
    target: str = "",
    detail: str = "",
    *,
    principal: Principal | None = None,
    account: str | None = None,
) -> None:
    """Append an audit entry for this request's account (or ``account``).

    For later use by every route that shows a citizen's conversation:
    ``audit(request, "view_conversation", conversation_id)``. Never pass a password,
    a token or the citizen's words; a database that is down is logged, not raised.
    """
    who = account
    if who is None:
        found = principal or getattr(request.state, "principal", None)
        who = found.name if found else ""
    try:
        accounts(request).audit(who, action, target, detail)
    except StoreError as exc:
        logger.warning("audit entry %s not stored: %s", action, describe(exc))


# -- login rate limit


class LoginLimiter:
    """Failed logins per key (an account name, a client address) in a sliding window.

    In memory, per process: several console processes each count their own.
    """

    def __init__(self, attempts: int = 5, window: float = 900.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < self.window]
        if times:
            self._failures[key] = times
        else:
            self._failures.pop(key, None)
        return times

    def wait(self, *keys: str, now: float | None = None) -> float:
        """Seconds until another attempt is allowed for all ``keys`` (0: now)."""
        now = time.time() if now is None else now
        longest = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.attempts:
                    longest = max(longest, times[-self.attempts] + self.window - now)
        return longest

    def fail(self, *keys: str, now: float | None = None) -> None:
        """Count one failed attempt against every key."""
        now = time.time() if now is None else now
        with self._lock:
            if len(self._failures) > 100_000:  # a flood of names: forget the oldest state
                self._failures.clear()
            for key in keys:
                times = self._recent(key, now)
                times.append(now)
                self._failures[key] = times

    def clear(self, key: str) -> None:
        """Forget a key's failures (an account that has just logged in)."""
        with self._lock:
            self._failures.pop(key, None)


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
