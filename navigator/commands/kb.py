"""``navigator kb``: validate, list, show and count the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from navigator.kb import render
from navigator.kb.loader import KnowledgeBaseError, load_knowledge_base
from navigator.kb.schema import LIFE_EVENT_IDS
from navigator.kb.validate import STALE_AFTER_DAYS, check
from navigator.settings import default_kb_path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``kb`` and its subcommands."""
    kb = sub.add_parser("kb", help="knowledge base tools for editors")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)

    validate = kb_sub.add_parser("validate", help="check the knowledge base; file:line per problem")
    validate.add_argument("path", nargs="?", type=Path, default=None)
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(handler=cmd_validate)

    list_ = kb_sub.add_parser("list", help="list services")
    list_.add_argument("--json", action="store_true")
    list_.add_argument("--life-event", choices=LIFE_EVENT_IDS)
    list_.add_argument("--path", type=Path, default=None)
    list_.set_defaults(handler=cmd_list)

    show = kb_sub.add_parser("show", help="show one service as a citizen reads it in chat")
    show.add_argument("id")
    show.add_argument("--lang", choices=["id", "en"], default="id")
    show.add_argument("--path", type=Path, default=None)
    show.set_defaults(handler=cmd_show)

    stats = kb_sub.add_parser("stats", help="services per life event, languages, stale entries")
    stats.add_argument("--json", action="store_true")
    stats.add_argument("--path", type=Path, default=None)
    stats.set_defaults(handler=cmd_stats)


def _load(path: Path | None):  # type: ignore[no-untyped-def]
    try:
        return load_knowledge_base(path or default_kb_path())
    except KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        print("Run 'navigator kb validate' for every problem.", file=sys.stderr)
        raise SystemExit(1) from exc


def cmd_validate(args: argparse.Namespace) -> int:
    """Print ``file:line: severity: message`` for each problem; exit 1 on errors."""
    problems = check(args.path or default_kb_path())
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    if errors or (args.strict and warnings):
        return 1
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List services as JSON or a table."""
    kb = _load(args.path)
    services = [
        s for s in kb.services.values() if not args.life_event or args.life_event in s.life_events
    ]
    rows = [
        {"id": s.id, "title": s.title, "title_en": s.title_en, "life_events": list(s.life_events)}
        for s in sorted(services, key=lambda s: s.id)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['id']:<32} {row['title']}  [{', '.join(row['life_events'])}]")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Render one service."""
    kb = _load(args.path)
    service = kb.services.get(args.id)
    if service is None:
        print(f"no service with id '{args.id}'; see 'navigator kb list'", file=sys.stderr)
        return 1
    print(render.full(service, args.lang))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Counts per life event, language coverage and stale entries."""
    import datetime as dt

    kb = _load(args.path)
    per_event = Counter(e for s in kb.services.values() for e in s.life_events)
    today = dt.date.today()
    stale = sorted(
        s.id for s in kb.services.values() if (today - s.last_checked).days > STALE_AFTER_DAYS
    )
    per_event_counts = {e: per_event.get(e, 0) for e in LIFE_EVENT_IDS}
    english = sum(bool(s.title_en and s.summary_en) for s in kb.services.values())
    examples_id = sum(len(s.examples) for s in kb.services.values())
    examples_en = sum(len(s.examples_en) for s in kb.services.values())
    oldest = min((s.last_checked for s in kb.services.values()), default=None)
    if args.json:
        stats = {
            "services": len(kb.services),
            "life_events": per_event_counts,
            "languages": {"id": len(kb.services), "en": english},
            "example_questions": {"id": examples_id, "en": examples_en},
            "glossary_terms": len(kb.glossary),
            "institutions": len(kb.institutions),
            "stale": stale,
            "oldest_check": oldest,
        }
        print(json.dumps(stats, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"services: {len(kb.services)}")
    print("per life event:")
    for event, count in per_event_counts.items():
        name = kb.life_events[event].name if event in kb.life_events else event
        print(f"  {event:<10} {name:<34} {count}")
    print(f"languages: Indonesian {len(kb.services)}, English {english}")
    print(f"example questions: {examples_id} id, {examples_en} en")
    print(f"glossary terms: {len(kb.glossary)}, institutions: {len(kb.institutions)}")
    print(f"stale (> {STALE_AFTER_DAYS} days): {len(stale)} {' '.join(stale)}")
    print(f"oldest check: {oldest}")
    return 0
