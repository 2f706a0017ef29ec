"""Read the knowledge base folder into typed models, collecting located problems."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from navigator.kb.schema import DialogueCues, GlossaryEntry, Institution, LifeEvent, Service
from navigator.kb.yaml_lines import LocatedDocument, YamlSyntaxError, load_located

Severity = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)

LIFE_EVENTS_FILE = "life_events.yml"
GLOSSARY_FILE = "glossary.yml"
INSTITUTIONS_FILE = "institutions.yml"
DIALOGUE_FILE = "dialogue.yml"
SERVICES_DIR = "services"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the knowledge base, located at a file and line."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base has errors; ``problems`` lists them with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        lines = "\n".join(str(p) for p in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"knowledge base has {len(errors)} error(s):\n{lines}{more}")
        self.problems = problems


@dataclass(frozen=True)
class Origin:
    """Where an entry came from: its file as shown to editors, the parsed document, its path."""

    shown: str
    doc: LocatedDocument
    base: tuple[str | int, ...] = ()


@dataclass
class KnowledgeBase:
    """The whole knowledge base, validated; services keep their source file and line."""

    root: Path
    services: dict[str, Service] = field(default_factory=dict)
    life_events: dict[str, LifeEvent] = field(default_factory=dict)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    institutions: dict[str, Institution] = field(default_factory=dict)
    dialogue: DialogueCues | None = None
    origins: dict[str, Origin] = field(default_factory=dict)
    broken_ids: set[str] = field(default_factory=set)
    content_hash: str = ""

    def known(self, service_id: str) -> bool:
        """True for a service that exists, even one whose file has errors of its own."""
        return service_id in self.services or service_id in self.broken_ids

    def locate(self, key: str, *loc: str | int) -> tuple[str, int]:
        """File and line of a value: ``key`` is a service id or ``life_event:<id>``."""
        origin = self.origins.get(key)
        if origin is None:
            return (str(self.root), 1)
        return origin.shown, origin.doc.line_of((*origin.base, *loc))

    def journey(self, life_event: str) -> list[Service]:
        """Services of a life event in the recommended order."""
        event = self.life_events.get(life_event)
        if event is None:
            return []
        return [self.services[s] for s in event.journey if s in self.services]

    def next_in_journey(self, service_id: str, life_event: str | None = None) -> Service | None:
        """The service that follows ``service_id`` in its (or the given) life event's journey."""
        service = self.services.get(service_id)
        if service is None:
            return None
        events = [life_event] if life_event else list(service.life_events)
        for event_id in events:
            event = self.life_events.get(event_id)
            if event and service_id in event.journey:
                position = event.journey.index(service_id)
                for later in event.journey[position + 1 :]:
                    if later in self.services:
                        return self.services[later]
        return None


def display_path(path: Path, root: Path) -> str:
    """A path as editors see it: relative to the folder that holds the knowledge base."""
    try:
        return str(path.relative_to(root.parent if root.name else root))
    except ValueError:
        return str(path)


