"""Helpers for the console tests: a fixture knowledge base with a longer birth journey,
free loopback ports, and the real console process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import yaml

from tests.support.fixture_kb import SERVICES, service_document, write_fixture_kb

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "console"
TOKEN = "test-console-token-0123456789"
SECRET = "test-console-secret-0123456789-abcdefghijklmnop"
AGENT = "siti"
PASSWORD = "correct horse battery staple"

BIRTH_EXTRAS: dict[str, dict[str, object]] = {
    "kk-tambah-anggota": {
        "event": "birth",
        "title": "Penambahan Anggota Keluarga di Kartu Keluarga",
        "title_en": "Adding a Family Member to the Family Card",
        "aliases": ["tambah anak di kk"],
        "summary": "Menambahkan anggota keluarga ke Kartu Keluarga yang sudah ada.",
        "summary_en": "Adding a family member to an existing family card.",
        "examples": ["cara masukin bayi ke kk", "tambah anggota keluarga di kartu keluarga"],
        "examples_en": ["add my baby to the family card"],
        "institution": "dukcapil",
    },
    "imunisasi-dasar": {
        "event": "birth",
        "title": "Imunisasi Dasar Lengkap Anak",
        "title_en": "Basic Childhood Immunisation",
        "aliases": ["vaksin bayi"],
        "summary": "Imunisasi dasar gratis untuk bayi di puskesmas dan posyandu.",
        "summary_en": "Free basic immunisation for babies at community health centres.",
        "examples": ["jadwal imunisasi bayi", "vaksin bayi gratis di puskesmas"],
        "examples_en": ["baby vaccination schedule"],
        "institution": "dukcapil",
    },
}


def write_console_kb(root: Path) -> Path:
    """The shared fixture knowledge base plus two birth services: a three-step journey."""
    kb = write_fixture_kb(root)
    for sid, spec in BIRTH_EXTRAS.items():
        doc = service_document(sid, spec, "2026-01-15")
        doc["requirements"] = ["Akta kelahiran anak", "Kartu Keluarga lama", "KTP elektronik"]
        doc["requirements_en"] = ["Child's birth certificate", "Old family card", "Electronic ID"]
        path = kb / "services" / "birth" / f"{sid}.yml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    events_file = kb / "life_events.yml"
    events = yaml.safe_load(events_file.read_text("utf-8"))
    for event in events:
        if event["id"] == "birth":
            event["journey"] = ["akta-kelahiran", *BIRTH_EXTRAS]
    events_file.write_text(yaml.safe_dump(events, sort_keys=False), "utf-8")
    birth = kb / "services" / "birth" / "akta-kelahiran.yml"
    doc = yaml.safe_load(birth.read_text("utf-8"))
    doc["requirements"] = [
        "Surat keterangan lahir dari rumah sakit atau bidan",
        "Buku nikah orang tua",
        "Kartu Keluarga",
        "KTP elektronik orang tua",
    ]
    doc["requirements_en"] = [
        "Birth statement from the hospital or midwife",
        "Parents' marriage book",
        "Family card",
        "Parents' electronic ID cards",
    ]
    birth.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return kb


def fixture_service_ids() -> list[str]:
    """Every service id in the console's fixture knowledge base."""
    return [*SERVICES, *BIRTH_EXTRAS]


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def console_env(tmp: Path, kb: Path, port: int, token: str | None = TOKEN) -> dict[str, str]:
    """Environment for a console process that touches nothing outside ``tmp``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONSOLE_", "NAVIGATOR_"))}
    env.update(
        NAVIGATOR_KB=str(kb),
        NAVIGATOR_VAR=str(tmp / "var"),
        NAVIGATOR_INDEX_DIR=str(tmp / "index"),
        NAVIGATOR_INSIGHT_DB=str(tmp / "insight.db"),
        CONSOLE_PORT=str(port),
        CONSOLE_HOST="127.0.0.1",
        CONSOLE_COOKIE_SECURE="1",
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    if token:
        env["CONSOLE_TOKEN"] = token
    return env


def add_account(
    env: dict[str, str], name: str = AGENT, role: str = "agent", password: str = PASSWORD
) -> dict[str, str]:
    """``navigator agents add NAME --role ROLE --password-stdin --json`` in a child process."""
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "agents", "add", name, "--role", role]
        + ["--password-stdin", "--json"],
        env=env,
        cwd=REPO_ROOT,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    created: dict[str, str] = json.loads(done.stdout)
    return created


def navigator(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the ``navigator`` command line in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "navigator.cli", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def running_console(env: dict[str, str], log: Path, timeout: float = 60) -> Iterator[str]:
    """Start ``navigator console``, wait until /api/health answers, yield its base URL."""
    base = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "navigator.cli", "console"],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_ready(base, process, log, timeout)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"console exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"console not ready after {timeout} s:\n{log.read_text()}")


def wait_for(predicate: object, timeout: float = 20.0, step: float = 0.25) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(step)
    return False
