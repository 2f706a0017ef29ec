"""Throughput, latency and CPU per message of the cluster, and a stock Rasa bot's CPU.

    .venv/bin/python benchmarks/bench_cluster.py [--layouts 1x1,2x1,2x2]
        [--concurrency 20 100] [--think 5] [--messages 400] [--skip-stock]
        [--json]

In one run, for each layout ``SxW`` (S complete stacks, W Rasa worker processes each):
start the cluster (``navigator.cluster``: PostgreSQL, Redis, S ``navigator serve`` stacks
and HAProxy round robin in front, every port free-picked, a fresh folder under
``var/bench/cluster/``), warm it up with the fixed script of ``bench_dialogue.py``, then
run one load per concurrency level closed loop (no think time) and then at a human pace
(``--think`` seconds, 0.5-1.5 x, between a reply and the next message), with the varied
messages of ``bench_dialogue.py``. Each load reports messages per second, p50/p95/max
reply latency, and the CPU seconds (user + system, psutil) that the process trees of the
stacks' Rasa and action servers used during the load, per message. PostgreSQL, Redis and
HAProxy are measured apart ("infra"); the supervisors and the load generator are not
counted. The cluster is stopped before the next layout starts.

Then a stock Rasa 3.6 bot: ``recipe: default.v1``, ``language: id``, no pipeline and no
policies (Rasa fills in its defaults), trained on the same NLU data (``bot/data/nlu``
and ``var/kb_nlu.yml``) with a generated domain: one fixed response per intent, a rule
per intent and our stories with each action replaced by that response. The model is
cached in ``var/bench/stock-rasa/`` and retrained only when its inputs change (their
SHA-256 is kept next to it). It is served with ``rasa run --enable-api`` (one worker,
one TF/OMP thread, as ``navigator serve`` runs Rasa), gets the same warm-up and the same
closed-loop messages as our closed-loop load at ``--stock-concurrency``, and the ratio
ours/stock of CPU seconds per message is printed.

HAProxy runs as ``navigator cluster`` ships it (health checks may take 10 s: a loaded Rasa
answers /status late, which is not down). ``--messages N`` is the size of each load: each of C conversations sends ceil(N / C)
messages (a conversation goes on with the next one when it ends). Loads run one after
another on the same cluster, so later loads meet the caches (query vectors, index pages)
warmed by earlier ones; the order is the same for every layout. Latency and throughput
need a quiet machine; CPU seconds per message is much less sensitive to other load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import hashlib
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_dialogue import SCRIPT, VariedMessages, level, script_conversation  # noqa: E402

from navigator.cluster.cluster import Cluster, ClusterPlan  # noqa: E402
from navigator.cluster.servers import free_port  # noqa: E402
from navigator.commands.serve import MODEL, Child, Stack  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
STOCK_DIR = BENCH_DIR / "stock-rasa"
STOCK_MODEL = STOCK_DIR / "models" / "stock.tar.gz"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
NLU_INPUTS = [*sorted((ROOT / "bot" / "data" / "nlu").glob("*.yml")), ROOT / "var" / "kb_nlu.yml"]
STORIES = sorted((ROOT / "bot" / "data" / "stories").glob("*.yml"))

Conversation = Callable[[Any], list[str]]


# -- CPU seconds of process trees ------------------------------------------------------
def role_of(cmdline: list[str]) -> str | None:
    """``rasa`` or ``actions`` for the process that runs (or leashes) that server."""
    for i, token in enumerate(cmdline):
        if token == "-m" and cmdline[i + 1 : i + 2] == ["actions"]:
            return "actions"
        if Path(token).name == "rasa" and "run" in cmdline[i + 1 :]:
            return "rasa"
    return None


@dataclass
class Meter:
    """CPU seconds (user + system, of the processes and their reaped children) of the
    process trees under ``roots``: (pid, role). A root of role ``other`` passes to each
    descendant the role its command line names (``rasa`` or ``actions``), if any."""

    roots: list[tuple[int, str]]

    def snapshot(self) -> dict[tuple[int, float], tuple[str, float]]:
        seen: dict[tuple[int, float], tuple[str, float]] = {}

        def walk(proc: psutil.Process, role: str) -> None:
            try:
                with proc.oneshot():
                    if role == "other":
                        role = role_of(proc.cmdline()) or role
                    t = proc.cpu_times()
                    key = (proc.pid, proc.create_time())
                children = proc.children()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                return
            seen[key] = (role, t.user + t.system + t.children_user + t.children_system)
            for child in children:
                walk(child, role)

        for pid, role in self.roots:
            with contextlib.suppress(psutil.NoSuchProcess):
                walk(psutil.Process(pid), role)
        return seen

    @staticmethod
    def used(
        before: dict[tuple[int, float], tuple[str, float]],
        after: dict[tuple[int, float], tuple[str, float]],
    ) -> dict[str, float]:
        """CPU seconds per role between two snapshots (a process that exited in between
        and was not reaped by a measured parent is lost; a new one counts from zero)."""
        used: dict[str, float] = {"rasa": 0.0, "actions": 0.0, "other": 0.0, "infra": 0.0}
        for key, (role, seconds) in after.items():
            used[role] = used.get(role, 0.0) + seconds - before.get(key, (role, 0.0))[1]
        return used


# -- one load ----------------------------------------------------------------------------
def run_load(
    url: str,
    meter: Meter,
    concurrency: int,
    think: float,
    messages: int,
    conversation: Conversation,
    seed: int,
) -> dict[str, Any]:
    """One ``bench_dialogue.level`` with the CPU used by the measured processes."""
    limit = max(1, math.ceil(messages / concurrency))
    row: dict[str, Any] = {"concurrency": concurrency, "think_s": think, "load1": _load1()}
    before = meter.snapshot()
    start = time.perf_counter()
    endpoint = f"{url}/webhooks/rest/webhook"
    try:
        row.update(
            asyncio.run(level(endpoint, concurrency, limit, think, conversation, seed, limit))
        )
    except httpx.HTTPError as exc:
        row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return row
    row["elapsed_s"] = round(time.perf_counter() - start, 1)
    cpu = Meter.used(before, meter.snapshot())
    n = row["messages"]
    ours = cpu["rasa"] + cpu["actions"]
    row["cpu_s"] = {k: round(v, 2) for k, v in cpu.items()}
    row["cpu_s_per_msg"] = round(ours / n, 4)
    row["rasa_cpu_s_per_msg"] = round(cpu["rasa"] / n, 4)
    row["actions_cpu_s_per_msg"] = round(cpu["actions"] / n, 4)
    row["infra_cpu_s_per_msg"] = round(cpu["infra"] / n, 4)
    row["cores_busy"] = round(ours / row["elapsed_s"], 2)
    return row


def settle(meter: Meter, idle: float = 0.15, longest: float = 30.0) -> None:
    """Wait (at most ``longest`` s) until the measured processes use less than ``idle``
    cores over a second: what a previous load left behind is not counted in the next."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = meter.snapshot()
        time.sleep(1.0)
        used = Meter.used(before, meter.snapshot())
        if used["rasa"] + used["actions"] < idle:
            return


