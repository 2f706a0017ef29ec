"""What of each service goes into the dense index and the lexical index."""

from __future__ import annotations

from dataclasses import dataclass

from navigator.kb.loader import KnowledgeBase
from navigator.kb.schema import Service


@dataclass(frozen=True)
class Passage:
    """One dense vector's text and the service it belongs to."""

    service_id: str
    text: str


def dense_passages(service: Service) -> list[Passage]:
    """Two passages per service: Indonesian and English title, other names and summary.

    Example questions are left out on purpose: as extra vectors they pulled rankings
    towards whichever service had the most similar phrasing (see design.md).
    """
    names = f" ({', '.join(service.aliases)})" if service.aliases else ""
    return [
        Passage(service.id, f"{service.title}{names}. {service.summary}"),
        Passage(service.id, f"{service.title_en}. {service.summary_en}"),
    ]


def lexical_text(service: Service) -> str:
    """The service's text for BM25, fields weighted by repetition.

    Titles and other names count three times, example questions (how people ask) and
    the summary once; requirements are left out: nearly every service asks for KTP and
    KK, so those words would only add noise.
    """
    names = " ".join([service.title, service.title_en, *service.aliases])
    parts = [names, names, names, service.summary, service.summary_en, service.audience]
    parts += service.examples + service.examples_en
    parts += [faq.q for faq in service.faq]
    return "\n".join(parts)


def all_passages(kb: KnowledgeBase) -> list[Passage]:
    """Dense passages of every service, in a stable order."""
    return [p for sid in sorted(kb.services) for p in dense_passages(kb.services[sid])]
