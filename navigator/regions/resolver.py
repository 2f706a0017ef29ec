"""``resolve(text)``: the kabupaten/kota a chat message names, with roles and ambiguity.

The message is cut into words (digits inside a word read as letters, "bekas1"; a cue glued
to a name split off, "dibekasi"; other spellings of official names written as the official
name, "jogja"). Places abroad, phrases that are never places and streets are set aside
first. Then names are
found longest first (official names, everyday names, English word orders, kecamatan,
towns, and villages only after "desa"/"kelurahan"), with the kind words around them
("kab.", "kota", "regency") choosing between a kabupaten and a kota; postal codes name the
kabupaten/kota of their villages; a misspelt word after a cue, or a misspelt word right
after a name ("jakarta selatn"), is compared with the names within one or two typos.
Neighbouring names that fit together ("Ngaglik, Sleman", "Kuta Bali", "Lembang, Bandung")
are read as one place. Each place gets the role of the nearest cue before it ("tinggal di"
lives, "KTP" the ID card's region; ``cues.py``); the answer is where the citizen lives,
with the ID card's region beside it (``answer.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from navigator.regions.answer import answer
from navigator.regions.cues import Cues, matches, starts
from navigator.regions.dataset import RegionTable
from navigator.regions.model import How, Kind, Mention, Region, Resolution
from navigator.regions.names import MAX_WORDS, Candidate, NameIndex
from navigator.regions.points import Place
from navigator.regions.text import key, words
from navigator.regions.vocabulary import Vocabulary

STREET_WORDS = 3  # words of a street name set aside after "jl."
DERIVED_LETTERS = 3  # a word this much longer than its root word is derived from it
LONE_VILLAGE_LETTERS = 6  # a village name read alone after a cue has at least this many
_LEET = str.maketrans("013457", "oieast")


@dataclass(frozen=True)
class _Found:
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


class Resolver:
    """Reads places out of chat messages; build it once (``load_resolver``) and share it."""

    def __init__(
        self,
        table: RegionTable,
        vocab: Vocabulary,
        index: NameIndex,
        root_words: frozenset[str],
        chat_words: frozenset[str],
    ) -> None:
        self.table = table
        self.vocab = vocab
        self.index = index
        self.root_words = root_words
        self.chat_words = chat_words
        self.cues = Cues(vocab)
        self.cue_words = self.cues.words
        self.phrases_never = {p for p in vocab.not_places if len(p) > 1}
        self.places: list[Place] = []  # GeoNames places the towns came from (for locate)
        self.stem: Callable[[str], str] | None = None  # Indonesian stemmer, when given
        self._stems: dict[str, str] = {}

    # -- words ------------------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """The message's words as the lookup reads them."""
        out: list[str] = []
        for token in words(text):
            if not token.isdigit() and not token.isalpha():
                token = token.translate(_LEET)  # "bekas1", "sukoharj0"
            out.extend(self._unglue(token))
        return self._respell(out)

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

    def _respell(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for length in (3, 2, 1):
                phrase = tuple(tokens[i : i + length])
                target = self.vocab.spellings.get(phrase) if len(phrase) == length else None
                if target is not None:
                    out.extend(target)
                    i += length
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _everyday(self, word: str) -> bool:
        """A root word, a chat word, or a word derived from a root ("kesehatan")."""
        if word in self.root_words or word in self.chat_words:
            return True
        if word not in self._stems:
            self._stems[word] = self.stem(word) if self.stem is not None else word
        stem = self._stems[word]
        # only clear derivations (ke-an, pe-an, -kan...): a stemmer also cuts names
        return len(word) - len(stem) >= DERIVED_LETTERS and stem in self.root_words

    # -- cues -------------------------------------------------------------------------

    def _dictionary_word_below(
        self, tokens: Sequence[str], candidates: Sequence[Candidate]
    ) -> bool:
        """A one-word kecamatan, town or stem that is an everyday word ("pinggir", "negara")."""
        return len(tokens) == 1 and candidates[0].tier > 0 and self._everyday(tokens[0])

    def _needs_cue(
        self, tokens: Sequence[str], candidates: Sequence[Candidate], first: bool
    ) -> bool:
        """A one-word name that needs a cue before it: an everyday word; below a
        kabupaten/kota, also a short word, a town or a stem, or a kecamatan that does not
        open the message ("emang bener": Bener is a kecamatan)."""
        best = candidates[0]
        if len(tokens) != 1:
            return False
        word = tokens[0]
        if word in self.vocab.everyday_words:
            return True
        if best.tier == 0:
            return best.how == "alias" and word in self.chat_words
        if best.tier >= 2 or not first:
            return True
        return self._everyday(word) or len(word) < 4

    # -- setting aside ----------------------------------------------------------------

    def _aside(self, tokens: Sequence[str]) -> list[_Found]:
        """Places abroad, phrases that are never places ("warga negara"), street names."""
        found: list[_Found] = []
        i = 0
        while i < len(tokens):
            abroad = starts(self.vocab.abroad, tokens, i)
            street = starts(self.vocab.street, tokens, i)
            never = starts(self.phrases_never, tokens, i)
            if abroad:
                found.append(_Found(i, i + abroad, (), "name", abroad=True))
                i += abroad
            elif never:
                found.append(_Found(i, i + never, (), "name"))
                i += never
            elif street:
                end = i + street
                while end < len(tokens) and end - i - street < STREET_WORDS:
                    if tokens[end].isdigit() or tokens[end] in self.cue_words:
                        break
                    end += 1
                found.append(_Found(i, end, (), "name"))
                i = end
            else:
                i += 1
        return found

    # -- finding names ----------------------------------------------------------------

    def _longest(
        self, tokens: Sequence[str], start: int, stop: int, kind: Kind | None
    ) -> tuple[int, list[Candidate], How] | None:
        """The longest name in ``tokens[start:stop]`` from ``start`` (of ``kind`` when given)."""
        for length in range(min(MAX_WORDS, stop - start), 0, -1):
            span = tokens[start : start + length]
            if span[0] in self.cue_words or any(t.isdigit() for t in span):
                continue
            if tuple(span) in self.vocab.not_places:
                continue
            found, english = self.index.lookup(span)
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

    def _exact(self, tokens: Sequence[str], aside: list[_Found]) -> list[_Found]:
        found: list[_Found] = []
        blocked = {f.start: f.end for f in aside}
        i = 0
        while i < len(tokens):
            if i in blocked:
                i = blocked[i]
                continue
            stop = min([b for b in blocked if b > i] or [len(tokens)])
            hit = self._at(tokens, i, stop)
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit.end if not hit.weak else i + 1
        return found

    def _at(self, tokens: Sequence[str], i: int, stop: int) -> _Found | None:
        """The place named at ``i``, kind words included, or None."""
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
        whole = i == 0 and end == len(tokens)
        name = tokens[name_at:end]
        weak = (
            kind is None
            and not whole
            and self._needs_cue(name, candidates, i == 0)
            and not self.cues.cued(tokens, i, kinds=False)
        )
        if (
            kind is None
            and not whole
            and self._dictionary_word_below(name, candidates)
            and not (name[0] not in self.chat_words and self.cues.strongly_cued(tokens, i))
        ):
            weak = True  # "di pinggir kota", "warga negara": not Pinggir, not Negara
        if (
            candidates[0].tier == 4
            and kind != "desa"
            and not self._lone_village(tokens, i, name_at, end, candidates, whole)
        ):
            weak = True  # village names are everywhere: only next to their kabupaten/kota
        return _Found(i, end, tuple(candidates), how, weak, name_at)

    def _lone_village(
        self,
        tokens: Sequence[str],
        i: int,
        name_at: int,
        end: int,
        candidates: Sequence[Candidate],
        whole: bool,
    ) -> bool:
        """The only village of that name, long and no everyday word, after a cue or as
        the whole message."""
        name = tokens[name_at:end]
        if len(candidates) != 1 or len(key(name)) < LONE_VILLAGE_LETTERS:
            return False
        if any(self._everyday(t) for t in name):
            return False
        return whole or self.cues.cued(tokens, i, kinds=False)

    def _postal(self, tokens: Sequence[str], taken: set[int]) -> list[_Found]:
        found: list[_Found] = []
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
                found.append(_Found(i, i + 1, tuple(candidates), "postal", name_start=i))
        return found

    def _typo_key(self, span: Sequence[str]) -> str | None:
        """The key of words that may be a misspelt name (not cue words, not all everyday)."""
        if not all(t.isalpha() and t not in self.cue_words for t in span):
            return None
        if tuple(span) in self.vocab.not_places:
            return None
        if all(self._everyday(t) for t in span):
            return None
        text_key = key(span)
        return text_key if len(text_key) >= 4 else None

    def _fuzzy(self, tokens: Sequence[str], taken: set[int]) -> list[_Found]:
        found: list[_Found] = []
        short = len(tokens) <= 2
        i = 0
        while i < len(tokens):
            if i in taken or not (short or self.cues.cued(tokens, i)):
                i += 1
                continue
            hit = None
            for length in (2, 1):
                span = tokens[i : i + length]
                if len(span) < length or any(i + k in taken for k in range(length)):
                    continue
                text_key = self._typo_key(span)
                close = self.index.closest(text_key) if text_key else None
                if close is not None:
                    candidates = tuple(self.index.get(close[0]))
                    hit = _Found(i, i + length, candidates, "fuzzy", name_start=i)
                    break
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit.end
        return found

    def _extend(self, tokens: Sequence[str], found: list[_Found], taken: set[int]) -> list[_Found]:
        """A name followed by a misspelt word that makes a longer name ("jakarta selatn")."""
        out = []
        for item in found:
            nxt = item.end
            if item.weak or not item.candidates or nxt >= len(tokens) or nxt in taken:
                out.append(item)
                continue
            span = tokens[item.name_start : nxt + 1]
            text_key = self._typo_key(tokens[nxt : nxt + 1])
            close = self.index.closest(key(span)) if text_key else None
            if close is not None and close[0] != key(tokens[item.name_start : nxt]):
                candidates = tuple(self.index.get(close[0]))
                out.append(_Found(item.start, nxt + 1, candidates, "fuzzy", False, item.name_start))
                taken.add(nxt)
            else:
                out.append(item)
        return out

    # -- reading names together -------------------------------------------------------

    def _merge(self, tokens: Sequence[str], found: list[_Found]) -> list[_Found]:
        """Join neighbouring names that fit together ("Ngaglik Sleman", "Kuta Bali")."""
        merged = list(found)
        changed = True
        while changed:
            changed = False
            for n in range(len(merged) - 1):
                joined = self._join(tokens, merged[n], merged[n + 1])
                if joined is not None:
                    merged[n : n + 2] = [joined]
                    changed = True
                    break
        return merged

    def _join(self, tokens: Sequence[str], a: _Found, b: _Found) -> _Found | None:
        if (a.weak and b.weak) or not a.candidates or not b.candidates:
            return None
        gap = tokens[a.end : b.start]
        if len(gap) > 2 or any(t in self.vocab.contrast for t in gap):
            return None
        if any(
            matches(p, tokens, end)
            for end in range(a.end + 1, b.start + 1)
            for p in self.vocab.place_cues
        ):
            return None  # "lahir di Bali": the second place has a cue of its own
        if self.cues.role(tokens, b.start, a.end) is not None:
            return None
        pairs: list[tuple[int, Candidate, Candidate]] = []
        for ca in a.candidates:
            for cb in b.candidates:
                inner, outer = (ca, cb) if ca.tier >= cb.tier else (cb, ca)
                code, container = inner.region.code, outer.region.code
                if code.startswith(container + ".") or (code == container and inner is not outer):
                    pairs.append((ca.rank + cb.rank, inner, outer))
        if not pairs:
            if b.weak or (a.weak and any(t in self.chat_words for t in tokens[a.start : a.end])):
                return None
            return self._same_province(a, b)
        pairs.sort(key=lambda p: (p[0], -len(p[1].region.code)))
        _, inner, outer = pairs[0]
        inside = [inner] + [
            c
            for _, c, o in pairs[1:]
            if o.region.code == outer.region.code and c.region.code != inner.region.code
        ]
        how: How = "hierarchy" if inner.tier > 0 else inner.how
        return _Found(a.start, b.end, tuple(inside), how, name_start=a.name_start)

    @staticmethod
    def _same_province(a: _Found, b: _Found) -> _Found | None:
        """A kecamatan or town next to a kabupaten/kota of its province ("Lembang, Bandung",
        "Manggar, Pulau Belitung"): the smaller place says where. A weak one (an everyday
        word) only before the larger, as addresses are written."""
        small, big = (a, b) if a.candidates[0].tier > b.candidates[0].tier else (b, a)
        if small.candidates[0].tier == 0 or big.candidates[0].tier != 0:
            return None
        if big.weak or (small.weak and small is not a):
            return None
        provinces = {c.region.province_code for c in big.candidates if c.tier == 0}
        fitting = [c for c in small.candidates if c.region.province_code in provinces]
        if not fitting:
            return None
        return _Found(a.start, b.end, tuple(fitting), "hierarchy", name_start=a.name_start)

    @staticmethod
    def _drop_overlaps(found: list[_Found]) -> list[_Found]:
        """Set-aside and strong findings over weak ones, then earlier over later."""
        kept: list[_Found] = []
        taken: set[int] = set()
        for item in sorted(found, key=lambda f: (bool(f.candidates), f.weak, f.start)):
            span = set(range(item.start, item.end))
            if not span & taken:
                kept.append(item)
                taken |= span
        return sorted(kept, key=lambda f: f.start)

    def _mention(self, tokens: Sequence[str], found: _Found, floor: int) -> Mention | None:
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
            return None  # a kecamatan, town or village name found in several kabupaten/kota
        return Mention(
            region=regions[0],
            text=" ".join(tokens[found.start : found.end]),
            start=found.start,
            end=found.end,
            how=found.how,
            role=self.cues.role(tokens, found.start, floor),
            alternatives=tuple(regions[1:]),
            detail=best.region if best.region.level > 2 else None,
        )

    # -- the answer -------------------------------------------------------------------

    def resolve(self, text: str) -> Resolution:
        """Where the message says the citizen is; ``Resolution(None)`` when it names no place."""
        tokens = self.tokens(text)
        aside = self._aside(tokens)
        found = self._drop_overlaps(aside + self._exact(tokens, aside))
        taken = {i for f in found if not f.weak for i in range(f.start, f.end)}
        found = self._drop_overlaps(found + self._postal(tokens, taken))
        taken = {i for f in found if not f.weak for i in range(f.start, f.end)}
        found = self._extend(tokens, found, taken)
        found = self._drop_overlaps(found + self._fuzzy(tokens, taken))
        mentions: list[Mention] = []
        floor = 0
        abroad = any(f.abroad for f in found)
        for item in self._merge(tokens, found):
            mention = None
            if item.candidates and not item.weak:
                mention = self._mention(tokens, item, floor)
            if item.candidates or item.abroad:
                floor = item.end
            if mention is not None:
                mentions.append(mention)
        return answer(mentions, abroad)
