"""The editors' report and ``navigator kb report``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from navigator import cli
from navigator.insight.report import (
    build_report,
    dense_clusters,
    format_text,
    lexical_clusters,
)
from navigator.insight.store import InsightStore, Reason
from navigator.kb.loader import load_knowledge_base
from tests.support.fixture_kb import write_fixture_kb


def test_lexical_grouping_joins_rewordings_and_keeps_topics_apart() -> None:
    texts = [
        "cara pasang wifi di rumah",
        "pasang wifi rumah gimana",
        "harga tiket pesawat ke bali",
        "tiket pesawat bali berapa",
        "pasang wifi",
        "NIK [NIK] hilang",
    ]
    groups = lexical_clusters(texts)
    assert [0, 1, 4] in groups and [2, 3] in groups and [5] in groups


class FakeEncoder:
    """Two directions: questions with 'wifi' and everything else."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.array(
            [[1.0, 0.0] if "wifi" in t else [0.0, 1.0] for t in texts], dtype=np.float32
        )


def test_dense_grouping_uses_the_encoder() -> None:
    texts = ["wifi rumah", "internet wifi", "tiket pesawat"]
    assert dense_clusters(texts, FakeEncoder()) == [[0, 1], [2]]
    assert dense_clusters([], FakeEncoder()) == []


@pytest.fixture
def filled(tmp_path: Path) -> tuple[InsightStore, Path]:
    kb = write_fixture_kb(tmp_path, last_checked="2023-01-01")
    store = InsightStore(tmp_path / "insight.db")
    for query, reason, event in [
        ("cara pasang wifi di rumah", "out_of_scope", None),
        ("pasang wifi rumah gimana", "fallback", None),
        ("akta anak saya salah nama", "not_helpful", "birth"),
        ("ganti nama di akta lahir anak", "low_confidence", "birth"),
    ]:
        store.record(
            channel="console",
            reason=cast(Reason, reason),
            query=query,
            results=[{"id": "akta-kelahiran", "score": 0.1}],
            life_event=event,
        )
    store.record_evaluation(0.80, 0.70, {})
    store.record_evaluation(0.86, 0.75, {})
    return store, kb


def test_report_sections(filled: tuple[InsightStore, Path]) -> None:
    store, kb_path = filled
    report = build_report(store, load_knowledge_base(kb_path))
    assert report.queries == 4
    wifi = next(g for g in report.groups if "wifi" in g.question)
    assert wifi.count == 2 and wifi.reasons == {"out_of_scope": 1, "fallback": 1}
    assert "wifi" in wifi.terms and wifi.shown == ["akta-kelahiran"]
    birth = next(c for c in report.coverage if c.id == "birth")
    assert (birth.services, birth.unanswered, birth.not_helpful, birth.stale) == (1, 1, 1, 1)
    assert next(c for c in report.coverage if c.id == "").unanswered == 2
    assert len(report.stale) == 8 and report.stale[0].file.endswith(".yml")  # type: ignore[union-attr]
    assert [p.recall_at_3 for p in report.evaluations] == [0.80, 0.86]
    text = format_text(report)
    assert "Top unanswered questions" in text and "change: R@3 +0.060" in text
    old = build_report(store, load_knowledge_base(kb_path), days=1, now=time.time() + 3 * 86400)
    assert old.queries == 0 and old.groups == []


def test_kb_report_command(
    filled: tuple[InsightStore, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store, kb_path = filled
    store.close()
    assert (
        cli.main(["kb", "report", "--json", "--path", str(kb_path), "--db", str(store.path)]) == 0
    )
    body = json.loads(capsys.readouterr().out)
    assert set(body) >= {"groups", "coverage", "stale", "evaluations"}
    assert cli.main(["kb", "report", "--path", str(kb_path), "--db", str(store.path)]) == 0
    assert "Coverage per life event" in capsys.readouterr().out
    assert cli.main(["kb", "report", "--days", "0", "--db", str(store.path)]) == 2


def test_kb_report_on_a_broken_knowledge_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = write_fixture_kb(tmp_path)
    (kb / "life_events.yml").write_text("- id: [", encoding="utf-8")
    assert cli.main(["kb", "report", "--path", str(kb), "--db", str(tmp_path / "i.db")]) == 1
    assert "life_events.yml" in capsys.readouterr().err
