"""Who holds a TCP port, so that ``navigator serve`` never starts beside a stale stack.

A supervisor that finds Rasa's port taken must not report "rasa is up" and talk to an
old stack (old model, old index); it refuses to start and names the process that holds
the port (psutil, when the process is visible to this user).
"""

from __future__ import annotations

import socket

import psutil

MAX_COMMAND = 120  # characters of the holder's command line in the message


def is_taken(host: str, port: int) -> bool:
    """Someone listens on (host, port) already: binding it fails."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def holder(port: int) -> str:
    """The process listening on ``port``, as "pid 123 (rasa run ...)", if it can be seen."""
    try:
        listening = [
            c
            for c in psutil.net_connections(kind="tcp")
            if c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN
        ]
    except psutil.Error:
        listening = []
    for conn in listening:
        if conn.pid is None:
            continue
        try:
            command = " ".join(psutil.Process(conn.pid).cmdline()) or "?"
        except psutil.Error:
            command = "?"
        if len(command) > MAX_COMMAND:
            command = command[: MAX_COMMAND - 3] + "..."
        return f"pid {conn.pid} ({command})"
    return "a process this user cannot see"


def taken(host: str, ports: dict[str, int]) -> list[str]:
    """One line per port of ``ports`` (name -> port) that is already taken."""
    return [
        f"port {port} for {name} is taken by {holder(port)}"
        for name, port in ports.items()
        if is_taken(host, port)
    ]
