"""The running console serves a rebuilt index without restart; a broken edit changes nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from tests.console.support import (
    TOKEN,
    console_env,
    free_port,
    navigator,
    running_console,
    wait_for,
    write_console_kb,
)

pytestmark = pytest.mark.integration

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SERVICE = "services/birth/akta-kelahiran.yml"


def title(base: str) -> str:
    response = httpx.get(f"{base}/api/services/akta-kelahiran", headers=AUTH, timeout=5)
    response.raise_for_status()
    return str(response.json()["title"])


def edit(kb: Path, **changes: object) -> None:
    path = kb / SERVICE
    doc = yaml.safe_load(path.read_text("utf-8"))
    doc.update(changes)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")


def test_rebuilt_index_is_served_without_restart(tmp_path: Path) -> None:
    kb = write_console_kb(tmp_path)
    env = console_env(tmp_path, kb, free_port())
    with running_console(env, tmp_path / "console.log") as base:
        health = httpx.get(f"{base}/api/health", timeout=5).json()
        assert title(base) == "Akta Kelahiran"
        index_before = health["index"]

        edit(kb, title="Akta Kelahiran Anak (diperbarui)", examples=["urus akta bayi kembar"])
        built = navigator(["index", "build"], env)
        assert built.returncode == 0, built.stderr
        assert wait_for(lambda: title(base) == "Akta Kelahiran Anak (diperbarui)", timeout=20)
        assert httpx.get(f"{base}/api/health", timeout=5).json()["index"] != index_before
        search = httpx.get(
            f"{base}/api/search", params={"q": "akta bayi kembar"}, headers=AUTH, timeout=5
        )
        assert search.json()["results"][0]["title"] == "Akta Kelahiran Anak (diperbarui)"

        edit(kb, title="", life_events=["holiday"])  # two schema errors
        broken = navigator(["index", "build"], env)
        assert broken.returncode == 1
        assert "akta-kelahiran.yml" in broken.stderr
        served = httpx.get(f"{base}/api/health", timeout=5).json()["index"]
        assert not wait_for(lambda: title(base) != "Akta Kelahiran Anak (diperbarui)", timeout=5)
        assert httpx.get(f"{base}/api/health", timeout=5).json()["index"] == served
    log = (tmp_path / "console.log").read_text()
    assert "now serving index" in log
    assert "akta bayi kembar" not in log  # the callers' words never reach the log
