"""Tell Indonesian from English in a short chat message."""

from __future__ import annotations

from typing import Literal

from embeddings.text import tokens

Lang = Literal["id", "en"]

_EN = frozenset(
    """
    the a an of to for in on at is are am was be been i my me we our you your it this
    that do does did how what where when which who why can could should would will get
    got need have has had please with from about apply register certificate card my baby
    born died passed away job lost tax business school married marriage wife husband
    father mother child son daughter want help much cost long take office online
    """.split()
)
_ID = frozenset(
    """
    yang dan di ke dari untuk dengan ini itu ada saya aku anak bayi cara bagaimana
    gimana gmn apa berapa brp mau ingin bisa sudah udah belum blm tidak ga gak nggak
    syarat biaya buat bikin urus ngurus mengurus kalau kalo sy dimana mana lahir
    meninggal nikah kerja usaha sekolah pindah pensiun tolong mohon kak min dong ya sih
    nya punya baru
    """.split()
)


def detect_language(text: str) -> Lang:
    """'en' when English function words clearly outnumber Indonesian ones, else 'id'."""
    words = tokens(text)
    english = sum(w in _EN for w in words)
    indonesian = sum(w in _ID for w in words)
    return "en" if english > indonesian else "id"
