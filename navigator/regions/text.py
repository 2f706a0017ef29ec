"""Normalising place names and chat messages into comparable word lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

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


_BREAK = re.compile(r"[,;:!?()\n]|\s[-\u2013\u2014]+\s|\.\s")
_CASED_WORD = re.compile(r"[A-Za-z0-9]+")
_SENTENCE_END = re.compile(r"[.!?\n]")


def _plain(text: str) -> str:
    """Accents and apostrophes dropped, case kept."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHE.sub("", text)


class Written(NamedTuple):
    """A word of a message as it was written: lower case, and what its writing shows."""

    word: str
    broken: bool  # a punctuation break follows ("Cepu, ..."; the end of the text is one)
    capitals: bool  # written in capitals ("OKI", "PALI")
    proper: bool  # a capital first letter inside a sentence ("kerja di Duri")
    initial: bool = False  # a capital first letter anywhere ("Senen bikin SKTM")


def words_and_breaks(text: str) -> list[Written]:
    """The words of a text (as ``words`` gives them) with what their writing shows. A word
    is ``proper`` only where the text is written in lower case otherwise: not in a title
    or a text with every word capitalised."""
    plain = _plain(text)
    found = [m for m in _CASED_WORD.finditer(plain) if m.group().lower().isascii()]
    out = []
    sentence_start = True
    for n, match in enumerate(found):
        after = plain[match.end() : found[n + 1].start() if n + 1 < len(found) else None]
        word = match.group()
        broken = n + 1 == len(found) or bool(_BREAK.search(after))
        capitals = len(word) > 1 and word.isupper() and word.isalpha()
        proper = word[0].isupper() and not capitals and not sentence_start and word.isalpha()
        out.append(Written(word.lower(), broken, capitals, proper, word[0].isupper()))
        sentence_start = bool(_SENTENCE_END.search(after))
    lower = sum(1 for m in found if m.group()[0].islower())
    if lower < len(found) / 2:
        out = [w._replace(proper=False) for w in out]
    return out


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
