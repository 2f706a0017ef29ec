"""Misspelt names: a word where a place is expected, within a typo or two of a name.

A word is compared with the names of kabupaten/kota, provinces and everyday names when a
place is expected there: after a cue or a kind word ("di bnadung", "kab. bandugn"), opening
the message ("denpsar akta kelahiran", a long word also in a longer message), or as a
message of one or two words. Two words are
tried before one ("tangerng selatan"), and a word right after a name that makes a longer
name ("jakarta selatn"). A dictionary word is never a typo ("malam" is not Malang).
"""

from __future__ import annotations

from collections.abc import Sequence

from navigator.regions.cues import Cues
from navigator.regions.finding import Found, Message
from navigator.regions.lexicon import Everyday
from navigator.regions.names import Candidate, NameIndex
from navigator.regions.text import key
from navigator.regions.vocabulary import Vocabulary

MIN_LETTERS = 4  # shorter words are not compared
SHORT_MESSAGE = 2  # a message of this many words or fewer is a place where it is typed
TOPIC_MESSAGE = 5  # a message this short may open with its place ("bgor surat domisili")
LONG_OPENING = 7  # a first word this long may be a misspelt place ("boyolai mau bikin ...")
# a message with one of these is English: its first word is no misspelt place ("Prepare
# the documents" is not Parepare)
ENGLISH = frozenset(
    "the a an my your our his her their is are was were be do does did i we you it this "
    "that of and or for with to from how what where when can could should would".split()
)


class TypoReader:
    """Finds misspelt names where a place is expected."""

    def __init__(self, vocab: Vocabulary, index: NameIndex, cues: Cues, everyday: Everyday) -> None:
        self.vocab = vocab
        self.index = index
        self.cues = cues
        self.everyday = everyday

    def _typo_key(self, span: Sequence[str]) -> str | None:
        """The key of words that may be a misspelt name (not cue words, not all everyday)."""
        if not all(t.isalpha() and t not in self.cues.words for t in span):
            return None
        if tuple(span) in self.vocab.not_places:
            return None
        if all(self.everyday(t) for t in span):
            return None
        text_key = key(span)
        return text_key if len(text_key) >= MIN_LETTERS else None

    def _expected(self, message: Message, i: int) -> int:
        """How many typos a name at ``i`` may have: two where a place is expected (a cue
        before it, a short message), one where a short message opens with it ("denpsar
        akta kelahiran") or it opens the message before a break, else none."""
        tokens = message.tokens
        if len(tokens) <= SHORT_MESSAGE or self.cues.cued(tokens, i):
            return 2
        if i != 0 or not ENGLISH.isdisjoint(tokens):
            return 0
        short = len(tokens) <= TOPIC_MESSAGE or {0, 1} & message.breaks
        return 1 if short or len(tokens[0]) >= LONG_OPENING else 0

    def _below_expected(self, message: Message, i: int, text_key: str) -> bool:
        """A misspelt kecamatan only after a cue or opening the message before a break
        ("pamulng, mau urus KTP"), and only for a word that is no name and no derived word
        ("tunjangan" is not Tunjungan)."""
        topic = i == 0 and 0 in message.breaks
        if self.index.known(text_key) or not (topic or self.cues.cued(message.tokens, i)):
            return False
        return self.everyday.root(text_key) == text_key

    def _judged(self, tokens: Sequence[str], text_key: str, written: str) -> bool:
        """A name as written, that the finder said does not count; in a message of one or
        two words it counts all the same ("madina akta"), unless it is an acronym that means
        something else ("cek dps")."""
        if not self.index.known(text_key):
            return False
        return len(tokens) > SHORT_MESSAGE or written in self.vocab.acronyms

    def _candidates(self, tokens: Sequence[str], i: int, name_key: str) -> tuple[Candidate, ...]:
        """The readings of a corrected name, of the kind a kind word before it says
        ("kab. bandugn" is Kabupaten Bandung)."""
        found = self.index.get(name_key)
        for length in (3, 2, 1):
            kind, taken = self.cues.kind_at(tokens, i - length) if i >= length else (None, 0)
            if kind is not None and taken == length:
                fitting = [c for c in found if c.has_kind(kind)]
                return tuple(fitting or found)
        return tuple(found)

    def find(self, message: Message, taken: set[int]) -> list[Found]:
        """Misspelt names at the words not ``taken`` by a name already."""
        tokens = message.tokens
        found: list[Found] = []
        i = 0
        while i < len(tokens):
            most = 0 if i in taken else self._expected(message, i)
            if not most:
                i += 1
                continue
            hit = None
            for length in (2, 1):
                span = tokens[i : i + length]
                if len(span) < length or any(i + k in taken for k in range(length)):
                    continue
                text_key = self._typo_key(span)
                if text_key is None:
                    continue
                written = message.written.get(i, text_key) if length == 1 else text_key
                if self._judged(tokens, text_key, written):
                    continue
                close = self.index.closest(text_key, most)
                if close is None and length == 1 and self._below_expected(message, i, text_key):
                    # "di ciputt", "pamulng, ...": a kecamatan of one kabupaten/kota
                    below = self.index.closest_kecamatan(text_key)
                    close = (below, 1) if below is not None else None
                if close is not None:
                    candidates = self._candidates(tokens, i, close[0])
                    hit = Found(i, i + length, candidates, "fuzzy", name_start=i)
                    break
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit.end
        return found

    def extend(self, tokens: Sequence[str], found: list[Found], taken: set[int]) -> list[Found]:
        """A name followed by a misspelt word that makes a longer name ("jakarta selatn")."""
        out = []
        for item in found:
            nxt = item.end
            if item.weak or not item.candidates or nxt >= len(tokens) or nxt in taken:
                out.append(item)
                continue
            span = tokens[item.name_start : nxt + 1]
            # the next word may be an everyday word misspelt: the whole name is compared
            # ("tebing tingi" is Tebing Tinggi, though "tingi" reads as tinggi)
            word = tokens[nxt]
            fits = word.isalpha() and word not in self.cues.words and len(word) >= MIN_LETTERS
            close = self.index.closest(key(span)) if fits else None
            if close is not None and close[0] != key(tokens[item.name_start : nxt]):
                candidates = self._candidates(tokens, item.name_start, close[0])
                out.append(Found(item.start, nxt + 1, candidates, "fuzzy", False, item.name_start))
                taken.add(nxt)
            else:
                out.append(item)
        return out
