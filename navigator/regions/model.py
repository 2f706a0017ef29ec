"""Typed results of the region resolver: regions, the mentions found in a text, the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["provinsi", "kabupaten", "kota", "kecamatan", "desa"]
Role = Literal["lives", "ktp"]
How = Literal[
    "name",
    "alias",
    "abbreviation",
    "english",
    "kecamatan",
    "town",
    "desa",
    "postal",
    "fuzzy",
    "hierarchy",
]

LEVELS: dict[Kind, int] = {"provinsi": 1, "kabupaten": 2, "kota": 2, "kecamatan": 3, "desa": 4}


@dataclass(frozen=True)
class Region:
    """One Kemendagri region: code as Kemendagri writes it ("34.04"), official name, kind."""

    code: str
    name: str
    kind: Kind
    province_code: str
    province: str

    @property
    def level(self) -> int:
        """1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 kelurahan/desa."""
        return LEVELS[self.kind]

    @property
    def regency_code(self) -> str | None:
        """The kabupaten/kota code of the region (its own at level 2); None for a province."""
        return None if self.level == 1 else self.code[:5]

    def to_dict(self) -> dict[str, str]:
        """The command line's shape: ``{"code", "name", "province"}``."""
        return {"code": self.code, "name": self.name, "province": self.province}


@dataclass(frozen=True)
class Mention:
    """A place named in the text, read as a kabupaten/kota (or a province, when only that)."""

    region: Region
    text: str  # the words of the message that named it
    start: int  # token offsets in the normalised message
    end: int
    how: How
    role: Role | None = None
    alternatives: tuple[Region, ...] = ()  # other readings of the same words
    detail: Region | None = None  # the kecamatan or desa actually named, if any

    @property
    def ambiguous(self) -> bool:
        """The same words also name another region."""
        return bool(self.alternatives)


@dataclass(frozen=True)
class Resolution:
    """What a message says about where the citizen is.

    ``region`` is the kabupaten/kota where the citizen lives (the primary answer); ``ktp``
    the kabupaten/kota of the ID card when the message names it. ``province`` is the
    province of ``region``, or the province named when no kabupaten/kota is ("di Jawa
    Barat": no region, province Jawa Barat). ``ambiguous`` says the words fit more than one
    region and ``alternatives`` lists the others; ``abroad`` that the message names a place
    outside Indonesia and none inside.
    """

    region: Region | None
    ktp: Region | None = None
    province: Region | None = None
    mentions: tuple[Mention, ...] = ()
    alternatives: tuple[Region, ...] = ()
    abroad: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def ambiguous(self) -> bool:
        """The primary region is one documented choice among several readings."""
        return bool(self.alternatives)

    def explain(self) -> dict[str, object]:
        """The full answer as JSON-ready data, with how each place was read."""
        return {
            "region": None if self.region is None else self.region.to_dict(),
            "ktp": None if self.ktp is None else self.ktp.to_dict(),
            "province": None if self.province is None else self.province.name,
            "ambiguous": self.ambiguous,
            "alternatives": [r.to_dict() for r in self.alternatives],
            "abroad": self.abroad,
            "mentions": [
                {
                    "text": m.text,
                    "how": m.how,
                    "role": m.role,
                    "detail": None if m.detail is None else m.detail.name,
                    **m.region.to_dict(),
                }
                for m in self.mentions
            ],
            "notes": list(self.notes),
        }
