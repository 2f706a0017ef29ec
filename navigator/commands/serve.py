"""``navigator serve`` (the headless stack) and ``navigator chat`` (a terminal chat).

``serve`` starts Rasa (:5005, ``--enable-api``, REST channel), the action server (:5055),
the agent console (:8000, when ``navigator console`` exists) and the Telegram/WhatsApp
adapters (when their tokens are set). It waits until each answers its health check,
and on SIGINT/SIGTERM stops every child process group it started, so nothing is left.
It refuses to start when one of its ports is taken (naming the process that holds it),
and each child is told by the kernel to stop when the supervisor dies, however it dies.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import httpx

from navigator.commands import ports
from navigator.commands.endpoints import BadURL, endpoints_file
from navigator.commands.leash import die_with_parent
from navigator.settings import PROJECT_ROOT, var_dir

logger = logging.getLogger(__name__)

BOT_DIR = PROJECT_ROOT / "bot"
MODEL = BOT_DIR / "models" / "navigator.tar.gz"
STOP_GRACE = 10.0


@dataclass
class Child:
    """One process of the stack."""

    name: str
    argv: list[str]
    cwd: Path
    health: str | None = None  # URL answering 200 when ready, or "tcp://host:port"
    port: int | None = None  # the TCP port it listens on, checked free before the start
    env: dict[str, str] = field(default_factory=dict)  # on top of the stack's environment
    # send SIGTERM again each second while stopping: a Sanic worker still starting up
    # swallows the first one (Rasa with several workers, stopped right after start)
    repeat_term: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def alive(self) -> bool:
        """The process is running."""
        return self.process is not None and self.process.poll() is None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("NAVIGATOR_THREADS", "1")  # see actions/__main__.py
    env.setdefault("NAVIGATOR_VAR", str(var_dir()))
    return env


def plan(args: argparse.Namespace) -> list[Child]:
    """The processes to start, from the arguments and the environment."""
    rasa = os.environ.get("NAVIGATOR_RASA_BIN", str(PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"))
    host = args.host
    # RASA_AUTH_TOKEN guards Rasa's HTTP API (trackers hold what citizens said); the
    # console sends it, the REST channel the adapters use is not behind it
    token = os.environ.get("RASA_AUTH_TOKEN", "").strip()
    children = [
        Child(
            "actions",
            [sys.executable, "-m", "actions", "--host", host, "--port", str(args.actions_port)],
            PROJECT_ROOT,
            f"http://{host}:{args.actions_port}/health",
            port=args.actions_port,
        ),
        Child(
            "rasa",
            [
                rasa,
                "run",
                "--enable-api",
                "-i",
                host,
                "-p",
                str(args.rasa_port),
                "--credentials",
                "credentials.yml",
                "--endpoints",
                str(endpoints_file(host, args.actions_port, var_dir())),
                "--model",
                str(args.model),
                *(["--auth-token", token] if token else []),
            ],
            BOT_DIR,
            f"http://{host}:{args.rasa_port}/status" + (f"?token={token}" if token else ""),
            # worker processes sharing the port; they share conversations through the
            # SQLite tracker and lock stores. One TensorFlow/OpenMP thread each: extra
            # threads only spin against the other processes on a small machine.
            env={
                "SANIC_WORKERS": str(args.rasa_workers),
                "TF_INTRA_OP_PARALLELISM_THREADS": os.environ.get(
                    "TF_INTRA_OP_PARALLELISM_THREADS", "1"
                ),
                "TF_INTER_OP_PARALLELISM_THREADS": os.environ.get(
                    "TF_INTER_OP_PARALLELISM_THREADS", "1"
                ),
                "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
                # a conversation's lock outlives a Rasa host that died holding it by
                # this long (Rasa's default: 60 s); a turn takes well under a second
                "TICKET_LOCK_LIFETIME": os.environ.get("TICKET_LOCK_LIFETIME", "20"),
            },
            repeat_term=args.rasa_workers > 1,
            port=args.rasa_port,
        ),
    ]
    me = [sys.executable, "-m", "navigator.cli"]
    # the console (handoffs: Rasa's HTTP API) and the adapters talk to this stack's Rasa
    to_rasa = {"RASA_URL": os.environ.get("RASA_URL") or f"http://{host}:{args.rasa_port}"}
    if not args.no_console and importlib.util.find_spec("navigator.commands.console"):
        console = int(os.environ.get("CONSOLE_PORT", "8000"))
        children.append(
            Child(
                "console",
                [*me, "console", "--port", str(console)],
                PROJECT_ROOT,
                f"tcp://{host}:{console}",
                port=console,
                env=to_rasa,
            )
        )
    if os.environ.get("TELEGRAM_BOT_TOKEN") or os.environ.get("WHATSAPP_ACCESS_TOKEN"):
        # reminders go out on the citizen's channel: only with a channel to send on
        children.append(Child("reminders", [*me, "reminders", "worker"], PROJECT_ROOT, env=to_rasa))
    if os.environ.get("TELEGRAM_BOT_TOKEN"):
        children.append(Child("telegram", [*me, "telegram"], PROJECT_ROOT, env=to_rasa))
    if os.environ.get("WHATSAPP_ACCESS_TOKEN"):
        port = os.environ.get("WHATSAPP_PORT", "8001")
        children.append(
            Child(
                "whatsapp",
                [*me, "whatsapp"],
                PROJECT_ROOT,
                f"tcp://{host}:{port}",
                port=int(port),
                env=to_rasa,
            )
        )
    return children


def healthy(url: str) -> bool:
    """One health probe (short timeout)."""
    if url.startswith("tcp://"):
        host, _, port = url[len("tcp://") :].rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=1.0):
                return True
        except OSError:
            return False
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


class Stack:
    """Starts, watches and stops the children; a context manager."""

    def __init__(self, children: list[Child], log_dir: Path) -> None:
        self.children = children
        self.log_dir = log_dir

    def start(self) -> None:
        """Start every child in its own process group, output to ``var/log/<name>.log``,
        on a leash (``navigator.commands.leash``) that stops the group if we die."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = _env()
        for child in self.children:
            log = open(self.log_dir / f"{child.name}.log", "ab")  # noqa: SIM115 - child owns it
            child.process = subprocess.Popen(
                [sys.executable, "-m", "navigator.commands.leash", *child.argv],
                cwd=child.cwd,
                env={**env, **child.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=die_with_parent,  # noqa: PLW1509 - no threads run yet
            )
            log.close()
            logger.info(
                "started %s (pid %d), log %s",
                child.name,
                child.process.pid,
                self.log_dir / f"{child.name}.log",
            )

    def wait_healthy(self, timeout: float) -> bool:
        """Wait until every child with a health check answers; False on timeout or crash."""
        deadline = time.monotonic() + timeout
        pending = [c for c in self.children if c.health]
        while pending:
            for child in list(pending):
                if not child.alive:
                    logger.error(
                        "%s exited early (code %s); see %s",
                        child.name,
                        child.process.returncode if child.process else "?",
                        self.log_dir / f"{child.name}.log",
                    )
                    return False
                if healthy(child.health or ""):
                    logger.info("%s is up (%s)", child.name, child.health)
                    pending.remove(child)
            if pending and time.monotonic() > deadline:
                logger.error("not up after %.0fs: %s", timeout, ", ".join(c.name for c in pending))
                return False
            if pending:
                time.sleep(0.5)
        return True

    def stop(self) -> None:
        """SIGTERM each child's process group, then SIGKILL what is left after a grace time."""
        main = threading.current_thread() is threading.main_thread()
        if main:
            before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # interrupt the clean-up
        for child in reversed(self.children):
            if child.process is not None and child.process.poll() is None:
                self._signal(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for child in reversed(self.children):
            if child.process is None:
                continue
            if not self._wait(child, deadline):
                logger.warning("%s did not stop; killing it", child.name)
            self._signal(child, signal.SIGKILL)  # its group may hold grandchildren
            child.process.wait(timeout=5)
        if main:  # the caller (a test, the cluster) may go on
            signal.signal(signal.SIGINT, before[0])
            signal.signal(signal.SIGTERM, before[1])
        logger.info("stack stopped")

    def _wait(self, child: Child, deadline: float) -> bool:
        """Wait for the child to exit by the deadline; False if it did not."""
        assert child.process is not None
        while True:
            left = deadline - time.monotonic()
            try:
                child.process.wait(timeout=max(0.1, min(left, 1.0) if child.repeat_term else left))
                return True
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline:
                    return False
                self._signal(child, signal.SIGTERM)

    @staticmethod
    def _signal(child: Child, sig: signal.Signals) -> None:
        assert child.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.process.pid, sig)  # the group we created for this child

    def watch(self) -> int:
        """Block until a signal arrives or a child dies; returns the exit code."""
        while True:
            for child in self.children:
                if not child.alive:
                    logger.error(
                        "%s exited (code %s); stopping the stack",
                        child.name,
                        child.process.returncode if child.process else "?",
                    )
                    return 1
            time.sleep(1.0)

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Stop(Exception):
    """Raised by the signal handler to unwind into ``Stack.stop``."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _install_signals() -> None:
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)


def _check_model(model: Path) -> bool:
    if model.is_file():
        return True
    logger.error("no trained model at %s: run 'make train'", model)
    return False


def _new_stack(args: argparse.Namespace) -> Stack | None:
    """The stack to start, or None (logged why) without a model or with a port taken."""
    if not _check_model(args.model):
        return None
    try:
        children = plan(args)
    except BadURL as exc:
        logger.error("%s", exc)
        return None
    busy = ports.taken(args.host, {c.name: c.port for c in children if c.port is not None})
    if busy:
        for line in busy:
            logger.error("%s", line)
        logger.error("not starting: stop that process first (an old 'navigator serve'?)")
        return None
    _install_signals()
    return Stack(children, var_dir() / "log")


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the stack until SIGINT/SIGTERM."""
    stack = _new_stack(args)
    if stack is None:
        return 2
    try:
        with stack:
            stack.start()
            if not stack.wait_healthy(args.timeout):
                return 1
            print(
                f"navigator is up: Rasa http://{args.host}:{args.rasa_port} "
                f"(REST /webhooks/rest/webhook), actions :{args.actions_port}; Ctrl-C stops",
                flush=True,
            )
            return stack.watch()
    except _Stop as stop:
        logger.info("%s received; stopping", stop)
        return 0


# -- terminal chat ---------------------------------------------------------------------
def _show(messages: list[dict[str, object]], buttons_out: list[str]) -> None:
    """Print the bot's messages; numbered buttons are remembered for the next input."""
    buttons_out.clear()
    for message in messages:
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            print(f"bot> {text}")
        buttons = message.get("buttons")
        for button in buttons if isinstance(buttons, list) else []:
            if isinstance(button, dict):
                buttons_out.append(str(button.get("payload") or button.get("title")))
                print(f"  [{len(buttons_out)}] {button.get('title')}")


def chat_loop(url: str, timeout: float) -> int:
    """Read lines, post them to the REST channel, print the replies. A number picks a button."""
    sender = f"terminal:{uuid.uuid4().hex[:12]}"
    buttons: list[str] = []
    print(
        "Navigator chat. Type your question (Indonesian or English); a number picks a "
        "button; /restart starts over; Ctrl-D quits."
    )
    with httpx.Client(timeout=timeout) as client:
        while True:
            try:
                line = input("you> ").strip()
            except EOFError:
                print()
                return 0
            if not line:
                continue
            if line.isdigit() and 0 < int(line) <= len(buttons):
                line = buttons[int(line) - 1]
            try:
                response = client.post(url, json={"sender": sender, "message": line})
                response.raise_for_status()
                _show(response.json(), buttons)
            except (httpx.HTTPError, ValueError) as exc:
                print(f"(no answer from Rasa: {exc})")


def cmd_chat(args: argparse.Namespace) -> int:
    """Chat in the terminal; with --serve, start the stack first and stop it afterwards."""
    url = f"http://{args.host}:{args.rasa_port}/webhooks/rest/webhook"
    if not args.serve:
        try:
            return chat_loop(url, args.request_timeout)
        except KeyboardInterrupt:
            return 0
    stack = _new_stack(args)
    if stack is None:
        return 2
    try:
        with stack:
            stack.start()
            print("starting Rasa and the action server (about a minute)...", flush=True)
            if not stack.wait_healthy(args.timeout):
                return 1
            return chat_loop(url, args.request_timeout)
    except (_Stop, KeyboardInterrupt):
        return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=os.environ.get("NAVIGATOR_HOST", "127.0.0.1"),
        help="interface to bind and to call (default 127.0.0.1)",
    )
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument(
        "--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055))
    )
    parser.add_argument(
        "--rasa-workers",
        type=int,
        default=int(os.environ.get("RASA_WORKERS", min(2, os.cpu_count() or 1))),
        help="Rasa worker processes (default: 2, or 1 on a one-core machine)",
    )
    parser.add_argument("--model", type=Path, default=MODEL, help="trained Rasa model")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for health")
    parser.add_argument("--no-console", action="store_true", help="do not start the console")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``serve`` and ``chat``."""
    serve = sub.add_parser("serve", help="run Rasa, actions, console and adapters until Ctrl-C")
    _common(serve)
    serve.set_defaults(handler=cmd_serve)
    chat = sub.add_parser("chat", help="chat with the bot in the terminal (REST channel)")
    _common(chat)
    chat.add_argument("--serve", action="store_true", help="start the stack for the chat")
    chat.add_argument("--request-timeout", type=float, default=30.0)
    chat.set_defaults(handler=cmd_chat)
