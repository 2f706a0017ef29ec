"""The kb subcommands: exit codes and JSON shapes that tools rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from navigator.cli import main


def test_validate_exit_codes(fixture_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", str(fixture_kb)]) == 0
    (fixture_kb / "services/birth/akta-kelahiran.yml").write_text("id: [", encoding="utf-8")
    assert main(["kb", "validate", str(fixture_kb)]) == 1
    out = capsys.readouterr().out
    assert "knowledge_base/services/birth/akta-kelahiran.yml:1: error: YAML syntax error" in out


def test_list_json(fixture_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "list", "--json", "--path", str(fixture_kb)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 8
    assert set(rows[0]) == {"id", "title", "title_en", "life_events"}
    assert {
        "id": "akta-kelahiran",
        "title": "Akta Kelahiran",
        "title_en": "Birth Certificate",
        "life_events": ["birth"],
    } in rows


def test_show_renders_for_chat(fixture_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "show", "akta-kelahiran", "--path", str(fixture_kb)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("AKTA KELAHIRAN")
    assert "Syarat yang dibawa:\n• KTP elektronik" in text
    assert "Biaya: Gratis." in text
    assert "dicek 2026-01-15" in text
    assert main(["kb", "show", "nope", "--path", str(fixture_kb)]) == 1


def test_stats_json(fixture_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "stats", "--json", "--path", str(fixture_kb)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["services"] == 8
    assert stats["life_events"]["birth"] == 1
    assert stats["languages"] == {"id": 8, "en": 8}
    assert stats["stale"] == []


def test_stats_reports_home_pages_and_field_coverage(
    fixture_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "stats", "--json", "--path", str(fixture_kb)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["sources"]["all"] == {"sources": 8, "home_pages": 0, "share": 0.0}
    assert stats["field_coverage"]["birth"]["deadline"] == 1.0
    assert stats["field_coverage"]["all"]["deadline"] == 0.125
    assert stats["field_coverage"]["work"]["online"] == 0.0
    assert main(["kb", "stats", "--path", str(fixture_kb)]) == 0
    text = capsys.readouterr().out
    assert "home page" in text and "deadline" in text


def test_show_renders_the_fields_citizens_ask_about(
    fixture_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "show", "akta-kelahiran", "--path", str(fixture_kb)]) == 0
    text = capsys.readouterr().out
    assert "Batas waktu: Laporkan paling lambat 60 hari" in text
    assert "Jika terlewat: Tetap bisa dicatat sesudahnya." in text
    assert "Secara online: Sebagian daerah" in text
    assert main(["kb", "show", "akta-kelahiran", "--lang", "en", "--path", str(fixture_kb)]) == 0
    text = capsys.readouterr().out
    assert "Deadline: Report within 60 days of the birth." in text
    assert "(source: https://example.go.id/layanan/akta-kelahiran)" in text
