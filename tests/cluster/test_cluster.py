"""Two stacks behind HAProxy (round robin), state in PostgreSQL and Redis."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from navigator.cluster.cluster import Cluster
from navigator.settings import PROJECT_ROOT
from tests.cluster.support import say, user_texts
from tests.support.stack import embedded_stack

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]

BLIND_TEST = PROJECT_ROOT / "tests" / "eval" / "conversations_blind_test.yml"


def test_a_conversation_alternating_between_stacks_keeps_its_context(cluster: Cluster) -> None:
    sender = "cluster-context-1"
    turns = [
        "saya mau bikin akta kelahiran anak",
        "syaratnya apa?",
        "biayanya berapa?",
        "bikinnya di mana?",
    ]
    replies = [say(cluster, sender, text) for text in turns]
    hosts = [host for _, host in replies]
    assert set(hosts) == {"rasa1", "rasa2"}, hosts  # round robin, no stickiness
    assert all(hosts[i] != hosts[i + 1] for i in range(len(hosts) - 1)), hosts
    first, requirements, fee, place = (text for text, _ in replies)
    assert "AKTA KELAHIRAN" in first
    # the follow-ups, each on the other stack, are answered about the service in focus
    assert "AKTA KELAHIRAN" in requirements and "Syarat" in requirements
    assert "AKTA KELAHIRAN" in fee and "Biaya" in fee
    assert "AKTA KELAHIRAN" in place
    assert user_texts(cluster, sender) == turns  # rows of PostgreSQL's events table


def _eval_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "eval_conversations", PROJECT_ROOT / "benchmarks" / "eval_conversations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_held_out_conversations_score_the_same_on_the_cluster(cluster: Cluster) -> None:
    import yaml

    evaluation = _eval_module()
    conversations = yaml.safe_load(BLIND_TEST.read_text(encoding="utf-8"))
    on_cluster = evaluation.run(conversations, cluster.rasa_url, 30.0)
    with embedded_stack(Path(tempfile.mkdtemp(prefix="navigator-embedded-"))) as url:
        embedded = evaluation.run(conversations, url, 30.0)
    # compare figures and per-turn offers, never print the test split's misses
    figures = {k: v for k, v in evaluation.summary(on_cluster).items() if k != "misses"}
    expected = {k: v for k, v in evaluation.summary(embedded).items() if k != "misses"}
    assert figures == expected
    differing = sum(a.offered != b.offered for a, b in zip(on_cluster, embedded, strict=True))
    assert differing == 0, f"{differing} turns offered other services on the cluster"
