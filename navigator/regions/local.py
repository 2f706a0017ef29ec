"""A service's places in one kabupaten/kota, from the regional facts on record.

Shared by the dialogue (``actions/place.py``) and the console: the region's MPPs that
serve the service, its Dukcapil office for Dukcapil services, its own online services
for the service, and its rules for the service, each with its source and date.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote_plus

from navigator.kb.schema import Service
from navigator.regions.facts import Mpp, RegionFacts, RegionFactsError, load_facts

logger = logging.getLogger(__name__)

MAX_MPP = 2  # MPPs listed for one region (the nearest is the citizen's call)
Kind = Literal["mpp", "office", "online", "rule"]


@dataclass(frozen=True)
class LocalPlace:
    """One regional fact about a service."""

    kind: Kind
    name: str  # an MPP's or office's name, a portal's name, or a rule's text
    detail: str  # address and hours, or a URL
    map_url: str | None
    source: str
    last_checked: dt.date


@functools.lru_cache(maxsize=1)
def facts() -> RegionFacts:
    """The regional facts, read once per process; a broken file is logged with its file
    and line, and no regional part is shown until it is fixed."""
    try:
        return load_facts()
    except RegionFactsError as exc:
        logger.error("regional facts not loaded: %s", exc)
        return RegionFacts(folder=Path("."))


def map_link(name: str, address: str) -> str:
    """A map search for a place (made from the name and address on record)."""
    return "https://www.google.com/maps/search/?api=1&query=" + quote_plus(f"{name}, {address}")


def serves(mpp: Mpp, service: Service) -> bool:
    """Whether an MPP is a place for ``service``: the service lists MPPs, or the MPP's
    source lists a counter of the service's institution ("Disdukcapil" for dukcapil)."""
    if any(p.channel == "mpp" for p in service.where):
        return True
    institutions = {p.institution for p in service.where}
    return any(i in agency.lower() for agency in mpp.agencies for i in institutions)


def local_places(
    service: Service, code: str, lang: str = "id", known: RegionFacts | None = None
) -> list[LocalPlace]:
    """The region's facts about ``service``, MPPs first; empty when none is on record."""
    fact = (known or facts()).get(code)
    if fact is None:
        return []
    found: list[LocalPlace] = []
    for mpp in [m for m in fact.mpp if serves(m, service)][:MAX_MPP]:
        detail = ", ".join(p for p in (mpp.address, mpp.hours) if p)
        link = map_link(mpp.name, mpp.address) if mpp.address else None
        found.append(LocalPlace("mpp", mpp.name, detail, link, mpp.source, mpp.last_checked))
    office = fact.dukcapil
    if office is not None and any(p.institution == "dukcapil" for p in service.where):
        detail = ", ".join(p for p in (office.address, office.hours) if p)
        link = map_link(office.name, office.address) if office.address else None
        found.append(
            LocalPlace("office", office.name, detail, link, office.source, office.last_checked)
        )
    for online in fact.online_for(service.id):
        found.append(
            LocalPlace("online", online.name, online.url, None, online.source, online.last_checked)
        )
    for rule in fact.rules_for(service.id):
        text = rule.text_en if lang == "en" else rule.text
        found.append(LocalPlace("rule", text, "", None, rule.source, rule.last_checked))
    return found
