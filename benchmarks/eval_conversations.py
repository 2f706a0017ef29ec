"""Score the bot on held-out-style conversations over the REST channel.

    .venv/bin/python benchmarks/eval_conversations.py [--file tests/eval/conversations.yml]
        [--url http://127.0.0.1:5005] [--json] [--min 0.95]

Needs the stack running (``make serve``). A turn with ``expect`` passes when the reply
offers at least one expected service (the service it answers, or a ``/choose_service``
button), and is "first right" when the first service offered is expected; an
``out_of_scope`` turn passes when the reply offers no procedure at all; a ``smalltalk``
turn when it offers neither a procedure nor the human route; a ``handoff`` turn when the
reply gives the SP4N-LAPOR! route. An ``expect`` turn after the first of its
conversation is "in context": the bot refusing it (out of scope) or asking back
(clarification) is counted apart. Prints the shares overall and per style, the
in-context refusals and clarifications, and every miss, except for held-out files
(``*_test*``), whose misses stay unseen (also in ``--json``). Exits 1 when a share is
below ``--min`` or any out-of-scope turn got a procedure.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "tests" / "eval" / "conversations.yml"
PAYLOAD = "/choose_service"


def offered(messages: list[dict[str, Any]]) -> list[str]:
    """Service ids a reply offers, in order: answered (custom) or as buttons."""
    ids: list[str] = []
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("service"):
            ids.append(str(custom["service"]))
        for button in message.get("buttons") or []:
            payload = str(button.get("payload") or "")
            if payload.startswith(PAYLOAD):
                try:
                    ids.append(str(json.loads(payload[len(PAYLOAD) :])["service"]))
                except (ValueError, KeyError):
                    continue
    return list(dict.fromkeys(ids))


@dataclass
class Outcome:
    """One scored turn."""

    conversation: str
    style: str
    say: str
    kind: str  # expect | out_of_scope | handoff
    passed: bool
    strict: bool
    offered: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    reply: str = ""
    in_context: bool = False  # an expect turn after the conversation's first turn
    answered_as: str | None = None  # refusal | clarify, as the bot marked its reply


def reply_kind(messages: list[dict[str, Any]]) -> str | None:
    """``refusal`` or ``clarify`` when the bot said so in a message's custom payload."""
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("reply"):
            return str(custom["reply"])
    return None


def score_turn(turn: dict[str, Any], messages: list[dict[str, Any]]) -> tuple[str, bool, bool]:
    """(kind, passed, strict) for one turn and the bot's reply."""
    ids = offered(messages)
    text = " ".join(str(m.get("text") or "") for m in messages)
    if turn.get("out_of_scope"):
        return "out_of_scope", not ids, not ids
    if turn.get("smalltalk"):
        ok = not ids and "lapor.go.id" not in text
        return "smalltalk", ok, ok
    if turn.get("handoff"):
        ok = "lapor.go.id" in text
        return "handoff", ok, ok
    expected = set(turn.get("expect") or [])
    return "expect", bool(expected & set(ids)), bool(ids) and ids[0] in expected


def run(conversations: list[dict[str, Any]], url: str, timeout: float) -> list[Outcome]:
    """Play every conversation with a fresh sender id; score each turn."""
    outcomes = []
    webhook = f"{url.rstrip('/')}/webhooks/rest/webhook"
    with httpx.Client(timeout=timeout) as client:
        for conv in conversations:
            sender = f"eval:{conv['id']}:{uuid.uuid4().hex[:8]}"
            for position, turn in enumerate(conv["turns"]):
                response = client.post(webhook, json={"sender": sender, "message": turn["say"]})
                response.raise_for_status()
                messages = response.json()
                kind, passed, strict = score_turn(turn, messages)
                outcomes.append(
                    Outcome(
                        conv["id"],
                        conv.get("style", "-"),
                        turn["say"],
                        kind,
                        passed,
                        strict,
                        offered(messages),
                        list(turn.get("expect") or []),
                        " | ".join(str(m.get("text") or "")[:80] for m in messages),
                        in_context=position > 0 and kind == "expect",
                        answered_as=reply_kind(messages),
                    )
                )
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Shares overall, per style and per kind."""

    def share(items: list[Outcome], attr: str = "passed") -> float:
        return round(sum(getattr(o, attr) for o in items) / len(items), 3) if items else 1.0

    by_style: dict[str, list[Outcome]] = defaultdict(list)
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_style[o.style].append(o)
        by_kind[o.kind].append(o)
    expect = by_kind.get("expect", [])
    in_context = [o for o in expect if o.in_context]
    return {
        "turns": len(outcomes),
        "conversations": len({o.conversation for o in outcomes}),
        "share_right_services": share(outcomes),
        "share_expect_right": share(expect),
        "share_strict_first_offer": share(expect, "strict"),
        "out_of_scope_with_procedure": sum(not o.passed for o in by_kind.get("out_of_scope", [])),
        "in_context_turns": len(in_context),
        "in_context_refused": sum(o.answered_as == "refusal" for o in in_context),
        "in_context_clarified": sum(o.answered_as == "clarify" for o in in_context),
        "by_style": {k: share(v) for k, v in sorted(by_style.items())},
        "by_style_first_right": {
            k: share([o for o in v if o.kind == "expect"], "strict")
            for k, v in sorted(by_style.items())
        },
        "by_kind": {k: {"turns": len(v), "share": share(v)} for k, v in sorted(by_kind.items())},
        "misses": [
            {
                "conversation": o.conversation,
                "say": o.say,
                "kind": o.kind,
                "expected": o.expected,
                "offered": o.offered,
                "reply": o.reply,
            }
            for o in outcomes
            if not o.passed
        ],
    }


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="show replies of misses")
    parser.add_argument("--min", type=float, default=0.95, help="required share")
    args = parser.parse_args(argv)
    conversations = yaml.safe_load(args.file.read_text(encoding="utf-8"))
    try:
        result = summary(run(conversations, args.url, args.timeout))
    except httpx.HTTPError as exc:
        print(
            f"cannot talk to Rasa at {args.url}: {exc} (is 'make serve' running?)", file=sys.stderr
        )
        return 2
    if "_test" in args.file.name:  # a held-out split: its misses must stay unseen
        result["misses"] = []
        result["misses_hidden"] = True
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(f"{result['turns']} turns in {result['conversations']} conversations")
        print(f"share of turns offering the right services: {result['share_right_services']:.3f}")
        print(f"expect turns offering a right service:      {result['share_expect_right']:.3f}")
        print(
            f"strict (first service offered is right):    {result['share_strict_first_offer']:.3f}"
        )
        print(
            f"in-context turns refused / clarified:       {result['in_context_refused']} / "
            f"{result['in_context_clarified']} of {result['in_context_turns']}"
        )
        print(
            f"out-of-scope turns answered with a procedure: {result['out_of_scope_with_procedure']}"
        )
        for style, value in result["by_style"].items():
            first = result["by_style_first_right"][style]
            print(f"  {style:10s} {value:.3f}  first right {first:.3f}")
        for miss in result["misses"]:
            print(
                f"MISS [{miss['conversation']}] {miss['say']!r}: expected {miss['expected']} "
                f"({miss['kind']}), offered {miss['offered']}"
            )
            if args.verbose:
                print(f"     reply: {miss['reply']}")
    ok = result["share_right_services"] >= args.min and not result["out_of_scope_with_procedure"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
