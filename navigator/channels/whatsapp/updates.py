"""Typed incoming WhatsApp messages from a webhook body; anything else is ignored.

Shape (``object: whatsapp_business_account``): ``entry[].changes[]`` with ``field`` and
``value``; ``value.messages[]`` are citizen messages, ``value.statuses[]`` are delivery
reports (sent/delivered/read) that the adapter accepts and ignores.

Not every entry of ``messages`` asks for an answer: reactions, edits, deletions
(``revoke``), system notices (a number change), ``unsupported`` notices and the
``request_welcome`` of a first contact are accepted and left unanswered (``silent``), and
so is anything sent from the business's own number (``from`` equal to the display
number), which would otherwise make the bot answer itself.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

WABA_OBJECT = "whatsapp_business_account"
# message types that are events about the chat, not something the citizen asks
SILENT_TYPES = frozenset(
    {"reaction", "edit", "revoke", "system", "unsupported", "request_welcome", "ephemeral"}
)
# what a citizen sends that the bot cannot read: one short reply that typing works best
MEDIA_TYPES = frozenset({"image", "audio", "voice", "video", "document", "sticker", "contacts"})


class MalformedUpdate(ValueError):
    """The body is JSON but not a WhatsApp webhook notification."""


@dataclass(frozen=True)
class IncomingMessage:
    """One citizen message, reduced to what the adapter needs."""

    id: str
    wa_id: str
    type: str
    phone_number_id: str
    text: str | None = None
    reply_id: str | None = None
    reply_title: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    business_number: str | None = None  # digits of metadata.display_phone_number
    timestamp: int | None = None  # when the citizen sent it, Unix seconds (WhatsApp's)

    def dumps(self) -> str:
        """The message as JSON, to queue it in Redis (``loads`` reads it back)."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, raw: str) -> IncomingMessage:
        """A message written by ``dumps``."""
        return cls(**json.loads(raw))

    @property
    def silent(self) -> bool:
        """Accept and leave unanswered: an event about the chat, or our own number."""
        if self.type in SILENT_TYPES:
            return True
        own = _digits(self.business_number)
        return bool(own) and _digits(self.wa_id) == own

    @property
    def media(self) -> bool:
        """A picture, a voice note or another kind the bot cannot read."""
        return self.type in MEDIA_TYPES


def _digits(value: str | None) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


@dataclass(frozen=True)
class Notification:
    """Everything in one webhook post that the adapter looks at."""

    messages: list[IncomingMessage]
    statuses: int = 0


def _dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedUpdate(f"{what} is not an object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedUpdate(f"{what} is not a list")
    return value


def _obj(value: object) -> dict[str, Any]:
    """``value`` if it is an object, else an empty one (for optional parts)."""
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _timestamp(value: object) -> int | None:
    """WhatsApp's ``timestamp``: Unix seconds as a string of digits."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reply(message: dict[str, Any]) -> tuple[str | None, str | None]:
    """The id and title of an interactive ``button_reply``/``list_reply`` or template button."""
    if message.get("type") == "button":  # quick-reply button of a template message
        button = _obj(message.get("button"))
        return _str(button.get("payload")), _str(button.get("text"))
    interactive = message.get("interactive")
    if not isinstance(interactive, dict):
        return None, None
    kind = interactive.get("type")
    if kind not in ("button_reply", "list_reply"):
        return None, None
    reply = interactive.get(kind)
    if not isinstance(reply, dict):
        return None, None
    return _str(reply.get("id")), _str(reply.get("title"))


def parse_message(
    raw: object, phone_number_id: str, business_number: str | None = None
) -> IncomingMessage:
    """One entry of ``value.messages``; raises ``MalformedUpdate``."""
    message = _dict(raw, "message")
    message_id, wa_id, kind = (_str(message.get(k)) for k in ("id", "from", "type"))
    if not (message_id and wa_id and kind):
        raise MalformedUpdate("message lacks id, from or type")
    text_obj = message.get("text")
    body = _str(text_obj.get("body")) if isinstance(text_obj, dict) else None
    reply_id, reply_title = _reply(message)
    location = _obj(message.get("location"))
    lat, lon = location.get("latitude"), location.get("longitude")
    coords = (
        (float(lat), float(lon))
        if isinstance(lat, int | float) and isinstance(lon, int | float)
        else (None, None)
    )
    return IncomingMessage(
        id=message_id,
        wa_id=wa_id,
        type=kind,
        phone_number_id=phone_number_id,
        text=body if kind == "text" else None,
        reply_id=reply_id,
        reply_title=reply_title,
        latitude=coords[0],
        longitude=coords[1],
        business_number=business_number,
        timestamp=_timestamp(message.get("timestamp")),
    )


def parse_notification(data: object) -> Notification:
    """All citizen messages in a webhook body; raises ``MalformedUpdate``."""
    body = _dict(data, "body")
    if body.get("object") != WABA_OBJECT:
        raise MalformedUpdate("object is not whatsapp_business_account")
    messages: list[IncomingMessage] = []
    statuses = 0
    if not isinstance(body.get("entry"), list):
        raise MalformedUpdate("entry is missing")
    for entry in body["entry"]:
        for change in _list(_dict(entry, "entry").get("changes"), "changes"):
            change = _dict(change, "change")
            if change.get("field") != "messages":
                continue  # account, template and other notifications are not for us
            value = _dict(change.get("value"), "value")
            metadata = _obj(value.get("metadata"))
            phone_number_id = _str(metadata.get("phone_number_id")) or ""
            business_number = _str(metadata.get("display_phone_number"))
            statuses += len(_list(value.get("statuses"), "statuses"))
            messages.extend(
                parse_message(m, phone_number_id, business_number)
                for m in _list(value.get("messages"), "messages")
            )
    return Notification(messages=messages, statuses=statuses)