def _format_loc(loc: Iterable[Any]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "document"


def _validate(
    model: type[M], data: Any, doc: LocatedDocument, base: tuple[str | int, ...], shown: str
) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` against ``model``; map pydantic errors to file lines."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = (*base, *err["loc"])
            field_name = _format_loc(err["loc"])
            message = err["msg"]
            if err["type"] == "missing":
                message = f"missing required field '{field_name}'"
            elif err["type"] == "extra_forbidden":
                message = f"unknown field '{field_name}' (misspelt?)"
            else:
                message = f"{field_name}: {message}"
            problems.append(Problem(shown, doc.line_of(loc), "error", message))
        return None, problems


def _load_list(
    path: Path, model: type[M], root: Path
) -> tuple[list[tuple[M, Origin]], list[Problem]]:
    """Load a YAML file holding a list of ``model`` items."""
    shown = display_path(path, root)
    if not path.exists():
        return [], [Problem(shown, 1, "error", "file is missing")]
    try:
        doc = load_located(path)
    except YamlSyntaxError as exc:
        return [], [Problem(shown, exc.line, "error", exc.message)]
    if not isinstance(doc.data, list):
        return [], [Problem(shown, 1, "error", "expected a list of entries")]
    items: list[tuple[M, Origin]] = []
    problems: list[Problem] = []
    for i, entry in enumerate(doc.data):
        item, errs = _validate(model, entry, doc, (i,), shown)
        problems.extend(errs)
        if item is not None:
            items.append((item, Origin(shown, doc, (i,))))
    return items, problems


def service_files(root: Path) -> Iterator[Path]:
    """Every service file under ``services/``, in a stable order."""
    yield from sorted((root / SERVICES_DIR).rglob("*.yml"))
    yield from sorted((root / SERVICES_DIR).rglob("*.yaml"))


def content_hash(root: Path) -> str:
    """SHA-256 over the files that define the knowledge base (names and bytes)."""
    digest = hashlib.sha256()
    files = [root / name for name in (LIFE_EVENTS_FILE, GLOSSARY_FILE, INSTITUTIONS_FILE)]
    files.append(root / DIALOGUE_FILE)
    files += list(service_files(root))
    for path in files:
        if path.exists():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _load_service(path: Path, root: Path) -> tuple[Service | None, Origin | None, list[Problem]]:
    shown = display_path(path, root)
    try:
        doc = load_located(path)
    except YamlSyntaxError as exc:
        return None, None, [Problem(shown, exc.line, "error", exc.message)]
    if not isinstance(doc.data, dict):
        problem = Problem(shown, 1, "error", "expected a mapping with the service's fields")
        return None, None, [problem]
    service, problems = _validate(Service, doc.data, doc, (), shown)
    return service, Origin(shown, doc), problems


def _load_dialogue(path: Path, root: Path) -> tuple[DialogueCues | None, list[Problem]]:
    """The dialogue's language knowledge (aspect cues, generic and language words)."""
    shown = display_path(path, root)
    if not path.exists():
        return None, [Problem(shown, 1, "error", "file is missing")]
    try:
        doc = load_located(path)
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, "error", exc.message)]
    if not isinstance(doc.data, dict):
        return None, [
            Problem(shown, 1, "error", "expected a mapping (aspects, generic_words, ...)")
        ]
    return _validate(DialogueCues, doc.data, doc, (), shown)


def read_knowledge_base(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Load everything that parses and validates; return it with every problem found."""
    root = Path(root)
    kb = KnowledgeBase(root=root)
    problems: list[Problem] = []
    if not root.is_dir():
        return kb, [Problem(str(root), 1, "error", "knowledge base folder not found")]

    events, errs = _load_list(root / LIFE_EVENTS_FILE, LifeEvent, root)
    problems += errs
    for event, origin in events:
        if event.id in kb.life_events:
            line = origin.doc.line_of(origin.base)
            problems.append(
                Problem(origin.shown, line, "error", f"duplicate life event '{event.id}'")
            )
        kb.life_events[event.id] = event
        kb.origins[f"life_event:{event.id}"] = origin

    glossary, errs = _load_list(root / GLOSSARY_FILE, GlossaryEntry, root)
    problems += errs
    kb.glossary = [entry for entry, _ in glossary]
    seen_terms: dict[str, int] = {}
    for entry, origin in glossary:
        line = origin.doc.line_of(origin.base)
        if entry.term in seen_terms:
            problems.append(
                Problem(
                    origin.shown,
                    line,
                    "error",
                    f"glossary term '{entry.term}' already defined at line {seen_terms[entry.term]}",
                )
            )
        seen_terms.setdefault(entry.term, line)

    institutions, errs = _load_list(root / INSTITUTIONS_FILE, Institution, root)
    problems += errs
    for inst, inst_origin in institutions:
        kb.institutions[inst.id] = inst
        kb.origins[f"institution:{inst.id}"] = inst_origin

    kb.dialogue, errs = _load_dialogue(root / DIALOGUE_FILE, root)
    problems += errs

    for path in service_files(root):
        service, found, errs = _load_service(path, root)
        problems += errs
        if service is None or found is None:
            # Remember the id (file names are ids) so one broken file does not cascade
            # into "unknown id" errors wherever it is referred to.
            kb.broken_ids.add(path.stem)
            if found is not None and isinstance(found.doc.data.get("id"), str):
                kb.broken_ids.add(found.doc.data["id"])
            continue
        if service.id in kb.services:
            first = kb.origins[service.id].shown
            line = found.doc.line_of(("id",))
            message = f"duplicate service id '{service.id}' (first in {first})"
            problems.append(Problem(found.shown, line, "error", message))
            continue
        kb.services[service.id] = service
        kb.origins[service.id] = found
    kb.content_hash = content_hash(root)
    return kb, problems


def load_knowledge_base(root: Path) -> KnowledgeBase:
    """Load and fully validate the knowledge base; raise KnowledgeBaseError on any error."""
    from navigator.kb.validate import validate

    kb, problems = read_knowledge_base(root)
    problems += validate(kb)
    if any(p.severity == "error" for p in problems):
        raise KnowledgeBaseError(sorted(problems))
    return kb
