"""``navigator serve``: what it starts, and that stopping leaves no process behind."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

import pytest
import yaml

from navigator.cli import build_parser
from navigator.commands.endpoints import endpoints_file
from navigator.commands.serve import Child, Stack, plan


def args(**extra: object) -> argparse.Namespace:
    base = dict(
        host="127.0.0.1",
        rasa_port=5005,
        actions_port=5055,
        model=Path("bot/models/navigator.tar.gz"),
        no_console=False,
        timeout=5.0,
        rasa_workers=2,
    )
    base.update(extra)
    return argparse.Namespace(**base)


def test_plan_adds_adapters_and_reminders_only_with_their_tokens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("WHATSAPP_ACCESS_TOKEN", raising=False)
    names = [c.name for c in plan(args(no_console=True))]
    assert names == ["actions", "rasa"]
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "token")
    names = [c.name for c in plan(args(no_console=True))]
    assert names == ["actions", "rasa", "reminders", "telegram", "whatsapp"]


def test_rasa_runs_with_the_api_and_the_rest_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVIGATOR_VAR", str(tmp_path))
    rasa = next(c for c in plan(args(no_console=True, actions_port=5155)) if c.name == "rasa")
    assert rasa.argv[1:3] == ["run", "--enable-api"]
    assert "credentials.yml" in rasa.argv
    endpoints = yaml.safe_load(Path(rasa.argv[rasa.argv.index("--endpoints") + 1]).read_text())
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:5155/webhook"
    assert endpoints["tracker_store"]["db"] == str(tmp_path / "tracker.db")
    assert endpoints["lock_store"]["db"] == str(tmp_path / "locks.db")
    assert rasa.env["SANIC_WORKERS"] == "2"  # the workers share the SQLite lock store
    assert rasa.env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1"


def test_endpoints_file_keeps_other_settings(tmp_path: Path) -> None:
    path = endpoints_file("127.0.0.1", 5055, tmp_path)
    config = yaml.safe_load(path.read_text())
    assert config["tracker_store"]["type"] == "stores.sqlite_tracker_store.SQLiteTrackerStore"
    assert config["tracker_store"]["cache_size"] == 1000


def test_serve_and_chat_are_registered() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve"]).handler.__name__ == "cmd_serve"
    assert parser.parse_args(["chat", "--serve"]).serve is True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stop_ends_children_and_their_children(tmp_path: Path) -> None:
    # a child that ignores SIGTERM and has a grandchild: both must be gone after stop()
    script = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"p = subprocess.Popen([{sys.executable!r}, '-c', 'import time; time.sleep(600)'])\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    stubborn = Child("stubborn", [sys.executable, "-c", script], tmp_path)
    polite = Child("polite", [sys.executable, "-c", "import time; time.sleep(600)"], tmp_path)
    stack = Stack([stubborn, polite], tmp_path / "log")
    stack.start()
    deadline = time.monotonic() + 20
    log = tmp_path / "log" / "stubborn.log"
    while time.monotonic() < deadline and not log.read_text().strip():
        time.sleep(0.1)
    grandchild = int(log.read_text().split()[0])
    pids = [stubborn.process.pid, polite.process.pid, grandchild]  # type: ignore[union-attr]
    import navigator.commands.serve as serve

    old = serve.STOP_GRACE
    serve.STOP_GRACE = 1.0
    try:
        stack.stop()
    finally:
        serve.STOP_GRACE = old
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids[:2])
    stat = Path(f"/proc/{grandchild}/stat")
    assert not _alive(grandchild) or stat.read_text().split()[2] == "Z"


def test_a_child_that_swallows_the_first_sigterm_gets_another(tmp_path: Path) -> None:
    # a Sanic worker still starting up ignores the first SIGTERM; with repeat_term the
    # stack asks again instead of waiting out the grace time and killing it
    script = (
        "import signal, sys, time\n"
        "seen = []\n"
        "def on_term(*_):\n"
        "    seen.append(1)\n"
        "    if len(seen) > 1:\n"
        "        sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, on_term)\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    time.sleep(0.05)\n"
    )
    worker = Child("worker", [sys.executable, "-c", script], tmp_path, repeat_term=True)
    stack = Stack([worker], tmp_path / "log")
    stack.start()
    log = tmp_path / "log" / "worker.log"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "ready" not in log.read_text():
        time.sleep(0.05)
    try:
        stack.stop()
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    assert worker.process is not None and worker.process.returncode == 0  # not SIGKILLed


def test_children_stop_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    # SIGKILL leaves the supervisor no time to clean up: its children, and theirs (Rasa's
    # Sanic workers), must stop all the same, also one that swallows the first SIGTERM
    import subprocess

    root = Path(__file__).resolve().parents[2]
    worker = (
        "import signal, subprocess, sys, time\n"
        "seen = []\n"
        "signal.signal(signal.SIGTERM, lambda *_: seen.append(1) or (len(seen) > 1 and sys.exit(0)))\n"
        f"p = subprocess.Popen([{sys.executable!r}, '-c', 'import time; time.sleep(600)'])\n"
        "print(p.pid, flush=True)\n"
        "while True:\n"
        "    time.sleep(0.05)\n"
    )
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        "from pathlib import Path\n"
        "from navigator.commands.serve import Child, Stack\n"
        f"tmp = Path({str(tmp_path)!r})\n"
        f"child = Child('worker', [sys.executable, '-c', {worker!r}], tmp)\n"
        "Stack([child], tmp / 'log').start()\n"
        "print(child.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=root)
    assert supervisor.stdout is not None
    leash = int(supervisor.stdout.readline())
    log = tmp_path / "log" / "worker.log"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (log.exists() and log.read_text().strip()):
        time.sleep(0.1)
    grandchild = int(log.read_text().split()[0])
    assert _running(leash) and _running(grandchild)
    supervisor.kill()
    supervisor.wait(timeout=10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (_running(leash) or _running(grandchild)):
        time.sleep(0.1)
    assert not _running(leash) and not _running(grandchild)


def test_serve_refuses_a_taken_port_and_names_its_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    from navigator.commands import ports
    from navigator.commands.serve import cmd_serve

    monkeypatch.setenv("NAVIGATOR_VAR", str(tmp_path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("WHATSAPP_ACCESS_TOKEN", raising=False)
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        assert ports.is_taken("127.0.0.1", port)
        assert f"pid {os.getpid()}" in ports.holder(port)
        started: list[object] = []
        monkeypatch.setattr(Stack, "start", lambda self: started.append(self))
        code = cmd_serve(args(no_console=True, rasa_port=port, actions_port=0, model=model))
    assert code == 2 and not started
    assert f"port {port} for rasa is taken by pid {os.getpid()}" in caplog.text
    assert not ports.is_taken("127.0.0.1", port)  # free again once the holder is gone


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for its new parent to reap it."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split()[2] != "Z"
    except OSError:
        return False


def test_state_urls_select_rasas_own_postgres_and_redis_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", "postgresql://nav:s%40cret@db.internal:5433/chats")
    monkeypatch.setenv("NAVIGATOR_REDIS_URL", "redis://:pw@cache.internal:6380/2")
    path = endpoints_file("127.0.0.1", 5055, tmp_path)
    config = yaml.safe_load(path.read_text())
    assert config["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "chats",
        "username": "nav",
        "password": "s@cret",
    }
    locks = config["lock_store"]
    assert (locks["type"], locks["url"], locks["port"], locks["db"]) == (
        "redis",
        "cache.internal",
        6380,
        2,
    )
    assert locks["password"] == "pw" and locks["socket_timeout"] > 0
    assert path.stat().st_mode & 0o077 == 0  # passwords: readable by the owner only


def test_a_wrong_state_url_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from navigator.commands.endpoints import BadURL

    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", "mysql://x@y/z")
    with pytest.raises(BadURL, match="NAVIGATOR_DATABASE_URL must start with postgresql"):
        endpoints_file("127.0.0.1", 5055, tmp_path)
