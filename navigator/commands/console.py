"""``navigator console`` (the agent-assist web console) and ``navigator kb report``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``console`` and ``report`` under ``kb`` (top-level ``report`` if ``kb`` is absent)."""
    console = sub.add_parser("console", help="agent-assist console and JSON API (port 8000)")
    console.add_argument("--host", default=None, help="default: CONSOLE_HOST or 127.0.0.1")
    console.add_argument("--port", type=int, default=None, help="default: CONSOLE_PORT or 8000")
    console.set_defaults(handler=cmd_console)
    _add_report(_kb_subparsers(sub) or sub)


def _kb_subparsers(sub: argparse._SubParsersAction) -> argparse._SubParsersAction | None:  # type: ignore[type-arg]
    """The subparsers of ``navigator kb``, registered by navigator.commands.kb."""
    kb = sub.choices.get("kb")
    if kb is None:
        return None
    for action in kb._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def _add_report(target: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = target.add_parser(
        "report",
        help="editors' report: unanswered questions, coverage, stale entries, score trend",
    )
    report.add_argument("--json", action="store_true")
    report.add_argument("--days", type=int, default=30, help="look back this many days (30)")
    report.add_argument("--top", type=int, default=20, help="question groups to show (20)")
    report.add_argument("--path", type=Path, default=None, help="knowledge base folder")
    report.add_argument("--db", type=Path, default=None, help="insight database")
    report.add_argument(
        "--dense", action="store_true", help="group by the encoder's meaning, not shared words"
    )
    report.add_argument(
        "--evaluate",
        action="store_true",
        help="run the retrieval evaluation first and record it in the trend",
    )
    report.set_defaults(handler=cmd_report)


def _accounts_exist(settings: object) -> bool:
    """Whether the database holds accounts; only asked when it decides if the console
    may listen beyond loopback (then an unreachable database counts as none)."""
    from navigator.accounts import AccountStore, StoreError
    from navigator.console.settings import LOOPBACK_HOSTS
    from navigator.insight.database import describe

    if (
        getattr(settings, "token", None) is not None
        or getattr(settings, "host", "") in LOOPBACK_HOSTS
    ):
        return False
    store = AccountStore()
    try:
        return store.exist()
    except StoreError as exc:
        logger.warning("cannot read the accounts: %s", describe(exc))
        return False
    finally:
        store.close()


def cmd_console(args: argparse.Namespace) -> int:
    """Serve the console until SIGINT/SIGTERM; exit 2 when the settings are unsafe."""
    import uvicorn

    from navigator.console.app import create_app
    from navigator.console.settings import ConsoleConfigError, ConsoleSettings

    try:
        settings = ConsoleSettings.from_env()
        if args.host:
            settings = replace(settings, host=args.host)
        if args.port:
            settings = replace(settings, port=args.port)
        settings.check(accounts=_accounts_exist(settings))
    except ConsoleConfigError as exc:
        print(f"navigator console: {exc}", file=sys.stderr)
        return 2
    logger.info("console on http://%s:%d", settings.host, settings.port)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,  # our own access log leaves query strings (callers' words) out
        log_config=None,
        server_header=False,
    )
    return 0


def _evaluate(store: object, engine: object) -> None:
    from embeddings.evaluation import evaluate, load_cases
    from navigator.commands.eval import DEFAULT_SET

    metrics = evaluate(engine, load_cases(DEFAULT_SET))  # type: ignore[arg-type]
    overall = metrics["overall"]
    store.record_evaluation(  # type: ignore[attr-defined]
        float(overall["recall@3"]), float(overall["mrr@10"]), {"metrics": metrics}
    )
    logger.info("evaluation recorded: R@3 %.3f MRR@10 %.3f", overall["recall@3"], overall["mrr@10"])


def cmd_report(args: argparse.Namespace) -> int:
    """Print the editors' report; exit 1 when the knowledge base cannot be read."""
    from navigator.insight.report import build_report, format_text, simple_terms
    from navigator.insight.store import InsightStore
    from navigator.kb.loader import KnowledgeBaseError, load_knowledge_base
    from navigator.settings import default_kb_path

    if args.days < 1 or args.top < 1:
        print("--days and --top must be at least 1", file=sys.stderr)
        return 2
    try:
        kb = load_knowledge_base(args.path or default_kb_path())
    except KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    store = InsightStore(args.db) if args.db else InsightStore()
    try:
        engine = None
        if args.evaluate or args.dense:
            from embeddings.runtime import SearchSettings, load_engine

            engine = load_engine(SearchSettings.from_env())
        if args.evaluate and engine is not None:
            _evaluate(store, engine)
        report = build_report(
            store,
            kb,
            days=args.days,
            top=args.top,
            terms=engine.normalizer.terms if engine else simple_terms,
            encoder=engine.encoder if engine and args.dense else None,
        )
    finally:
        store.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(report))
    return 0
