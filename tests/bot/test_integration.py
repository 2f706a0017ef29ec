"""The real stack (trained model, action server, search engine) over the REST channel.

Starts ``navigator serve --no-console`` on spare ports with its own tracker store and
insight database, talks to it like an adapter does, and stops it with SIGTERM, checking
that no process is left. Needs ``make train`` (skipped without a model).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from navigator.commands.serve import MODEL
from navigator.settings import PROJECT_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(420)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The running stack's REST webhook URL."""
    if not MODEL.is_file():
        pytest.skip(f"no trained model at {MODEL}: run 'make train'")
    var = tmp_path_factory.mktemp("var")
    rasa_port, actions_port = free_port(), free_port()
    env = dict(
        os.environ,
        NAVIGATOR_VAR=str(var),
        NAVIGATOR_INDEX_DIR=os.environ.get(
            "NAVIGATOR_INDEX_DIR", str(PROJECT_ROOT / "var" / "index")
        ),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "navigator.cli",
            "serve",
            "--no-console",
            "--rasa-port",
            str(rasa_port),
            "--actions-port",
            str(actions_port),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{rasa_port}"
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                out = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"navigator serve exited early:\n{out[-3000:]}")
            try:
                if (
                    httpx.get(f"{base}/status", timeout=2).status_code == 200
                    and httpx.get(f"http://127.0.0.1:{actions_port}/health", timeout=2).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            pytest.fail("stack not up after 300 s")
        yield f"{base}/webhooks/rest/webhook"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        assert process.returncode == 0
        for port in (rasa_port, actions_port):  # nothing left listening
            with socket.socket() as s:
                assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"
        assert (var / "insight.db").exists()


def say(url: str, sender: str, text: str) -> list[dict[str, object]]:
    response = httpx.post(
        url,
        json={
            "sender": sender,
            "message": text,
            "metadata": {"channel": "telegram", "language": "id"},
        },
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def services(messages: list[dict[str, object]]) -> list[str]:
    found: list[str] = []
    for m in messages:
        custom = m.get("custom")
        if isinstance(custom, dict) and custom.get("service"):
            found.append(str(custom["service"]))
        for b in m.get("buttons") or []:  # type: ignore[union-attr]
            payload = str(b["payload"])  # type: ignore[index]
            if payload.startswith("/choose_service"):
                found.append(payload.split('"')[3])
    return found


def text(messages: list[dict[str, object]]) -> str:
    """The texts shown (a marker message of what a reply answers has none)."""
    return "\n".join(str(m["text"]) for m in messages if m.get("text"))


def test_life_event_journey_service_and_follow_ups(stack: str) -> None:
    sender = "it:birth"
    reply = say(stack, sender, "anak saya baru lahir kemarin")
    assert "Selamat" in text(reply)
    assert services(reply)[:2] == ["akta-kelahiran", "kk-tambah-anggota"]
    reply = say(stack, sender, '/choose_service{"service":"akta-kelahiran"}')
    body = text(reply)
    for part in ("AKTA KELAHIRAN", "Syarat", "Langkah", "Biaya", "Lama proses", "Tempat", "Sumber"):
        assert part in body
    reply = say(stack, sender, "biayanya berapa?")
    assert text(reply).startswith("AKTA KELAHIRAN\nBiaya:")
    reply = say(stack, sender, "terus habis itu apa?")
    assert services(reply)[0] == "kk-tambah-anggota"
    reply = say(stack, sender, "biaya bikin paspor berapa")
    assert text(reply).startswith("PASPOR\nBiaya:")


def test_out_of_scope_and_handoff(stack: str) -> None:
    reply = say(stack, "it:oos", "siapa presiden terbaik")
    assert services(reply) == []
    assert "layanan publik" in text(reply)
    reply = say(stack, "it:oos", "mau bicara dengan petugas")
    assert "lapor.go.id" in text(reply)


def test_english_question_gets_an_english_answer(stack: str) -> None:
    reply = say(stack, "it:en", "how do I get a birth certificate")
    assert "akta-kelahiran" in services(reply)
    assert "What to bring" in text(reply)


def test_the_citizens_region_in_where_answers(stack: str) -> None:
    sender = "it:region"
    reply = say(stack, sender, '/choose_service{"service":"akta-kelahiran"}')
    assert "Sebutkan kabupaten/kota" not in text(reply)  # asked only when where is asked
    reply = say(stack, sender, "sy di sleman")
    assert "Di Kabupaten Sleman:" in text(reply)
    assert "Mal Pelayanan Publik Kabupaten Sleman" in text(reply)
    reply = say(stack, sender, "ngurusnya di mana?")
    assert "Di Kabupaten Sleman:" in text(reply)  # remembered
    reply = say(stack, sender, "kalau di kota malang?")
    assert "Kota Malang" in text(reply) and "Kabupaten Sleman" not in text(reply)
    reply = say(stack, "it:region-2", "akta kelahiran daftarnya di mana?")
    assert "Sebutkan kabupaten/kota Anda" in text(reply)
