"""Three hot spots of Rasa 3.6, fixed without changing what they do.

1. Validate action-server responses with a validator built once, not once per call.
Rasa 3.6's ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``, which
re-checks the (large) events schema against the JSON-Schema meta-schema on every
custom-action call: about 30 ms of CPU per message on a small machine, the biggest
single cost of a turn. This builds the validator for the same schema once and raises
the same ``ValidationError`` with the same message.

2. Look event classes up by type name in a table. ``Event.resolve_by_type`` walks every
subclass of ``Event`` (with ``inspect.isabstract`` on each) for every event it
deserialises: tracker loads and action results, about 1.5 ms per message here. The
table holds the same first match; a name it does not know rebuilds it, so event classes
imported later are still found, and unknown names behave as before.

3. Keep the HTTP connection to the action server open. ``EndpointConfig.request`` opens
a new aiohttp session (and so a new TCP connection) for every custom-action call and
closes it after one request. Sessions are now kept per endpoint and event loop and
lent to the same ``async with`` blocks, so calls reuse pooled keep-alive connections.

Installed when the bot's NLU components are imported (that is, when Rasa loads the model).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Text

logger = logging.getLogger(__name__)

_installed = False


def install() -> None:
    """Install the three fixes (idempotent)."""
    global _installed
    if _installed:
        return
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
    _install_event_table()
    _install_pooled_sessions()
    _installed = True
    logger.debug("Rasa speed-ups installed: prebuilt validator, event table, pooled sessions")


def _install_event_table() -> None:
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    table: Dict[Text, Any] = {}

    def rebuild() -> None:
        table.clear()
        for cls in rasa.shared.utils.common.all_subclasses(Event):
            table.setdefault(cls.type_name, cls)  # the first match, as the original loop

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        cls = table.get(type_name)
        if cls is None:
            rebuild()
            cls = table.get(type_name)
        return cls if cls is not None else original(type_name, default)

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]


class _Lent:
    """A pooled session handed to ``async with``; leaving the block keeps it open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *exc: Any) -> bool:
        return False


def _install_pooled_sessions() -> None:
    from rasa.utils.endpoints import EndpointConfig

    original = EndpointConfig.session

    def session(self: EndpointConfig) -> Any:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not in a coroutine: the stock behaviour
            return original(self)
        pooled = self.__dict__.get("_pooled_session")
        if pooled is None or pooled.closed or pooled._loop is not loop:
            pooled = original(self)
            self.__dict__["_pooled_session"] = pooled
        return _Lent(pooled)

    EndpointConfig.session = session  # type: ignore[assignment]
