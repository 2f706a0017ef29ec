"""``navigator reminders``: the deadline reminders (``list``, ``run``, ``worker``).

The schedule lives in the insight store's database: NAVIGATOR_DATABASE_URL (PostgreSQL),
else the SQLite file NAVIGATOR_INSIGHT_DB or var/insight.db; ``--db`` names another SQLite
file. Delivery uses the channels' settings (TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL,
WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_API_BASE_URL, RASA_URL,
RASA_AUTH_TOKEN) and WHATSAPP_REMINDER_TEMPLATE, REMINDER_HOUR, REMINDER_TIMEZONE.

- ``list [--json] [--pending]``: the schedule, never the citizen's id (a pseudonym);
- ``run [--now ISO-8601]``: send what is due at that moment, print a one-line JSON report;
- ``worker [--every 30]``: ``run`` every N seconds with the real clock until SIGTERM, and
  once an hour purge reminders long past and expired case codes.

Also runnable as ``python -m navigator.commands.reminders``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

EXIT_CONFIG = 2
PURGE_EVERY_S = 3600.0
WORKER_BATCH = 25  # small batches: a SIGTERM waits for one batch at most


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``reminders list|run|worker``."""
    reminders = sub.add_parser("reminders", help="deadline reminders: list, send what is due")
    reminders_sub = reminders.add_subparsers(dest="reminders_command", required=True)

    listing = reminders_sub.add_parser("list", help="the schedule: every reminder and its status")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.add_argument(
        "--pending", action="store_true", help="only those still to be sent (pending, sending)"
    )
    listing.set_defaults(handler=cmd_list)

    run = reminders_sub.add_parser("run", help="send what is due at --now, then exit")
    run.add_argument(
        "--now",
        default=None,
        help="ISO 8601 moment (no offset: REMINDER_TIMEZONE); default: the clock",
    )
    run.add_argument("--batch", type=int, default=100, help="reminders claimed at a time (100)")
    run.set_defaults(handler=cmd_run)

    worker = reminders_sub.add_parser("worker", help="send what is due every N seconds")
    worker.add_argument("--every", type=float, default=30.0, help="seconds between passes (30)")
    worker.add_argument(
        "--batch",
        type=int,
        default=WORKER_BATCH,
        help=f"reminders claimed at a time ({WORKER_BATCH})",
    )
    worker.set_defaults(handler=cmd_worker)

    for parser in (listing, run, worker):
        parser.add_argument("--db", type=Path, default=None, help="a SQLite file instead")


def _quiet_libraries() -> None:
    """Personal data and tokens out of the logs (the Bot API URL holds the bot token)."""
    from navigator import privacy

    privacy.install()
    root_level = logging.getLogger().level
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root_level))
    logging.getLogger("telegram").setLevel(max(logging.INFO, root_level))


def _settings() -> Any:
    from navigator.reminders.settings import ReminderSettings, ReminderSettingsError

    try:
        return ReminderSettings.from_env()
    except ReminderSettingsError as exc:
        print(f"navigator reminders: {exc}", file=sys.stderr)
        return None


def _store(args: argparse.Namespace, settings: Any) -> Any:
    from navigator.reminders.store import ReminderStore

    return ReminderStore(path=args.db, hour=settings.hour, timezone=settings.timezone)


def parse_now(text: str | None, zone: ZoneInfo) -> datetime:
    """``--now``: ISO 8601; without an offset it is read in ``zone``; None is the clock."""
    if text is None:
        return datetime.now(UTC)
    found = datetime.fromisoformat(text)
    return found if found.tzinfo is not None else found.replace(tzinfo=zone)


