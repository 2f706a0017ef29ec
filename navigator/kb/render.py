"""Render services as plain chat text (no markup), in Indonesian or English.

The bot, ``navigator kb show`` and the console's suggested reply all use these, so a
citizen reads the same wording everywhere.
"""

from __future__ import annotations

from typing import Literal, cast

from navigator.kb.schema import FACT_FIELDS, Deadline, Fact, Online, Service

Lang = Literal["id", "en"]
Section = Literal[
    "summary",
    "requirements",
    "steps",
    "fee",
    "time",
    "where",
    "legal",
    "faq",
    "deadline",
    "eligibility",
    "benefit",
    "online",
    "validity",
    "proxy",
]

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
    "deadline": {"id": "Batas waktu", "en": "Deadline"},
    "eligibility": {"id": "Siapa yang bisa mengajukan", "en": "Who can apply"},
    "benefit": {"id": "Yang diterima", "en": "What you receive"},
    "online": {"id": "Secara online", "en": "Online"},
    "validity": {"id": "Masa berlaku", "en": "Validity"},
    "proxy": {"id": "Diwakilkan orang lain", "en": "Applying for someone else"},
    "if_missed": {"id": "Jika terlewat", "en": "If missed"},
    "source": {"id": "sumber", "en": "source"},
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
    if name in FACT_FIELDS:
        text = fact_text(service, name, lang)
        return f"{LABELS[name][lang]}: {text}" if text else ""
    if name == "faq":
        pairs = [(f.q_en, f.a_en) if en else (f.q, f.a) for f in service.faq]
        return "\n\n".join(f"{q}\n{a}" for q, a in pairs)
    raise ValueError(f"unknown section {name!r}")


def fact_text(service: Service, name: str, lang: Lang = "id", with_source: bool = True) -> str:
    """One of the fields citizens ask about (deadline, eligibility, ...), or "" if absent."""
    fact: Fact | None = getattr(service, name)
    if fact is None:
        return ""
    en = _en(lang)
    parts = [fact.text_en if en else fact.text]
    if isinstance(fact, Deadline) and fact.after:
        parts.append(f"{LABELS['if_missed'][lang]}: {fact.after_en if en else fact.after}")
    if isinstance(fact, Online) and fact.url:
        parts.append(str(fact.url))
    if with_source and fact.source:
        parts.append(f"({LABELS['source'][lang]}: {fact.source})")
    return " ".join(parts)


def facts(service: Service, lang: Lang = "id") -> list[str]:
    """Every field citizens ask about that the service has, each with its heading."""
    return [
        section(service, cast(Section, name), lang)
        for name in FACT_FIELDS
        if getattr(service, name) is not None
    ]


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
        *facts(service, lang),
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
        *([section(service, "deadline", lang)] if service.deadline else []),
        section(service, "where", lang),
        sources_line(service, lang),
    ]
    return "\n\n".join(parts)
