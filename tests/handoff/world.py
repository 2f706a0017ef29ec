"""The whole product on loopback, for the handoff tests and benchmark: ``navigator
serve`` (real Rasa, action server, console, Telegram and WhatsApp adapters) against the
local fakes of the Telegram Bot API and Meta's Graph API, with an agent's account."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from navigator.channels.whatsapp.signature import sign
from navigator.settings import PROJECT_ROOT
from tests.channels.fake_graph import PHONE_NUMBER_ID, VERSION, FakeGraph
from tests.channels.fake_graph import TOKEN as GRAPH_TOKEN
from tests.channels.fake_telegram import TOKEN as TELEGRAM_TOKEN
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.servers import ServerThread, free_port
from tests.console.support import AGENT, PASSWORD, add_account
from tests.support.stack import stop

APP_SECRET = "handoff-app-secret"
SECRET = "handoff-console-secret-0123456789-abcdefghijkl"
EDITOR = "dewi"


def _telegram_message(chat_id: int, **fields: Any) -> dict[str, Any]:
    """A private-chat message from a citizen, as the Bot API hands it to the adapter."""
    return {
        "message_id": time.time_ns() % 1_000_000_000,
        "from": {"id": chat_id, "is_bot": False, "first_name": "Warga"},
        "chat": {"id": chat_id, "type": "private", "first_name": "Warga"},
        "date": int(time.time()),
        **fields,
    }


@dataclass
class World:
    """The running stack and the fakes around it."""

    var: Path
    env: dict[str, str]
    rasa: str
    console: str
    whatsapp: str
    telegram: FakeTelegram
    graph: FakeGraph
    token: str  # the agent's API token

    def tell_telegram(self, chat_id: int, text: str) -> None:
        """A citizen's Telegram message, as the Bot API hands it to the adapter."""
        self.telegram.push_update({"message": _telegram_message(chat_id, text=text)})

    def tell_telegram_location(self, chat_id: int, latitude: float, longitude: float) -> None:
        """A citizen shares a location pin on Telegram."""
        location = {"latitude": latitude, "longitude": longitude}
        self.telegram.push_update({"message": _telegram_message(chat_id, location=location)})

    def press_whatsapp(self, wa_id: str, reply_id: str, title: str) -> None:
        """A citizen presses an interactive reply button on WhatsApp."""
        button = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
        self.post_whatsapp(wa_id, {"type": "interactive", "interactive": button})

    def tell_whatsapp(self, wa_id: str, text: str) -> None:
        """A citizen's WhatsApp message, as Meta posts it to the webhook (signed)."""
        self.post_whatsapp(wa_id, {"type": "text", "text": {"body": text}})

    def post_whatsapp(self, wa_id: str, message: dict[str, Any]) -> None:
        """One message notification, signed with the app secret, to the adapter."""
        body = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": PHONE_NUMBER_ID},
                                "contacts": [{"wa_id": wa_id, "profile": {"name": "Warga"}}],
                                "messages": [
                                    {
                                        "from": wa_id,
                                        "id": f"wamid.H{time.time_ns()}",
                                        "timestamp": str(int(time.time())),
                                        **message,
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, APP_SECRET)}
        assert httpx.post(self.whatsapp, content=raw, headers=headers, timeout=5).status_code == 200

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The console's JSON API with the agent's bearer token."""
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.request(method, self.console + path, headers=headers, timeout=10, **kwargs)

    def logs(self) -> str:
        """Everything the stack's processes logged."""
        return "\n".join(p.read_text(errors="replace") for p in (self.var / "log").glob("*.log"))


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"navigator serve exited:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the stack is not up after {timeout:.0f}s")


@contextmanager
def running_world(tmp: Path, extra_env: dict[str, str] | None = None) -> Iterator[World]:
    """``navigator serve`` with both adapters on the fakes and one agent's account
    (and an editor's), all state under ``tmp``; stopped on exit."""
    telegram, graph = FakeTelegram(), FakeGraph()
    tg_server, graph_server = ServerThread(telegram.app).start(), ServerThread(graph.app).start()
    ports = {name: free_port() for name in ("rasa", "actions", "console", "whatsapp")}
    drop = ("CONSOLE_", "TELEGRAM_", "WHATSAPP_", "HANDOFF_", "RASA_URL", "RASA_AUTH")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env = {
        k: v for k, v in env.items() if k not in ("NAVIGATOR_DATABASE_URL", "NAVIGATOR_REDIS_URL")
    }
    env.update(
        NAVIGATOR_VAR=str(tmp / "var"),
        NAVIGATOR_INDEX_DIR=os.environ.get(
            "NAVIGATOR_INDEX_DIR", str(PROJECT_ROOT / "var" / "index")
        ),
        RASA_PORT=str(ports["rasa"]),
        ACTIONS_PORT=str(ports["actions"]),
        CONSOLE_PORT=str(ports["console"]),
        CONSOLE_SECRET=SECRET,
        CONSOLE_COOKIE_SECURE="1",
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_API_BASE_URL=f"{tg_server.url}/bot",
        TELEGRAM_POLL_TIMEOUT="1",
        WHATSAPP_ACCESS_TOKEN=GRAPH_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN="handoff-verify",
        WHATSAPP_API_BASE_URL=f"{graph_server.url}/{VERSION}",
        WHATSAPP_PORT=str(ports["whatsapp"]),
        HANDOFF_HOURS="always",  # the suite runs at any hour; office hours have unit tests
        HF_HUB_OFFLINE="1",
        RASA_TELEMETRY_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    (tmp / "var").mkdir()
    token = add_account(env, AGENT, "agent", PASSWORD)["token"]
    add_account(env, EDITOR, "editor", PASSWORD)
    log = tmp / "serve.log"
    argv = [sys.executable, "-m", "navigator.cli", "serve", "--rasa-workers", "1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait(f"http://127.0.0.1:{ports['rasa']}/status", process, log, 300)
        _wait(f"http://127.0.0.1:{ports['console']}/api/health", process, log, 120)
        _wait(f"http://127.0.0.1:{ports['whatsapp']}/healthz", process, log, 60)
        yield World(
            var=tmp / "var",
            env=env,
            rasa=f"http://127.0.0.1:{ports['rasa']}",
            console=f"http://127.0.0.1:{ports['console']}",
            whatsapp=f"http://127.0.0.1:{ports['whatsapp']}/webhook",
            telegram=telegram,
            graph=graph,
            token=token,
        )
    finally:
        stop(process, 40)
        telegram.closing = True
        tg_server.stop()
        graph_server.stop()
