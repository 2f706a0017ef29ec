"""One cluster for the package: PostgreSQL, Redis, two stacks and HAProxy (round robin).

Started once (about a minute) and shared by the cluster and fault tests; the fault that
kills a host runs last. Needs ``make train`` and the index (skipped without a model,
as the embedded integration test is); ``make test`` provides both.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from navigator.cluster.cluster import Cluster, ClusterPlan
from navigator.commands.serve import MODEL
from navigator.settings import PROJECT_ROOT


@pytest.fixture(scope="package")
def cluster() -> Iterator[Cluster]:
    if not MODEL.is_file():
        pytest.skip(f"no trained model at {MODEL}: run 'make train'")
    root = Path(tempfile.mkdtemp(prefix="navigator-cluster-"))
    plan = ClusterPlan.on_free_ports(root, stacks=2)
    plan.index_dir = Path(os.environ.get("NAVIGATOR_INDEX_DIR", PROJECT_ROOT / "var" / "index"))
    with Cluster(plan) as running:
        running.start()
        yield running
