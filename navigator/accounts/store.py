"""Console accounts: argon2 password hashes, hashed API tokens, roles, the audit log.

Passwords are hashed with argon2id (``argon2-cffi``); an API token is 32 random bytes
shown once, of which only the SHA-256 is stored. Nothing here logs a password, a token
or a hash. The audit log holds who did what to which target, never a citizen's words:
targets and details are masked (:func:`navigator.privacy.mask`) and clipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from navigator import migrations
from navigator.accounts.schema import accounts, audit
from navigator.insight.database import configured_engine
from navigator.privacy import mask

Role = Literal["agent", "editor", "admin"]
ROLES: tuple[Role, ...] = ("agent", "editor", "admin")  # each includes the ones before it
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
TOKEN_PREFIX = "nav_"
CACHE_SECONDS = 1.0  # how long a looked-up account is reused (a disable takes effect after)
StoreError = SQLAlchemyError

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, t=3, p=4)


class AccountError(ValueError):
    """A bad name, role or password, or an account that exists / does not exist."""


@dataclass(frozen=True)
class Account:
    """One console account (its hashes stay inside the store, except the session key)."""

    name: str
    role: Role
    disabled: bool
    created: float
    last_login: float | None
    session_key: str  # derived from the password hash: a new password ends old sessions

    def allows(self, role: Role) -> bool:
        """True when this account's role includes ``role``."""
        return role_rank(self.role) >= role_rank(role)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    at: float
    account: str
    action: str
    target: str
    detail: str

    def to_dict(self) -> dict[str, object]:
        """For ``--json`` and the API."""
        return {
            "at": self.at,
            "account": self.account,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
        }


def role_rank(role: str) -> int:
    """0 agent, 1 editor, 2 admin; -1 for anything else."""
    return ROLES.index(role) if role in ROLES else -1  # type: ignore[arg-type]


def check_name(name: str) -> str:
    """The account name, lower-cased; AccountError unless 2-64 of a-z 0-9 . _ -."""
    normal = name.strip().lower()
    if not NAME_PATTERN.fullmatch(normal):
        raise AccountError(
            "account names are 2-64 characters: a-z, 0-9, '.', '_', '-' (starting with a letter or digit)"
        )
    return normal


def check_password(password: str) -> str:
    """The password; AccountError when shorter than MIN_PASSWORD or absurdly long."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"passwords are {MIN_PASSWORD} to {MAX_PASSWORD} characters long")
    return password


def new_password() -> str:
    """A generated password (20 URL-safe characters, 120 bits)."""
    return secrets.token_urlsafe(15)


def new_token() -> str:
    """A bearer token: ``nav_`` and 32 random bytes, URL-safe."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _session_key(password_hash: str) -> str:
    return hashlib.sha256(b"navigator-session-key:" + password_hash.encode()).hexdigest()


def _clip(text: str | None, limit: int) -> str:
    return mask(text or "")[:limit]


