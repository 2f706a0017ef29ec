"""What the citizen reads when an agent takes the conversation and hands it back."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "claimed": {
        "id": "Halo, saya {agent}, petugas Navigator. Mulai sekarang saya yang membalas "
        "pesan Anda di sini.",
        "en": "Hello, I am {agent}, a Navigator agent. From now on I will answer your "
        "messages here myself.",
    },
    "released": {
        "id": "Petugas sudah selesai membantu. Mulai sekarang asisten otomatis Navigator "
        "kembali menjawab; ketik pertanyaan Anda kapan saja.",
        "en": "The agent has finished helping. The Navigator assistant answers again from "
        "now on; type your question any time.",
    },
}


def say(key: str, lang: str, **values: str) -> str:
    """The text in ``lang`` (Indonesian when the language is unknown)."""
    texts = TEXTS[key]
    return texts.get(lang, texts["id"]).format(**values)
