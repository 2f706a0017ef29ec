"""Plain data for the API and the templates: services, hits and life events in one language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from embeddings.engine import Hit, SearchResult
from navigator.kb import render
from navigator.kb.loader import KnowledgeBase
from navigator.kb.render import Lang
from navigator.kb.schema import FACT_FIELDS, LifeEvent, Service
from navigator.kb.validate import STALE_AFTER_DAYS


def is_stale(service: Service, today: dt.date | None = None) -> bool:
    """Last checked longer ago than the validator allows."""
    return ((today or dt.date.today()) - service.last_checked).days > STALE_AFTER_DAYS


def service_view(service: Service, lang: Lang) -> dict[str, Any]:
    """Everything a card shows, in one language."""
    en = lang == "en"
    return {
        "id": service.id,
        "title": service.title_en if en else service.title,
        "summary": service.summary_en if en else service.summary,
        "audience": service.audience_en if en else service.audience,
        "requirements": list(service.requirements_en if en else service.requirements),
        "steps": list(service.steps_en if en else service.steps),
        "fee": service.fee.text_en if en else service.fee.text,
        "free": service.fee.free,
        "time": service.processing_time.text_en if en else service.processing_time.text,
        "where": [
            {
                "institution": p.institution,
                "channel": p.channel,
                "text": p.text_en if en else p.text,
                "url": str(p.url) if p.url else None,
            }
            for p in service.where
        ],
        "legal_basis": list(service.legal_basis),
        "facts": [
            {
                "name": name,
                "label": render.LABELS[name][lang],
                "text": render.fact_text(service, name, lang, with_source=False),
                "source": str(getattr(service, name).source or "") or None,
            }
            for name in FACT_FIELDS
            if getattr(service, name) is not None
        ],
        "sources": [
            {"title": s.title, "url": str(s.url) if s.url else None} for s in service.sources
        ],
        "last_checked": service.last_checked.isoformat(),
        "stale": is_stale(service),
        "life_events": list(service.life_events),
        "related": list(service.related),
        "faq": [{"q": f.q_en if en else f.q, "a": f.a_en if en else f.a} for f in service.faq],
    }


def hit_view(hit: Hit, lang: Lang) -> dict[str, Any]:
    """One ranked result: id, title, score and why it matched."""
    return {
        "id": hit.id,
        "title": hit.title_en if lang == "en" else hit.title,
        "title_id": hit.title,
        "title_en": hit.title_en,
        "score": hit.score,
        "life_events": list(hit.life_events),
        "matched": list(hit.matched),
    }


def event_name(kb: KnowledgeBase, event_id: str | None, lang: Lang) -> str | None:
    """The life event's display name."""
    event = kb.life_events.get(event_id or "")
    if event is None:
        return None
    return event.name_en if lang == "en" else event.name


def event_view(kb: KnowledgeBase, event: LifeEvent, lang: Lang) -> dict[str, Any]:
    """A life event and its journey in order (ids missing from the index are skipped)."""
    en = lang == "en"
    journey = [
        {"id": s.id, "title": s.title_en if en else s.title, "step": i}
        for i, s in enumerate((kb.services[sid] for sid in event.journey if sid in kb.services), 1)
    ]
    return {
        "id": event.id,
        "name": event.name_en if en else event.name,
        "description": event.description_en if en else event.description,
        "journey": journey,
    }


def search_view(result: SearchResult, kb: KnowledgeBase, lang: Lang) -> dict[str, Any]:
    """The API's search answer: life event, confidence, verdict and ranked results."""
    return {
        "query_language": result.language,
        "life_event": result.life_event,
        "life_event_name": event_name(kb, result.life_event, lang),
        "life_event_scores": {k: round(v, 4) for k, v in result.life_event_scores.items()},
        "confidence": round(result.confidence, 4),
        "verdict": result.verdict,
        "results": [hit_view(h, lang) for h in result.hits],
    }
