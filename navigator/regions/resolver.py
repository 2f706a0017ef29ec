"""``resolve(text)``: the kabupaten/kota a chat message names, with roles and ambiguity.

The message is cut into words (digits inside a word read as letters, "bekas1"; a letter
typed three times or more read once, "jogjaaa"; a cue glued to a name split off,
"dibekasi"; other spellings of official names written as the official name, "jogja"),
noting the punctuation breaks, the words in capitals and the capitalised words inside a
lower-case sentence. Then, each step a module of its own:

1. ``finding``: places abroad, phrases that are never places, streets and islands of
   several kabupaten/kota set aside; names found longest first with the kind words around
   them, and whether each counts by itself (cues, the message's topic, capitals);
   postal codes;
2. ``typos``: misspelt names where a place is expected;
3. ``joining``: neighbouring names read as one place ("Ngaglik, Sleman"), a shared name
   settled by the rest of the message;
4. here: each place as a kabupaten/kota with the role of the cue before it (``cues``); a
   name shared by several kabupaten/kota below them is the one where GeoNames has a town
   of that name, or kecamatan split from it, else the one kota among them (ambiguous,
   the others as alternatives), else no answer;
5. ``answer``: where the citizen lives, with the ID card's region beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from navigator.regions.answer import answer
from navigator.regions.dataset import RegionTable
from navigator.regions.finding import Found, Message, NameFinder
from navigator.regions.joining import Joiner, drop_overlaps
from navigator.regions.lexicon import Everyday
from navigator.regions.model import Mention, Region, Resolution
from navigator.regions.names import NameIndex
from navigator.regions.points import Place
from navigator.regions.text import Written, words_and_breaks
from navigator.regions.typos import TypoReader
from navigator.regions.vocabulary import Vocabulary

_LEET = str.maketrans("013457", "oieast")
_ELONGATED = re.compile(r"([a-z])\1{2,}")  # a letter typed three times or more
_DOUBLED_END = re.compile(r"([a-z])\1$")  # the last letter typed twice ("dumaii")


PARTICLES = 2  # particles that may stand between a name and its break


class Resolver:
    """Reads places out of chat messages; build it once (``load_resolver``) and share it."""

    def __init__(
        self,
        table: RegionTable,
        vocab: Vocabulary,
        index: NameIndex,
        root_words: frozenset[str],
        chat_words: frozenset[str],
        conversation_words: frozenset[str] = frozenset(),
    ) -> None:
        self.table = table
        self.vocab = vocab
        self.index = index
        self.root_words = root_words
        self.chat_words = chat_words
        self.everyday = Everyday(root_words, chat_words, conversation_words)
        self.finder = NameFinder(table, vocab, index, self.everyday)
        self.cues = self.finder.cues
        self.typos = TypoReader(vocab, index, self.cues, self.everyday)
        self.joiner = Joiner(vocab, self.cues, self.everyday)
        self.places: list[Place] = []  # GeoNames places the towns came from (for locate)

    @property
    def stem(self) -> Callable[[str], str] | None:
        """The Indonesian stemmer that tells derived words ("kesehatan"), when given."""
        return self.everyday.stem

    @stem.setter
    def stem(self, stemmer: Callable[[str], str] | None) -> None:
        self.everyday.stem = stemmer

    # -- words ------------------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """The message's words as the lookup reads them."""
        return self.message(text).tokens

    def message(self, text: str) -> Message:
        """The message's words, with the punctuation breaks and the words in capitals."""
        pieces: list[Written] = []
        for written in words_and_breaks(text):
            token = written.word
            if not token.isdigit() and not token.isalpha():
                token = token.translate(_LEET)  # "bekas1", "sukoharj0"
            if not self.index.known(token):
                token = _ELONGATED.sub(r"\1", token)  # "jogjaaa", "bandunggg"
            token = self._undouble(token)
            parts = self._unglue(token)
            for n, part in enumerate(parts):
                last = n == len(parts) - 1
                pieces.append(written._replace(word=part, broken=written.broken and last))
        message = self._respell(pieces)
        self._particles_before_breaks(message)
        return message

    def _particles_before_breaks(self, message: Message) -> None:
        """Chat particles and addresses before a break belong to it ("madina nih, ...",
        "PPU kak, ...", "bandar lampung nih kak, ..."): the word before them is followed by
        the break too."""
        for at in sorted(message.breaks):
            j = at
            while j > 0 and at - j < PARTICLES and message.tokens[j] in self.vocab.particles:
                j -= 1
                message.breaks.add(j)

    def _undouble(self, token: str) -> str:
        """The last letter typed twice ("dumaii", "sukabumii"): the word typed once when that
        is a kabupaten/kota's or kecamatan's name and the word as typed names nothing above
        a village (not the village "Duma II")."""
        if not _DOUBLED_END.search(token) or token in self.root_words:
            return token
        single = token[:-1]
        return single if self._tier(single) <= 1 < self._tier(token) else token

    def _tier(self, name_key: str) -> int:
        """The best tier of a name's readings (0 kabupaten/kota ... 4 village; 9 none)."""
        return min((c.tier for c in self.index.get(name_key)), default=9)

    def _unglue(self, token: str) -> list[str]:
        if self.index.known(token) or token in self.root_words:
            return [token]
        for prefix in self.vocab.glued:
            rest = token[len(prefix) :]
            if token.startswith(prefix) and len(rest) >= 4:
                found = self.index.get(rest)
                if found and found[0].tier == 0:
                    return [prefix, rest]
        return [token]

    def _respell(self, pieces: list[Written]) -> Message:
        message = Message([])
        i = 0
        while i < len(pieces):
            for length in (3, 2, 1):
                phrase = tuple(p.word for p in pieces[i : i + length])
                target = self.vocab.spellings.get(phrase) if len(phrase) == length else None
                if target is not None:
                    break
            else:
                length, target = 1, (pieces[i].word,)
            taken = pieces[i : i + length]
            at = range(len(message.tokens), len(message.tokens) + len(target))
            message.tokens.extend(target)
            if len(taken) == 1 and len(target) == 1 and target[0] != taken[0].word:
                message.written[at[0]] = taken[0].word  # "dps" read as "denpasar"
            if taken[-1].broken:
                message.breaks.add(at[-1])
            if any(p.capitals for p in taken):
                message.capitals.update(at)
            if taken[0].proper:
                message.proper.update(at)
            if taken[0].initial:
                message.initials.update(at)
            i += length
        return message

    # -- places as kabupaten/kota -----------------------------------------------------

    def _mention(self, tokens: Sequence[str], found: Found, floor: int) -> Mention | None:
        best = found.candidates[0]
        regions: list[Region] = []
        for candidate in found.candidates:
            if candidate.tier != best.tier:
                continue
            region = candidate.region if candidate.region.level <= 2 else None
            region = region or self.table.regency(candidate.region.code)
            if region is not None and region not in regions:
                regions.append(region)
        if not regions:
            return None
        if best.tier > 0 and len(regions) > 1 and found.how != "hierarchy":
            ranked = self._shared(tokens, found, regions)
            if ranked is None:
                return None  # a kecamatan, town or village name found in several kabupaten/kota
            regions = ranked
        detail = next(
            (c.region for c in found.candidates if c.region.code[:5] == regions[0].code),
            best.region,
        )
        return Mention(
            region=regions[0],
            text=" ".join(tokens[found.start : found.end]),
            start=found.start,
            end=found.end,
            how=found.how,
            role=self.cues.role(tokens, found.start, floor)
            or self.cues.role_after(tokens, found.end),
            alternatives=tuple(regions[1:]),
            detail=detail if detail.level > 2 else None,
        )

    def _shared(
        self, tokens: Sequence[str], found: Found, regions: list[Region]
    ) -> list[Region] | None:
        """The kabupaten/kota of a name below them that several share, best first, when
        something says which (the others are the alternatives): the only one where GeoNames
        has a populated place of that name, or where kecamatan were split from it ("Kota
        Agung Barat"); else the only kota among them, as a bare shared name is the kota
        ("bogor"). None when nothing says, and for a one-word name that is an everyday
        word ("panti")."""
        name = tokens[max(found.name_start, found.start) : found.end]
        if len(name) == 1 and self.everyday(name[0]):
            return None
        pool = regions
        for tier in (2, 3):  # a town, kecamatan split from the name
            codes = {c.region.code[:5] for c in found.candidates if c.tier == tier}
            having = [r for r in pool if r.code in codes]
            if len(having) == 1:
                return having + [r for r in regions if r not in having]
            pool = having or pool
        kota = [r for r in pool if r.kind == "kota"]
        if len(kota) == 1:
            return kota + [r for r in regions if r not in kota]
        return None

    # -- the answer -------------------------------------------------------------------

    def resolve(self, text: str) -> Resolution:
        """Where the message says the citizen is; ``Resolution(None)`` when it names no place."""
        message = self.message(text)
        tokens = message.tokens
        aside = self.finder.aside(tokens, message.breaks)
        found = drop_overlaps(aside + self.finder.exact(message, aside))
        taken = {i for f in found if not f.weak for i in range(f.start, f.end)}
        found = drop_overlaps(found + self.finder.postal(tokens, taken))
        taken = {i for f in found if not f.weak for i in range(f.start, f.end)}
        found = self.typos.extend(tokens, found, taken)
        found = drop_overlaps(found + self.typos.find(message, taken))
        mentions: list[Mention] = []
        floor = 0
        abroad = any(f.abroad for f in found)
        for item in self.joiner.merge(tokens, found):
            mention = None
            if item.candidates and not item.weak:
                mention = self._mention(tokens, item, floor)
            if item.candidates or item.abroad:
                floor = item.end
            if mention is not None:
                mentions.append(mention)
        return answer(mentions, abroad)
