"""A failing tracker store fails the turn, and its log line carries no conversation text."""

from __future__ import annotations

import logging

import pytest
from components import fail_closed
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException


class _Down(InMemoryTrackerStore):
    async def retrieve(self, sender_id: str) -> None:
        raise ConnectionError("INSERT ... parameters: ('NIK saya 3201010101010001',)")

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise ConnectionError("INSERT ... parameters: ('NIK saya 3201010101010001',)")


async def test_read_and_save_failures_raise_and_log_no_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fail_closed.install()
    store = FailSafeTrackerStore(_Down(Domain.empty()))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(RasaException):
        await store.retrieve("628123456789")
    tracker = DialogueStateTracker.from_events(
        "628123456789", [UserUttered("NIK saya 3201010101010001")]
    )
    with pytest.raises(RasaException):
        await store.save(tracker)
    assert "ConnectionError" in caplog.text
    assert "3201010101010001" not in caplog.text and "628123456789" not in caplog.text


async def test_a_working_store_behaves_as_before() -> None:
    fail_closed.install()
    store = FailSafeTrackerStore(InMemoryTrackerStore(Domain.empty()))
    tracker = DialogueStateTracker.from_events("s", [UserUttered("halo")])
    await store.save(tracker)
    assert (await store.retrieve("s")).latest_message.text == "halo"


async def test_a_connection_from_before_a_restart_is_retried_once() -> None:
    fail_closed.install()

    class Invalidated(Exception):
        connection_invalidated = True

    class Restarted(InMemoryTrackerStore):
        calls = 0

        async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
            Restarted.calls += 1
            if Restarted.calls == 1:
                raise Invalidated()
            return await super().retrieve(sender_id)

    inner = Restarted(Domain.empty())
    await inner.save(DialogueStateTracker.from_events("s", [UserUttered("halo")]))
    assert (await FailSafeTrackerStore(inner).retrieve("s")).latest_message.text == "halo"
    assert Restarted.calls == 2
