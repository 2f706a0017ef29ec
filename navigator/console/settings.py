"""Console settings read once from the environment at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ConsoleConfigError(RuntimeError):
    """The console cannot start with these settings; the message says what to set."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class ConsoleSettings:
    """Where the console listens and how it checks access."""

    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    cookie_secure: bool = True
    session_hours: float = 12.0
    secret: str | None = None  # CONSOLE_SECRET; unset: a file under the var dir
    login_attempts: int = 5  # failed logins per account name and per address ...
    login_window_minutes: float = 15.0  # ... in this many minutes, then 429

    @classmethod
    def from_env(cls) -> ConsoleSettings:
        """Read CONSOLE_HOST, _PORT, _TOKEN, _SECRET, _COOKIE_SECURE, _SESSION_HOURS,
        _LOGIN_ATTEMPTS and _LOGIN_WINDOW_MINUTES."""
        port_text = os.environ.get("CONSOLE_PORT", "8000")
        hours_text = os.environ.get("CONSOLE_SESSION_HOURS", "12")
        attempts_text = os.environ.get("CONSOLE_LOGIN_ATTEMPTS", "5")
        window_text = os.environ.get("CONSOLE_LOGIN_WINDOW_MINUTES", "15")
        try:
            port = int(port_text)
            hours = float(hours_text)
            attempts = int(attempts_text)
            window = float(window_text)
        except ValueError as exc:
            raise ConsoleConfigError(
                f"CONSOLE_PORT and CONSOLE_LOGIN_ATTEMPTS must be whole numbers, "
                f"CONSOLE_SESSION_HOURS and CONSOLE_LOGIN_WINDOW_MINUTES numbers "
                f"(got {port_text!r}, {attempts_text!r}, {hours_text!r}, {window_text!r})"
            ) from exc
        if attempts < 1 or window <= 0:
            raise ConsoleConfigError(
                "CONSOLE_LOGIN_ATTEMPTS must be at least 1 and CONSOLE_LOGIN_WINDOW_MINUTES positive"
            )
        if not 0 < port < 65536:
            raise ConsoleConfigError(f"CONSOLE_PORT {port} is not a TCP port")
        return cls(
            host=os.environ.get("CONSOLE_HOST", "127.0.0.1").strip() or "127.0.0.1",
            port=port,
            token=os.environ.get("CONSOLE_TOKEN", "").strip() or None,
            cookie_secure=_flag(os.environ.get("CONSOLE_COOKIE_SECURE"), True),
            session_hours=hours,
            secret=os.environ.get("CONSOLE_SECRET", "").strip() or None,
            login_attempts=attempts,
            login_window_minutes=window,
        )

    @property
    def auth_required(self) -> bool:
        """True when the legacy token is set. Accounts in the database also make the
        console require a login: :func:`navigator.console.auth.auth_required` asks both."""
        return self.token is not None

    def check(self, accounts: bool = False) -> None:
        """Refuse an open console on a public interface (no accounts, no token); a short
        token or secret is refused too."""
        if self.token is None and not accounts and self.host not in LOOPBACK_HOSTS:
            raise ConsoleConfigError(
                f"CONSOLE_TOKEN is not set and there are no accounts: the console only "
                f"starts on 127.0.0.1/localhost without them (asked for {self.host}). "
                f"Create one with `navigator agents add NAME --role admin`."
            )
        if self.token is not None and len(self.token) < 12:
            raise ConsoleConfigError("CONSOLE_TOKEN is too short: use at least 12 characters")
        if self.secret is not None and len(self.secret) < 32:
            raise ConsoleConfigError("CONSOLE_SECRET is too short: use at least 32 characters")
