"""Short forms of region names as Indonesians coin them: a head of each word, joined.

"Kukar" is Kutai Kartanegara, "Taput" Tapanuli Utara, "Lutim" Luwu Timur, "Konsel"
Konawe Selatan, "Bolmong" Bolaang Mongondow: the first two to five letters of every word
of the name, in order. The aliases file lists the well-known ones by hand; this derives
the rest of the convention from the dataset's names, so a short form nobody listed is
read too. A derived form counts only when it is safe:

- at least ``MIN_LETTERS`` letters (shorter ones are English or Indonesian words too
  often: "hate", "bake", "acta");
- one region makes it (not "kotim", which two Kotawaringin and Kolaka names make alike);
- no name of the index, village or everyday word has that spelling ("kabar", "kesan").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from navigator.regions.dataset import RegionTable
from navigator.regions.model import Region
from navigator.regions.text import base_name, words

MIN_LETTERS = 5  # a derived short form has at least this many letters
HEAD_LETTERS = (2, 5)  # each word gives its first two to five letters


def heads(name: str) -> set[str]:
    """Every joining of a head of each word of a name of two words or more."""
    tokens = words(base_name(name))
    if len(tokens) < 2:
        return set()
    low, high = HEAD_LETTERS
    options = [
        sorted({w[:n] for n in range(low, high + 1)} if len(w) > low else {w}) for w in tokens
    ]
    return {"".join(parts) for parts in itertools.product(*options)}


def derived_short_forms(table: RegionTable, taken: Callable[[str], bool]) -> dict[str, Region]:
    """Short form -> the one province or kabupaten/kota that makes it, where ``taken``
    (a name, village or everyday word of that spelling) does not hold."""
    makers: dict[str, set[str]] = {}
    for region in table.regions.values():
        if region.level > 2:
            continue
        for form in heads(region.name):
            if len(form) >= MIN_LETTERS and form != "".join(words(base_name(region.name))):
                makers.setdefault(form, set()).add(region.code)
    out: dict[str, Region] = {}
    for form, codes in makers.items():
        if len(codes) != 1 or taken(form):
            continue
        maker = table.get(next(iter(codes)))
        if maker is not None:
            out[form] = maker
    return out
