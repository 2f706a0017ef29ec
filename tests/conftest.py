"""Shared fixtures: a small valid knowledge base in a temporary folder."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from tests.support.fixture_kb import write_fixture_kb

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent

# Rasa's plug-ins (bot/stores, bot/components) are tested in .venv-rasa by `make test-bot`
if importlib.util.find_spec("rasa") is None:
    collect_ignore = ["rasa_plugins"]


@pytest.fixture
def fixture_kb(tmp_path: Path) -> Path:
    """A fresh copy of the fixture knowledge base; tests may break it."""
    return write_fixture_kb(tmp_path)


pytest_plugins = ["tests.support.servers"]  # postgres and redis_server fixtures
