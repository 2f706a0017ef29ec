"""Fixtures: one engine over the console's fixture knowledge base, a fresh store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from embeddings.runtime import EngineHolder, SearchSettings
from navigator.accounts import AccountStore
from navigator.console.app import create_app
from navigator.console.settings import ConsoleSettings
from navigator.insight.store import InsightStore
from tests.console.support import SECRET, TOKEN, write_console_kb


@pytest.fixture(scope="session")
def console_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture knowledge base with a three-step birth journey (read only)."""
    return write_console_kb(tmp_path_factory.mktemp("console-kb"))


@pytest.fixture(scope="session")
def holder(console_kb: Path, tmp_path_factory: pytest.TempPathFactory) -> EngineHolder:
    """The engine, built once for the whole console suite."""
    settings = SearchSettings(kb_path=console_kb, index_dir=tmp_path_factory.mktemp("index"))
    return EngineHolder.open(settings, interval=3600)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[InsightStore]:
    """An empty insight store in a temporary file."""
    db = InsightStore(tmp_path / "insight.db")
    yield db
    db.close()


@pytest.fixture
def accounts(store: InsightStore) -> AccountStore:
    """The accounts, in the same temporary database as the insight store."""
    return AccountStore(store.engine)


@pytest.fixture
def client(
    holder: EngineHolder, store: InsightStore, accounts: AccountStore
) -> Iterator[TestClient]:
    """The console without a token or accounts (development on localhost)."""
    app = create_app(ConsoleSettings(secret=SECRET), holder=holder, store=store, accounts=accounts)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth_client(
    holder: EngineHolder, store: InsightStore, accounts: AccountStore
) -> Iterator[TestClient]:
    """The console with CONSOLE_TOKEN set, over https so the secure cookie is sent."""
    app = create_app(
        ConsoleSettings(token=TOKEN, secret=SECRET), holder=holder, store=store, accounts=accounts
    )
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def accounts_client(
    holder: EngineHolder, store: InsightStore, accounts: AccountStore
) -> Iterator[TestClient]:
    """The console with accounts and no CONSOLE_TOKEN, over https."""
    app = create_app(ConsoleSettings(secret=SECRET), holder=holder, store=store, accounts=accounts)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client
