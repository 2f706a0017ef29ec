"""Walking a YAML document whose values know their lines, collecting problems with them."""

from __future__ import annotations

from typing import Any

from navigator.kb.loader import Problem
from navigator.kb.yaml_lines import Loc, LocatedDocument
from navigator.regions.text import words
from navigator.regions.vocabulary import Phrase


class LocatedReader:
    """Walks one located document and collects problems with their lines."""

    def __init__(self, doc: LocatedDocument, shown: str) -> None:
        self.doc = doc
        self.shown = shown
        self.problems: list[Problem] = []

    def problem(self, loc: Loc, message: str, severity: str = "error") -> None:
        line = self.doc.line_of(loc)
        self.problems.append(Problem(self.shown, line, severity, message))  # type: ignore[arg-type]

    def mapping(self, value: Any, loc: Loc, allowed: set[str], what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(loc, f"{what} must be a mapping")
            return {}
        for name in value:
            if name not in allowed:
                shown = ", ".join(sorted(allowed))
                self.problem((*loc, name), f"unknown field '{name}' in {what} (one of: {shown})")
        return value

    def table(self, value: Any, loc: Loc, what: str) -> dict[str, Any]:
        """A mapping whose keys are data (words), not field names."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(loc, f"{what} must be a mapping of word: meaning")
            return {}
        return value

    def strings(self, value: Any, loc: Loc, what: str) -> list[tuple[str, Loc]]:
        """A list of non-empty lower-case strings, each with its location."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(loc, f"{what} must be a list of words")
            return []
        out: list[tuple[str, Loc]] = []
        for i, item in enumerate(value):
            here: Loc = (*loc, i)
            if not isinstance(item, str) or not item.strip():
                self.problem(here, f"{what}: expected a word, got {item!r}")
            elif item != item.lower():
                self.problem(here, f"{what}: '{item}' must be written in lower case")
            else:
                out.append((item.strip(), here))
        return out

    def phrases(self, value: Any, loc: Loc, what: str) -> set[Phrase]:
        out: set[Phrase] = set()
        for text, here in self.strings(value, loc, what):
            found = words(text)
            phrase: Phrase | None = tuple(found) if found else None
            if found and text.endswith("*"):
                phrase = (*found[:-1], found[-1] + "*")
            if not phrase:
                self.problem(here, f"{what}: '{text}' has no letters")
                continue
            out.add(phrase)
        return out
