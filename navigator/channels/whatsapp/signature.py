"""``X-Hub-Signature-256``: HMAC-SHA256 of the raw body with the app secret."""

from __future__ import annotations

import hashlib
import hmac
from enum import Enum

SIGNATURE_HEADER = "X-Hub-Signature-256"


class Verdict(Enum):
    """The outcome of checking a webhook post's signature."""

    VALID = "valid"
    MISSING = "missing"
    INVALID = "invalid"


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for ``body``: ``sha256=<hex digest>``."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(body: bytes, header: str | None, app_secret: str) -> Verdict:
    """Check ``header`` against ``body`` in constant time."""
    if not header:
        return Verdict.MISSING
    expected = sign(body, app_secret).encode()
    given = header.strip().lower().encode("latin-1", errors="replace")
    return Verdict.VALID if hmac.compare_digest(expected, given) else Verdict.INVALID
