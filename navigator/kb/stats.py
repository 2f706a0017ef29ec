"""Figures about the knowledge base for editors: coverage, traceability, freshness."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from navigator.kb.loader import KnowledgeBase
from navigator.kb.schema import FACT_FIELDS, LIFE_EVENT_IDS
from navigator.kb.sources import is_home_page
from navigator.kb.validate import STALE_AFTER_DAYS


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def source_figures(kb: KnowledgeBase) -> dict[str, Any]:
    """Sources per life event: how many, how many are a bare home page, and that share."""
    rows: dict[str, Any] = {}
    every = [(s, src) for s in kb.services.values() for src in s.sources]
    for event in (*LIFE_EVENT_IDS, "all"):
        chosen = [src for s, src in every if event == "all" or event in s.life_events]
        home = sum(1 for src in chosen if src.url is None or is_home_page(str(src.url)))
        rows[event] = {
            "sources": len(chosen),
            "home_pages": home,
            "share": _share(home, len(chosen)),
        }
    return rows


def field_coverage(kb: KnowledgeBase) -> dict[str, dict[str, float]]:
    """For each life event, the share of its services that fill each field citizens ask about."""
    table: dict[str, dict[str, float]] = {}
    for event in (*LIFE_EVENT_IDS, "all"):
        chosen = [s for s in kb.services.values() if event == "all" or event in s.life_events]
        table[event] = {
            name: _share(sum(getattr(s, name) is not None for s in chosen), len(chosen))
            for name in FACT_FIELDS
        }
    return table


def kb_stats(kb: KnowledgeBase, today: dt.date | None = None) -> dict[str, Any]:
    """Every figure ``navigator kb stats`` prints, as plain data."""
    today = today or dt.date.today()
    services = list(kb.services.values())
    per_event: Counter[str] = Counter(e for s in services for e in s.life_events)
    checked = Counter(s.last_checked.isoformat() for s in services)
    return {
        "services": len(services),
        "life_events": {e: per_event.get(e, 0) for e in LIFE_EVENT_IDS},
        "languages": {
            "id": len(services),
            "en": sum(bool(s.title_en and s.summary_en) for s in services),
        },
        "example_questions": {
            "id": sum(len(s.examples) for s in services),
            "en": sum(len(s.examples_en) for s in services),
        },
        "glossary_terms": len(kb.glossary),
        "institutions": len(kb.institutions),
        "situations": {
            e: len(kb.life_events[e].situations) for e in LIFE_EVENT_IDS if e in kb.life_events
        },
        "sources": source_figures(kb),
        "field_coverage": field_coverage(kb),
        "last_checked": dict(sorted(checked.items())),
        "stale": sorted(s.id for s in services if (today - s.last_checked).days > STALE_AFTER_DAYS),
        "oldest_check": min((s.last_checked for s in services), default=None),
    }
