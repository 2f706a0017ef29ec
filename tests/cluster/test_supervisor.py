"""``navigator cluster`` killed with SIGKILL leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from navigator.commands.serve import MODEL
from navigator.settings import PROJECT_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(400)]


def test_a_killed_cluster_supervisor_leaves_no_process() -> None:
    if not MODEL.is_file():
        pytest.skip(f"no trained model at {MODEL}: run 'make train'")
    var = Path(tempfile.mkdtemp(prefix="navigator-cluster-cli-"))
    env = dict(
        os.environ,
        NAVIGATOR_VAR=str(var),
        NAVIGATOR_INDEX_DIR=os.environ.get(
            "NAVIGATOR_INDEX_DIR", str(PROJECT_ROOT / "var" / "index")
        ),
    )
    argv = [sys.executable, "-m", "navigator.cli", "cluster", "--stacks", "1", "--no-console"]
    supervisor = subprocess.Popen(
        [*argv, "--free-ports"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert supervisor.stdout is not None
    line = ""
    deadline = time.monotonic() + 300
    while "cluster is up" not in line:
        line = supervisor.stdout.readline()
        assert line or supervisor.poll() is None, "navigator cluster exited before it was up"
        assert time.monotonic() < deadline, "navigator cluster not up after 300 s"
    tree = psutil.Process(supervisor.pid).children(recursive=True)
    names = " ".join(" ".join(p.cmdline()) for p in tree)
    for part in ("postgres", "redis-server", "haproxy", "rasa run", "-m actions"):
        assert part in names, f"no {part} among the cluster's processes"
    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait(timeout=10)
    gone, alive = psutil.wait_procs(tree, timeout=30)
    assert not alive, f"left running: {[' '.join(p.cmdline())[:80] for p in alive]}"
