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

    @classmethod
    def from_env(cls) -> ConsoleSettings:
        """Read CONSOLE_HOST, _PORT, _TOKEN, _COOKIE_SECURE and _SESSION_HOURS."""
        port_text = os.environ.get("CONSOLE_PORT", "8000")
        hours_text = os.environ.get("CONSOLE_SESSION_HOURS", "12")
        try:
            port = int(port_text)
            hours = float(hours_text)
        except ValueError as exc:
            raise ConsoleConfigError(
                f"CONSOLE_PORT must be a whole number and CONSOLE_SESSION_HOURS a number "
                f"(got {port_text!r}, {hours_text!r})"
            ) from exc
        if not 0 < port < 65536:
            raise ConsoleConfigError(f"CONSOLE_PORT {port} is not a TCP port")
        return cls(
            host=os.environ.get("CONSOLE_HOST", "127.0.0.1").strip() or "127.0.0.1",
            port=port,
            token=os.environ.get("CONSOLE_TOKEN", "").strip() or None,
            cookie_secure=_flag(os.environ.get("CONSOLE_COOKIE_SECURE"), True),
            session_hours=hours,
        )

    @property
    def auth_required(self) -> bool:
        """True when a token is set: every page and API call then needs it."""
        return self.token is not None

    def check(self) -> None:
        """Refuse an open console on a public interface; a short token is refused too."""
        if self.token is None and self.host not in LOOPBACK_HOSTS:
            raise ConsoleConfigError(
                f"CONSOLE_TOKEN is not set: the console only starts on 127.0.0.1/localhost "
                f"without it (asked for {self.host}). Set CONSOLE_TOKEN to a long random secret."
            )
        if self.token is not None and len(self.token) < 12:
            raise ConsoleConfigError("CONSOLE_TOKEN is too short: use at least 12 characters")
