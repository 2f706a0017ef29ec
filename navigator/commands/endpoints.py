"""The endpoints file Rasa runs with: bot/endpoints.yml adapted to this run.

Embedded default (no variables set): our SQLite tracker and lock stores, their files
under ``NAVIGATOR_VAR``. With ``NAVIGATOR_DATABASE_URL`` Rasa uses its own
``SQLTrackerStore`` on PostgreSQL; with ``NAVIGATOR_REDIS_URL`` its own
``RedisLockStore``. Those are Rasa's classes, configured here, not reimplemented, and
with them any Rasa process on any host can take any message of any conversation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from navigator.settings import PROJECT_ROOT, database_url, redis_url

BOT_DIR = PROJECT_ROOT / "bot"
LOCK_KEY_PREFIX = "navigator"
REDIS_SOCKET_TIMEOUT_S = 2  # a Redis that is down fails the message fast, never hangs it


class BadURL(ValueError):
    """A state URL that Rasa could not use; the message says which and why."""


def postgres_tracker_store(url: str) -> dict[str, Any]:
    """Rasa's ``SQLTrackerStore`` settings for a ``postgresql://`` URL."""
    parts = urlsplit(url)
    if parts.scheme.split("+")[0] not in ("postgresql", "postgres"):
        raise BadURL(f"NAVIGATOR_DATABASE_URL must start with postgresql://, not {parts.scheme}://")
    database = parts.path.lstrip("/")
    if not parts.hostname or not database:
        raise BadURL("NAVIGATOR_DATABASE_URL needs a host and a database name")
    store: dict[str, Any] = {
        "type": "SQL",
        "dialect": "postgresql",
        "url": parts.hostname,
        "port": parts.port or 5432,
        "db": database,
    }
    if parts.username:
        store["username"] = unquote(parts.username)
    if parts.password:
        store["password"] = unquote(parts.password)
    return store


def redis_lock_store(url: str) -> dict[str, Any]:
    """Rasa's ``RedisLockStore`` settings for a ``redis://`` (or ``rediss://``) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise BadURL(f"NAVIGATOR_REDIS_URL must start with redis://, not {parts.scheme}://")
    store: dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname or "localhost",
        "port": parts.port or 6379,
        "db": int(parts.path.lstrip("/") or 0),
        "key_prefix": LOCK_KEY_PREFIX,
        "socket_timeout": REDIS_SOCKET_TIMEOUT_S,
    }
    if parts.scheme == "rediss":
        store["use_ssl"] = True
    if parts.username:
        store["username"] = unquote(parts.username)
    if parts.password:
        store["password"] = unquote(parts.password)
    return store


def endpoints_config(host: str, actions_port: int, out_dir: Path) -> dict[str, Any]:
    """bot/endpoints.yml with this run's action server and state stores."""
    config = yaml.safe_load((BOT_DIR / "endpoints.yml").read_text(encoding="utf-8")) or {}
    config["action_endpoint"] = {
        **(config.get("action_endpoint") or {}),
        "url": f"http://{host}:{actions_port}/webhook",
    }
    if database_url():
        config["tracker_store"] = postgres_tracker_store(database_url() or "")
    else:
        store = config.get("tracker_store") or {}
        if store.get("dialect") == "sqlite" or "sqlite" in str(store.get("type", "")).lower():
            store["db"] = str((out_dir / "tracker.db").resolve())
    if redis_url():
        config["lock_store"] = redis_lock_store(redis_url() or "")
    else:
        locks = config.get("lock_store") or {}
        if "sqlite" in str(locks.get("type", "")).lower():
            locks["db"] = str((out_dir / "locks.db").resolve())
    return config


def endpoints_file(host: str, actions_port: int, out_dir: Path) -> Path:
    """Write ``endpoints_config`` to ``out_dir`` (mode 600: it may hold passwords)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"rasa-endpoints-{actions_port}.yml"
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    config = endpoints_config(host, actions_port, out_dir)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