def warm_up(url: str, citizens: int) -> None:
    """The fixed script once per citizen, not measured (its texts are not among the varied
    ones): every Rasa worker and connection has run each code path once."""
    if citizens > 0:
        asyncio.run(level(f"{url}/webhooks/rest/webhook", citizens, 1, 0.0, script_conversation))


def _load1() -> float:
    return round(os.getloadavg()[0], 2)


# -- our cluster -------------------------------------------------------------------------
def parse_layouts(text: str) -> list[tuple[int, int]]:
    """``1x1,2x1,2x2`` -> [(1, 1), (2, 1), (2, 2)]: (stacks, Rasa workers per stack)."""
    layouts = []
    for part in text.split(","):
        stacks, _, workers = part.strip().lower().partition("x")
        layouts.append((int(stacks), int(workers or 1)))
    return layouts


@contextlib.contextmanager
def signals_kept() -> Iterator[None]:
    """``Stack.stop`` ignores SIGINT/SIGTERM from then on (so that the clean-up is not
    interrupted); give ours back afterwards, for the next layout."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def bench_layout(
    stacks: int, workers: int, args: argparse.Namespace, conversation: Conversation
) -> list[dict[str, Any]]:
    """Start the layout, run its loads, stop it (always)."""
    name = f"{stacks}x{workers}"
    root = BENCH_DIR / "cluster" / name
    shutil.rmtree(root, ignore_errors=True)
    plan = dataclasses.replace(
        ClusterPlan.on_free_ports(root, stacks=stacks), rasa_workers=workers, model=args.model
    )
    cluster = Cluster(plan)
    base = {"layout": name, "stacks": stacks, "rasa_workers": workers}
    rows: list[dict[str, Any]] = []
    try:
        _say(args, f"{name}: starting {stacks} stack(s) x {workers} Rasa worker(s)...")
        started = time.perf_counter()
        with signals_kept():
            try:
                cluster.start()
            except Exception as exc:  # noqa: BLE001 - reported, the next layout still runs
                return [{**base, "error": f"cluster did not start: {exc} (logs in {root})"}]
        base["startup_s"] = round(time.perf_counter() - started, 1)
        assert cluster.supervisor is not None
        roots = [(c.process.pid, "other") for c in cluster.supervisor.children if c.process]
        roots += [
            (s.process.pid, "infra")
            for s in (cluster.postgres, cluster.redis, cluster.haproxy)
            if s.process is not None
        ]
        meter = Meter(roots)
        warm_up(cluster.rasa_url, args.warmup)
        for think in (0.0, args.think):
            for c in args.concurrency:
                _say(args, f"{name}: {c} conversations, {_pace(think)}")
                seed = args.seed + c + (500 if think else 0)
                settle(meter)
                row = run_load(cluster.rasa_url, meter, c, think, args.messages, conversation, seed)
                rows.append({**base, **row})
                _say(args, "  " + _brief(rows[-1]))
        return rows
    finally:
        with signals_kept():
            cluster.stop()
        for data in ("postgres", "redis"):  # keep the logs, not the databases
            shutil.rmtree(root / data, ignore_errors=True)


# -- the stock Rasa bot ----------------------------------------------------------------
def nlu_intents() -> list[str]:
    intents: list[str] = []
    for path in NLU_INPUTS:
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in item and item["intent"] not in intents:
                intents.append(item["intent"])
    return intents


def stock_files() -> dict[str, str]:
    """The stock bot's project files (besides the NLU data): name -> text."""
    intents = nlu_intents()
    stories: list[dict[str, Any]] = []
    entities: list[str] = []
    for path in STORIES:
        for story in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("stories", []):
            steps, last = [], None
            for step in story["steps"]:
                if "intent" in step:
                    last = step["intent"]
                    steps.append(step)
                    for entity in step.get("entities", []):
                        entities += [e for e in entity if e not in entities]
                elif "action" in step and last:
                    steps.append({"action": f"utter_{last}"})
            stories.append({"story": story["story"], "steps": steps})
    answered = [*intents, "nlu_fallback"]
    rules = [
        {"rule": f"answer {i}", "steps": [{"intent": i}, {"action": f"utter_{i}"}]}
        for i in answered
    ]
    domain = {
        "version": "3.1",
        "intents": intents,
        "entities": entities,
        "responses": {f"utter_{i}": [{"text": f"[stock] {i}"}] for i in answered},
    }

    def dump(data: object) -> str:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    return {
        "config.yml": "# stock Rasa: its default pipeline and policies\n"
        "recipe: default.v1\nlanguage: id\nassistant_id: stock\n",
        "domain.yml": dump(domain),
        "data/rules.yml": dump({"version": "3.1", "rules": rules}),
        "data/stories.yml": dump({"version": "3.1", "stories": stories}),
        "credentials.yml": "rest:\n",
    }


