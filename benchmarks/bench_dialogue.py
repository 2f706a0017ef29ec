"""End-to-end reply latency over Rasa's REST channel (Rasa + actions + search).

    .venv/bin/python benchmarks/bench_dialogue.py [--url http://127.0.0.1:5005]
        [--concurrency 1 20] [--rounds 3] [--json]

Needs the stack running (``make serve``). Each simulated citizen plays a short
conversation (life event, a picked service, follow-ups, a direct question, a topic
switch, an out-of-scope message) with its own sender id. By default it sends the next
message as soon as the reply arrives (closed loop, no think time: the harshest case);
``--think S`` waits 0.5-1.5 x S seconds first, as a person reading and typing does.
Reports, per concurrency level, p50/p95/max reply latency and messages per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import uuid

import httpx

SCRIPT = [
    "anak saya baru lahir",
    '/choose_service{"service":"akta-kelahiran"}',
    "syaratnya apa aja?",
    "biayanya berapa?",
    "kalau sudah telat?",
    "terus habis itu apa?",
    "cara bikin npwp",
    "bisa online ga?",
    "biaya paspor berapa",
    "siapa presiden terbaik",
]


async def citizen(
    client: httpx.AsyncClient, url: str, rounds: int, out: list[float], think: float
) -> None:
    """One conversation, ``rounds`` times over, recording each reply's latency (ms)."""
    rng = random.Random()
    for _ in range(rounds):
        sender = f"bench:{uuid.uuid4().hex[:10]}"
        for message in SCRIPT:
            if think:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            start = time.perf_counter()
            response = await client.post(url, json={"sender": sender, "message": message})
            response.raise_for_status()
            out.append((time.perf_counter() - start) * 1000)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def level(url: str, concurrency: int, rounds: int, think: float = 0.0) -> dict[str, float]:
    """Run ``concurrency`` citizens at once; latency figures and throughput."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(
            *(citizen(client, url, rounds, latencies, think) for _ in range(concurrency))
        )
        elapsed = time.perf_counter() - start
    return {
        "concurrency": concurrency,
        "think_s": think,
        "messages": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "messages_per_s": round(len(latencies) / elapsed, 1),
    }


async def main_async(args: argparse.Namespace) -> list[dict[str, float]]:
    url = f"{args.url.rstrip('/')}/webhooks/rest/webhook"
    await level(url, 1, 1)  # warm-up
    return [await level(url, c, args.rounds, args.think) for c in args.concurrency]


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--rounds", type=int, default=3, help="conversations per citizen")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a citizen takes before the next message (0: none)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        results = asyncio.run(main_async(args))
    except httpx.HTTPError as exc:
        print(
            f"cannot talk to Rasa at {args.url}: {exc} (is 'make serve' running?)", file=sys.stderr
        )
        return 2
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"{'conc':>4} {'think':>5} {'msgs':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'msg/s':>7}"
        )
        for r in results:
            print(
                f"{r['concurrency']:>4} {r['think_s']:>5} {r['messages']:>5} {r['p50_ms']:>8} {r['p95_ms']:>8} "
                f"{r['max_ms']:>8} {r['messages_per_s']:>7}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
