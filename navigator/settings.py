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
