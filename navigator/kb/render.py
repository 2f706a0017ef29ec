"""Render services as plain chat text (no markup), in Indonesian or English.

The bot, ``navigator kb show`` and the console's suggested reply all use these, so a
citizen reads the same wording everywhere.
"""

from __future__ import annotations

from typing import Literal

from navigator.kb.schema import Service

Lang = Literal["id", "en"]
Section = Literal["summary", "requirements", "steps", "fee", "time", "where", "legal", "faq"]

LABELS: dict[str, dict[Lang, str]] = {
    "requirements": {"id": "Syarat yang dibawa", "en": "What to bring"},
    "steps": {"id": "Langkah", "en": "Steps"},
    "fee": {"id": "Biaya", "en": "Fee"},
    "time": {"id": "Lama proses", "en": "Processing time"},
    "where": {"id": "Tempat", "en": "Where"},
    "legal": {"id": "Dasar hukum", "en": "Legal basis"},
    "sources": {"id": "Sumber", "en": "Sources"},
    "checked": {"id": "dicek", "en": "checked"},
    "faq": {"id": "Tanya jawab", "en": "Questions"},
}


def _en(lang: Lang) -> bool:
    return lang == "en"


def title(service: Service, lang: Lang = "id") -> str:
    """The service's title in the language."""
    return service.title_en if _en(lang) else service.title


def bullets(items: list[str], numbered: bool = False) -> str:
    """A plain-text list: bullets, or numbers for steps."""
    if numbered:
        return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    return "\n".join(f"• {item}" for item in items)


def section(service: Service, name: Section, lang: Lang = "id") -> str:
    """One part of a service (what a follow-up question asks for), with its heading."""
    en = _en(lang)
    if name == "summary":
        return service.summary_en if en else service.summary
    if name == "requirements":
        items = service.requirements_en if en else service.requirements
        return f"{LABELS['requirements'][lang]}:\n{bullets(items)}"
    if name == "steps":
        items = service.steps_en if en else service.steps
        return f"{LABELS['steps'][lang]}:\n{bullets(items, numbered=True)}"
    if name == "fee":
        return f"{LABELS['fee'][lang]}: {service.fee.text_en if en else service.fee.text}"
    if name == "time":
        text = service.processing_time.text_en if en else service.processing_time.text
        return f"{LABELS['time'][lang]}: {text}"
    if name == "where":
        places = []
        for place in service.where:
            text = place.text_en if en else place.text
            places.append(f"{text} ({place.url})" if place.url else text)
        return f"{LABELS['where'][lang]}:\n{bullets(places)}"
    if name == "legal":
        return f"{LABELS['legal'][lang]}:\n{bullets(service.legal_basis)}"
    if name == "faq":
        pairs = [(f.q_en, f.a_en) if en else (f.q, f.a) for f in service.faq]
        return "\n\n".join(f"{q}\n{a}" for q, a in pairs)
    raise ValueError(f"unknown section {name!r}")


def sources_line(service: Service, lang: Lang = "id") -> str:
    """Sources with URLs and the date the entry was last checked."""
    names = [f"{s.title} ({s.url})" if s.url else s.title for s in service.sources]
    checked = f"{LABELS['checked'][lang]} {service.last_checked.isoformat()}"
    return f"{LABELS['sources'][lang]}: {'; '.join(names)} ({checked})"


def full(service: Service, lang: Lang = "id") -> str:
    """The whole service as a citizen reads it in chat."""
    parts = [
        title(service, lang).upper(),
        section(service, "summary", lang),
        section(service, "requirements", lang),
        section(service, "steps", lang),
        section(service, "fee", lang),
        section(service, "time", lang),
        section(service, "where", lang),
        sources_line(service, lang),
    ]
    return "\n\n".join(parts)


def brief(service: Service, lang: Lang = "id") -> str:
    """A short answer for a chat screen: summary, what to bring, fee, time, where, source."""
    parts = [
        title(service, lang).upper(),
        section(service, "summary", lang),
        section(service, "requirements", lang),
        section(service, "fee", lang),
        section(service, "time", lang),
        section(service, "where", lang),
        sources_line(service, lang),
    ]
    return "\n\n".join(parts)
