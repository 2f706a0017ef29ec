"""A time limit for custom-action calls, set in endpoints.yml.

Rasa 3.6 waits up to five minutes (``DEFAULT_REQUEST_TIMEOUT``) for the action server,
with the conversation's lock held, and its endpoint settings have no time limit of
their own. With this installed, ``action_endpoint: {url: ..., timeout: 8}`` bounds each
call: a slow action server then fails the turn after 8 s, Rasa drops the action's events
and carries on, and the REST channel answers the citizen politely
(``connectors/rest.py``). Endpoints without ``timeout`` keep Rasa's default.

Installed when the bot's NLU components are imported (that is, when Rasa loads the model).
"""

from __future__ import annotations

from typing import Any, Optional

_installed = False


def install() -> None:
    """Wrap ``EndpointConfig.request`` (idempotent)."""
    global _installed
    if _installed:
        return
    import aiohttp
    from rasa.utils.endpoints import EndpointConfig

    original = EndpointConfig.request

    async def request(self: EndpointConfig, *args: Any, **kwargs: Any) -> Optional[Any]:
        limit = self.kwargs.get("timeout")
        if limit is not None:
            kwargs["timeout"] = aiohttp.ClientTimeout(total=float(limit))
        return await original(self, *args, **kwargs)

    EndpointConfig.request = request  # type: ignore[assignment]
    _installed = True
