"""PostgreSQL, Redis, N complete stacks and HAProxy in front of them, on one machine.

Each stack is a ``navigator serve`` of its own (Rasa, action server, console) on its own
ports and var folder, sharing only what real hosts would share: the two state URLs and
the built index. HAProxy balances Rasa (and the consoles) round robin, without
stickiness, so consecutive messages of one conversation land on different stacks.
Every process is a child on a leash (see ``navigator.commands.leash``): stopping the
cluster, or killing its supervisor, leaves none behind.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from navigator.cluster.servers import HAProxy, Postgres, Redis, free_port
from navigator.commands.endpoints import postgres_tracker_store
from navigator.commands.serve import MODEL, Child, Stack
from navigator.settings import PROJECT_ROOT, var_dir

logger = logging.getLogger(__name__)

RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"


@dataclass(frozen=True)
class StackPorts:
    """The ports of one stack."""

    rasa: int
    actions: int
    console: int

    @classmethod
    def numbered(cls, number: int) -> StackPorts:
        """Stack 1 on 5105/5155/8100, stack 2 on 5205/5255/8200, ..."""
        return cls(5005 + 100 * number, 5055 + 100 * number, 8000 + 100 * number)

    @classmethod
    def free(cls) -> StackPorts:
        """Ports that were free a moment ago (tests)."""
        return cls(free_port(), free_port(), free_port())


@dataclass
class ClusterPlan:
    """What to start: ports, folders and sizes."""

    root: Path = field(default_factory=lambda: var_dir() / "cluster")
    stacks: list[StackPorts] = field(
        default_factory=lambda: [StackPorts.numbered(1), StackPorts.numbered(2)]
    )
    rasa_port: int = 8080  # the load balancer's Rasa front (CLUSTER_PORT)
    console_port: int | None = 8000  # its console front (None: no consoles)
    postgres_port: int = 55432
    redis_port: int = 56379
    rasa_workers: int = 1
    model: Path = MODEL
    # state engines already running elsewhere: then no local PostgreSQL / Redis is started
    database_url: str | None = None
    redis_url: str | None = None
    index_dir: Path = field(default_factory=lambda: var_dir() / "index")

    @classmethod
    def on_free_ports(cls, root: Path, stacks: int = 2, console: bool = False) -> ClusterPlan:
        """Every port picked free (tests)."""
        return cls(
            root=root,
            stacks=[StackPorts.free() for _ in range(stacks)],
            rasa_port=free_port(),
            console_port=free_port() if console else None,
            postgres_port=free_port(),
            redis_port=free_port(),
        )


class Cluster:
    """Start, use and stop a cluster; a context manager."""

    def __init__(self, plan: ClusterPlan) -> None:
        plan.root = plan.root.resolve()  # PostgreSQL's socket folder must be absolute
        self.plan = plan
        root = plan.root
        self.postgres = Postgres(root / "postgres", port=plan.postgres_port)
        self.redis = Redis(root / "redis", port=plan.redis_port)
        fronts = {"rasa": (plan.rasa_port, [s.rasa for s in plan.stacks], "/status")}
        if plan.console_port:
            fronts["console"] = (plan.console_port, [s.console for s in plan.stacks], "/api/health")
        self.haproxy = HAProxy(root / "haproxy", port=plan.rasa_port, backends=fronts)
        self.stacks = [self._stack_child(i, ports) for i, ports in enumerate(plan.stacks, 1)]
        self.supervisor: Stack | None = None

    @property
    def rasa_url(self) -> str:
        """Rasa behind the load balancer."""
        return f"http://127.0.0.1:{self.plan.rasa_port}"

    @property
    def database_url(self) -> str:
        """The PostgreSQL every stack uses: the plan's, or the local one."""
        return self.plan.database_url or self.postgres.url

    @property
    def redis_url(self) -> str:
        """The Redis every stack uses: the plan's, or the local one."""
        return self.plan.redis_url or self.redis.url

    def env(self) -> dict[str, str]:
        """What every process of the cluster shares."""
        return {
            "NAVIGATOR_DATABASE_URL": self.database_url,
            "NAVIGATOR_REDIS_URL": self.redis_url,
            "NAVIGATOR_INDEX_DIR": str(self.plan.index_dir),
        }

    def _stack_child(self, number: int, ports: StackPorts) -> Child:
        argv = [
            sys.executable,
            "-m",
            "navigator.cli",
            "serve",
            "--rasa-port",
            str(ports.rasa),
            "--actions-port",
            str(ports.actions),
            "--rasa-workers",
            str(self.plan.rasa_workers),
            "--model",
            str(self.plan.model),
        ]
        if not self.plan.console_port:
            argv.append("--no-console")
        folder = self.plan.root / f"stack-{number}"
        return Child(
            f"stack-{number}",
            argv,
            PROJECT_ROOT,
            health=f"http://127.0.0.1:{ports.rasa}/status",
            env={"NAVIGATOR_VAR": str(folder), "CONSOLE_PORT": str(ports.console)},
        )

    def start(self, timeout: float = 420.0) -> Cluster:
        """PostgreSQL and Redis, Rasa's tables, the stacks, then the load balancer."""
        self.plan.root.mkdir(parents=True, exist_ok=True)
        if not self.plan.database_url:
            self.postgres.start()
        if not self.plan.redis_url:
            self.redis.start()
        create_rasa_tables(self.database_url)
        for child in self.stacks:
            child.env.update(self.env())
        # the stacks' own supervisors take the same signals; ours watches them
        self.supervisor = Stack(self.stacks, self.plan.root / "log")
        self.supervisor.start()
        if not self.supervisor.wait_healthy(timeout):
            self.stop()
            raise RuntimeError(f"the stacks did not come up; see {self.plan.root}/stack-*/log")
        self.haproxy.start()
        logger.info("cluster up: Rasa behind HAProxy at %s", self.rasa_url)
        return self

    def stop(self) -> None:
        """Everything, in reverse order; nothing is left running."""
        self.haproxy.stop()
        if self.supervisor is not None:
            self.supervisor.stop()
        self.redis.stop()
        self.postgres.stop()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def create_rasa_tables(database_url: str) -> None:
    """Let Rasa's own SQLTrackerStore create its ``events`` table once, before the stacks
    start: two Rasa processes creating it at the same moment can collide in PostgreSQL's
    catalogue."""
    store = postgres_tracker_store(database_url)
    code = (
        "import sys; from rasa.core.tracker_store import SQLTrackerStore; "
        "SQLTrackerStore(dialect='postgresql', host=sys.argv[1], port=int(sys.argv[2]), "
        "db=sys.argv[3], username=sys.argv[4], password=sys.argv[5])"
    )
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "RASA_TELEMETRY_ENABLED": "false"}
    done = subprocess.run(
        [
            str(RASA_PYTHON),
            "-W",
            "ignore",
            "-c",
            code,
            store["url"],
            str(store["port"]),
            store["db"],
            store.get("username", ""),
            store.get("password", ""),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Rasa could not create its tables: {done.stderr.strip()[-800:]}")