def stock_model(args: argparse.Namespace) -> tuple[Path, bool]:
    """The stock bot's model, trained if missing or if its inputs changed; (path, trained)."""
    missing = [p for p in NLU_INPUTS if not p.is_file()]
    if missing:
        raise RuntimeError(f"missing NLU data {missing[0]}: run 'make var/kb_nlu.yml'")
    files = stock_files()
    digest = hashlib.sha256()
    for name, text in sorted(files.items()):
        digest.update(f"{name}\0{text}\0".encode())
    for path in NLU_INPUTS:
        digest.update(f"{path.relative_to(ROOT)}\0".encode() + path.read_bytes() + b"\0")
    key = digest.hexdigest()
    stamp = STOCK_DIR / "inputs.sha256"
    if STOCK_MODEL.is_file() and stamp.is_file() and stamp.read_text().strip() == key:
        return STOCK_MODEL, False
    (STOCK_DIR / "data").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():  # rasa train writes its defaults into config.yml
        (STOCK_DIR / name).write_text(text, encoding="utf-8")
    stamp.unlink(missing_ok=True)
    _say(args, f"training the stock Rasa bot (several minutes; log {STOCK_DIR / 'train.log'})")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    argv = [
        str(RASA), "train", "--config", "config.yml", "--domain", "domain.yml",
        "--data", "data", *map(str, NLU_INPUTS),
        "--out", "models", "--fixed-model-name", "stock", "--force",
    ]  # fmt: skip
    with open(STOCK_DIR / "train.log", "wb") as log:
        done = subprocess.run(argv, cwd=STOCK_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0 or not STOCK_MODEL.is_file():
        tail = (STOCK_DIR / "train.log").read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError("stock training failed:\n" + "\n".join(tail))
    stamp.write_text(key + "\n")
    return STOCK_MODEL, True


def bench_stock(args: argparse.Namespace, conversation: Conversation) -> dict[str, Any]:
    """Serve the stock model, warm it up, one closed-loop load; stopped afterwards."""
    model, trained = stock_model(args)
    port = free_port()
    env = {
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_WORKERS": "1",  # the thread settings of navigator serve's Rasa
        "TF_INTRA_OP_PARALLELISM_THREADS": os.environ.get("TF_INTRA_OP_PARALLELISM_THREADS", "1"),
        "TF_INTER_OP_PARALLELISM_THREADS": os.environ.get("TF_INTER_OP_PARALLELISM_THREADS", "1"),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
    }
    argv = [
        str(RASA), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port),
        "--credentials", "credentials.yml", "--model", str(model),
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    child = Child("stock-rasa", argv, STOCK_DIR, health=f"{url}/status", port=port, env=env)
    stack = Stack([child], STOCK_DIR / "log")
    c = args.stock_concurrency
    base: dict[str, Any] = {"layout": "stock", "stacks": 1, "rasa_workers": 1, "trained": trained}
    try:
        _say(args, f"stock Rasa: starting on :{port}...")
        started = time.perf_counter()
        stack.start()
        if not stack.wait_healthy(300):
            return {**base, "error": f"stock Rasa did not come up; see {STOCK_DIR / 'log'}"}
        base["startup_s"] = round(time.perf_counter() - started, 1)
        assert child.process is not None
        meter = Meter([(child.process.pid, "other")])
        warm_up(url, args.warmup)
        settle(meter)
        _say(args, f"stock: {c} conversations, closed loop")
        row = {**base, **run_load(url, meter, c, 0.0, args.messages, conversation, args.seed + c)}
        _say(args, "  " + _brief(row))
        return row
    finally:
        with signals_kept():
            stack.stop()


def ratios(
    rows: list[dict[str, Any]], stock: dict[str, Any] | None, c: int
) -> list[dict[str, Any]]:
    """Ours/stock CPU seconds per message, per layout, closed loop at the stock's level."""
    if not stock or "cpu_s_per_msg" not in stock:
        return []
    out = []
    for r in rows:
        if r.get("think_s") == 0.0 and r.get("concurrency") == c and "cpu_s_per_msg" in r:
            out.append(
                {
                    "layout": r["layout"],
                    "concurrency": c,
                    "ours_cpu_s_per_msg": r["cpu_s_per_msg"],
                    "stock_cpu_s_per_msg": stock["cpu_s_per_msg"],
                    "ratio": round(r["cpu_s_per_msg"] / stock["cpu_s_per_msg"], 2),
                    "rasa_only_ratio": round(
                        r["rasa_cpu_s_per_msg"] / stock["rasa_cpu_s_per_msg"], 2
                    ),
                }
            )
    return out


# -- output ------------------------------------------------------------------------------
def _pace(think: float) -> str:
    return f"think {think:g}s" if think else "closed loop"


def _say(args: argparse.Namespace, text: str) -> None:
    print(text, file=sys.stderr if args.json else sys.stdout, flush=True)


def _brief(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"error: {r['error']}"
    return (
        f"{r['messages']} msgs, {r['messages_per_s']} msg/s, p50 {r['p50_ms']} ms, "
        f"p95 {r['p95_ms']} ms, CPU {1000 * r['cpu_s_per_msg']:.1f} ms/msg"
    )


def ms(value: float | None) -> str:
    return "-" if value is None else f"{1000 * value:.1f}"


def table(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        f"Navigator cluster benchmark, {meta['date']} ({meta['cpus']} CPUs, "
        f"load average {meta['load1_start']} at the start, {meta['load1_end']} at the end)",
        f"{meta['texts']} messages; each load ~{meta['messages']} messages; warm-up "
        f"{meta['warmup']} x the {len(SCRIPT)}-message script per layout, not measured",
        "CPU = user+system seconds of the stacks' Rasa and action server process trees "
        "per message (ms); infra = PostgreSQL+Redis+HAProxy",
        "",
        f"{'layout':<7}{'procs':>6}{'conc':>6} {'pace':<12}{'msgs':>6}{'msg/s':>7}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'CPU':>7}{'rasa':>7}{'actns':>7}"
        f"{'infra':>7}{'cores':>6}{'load':>6}",
    ]
    for r in [*report["runs"], *([report["stock"]] if report["stock"] else [])]:
        procs = r["stacks"] * r["rasa_workers"]
        head = f"{r['layout']:<7}{procs:>6}"
        if "messages" not in r:
            pace = _pace(r["think_s"]) if "think_s" in r else ""
            conc = r.get("concurrency", "")
            lines.append(f"{head}{conc:>6} {pace:<12}error: {r.get('error')}")
            continue
        lines.append(
            f"{head}{r['concurrency']:>6} {_pace(r['think_s']):<12}{r['messages']:>6}"
            f"{r['messages_per_s']:>7}{r['p50_ms']:>8}{r['p95_ms']:>8}{r['max_ms']:>8}"
            f"{ms(r['cpu_s_per_msg']):>7}{ms(r['rasa_cpu_s_per_msg']):>7}"
            f"{ms(r['actions_cpu_s_per_msg']):>7}{ms(r['infra_cpu_s_per_msg']):>7}"
            f"{r['cores_busy']:>6}{r['load1']:>6}"
        )
    lines.append("(procs: Rasa processes; cores: CPU seconds of Rasa+actions per second)")
    if report["stock"]:
        lines.append(
            "stock = Rasa 3.6, recipe default.v1, default pipeline and policies, fixed "
            "responses, no actions, in-memory tracker store, 1 worker"
        )
    for q in report["ratios"]:
        lines.append(
            f"CPU per message ours/stock ({q['layout']}, closed loop, {q['concurrency']} "
            f"conversations): {ms(q['ours_cpu_s_per_msg'])} / {ms(q['stock_cpu_s_per_msg'])} "
            f"ms = {q['ratio']}x (Rasa process alone: {q['rasa_only_ratio']}x)"
        )
    return "\n".join(lines)


# -- main --------------------------------------------------------------------------------
class _Terminated(Exception):
    pass


def _on_term(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layouts", default="1x1,2x1,2x2", help="SxW: stacks x Rasa workers")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--think", type=float, default=5.0, help="human pace: mean think s")
    parser.add_argument("--messages", type=int, default=400, help="messages per load (about)")
    parser.add_argument("--texts", choices=["varied", "script"], default="varied")
    parser.add_argument("--warmup", type=int, default=10, help="conversations of the script")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-stock", action="store_true", help="no stock Rasa comparison")
    parser.add_argument("--stock-concurrency", type=int, default=20)
    parser.add_argument("--model", type=Path, default=MODEL, help="our trained model")
    parser.add_argument("--json", action="store_true", help="JSON on stdout (progress on stderr)")
    args = parser.parse_args(argv)
    layouts = parse_layouts(args.layouts)
    if not args.model.is_file():
        print(f"no trained model at {args.model}: run 'make train'", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _on_term)  # unwind through the finally blocks
    varied = VariedMessages()
    conversation = varied.conversation if args.texts == "varied" else script_conversation
    texts = (
        f"varied ({varied.distinct()} distinct texts)"
        if args.texts == "varied"
        else f"scripted ({len(SCRIPT)} texts)"
    )
    report: dict[str, Any] = {
        "meta": {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "load1_start": _load1(),
            "model": str(args.model),
            "model_mtime": time.strftime(
                "%Y-%m-%d %H:%M", time.localtime(args.model.stat().st_mtime)
            ),
            "texts": texts,
            "messages": args.messages,
            "warmup": args.warmup,
            "think_s": args.think,
        },
        "runs": [],
        "stock": None,
        "ratios": [],
    }
    stock_error = None
    try:
        if not args.skip_stock:
            try:
                stock_model(args)  # train first, if needed: not while a cluster is measured
            except RuntimeError as exc:
                stock_error = str(exc)
                _say(args, stock_error)
        for stacks, workers in layouts:
            report["runs"] += bench_layout(stacks, workers, args, conversation)
        if stock_error:
            report["stock"] = {"layout": "stock", "stacks": 1, "rasa_workers": 1}
            report["stock"]["error"] = stock_error.splitlines()[0]
        elif not args.skip_stock:
            report["stock"] = bench_stock(args, conversation)
    except (KeyboardInterrupt, _Terminated):
        print("interrupted; everything started was stopped", file=sys.stderr)
        return 130
    report["meta"]["load1_end"] = _load1()
    report["ratios"] = ratios(report["runs"], report["stock"], args.stock_concurrency)
    print(json.dumps(report, indent=2) if args.json else "\n" + table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
