"""Mask personal data (NIK, phone numbers, e-mail addresses) before logging or storing."""

from __future__ import annotations

import re

# NIK: 16 digits (sometimes typed with spaces or dots every 4/6 digits).
_NIK = re.compile(r"(?<!\d)(?:\d[ .-]?){15}\d(?!\d)")
# Indonesian phone numbers: +62 / 62 / 0 followed by 8-13 digits, separators allowed.
_PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)[ .-]?8(?:[ .-]?\d){7,11}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_LONG_NUMBER = re.compile(r"(?<!\d)\d{10,}(?!\d)")


def mask(text: str) -> str:
    """Replace NIK, phone numbers, e-mail addresses and other long numbers with placeholders."""
    text = _EMAIL.sub("[email]", text)
    text = _NIK.sub("[NIK]", text)
    text = _PHONE.sub("[telepon]", text)
    return _LONG_NUMBER.sub("[nomor]", text)


def mask_id(identifier: str) -> str:
    """A user id safe for logs: keep the channel prefix and the last 3 characters."""
    prefix, _, rest = identifier.rpartition(":")
    tail = rest[-3:] if len(rest) > 3 else ""
    return f"{prefix + ':' if prefix else ''}***{tail}"
