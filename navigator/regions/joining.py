"""Reading the names of a message together: neighbours that fit inside each other are one
place ("Ngaglik, Sleman"; "Kuta Bali"), a kecamatan or town next to a kabupaten/kota of its
province says which ("Lembang, Bandung"), and a name shared by several kabupaten/kota takes
the one that the rest of the message names, or its province ("Ciledug ... Tangerang")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from navigator.regions.cues import Cues
from navigator.regions.finding import Found
from navigator.regions.lexicon import Everyday
from navigator.regions.model import How
from navigator.regions.names import Candidate
from navigator.regions.vocabulary import Vocabulary

GAP_WORDS = 2  # words between two names read as one place


def drop_overlaps(found: list[Found]) -> list[Found]:
    """Set-aside and strong findings over weak ones, then earlier over later."""
    kept: list[Found] = []
    taken: set[int] = set()
    for item in sorted(found, key=lambda f: (bool(f.candidates), f.weak, f.start)):
        span = set(range(item.start, item.end))
        if not span & taken:
            kept.append(item)
            taken |= span
    return sorted(kept, key=lambda f: f.start)


def regencies_of(candidates: Sequence[Candidate]) -> list[str]:
    """The kabupaten/kota codes of the best tier of candidates, best first."""
    best = candidates[0].tier
    return list(dict.fromkeys(c.region.code[:5] for c in candidates if c.tier == best))


class Joiner:
    """Joins neighbouring names and settles shared names by the rest of the message."""

    def __init__(self, vocab: Vocabulary, cues: Cues, everyday: Everyday) -> None:
        self.vocab = vocab
        self.cues = cues
        self.everyday = everyday

    def merge(self, tokens: Sequence[str], found: list[Found]) -> list[Found]:
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
        return self.settle(merged)

    def _join(self, tokens: Sequence[str], a: Found, b: Found) -> Found | None:
        if (a.weak and b.weak) or not a.candidates or not b.candidates:
            return None
        gap = tokens[a.end : b.start]
        if len(gap) > GAP_WORDS or any(t in self.vocab.contrast for t in gap):
            return None
        if any(self.cues.place.ends(tokens, end) for end in range(a.end + 1, b.start + 1)):
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
            chat = any(t in self.everyday.chat_words for t in tokens[a.start : a.end])
            if b.weak or (a.weak and chat):
                return None
            return self._same_province(a, b)
        pairs.sort(key=lambda p: (p[0], -len(p[1].region.code)))
        _, inner, outer = pairs[0]
        if b.weak and inner in b.candidates:
            return None  # a weak name only before the region it fits: "Sumatera Utara, mau"
        inside = [inner] + [
            c
            for _, c, o in pairs[1:]
            if o.region.code == outer.region.code and c.region.code != inner.region.code
        ]
        how: How = "hierarchy" if inner.tier > 0 else inner.how
        return Found(a.start, b.end, tuple(inside), how, name_start=a.name_start)

    @staticmethod
    def _same_province(a: Found, b: Found) -> Found | None:
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
        return Found(a.start, b.end, tuple(fitting), "hierarchy", name_start=a.name_start)

    @staticmethod
    def settle(found: list[Found]) -> list[Found]:
        """A name below the kabupaten/kota shared by several of them takes the one the
        message names elsewhere, or the one in the province it names ("warga Ciledug, KTP
        Kota Tangerang"); when none or several fit, it stays shared."""
        named = [f for f in found if f.candidates and not f.weak and f.candidates[0].tier == 0]
        regencies = {c.region.code for f in named for c in f.candidates if c.region.level == 2}
        provinces = {c.region.province_code for f in named for c in f.candidates}
        if not provinces:
            return found
        out = []
        for item in found:
            shared = item.candidates and item.candidates[0].tier > 0 and item.how != "hierarchy"
            if not shared or len(regencies_of(item.candidates)) < 2:
                out.append(item)
                continue
            best = [c for c in item.candidates if c.tier == item.candidates[0].tier]
            for fits in (
                [c for c in best if c.region.code[:5] in regencies],
                [c for c in best if c.region.province_code in provinces],
            ):
                if len(regencies_of(fits) if fits else []) == 1:
                    item = replace(item, candidates=tuple(fits), how="hierarchy")
                    break
            out.append(item)
        return out
