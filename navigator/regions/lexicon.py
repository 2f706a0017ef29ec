"""Everyday words, so that a chat word is never read as a misspelt place.

Two maintained lists: the Indonesian root words that PySastrawi ships (about 30,000, from
its stemmer's dictionary) and the chat spellings of the knowledge base's glossary
(``knowledge_base/glossary.yml``: "gmn", "pengen", "ngurus"...). A word in either list
is only a place when it is written exactly as one, and, for names that are not a
kabupaten/kota, only after a cue ("di", "kec.").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import cast

from navigator.regions.dataset import package_file
from navigator.regions.text import words

logger = logging.getLogger(__name__)

SASTRAWI_WORDS = ("Stemmer", "data", "kata-dasar.txt")


def sastrawi_words() -> set[str]:
    """PySastrawi's root-word dictionary (empty, with a warning, if the package lacks it)."""
    try:
        text = package_file("Sastrawi", *SASTRAWI_WORDS).read_text(encoding="utf-8")
    except OSError as exc:
        logger.warning("PySastrawi's dictionary is not available (%s)", exc)
        return set()
    return {w for w in text.split() if w.isalpha()}


def sastrawi_stopwords() -> set[str]:
    """PySastrawi's stop words ("selama", "setelah", "menurut"): everyday words that its
    root-word list does not hold as such (empty without the package)."""
    try:
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
    except ImportError:
        return set()
    return {w for w in StopWordRemoverFactory().get_stop_words() if w.isalpha()}


_TERM = re.compile(r"^\s*-?\s*\{?\s*term:\s*[\"']?([^,\"'}\n#]+)", re.MULTILINE)


def glossary_words(path: Path) -> set[str]:
    """Single-word terms of the glossary (chat spellings); empty if the file is missing.

    The glossary is validated by ``navigator kb validate``; here only its ``term:`` values
    are read, line by line, which is ten times faster than parsing its 4,000 entries.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        logger.warning("glossary %s not read (%s)", path, exc)
        return set()
    out: set[str] = set()
    for match in _TERM.finditer(text):
        found = words(match.group(1))
        if len(found) == 1:
            out.add(found[0])
    return out


def everyday_lexicon(glossary: Path | None) -> frozenset[str]:
    """Root words plus the glossary's chat words."""
    found = sastrawi_words()
    if glossary is not None:
        found |= glossary_words(glossary)
    return frozenset(found)


def sastrawi_stemmer() -> Callable[[str], str] | None:
    """PySastrawi's stemmer ("kesehatan" -> "sehat"), or None without the package."""
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError:
        logger.warning("PySastrawi is not installed; derived words are not recognised")
        return None
    stemmer = StemmerFactory().create_stemmer()
    return cast(Callable[[str], str], stemmer.stem)


DERIVED_LETTERS = 3  # a word this much longer than its root word is derived from it


CONVERSATION_FILES = ("services/**/*.yml", "dialogue.yml", "life_events.yml", "glossary.yml")


def conversation_words(kb_root: Path) -> set[str]:
    """Every word of the knowledge base's conversation files (services, the dialogue's
    cue words, life events, the glossary; read as text, not parsed: ``navigator kb
    validate`` checks them): the words a conversation about public services is made of
    ("akta", "urus", "kapan", "punten", "matur nuwun"). Empty when they are missing."""
    out: set[str] = set()
    paths = sorted({p for pattern in CONVERSATION_FILES for p in kb_root.glob(pattern)})
    for path in paths:
        try:
            out.update(words(path.read_text(encoding="utf-8")))
        except OSError as exc:
            logger.warning("knowledge base file %s not read (%s)", path, exc)
    return out


class Everyday:
    """Is a word an everyday word: a root word, a chat word, or clearly derived from a
    root ("kesehatan")? The stemmer is given after the build (``stem``); its answers are
    kept, as the same words come again and again.

    ``common`` tells the words of a conversation about public services (chat words and
    the words of the conversation files) from dictionary words that are seldom typed there
    ("tambun", "senen", "penjaringan"), which open a message as a place name."""

    def __init__(
        self,
        root_words: frozenset[str],
        chat_words: frozenset[str],
        conversation_words: frozenset[str] = frozenset(),
    ) -> None:
        self.root_words = root_words
        self.chat_words = chat_words
        self.conversation_words = conversation_words
        self.stem: Callable[[str], str] | None = None
        self._stems: dict[str, str] = {}

    def __call__(self, word: str) -> bool:
        return word in self.root_words or word in self.chat_words or self.derived(word)

    def common(self, word: str) -> bool:
        """A word of chat or of the conversation files, as typed or by its root."""
        if word in self.chat_words or word in self.conversation_words:
            return True
        return self._root(word) in self.conversation_words

    def derived(self, word: str) -> bool:
        """Only clear derivations (ke-an, pe-an, -kan...): a stemmer also cuts names."""
        stem = self._root(word)
        return len(word) - len(stem) >= DERIVED_LETTERS and stem in self.root_words

    def root(self, word: str) -> str:
        """The stemmer's root of a word (the word itself when it is none derived)."""
        return self._root(word)

    def _root(self, word: str) -> str:
        """The stemmer's root of a word, kept once asked."""
        if word not in self._stems:
            self._stems[word] = self.stem(word) if self.stem is not None else word
        return self._stems[word]
