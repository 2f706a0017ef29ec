"""Exit with status 0 after a graceful stop on SIGTERM.

uvicorn handles SIGTERM itself while serving (stop accepting, finish lifespan), then
re-raises the signal under the handler that was installed before. With Python's default
handler that kills the process before ``finally`` blocks run and reports -15; with this
one it unwinds normally, closing clients and the store, and exits 0.
"""

from __future__ import annotations

import signal
from types import FrameType


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def exit_cleanly_on_sigterm() -> None:
    """Make SIGTERM unwind the program as ``SystemExit(0)``."""
    signal.signal(signal.SIGTERM, _exit)
