"""Helpers of the reminder integration tests: the command as a child process, its
environment, and a tiny fake of Rasa's tracker endpoint."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.channels import fake_graph, fake_telegram
from tests.channels.servers import NAVIGATOR, REPO_ROOT

TRACKER = REPO_ROOT / "tests" / "bot" / "fixtures" / "trackers" / "greet_en.json"


def reminders_command() -> list[str]:
    """``navigator reminders`` once the command line has it, else the module itself."""
    from navigator import cli

    if any(m.__name__ == "navigator.commands.reminders" for m in cli.COMMAND_MODULES):
        return [str(NAVIGATOR), "reminders"]
    return [sys.executable, "-m", "navigator.commands.reminders"]


def reminder_env(db: Path, **extra: str) -> dict[str, str]:
    """An environment that touches nothing outside the test's folder: SQLite ``db``, no
    PostgreSQL, the fakes' credentials."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NAVIGATOR_INSIGHT_DB": str(db),
        "NAVIGATOR_VAR": str(db.parent / "var"),
        "TELEGRAM_BOT_TOKEN": fake_telegram.TOKEN,
        "WHATSAPP_ACCESS_TOKEN": fake_graph.TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": fake_graph.PHONE_NUMBER_ID,
    }
    env.update(extra)
    return env


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """``navigator reminders ARGS`` as a child process, output captured."""
    return subprocess.Popen(
        [*reminders_command(), *args],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> dict[str, Any]:
    """Run the command to its end; its one-line JSON report (or list)."""
    child = start(args, env)
    out, err = child.communicate(timeout=timeout)
    assert child.returncode == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    found: dict[str, Any] = json.loads(lines[0])
    return found


class FakeRasaTracker:
    """``GET /conversations/{sender}/tracker`` as Rasa 3.6 answers it (the recorded tracker
    of ``tests/bot/fixtures``, its user message moved to when the test says); nothing
    else. A sender it was not told about gets Rasa's answer for a new conversation (no
    events); ``broken`` senders get a 500."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_message: dict[str, float] = {}
        self.broken: set[str] = set()
        self.requests: list[str] = []
        self.app = Starlette(
            routes=[Route("/conversations/{sender}/tracker", self._tracker, methods=["GET"])]
        )

    def wrote_at(self, sender: str, at: float) -> None:
        """The citizen's last message was at ``at`` (epoch seconds)."""
        with self._lock:
            self._last_message[sender] = at

    async def _tracker(self, request: Request) -> JSONResponse:
        sender = request.path_params["sender"]
        with self._lock:
            self.requests.append(sender)
            at = self._last_message.get(sender)
        if sender in self.broken:
            return JSONResponse({"error": "tracker store unavailable"}, status_code=500)
        tracker = copy.deepcopy(json.loads(TRACKER.read_text("utf-8")))
        tracker["sender_id"] = sender
        if at is None:
            tracker.update(events=[], latest_message={}, latest_event_time=None)
            return JSONResponse(tracker)
        shift = at - max(e["timestamp"] for e in tracker["events"] if e["event"] == "user")
        for event in tracker["events"]:
            event["timestamp"] += shift
        tracker["latest_event_time"] = max(e["timestamp"] for e in tracker["events"])
        return JSONResponse(tracker)
