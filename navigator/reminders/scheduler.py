"""Send what is due: claim, send, mark; a failure is tried again after a backoff.

``run_due`` is one pass at a given moment (``navigator reminders run --now`` in tests, and
every few seconds in ``navigator reminders worker``). A reminder whose due date has passed
by the time it is claimed (the worker was down) is cancelled rather than sent late.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import asdict, dataclass, field
from datetime import datetime

from navigator.privacy import pseudonym
from navigator.reminders import texts
from navigator.reminders.sender import Sender, SendError
from navigator.reminders.store import MAX_ATTEMPTS, Reminder, ReminderStore

logger = logging.getLogger(__name__)

BATCH = 100
LEASE_S = 300.0  # a claim this old is another worker's to take (its holder died)
MAX_BATCHES = 100  # one pass sends at most BATCH * MAX_BATCHES reminders


@dataclass
class RunReport:
    """What one pass did: claimed, sent, to be tried again, given up, skipped."""

    now: str
    owner: str
    claimed: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0
    skipped: int = 0
    templates: int = 0  # WhatsApp reminders sent as the template (outside the window)
    lost: int = 0  # claims another worker took over before this one marked them
    ids: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, object]:
        """The one-line JSON report of ``navigator reminders run`` (no ids)."""
        found = asdict(self)
        found.pop("ids")
        return found


def default_owner() -> str:
    """This process's name in a lease: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def reminder_text(reminder: Reminder, store: ReminderStore, now: float) -> str:
    """The reminder's message at ``now`` (days left counted in the reminders' zone)."""
    return texts.message(reminder.title, reminder.due, store.today(now), reminder.language)


async def _one(
    reminder: Reminder,
    store: ReminderStore,
    sender: Sender,
    owner: str,
    at: float,
    report: RunReport,
    max_attempts: int,
) -> None:
    if reminder.due < store.today(at):
        report.skipped += store.mark_skipped(reminder.id, owner)
        logger.info("reminder %s skipped: its due date has passed", reminder.id)
        return
    try:
        sent = await sender.send(reminder, reminder_text(reminder, store, at), at)
    except SendError as exc:
        status = store.mark_failed(
            reminder.id, owner, at, max_attempts=max_attempts, permanent=exc.permanent
        )
        if status == "failed":
            report.failed += 1
            logger.warning(
                "reminder %s to %s given up after %d attempt(s): %s",
                reminder.id,
                pseudonym(reminder.sender),
                reminder.attempts,
                exc,
            )
        elif status == "pending":
            report.retry += 1
            logger.info("reminder %s failed (%s): tried again later", reminder.id, exc)
        else:
            report.lost += 1
        return
    if store.mark_sent(reminder.id, owner, at):
        report.sent += 1
        report.templates += sent.kind == "template"
        report.ids.append(reminder.id)
    else:
        report.lost += 1
        logger.warning("reminder %s sent after its lease ended", reminder.id)


async def run_due(
    now: datetime,
    store: ReminderStore,
    sender: Sender,
    owner: str | None = None,
    *,
    batch: int = BATCH,
    lease_s: float = LEASE_S,
    max_attempts: int = MAX_ATTEMPTS,
) -> RunReport:
    """Send every reminder due at ``now`` (an aware datetime) that no other worker holds."""
    if now.tzinfo is None:
        raise ValueError("run_due needs an aware datetime")
    at = now.timestamp()
    owner = owner or default_owner()
    report = RunReport(now=now.isoformat(timespec="seconds"), owner=owner)
    for _ in range(MAX_BATCHES):
        claimed = store.claim_due(at, owner, lease_s=lease_s, limit=batch)
        report.claimed += len(claimed)
        for reminder in claimed:
            await _one(reminder, store, sender, owner, at, report, max_attempts)
        if not claimed:  # fewer than a batch may mean another worker won some: look again
            break
    return report
