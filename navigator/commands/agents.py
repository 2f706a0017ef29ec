"""``navigator agents``: console accounts (add, list, disable, enable, reset) and the audit log.

Accounts live in the insight store's database: NAVIGATOR_DATABASE_URL (PostgreSQL),
else the SQLite file NAVIGATOR_INSIGHT_DB or var/insight.db; ``--db`` names another
SQLite file. A password comes from ``--password-stdin`` or is generated and printed
once; the API token is printed once (``--json`` for scripts) and only its hash is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
import time
from pathlib import Path
from typing import Any

ROLE_CHOICES = ("agent", "editor", "admin")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``agents add|list|disable|enable|reset|audit``."""
    agents = sub.add_parser("agents", help="console accounts, roles and the audit log")
    agents_sub = agents.add_subparsers(dest="agents_command", required=True)

    add = agents_sub.add_parser("add", help="create an account (prints its API token once)")
    add.add_argument("name", help="2-64 characters: a-z 0-9 . _ -")
    add.add_argument("--role", choices=ROLE_CHOICES, required=True)
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument("--json", action="store_true", help='print {"name", "role", "token"}')
    add.set_defaults(handler=cmd_add)

    listing = agents_sub.add_parser("list", help="every account")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)

    for verb, helptext in (
        ("disable", "refuse the account's logins, sessions and token at once"),
        ("enable", "let a disabled account in again"),
    ):
        parser = agents_sub.add_parser(verb, help=helptext)
        parser.add_argument("name")
        parser.set_defaults(handler=cmd_disable if verb == "disable" else cmd_enable)

    reset = agents_sub.add_parser("reset", help="a new password (ends the account's sessions)")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true")
    reset.add_argument("--token", action="store_true", help="also issue a new API token")
    reset.add_argument("--json", action="store_true")
    reset.set_defaults(handler=cmd_reset)

    audit = agents_sub.add_parser("audit", help="print the audit log")
    audit.add_argument("--since", type=float, default=30, help="days to look back (30)")
    audit.add_argument("--account", default=None, help="only this account's entries")
    audit.add_argument("--limit", type=int, default=10000)
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    audit.set_defaults(handler=cmd_audit)

    for parser in agents_sub.choices.values():
        parser.add_argument("--db", type=Path, default=None, help="a SQLite file instead")


def _store(args: argparse.Namespace) -> Any:
    from navigator.accounts import AccountStore

    return AccountStore(path=args.db)


def _actor() -> str:
    """Who changes accounts from the command line, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, generated)."""
    from navigator.accounts import new_password

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return new_password(), True


def _run(args: argparse.Namespace, action: Any) -> int:
    """Run ``action(store)``; errors become one line on stderr and exit 1."""
    from navigator.accounts import AccountError, StoreError
    from navigator.insight.database import describe

    store = _store(args)
    try:
        result: int = action(store)
        return result
    except AccountError as exc:
        print(f"navigator agents: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"navigator agents: database error {describe(exc)}", file=sys.stderr)
        return 1
    finally:
        store.close()


def cmd_add(args: argparse.Namespace) -> int:
    """Create an account; print the generated password (if any) and the token, once."""
    password, generated = _password(args)

    def add(store: Any) -> int:
        token = store.add(args.name, args.role, password)
        name = args.name.strip().lower()
        store.audit(_actor(), "account_add", name, f"role {args.role}")
        if args.json:
            out: dict[str, str] = {"name": name, "role": args.role, "token": token}
            if generated:
                out["password"] = password
            print(json.dumps(out))
            return 0
        print(f"account {name} ({args.role}) created")
        if generated:
            print(f"password: {password}")
        print(f"API token: {token}")
        print("shown once: only their hashes are kept", file=sys.stderr)
        return 0

    return _run(args, add)


def _time(at: float | None) -> str:
    if at is None:
        return "-"
    return dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def cmd_list(args: argparse.Namespace) -> int:
    """Name, role, status, created, last login."""

    def listing(store: Any) -> int:
        found = store.all_accounts()
        if args.json:
            rows = [
                {
                    "name": a.name,
                    "role": a.role,
                    "disabled": a.disabled,
                    "created": a.created,
                    "last_login": a.last_login,
                }
                for a in found
            ]
            print(json.dumps(rows))
            return 0
        if not found:
            print("no accounts (the console is open on localhost only)")
        for a in found:
            state = "disabled" if a.disabled else "enabled"
            print(
                f"{a.name:<24} {a.role:<7} {state:<9} created {_time(a.created)}"
                f"  last login {_time(a.last_login)}"
            )
        return 0

    return _run(args, listing)


def _switch(args: argparse.Namespace, disabled: bool) -> int:
    def switch(store: Any) -> int:
        store.set_disabled(args.name, disabled)
        name = args.name.strip().lower()
        store.audit(_actor(), "account_disable" if disabled else "account_enable", name)
        print(f"account {name} {'disabled' if disabled else 'enabled'}")
        return 0

    return _run(args, switch)


def cmd_disable(args: argparse.Namespace) -> int:
    """Disable an account."""
    return _switch(args, True)


def cmd_enable(args: argparse.Namespace) -> int:
    """Enable an account."""
    return _switch(args, False)


def cmd_reset(args: argparse.Namespace) -> int:
    """A new password (printed once when generated), and with ``--token`` a new token."""
    password, generated = _password(args)

    def reset(store: Any) -> int:
        name = args.name.strip().lower()
        store.reset_password(name, password)
        token = store.reset_token(name) if args.token else None
        store.audit(_actor(), "account_reset", name, "password and token" if token else "password")
        if args.json:
            out = {"name": name}
            if generated:
                out["password"] = password
            if token:
                out["token"] = token
            print(json.dumps(out))
            return 0
        print(f"account {name}: new password{' and token' if token else ''}")
        if generated:
            print(f"password: {password}")
        if token:
            print(f"API token: {token}")
        return 0

    return _run(args, reset)


def cmd_audit(args: argparse.Namespace) -> int:
    """The audit log, oldest first."""
    if args.since <= 0 or args.limit < 1:
        print("--since and --limit must be positive", file=sys.stderr)
        return 2

    def show(store: Any) -> int:
        since = time.time() - args.since * 86400
        entries = store.audit_log(since=since, limit=args.limit, account=args.account)
        for e in entries:
            if args.json:
                print(json.dumps(e.to_dict(), ensure_ascii=False))
            else:
                print(
                    f"{_time(e.at)}  {e.account or '-':<20} {e.action:<16} {e.target}"
                    + (f"  ({e.detail})" if e.detail else "")
                )
        return 0

    return _run(args, show)
