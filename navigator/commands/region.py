"""``navigator region``: the kabupaten/kota of a chat message or of a point.

navigator region --json "KTP Bekasi tapi tinggal di Depok"   # {"code","name","province"}
navigator region --json --lat -7.72 --lon 110.36             # or null
navigator region --validate [FILE]                           # check aliases.yml
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from navigator.regions.model import Region, Resolution
    from navigator.regions.points import Located


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``region``."""
    region = sub.add_parser(
        "region",
        help="the kabupaten/kota a text names, or of a point",
        description="Print the kabupaten/kota (Kemendagri code, name, province) that a chat "
        "message names, or that a point lies in; null when there is none.",
    )
    region.add_argument("text", nargs="?", help='the message, e.g. "sy di sleman"')
    region.add_argument("--lat", type=float, help="latitude of a point (with --lon)")
    region.add_argument("--lon", type=float, help="longitude of a point (with --lat)")
    region.add_argument("--json", action="store_true", help="print {code, name, province} or null")
    region.add_argument(
        "--explain", action="store_true", help="print the whole reading as JSON (roles, ambiguity)"
    )
    region.add_argument(
        "--validate",
        nargs="?",
        const="",
        metavar="FILE",
        help="check the everyday-names file (default knowledge_base/regions/aliases.yml)",
    )
    region.set_defaults(handler=cmd_region)


def _usage_error(message: str) -> int:
    print(f"navigator region: error: {message}", file=sys.stderr)
    return 2


def _check(args: argparse.Namespace) -> str | None:
    """What is wrong with the arguments, or None."""
    point = args.lat is not None or args.lon is not None
    if args.validate is not None:
        return "--validate takes no TEXT or point" if args.text or point else None
    if point and args.text is not None:
        return "give a TEXT or --lat/--lon, not both"
    if point:
        if args.lat is None or args.lon is None:
            return "--lat and --lon go together"
        if not (math.isfinite(args.lat) and -90 <= args.lat <= 90):
            return f"--lat {args.lat} is not a latitude (-90 to 90)"
        if not (math.isfinite(args.lon) and -180 <= args.lon <= 180):
            return f"--lon {args.lon} is not a longitude (-180 to 180)"
        return None
    if args.text is None:
        return 'give a TEXT ("sy di sleman") or --lat LAT --lon LON'
    return None


def _validate(path_text: str) -> int:
    from navigator.regions import check_vocabulary, vocabulary_path

    path = Path(path_text) if path_text else vocabulary_path()
    problems = check_vocabulary(path)
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"{path}: {errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def cmd_region(args: argparse.Namespace) -> int:
    """Resolve a text or locate a point; exit 0 with an answer or null."""
    problem = _check(args)
    if problem is not None:
        return _usage_error(problem)
    if args.validate is not None:
        return _validate(args.validate)

    from navigator.regions import VocabularyError, default_locator, default_resolver

    try:
        resolver = default_resolver()
    except VocabularyError as exc:
        for item in exc.problems:
            print(item, file=sys.stderr)
        return 1
    if args.text is None:
        located = default_locator().explain(args.lat, args.lon)
        region = located.region if located is not None else None
        if args.explain:
            print(json.dumps(_explain_point(located), ensure_ascii=False, indent=2))
        elif args.json:
            print(json.dumps(region.to_dict() if region else None, ensure_ascii=False))
        else:
            print(_line(region) if region else "no kabupaten/kota: the point is outside Indonesia")
        return 0
    answer = resolver.resolve(args.text)
    if args.explain:
        print(json.dumps(answer.explain(), ensure_ascii=False, indent=2))
    elif args.json:
        region = answer.region
        print(json.dumps(region.to_dict() if region else None, ensure_ascii=False))
    else:
        print(_describe(answer))
    return 0


def _line(region: Region) -> str:
    return f"{region.name} ({region.code}), {region.province}"


def _describe(answer: Resolution) -> str:
    if answer.region is None:
        if answer.province is not None:
            return f"no kabupaten/kota named; province {answer.province.name}"
        if answer.abroad:
            return "no kabupaten/kota: the message names a place abroad"
        return "no kabupaten/kota named"
    parts = [_line(answer.region)]
    if answer.alternatives:
        also = ", ".join(f"{r.name} ({r.code})" for r in answer.alternatives)
        parts.append(f"ambiguous, also {also}")
    if answer.ktp is not None and answer.ktp.code != answer.region.code:
        parts.append(f"KTP: {answer.ktp.name} ({answer.ktp.code})")
    return "; ".join(parts)


def _explain_point(located: Located | None) -> dict[str, object]:
    if located is None:
        return {"region": None, "nearest": None}
    return {
        "region": located.region.to_dict() if located.region else None,
        "nearest": {
            "name": located.place.name,
            "country": located.place.country,
            "km": round(located.km, 1),
        },
    }
