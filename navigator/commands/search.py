"""``navigator search``: query the engine from the command line (JSON for tools)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from navigator.kb.schema import LIFE_EVENT_IDS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``search``."""
    search = sub.add_parser("search", help="search the knowledge base")
    search.add_argument("query", nargs="?", help="the question")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--top-k", type=int, default=5)
    search.add_argument("--life-event", choices=LIFE_EVENT_IDS)
    search.add_argument("--batch", type=Path, help="file with one query a line; JSON lines out")
    search.add_argument("--explain", action="store_true", help="include scores and verdict")
    search.set_defaults(handler=cmd_search)


def _rows(result, explain: bool) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    rows = []
    for hit in result.hits:
        row: dict[str, object] = {
            "id": hit.id,
            "title": hit.title,
            "life_events": hit.life_events,
            "score": hit.score,
        }
        if explain:
            row.update(dense=hit.dense, lexical=hit.lexical, matched=hit.matched)
        rows.append(row)
    return rows


def cmd_search(args: argparse.Namespace) -> int:
    """One query, or a batch file with the model loaded once."""
    from embeddings.runtime import SearchSettings, load_engine

    if not args.query and not args.batch:
        print("give a query or --batch FILE", file=sys.stderr)
        return 2
    engine = load_engine(SearchSettings.from_env())
    if args.batch:
        queries = [
            q.strip() for q in args.batch.read_text(encoding="utf-8").splitlines() if q.strip()
        ]
        results = engine.search_many(queries, top_k=args.top_k, life_event=args.life_event)
        for query, result in zip(queries, results, strict=True):
            print(
                json.dumps(
                    {"query": query, "results": _rows(result, args.explain)}, ensure_ascii=False
                )
            )
        return 0
    result = engine.search(args.query, top_k=args.top_k, life_event=args.life_event)
    if args.json:
        print(json.dumps(_rows(result, args.explain), ensure_ascii=False, indent=2))
        return 0
    print(
        f"life event: {result.life_event}  confidence: {result.confidence:.2f} "
        f"({result.verdict})  language: {result.language}"
    )
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank}. {hit.id:<32} {hit.score:.4f}  {hit.title}")
    return 0
