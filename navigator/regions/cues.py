"""Cue words around place names, as the vocabulary lists them: kinds ("kab."), place cues
("di"), roles ("tinggal di", "KTP"), fillers, contrast words, moving ("pindah ... ke")."""

from __future__ import annotations

from collections.abc import Sequence

from navigator.regions.model import Kind, Role
from navigator.regions.vocabulary import Phrase, Vocabulary

ROLE_WINDOW = 4  # words between a role cue and the place it marks


def matches(phrase: Phrase, tokens: Sequence[str], end: int) -> bool:
    """``phrase`` stands in ``tokens`` right before ``end`` (a final ``*`` matches any ending)."""
    start = end - len(phrase)
    if start < 0 or end > len(tokens):
        return False
    for want, got in zip(phrase, tokens[start:end], strict=True):
        if want.endswith("*"):
            if not got.startswith(want[:-1]):
                return False
        elif want != got:
            return False
    return True


def starts(phrases: set[Phrase], tokens: Sequence[str], at: int) -> int:
    """Length of the longest phrase that starts at ``at`` (0 when none)."""
    best = 0
    for phrase in phrases:
        if len(phrase) > best and matches(phrase, tokens, at + len(phrase)):
            best = len(phrase)
    return best


class Cues:
    """The vocabulary's cue words, with the questions the resolver asks of them."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.kinds: dict[Phrase, Kind] = {**vocab.kinds, **vocab.english_kinds}
        self.role_cues: list[tuple[Phrase, Role]] = [(p, "lives") for p in vocab.lives_cues]
        self.role_cues += [(p, "ktp") for p in vocab.ktp_cues]
        self.role_cues.sort(key=lambda item: -len(item[0]))
        cues = vocab.place_cues | vocab.lives_cues | vocab.ktp_cues | vocab.street
        self.words = {w for p in cues for w in p} | {w for p in self.kinds for w in p}
        self.words |= vocab.contrast | vocab.fillers

    def kind_at(self, tokens: Sequence[str], at: int) -> tuple[Kind | None, int]:
        """The kind named by the words starting at ``at`` and how many words it took."""
        for length in (3, 2, 1):
            phrase = tuple(tokens[at : at + length])
            if len(phrase) == length and phrase in self.kinds:
                return self.kinds[phrase], length
        return None, 0

    def cued(self, tokens: Sequence[str], start: int, kinds: bool = True) -> bool:
        """A cue stands right before ``start``: a place cue, a kind word (unless ``kinds``
        is false: one that did not fit the name), or a role cue with only filler words
        between ("KTP saya Bekasi")."""
        if any(matches(p, tokens, start) for p in self.vocab.place_cues):
            return True
        if kinds and any(matches(p, tokens, start) for p in self.kinds):
            return True
        end = start
        while True:
            if any(matches(p, tokens, end) for p, _ in self.role_cues):
                return True
            if end > 0 and tokens[end - 1] in self.vocab.fillers:
                end -= 1
                continue
            return False

    def strongly_cued(self, tokens: Sequence[str], start: int) -> bool:
        """A role cue before ``start`` ("tinggal di", "rumah di", "KTP"), or a place cue
        after a role cue or a pronoun ("sy di"): where a word of the dictionary that is
        also a kecamatan or a town ("sy di biak") is read as the place."""
        if any(matches(p, tokens, start) for p, _ in self.role_cues):
            return True
        for cue in self.vocab.place_cues:
            if matches(cue, tokens, start):
                before = start - len(cue)
                if before > 0 and tokens[before - 1] in self.vocab.fillers:
                    return True
                if any(matches(p, tokens, before) for p, _ in self.role_cues):
                    return True
        return False

    def role(self, tokens: Sequence[str], start: int, floor: int) -> Role | None:
        """The role of the nearest cue before ``start``, not past ``floor`` or a contrast
        word; after a word of moving, "ke" marks where the citizen will live."""
        lowest = max(floor, start - ROLE_WINDOW)
        for end in range(start, lowest - 1, -1):
            if end < start and tokens[end] in self.vocab.contrast:
                return None
            for phrase, role in self.role_cues:
                if end - len(phrase) >= floor and matches(phrase, tokens, end):
                    return role
        if any(matches(p, tokens, start) for p in self.vocab.destination):
            before = range(1, start + 1)
            if any(matches(p, tokens, end) for end in before for p in self.vocab.moving):
                return "lives"
        return None
