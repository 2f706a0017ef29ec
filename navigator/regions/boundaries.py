"""Kabupaten/kota boundaries (polygons) for ``locate``: the file, and point-in-polygon.

The polygons are GADM 4.1's, which ``scripts/fetch_boundaries.py`` downloads at set-up
(GADM's licence forbids redistribution: the data is never committed or shipped), maps to
Kemendagri codes and simplifies into ``var/boundaries/kabkota.json.gz``:

    {"format": 1, "scale": 10000, "meta": {...},
     "regions": [{"code": "34.04", "bbox": [west, south, east, north],
                  "polygons": [[[x0, y0, x1, y1, ...], [hole...]], ...]},
                 {"code": "32.18", "within": "32.07", "bbox": [...], "polygons": [...]}]}

Coordinates are longitude and latitude times ``scale``, as integers; a ring is its first
vertex, then each vertex as its difference to the one before (which halves the file), and is
open (the first vertex is not repeated); the first ring of a polygon is its exterior, the
others its holes. A region ``within`` another is carved out of it: a kabupaten created after
GADM's data (Pangandaran, out of Ciamis), drawn from its kecamatan. It answers for the points
of its own polygons that the other's polygons hold (or that no polygon holds: a coast drawn
differently), never for a neighbour's. Where two polygons overlap otherwise, the smaller
answers. ``load_boundaries`` reads the file into numpy arrays (about 0.1 s);
``Boundaries.code_at`` tests only the polygons whose bounding box holds the point (tens of
microseconds). No file, no polygons: ``locate`` then uses the nearest GeoNames place alone.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

FORMAT = 1
SCALE = 10_000
FILE_NAME = "kabkota.json.gz"
ENV = "NAVIGATOR_BOUNDARIES"

Ring = Sequence[tuple[float, float]]  # (lon, lat) pairs, in degrees
Polygon = Sequence[Ring]  # the exterior ring, then its holes


class BoundariesError(ValueError):
    """The boundaries file is unreadable or not in the expected shape."""


@dataclass(frozen=True)
class Area:
    """What the file holds for one kabupaten/kota: its code and polygons."""

    code: str
    polygons: Sequence[Polygon]
    within: str | None = None  # carved out of that code's polygons


def default_path() -> Path:
    """``NAVIGATOR_BOUNDARIES``, or ``boundaries/kabkota.json.gz`` under the var dir."""
    named = os.environ.get(ENV)
    if named:
        return Path(named)
    from navigator.settings import var_dir

    return var_dir() / "boundaries" / FILE_NAME


def _valid_ring(ring: object) -> bool:
    return isinstance(ring, list) and len(ring) >= 6 and len(ring) % 2 == 0


class Boundaries:
    """Kabupaten/kota polygons with a bounding-box prefilter; ``code_at`` answers a point.

    All vertices sit in two flat arrays (longitudes, latitudes) with, for each vertex, the
    next one of its ring (the edges); a ring is a slice of them.
    """

    def __init__(self, data: Mapping[str, Any], source: str = "") -> None:
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise BoundariesError(f"{source}: not a boundaries file of format {FORMAT}")
        scale, regions = data.get("scale"), data.get("regions")
        if not isinstance(scale, int) or scale <= 0 or not isinstance(regions, list):
            raise BoundariesError(f"{source}: no scale or no regions")
        self.source = source
        self.meta: dict[str, Any] = dict(data.get("meta") or {})
        flat: list[int] = []
        starts: list[int] = []  # first vertex of each ring
        parts: list[tuple[str, str | None, int, int]] = []  # code, within, first ring, rings
        try:
            for region in regions:
                code, within = str(region["code"]), region.get("within")
                within = None if within is None else str(within)
                for polygon in region["polygons"]:
                    if not polygon or not _valid_ring(polygon[0]):
                        continue  # no exterior, no polygon
                    first = len(starts)
                    for ring in filter(_valid_ring, polygon):
                        starts.append(len(flat) // 2)
                        flat.extend(ring)
                    parts.append((code, within, first, len(starts) - first))
            steps = np.array(flat, dtype=np.int64).reshape(-1, 2)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BoundariesError(f"{source}: malformed region ({exc})") from exc
        self._start = np.array(starts, dtype=np.int64)
        self._end = np.append(self._start[1:], len(steps)).astype(np.int64)[: len(starts)]
        # undo the differences ring by ring: a running sum, less the sum before each ring
        total = np.cumsum(steps, axis=0)
        before = np.zeros((len(starts), 2), dtype=np.int64)
        if len(starts) > 1:
            before[1:] = total[self._start[1:] - 1]
        xy = (total - np.repeat(before, self._end - self._start, axis=0)) / scale
        self._x, self._y = xy[:, 0].copy(), xy[:, 1].copy()
        follower = np.arange(1, len(self._x) + 1, dtype=np.int64)
        follower[self._end - 1] = self._start  # a ring's last vertex closes it
        self._next_x, self._next_y = self._x[follower], self._y[follower]
        if starts:
            self._west = np.minimum.reduceat(self._x, self._start)
            self._east = np.maximum.reduceat(self._x, self._start)
            self._south = np.minimum.reduceat(self._y, self._start)
            self._north = np.maximum.reduceat(self._y, self._start)
        else:
            self._west = self._east = self._south = self._north = np.zeros(0)
        size = (self._east - self._west) * (self._north - self._south)
        parts.sort(key=lambda p: float(size[p[2]]))
        self._parts = [p for p in parts if p[1] is None]
        self._carved = [p for p in parts if p[1] is not None]
        self._box = self._boxes(self._parts)
        self._carved_box = self._boxes(self._carved)
        self.codes: frozenset[str] = frozenset(p[0] for p in parts)

    def _boxes(self, parts: list[tuple[str, str | None, int, int]]) -> tuple[np.ndarray, ...]:
        outer = np.array([first for _, _, first, _ in parts], dtype=np.int64)
        return self._west[outer], self._south[outer], self._east[outer], self._north[outer]

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def vertices(self) -> int:
        """How many vertices the polygons have in all."""
        return int(self._x.size)

    def _ring_holds(self, ring: int, px: float, py: float) -> bool:
        """Even-odd ray casting (a ray towards the east) over one ring."""
        if not (
            self._west[ring] <= px <= self._east[ring]
            and self._south[ring] <= py <= self._north[ring]
        ):
            return False
        start, end = self._start[ring], self._end[ring]
        y, next_y = self._y[start:end], self._next_y[start:end]
        crossing = np.flatnonzero((y > py) != (next_y > py))
        if crossing.size == 0:
            return False
        x, next_x = self._x[start:end][crossing], self._next_x[start:end][crossing]
        y, next_y = y[crossing], next_y[crossing]
        at = x + (py - y) * (next_x - x) / (next_y - y)
        return bool(np.count_nonzero(at > px) & 1)

    def _first_holding(
        self,
        parts: list[tuple[str, str | None, int, int]],
        box: tuple[np.ndarray, ...],
        lat: float,
        lon: float,
        within: str | None = None,
    ) -> str | None:
        west, south, east, north = box
        candidates = np.flatnonzero((west <= lon) & (lon <= east) & (south <= lat) & (lat <= north))
        for i in candidates:
            code, carved_from, first, count = parts[i]
            if within is not None and carved_from != within:
                continue
            if self._ring_holds(first, lon, lat) and not any(
                self._ring_holds(hole, lon, lat) for hole in range(first + 1, first + count)
            ):
                return code
        return None

    def code_at(self, lat: float, lon: float) -> str | None:
        """The code of the polygon that holds the point; None when none does."""
        code = self._first_holding(self._parts, self._box, lat, lon)
        if self._carved:
            carved = self._first_holding(self._carved, self._carved_box, lat, lon, within=code)
            if carved is not None:
                return carved
        return code


def read_data(path: Path) -> dict[str, Any]:
    """The parsed file (a dict); raises OSError or BoundariesError."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (EOFError, gzip.BadGzipFile, ValueError) as exc:
        raise BoundariesError(f"{path}: unreadable ({exc})") from exc
    if not isinstance(data, dict):
        raise BoundariesError(f"{path}: not a JSON object")
    return data


