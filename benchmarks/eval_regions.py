"""Score the region resolver on blind place mentions, or the point locator on blind points.

    .venv/bin/python benchmarks/eval_regions.py [--file tests/eval/regions_blind_dev.yml]
        [--misses] [--json]

A text file holds items ``{text, expect: {name, province} | null, style, also?, ktp?}``:
an item is right when the primary region is the expected one (or its ``also``), or when
nothing is found for ``expect: null``; an item with ``ktp`` must also give that region as
the ID card's. A point file holds ``{lat, lon, near, expect}``. Expected names are
compared by Kemendagri code (mapped from name and province, so "DKI Jakarta" and
"Kabupaten Kepulauan Seribu" match the dataset's longer names). Prints the share right
overall and per style, build time and latency; ``--misses`` lists what went wrong, and
is refused on held-out files (``*_test*``), whose misses must stay unseen.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from navigator.regions import Region, Resolver, default_locator, load_resolver  # noqa: E402
from navigator.regions.text import base_name, key, words  # noqa: E402

DEFAULT_FILE = ROOT / "tests" / "eval" / "regions_blind_dev.yml"


class Expectations:
    """Maps an expected ``{name, province}`` to the dataset's Kemendagri code."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def province_code(self, province: str) -> str | None:
        found, _ = self.resolver.index.lookup(words(province))
        tier0 = [c for c in found if c.tier == 0]
        return tier0[0].region.province_code if tier0 else None

    def code(self, expect: dict[str, Any] | None) -> str | None:
        if expect is None:
            return None
        name, province = str(expect["name"]), str(expect.get("province", ""))
        province_code = self.province_code(province)
        tokens = words(name)
        kind = tokens[0] if tokens and tokens[0] in ("kabupaten", "kota") else None
        wanted = key(words(base_name(name)))
        for region in self.resolver.table.regions.values():
            if region.level != 2 or (province_code and region.province_code != province_code):
                continue
            if key(words(base_name(region.name))) == wanted and (
                kind is None or region.kind == kind
            ):
                return region.code
        if not kind and province_code and wanted == key(words(base_name(province))):
            return province_code
        raise ValueError(f"expected region not in the dataset: {name} ({province})")


def _shown(region: Region | None) -> str:
    return "null" if region is None else f"{region.name} ({region.code})"


def score_texts(items: list[dict[str, Any]], resolver: Resolver) -> dict[str, Any]:
    """Share right overall and per style, latency, and the misses."""
    expectations = Expectations(resolver)
    by_style: dict[str, list[bool]] = defaultdict(list)
    misses: list[dict[str, Any]] = []
    latencies: list[float] = []
    for item in items:
        wanted = {expectations.code(item["expect"])}
        if item.get("also"):
            wanted.add(expectations.code(item["also"]))
        card = expectations.code(item["ktp"]) if item.get("ktp") else None
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
    for item in items:
        wanted = expectations.code(item["expect"])
        started = time.perf_counter()
        found = locator.explain(float(item["lat"]), float(item["lon"]))
        latencies.append((time.perf_counter() - started) * 1000)
        got = found.region.code if found is not None and found.region is not None else None
        ok = got == wanted
        right["all"].append(ok)
        right["outside" if wanted is None else "inside"].append(ok)
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
        "right": {k: round(sum(v) / len(v), 3) for k, v in sorted(right.items())},
        "counts": {k: [sum(v), len(v)] for k, v in sorted(right.items())},
        "build_s": round(build_s, 2),
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    """Run one evaluation file; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--misses", action="store_true", help="list the misses (dev files only)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
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
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{args.file.name}: {result['items']} items, resolver built in {build_s:.2f} s")
        for name, share in result["right"].items():
            right, total = result["counts"][name]
            print(f"  {name:<16} {share:.3f}  ({right}/{total})")
        print(f"  latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
    if args.misses:
        for miss in misses:
            print(json.dumps(miss, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
