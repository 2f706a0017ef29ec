"""Split long replies into chunks a platform accepts, without breaking words.

Lengths are counted in UTF-16 code units, as Telegram counts them; for WhatsApp this is
a safe over-estimate. Splits prefer a blank line, then a line break, then the end of a
sentence, then any space; only a single word longer than the limit is cut inside.
"""

from __future__ import annotations

import re
from collections.abc import Callable

TELEGRAM_TEXT_LIMIT = 4096
WHATSAPP_TEXT_LIMIT = 4096

_SEPARATORS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?;:])\s+"),
    re.compile(r"\s+"),
)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (characters outside the BMP count twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _fitting_prefix(text: str, limit: int, length: Callable[[str], int]) -> int:
    """The largest index ``i`` with ``length(text[:i]) <= limit``."""
    if length(text) <= limit:
        return len(text)
    lo, hi = 0, min(len(text), limit)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if length(text[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _cut(window: str) -> tuple[int, int] | None:
    """Where to end this chunk and start the next, at the best separator in ``window``.

    A stronger separator wins when it leaves the chunk at least half full; otherwise the
    latest separator of any kind is used, so chunks stay large.
    """
    latest: tuple[int, int] | None = None
    for pattern in _SEPARATORS:
        matches = [m for m in pattern.finditer(window) if m.start() > 0]
        if not matches:
            continue
        last = matches[-1]
        if last.start() >= len(window) // 2:
            return last.start(), last.end()
        if latest is None or last.start() > latest[0]:
            latest = (last.start(), last.end())
    return latest


def split_text(text: str, limit: int, length: Callable[[str], int] = utf16_len) -> list[str]:
    """``text`` as chunks of at most ``limit`` units, split at natural boundaries."""
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[str] = []
    rest = text.strip()
    while rest:
        fit = max(1, _fitting_prefix(rest, limit, length))
        if fit == len(rest):
            chunks.append(rest)
            break
        # Include the next character so a separator right after the window counts.
        cut = _cut(rest[: fit + 1])
        end, start = cut if cut else (fit, fit)
        chunks.append(rest[:end].rstrip())
        rest = rest[start:].lstrip()
    return [c for c in chunks if c]
