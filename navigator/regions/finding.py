"""Finding the names in a message: what is set aside, which names are read, which are weak.

A kabupaten/kota or province name counts by itself unless it is an everyday word ("batu",
"medan": then after a cue, as the message's topic, or an abbreviation in capitals, "OKI
BPJS"). Below the kabupaten/kota a name counts after a cue ("di", "warga", "kec."), or
opening the message: a name that is no word of the dictionary at all ("Cinere ada MPP?",
"Takengon, KTP"), a dictionary word only as the message's topic, before a punctuation
break ("Cepu, pensiunan Pertamina"; not a greeting or an address, "Salam, ...", "Ibu,
..."). Elsewhere a dictionary word needs a role cue ("tinggal di", "sy di") or a capital
inside a lower-case sentence ("kerja di Duri"). A village counts after "desa"/"kelurahan"
or "pulau", or after a cue when its name is long, no word, and of one kabupaten/kota. The
rest are ``weak``: they count only next to a region they fit ("banjar, kalsel").
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from navigator.regions.cues import Cues, Phrases
from navigator.regions.dataset import RegionTable
from navigator.regions.lexicon import Everyday
from navigator.regions.model import How, Kind
from navigator.regions.names import MAX_WORDS, Candidate, NameIndex
from navigator.regions.text import key
from navigator.regions.vocabulary import Vocabulary

STREET_WORDS = 3  # words of a street name set aside after "jl."
LONE_VILLAGE_LETTERS = 6  # a village name read alone after a cue has at least this many
SHORT_NAME_LETTERS = 4  # a shorter name below the kabupaten/kota needs a cue
ISLAND_WORDS = ("pulau",)  # "pulau X": the island of that name


def urban_first(candidates: list[Candidate]) -> list[Candidate]:
    """A village name of several kabupaten/kota of which one holds the kelurahan of that name
    (a town's quarter, Kemendagri code 1xxx; the others rural desa, 2xxx): that one. People
    name the neighbourhoods of towns ("Rawamangun", "Dago"), seldom a far-off desa."""
    if not candidates or candidates[0].tier != 4:
        return candidates
    villages = [c for c in candidates if c.tier == 4]
    if len({c.region.code[:5] for c in villages}) < 2:
        return candidates
    urban = [c for c in villages if c.region.code.rsplit(".", 1)[-1].startswith("1")]
    return urban if len({c.region.code[:5] for c in urban}) == 1 else candidates


@dataclass(frozen=True)
class Found:
    """A stretch of the message that names a place, before roles and ambiguity are settled.

    A ``weak`` one is an everyday word or a village without a cue ("banjar"): it only
    counts when a region next to it fits it ("banjar, kalsel"). One without candidates is
    set aside (a place abroad, an island, a street); ``abroad`` says which.
    """

    start: int
    end: int
    candidates: tuple[Candidate, ...]
    how: How
    weak: bool = False
    name_start: int = -1  # where the name begins after a kind word
    abroad: bool = False


@dataclass
class Message:
    """The words of a message as the lookup reads them, with what the writing shows."""

    tokens: list[str]
    breaks: set[int] = field(default_factory=set)  # words followed by a punctuation break
    capitals: set[int] = field(default_factory=set)  # words written in capitals
    proper: set[int] = field(default_factory=set)  # a capital inside a lower-case sentence
    initials: set[int] = field(default_factory=set)  # words written with a capital first letter
    written: dict[int, str] = field(default_factory=dict)  # the word a spelling replaced


class NameFinder:
    """Exact names, kind words, villages and postal codes in a message."""

    def __init__(
        self, table: RegionTable, vocab: Vocabulary, index: NameIndex, everyday: Everyday
    ) -> None:
        self.table = table
        self.vocab = vocab
        self.index = index
        self.everyday = everyday
        self.cues = Cues(vocab)
        self.cue_words = self.cues.words
        self.abroad = Phrases(vocab.abroad)
        self.street = Phrases(vocab.street)
        self.person = Phrases(vocab.person)
        self.never = Phrases(p for p in vocab.not_places if len(p) > 1)

    # -- setting aside ----------------------------------------------------------------

    def aside(self, tokens: Sequence[str], breaks: AbstractSet[int] = frozenset()) -> list[Found]:
        """Places abroad and the name before one ("malaka malaysia", "batu pahat johor"),
        phrases that are never places ("warga negara"), street names, a person's name
        ("nama anak saya Bima"), islands of several kabupaten/kota ("Pulau Belitung")."""
        found: list[Found] = []
        i = 0
        while i < len(tokens):
            abroad = self.abroad.starting(tokens, i)
            street = self.street.starting(tokens, i)
            never = self.never.starting(tokens, i) or self._shared_island(tokens, i)
            if abroad:
                start = i
                taken = found[-1].end if found else 0
                while start > taken and i - start < 2 and start - 1 not in breaks:
                    if tokens[start - 1] in self.cue_words:
                        break
                    start -= 1
                found.append(Found(start, i + abroad, (), "name", abroad=True))
                i += abroad
            elif self._named(tokens, i):
                found.append(Found(i, i + 1, (), "name"))
                i += 1
            elif never:
                found.append(Found(i, i + never, (), "name"))
                i += never
            elif street:
                end = i + street
                while end < len(tokens) and end - i - street < STREET_WORDS:
                    if tokens[end].isdigit() or tokens[end] in self.cue_words:
                        break
                    end += 1
                found.append(Found(i, end, (), "name"))
                i = end
            else:
                i += 1
        return found

    def _named(self, tokens: Sequence[str], i: int) -> bool:
        """A person's name cue ends right before ``i``, fillers between ("nama anak saya")."""
        end = i
        while end > 0 and tokens[end - 1] in self.vocab.fillers:
            end -= 1
        return end > 0 and self.person.ends(tokens, end)

    def _shared_island(self, tokens: Sequence[str], i: int) -> int:
        """ "Pulau X" where X is a kabupaten named like others of its province ("Pulau
        Belitung": Belitung and Belitung Timur; "Pulau Bangka"): the island is no one
        kabupaten. Returns the words it takes (0 when it is not such an island)."""
        if tokens[i] not in ISLAND_WORDS or i + 1 >= len(tokens):
            return 0
        for length in range(min(3, len(tokens) - i - 1), 0, -1):
            name = key(tokens[i + 1 : i + 1 + length])
            if self.index.known(key(tokens[i : i + 1 + length])):
                return 0  # "Pulau Morotai", "Pulau Untung Jawa": the name itself
            regencies = [c.region for c in self.index.get(name) if c.region.level == 2]
            if regencies:
                region = regencies[0]
                siblings = self.index.sharing_start(name, region.province_code)
                return 1 + length if len(siblings) > 1 else 0
        return 0

    # -- finding names ----------------------------------------------------------------

    def _longest(
        self, tokens: Sequence[str], start: int, stop: int, kind: Kind | None
    ) -> tuple[int, list[Candidate], How] | None:
        """The longest name in ``tokens[start:stop]`` from ``start`` (of ``kind`` when given)."""
        for length in range(min(MAX_WORDS, stop - start), 0, -1):
            span = tokens[start : start + length]
            if any(t.isdigit() for t in span) or tuple(span) in self.vocab.not_places:
                continue
            if span[0] in self.cue_words and not (
                length > 1 and kind is None and key(span) in self.index.prefixed
            ):
                continue  # a cue word opens a name only when it is the name ("Kota Agung")
            found, english = self.index.lookup(span)
            if length > 1:  # a derived short form is one word as typed ("kukar", not "bank e")
                found = [c for c in found if c.how != "abbreviation"]
            if kind is not None:
                # "kota sleman": no Kota Sleman, so Kabupaten Sleman; never a lower level
                found = [c for c in found if c.has_kind(kind)] or [c for c in found if c.tier == 0]
            elif length > 1 and span[-1] in self.cue_words:
                found = [c for c in found if c.tier == 0]  # "kupang kota": kind, not a village
            if not found:
                continue
            how: How = "english" if english else found[0].how
            return start + length, found, how
        return None

    def exact(self, message: Message, aside: list[Found]) -> list[Found]:
        """Every name of the message outside what is set aside, longest first."""
        tokens = message.tokens
        found: list[Found] = []
        blocked = {f.start: f.end for f in aside}
        i = 0
        while i < len(tokens):
            if i in blocked:
                i = blocked[i]
                continue
            stop = min([b for b in blocked if b > i] or [len(tokens)])
            hit = self._at(message, i, stop)
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit.end if not hit.weak else i + 1
        return found

    def _at(self, message: Message, i: int, stop: int) -> Found | None:
        """The place named at ``i``, kind words included, or None."""
        tokens = message.tokens
        kind, kind_len = self.cues.kind_at(tokens, i)
        name_at = i + kind_len
        hit = self._longest(tokens, name_at, stop, kind) if name_at < stop else None
        if hit is None:
            if not kind_len:
                return None
            name_at, kind = i, None
            hit = self._longest(tokens, i, stop, None)
            if hit is None:
                return None
        end, candidates, how = hit
        if kind is None:
            after, after_len = self.cues.kind_at(tokens, end)
            fitting = [c for c in candidates if after is not None and c.has_kind(after)]
            if fitting and end + after_len <= stop:
                candidates, end, kind = fitting, end + after_len, after
        if kind is None and tokens[name_at] in ISLAND_WORDS and self._island(tokens, name_at, end):
            kind = "desa"  # "Pulau Untung Jawa": the island names the place
        if not any(self.everyday(t) or t in self.cue_words for t in tokens[name_at:end]):
            candidates = urban_first(candidates)  # not "desa/kelurahan" as a village's name
        weak = kind is None and self._weak(message, i, name_at, end, candidates)
        return Found(i, end, tuple(candidates), how, weak, name_at)

    def _island(self, tokens: Sequence[str], name_at: int, end: int) -> bool:
        """ "Pulau X" names a place below the kabupaten/kota: a kecamatan or town X, or a
        village whose own name is "Pulau X" (not any village named X: "Pulau Peleng")."""
        best = self.index.lookup(tokens[name_at:end])[0][0]
        if best.tier == 0:
            return False
        return best.tier < 4 or bool(self.index.get(key(tokens[name_at:end])))

    def _weak(
        self, message: Message, i: int, name_at: int, end: int, candidates: Sequence[Candidate]
    ) -> bool:
        """A name without a kind word that does not count by itself."""
        tokens = message.tokens
        name = tokens[name_at:end]
        whole = i == 0 and end == len(tokens)
        topic = i == 0 and end - 1 in message.breaks  # "Cepu, ..." opens the message
        best = candidates[0]
        if best.tier == 4:
            return not self._lone_village(message, i, name, candidates, whole)
        if len(name) > 1 and name[0] in self.cue_words:
            name = name[1:]  # "Kota Agung": as "Agung" would be
        if whole or len(name) > 1:
            return False
        word = message.written.get(end - 1, name[0])  # "dps" as written, not "denpasar"
        cued = self.cues.cued(tokens, i, kinds=False)
        topic = topic and word not in self.vocab.openers  # "Salam, ...", "Ibu, ..."
        if best.tier == 0:
            if word in self.vocab.everyday_words:
                return not (cued or topic or self._acronym(message, end - 1, word))
            return best.how == "alias" and word in self.everyday.chat_words and not cued
        if self.everyday(word):
            # "di pinggir kota", "warga negara": not Pinggir, not Negara; but "Cepu, ..."
            # and "sy di biak" (after a role cue); a chat word only after "tinggal di"
            if word in self.everyday.chat_words:
                return not self.cues.lives_here(tokens, i)
            strong = self.cues.strongly_cued(tokens, i) or (cued and self._proper(message, i))
            # "Senen bikin SKTM", "Tambun ada kantor BPJS?": a dictionary word seldom
            # typed about public services, written as a name, opens the message as its
            # place (not "tempel foto di mana")
            opening = (
                i == 0
                and i in message.initials
                and not self.everyday.common(word)
                and word not in self.vocab.openers
            )
            long_enough = len(word) >= SHORT_NAME_LETTERS
            return not (strong or ((topic or opening) and long_enough))
        if cued:
            return False
        # "Cinere ada MPP?", "Takengon, KTP"; not a word of the conversation ("petani kopi");
        # inside a sentence, a name written as one ("petani kopi Takengon mau tanya KUR")
        said = word in self.everyday.conversation_words or word in self.everyday.chat_words
        if len(word) < SHORT_NAME_LETTERS or said:
            return True
        return i != 0 and not self._proper(message, i)

    @staticmethod
    def _proper(message: Message, i: int) -> bool:
        """One word written as a name inside a lower-case sentence ("kerja di Duri mau"),
        not the first of a longer one ("ke Balai POM", "Balai Harta Peninggalan")."""
        after = i + 1
        return i in message.proper and not {after} & (message.proper | message.capitals)

    def _acronym(self, message: Message, i: int, word: str) -> bool:
        """An abbreviation written in capitals ("OKI BPJS"), not one that means something
        else in capitals too ("DPS", the voter list)."""
        return i in message.capitals and len(word) <= 5 and word not in self.vocab.acronyms

    def _lone_village(
        self,
        message: Message,
        i: int,
        name: Sequence[str],
        candidates: Sequence[Candidate],
        whole: bool,
    ) -> bool:
        """A village name of one kabupaten/kota only, long (or a kelurahan) and no everyday
        word, after a cue or as the whole message."""
        if len({c.region.code[:5] for c in candidates}) != 1:
            return False
        if any(self.everyday(t) for t in name):
            return False
        if len(key(name)) < LONE_VILLAGE_LETTERS:
            # a town's quarter (kelurahan, code 1xxx) is known by a short name too, after
            # a place cue ("sy di pluit", "kost di Dago"; not "KK is made")
            urban = all(c.region.code.rsplit(".", 1)[-1].startswith("1") for c in candidates)
            short = urban and len(key(name)) >= SHORT_NAME_LETTERS
            short = short and not any(self.everyday.common(t) for t in name)
            return short and self.cues.place.ends(message.tokens, i)
        opening = (  # "Seminyak, izin usaha"; not "Punten, ..." (a greeting)
            i == 0
            and i + len(name) - 1 in message.breaks
            and not any(self.everyday.common(t) for t in name)
        )
        return whole or opening or self.cues.cued(message.tokens, i, kinds=False)

    def postal(self, tokens: Sequence[str], taken: set[int]) -> list[Found]:
        """Five-digit postal codes, not next to an amount word ("Rp 50000")."""
        found: list[Found] = []
        for i, token in enumerate(tokens):
            if i in taken or len(token) != 5 or not token.isdigit():
                continue
            near = {tokens[j] for j in (i - 1, i + 1) if 0 <= j < len(tokens)}
            if near & self.vocab.amount:
                continue
            candidates = []
            for rank, (code, _count) in enumerate(self.table.regencies_of_postal_code(token)):
                region = self.table.get(code)
                if region is not None:
                    candidates.append(Candidate(region, "postal", min(rank, 3)))
            if candidates:
                found.append(Found(i, i + 1, tuple(candidates), "postal", name_start=i))
        return found
