"""The speed-ups change nothing Rasa can observe."""

from __future__ import annotations

import pytest
import rasa.shared.utils.common
from components import speedups
from rasa.shared.core.events import Event


def _original(type_name: str) -> type | None:
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        if cls.type_name == type_name:
            return cls
    return None


def test_event_types_resolve_to_the_same_classes() -> None:
    speedups.install()
    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "session_started"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is _original(name)


def test_unknown_event_types_behave_as_before() -> None:
    speedups.install()
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("nope", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name 'nope'"):
        Event.resolve_by_type("nope")


def test_an_event_class_defined_later_is_found() -> None:
    speedups.install()
    Event.resolve_by_type("user")  # the table is built

    class LateEvent(Event):
        type_name = "navigator_late_event"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, LateEvent)

        def __hash__(self) -> int:
            return 1

        def as_story_string(self) -> str:
            return "late"

    assert Event.resolve_by_type("navigator_late_event") is LateEvent


async def test_action_server_calls_reuse_one_connection(unused_tcp_port: int) -> None:
    """Three requests through EndpointConfig.request arrive on one TCP connection."""
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    speedups.install()
    peers: list[tuple[str, int]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peers.append(writer.get_extra_info("peername"))
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            await reader.readexactly(length)
            body = b'{"events": [], "responses": []}'
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()

    server = await asyncio.start_server(handle, "127.0.0.1", unused_tcp_port)
    endpoint = EndpointConfig(url=f"http://127.0.0.1:{unused_tcp_port}/webhook")
    try:
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "x"}, method="post") == {
                "events": [],
                "responses": [],
            }
    finally:
        server.close()
    assert len(peers) == 1
