"""Fixtures for the channel tests: fakes on loopback ports and adapter processes."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.channels.fake_graph import FakeGraph
from tests.channels.fake_rasa import FakeRasa
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.servers import REPO_ROOT, ServerThread

FIXTURES = REPO_ROOT / "tests" / "fixtures"


def load_fixture(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded payload, e.g. ``whatsapp/text.json``."""
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def new_id(prefix: str = "wamid.TEST") -> str:
    return f"{prefix}{uuid.uuid4().hex}"


class Running:
    """A fake and the thread serving it."""

    def __init__(self, fake: Any, server: ServerThread) -> None:
        self.fake = fake
        self.server = server
        self.url = server.url


def _serve(fake: Any) -> Iterator[Running]:
    server = ServerThread(fake.app).start()
    try:
        yield Running(fake, server)
    finally:
        if hasattr(fake, "closing"):
            fake.closing = True
        server.stop()


@pytest.fixture(scope="module")
def rasa() -> Iterator[Running]:
    """A fake Rasa REST channel (``lambat`` answers after 3 s)."""
    yield from _serve(FakeRasa(slow_seconds=3.0))


@pytest.fixture(scope="module")
def graph() -> Iterator[Running]:
    """A fake Graph API."""
    yield from _serve(FakeGraph())


@pytest.fixture(scope="module")
def telegram_api() -> Iterator[Running]:
    """A fake Telegram Bot API."""
    yield from _serve(FakeTelegram())


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
