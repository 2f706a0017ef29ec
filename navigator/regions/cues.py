"""Cue words around place names, as the vocabulary lists them: kinds ("kab."), place cues
("di"), roles ("tinggal di", "KTP"), fillers, contrast words, moving ("pindah ... ke").

Phrases are kept by their first and last words, so that asking whether one stands at a
place in the message costs a dictionary look-up, not a pass over the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


class Phrases:
    """A set of phrases, looked up by the word they end or start with."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.all = set(phrases)
        self._by_last: dict[str, list[Phrase]] = {}
        self._by_first: dict[str, list[Phrase]] = {}
        self._wild_last: list[Phrase] = []  # the last word ends with "*"
        self._wild_first: list[Phrase] = []
        for phrase in sorted(self.all, key=lambda p: -len(p)):
            if phrase[-1].endswith("*"):
                self._wild_last.append(phrase)
            else:
                self._by_last.setdefault(phrase[-1], []).append(phrase)
            if phrase[0].endswith("*"):
                self._wild_first.append(phrase)
            else:
                self._by_first.setdefault(phrase[0], []).append(phrase)

    def __contains__(self, phrase: object) -> bool:
        return phrase in self.all

    def endings(self, tokens: Sequence[str], end: int) -> list[Phrase]:
        """The phrases that stand right before ``end``, longest first."""
        if end <= 0 or end > len(tokens):
            return []
        found = [p for p in self._by_last.get(tokens[end - 1], ()) if matches(p, tokens, end)]
        found += [p for p in self._wild_last if matches(p, tokens, end)]
        return sorted(found, key=lambda p: -len(p))

    def ending(self, tokens: Sequence[str], end: int) -> Phrase | None:
        """The longest phrase that stands right before ``end``, or None."""
        found = self.endings(tokens, end)
        return found[0] if found else None

    def ends(self, tokens: Sequence[str], end: int) -> bool:
        """Some phrase stands right before ``end``."""
        return self.ending(tokens, end) is not None

    def starting(self, tokens: Sequence[str], at: int) -> int:
        """Length of the longest phrase that starts at ``at`` (0 when none)."""
        if at >= len(tokens):
            return 0
        candidates = [*self._by_first.get(tokens[at], ()), *self._wild_first]
        return max((len(p) for p in candidates if matches(p, tokens, at + len(p))), default=0)


class Cues:
    """The vocabulary's cue words, with the questions the resolver asks of them."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.kinds: dict[Phrase, Kind] = {**vocab.kinds, **vocab.english_kinds}
        self.place = Phrases(vocab.place_cues)
        self.kind_phrases = Phrases(self.kinds)
        self.lives = Phrases(vocab.lives_cues)
        self.ktp = Phrases(vocab.ktp_cues)
        self.roles = Phrases(vocab.lives_cues | vocab.ktp_cues)
        self.moving = Phrases(vocab.moving)
        self.destination = Phrases(vocab.destination)
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

    def role_ending(self, tokens: Sequence[str], end: int) -> Role | None:
        """The role of a role cue right before ``end`` (the longer cue when both end there)."""
        phrase = self.roles.ending(tokens, end)
        if phrase is None:
            return None
        return "lives" if phrase in self.lives else "ktp"

    def cued(self, tokens: Sequence[str], start: int, kinds: bool = True) -> bool:
        """A cue stands right before ``start``: a place cue, a kind word (unless ``kinds``
        is false: one that did not fit the name), or a role cue with only filler words
        between ("KTP saya Bekasi")."""
        if self.place.ends(tokens, start):
            return True
        if kinds and self.kind_phrases.ends(tokens, start):
            return True
        end = start
        while True:
            if self.roles.ends(tokens, end):
                return True
            if end > 0 and tokens[end - 1] in self.vocab.fillers:
                end -= 1
                continue
            return False

    def strongly_cued(self, tokens: Sequence[str], start: int) -> bool:
        """A role cue before ``start`` ("tinggal di", "rumah di", "KTP"), or a place cue
        after a role cue or a pronoun ("sy di"): where a word of the dictionary that is
        also a kecamatan or a town ("sy di biak") is read as the place."""
        if self.roles.ends(tokens, start):
            return True
        cue = self.place.ending(tokens, start)
        if cue is None:
            return False
        before = start - len(cue)
        if before > 0 and tokens[before - 1] in self.vocab.fillers:
            return True
        return self.roles.ends(tokens, before)

    def lives_here(self, tokens: Sequence[str], start: int) -> bool:
        """A cue of living ending in a place cue stands right before ``start`` ("tinggal
        di", "domisili di", "rumah sy di"): what follows is a place, even a chat word."""
        phrase = self.lives.ending(tokens, start)
        if phrase is not None and len(phrase) > 1 and phrase[-1:] in self.place:
            return True
        cue = self.place.ending(tokens, start)
        return cue is not None and self.lives.ends(tokens, start - len(cue))

    def role_after(self, tokens: Sequence[str], end: int) -> Role | None:
        """ "ktp" when an ID-card cue follows the name right away ("warga Karawang KTP-nya,
        tapi tinggal di Purwakarta")."""
        return "ktp" if self.ktp.starting(tokens, end) else None

    def role(self, tokens: Sequence[str], start: int, floor: int) -> Role | None:
        """The role of the nearest cue before ``start``, not past ``floor`` or a contrast
        word; after a word of moving, "ke" marks where the citizen will live."""
        lowest = max(floor, start - ROLE_WINDOW)
        for end in range(start, lowest - 1, -1):
            if end < start and tokens[end] in self.vocab.contrast:
                return None
            for phrase in self.roles.endings(tokens, end):
                if end - len(phrase) >= floor:
                    return "lives" if phrase in self.lives else "ktp"
        moved = any(self.moving.ends(tokens, end) for end in range(1, start + 1))
        return "lives" if moved and self.destination.ends(tokens, start) else None