class AccountStore:
    """Accounts and audit entries in the insight store's database.

    ``engine`` is shared with the insight store when given; otherwise ``path`` (a SQLite
    file), ``url``, NAVIGATOR_DATABASE_URL or the default SQLite file, as for the insight
    store. The migrations run on first use.
    """

    def __init__(
        self,
        engine: sa.Engine | None = None,
        *,
        path: Path | None = None,
        url: str | None = None,
    ) -> None:
        self._own_engine = engine is None
        self._engine = engine if engine is not None else configured_engine(path, url)
        self._schema = migrations.OnFirstUse(self._engine)
        self._cache: dict[str, tuple[float, Account | None]] = {}
        self._any: tuple[float, bool] | None = None
        self._dummy_hash: str | None = None

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine."""
        return self._engine

    def _ready(self) -> sa.Engine:
        """The engine, once the schema is at the newest migration."""
        return self._schema.ready()

    def _forget(self, name: str | None = None) -> None:
        if name is None:
            self._cache.clear()
        else:
            self._cache.pop(name, None)
        self._any = None

    # -- reading

    @staticmethod
    def _account(row: sa.Row[tuple[object, ...]]) -> Account:
        m = row._mapping
        return Account(
            name=str(m["name"]),
            role=m["role"] if m["role"] in ROLES else "agent",  # type: ignore[typeddict-item]
            disabled=bool(m["disabled"]),
            created=float(m["created"]),  # type: ignore[arg-type]
            last_login=float(m["last_login"]) if m["last_login"] is not None else None,  # type: ignore[arg-type]
            session_key=_session_key(str(m["password_hash"])),
        )

    def get(self, name: str, *, fresh: bool = False) -> Account | None:
        """The account called ``name`` (cached for CACHE_SECONDS unless ``fresh``)."""
        key = name.strip().lower()
        now = time.monotonic()
        cached = self._cache.get(key)
        if not fresh and cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        with self._ready().connect() as connection:
            row = connection.execute(sa.select(accounts).where(accounts.c.name == key)).first()
        found = self._account(row) if row is not None else None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now, found)
        return found

    def all_accounts(self) -> list[Account]:
        """Every account, by name."""
        with self._ready().connect() as connection:
            rows = connection.execute(sa.select(accounts).order_by(accounts.c.name)).all()
        return [self._account(r) for r in rows]

    def exist(self) -> bool:
        """True when at least one account exists (enabled or not); cached briefly."""
        now = time.monotonic()
        if self._any is not None and now - self._any[0] < CACHE_SECONDS:
            return self._any[1]
        with self._ready().connect() as connection:
            found = connection.execute(sa.select(accounts.c.id).limit(1)).first() is not None
        self._any = (now, found)
        return found

    def by_token(self, token: str) -> Account | None:
        """The enabled or disabled account whose API token this is."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = token_hash(token)
        with self._ready().connect() as connection:
            row = connection.execute(
                sa.select(accounts).where(accounts.c.token_hash == digest)
            ).first()
        if row is None or not hmac.compare_digest(str(row._mapping["token_hash"]), digest):
            return None
        return self._account(row)

    def verify(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is its password (disabled or not); else None.

        An unknown name costs the same argon2 work as a known one.
        """
        try:
            key = check_name(name)
        except AccountError:
            key = None
        row = None
        if key is not None:
            with self._ready().connect() as connection:
                row = connection.execute(sa.select(accounts).where(accounts.c.name == key)).first()
        if row is None:
            if self._dummy_hash is None:
                self._dummy_hash = _hasher.hash(new_password())
            with contextlib.suppress(VerificationError):
                _hasher.verify(self._dummy_hash, password[:MAX_PASSWORD])
            return None
        stored = str(row._mapping["password_hash"])
        try:
            _hasher.verify(stored, password[:MAX_PASSWORD])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(stored):
            with self._ready().begin() as connection:
                connection.execute(
                    sa.update(accounts)
                    .where(accounts.c.name == key)
                    .values(password_hash=_hasher.hash(password))
                )
        return self._account(row)

    # -- changing

    def add(self, name: str, role: str, password: str) -> str:
        """Create an account; returns its API token (shown once, only its hash is kept)."""
        key = check_name(name)
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        check_password(password)
        token = new_token()
        row = {
            "name": key,
            "role": role,
            "password_hash": _hasher.hash(password),
            "token_hash": token_hash(token),
            "disabled": False,
            "created": time.time(),
            "last_login": None,
        }
        try:
            with self._ready().begin() as connection:
                connection.execute(sa.insert(accounts).values(row))
        except IntegrityError as exc:
            raise AccountError(f"an account {key!r} exists already") from exc
        self._forget(key)
        return token

    def _update(self, name: str, **values: object) -> None:
        key = check_name(name)
        with self._ready().begin() as connection:
            done = connection.execute(
                sa.update(accounts).where(accounts.c.name == key).values(**values)
            )
        self._forget(key)
        if done.rowcount == 0:
            raise AccountError(f"no account {key!r}")

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable (every session and the token stop working at once) or enable."""
        self._update(name, disabled=disabled)

    def set_role(self, name: str, role: str) -> None:
        """Change the account's role."""
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        self._update(name, role=role)

    def reset_password(self, name: str, password: str) -> None:
        """A new password; the account's sessions end."""
        self._update(name, password_hash=_hasher.hash(check_password(password)))

    def reset_token(self, name: str) -> str:
        """A new API token (the old one stops working); returns it, once."""
        token = new_token()
        self._update(name, token_hash=token_hash(token))
        return token

    def touch_login(self, name: str) -> None:
        """Record the time of a successful login."""
        self._update(name, last_login=time.time())

    # -- audit

    def audit(self, account: str, action: str, target: str = "", detail: str = "") -> None:
        """Append one audit entry: who (an account name), what, to which target.

        Never pass a password, token or a citizen's words; target and detail are
        masked anyway (NIK, phone numbers, e-mail addresses) and clipped.
        """
        row = {
            "at": time.time(),
            "account": _clip(account, 64),
            "action": _clip(action, 64),
            "target": _clip(target, 200),
            "detail": _clip(detail, 500),
        }
        with self._ready().begin() as connection:
            connection.execute(sa.insert(audit).values(row))

    def audit_log(
        self, since: float | None = None, limit: int = 1000, account: str | None = None
    ) -> list[AuditEntry]:
        """Entries since the time ``since`` (epoch seconds), oldest first, the newest ``limit``."""
        a = audit.c
        stmt = sa.select(a.at, a.account, a.action, a.target, a.detail)
        if since is not None:
            stmt = stmt.where(a.at >= since)
        if account is not None:
            stmt = stmt.where(a.account == account)
        stmt = stmt.order_by(a.id.desc()).limit(limit)
        with self._ready().connect() as connection:
            rows = connection.execute(stmt).all()
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4]) for r in reversed(rows)]

    def close(self) -> None:
        """Dispose of the engine if this store made it."""
        if self._own_engine:
            self._engine.dispose()
