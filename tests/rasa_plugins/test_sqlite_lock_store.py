"""SQLite conversation locks: tickets shared by processes, served in order, cleaned up."""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path

from rasa.utils.endpoints import EndpointConfig
from stores.sqlite_lock_store import SQLiteLockStore


def store(path: Path) -> SQLiteLockStore:
    config = EndpointConfig(type="stores.sqlite_lock_store.SQLiteLockStore", db=str(path))
    return SQLiteLockStore(endpoint_config=config)


def _draw(path: str, count: int, out: multiprocessing.Queue[list[int]]) -> None:
    s = store(Path(path))
    out.put([s.issue_ticket("citizen", 60) for _ in range(count)])


def test_two_processes_never_draw_the_same_ticket(tmp_path: Path) -> None:
    db = tmp_path / "locks.db"
    store(db)  # creates the table
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [context.Process(target=_draw, args=(str(db), 60, out)) for _ in range(2)]
    for worker in workers:
        worker.start()
    tickets = out.get(timeout=60) + out.get(timeout=60)
    for worker in workers:
        worker.join(timeout=10)
    assert sorted(tickets) == list(range(120))


async def test_a_conversation_is_served_by_one_worker_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "locks.db"
    a, b = store(db), store(db)  # two workers
    order: list[str] = []

    async def handle(s: SQLiteLockStore, name: str, hold: float) -> None:
        async with s.lock("citizen", wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    first = asyncio.create_task(handle(a, "a", 0.1))
    await asyncio.sleep(0.02)
    await handle(b, "b", 0)
    await first
    assert order == ["a in", "a out", "b in", "b out"]
    assert a.get_lock("citizen") is None  # nobody waits: the lock is gone


async def test_other_conversations_do_not_wait(tmp_path: Path) -> None:
    s = store(tmp_path / "locks.db")
    async with (
        s.lock("one", wait_time_in_seconds=0.01),
        s.lock("two", wait_time_in_seconds=0.01) as lock,
    ):
        assert lock.conversation_id == "two"
    assert s.get_lock("one") is None and s.get_lock("two") is None


def test_expired_tickets_do_not_block(tmp_path: Path) -> None:
    s = store(tmp_path / "locks.db")
    s.issue_ticket("citizen", lock_lifetime=-1)  # a worker that died holding it
    fresh = s.issue_ticket("citizen", lock_lifetime=60)
    s.update_lock("citizen")
    lock = s.get_lock("citizen")
    assert lock is not None and not lock.is_locked(fresh) and len(lock.tickets) == 1
