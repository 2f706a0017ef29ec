"""Rasa messages as Graph API message payloads: text, reply buttons or lists.

- text: up to 4096 characters per message, split beyond;
- up to 3 buttons whose titles fit 20 characters: interactive reply buttons;
- up to 10 buttons: an interactive list (row titles cut to 24, the full title kept in
  the 72-character description);
- more: a list of 9 and a "More…" row that shows the next page, stored in the adapter's
  store so the page survives a restart.
Ids are button payloads, mapped to short keys when longer than the platform allows.
"""

from __future__ import annotations

import json
from typing import Any

from navigator.channels import payloads
from navigator.channels.rasa_client import BotMessage, Button
from navigator.channels.split import WHATSAPP_TEXT_LIMIT, split_text
from navigator.channels.store import StateStore
from navigator.channels.texts import Lang, text

MAX_REPLY_BUTTONS = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
MAX_LIST_ROWS = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200
INTERACTIVE_BODY_MAX = 1024
MORE_PREFIX = "#more:"

Payload = dict[str, Any]


def _base(to: str) -> Payload:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}


def text_payload(to: str, body: str) -> Payload:
    """A plain text message (``preview_url`` on, so links show a preview)."""
    return {**_base(to), "type": "text", "text": {"preview_url": True, "body": body}}


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def buttons_payload(to: str, body: str, buttons: list[Button], store: StateStore) -> Payload:
    """Interactive reply buttons (at most 3, titles at most 20 characters)."""
    return {
        **_base(to),
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {
                            "id": payloads.encode(b.payload, BUTTON_ID_MAX, store),
                            "title": _clip(b.title, BUTTON_TITLE_MAX),
                        },
                    }
                    for b in buttons
                ]
            },
        },
    }


def _row(row_id: str, title: str, description: str | None = None) -> Payload:
    row: Payload = {"id": row_id, "title": _clip(title, ROW_TITLE_MAX)}
    if description is None and len(title) > ROW_TITLE_MAX:
        description = title
    if description:
        row["description"] = _clip(description, ROW_DESCRIPTION_MAX)
    return row


def more_id(rest: list[Button], store: StateStore) -> str:
    """The row id of a "More…" row that pages to ``rest``."""
    page = json.dumps([[b.title, b.payload] for b in rest], ensure_ascii=False)
    return payloads.encode(MORE_PREFIX + page, ROW_ID_MAX, store)


def parse_more(payload: str) -> list[Button] | None:
    """The buttons of the next page, if ``payload`` is a "More…" row; else None."""
    if not payload.startswith(MORE_PREFIX):
        return None
    try:
        pairs = json.loads(payload[len(MORE_PREFIX) :])
    except json.JSONDecodeError:
        return []
    if not isinstance(pairs, list):
        return []
    return [
        Button(title=p[0], payload=p[1])
        for p in pairs
        if isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
    ]


def list_payload(
    to: str, body: str, buttons: list[Button], lang: Lang, store: StateStore
) -> Payload:
    """An interactive list; beyond 10 options, 9 rows and a "More…" row."""
    if len(buttons) > MAX_LIST_ROWS:
        shown, rest = buttons[: MAX_LIST_ROWS - 1], buttons[MAX_LIST_ROWS - 1 :]
    else:
        shown, rest = buttons, []
    rows = [_row(payloads.encode(b.payload, ROW_ID_MAX, store), b.title) for b in shown]
    if rest:
        rows.append(_row(more_id(rest, store), text("more", lang), text("more_description", lang)))
    return {
        **_base(to),
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body},
            "action": {
                "button": _clip(text("list_button", lang), BUTTON_TITLE_MAX),
                "sections": [{"rows": rows}],
            },
        },
    }


def choice_payload(
    to: str, body: str, buttons: list[Button], lang: Lang, store: StateStore
) -> Payload:
    """Reply buttons when they fit, a (paged) list otherwise."""
    fits_buttons = len(buttons) <= MAX_REPLY_BUTTONS and all(
        len(b.title) <= BUTTON_TITLE_MAX for b in buttons
    )
    if fits_buttons:
        return buttons_payload(to, body, buttons, store)
    return list_payload(to, body, buttons, lang, store)


def build(to: str, message: BotMessage, lang: Lang, store: StateStore) -> list[Payload]:
    """Every payload to send, in order, for one Rasa message."""
    plain = message.text.strip()
    if message.image:
        plain = f"{plain}\n{message.image}".strip()
    chunks = split_text(plain, WHATSAPP_TEXT_LIMIT)
    if not message.buttons:
        return [text_payload(to, chunk) for chunk in chunks]
    # The interactive body is capped at 1024 characters: earlier text goes out as text.
    tail = chunks.pop() if chunks else text("choose", lang)
    body_parts = split_text(tail, INTERACTIVE_BODY_MAX)
    body = body_parts.pop()
    out = [text_payload(to, chunk) for chunk in [*chunks, *body_parts]]
    out.append(choice_payload(to, body, list(message.buttons), lang, store))
    return out
