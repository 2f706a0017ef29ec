"""``navigator cluster``: PostgreSQL, Redis, two stacks and HAProxy, until Ctrl-C.

For demos and by hand what the cluster tests do: Debian's servers bound to loopback
with their data under ``var/cluster`` (or the engines of ``NAVIGATOR_DATABASE_URL`` and
``NAVIGATOR_REDIS_URL`` when they are set), the stacks on 5105/5155/8100 and
5205/5255/8200, and the load balancer in front of Rasa's REST channel on
``CLUSTER_PORT`` (default 8080) and of the consoles on 8000. The stacks' own ports are
printed at the start. Stopping it (Ctrl-C, SIGTERM, or the supervisor being killed)
leaves no process behind.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
from types import FrameType

from navigator.cluster.cluster import Cluster, ClusterPlan, StackPorts
from navigator.cluster.servers import ServerMissing
from navigator.settings import database_url, redis_url

logger = logging.getLogger(__name__)


class _Stop(Exception):
    pass


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _where(url: str) -> str:
    """``host:port/db`` of a state URL, without its password."""
    return url.rsplit("@", 1)[-1].split("://", 1)[-1]


def cmd_cluster(args: argparse.Namespace) -> int:
    """Run the cluster until a signal arrives or a stack dies."""
    if args.free_ports:
        plan = ClusterPlan.on_free_ports(
            ClusterPlan().root, stacks=args.stacks, console=not args.no_console
        )
    else:
        plan = ClusterPlan(
            stacks=[StackPorts.numbered(i) for i in range(1, args.stacks + 1)],
            rasa_port=args.port,
            console_port=None if args.no_console else args.console_port,
        )
    plan.rasa_workers = args.rasa_workers
    plan.database_url, plan.redis_url = database_url(), redis_url()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    cluster = Cluster(plan)
    try:
        cluster.start()
        assert cluster.supervisor is not None
        for number, ports in enumerate(plan.stacks, 1):
            print(
                f"stack {number}: Rasa :{ports.rasa}, actions :{ports.actions}"
                + ("" if args.no_console else f", console :{ports.console}"),
                flush=True,
            )
        print(
            f"cluster is up: Rasa {cluster.rasa_url} (HAProxy, round robin over "
            f"{args.stacks} stacks), PostgreSQL {_where(cluster.database_url)}, "
            f"Redis {_where(cluster.redis_url)}; Ctrl-C stops",
            flush=True,
        )
        return cluster.supervisor.watch()
    except _Stop as stop:
        logger.info("%s received; stopping the cluster", stop)
        return 0
    except (ServerMissing, RuntimeError, TimeoutError) as exc:
        logger.error("%s", exc)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``cluster``."""
    parser = sub.add_parser(
        "cluster", help="PostgreSQL, Redis, two stacks and HAProxy on loopback, until Ctrl-C"
    )
    parser.add_argument("--stacks", type=int, default=2, help="complete stacks (default 2)")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("CLUSTER_PORT", "8080")),
        help="HAProxy's front of Rasa's REST channel (CLUSTER_PORT, default 8080)",
    )
    parser.add_argument("--console-port", type=int, default=8000, help="its console front (8000)")
    parser.add_argument("--no-console", action="store_true", help="stacks without consoles")
    parser.add_argument("--rasa-workers", type=int, default=1, help="Rasa processes per stack")
    parser.add_argument(
        "--free-ports", action="store_true", help="every port picked free (printed when up)"
    )
    parser.set_defaults(handler=cmd_cluster)
