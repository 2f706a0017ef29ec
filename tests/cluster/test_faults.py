"""Faults on the cluster: a slow action server, PostgreSQL restarted, Redis down, and
(last, since it takes a stack away) a Rasa host killed in the middle of a conversation.

Each failing turn must get the polite "send it again" reply quickly, never silence or a
hang, and the stack must recover without a restart of its own.
"""

from __future__ import annotations

import signal
import threading
import time

import httpx
import pytest

from navigator.cluster.cluster import Cluster
from tests.cluster.support import POLITE, listener, pause, say, user_texts

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(600)]


def _focus_on_birth_certificate(cluster: Cluster, sender: str) -> None:
    text, _ = say(cluster, sender, "saya mau bikin akta kelahiran anak")
    assert "AKTA KELAHIRAN" in text


def test_a_slow_action_server_gets_a_timeout_and_a_polite_reply(cluster: Cluster) -> None:
    sender = "fault-slow-actions"
    _focus_on_birth_certificate(cluster, sender)
    servers = [listener(stack.actions) for stack in cluster.plan.stacks]
    for server in servers:
        pause(server, True)
    try:
        started = time.monotonic()
        text, _ = say(cluster, sender, "syaratnya apa?", timeout=30)
        waited = time.monotonic() - started
    finally:
        for server in servers:
            pause(server, False)
    assert POLITE in text
    assert waited < 15  # bot/endpoints.yml: action_endpoint.timeout 8 s
    text, _ = say(cluster, sender, "syaratnya apa?")
    assert "AKTA KELAHIRAN" in text and "Syarat" in text


def test_postgresql_restarted_gets_polite_replies_then_recovers(cluster: Cluster) -> None:
    sender = "fault-postgres"
    _focus_on_birth_certificate(cluster, sender)
    cluster.postgres.stop()
    try:
        for _ in range(2):  # both stacks, round robin
            started = time.monotonic()
            text, _ = say(cluster, sender, "syaratnya apa?")
            assert POLITE in text
            assert time.monotonic() - started < 10
    finally:
        cluster.postgres.start()
    for _ in range(2):  # each stack reconnects by itself: no restart
        text, _ = say(cluster, sender, "biayanya berapa?")
        assert "AKTA KELAHIRAN" in text and "Biaya" in text  # the focus survived
    assert user_texts(cluster, sender)[-2:] == ["biayanya berapa?", "biayanya berapa?"]


def test_redis_down_gets_a_polite_reply_without_a_hang(cluster: Cluster) -> None:
    sender = "fault-redis"
    _focus_on_birth_certificate(cluster, sender)
    cluster.redis.stop()
    try:
        for _ in range(2):
            started = time.monotonic()
            text, _ = say(cluster, sender, "syaratnya apa?")
            assert POLITE in text
            assert time.monotonic() - started < 10
    finally:
        cluster.redis.start()
    text, _ = say(cluster, sender, "syaratnya apa?")
    assert "AKTA KELAHIRAN" in text and "Syarat" in text


def test_a_rasa_host_killed_mid_conversation(cluster: Cluster) -> None:
    """Rasa 1 dies while it holds a turn: HAProxy retries the turn on Rasa 2, which waits
    for the dead host's conversation lock to lapse and answers it. The other host goes
    on with the conversation: no turn lost, none answered twice."""
    sender = "fault-host-killed"
    sent = ["saya mau bikin akta kelahiran anak"]
    text, host = say(cluster, sender, sent[0])
    while host != "rasa2":  # round robin: the next turn goes to Rasa 1
        sent.append("syaratnya apa?")
        text, host = say(cluster, sender, sent[-1])
    assert "AKTA KELAHIRAN" in text
    actions_1 = listener(cluster.plan.stacks[0].actions)
    victim = listener(cluster.plan.stacks[0].rasa)
    pause(actions_1, True)  # Rasa 1 will be in the middle of the turn, lock held
    in_flight: dict[str, object] = {}

    def turn() -> None:
        started = time.monotonic()
        in_flight["reply"] = say(cluster, sender, "biayanya berapa?", timeout=60)
        in_flight["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=turn)
    thread.start()
    time.sleep(1.0)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    pause(actions_1, False)
    thread.join(timeout=60)
    sent.append("biayanya berapa?")
    text, host = in_flight["reply"]  # type: ignore[misc]
    assert host == "rasa2" and POLITE not in text
    assert "AKTA KELAHIRAN" in text and "Biaya" in text
    after = ["bikinnya di mana?", "berapa lama jadinya?"]
    for message in after:
        text, host = say(cluster, sender, message)
        assert host == "rasa2" and POLITE not in text and "AKTA KELAHIRAN" in text
    assert user_texts(cluster, sender) == sent + after  # each turn once, in order
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{cluster.plan.stacks[0].rasa}/status", timeout=2)
