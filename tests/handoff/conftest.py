"""Fixtures of the handoff tests: the whole stack (:mod:`tests.handoff.world`) and a browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.handoff.world import World, running_world
from tests.support.browser import launch_chromium


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The running stack for this module's tests."""
    with running_world(tmp_path_factory.mktemp("handoff")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    yield from launch_chromium()
