"""The ``navigator`` command: one entry point, a subcommand per tool."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from navigator.commands import (
    agents,
    channels,
    cluster,
    console,
    db,
    index,
    kb,
    region,
    reminders,
    search,
    serve,
)
from navigator.commands import eval as eval_commands

Handler = Callable[[argparse.Namespace], int]

# Each module exposes ``register(subparsers)``; ``kb`` comes before ``console``, which
# adds ``kb report`` to it. Heavy imports happen inside the handlers, not here.
COMMAND_MODULES = [
    kb,
    index,
    search,
    eval_commands,
    channels,
    console,
    serve,
    cluster,
    db,
    agents,
    region,
    reminders,
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="navigator", description="Life-journey navigator for Indonesian public services."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "bm25s", "faiss.loader", "sentence_transformers", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
