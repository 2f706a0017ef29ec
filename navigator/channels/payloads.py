"""Button payloads that fit a platform's id limit: short ones as-is, long ones mapped.

Rasa payloads such as ``/choose_service{"service_id": "akta-kelahiran", ...}`` often
exceed Telegram's 64-byte ``callback_data``. They are never truncated: a long payload is
stored in the adapter's store (SQLite, or Redis) and the button carries ``#k:`` plus its key.
"""

from __future__ import annotations

from navigator.channels.store import StateStore

KEY_PREFIX = "#k:"


def encode(payload: str, max_bytes: int, store: StateStore) -> str:
    """A button id for ``payload`` of at most ``max_bytes`` UTF-8 bytes."""
    if len(payload.encode()) <= max_bytes and not payload.startswith(KEY_PREFIX):
        return payload
    return KEY_PREFIX + store.put_payload(payload)


def decode(button_id: str, store: StateStore) -> str | None:
    """The payload behind a button id, or None when a mapped key is unknown."""
    if button_id.startswith(KEY_PREFIX):
        return store.get_payload(button_id[len(KEY_PREFIX) :])
    return button_id
