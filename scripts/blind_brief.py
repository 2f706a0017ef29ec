#!/usr/bin/env python
"""Print what a blind evaluation writer may see: services (id, title, summary) and life events.

Writers of evaluation sets must not see the example questions, the glossary, the NLU data or
the dialogue code, or the figures would measure how well we copied them. This prints the
only material they get, as Markdown, so the brief can be reproduced for every new set.
"""

from __future__ import annotations

import argparse
import sys

from navigator.kb.loader import read_knowledge_base
from navigator.settings import default_kb_path


def main(argv: list[str] | None = None) -> int:
    """Write the brief to stdout; ``--only`` limits the services to some ids."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None, help="service ids to list")
    args = parser.parse_args(argv)
    kb, problems = read_knowledge_base(default_kb_path())  # lists what parses, errors or not
    if any(p.severity == "error" for p in problems):
        print("note: the knowledge base has errors; listing what parses", file=sys.stderr)
    print("# Life events\n")
    for event in kb.life_events.values():
        print(f"- `{event.id}`: {event.name} / {event.name_en}. {event.description_en}")
    print("\n# Services\n")
    for sid in sorted(kb.services):
        if args.only is not None and sid not in args.only:
            continue
        s = kb.services[sid]
        print(f"- `{s.id}` [{', '.join(s.life_events)}]: {s.title} / {s.title_en}. {s.summary_en}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
