#!/usr/bin/env python
"""Handoff latency, end to end on loopback: citizen → agent's page, agent → channel.

It starts the whole product (``navigator serve``: Rasa, action server, console, Telegram
and WhatsApp adapters) against the local fakes of the Telegram Bot API and the Graph API
(:mod:`tests.handoff.world`), puts a Telegram and a WhatsApp conversation in the queue
the way citizens do, claims them through the JSON API, and measures:

- **citizen → page**: from the moment a citizen's Telegram message is handed to the
  Bot API (the fake's ``getUpdates``) until it arrives as a ``line`` event on the
  conversation's server-sent-event stream, which the agent's page listens to. The path
  is the adapter's long poll, Rasa (NLU, tracker store; the bot stays silent), and the
  console's poll of the tracker (``HANDOFF_POLL_SECONDS``).
- **agent → channel**: from the agent's ``POST /api/handoffs/{id}/messages`` until the
  fake Bot API (or Graph API) has the message.

Messages go one at a time at a chat's pace (``--gap`` seconds apart on average; the adapter's
per-citizen rate limit is raised for the run). Prints a table
and, with ``--json``, one JSON object.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_handoff.py [--messages 40]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_channels import percentile  # noqa: E402
from tests.channels.servers import wait_until  # noqa: E402
from tests.handoff.world import World, running_world  # noqa: E402

PACE = random.Random(13)  # the gaps between messages vary, the same way every run
TELEGRAM_CHAT = 700_000_901
WA_ID = "6281299900901"


class Listener(threading.Thread):
    """Reads a handoff's event stream; notes when each citizen line arrived."""

    def __init__(self, world: World, handoff_id: str, after: int) -> None:
        super().__init__(daemon=True)
        self.url = f"{world.console}/api/handoffs/{handoff_id}/stream?after={after}"
        self.headers = {"Authorization": f"Bearer {world.token}"}
        self.arrived: dict[str, float] = {}
        self.stop = False

    def run(self) -> None:
        with httpx.stream("GET", self.url, headers=self.headers, timeout=None) as response:
            kind = ""
            for raw in response.iter_lines():
                if self.stop:
                    return
                if raw.startswith("event: "):
                    kind = raw[len("event: ") :]
                elif raw.startswith("data: ") and kind == "line":
                    line = json.loads(raw[len("data: ") :])
                    if line["from"] == "citizen":
                        self.arrived.setdefault(line["text"], time.monotonic())


def queue_and_claim(world: World, channel: str, ask: Any) -> dict[str, Any]:
    """Ask for a person on ``channel``; claim the conversation; its transcript."""
    world.api("GET", "/api/handoffs")  # the agent is online
    ask()

    def found() -> dict[str, Any] | None:
        waiting = [h for h in world.api("GET", "/api/handoffs").json() if h["channel"] == channel]
        return waiting[0] if waiting else None

    handoff = wait_until(found, 60)
    assert world.api("POST", f"/api/handoffs/{handoff['id']}/claim").status_code == 200
    detail: dict[str, Any] = world.api("GET", f"/api/handoffs/{handoff['id']}").json()
    return detail


def citizen_to_page(world: World, handoff: dict[str, Any], n: int, gap: float) -> list[float]:
    after = handoff["transcript"][-1]["index"] if handoff["transcript"] else -1
    listener = Listener(world, handoff["id"], after)
    listener.start()
    time.sleep(1.0)  # the stream is open
    waits = []
    for i in range(n):
        text = f"pesan warga nomor {i} untuk petugas"
        started = time.monotonic()
        world.tell_telegram(TELEGRAM_CHAT, text)
        arrived = wait_until(lambda t=text: listener.arrived.get(t), 30, 0.002)
        waits.append(arrived - started)
        time.sleep(gap * PACE.uniform(0.5, 1.5))  # no lock-step with the console's poll
    listener.stop = True
    return waits


def agent_to_channel(
    world: World, handoff_id: str, n: int, gap: float, arrivals: Any
) -> list[float]:
    waits = []
    for i in range(n):
        text = f"balasan petugas nomor {i}"
        started = time.monotonic()
        response = world.api("POST", f"/api/handoffs/{handoff_id}/messages", json={"text": text})
        assert response.status_code == 200, response.text
        waits.append(wait_until(lambda t=text: arrivals(t), 30, 0.002) - started)
        time.sleep(gap * PACE.uniform(0.5, 1.5))
    return waits


def telegram_arrival(world: World) -> Any:
    def arrival(text: str) -> float | None:
        for params, at in world.telegram.call_times("sendMessage"):
            if params.get("text") == text:
                return at
        return None

    return arrival


def whatsapp_arrival(world: World) -> Any:
    def arrival(text: str) -> float | None:
        for payload, at in world.graph.sent_times():
            if payload.get("type") == "text" and payload["text"]["body"] == text:
                return at
        return None

    return arrival


def summary(waits: list[float]) -> dict[str, float]:
    ms = [w * 1000 for w in waits]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=40, help="messages per direction")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between messages")
    parser.add_argument("--poll", type=float, default=None, help="HANDOFF_POLL_SECONDS")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    extra = {"TELEGRAM_RATE_LIMIT_PER_MINUTE": "6000", "TELEGRAM_RATE_LIMIT_BURST": "100"}
    if args.poll is not None:
        extra["HANDOFF_POLL_SECONDS"] = str(args.poll)
    with (
        tempfile.TemporaryDirectory(prefix="bench-handoff-") as tmp,
        running_world(Path(tmp), extra) as world,
    ):
        telegram = queue_and_claim(
            world,
            "telegram",
            lambda: world.tell_telegram(TELEGRAM_CHAT, "saya mau bicara dengan petugas"),
        )
        whatsapp = queue_and_claim(
            world, "whatsapp", lambda: world.tell_whatsapp(WA_ID, "tolong sambungkan ke petugas")
        )
        results = {
            "citizen_to_page": summary(citizen_to_page(world, telegram, args.messages, args.gap)),
            "agent_to_telegram": summary(
                agent_to_channel(
                    world, telegram["id"], args.messages, args.gap, telegram_arrival(world)
                )
            ),
            "agent_to_whatsapp": summary(
                agent_to_channel(
                    world, whatsapp["id"], args.messages, args.gap, whatsapp_arrival(world)
                )
            ),
            "poll_s": args.poll if args.poll is not None else 0.25,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        }
    if args.json:
        print(json.dumps(results))
        return 0
    print(f"handoff latency ({results['machine']}, tracker poll {results['poll_s']} s)")
    print(f"{'path':<22} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for path in ("citizen_to_page", "agent_to_telegram", "agent_to_whatsapp"):
        row = results[path]
        assert isinstance(row, dict)
        print(f"{path:<22} {row['n']:>4} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
