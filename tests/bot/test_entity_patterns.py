"""Entity-ruler patterns and NLU examples exported from the knowledge base."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import yaml

from navigator.kb.loader import load_knowledge_base
from navigator.settings import PROJECT_ROOT
from tests.bot.conftest import extend_kb
from tests.support.fixture_kb import write_fixture_kb


def script(name: str) -> ModuleType:
    path = PROJECT_ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_patterns_name_services_institutions_and_life_events(tmp_path: Path) -> None:
    exporter = script("export_entity_patterns")
    kb = load_knowledge_base(extend_kb(write_fixture_kb(tmp_path)))
    patterns = exporter.build_patterns(kb)
    as_set = {(p["label"], p["pattern"], p["id"]) for p in patterns}
    assert ("service", "akte lahir", "akta-kelahiran") in as_set
    assert ("service", "birth certificate", "akta-kelahiran") in as_set
    assert ("service", "kartu kuning", "kartu-pencari-kerja") in as_set  # glossary old name
    assert ("life_event", "phk", "work") in as_set
    assert ("institution", "dukcapil", "dukcapil") in as_set
    out = tmp_path / "patterns.jsonl"
    exporter.write_patterns(patterns, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == patterns


def test_kb_examples_become_ask_service_data(tmp_path: Path) -> None:
    exporter = script("export_kb_nlu")
    kb = load_knowledge_base(extend_kb(write_fixture_kb(tmp_path)))
    examples = exporter.kb_examples(kb, skip={"syarat akte lahir bayi"})
    assert "cara membuat akta kelahiran anak" in examples
    assert "syarat akte lahir bayi" not in examples
    data = yaml.safe_load(exporter.render(examples))
    assert data["nlu"][0]["intent"] == "ask_service"
    assert "- how to get a birth certificate" in data["nlu"][0]["examples"]
