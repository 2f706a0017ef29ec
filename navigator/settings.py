"""Settings read from the environment, once, at each entry point."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_kb_path() -> Path:
    """The knowledge base folder: ``NAVIGATOR_KB`` or ``knowledge_base/`` of the project."""
    return Path(os.environ.get("NAVIGATOR_KB", PROJECT_ROOT / "knowledge_base"))


def var_dir() -> Path:
    """Where run-time files live (index, tracker store, insight database)."""
    path = Path(os.environ.get("NAVIGATOR_VAR", PROJECT_ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str | None:
    """``NAVIGATOR_DATABASE_URL`` (``postgresql://user:password@host:port/db``), or None:
    then every store keeps its embedded SQLite file under the var dir."""
    return os.environ.get("NAVIGATOR_DATABASE_URL") or None


def redis_url() -> str | None:
    """``NAVIGATOR_REDIS_URL`` (``redis://[:password@]host:port/db``), or None: then Rasa's
    locks and the adapters' duplicates, rate limits and order stay in this process/host."""
    return os.environ.get("NAVIGATOR_REDIS_URL") or None
