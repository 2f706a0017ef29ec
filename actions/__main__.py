"""Action server: load the search engine once, then serve the actions on :5055."""

from __future__ import annotations

import argparse
import logging
import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Open the runtime (engine, insight store), then run rasa-sdk's Sanic app."""
    parser = argparse.ArgumentParser(prog="python -m actions", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    parser.add_argument("--host", default=os.environ.get("ACTIONS_HOST", "127.0.0.1"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # one encoder thread: OpenMP spinning on a busy 2-core machine is 100x slower
    os.environ.setdefault("NAVIGATOR_THREADS", "1")

    from rasa_sdk.endpoint import create_app
    from rasa_sdk.executor import ActionExecutor

    from actions import runtime

    runtime.install(runtime.open_runtime())  # EngineHolder.open loads and warms the engine
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor)
    app.config.KEEP_ALIVE_TIMEOUT = 30
    logging.getLogger("sanic.access").setLevel(logging.WARNING)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
