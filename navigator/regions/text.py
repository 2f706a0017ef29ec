"""Normalising place names and chat messages into comparable word lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(r"['’`´]")
_OFFICIAL_PREFIX = re.compile(
    r"^(kabupaten administrasi|kota administrasi|kabupaten|kota|provinsi)\s+", re.IGNORECASE
)


def fold(text: str) -> str:
    """Lower case without accents or apostrophes ("Ma'u" -> "mau", "Sangalla'" -> "sangalla")."""
    if text.isascii():
        return _APOSTROPHE.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHE.sub("", plain.lower())


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, everything else a separator."""
    return _WORD.findall(fold(text))


def key(tokens: Sequence[str]) -> str:
    """The spelling-free key of a name: its words joined ("Kulon Progo" = "Kulonprogo")."""
    return "".join(tokens)


_NOT_KEY = re.compile(r"[^a-z0-9]+")


def quick_key(name: str) -> str:
    """``key(words(name))`` in one step, for the 84,000 village names."""
    return _NOT_KEY.sub("", fold(name))


def base_name(official: str) -> str:
    """An official name without its kind ("Kota Administrasi Jakarta Barat" -> "Jakarta Barat")."""
    return _OFFICIAL_PREFIX.sub("", official).strip()


def expand(tokens: list[str], abbreviations: dict[str, str]) -> list[str]:
    """Words with the abbreviations of official names written out ("kep" -> "kepulauan")."""
    out: list[str] = []
    for token in tokens:
        out.extend(abbreviations.get(token, token).split())
    return out
