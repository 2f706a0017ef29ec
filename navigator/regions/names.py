"""The lookup of place names: every official and everyday name by its spelling-free key.

A key is the words of a name joined ("kulonprogo" for "Kulon Progo" and "Kulonprogo").
Each key lists its candidates best first, in tiers:

0. an everyday name of the vocabulary, a kabupaten/kota (the kind ``bare_name`` prefers
   first when a kabupaten and a kota share a name), a province;
1. a kecamatan;
2. a town: a GeoNames populated place ("Sampit", "Maumere": most seats of a kabupaten are
   not a kecamatan name);
3. the stem of split kecamatan ("Ungaran" for Ungaran Barat and Ungaran Timur);
4. a kelurahan/desa (read after "desa"/"kelurahan", next to its kabupaten/kota, or after
   a cue when no other village has the name).

Names that start with an optional word ("Kepulauan Selayar", "Pulau Morotai") are also
known without it, unless that shorter name is taken by another region.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from navigator.regions.dataset import RegionTable
from navigator.regions.model import How, Kind, Region
from navigator.regions.text import base_name, expand, key, quick_key, words
from navigator.regions.vocabulary import Vocabulary

MAX_WORDS = 6  # longest name looked up (words)
KECAMATAN_TYPO_LETTERS = 7  # a kecamatan name this long may be read through a typo
RANK_ALIAS, RANK_REGENCY, RANK_OTHER_KIND, RANK_PROVINCE = 0, 1, 2, 3
RANK_DISTRICT, RANK_TOWN, RANK_STEM, RANK_VILLAGE = 4, 5, 6, 7
_TIER = {0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 2, 6: 3, 7: 4}


@dataclass(frozen=True)
class Candidate:
    """One reading of a name: the region it names, how, and its rank (lower is better).

    A town's region is the kabupaten/kota it lies in (towns are not Kemendagri regions).
    """

    region: Region
    how: How
    rank: int

    @property
    def tier(self) -> int:
        """0 kabupaten/kota or province, 1 kecamatan, 2 town, 3 kecamatan stem, 4 village."""
        return _TIER[self.rank]

    def has_kind(self, kind: Kind) -> bool:
        """The words were read as that kind of region (kabupaten and kota told apart)."""
        if self.tier in (2, 3):
            return kind == "kecamatan"  # "kec. ungaran": a stem or a town read as a kecamatan
        return self.region.kind == kind


@dataclass(frozen=True)
class Town:
    """A named populated place and the Kemendagri code of its kabupaten/kota."""

    name: str
    regency: str


@dataclass
class NameIndex:
    """Every name by key; the keys that fuzzy matching compares a misspelt word with."""

    exact: dict[str, list[Candidate]] = field(default_factory=dict)
    fuzzy_keys: list[str] = field(default_factory=list)
    kecamatan_keys: list[str] = field(default_factory=list)  # long, of one kabupaten/kota
    vocab: Vocabulary = field(default_factory=Vocabulary)
    table: RegionTable = field(default_factory=RegionTable)
    village_keys: dict[str, list[str]] = field(default_factory=dict)  # key -> village codes
    _villages: dict[str, list[Candidate]] = field(default_factory=dict)
    _regency_keys: list[tuple[str, str]] = field(default_factory=list)
    prefixed: set[str] = field(default_factory=set)  # "kotaagung": a kecamatan "Kota Agung"

    def add(self, name_key: str, candidate: Candidate) -> None:
        """Register a candidate under a key (once per region and tier)."""
        if not name_key:
            return
        found = self.exact.setdefault(name_key, [])
        if all(c.region.code != candidate.region.code or c.tier != candidate.tier for c in found):
            found.append(candidate)

    def get(self, name_key: str) -> list[Candidate]:
        """Candidates of a key, best first (villages last, built when first asked for)."""
        found = self.exact.get(name_key, [])
        codes = self.village_keys.get(name_key)
        if codes is None:
            return found
        if name_key not in self._villages:
            villages = [
                Candidate(region, "desa", RANK_VILLAGE)
                for code in codes
                if (region := self.table.village(code)) is not None
            ]
            self._villages[name_key] = found + villages
        return self._villages[name_key]

    def known(self, name_key: str) -> bool:
        """The key names a province, kabupaten/kota, kecamatan, town or everyday name."""
        return name_key in self.exact

    def sharing_start(self, name_key: str, province_code: str) -> list[str]:
        """Kabupaten/kota of a province whose name starts with ``name_key`` ("belitung":
        Belitung and Belitung Timur)."""
        if not self._regency_keys:
            for region in self.table.regencies():
                self._regency_keys.append((key(words(base_name(region.name))), region.code))
        return [
            code
            for k, code in self._regency_keys
            if k.startswith(name_key) and code.startswith(province_code + ".")
        ]

    def lookup(self, tokens: Sequence[str]) -> tuple[list[Candidate], bool]:
        """Candidates for some words as written, with abbreviations written out, without an
        optional first word ("pulau bunaken"), or in English. The flag says English."""
        direct = self.get(key(tokens))
        if direct:
            return direct, False
        expanded = expand(list(tokens), self.vocab.abbreviations)
        if expanded != list(tokens):
            found = self.get(key(expanded))
            if found:
                return found, False
        for prefix in self.vocab.optional_prefixes:
            if len(tokens) > len(prefix) and tuple(tokens[: len(prefix)]) == prefix:
                found = self.get(key(tokens[len(prefix) :]))
                if found:
                    return found, False
        for variant in english_variants(tokens, self.vocab):
            found = self.get(key(variant))
            if found:
                return found, True
        return [], False

    def closest(self, text_key: str, most: int = 2) -> tuple[str, int] | None:
        """The one name key within a typo or two of ``text_key`` (same first letter): one
        for up to seven letters, two beyond, never more than ``most``."""
        limit = min(most, 1 if len(text_key) <= 7 else 2)
        hits = process.extract(
            text_key, self.fuzzy_keys, scorer=OSA.distance, score_cutoff=limit, limit=8
        )
        # same first letter, and no four-letter names: "posko" is one letter from Poso
        found = [(k, int(d)) for k, d, _ in hits if k[0] == text_key[0] and len(k) >= 5]
        if len(text_key) == 4:  # four letters: only a letter left out ("medn")
            found = [(k, d) for k, d in found if len(k) == 5]
        if not found:
            return None
        best = min(d for _, d in found)
        tied = sorted(k for k, d in found if d == best)
        if len({self.get(k)[0].region.code for k in tied}) > 1:
            # letters swapped ("bnadung") beat a letter left out ("badung")
            tied = [k for k in tied if sorted(k) == sorted(text_key)]
            if len({self.get(k)[0].region.code for k in tied}) != 1:
                return None  # two different places as close: not a typo we can read
        return tied[0], best

    def closest_kecamatan(self, text_key: str) -> str | None:
        """The one kecamatan name a typo from ``text_key`` (same first letter; names of
        seven letters or more that one kabupaten/kota has: "ciputt", "pamulng")."""
        if len(text_key) < KECAMATAN_TYPO_LETTERS - 1:
            return None
        hits = process.extract(
            text_key, self.kecamatan_keys, scorer=OSA.distance, score_cutoff=1, limit=4
        )
        found = [k for k, d, _ in hits if d == 1 and k[0] == text_key[0]]
        regencies = {c.region.code[:5] for k in found for c in self.get(k) if c.tier == 1}
        return found[0] if len(regencies) == 1 else None

    def add_towns(self, towns: Iterable[Town]) -> None:
        """Register populated places as tier-2 names of their kabupaten/kota."""
        for town in towns:
            region = self.table.get(town.regency)
            if region is not None:
                self.add(quick_key(town.name), Candidate(region, "town", RANK_TOWN))
        self._sort()

    def add_short_forms(self, forms: dict[str, Region]) -> None:
        """Register derived short forms ("kukar") as everyday names of their region."""
        for form, region in forms.items():
            self.add(form, Candidate(region, "abbreviation", RANK_ALIAS))
        self._sort()

    def _sort(self) -> None:
        for found in self.exact.values():
            found.sort(key=lambda c: (c.rank, c.region.code))
        self._villages.clear()


def english_variants(tokens: Sequence[str], vocab: Vocabulary) -> list[list[str]]:
    """Indonesian word orders of an English name ("South Jakarta" -> "jakarta selatan")."""
    if not any(t in vocab.english_words for t in tokens):
        return []
    rest = list(tokens)
    lead: list[str] = []
    while rest and rest[0] in vocab.english_leading:
        lead.append(rest.pop(0))
    trail: list[str] = []
    while rest and rest[-1] in vocab.english_trailing:
        trail.insert(0, rest.pop())
    if not rest:
        return []

    def options(word: str) -> list[str]:
        return vocab.english_words.get(word, [word])

    parts = [options(w) for w in trail] + [options(w) for w in rest]
    parts += [options(w) for w in reversed(lead)]
    return [" ".join(combo).split() for combo in itertools.islice(itertools.product(*parts), 8)]


def _official(table: RegionTable, vocab: Vocabulary) -> list[tuple[list[str], Candidate]]:
    """(words, candidate) for every province, kabupaten/kota and kecamatan name."""
    out: list[tuple[list[str], Candidate]] = []
    for region in table.regions.values():
        tokens = words(base_name(region.name))
        if region.level == 1:
            rank = RANK_PROVINCE
        elif region.level == 2:
            rank = RANK_REGENCY if region.kind == vocab.bare_name else RANK_OTHER_KIND
        else:
            rank = RANK_DISTRICT
        candidate = Candidate(region, "name" if region.level <= 2 else "kecamatan", rank)
        out.append((tokens, candidate))
        if region.level == 3 and len(tokens) < len(words(region.name)):
            out.append((words(region.name), candidate))  # "Kota Agung" is also "Agung"
        long_form = expand(tokens, vocab.abbreviations)
        if long_form != tokens:
            out.append((long_form, candidate))
    return out


def _without_prefix(tokens: list[str], vocab: Vocabulary) -> list[str] | None:
    for prefix in vocab.optional_prefixes:
        if len(tokens) > len(prefix) and tuple(tokens[: len(prefix)]) == prefix:
            return tokens[len(prefix) :]
    return None


def _stem(tokens: list[str], vocab: Vocabulary) -> list[str] | None:
    for suffix in vocab.stem_suffixes:
        if len(tokens) > len(suffix) and tuple(tokens[-len(suffix) :]) == suffix:
            return tokens[: -len(suffix)]
    return None


def build_index(table: RegionTable, vocab: Vocabulary, villages: bool = True) -> NameIndex:
    """The index of every province, kabupaten/kota, kecamatan (and village) name."""
    index = NameIndex(vocab=vocab, table=table)
    for alias in vocab.aliases:
        region = table.get(alias.code)
        if region is not None:
            index.add(key(alias.words), Candidate(region, "alias", RANK_ALIAS))
            if len(alias.words) > 1 and tuple(alias.words[:1]) in vocab.kinds:
                index.prefixed.add(key(alias.words))  # "kota pahlawan": the name itself
    official = _official(table, vocab)
    for tokens, candidate in official:
        index.add(key(tokens), candidate)
        rest = tuple(words(base_name(candidate.region.name)))
        if candidate.tier == 1 and tokens[:1] != list(rest[:1]) and rest not in vocab.stem_suffixes:
            index.prefixed.add(key(tokens))  # not "Kota Barat": a direction, not a name
    for spelling, target in vocab.spellings.items():
        for candidate in index.get(key(target)):
            if candidate.tier == 0:
                index.add(key(spelling), Candidate(candidate.region, "alias", candidate.rank))
    for tokens, candidate in official:  # "selayar" for Kepulauan Selayar, if free
        short = _without_prefix(tokens, vocab)
        if short is not None and all(c.tier >= candidate.tier for c in index.get(key(short))):
            index.add(key(short), candidate)
    for tokens, candidate in official:  # "ungaran" for Ungaran Barat and Ungaran Timur
        stem = _stem(tokens, vocab) if candidate.tier == 1 else None
        if stem:
            index.add(key(stem), Candidate(candidate.region, "kecamatan", RANK_STEM))
    if villages:
        for code, name in table.villages.items():
            index.village_keys.setdefault(quick_key(name), []).append(code)
    index._sort()
    index.fuzzy_keys = sorted(
        k for k, found in index.exact.items() if len(k) >= 4 and found[0].tier == 0
    )
    index.kecamatan_keys = sorted(
        k
        for k, found in index.exact.items()
        if len(k) >= KECAMATAN_TYPO_LETTERS
        and found[0].tier == 1
        and len({c.region.code[:5] for c in found if c.tier == 1}) == 1
    )
    return index
