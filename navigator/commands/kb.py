"""``navigator kb``: validate, list, show and count the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from navigator.kb import render
from navigator.kb.loader import KnowledgeBaseError, load_knowledge_base
from navigator.kb.schema import FACT_FIELDS, LIFE_EVENT_IDS
from navigator.kb.stats import kb_stats
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

    stats = kb_sub.add_parser(
        "stats", help="services per life event, home-page sources, field coverage, freshness"
    )
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
    """Counts per life event, traceability of sources, field coverage and freshness."""
    kb = _load(args.path)
    stats = kb_stats(kb)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"services: {stats['services']}")
    print("per life event (services, situations):")
    for event, count in stats["life_events"].items():
        name = kb.life_events[event].name if event in kb.life_events else event
        print(f"  {event:<10} {name:<34} {count:>3}  {stats['situations'].get(event, 0):>2}")
    print("sources that are a site's home page or root:")
    for event, row in stats["sources"].items():
        print(f"  {event:<10} {row['home_pages']:>3} of {row['sources']:>3}  {row['share']:6.1%}")
    names = list(FACT_FIELDS)
    print("services with each field (share per life event):")
    print("  " + " " * 10 + "".join(f"{n:>12}" for n in names))
    for event, row in stats["field_coverage"].items():
        print(f"  {event:<10}" + "".join(f"{row[n]:>12.0%}" for n in names))
    langs, examples = stats["languages"], stats["example_questions"]
    print(f"languages: Indonesian {langs['id']}, English {langs['en']}")
    print(f"example questions: {examples['id']} id, {examples['en']} en")
    print(f"glossary terms: {stats['glossary_terms']}, institutions: {stats['institutions']}")
    print("last checked: " + ", ".join(f"{d} ({n})" for d, n in stats["last_checked"].items()))
    print(f"stale (> {STALE_AFTER_DAYS} days): {len(stats['stale'])} {' '.join(stats['stale'])}")
    return 0
