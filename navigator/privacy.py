"""Keep personal data out of log lines: NIK, phone numbers, e-mail addresses.

``redact`` scrubs a string, ``pseudonym`` turns an id into a short stable hash so log
lines about one citizen can still be correlated, and ``RedactingFilter`` applies
``redact`` to every record that passes through a handler.
"""

from __future__ import annotations

import hashlib
import logging
import re

# NIK (Nomor Induk Kependudukan): exactly 16 digits, possibly grouped with spaces or dots.
_NIK = re.compile(r"(?<![\d+])\d{6}[ .-]?\d{6}[ .-]?\d{4}(?!\d)")
# Indonesian numbers: +62 8.., 62 8.., 08..; then any other international +CC number.
_PHONE_ID = re.compile(r"(?<![\d+])(?:\+62|62|0)[ -]?8\d{1,3}(?:[ .-]?\d{2,4}){2,3}(?!\d)")
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d{1,3}[ -]?\d(?:[ .-]?\d){6,13}(?!\d)")
# Bare international wa_ids (WhatsApp user ids are phone numbers without '+'): 10-15 digits.
_LONG_DIGITS = re.compile(r"(?<![\d.])\d{10,15}(?![\d.])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")

NIK_MASK = "[NIK]"
PHONE_MASK = "[TELEPON]"
NUMBER_MASK = "[ANGKA]"
EMAIL_MASK = "[EMAIL]"


def redact(text: str) -> str:
    """The text with NIKs, phone numbers, long digit runs and e-mail addresses masked."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _NIK.sub(NIK_MASK, text)
    text = _PHONE_ID.sub(PHONE_MASK, text)
    text = _PHONE_INTL.sub(PHONE_MASK, text)
    return _LONG_DIGITS.sub(NUMBER_MASK, text)


def pseudonym(value: str | int) -> str:
    """A short, stable, non-reversible tag for an id (chat id, phone number) in logs."""
    digest = hashlib.blake2b(str(value).encode(), digest_size=5, person=b"navigator").hexdigest()
    return f"u-{digest}"


class RedactingFilter(logging.Filter):
    """A handler filter that redacts the formatted message and any traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad %-format: keep the template only
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info or record.exc_text:
            trace = record.exc_text
            if not trace and record.exc_info:
                trace = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(trace or "")
        return True


OWN_LOGGERS = ("navigator", "actions", "embeddings", "__main__")
WITHHELD = "<payload withheld>"


class PayloadFilter(logging.Filter):
    """A handler filter that keeps libraries' payloads out of the log: a structured
    argument (a dict or list, such as a raw Telegram update or a webhook body) of a
    record from any logger but ours is replaced by ``<payload withheld>``. Names in a
    payload are not digits that ``redact`` could find."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if record.name.split(".")[0] in OWN_LOGGERS or not record.args:
            return True
        if isinstance(record.args, dict) and "%(" in str(record.msg):  # "%(name)s" style
            record.args = {
                k: WITHHELD if isinstance(v, dict | list | tuple) else v
                for k, v in record.args.items()
            }
            return True
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        if any(isinstance(a, dict | list | tuple) for a in args):
            record.args = tuple(WITHHELD if isinstance(a, dict | list | tuple) else a for a in args)
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Attach a ``PayloadFilter`` and a ``RedactingFilter`` (in that order) to every
    handler of ``logger`` (the root by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, PayloadFilter) for f in handler.filters):
            handler.addFilter(PayloadFilter())
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def mask(text: str) -> str:
    """Alias of ``redact`` for stored text (insight store, console)."""
    return redact(text)


def mask_id(identifier: str) -> str:
    """A sender id safe for logs: the channel prefix kept, the rest a pseudonym."""
    prefix, _, rest = identifier.rpartition(":")
    return f"{prefix}:{pseudonym(rest)}" if prefix else pseudonym(rest)
