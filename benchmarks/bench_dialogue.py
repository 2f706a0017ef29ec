"""End-to-end reply latency over Rasa's REST channel (Rasa + actions + search).

    .venv/bin/python benchmarks/bench_dialogue.py [--url http://127.0.0.1:5005]
        [--concurrency 1 20] [--rounds 3] [--messages varied|script] [--think S] [--json]

Needs the stack running (``make serve``); start it fresh for figures, since the stack
caches what it has seen (query vectors in the action server, trackers in Rasa).

Each simulated citizen has its own sender id and plays ``--rounds`` conversations:

* ``varied`` (default): a conversation of ``tests/eval/conversations.yml`` (as people
  type: informal, typos, code-mixed, English; with button presses and follow-ups), then
  a direct question of ``tests/eval/retrieval.yml`` and a message of
  ``tests/eval/out_of_scope.yml``, drawn at random (``--seed``): about 480 different
  texts, so most searches are new to the action server's query cache.
* ``script``: the same ten messages every time (life event, a picked service,
  follow-ups, a direct question, a topic switch, an out-of-scope message). The texts
  repeat, so after the first round every search is a query-cache hit: the best case.

By default the next message goes as soon as the reply arrives (closed loop, no think
time: the harshest case); ``--think S`` waits 0.5-1.5 x S seconds first, as a person
reading and typing does. Reports, per concurrency level, p50/p95/max reply latency and
messages per second.
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
from pathlib import Path

import httpx
import yaml

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval"

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


class VariedMessages:
    """Conversations drawn from the evaluation sets (see the module docstring)."""

    def __init__(self, folder: Path = EVAL) -> None:
        def load(name: str) -> list[dict[str, object]]:
            return yaml.safe_load((folder / name).read_text(encoding="utf-8"))

        self.conversations = [
            [str(t["say"]) for t in c["turns"]] for c in load("conversations.yml")
        ]
        self.questions = [str(q["q"]) for q in load("retrieval.yml")]
        self.refusals = [str(q["q"]) for q in load("out_of_scope.yml")]

    def distinct(self) -> int:
        texts = {t for c in self.conversations for t in c}
        return len(texts | set(self.questions) | set(self.refusals))

    def conversation(self, rng: random.Random) -> list[str]:
        return [
            *rng.choice(self.conversations),
            rng.choice(self.questions),
            rng.choice(self.refusals),
        ]


def script_conversation(rng: random.Random) -> list[str]:
    return list(SCRIPT)


async def citizen(
    client: httpx.AsyncClient,
    url: str,
    rounds: int,
    out: list[float],
    think: float,
    conversation=script_conversation,  # type: ignore[no-untyped-def]
    seed: int | None = None,
    limit: int | None = None,
) -> None:
    """``rounds`` conversations, recording each reply's latency (ms); with ``limit``,
    stop after that many messages instead (conversations go on until then)."""
    rng = random.Random(seed)
    sent = 0
    for _ in range(rounds if limit is None else limit):
        sender = f"bench:{uuid.uuid4().hex[:10]}"
        for message in conversation(rng):
            if limit is not None and sent >= limit:
                return
            sent += 1
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


async def level(
    url: str,
    concurrency: int,
    rounds: int,
    think: float = 0.0,
    conversation=script_conversation,  # type: ignore[no-untyped-def]
    seed: int = 7,
    limit: int | None = None,
) -> dict[str, float]:
    """Run ``concurrency`` citizens at once; latency figures and throughput. ``limit``:
    messages per citizen instead of ``rounds`` conversations."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(
            *(
                citizen(client, url, rounds, latencies, think, conversation, seed * 1000 + i, limit)
                for i in range(concurrency)
            )
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
    conversation = (
        VariedMessages().conversation if args.messages == "varied" else script_conversation
    )
    # warm-up: the fixed script from as many citizens as the largest level, so that every
    # Rasa worker and connection has run each code path once (its texts are not among
    # the varied ones, so the varied texts still meet cold caches)
    await level(url, max(args.concurrency), 1)
    return [
        await level(url, c, args.rounds, args.think, conversation, args.seed + c)
        for c in args.concurrency
    ]


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
    parser.add_argument(
        "--messages",
        choices=["varied", "script"],
        default="varied",
        help="varied: drawn from tests/eval (default); script: ten fixed messages",
    )
    parser.add_argument("--seed", type=int, default=7, help="draws of the varied messages")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        results = asyncio.run(main_async(args))
    except httpx.HTTPError as exc:
        print(
            f"cannot talk to Rasa at {args.url}: {exc} (is 'make serve' running?)", file=sys.stderr
        )
        return 2
    for r in results:
        r["messages_mode"] = args.messages  # type: ignore[assignment]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        if args.messages == "varied":
            print(f"varied messages ({VariedMessages().distinct()} distinct texts)")
        else:
            print(f"scripted messages ({len(SCRIPT)} texts, repeated)")
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
