"""What a reminder says, in Indonesian and English, and the payloads of its two buttons.

The buttons carry short Rasa payloads (``/reminder_done{"r":"r-…"}``), well under
Telegram's 64 bytes of ``callback_data``, so the adapters pass them to Rasa as they are.
"""

from __future__ import annotations

import json
from datetime import date

MONTHS_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()

DONE_INTENT = "reminder_done"
TOMORROW_INTENT = "reminder_tomorrow"

BUTTONS = {
    "id": ("Sudah selesai", "Ingatkan besok"),
    "en": ("Done", "Remind me tomorrow"),
}
STOP = {
    "id": "Balas 'berhenti' untuk berhenti menerima pengingat.",
    "en": "Reply 'stop' to stop receiving reminders.",
}


def _lang(language: str) -> str:
    """``en`` for English (``en``, ``en_US``), else Indonesian."""
    return "en" if language.lower().startswith("en") else "id"


def long_date(day: date, language: str = "id") -> str:
    """``12 Januari 2027`` (``12 January 2027`` in English)."""
    months = MONTHS_EN if _lang(language) == "en" else MONTHS_ID
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _when(days_left: int, language: str) -> str:
    if _lang(language) == "en":
        if days_left == 0:
            return ", today"
        return " (tomorrow)" if days_left == 1 else f" ({days_left} days from now)"
    if days_left == 0:
        return ", hari ini"
    return " (besok)" if days_left == 1 else f" ({days_left} hari lagi)"


def message(title: str, due: date, today: date, language: str = "id") -> str:
    """The reminder's text: the deadline, how far off it is (counted from ``today``, so a
    late ``before7`` says how many days are really left), and how to stop."""
    days_left = (due - today).days
    when = _when(days_left, language)
    if _lang(language) == "en":
        first = f"Reminder: the deadline for {title} is {long_date(due, 'en')}{when}."
    else:
        first = f"Pengingat: batas waktu {title} jatuh pada {long_date(due)}{when}."
    return f"{first}\n{STOP[_lang(language)]}"


def payload(intent: str, reminder_id: str) -> str:
    """``/reminder_done{"r":"r-…"}``: Rasa's intent-and-entities payload, compact."""
    return f"/{intent}{json.dumps({'r': reminder_id}, separators=(',', ':'))}"


def buttons(reminder_id: str, language: str = "id") -> list[tuple[str, str]]:
    """``[(title, payload)]``: "Sudah selesai" and "Ingatkan besok"."""
    done, tomorrow = BUTTONS[_lang(language)]
    return [
        (done, payload(DONE_INTENT, reminder_id)),
        (tomorrow, payload(TOMORROW_INTENT, reminder_id)),
    ]
