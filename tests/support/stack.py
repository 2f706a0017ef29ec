"""An embedded stack (``navigator serve --no-console``) on free ports, for comparisons."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from navigator.cluster.servers import free_port
from navigator.settings import PROJECT_ROOT


@contextmanager
def embedded_stack(var: Path, timeout: float = 300.0) -> Iterator[str]:
    """Rasa's base URL of a stack with the embedded SQLite stores in ``var``."""
    rasa_port, actions_port = free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NAVIGATOR_DATABASE_URL", "NAVIGATOR_REDIS_URL")
    }
    env.update(
        NAVIGATOR_VAR=str(var),
        NAVIGATOR_INDEX_DIR=os.environ.get(
            "NAVIGATOR_INDEX_DIR", str(PROJECT_ROOT / "var" / "index")
        ),
    )
    argv = [sys.executable, "-m", "navigator.cli", "serve", "--no-console", "--rasa-workers", "1"]
    argv += ["--rasa-port", str(rasa_port), "--actions-port", str(actions_port)]
    log = open(var / "serve.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        argv, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{rasa_port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"navigator serve exited early; see {var / 'serve.log'}")
            try:
                if httpx.get(f"{base}/status", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the embedded stack is not up after {timeout:.0f}s")
            time.sleep(1)
        yield base
    finally:
        stop(process, 30)
        log.close()


def stop(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM (``navigator serve`` stops its children), SIGKILL after ``grace`` seconds."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
