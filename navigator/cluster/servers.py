"""PostgreSQL, Redis and HAProxy from Debian's packages, run by us on loopback.

Why our own few lines instead of a library: the test-server libraries on PyPI
(pytest-postgresql, testing.postgresql) either download binaries or assume a
non-root user; we need Debian's binaries, the ``postgres`` system user when we run as
root (CI does), and the same code for ``make cluster`` and for the tests.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from navigator.commands.leash import die_with_parent

logger = logging.getLogger(__name__)

DEBIAN_PACKAGES = ("postgresql", "redis-server", "haproxy")


class ServerMissing(RuntimeError):
    """A server binary is not installed."""


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_port(port: int, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until ``port`` accepts connections; fail early if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited (code {proc.returncode}) before listening on {port}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing listens on port {port} after {timeout:.0f}s")
        time.sleep(0.1)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise ServerMissing(f"{name} not found: install Debian's postgresql package")


def _binary(name: str, package: str) -> str:
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None
    )
    if not path:
        raise ServerMissing(f"{name} not found: install Debian's {package} package")
    return path


def _no_groups(user: str | None) -> list[str] | None:
    """Run as ``user`` with its own group and no other groups: with root's group kept,
    root-owned folders would be judged by their group bits."""
    return [] if user else None


def _let_through(folder: Path) -> None:
    """Give others the search (x) bit on ``folder`` and its parents, so that the
    ``postgres`` user can reach its data folder under a root-owned tree (no read bit)."""
    for path in [folder.resolve(), *folder.resolve().parents]:
        mode = path.stat().st_mode
        if not mode & 0o001:
            os.chmod(path, mode | 0o001)


@dataclass
class _Server:
    """A server process we started; stopped with SIGTERM, then SIGKILL."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def _popen(self, argv: list[str], user: str | None = None) -> None:
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=user,
            group=user,
            extra_groups=_no_groups(user),
            start_new_session=True,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - no threads run yet
        )
        log.close()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server and wait for it (a fast shutdown, not a crash)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of the server's log, for error messages."""
        path = self.data_dir / "server.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Postgres(_Server):
    """A PostgreSQL cluster in ``data_dir``, listening on 127.0.0.1:``port`` only.

    As root (CI), PostgreSQL refuses to run, so ``initdb`` and the server run as
    Debian's ``postgres`` system user, which then owns ``data_dir``.
    """

    database: str = "navigator"
    user: str = "navigator"
    password: str = "navigator"

    @property
    def url(self) -> str:
        """The ``postgresql://`` URL of the project's database."""
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def _run_as(self) -> str | None:
        return "postgres" if os.geteuid() == 0 else None

    def init(self) -> None:
        """``initdb`` once (password login for our role), then the database is made on start."""
        pgdata = self.data_dir / "pgdata"
        if (pgdata / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        pgdata.mkdir(exist_ok=True)
        user = self._run_as()
        if user:
            _let_through(self.data_dir.parent)
            shutil.chown(self.data_dir, user)
            shutil.chown(pgdata, user)
            os.chmod(self.data_dir, 0o700)
        pwfile = self.data_dir / "pwfile"
        pwfile.write_text(self.password + "\n")
        if user:
            shutil.chown(pwfile, user)
        done = subprocess.run(
            [
                _pg_bin("initdb"),
                "-D",
                str(pgdata),
                "-U",
                self.user,
                "--pwfile",
                str(pwfile),
                "-A",
                "scram-sha-256",
                "-E",
                "UTF8",
                "--locale",
                "C.UTF-8",
                "--no-sync",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            user=user,
            group=user,
            extra_groups=_no_groups(user),
        )
        pwfile.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")

    def start(self, timeout: float = 60.0) -> Postgres:
        """Start the server (``initdb`` first if needed) and create the database."""
        self.init()
        pgdata = self.data_dir / "pgdata"
        self._popen(
            [
                _pg_bin("postgres"),
                "-D",
                str(pgdata),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.data_dir}",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=200",
                "-c",
                "log_min_messages=warning",
            ],
            user=self._run_as(),
        )
        wait_port(self.port, timeout, self.process)
        self._ensure_database(timeout)
        logger.info("postgresql on 127.0.0.1:%d (data %s)", self.port, self.data_dir)
        return self

    def _ensure_database(self, timeout: float) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1",
                    port=self.port,
                    user=self.user,
                    password=self.password,
                    dbname="postgres",
                    autocommit=True,
                ) as conn:
                    exists = conn.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", (self.database,)
                    ).fetchone()
                    if not exists:
                        conn.execute(f'CREATE DATABASE "{self.database}"')
                return
            except psycopg.OperationalError:  # still starting up
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self, timeout: float = 15.0) -> None:
        """A fast shutdown (SIGINT: roll back open transactions, close connections)."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        super().stop(timeout=5)


@dataclass
class Redis(_Server):
    """A Redis server on 127.0.0.1:``port``, its files in ``data_dir``, nothing saved."""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 30.0) -> Redis:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._popen(
            [
                _binary("redis-server", "redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.data_dir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ]
        )
        wait_port(self.port, timeout, self.process)
        logger.info("redis on 127.0.0.1:%d", self.port)
        return self


@dataclass
class HAProxy(_Server):
    """HAProxy in front of HTTP backends: round robin, no stickiness, health-checked.

    ``backends`` maps a frontend name to (its listening port, the backend ports, the
    health-check path). A request refused by a dead backend (connection failure,
    or an empty reply from a process that died) is retried once on another backend:
    Rasa saves a conversation's events only after it has answered, so a message lost
    by a dying host has left nothing to answer twice.
    """

    backends: dict[str, tuple[int, list[int], str]] = field(default_factory=dict)

    def config(self) -> str:
        """The ``haproxy.cfg`` text."""
        lines = [
            "global",
            "    log stderr format short local0 warning",
            "    maxconn 4096",
            "defaults",
            "    mode http",
            "    log global",
            "    option httplog",
            "    timeout connect 2s",
            "    timeout client 60s",
            "    timeout server 60s",
            # a Rasa busy with a closed-loop load answers /status late: that is not down
            # (a dead one refuses the connection at once, whatever this says)
            "    timeout check 10s",
            "    retries 2",
            "    option redispatch 1",
            "    retry-on conn-failure empty-response",
            "    default-server inter 500ms fall 2 rise 2",
        ]
        for name, (port, servers, check) in self.backends.items():
            lines += [
                f"frontend {name}",
                f"    bind 127.0.0.1:{port}",
                "    http-request wait-for-body time 2s",
                f"    default_backend {name}_hosts",
                f"backend {name}_hosts",
                "    balance roundrobin",
                f"    option httpchk GET {check}",
                "    http-response set-header X-Served-By %s",  # which host answered
            ]
            lines += [f"    server {name}{i} 127.0.0.1:{p} check" for i, p in enumerate(servers, 1)]
        return "\n".join(lines) + "\n"

    def start(self, timeout: float = 15.0) -> HAProxy:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cfg = self.data_dir / "haproxy.cfg"
        cfg.write_text(self.config())
        binary = _binary("haproxy", "haproxy")
        check = subprocess.run([binary, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy.cfg rejected: {check.stderr.strip()}")
        self._popen([binary, "-db", "-f", str(cfg)])
        for port, _, _ in self.backends.values():
            wait_port(port, timeout, self.process)
        logger.info("haproxy: %s", ", ".join(f"{n} :{p}" for n, (p, _, _) in self.backends.items()))
        return self
