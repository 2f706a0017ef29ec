"""The everyday names of places and the words around them, as the resolver uses them.

``knowledge_base/regions/aliases.yml`` holds what the official list does not say: the
names people write ("jaksel", "jogja", "solo"), the words that mark a kind of region
("kab.", "kec", "regency"), English words, the cues of a place ("di", "tinggal di",
"KTP"), and the place names that are also everyday words ("batu", "medan"). The file is
read and checked by ``aliases_file.py``; this module holds what it becomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from navigator.kb.loader import Problem
from navigator.regions.model import Kind

ALIASES_FILE = "aliases.yml"
KINDS: tuple[Kind, ...] = ("provinsi", "kabupaten", "kota", "kecamatan", "desa")
Phrase = tuple[str, ...]


class VocabularyError(Exception):
    """The vocabulary file has errors; ``problems`` lists them with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        shown = "\n".join(str(p) for p in errors[:20])
        super().__init__(f"region vocabulary has {len(errors)} error(s):\n{shown}")
        self.problems = problems


@dataclass(frozen=True)
class Alias:
    """An everyday name of a region: the words people write and the Kemendagri code."""

    words: Phrase
    code: str
    line: int


@dataclass
class Vocabulary:
    """Everything the resolver knows about place words besides the official names."""

    bare_name: Kind = "kota"
    aliases: list[Alias] = field(default_factory=list)
    spellings: dict[Phrase, Phrase] = field(default_factory=dict)
    kinds: dict[Phrase, Kind] = field(default_factory=dict)
    english_kinds: dict[Phrase, Kind] = field(default_factory=dict)
    english_words: dict[str, list[str]] = field(default_factory=dict)
    english_leading: set[str] = field(default_factory=set)
    english_trailing: set[str] = field(default_factory=set)
    abbreviations: dict[str, str] = field(default_factory=dict)
    place_cues: set[Phrase] = field(default_factory=set)
    lives_cues: set[Phrase] = field(default_factory=set)
    ktp_cues: set[Phrase] = field(default_factory=set)
    contrast: set[str] = field(default_factory=set)
    amount: set[str] = field(default_factory=set)
    glued: tuple[str, ...] = ()
    everyday_words: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)  # mean something else, even in capitals
    openers: set[str] = field(default_factory=set)  # open a message, never as its place
    particles: set[str] = field(default_factory=set)  # "madina nih, ...": before a break
    not_places: set[Phrase] = field(default_factory=set)
    abroad: set[Phrase] = field(default_factory=set)
    optional_prefixes: set[Phrase] = field(default_factory=set)
    stem_suffixes: set[Phrase] = field(default_factory=set)
    fillers: set[str] = field(default_factory=set)
    street: set[Phrase] = field(default_factory=set)
    person: set[Phrase] = field(default_factory=set)  # a person's name follows ("nama anak")
    moving: set[Phrase] = field(default_factory=set)
    destination: set[Phrase] = field(default_factory=set)
    lines: dict[str, int] = field(default_factory=dict)  # everyday word -> its line