def cmd_list(args: argparse.Namespace) -> int:
    """Print the schedule: a JSON list, or one line per reminder."""
    from navigator.insight.database import describe
    from navigator.reminders.store import StoreError

    settings = _settings()
    if settings is None:
        return EXIT_CONFIG
    store = _store(args, settings)
    try:
        found = store.all_pending() if args.pending else store.all_reminders()
    except StoreError as exc:
        print(f"navigator reminders: database error {describe(exc)}", file=sys.stderr)
        return 1
    finally:
        store.close()
    rows = [r.to_dict() for r in found]
    if args.json:
        print(json.dumps(rows))
        return 0
    if not rows:
        print("no reminders")
    for row in rows:
        print(
            f"{row['id']}  {row['send_at']}  {row['kind']:<8} {row['status']:<9} "
            f"{row['channel']:<8} {row['sender_pseudonym']}  {row['service']} (due {row['due']})"
        )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """One pass at ``--now``; prints the report as one line of JSON."""
    if args.batch < 1:
        print("navigator reminders run: --batch must be positive", file=sys.stderr)
        return EXIT_CONFIG
    settings = _settings()
    if settings is None:
        return EXIT_CONFIG
    try:
        now = parse_now(args.now, settings.zone)
    except ValueError:
        print(f"navigator reminders run: --now is not ISO 8601: {args.now!r}", file=sys.stderr)
        return EXIT_CONFIG
    _quiet_libraries()
    return asyncio.run(_run_once(args, settings, now))


async def _run_once(args: argparse.Namespace, settings: Any, now: datetime) -> int:
    from navigator.insight.database import describe
    from navigator.reminders.scheduler import run_due
    from navigator.reminders.sender import ChannelSender
    from navigator.reminders.store import StoreError

    store = _store(args, settings)
    sender = ChannelSender(settings)
    try:
        report = await run_due(now, store, sender, batch=args.batch)
    except StoreError as exc:
        print(f"navigator reminders run: database error {describe(exc)}", file=sys.stderr)
        return 1
    finally:
        await sender.aclose()
        store.close()
    print(json.dumps(report.to_dict()), flush=True)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Pass after pass with the real clock until SIGTERM or SIGINT."""
    if args.every <= 0 or args.batch < 1:
        print("navigator reminders worker: --every and --batch must be positive", file=sys.stderr)
        return EXIT_CONFIG
    settings = _settings()
    if settings is None:
        return EXIT_CONFIG
    _quiet_libraries()
    return asyncio.run(_worker(args, settings))


def _purge(store: Any, cases: Any, now: datetime) -> None:
    reminders_gone = store.purge(now)
    cases_gone = cases.purge(now)
    if reminders_gone or cases_gone:
        logger.info(
            "purged %d old reminder(s), %d expired case code(s)", reminders_gone, cases_gone
        )


async def _worker(args: argparse.Namespace, settings: Any) -> int:
    from navigator.cases.store import CaseStore
    from navigator.insight.database import describe
    from navigator.reminders.scheduler import default_owner, run_due
    from navigator.reminders.sender import ChannelSender
    from navigator.reminders.store import StoreError

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    store = _store(args, settings)
    cases = CaseStore(store.engine)
    sender = ChannelSender(settings)
    owner = default_owner()
    purged_at = float("-inf")
    logger.info(
        "reminder worker %s: every %.0f s, at %02d:00 %s",
        owner,
        args.every,
        settings.hour,
        settings.timezone,
    )
    try:
        while not stop.is_set():
            now = datetime.now(UTC)
            try:
                report = await run_due(now, store, sender, owner, batch=args.batch)
                if report.claimed:
                    logger.info("reminders: %s", json.dumps(report.to_dict()))
                if time.monotonic() - purged_at > PURGE_EVERY_S:
                    _purge(store, cases, now)
                    purged_at = time.monotonic()
            except StoreError as exc:
                logger.warning("reminder database unavailable: %s", describe(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=args.every)
    finally:
        await sender.aclose()
        store.close()
    logger.info("reminder worker stopped")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m navigator.commands.reminders ...``: the same commands on their own."""
    parser = argparse.ArgumentParser(prog="navigator")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(["reminders", *sys.argv[1:]]))
