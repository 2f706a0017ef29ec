"""Talking to the cluster as an adapter does, and finding its processes."""

from __future__ import annotations

import os
import signal
from typing import Any

import httpx
import psutil
import psycopg

from navigator.cluster.cluster import Cluster

# the REST channel's reply when the bot could not answer (bot/credentials.yml)
POLITE = "Maaf, layanan sedang terganggu"


def say(cluster: Cluster, sender: str, text: str, timeout: float = 30.0) -> tuple[str, str]:
    """The bot's reply text (joined) and which stack answered (HAProxy's X-Served-By)."""
    response = httpx.post(
        f"{cluster.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=timeout,
    )
    response.raise_for_status()
    replies: list[dict[str, Any]] = response.json()
    return "\n".join(str(m.get("text") or "") for m in replies), response.headers.get(
        "x-served-by", ""
    )


def user_texts(cluster: Cluster, sender: str) -> list[str]:
    """The citizen's messages as rows of Rasa's ``events`` table, in order."""
    with psycopg.connect(cluster.postgres.url) as conn:
        rows = conn.execute(
            "SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id",
            (sender,),
        ).fetchall()
    import json

    return [json.loads(data)["text"] for (data,) in rows]


def listener(port: int) -> psutil.Process:
    """The process listening on 127.0.0.1:``port``."""
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return psutil.Process(conn.pid)
    raise LookupError(f"nothing listens on {port}")


def pause(process: psutil.Process, paused: bool) -> None:
    """Freeze or thaw a process and its children (an action server that stops answering)."""
    for proc in [process, *process.children(recursive=True)]:
        os.kill(proc.pid, signal.SIGSTOP if paused else signal.SIGCONT)
