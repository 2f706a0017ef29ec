"""Fixtures of the reminder integration tests: the fakes of the Bot API, the Graph API
and Rasa's tracker endpoint on loopback ports."""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from tests.channels.fake_graph import FakeGraph
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.servers import ServerThread
from tests.reminders.support import FakeRasaTracker


class Served:
    """A fake and the URL it answers on."""

    def __init__(self, fake: FakeTelegram | FakeGraph | FakeRasaTracker, url: str) -> None:
        self.fake = fake
        self.url = url


def serve(fake: FakeTelegram | FakeGraph | FakeRasaTracker) -> Generator[Served, None, None]:
    """Serve ``fake`` on a loopback port while the fixture lasts."""
    server = ServerThread(fake.app).start()
    try:
        yield Served(fake, server.url)
    finally:
        if isinstance(fake, FakeTelegram):
            fake.closing = True
        server.stop()


@pytest.fixture(scope="module")
def telegram_api() -> Iterator[Served]:
    """The fake Telegram Bot API."""
    yield from serve(FakeTelegram())


@pytest.fixture(scope="module")
def graph() -> Iterator[Served]:
    """The fake Graph API."""
    yield from serve(FakeGraph())


@pytest.fixture(scope="module")
def rasa() -> Iterator[Served]:
    """A fake of Rasa's ``GET /conversations/{id}/tracker``."""
    yield from serve(FakeRasaTracker())
