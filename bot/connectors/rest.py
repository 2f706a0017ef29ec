"""Rasa's REST channel, with one request per connection when Rasa runs several workers.

With ``SANIC_WORKERS`` above 1, Rasa's worker processes share one listening socket and
each accepts whatever connections are waiting. Clients such as our adapters keep their
connections open, so a burst of new connections can land on one worker and stay there:
measured here, one worker did 98% of the work while the other idled. Closing each
webhook connection after its reply (``Connection: close``) makes every message a fresh
connection, accepted by whichever worker is free; a local TCP handshake costs far less
than a queue behind a busy worker. With one worker, connections stay open as usual.

The channel keeps the stock name and URL: ``POST /webhooks/rest/webhook``.

credentials.yml::

    connectors.rest.RestInput:
      one_request_per_connection: auto   # auto (several workers) | true | false
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels import rest
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from sanic.request import Request


def _wanted(setting: Any) -> bool:
    if str(setting).lower() in ("true", "1", "yes"):
        return True
    if str(setting).lower() in ("false", "0", "no"):
        return False
    return int(os.environ.get("SANIC_WORKERS", "1") or 1) > 1  # auto


class RestInput(rest.RestInput):
    """The stock REST channel (same name, same URL, same replies)."""

    def __init__(self, one_request_per_connection: Any = "auto") -> None:
        super().__init__()
        self.one_request_per_connection = _wanted(one_request_per_connection)

    @classmethod
    def name(cls) -> Text:
        """``rest``: the URL stays ``/webhooks/rest/webhook``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "RestInput":
        """Read ``one_request_per_connection`` from credentials.yml."""
        return cls(**(credentials or {}))

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """The stock routes; their connections close after the reply when asked."""
        blueprint = super().blueprint(on_new_message)
        if self.one_request_per_connection:

            @blueprint.middleware("request")
            async def close_after_reply(request: Request) -> None:
                if request.stream is not None:
                    request.stream.keep_alive = False

        return blueprint
