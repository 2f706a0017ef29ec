"""Deadline reminders: dates from a service's deadline, the citizen's consent, the
schedule in the shared database, and delivery on Telegram or WhatsApp.

- :mod:`~navigator.reminders.deadlines`: ``due_date`` and ``reminder_dates`` (pure);
- :mod:`~navigator.reminders.store`: consents and reminders (``ReminderStore``);
- :mod:`~navigator.reminders.sender`: one reminder on the citizen's channel;
- :mod:`~navigator.reminders.scheduler`: ``run_due``, one pass over what is due.
"""

from __future__ import annotations

from navigator.reminders.deadlines import DeadlineError, due_date, reminder_dates
from navigator.reminders.store import (
    Consent,
    ConsentRequired,
    Reminder,
    ReminderStore,
    StoreError,
)

__all__ = [
    "Consent",
    "ConsentRequired",
    "DeadlineError",
    "Reminder",
    "ReminderStore",
    "StoreError",
    "due_date",
    "reminder_dates",
]