def load_boundaries(path: Path | None = None) -> Boundaries | None:
    """The polygons of ``path`` (default ``default_path()``); None when there is no file or
    it is broken (logged: ``locate`` then falls back to the nearest place)."""
    path = path or default_path()
    if not path.is_file():
        logger.info("no boundaries file at %s: points located by the nearest place", path)
        return None
    try:
        return Boundaries(read_data(path), str(path))
    except (OSError, BoundariesError) as exc:
        logger.warning("boundaries file ignored: %s", exc)
        return None


@functools.lru_cache(maxsize=1)
def default_boundaries() -> Boundaries | None:
    """The default file's polygons, read once per process (None without the file)."""
    return load_boundaries()


def _scaled(ring: Ring, scale: int) -> list[tuple[int, int]]:
    points = [(round(lon * scale), round(lat * scale)) for lon, lat in ring]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # stored open
    return points


def _encoded(points: list[tuple[int, int]]) -> list[int]:
    """The first vertex, then the differences."""
    flat: list[int] = []
    last = (0, 0)
    for x, y in points:
        flat.extend((x - last[0], y - last[1]))
        last = (x, y)
    return flat


def write_boundaries(
    path: Path, areas: Iterable[Area], meta: Mapping[str, Any] | None = None, scale: int = SCALE
) -> None:
    """Write areas as a boundaries file, atomically (a temporary file, then renamed)."""
    out = []
    for area in areas:
        polygons = [[_scaled(ring, scale) for ring in polygon] for polygon in area.polygons]
        xs = [x for polygon in polygons if polygon for x, _ in polygon[0]]
        ys = [y for polygon in polygons if polygon for _, y in polygon[0]]
        bbox = [min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale] if xs else []
        entry: dict[str, Any] = {"code": area.code}
        if area.within is not None:
            entry["within"] = area.within
        entry["bbox"] = bbox
        entry["polygons"] = [[_encoded(ring) for ring in polygon] for polygon in polygons]
        out.append(entry)
    data = {"format": FORMAT, "scale": scale, "meta": dict(meta or {}), "regions": out}
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(gzip.compress(raw, compresslevel=9, mtime=0))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
