"""The suggested reply an agent sends the caller: what is still missing, fee, time, where.

Plain text with WhatsApp's *bold*, in the caller's language, kept under REPLY_LIMIT
characters so it reads as one chat message (WhatsApp itself allows 4,096).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from navigator.kb import render
from navigator.kb.render import Lang
from navigator.kb.schema import Service

REPLY_LIMIT = 1000
ITEM_LIMIT = 140
DETAILS_RESERVE = 200

_WORDS: dict[str, dict[Lang, str]] = {
    "greeting": {"id": "Halo Bapak/Ibu, untuk *{title}*:", "en": "Hello, for *{title}*:"},
    "missing": {"id": "Dokumen yang masih perlu disiapkan:", "en": "Documents you still need:"},
    "complete": {
        "id": "Dokumen Bapak/Ibu sudah lengkap. Silakan langsung mengajukan.",
        "en": "Your documents are complete. You can apply now.",
    },
    "more": {"id": "…dan {n} dokumen lain", "en": "…and {n} more"},
    "info": {"id": "Info resmi", "en": "Official information"},
}


@dataclass(frozen=True)
class Reply:
    """A reply ready to copy, and the requirements it lists."""

    service_id: str
    lang: Lang
    text: str
    missing: list[str]
    have: list[str]

    @property
    def length(self) -> int:
        """Characters in the text."""
        return len(self.text)


def clip(text: str, limit: int = ITEM_LIMIT) -> str:
    """Shorten one line to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def first_sentence(text: str) -> str:
    """Text up to the end of its first sentence."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def _details(service: Service, lang: Lang) -> list[str]:
    """Fee, time, place and official link, most useful first."""
    en = lang == "en"
    fee = service.fee.text_en if en else service.fee.text
    time = service.processing_time.text_en if en else service.processing_time.text
    lines = [
        clip(f"{render.LABELS['fee'][lang]}: {first_sentence(fee)}", 160),
        clip(f"{render.LABELS['time'][lang]}: {first_sentence(time)}", 160),
    ]
    if service.where:
        place = service.where[0]
        text = place.text_en if en else place.text
        where = f"{render.LABELS['where'][lang]}: {text}"
        lines.append(clip(f"{where} ({place.url})" if place.url else where, 200))
    link = next((s for s in service.sources if s.url), None)
    if link is not None:
        lines.append(clip(f"{_WORDS['info'][lang]}: {link.url}", 200))
    return lines


def _documents(missing: list[str], lang: Lang, room: int) -> str:
    """The missing documents as bullets, dropping the tail when over ``room`` characters."""
    if not missing:
        return _WORDS["complete"][lang]
    header = _WORDS["missing"][lang]
    items = [f"• {clip(m)}" for m in missing]
    while len(items) > 1 and len("\n".join([header, *items])) > room:
        items.pop()
    shown = len(items)
    if shown < len(missing):
        items.append(_WORDS["more"][lang].format(n=len(missing) - shown))
    return "\n".join([header, *items])


def suggested_reply(service: Service, lang: Lang, have: Collection[int] = ()) -> Reply:
    """The reply listing the requirements not in ``have`` (indices into requirements)."""
    requirements = service.requirements_en if lang == "en" else service.requirements
    missing = [r for i, r in enumerate(requirements) if i not in have]
    owned = [r for i, r in enumerate(requirements) if i in have]
    greeting = _WORDS["greeting"][lang].format(title=clip(render.title(service, lang), 100))
    details = _details(service, lang)
    room = REPLY_LIMIT - len(greeting) - 4
    documents = _documents(missing, lang, room - min(len("\n".join(details)), DETAILS_RESERVE))
    kept: list[str] = []
    used = len(greeting) + len(documents) + 4
    for line in details:
        if used + len(line) + 1 > REPLY_LIMIT:
            continue
        kept.append(line)
        used += len(line) + 1
    parts = [greeting, documents] + (["\n".join(kept)] if kept else [])
    return Reply(service.id, lang, "\n\n".join(parts), missing, owned)
