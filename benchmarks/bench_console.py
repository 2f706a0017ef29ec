"""Console API latency: p50/p95 of GET /api/search and POST /api/reply at 1 and 20 clients.

Starts the real console (``navigator console``) on a free loopback port with a random
token, over the knowledge base and index named by NAVIGATOR_KB / NAVIGATOR_INDEX_DIR
(the project's by default; the index is built first if missing), then prints a table.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_console.py
    .venv/bin/python benchmarks/bench_console.py --url http://127.0.0.1:8000 --token "$CONSOLE_TOKEN"
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "anak saya baru lahir",
    "gmn bikin akte anak",
    "syarat bikin ktp",
    "saya baru di phk",
    "mau buka warung",
    "cara daftar nib di oss",
    "ortu saya meninggal kemarin",
    "mau nikah di kua syaratnya apa",
    "pindah rumah ke kota lain",
    "klaim jht gimana caranya",
    "daftar sekolah sd negeri",
    "how to get a birth certificate",
    "my father passed away",
    "bikin paspor berapa lama",
    "pensiun pns ngurus dimana",
    "bpjs bayi baru lahir",
    "kartu kuning disnaker",
    "izin usaha makanan rumahan",
    "sim hilang",
    "beasiswa kuliah s2",
]


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def console(token: str, timeout: float) -> Iterator[str]:
    """Run ``navigator console`` in a child process; yield its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "CONSOLE_PORT": str(port),
        "CONSOLE_HOST": "127.0.0.1",
        "CONSOLE_TOKEN": token,
    }
    env.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        env.setdefault("NAVIGATOR_INSIGHT_DB", str(Path(tmp) / "insight.db"))
        log = Path(tmp) / "console.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "navigator.cli", "console"],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + timeout
                while True:
                    if process.poll() is not None:
                        raise SystemExit(f"console exited:\n{log.read_text()}")
                    try:
                        if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        raise SystemExit(f"console not ready after {timeout} s:\n{log.read_text()}")
                    time.sleep(0.2)
                yield base
            finally:
                process.terminate()
                process.wait(timeout=15)


def run(base: str, token: str, endpoint: str, clients: int, total: int) -> list[float]:
    """Latencies in ms of ``total`` requests spread over ``clients`` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))
    headers = {"Authorization": f"Bearer {token}"}

    def worker() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            for i in counter:
                started = time.perf_counter()
                if endpoint == "search":
                    response = http.get(
                        "/api/search", params={"q": QUERIES[i % len(QUERIES)], "k": 5}
                    )
                else:
                    response = http.post(
                        "/api/reply", json={"service_id": "akta-kelahiran", "have": [0]}
                    )
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main() -> int:
    """Warm up, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="measure a running console instead of starting one")
    parser.add_argument("--token", default=os.environ.get("CONSOLE_TOKEN", ""))
    parser.add_argument("--requests", type=int, default=400, help="requests per run (400)")
    parser.add_argument("--clients", default="1,20", help="concurrency levels (1,20)")
    parser.add_argument("--timeout", type=float, default=600, help="start-up timeout, s")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    token = args.token or secrets.token_urlsafe(24)
    with console(token, args.timeout) if not args.url else _given(args.url) as base:
        health = httpx.get(f"{base}/api/health", timeout=5).json()
        run(base, token, "search", 2, 40)  # warm-up
        print(f"console {base}: {health['services']} services, index {health['index']}")
        print(f"{os.cpu_count()} CPU(s); {args.requests} requests per row")
        print(f"{'endpoint':<18} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
        for endpoint in ("search", "reply"):
            for clients in levels:
                started = time.perf_counter()
                latencies = run(base, token, endpoint, clients, args.requests)
                rate = len(latencies) / (time.perf_counter() - started)
                name = "GET /api/search" if endpoint == "search" else "POST /api/reply"
                print(
                    f"{name:<18} {clients:>7} {statistics.median(latencies):>8.1f} "
                    f"{percentile(latencies, 95):>8.1f} {rate:>7.0f}"
                )
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url.rstrip("/")


if __name__ == "__main__":
    sys.exit(main())
