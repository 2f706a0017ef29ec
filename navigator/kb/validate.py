"""Cross-file checks of the knowledge base that a schema alone cannot express."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from navigator.kb.loader import (
    LIFE_EVENTS_FILE,
    KnowledgeBase,
    Problem,
    display_path,
    read_knowledge_base,
)
from navigator.kb.schema import FACT_FIELDS, LIFE_EVENT_IDS, Service
from navigator.kb.sources import is_home_page

STALE_AFTER_DAYS = 365
PAIRED_LISTS = (("requirements", "requirements_en"), ("steps", "steps_en"))


def _service_checks(kb: KnowledgeBase, service: Service, today: dt.date) -> Iterator[Problem]:
    sid = service.id

    def at(severity: str, message: str, *loc: str | int) -> Problem:
        shown, line = kb.locate(sid, *loc)
        return Problem(shown, line, severity, message)  # type: ignore[arg-type]

    shown, _ = kb.locate(sid)
    path = Path(shown)
    if path.stem != sid:
        yield at(
            "error", f"file name '{path.name}' does not match id '{sid}' (use {sid}.yml)", "id"
        )
    if path.parent.name not in service.life_events and path.parent.name in LIFE_EVENT_IDS:
        yield at(
            "warning",
            f"file is under '{path.parent.name}/' but the service's life events are "
            f"{', '.join(service.life_events)}",
            "life_events",
        )
    for id_field, en_field in PAIRED_LISTS:
        ours, theirs = getattr(service, id_field), getattr(service, en_field)
        if len(ours) != len(theirs):
            yield at(
                "error",
                f"missing English: '{en_field}' has {len(theirs)} item(s) "
                f"but '{id_field}' has {len(ours)}",
                en_field,
            )
    for i, related in enumerate(service.related):
        if related == sid:
            yield at("error", "a service cannot be related to itself", "related", i)
        elif not kb.known(related):
            yield at("error", f"unknown service id '{related}' in related", "related", i)
    for i, place in enumerate(service.where):
        if kb.institutions and place.institution not in kb.institutions:
            yield at(
                "error",
                f"unknown institution '{place.institution}' (add it to institutions.yml)",
                "where",
                i,
                "institution",
            )
    if service.last_checked > today:
        yield at("error", f"last_checked {service.last_checked} is in the future", "last_checked")
    elif (today - service.last_checked).days > STALE_AFTER_DAYS:
        age = (today - service.last_checked).days
        yield at(
            "warning",
            f"stale: last checked {service.last_checked}, {age} days ago; check it again",
            "last_checked",
        )
    if service.fee.free and "gratis" not in service.fee.text.lower():
        yield at("warning", "fee.free is true but fee.text does not say 'gratis'", "fee", "text")
    yield from _source_checks(service, at)
    for event_id in service.life_events:
        event = kb.life_events.get(event_id)
        if event is not None and sid not in event.journey:
            yield at(
                "warning",
                f"not in the journey of life event '{event_id}' in life_events.yml",
                "life_events",
            )


def _source_checks(service: Service, at: Callable[..., Problem]) -> Iterator[Problem]:
    """Sources must be the specific pages the facts come from; facts cite one of them."""
    cited = {str(source.url) for source in service.sources if source.url}
    for i, source in enumerate(service.sources):
        if source.url is None:
            yield at("warning", f"source '{source.title}' has no URL to check it", "sources", i)
        elif is_home_page(str(source.url)):
            yield at(
                "warning",
                f"source {source.url} is a site's home page or root; cite the page the "
                "facts come from",
                "sources",
                i,
                "url",
            )
    for name in FACT_FIELDS:
        fact = getattr(service, name)
        if fact is None:
            continue
        if fact.source is None:
            yield at("warning", f"{name} has no source (one of the service's sources)", name)
        elif str(fact.source) not in cited:
            yield at(
                "error",
                f"{name}.source {fact.source} is not one of the service's sources",
                name,
                "source",
            )


def _life_event_checks(kb: KnowledgeBase) -> Iterator[Problem]:
    for event_id in LIFE_EVENT_IDS:
        if event_id not in kb.life_events:
            shown = display_path(kb.root / LIFE_EVENTS_FILE, kb.root)
            yield Problem(shown, 1, "error", f"life event '{event_id}' is missing")
    for event_id, event in kb.life_events.items():
        key = f"life_event:{event_id}"
        for i, sid in enumerate(event.journey):
            shown, line = kb.locate(key, "journey", i)
            if not kb.known(sid):
                yield Problem(shown, line, "error", f"unknown service id '{sid}' in journey")
            elif sid in kb.services and event_id not in kb.services[sid].life_events:
                yield Problem(
                    shown,
                    line,
                    "warning",
                    f"'{sid}' is in the journey but does not list life event '{event_id}'",
                )


def _situation_checks(kb: KnowledgeBase) -> Iterator[Problem]:
    for event_id, event in kb.life_events.items():
        for s, situation in enumerate(event.situations):
            for i, sid in enumerate(situation.services):
                if not kb.known(sid):
                    shown, line = kb.locate(
                        f"life_event:{event_id}", "situations", s, "services", i
                    )
                    yield Problem(shown, line, "error", f"unknown service id '{sid}' in situation")


def validate(kb: KnowledgeBase, today: dt.date | None = None) -> list[Problem]:
    """Cross-reference checks; returns problems sorted by file and line."""
    today = today or dt.date.today()
    found: list[Problem] = [*_life_event_checks(kb), *_situation_checks(kb)]
    for service in kb.services.values():
        found.extend(_service_checks(kb, service, today))
    return sorted(found)


def region_checks(root: Path, services: set[str], today: dt.date | None = None) -> list[Problem]:
    """The regions folder: the everyday names of places and the regional facts."""
    from navigator.regions import check_vocabulary
    from navigator.regions.facts import validate_facts

    folder = root / "regions"
    problems: list[Problem] = []
    if (folder / "aliases.yml").exists():
        problems += check_vocabulary(folder / "aliases.yml")
    if (folder / "facts").is_dir():
        for text in validate_facts(folder / "facts", services=services, today=today):
            path, line, message = text.split(":", 2)
            problems.append(Problem(path, int(line), "error", message.strip()))
    return problems


def check(root: Path, today: dt.date | None = None) -> list[Problem]:
    """All problems of the knowledge base at ``root``: parse, schema and cross-file,
    and its regions folder."""
    kb, problems = read_knowledge_base(root)
    problems = problems + validate(kb, today=today)
    problems += region_checks(root, set(kb.services), today)
    return sorted(set(problems))
