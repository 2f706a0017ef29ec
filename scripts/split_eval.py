#!/usr/bin/env python
"""Split a blind evaluation set into dev and test before anyone looks at a result.

The split is by a hash of each item's text (a conversation's id and first turn), so it
is fixed by the data alone: nobody chooses which item lands where, rerunning it gives
the same split, and an item never moves from test to dev. About ``--test-share`` of the
items go to test. Tune on dev only; report test.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any

import yaml


def item_key(item: dict[str, Any]) -> str:
    """The text an item is split by: a question, a place mention, a point, or a
    conversation's id and first turn."""
    if "q" in item:
        return str(item["q"])
    if "text" in item:
        return str(item["text"])
    if "lat" in item:
        return f"{item['lat']},{item['lon']}"
    if "turns" not in item:
        raise ValueError(f"cannot split an item without q, text, lat or turns: {item}")
    turns = item.get("turns") or [{}]
    return f"{item.get('id', '')}|{turns[0].get('say', '')}"


def is_test(item: dict[str, Any], share: float) -> bool:
    """Whether the item belongs to the test split."""
    digest = hashlib.sha256(item_key(item).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def main(argv: list[str] | None = None) -> int:
    """Write ``<stem>_dev.yml`` and ``<stem>_test.yml`` next to the output stem."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, help="the whole set as written (YAML list)")
    parser.add_argument("out", type=Path, help="output stem, e.g. tests/eval/situations")
    parser.add_argument("--test-share", type=float, default=0.5)
    parser.add_argument("--header", default="", help="comment written above each split")
    args = parser.parse_args(argv)
    items = yaml.safe_load(args.source.read_text(encoding="utf-8")) or []
    splits: dict[str, list[dict[str, Any]]] = {"dev": [], "test": []}
    for item in items:
        splits["test" if is_test(item, args.test_share) else "dev"].append(item)
    for name, chosen in splits.items():
        path = args.out.parent / f"{args.out.name}_{name}.yml"
        header = "".join(f"# {line}\n" for line in args.header.splitlines())
        note = (
            f"# {name} split of {args.source.name} by scripts/split_eval.py ({len(chosen)} items)\n"
        )
        body = yaml.safe_dump(chosen, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(header + note + "\n" + body, encoding="utf-8")
        print(f"{path}: {len(chosen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
