"""Run one command of the stack and take its whole process group down with it.

``navigator serve`` starts each child as ``python -m navigator.commands.leash CMD ...``
in a process group of its own. The kernel sends the leash SIGTERM when the supervisor
dies, however it dies (``prctl(PR_SET_PDEATHSIG)``, set by the supervisor before the
leash runs); the leash then asks the whole group to stop, again each second (a Sanic
worker still starting up swallows the first SIGTERM), and kills what is left after a
grace time. Rasa's workers are grandchildren of the supervisor: without the leash they
would outlive it and keep answering for a stack nobody watches.

Written here because the standard library and psutil stop one process, not a group
left behind by a parent that was killed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from types import FrameType

GRACE = 10.0  # seconds between the first SIGTERM and SIGKILL
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """A ``preexec_fn``: SIGTERM to the new process when its parent dies, however it dies
    (even SIGKILL). Linux only; elsewhere the leash notices that its parent is gone
    within half a second. Runs after a ``user=`` switch, which would clear it."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def main(argv: list[str]) -> int:
    """Run ``argv``; stop its process group on SIGTERM/SIGINT or when the parent is gone."""
    if not argv:
        print("usage: python -m navigator.commands.leash CMD [ARG ...]", file=sys.stderr)
        return 2
    parent = os.getppid()
    asked: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        asked.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    child = subprocess.Popen(argv)  # same process group: the leash leads it
    stop_at: float | None = None
    while True:
        try:
            return child.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
        if stop_at is None and (asked or os.getppid() != parent):
            stop_at = time.monotonic() + GRACE
        if stop_at is not None:
            if time.monotonic() >= stop_at:
                os.killpg(os.getpgrp(), signal.SIGKILL)  # the leash goes with its group
            _signal_group(signal.SIGTERM)


def _signal_group(sig: signal.Signals) -> None:
    """Signal every process of the leash's group but the leash itself."""
    previous = signal.signal(sig, signal.SIG_IGN) if sig != signal.SIGKILL else None
    try:
        os.killpg(os.getpgrp(), sig)
    finally:
        if previous is not None:
            signal.signal(sig, previous)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
