"""Benchmark the chat adapters with Rasa faked: latency and webhook throughput.

Starts a fake Rasa REST channel, a fake Graph API and a fake Telegram Bot API on
loopback ports (in a child process of their own), then each adapter as a real process
(``.venv/bin/navigator whatsapp`` / ``telegram`` in webhook mode), and prints:

- webhook-to-reply latency, p50/p95: from posting a signed webhook until the fake
  platform API receives the reply (sequential messages, one citizen each);
- WhatsApp webhook posts per second accepted (HTTP 200) by one adapter process under
  concurrent load, and how long the replies took to catch up.

Run from the repository root::

    .venv/bin/python benchmarks/bench_channels.py [--latency-messages 300] [--posts 3000]

The load generator, the fakes and the adapter share one machine: the figures are a
floor for the adapter, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from navigator.channels.whatsapp.signature import sign  # noqa: E402
from tests.channels.fake_graph import PHONE_NUMBER_ID, VERSION, FakeGraph  # noqa: E402
from tests.channels.fake_graph import TOKEN as GRAPH_TOKEN  # noqa: E402
from tests.channels.fake_rasa import FakeRasa  # noqa: E402
from tests.channels.fake_telegram import TOKEN as BOT_TOKEN  # noqa: E402
from tests.channels.fake_telegram import FakeTelegram  # noqa: E402
from tests.channels.servers import AdapterProcess, ServerThread, free_port, wait_until  # noqa: E402

APP_SECRET = "bench-app-secret"
TELEGRAM_SECRET = "bench_secret"
FIXTURES = ROOT / "tests" / "fixtures"


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def whatsapp_body(wa_id: str, words: str) -> bytes:
    data = json.loads((FIXTURES / "whatsapp" / "text.json").read_text())
    value = data["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = wa_id
    value["messages"][0].update(
        {"from": wa_id, "id": f"wamid.BENCH{uuid.uuid4().hex}", "text": {"body": words}}
    )
    return json.dumps(data).encode()


def telegram_body(chat_id: int, words: str, update_id: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "telegram" / "message_text.json").read_text())
    data["update_id"] = update_id
    data["message"]["chat"]["id"] = chat_id
    data["message"]["from"]["id"] = chat_id
    data["message"]["text"] = words
    return data


async def arrival(client: httpx.AsyncClient, url: str) -> float:
    """Ask a fake when the reply arrived (``time.monotonic`` is system-wide on Linux)."""
    response = await client.get(url)
    response.raise_for_status()
    return float(response.json()["at"])


async def whatsapp_latency(url: str, graph_url: str, n: int, first: int) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(timeout=15) as client:
        for i in range(first, first + n):
            wa_id = f"62813{i:08d}"
            body = whatsapp_body(wa_id, "akta kelahiran")
            headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
            start = time.monotonic()
            response = await client.post(url, content=body, headers=headers)
            response.raise_for_status()
            arrived = await arrival(client, f"{graph_url}/_fake/wait?to={wa_id}")
            latencies.append((arrived - start) * 1000)
    return latencies


async def whatsapp_throughput(
    url: str, graph_url: str, posts: int, concurrency: int
) -> tuple[float, float, int, list[float]]:
    bodies = [whatsapp_body(f"62814{i:08d}", "bikin KTP") for i in range(posts)]
    signed = [(body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}) for body in bodies]
    accepted = 0
    acks: list[float] = []

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal accepted
        while signed:
            body, headers = signed.pop()
            sent = time.monotonic()
            response = await client.post(url, content=body, headers=headers)
            acks.append((time.monotonic() - sent) * 1000)
            accepted += response.status_code == 200

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        before = (await client.get(f"{graph_url}/_fake/count")).json()["sent"]
        start = time.monotonic()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        accepted_at = time.monotonic()
        while (await client.get(f"{graph_url}/_fake/count")).json()["sent"] - before < accepted:
            if time.monotonic() - start > 300:
                raise TimeoutError("replies did not catch up")
            await asyncio.sleep(0.05)
        replied_at = time.monotonic()
    return accepted / (accepted_at - start), replied_at - start, accepted, acks


async def telegram_latency(url: str, telegram_url: str, n: int, first: int) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(timeout=15) as client:
        for i in range(first, first + n):
            chat_id = 800_000_000 + i
            body = telegram_body(chat_id, "akta kelahiran", 10_000 + i)
            headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
            start = time.monotonic()
            response = await client.post(url, json=body, headers=headers)
            response.raise_for_status()
            arrived = await arrival(client, f"{telegram_url}/_fake/wait?chat_id={chat_id}")
            latencies.append((arrived - start) * 1000)
    return latencies


def serve_fakes(conn: Any) -> None:
    """Child process: serve the three fakes until told to stop."""
    servers = [ServerThread(f.app).start() for f in (FakeRasa(), FakeGraph(), FakeTelegram())]
    conn.send([s.url for s in servers])
    conn.recv()
    for server in servers:
        server.stop()


def start(command: str, env: dict[str, str], port: int, log: Path) -> AdapterProcess:
    process = AdapterProcess(command, env, log).start()

    def ready() -> bool:
        if not process.alive():
            raise RuntimeError(f"{command} exited:\n{process.log()}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(ready, timeout=30, interval=0.05)
    return process


def report(name: str, values: list[float]) -> None:
    print(
        f"{name:<44} p50 {percentile(values, 0.5):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
        f"   (n={len(values)}, mean {statistics.fmean(values):.1f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-messages", type=int, default=300)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    fakes = multiprocessing.get_context("spawn").Process(target=serve_fakes, args=(child,))
    fakes.start()
    rasa_url, graph_url, telegram_url = parent.recv()
    tmp = Path(tempfile.mkdtemp(prefix="bench-channels-"))
    wa_port, tg_port = free_port(), free_port()
    common = {"RASA_URL": rasa_url, "NAVIGATOR_VAR": str(tmp / "var")}
    wa_env = {
        **common,
        "WHATSAPP_ACCESS_TOKEN": GRAPH_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench",
        "WHATSAPP_API_BASE_URL": f"{graph_url}/{VERSION}",
        "WHATSAPP_PORT": str(wa_port),
    }
    tg_env = {
        **common,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_BASE_URL": f"{telegram_url}/bot",
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{tg_port}/telegram",
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_WEBHOOK_PORT": str(tg_port),
    }
    processes = []
    try:
        print(
            f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}; Rasa, Graph and Bot API faked on loopback"
        )
        wa = start("whatsapp", wa_env, wa_port, tmp / "whatsapp.log")
        processes.append(wa)
        wa_url = f"http://127.0.0.1:{wa_port}/webhook"
        asyncio.run(whatsapp_latency(wa_url, graph_url, 20, first=0))  # warm-up
        report(
            "WhatsApp webhook -> reply at Graph API",
            asyncio.run(whatsapp_latency(wa_url, graph_url, args.latency_messages, first=100)),
        )
        rate, catch_up, accepted, acks = asyncio.run(
            whatsapp_throughput(wa_url, graph_url, args.posts, args.concurrency)
        )
        print(
            f"{'WhatsApp webhook posts accepted':<44} {rate:6.0f} /s   "
            f"({accepted}/{args.posts} posts, {args.concurrency} concurrent; "
            f"all replies sent after {catch_up:.1f} s = {accepted / catch_up:.0f} replies/s)"
        )
        report("WhatsApp webhook answer time under that load", acks)
        tg = start("telegram", tg_env, tg_port, tmp / "telegram.log")
        processes.append(tg)
        tg_url = f"http://127.0.0.1:{tg_port}/telegram"
        asyncio.run(telegram_latency(tg_url, telegram_url, 20, first=0))  # warm-up
        report(
            "Telegram webhook -> sendMessage at Bot API",
            asyncio.run(telegram_latency(tg_url, telegram_url, args.latency_messages, first=100)),
        )
    finally:
        for process in processes:
            process.stop()
        parent.send("stop")
        fakes.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
