#!/usr/bin/env python
"""Export spaCy entity-ruler patterns from the knowledge base for the bot's NLU.

Writes one JSON pattern a line (``{"label", "pattern", "id"}``) to
``var/entity_patterns.jsonl`` (or ``--out``). The Rasa component
``bot/components/kb_entities.py`` reads this file at training time, so editors' new
document names, aliases, institutions and life-event cues reach the bot without anyone
editing NLU files. Generated: never edit the output by hand; ``make train`` rebuilds it.

Labels: ``service`` (id = service id; titles, aliases and glossary old names that point
at exactly one service), ``institution`` (id = institution id) and ``life_event``
(id = life event id; the event's cues).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections import defaultdict
from pathlib import Path

from navigator.kb.loader import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from navigator.settings import default_kb_path, var_dir

logger = logging.getLogger("export_entity_patterns")

MIN_LEN = 2  # single letters ("A", "C") would match everywhere
FULL_NAME = 3  # words in brackets that spell a name out rather than explain it


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _variants(phrase: str, taken: set[str]) -> list[str]:
    """A name as people type it: whole, without its bracketed part, and what the brackets
    hold when it is a short form or a full name ("Klaim Jaminan Hari Tua (JHT)": also
    "klaim jaminan hari tua" and "jht"). What the brackets hold is left out when it is
    ``taken``: an institution's name ("(BPN)" names the office, not the service) or a
    word of another name ("(ASN)" in civil-service recruitment, "Pensiun ASN")."""
    variants = [_norm(phrase)]
    inside = re.findall(r"\(([^)]*)\)", phrase)
    if inside:
        variants.append(_norm(re.sub(r"\([^)]*\)", " ", phrase)))
    for group in inside:
        for part in re.split(r"[/,;]", group):
            short = re.fullmatch(r"[A-Z][A-Z0-9-]{2,9}", part.strip()) is not None
            if (short or len(part.split()) >= FULL_NAME) and _norm(part) not in taken:
                variants.append(_norm(part))
    return [v for v in dict.fromkeys(variants) if v]


def _unique(phrases: dict[str, set[str]]) -> dict[str, str]:
    """Phrases that name exactly one target (ambiguous ones such as 'kk' are dropped)."""
    return {p: next(iter(ids)) for p, ids in phrases.items() if len(ids) == 1 and len(p) >= MIN_LEN}


def build_patterns(kb: KnowledgeBase) -> list[dict[str, str]]:
    """Entity-ruler patterns for the knowledge base, sorted for stable output."""
    offices = {_norm(p) for i in kb.institutions.values() for p in (i.name, i.name_en, *i.aliases)}
    words: dict[str, set[str]] = defaultdict(set)  # word of a name -> services named with it
    for service in kb.services.values():
        for phrase in (service.title, service.title_en, *service.aliases):
            for word in re.findall(r"[\w-]+", phrase.lower()):
                words[word].add(service.id)
    services: dict[str, set[str]] = defaultdict(set)
    for service in kb.services.values():
        taken = offices | {w for w, ids in words.items() if ids - {service.id}}
        for phrase in (service.title, service.title_en, *service.aliases):
            for variant in _variants(phrase, taken):
                services[variant].add(service.id)
    for entry in kb.glossary:  # old names and English words that mean one service's name
        targets = services.get(_norm(entry.means))
        if targets and len(targets) == 1 and entry.kind in ("old_name", "english", "abbreviation"):
            services[_norm(entry.term)] |= targets
    for entry in kb.glossary:  # ... and what an abbreviation of one service stands for
        targets = services.get(_norm(entry.term))
        if targets and len(targets) == 1 and entry.kind == "abbreviation":
            services[_norm(entry.means)] |= targets
    institutions: dict[str, set[str]] = defaultdict(set)
    for inst in kb.institutions.values():
        for phrase in (inst.name, inst.name_en, *inst.aliases):
            institutions[_norm(phrase)].add(inst.id)
    events: dict[str, set[str]] = defaultdict(set)
    for event in kb.life_events.values():
        for cue in event.cues:
            events[_norm(cue)].add(event.id)
    patterns = []
    for label, table in (
        ("service", services),
        ("institution", institutions),
        ("life_event", events),
    ):
        for phrase, target in sorted(_unique(table).items()):
            patterns.append({"label": label, "pattern": phrase, "id": target})
    return patterns


def write_patterns(patterns: list[dict[str, str]], out: Path) -> None:
    """Write the patterns as JSON lines, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in patterns), "utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=None, help="knowledge base folder")
    parser.add_argument("--out", type=Path, default=None, help="output .jsonl")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    kb_path = args.kb or default_kb_path()
    out = args.out or var_dir() / "entity_patterns.jsonl"
    try:
        kb = load_knowledge_base(kb_path)
    except KnowledgeBaseError as exc:
        logger.error("knowledge base %s has errors: %s", kb_path, exc)
        return 1
    patterns = build_patterns(kb)
    write_patterns(patterns, out)
    logger.info("wrote %d patterns to %s", len(patterns), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
