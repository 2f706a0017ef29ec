"""The JSON API: every endpoint, bad input (empty, 10 kB, wrong types) and what gets stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from navigator.console.reply import REPLY_LIMIT
from navigator.insight.store import InsightStore

TEN_KB = "anak " * 2048
BIRTH = "anak saya baru lahir"


def test_health_answers_without_token(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["services"] == 10
    assert body["index"].startswith("index-")


def test_search_returns_life_event_and_ranked_results(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": BIRTH, "k": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["life_event"] == "birth"
    assert body["verdict"] == "sure"
    assert len(body["results"]) == 5
    top = body["results"][0]
    assert top["id"] == "akta-kelahiran"
    assert {"id", "title", "score", "life_events", "matched"} <= top.keys()
    assert "lahir" in top["matched"]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_k_life_event_and_title_language(client: TestClient) -> None:
    body = client.get(
        "/api/search", params={"q": "akta", "k": 2, "life_event": "death", "lang": "en"}
    ).json()
    assert [r["id"] for r in body["results"]] == ["akta-kematian"]
    assert body["results"][0]["title"] == "Death Certificate"
    english = client.get("/api/search", params={"q": "how to get a death certificate"}).json()
    assert english["query_language"] == "en"
    assert english["results"][0]["title"] == "Death Certificate"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": TEN_KB},
        {"q": BIRTH, "k": "abc"},
        {"q": BIRTH, "k": 0},
        {"q": BIRTH, "k": 1000},
        {"q": BIRTH, "life_event": "holiday"},
        {"q": BIRTH, "lang": "fr"},
    ],
    ids=["missing", "empty", "blank", "10kB", "k-text", "k-zero", "k-huge", "event", "lang"],
)
def test_search_rejects_bad_input(
    client: TestClient, store: InsightStore, params: dict[str, Any]
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert "detail" in response.json()
    assert store.recent() == []


def test_unanswered_search_is_stored_masked(client: TestClient, store: InsightStore) -> None:
    body = client.get(
        "/api/search", params={"q": "asdf qwerty 3201234567890123 0812-3456-7890"}
    ).json()
    assert body["verdict"] == "out_of_scope"
    [record] = store.recent()
    assert record.channel == "console"
    assert record.reason == "out_of_scope"
    assert "3201234567890123" not in record.query and "[NIK]" in record.query
    assert "0812" not in record.query
    assert [r["id"] for r in record.results] == [r["id"] for r in body["results"]]


def test_confident_search_is_not_stored(client: TestClient, store: InsightStore) -> None:
    client.get("/api/search", params={"q": BIRTH})
    assert store.recent() == []


def test_service_by_id(client: TestClient) -> None:
    body = client.get("/api/services/akta-kelahiran").json()
    assert body["title"] == "Akta Kelahiran"
    assert body["requirements"][0].startswith("Surat keterangan lahir")
    for key in ("steps", "fee", "time", "where", "legal_basis", "sources", "last_checked"):
        assert body[key]
    english = client.get("/api/services/akta-kelahiran", params={"lang": "en"}).json()
    assert english["title"] == "Birth Certificate"
    deadline = next(f for f in english["facts"] if f["name"] == "deadline")
    assert deadline["label"] == "Deadline"
    assert deadline["text"].startswith("Report within 60 days of the birth.")
    assert deadline["source"] == "https://example.go.id/layanan/akta-kelahiran"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/services/no-such-service", 404),
        ("/api/services/UPPER", 422),
        ("/api/services/" + "a" * 200, 422),
        ("/api/services/akta-kelahiran?lang=xx", 422),
        ("/api/life-events/holiday", 422),
    ],
)
def test_unknown_ids(client: TestClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status


def test_life_events_in_journey_order(client: TestClient) -> None:
    events = client.get("/api/life-events").json()
    assert [e["id"] for e in events] == [
        "birth",
        "education",
        "work",
        "business",
        "old_age",
        "marriage",
        "moving",
        "death",
    ]
    birth = client.get("/api/life-events/birth", params={"lang": "en"}).json()
    assert [s["id"] for s in birth["journey"]] == [
        "akta-kelahiran",
        "kk-tambah-anggota",
        "imunisasi-dasar",
    ]
    assert birth["name"] == "Birth"
    assert birth["journey"][0]["step"] == 1


def test_reply_lists_only_missing_documents(client: TestClient) -> None:
    full = client.post("/api/reply", json={"service_id": "akta-kelahiran"}).json()
    assert full["lang"] == "id"
    assert "Surat keterangan lahir" in full["text"]
    assert full["length"] == len(full["text"]) <= REPLY_LIMIT
    ticked = client.post("/api/reply", json={"service_id": "akta-kelahiran", "have": [0, 2]}).json()
    assert "Surat keterangan lahir" not in ticked["text"]
    assert "Kartu Keluarga" not in ticked["text"]
    assert "Buku nikah orang tua" in ticked["text"]
    assert ticked["have"] == [
        "Surat keterangan lahir dari rumah sakit atau bidan",
        "Kartu Keluarga",
    ]
    done = client.post(
        "/api/reply", json={"service_id": "akta-kelahiran", "have": [0, 1, 2, 3]}
    ).json()
    assert done["missing"] == [] and "sudah lengkap" in done["text"]


def test_reply_in_the_callers_language(client: TestClient) -> None:
    body = client.post(
        "/api/reply", json={"service_id": "akta-kelahiran", "query": "my baby was just born"}
    ).json()
    assert body["lang"] == "en"
    assert body["text"].startswith("Hello, for *Birth Certificate*")
    forced = client.post("/api/reply", json={"service_id": "akta-kelahiran", "lang": "id"}).json()
    assert forced["text"].startswith("Halo Bapak/Ibu")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"service_id": ""},
        {"service_id": 5},
        {"service_id": "akta-kelahiran", "have": "abc"},
        {"service_id": "akta-kelahiran", "have": ["x"]},
        {"service_id": "akta-kelahiran", "have": [99]},
        {"service_id": "akta-kelahiran", "have": [-1]},
        {"service_id": "akta-kelahiran", "lang": "fr"},
        {"service_id": "akta-kelahiran", "query": TEN_KB},
        {"service_id": "akta-kelahiran", "extra": 1},
        [1, 2],
    ],
)
def test_reply_rejects_bad_input(client: TestClient, body: object) -> None:
    assert client.post("/api/reply", json=body).status_code == 422


def test_reply_unknown_service_and_non_json(client: TestClient) -> None:
    assert client.post("/api/reply", json={"service_id": "nope"}).status_code == 404
    response = client.post(
        "/api/reply", content=b"service_id=akta", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 422
    broken = client.post(
        "/api/reply", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422


def test_feedback_stores_not_helpful(client: TestClient, store: InsightStore) -> None:
    response = client.post(
        "/api/feedback",
        json={
            "query": "anak saya lahir, NIK 3201234567890123",
            "service_id": "imunisasi-dasar",
            "shown": ["akta-kelahiran", "imunisasi-dasar"],
            "life_event": "birth",
        },
    )
    assert response.status_code == 201
    assert response.json() == {"recorded": True}
    [record] = store.recent()
    assert (record.reason, record.channel, record.life_event) == ("not_helpful", "console", "birth")
    assert [r["id"] for r in record.results] == ["imunisasi-dasar", "akta-kelahiran"]
    assert "3201234567890123" not in record.query


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"query": ""},
        {"query": "   "},
        {"query": TEN_KB},
        {"query": 12},
        {"query": "x", "shown": "akta"},
        {"query": "x", "shown": ["a"] * 50},
        {"query": "x", "life_event": "holiday"},
        {"query": "x", "service_id": "../etc/passwd"},
    ],
)
def test_feedback_rejects_bad_input(client: TestClient, store: InsightStore, body: object) -> None:
    assert client.post("/api/feedback", json=body).status_code == 422
    assert store.recent() == []


def test_insight_report(client: TestClient, store: InsightStore) -> None:
    for q in ("cara pasang wifi rumah", "pasang wifi di rumah", "harga tiket pesawat"):
        client.get("/api/search", params={"q": q})
    body = client.get("/api/insight", params={"days": 7}).json()
    assert body["queries"] == 3
    assert body["groups"][0]["count"] == 2
    assert {c["id"] for c in body["coverage"]} >= {"birth", "death"}
    assert body["stale"] == [] and body["evaluations"] == []
    assert client.get("/api/insight", params={"days": 0}).status_code == 422
    assert client.get("/api/insight", params={"top": "many"}).status_code == 422


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/search",
        "/api/services/{service_id}",
        "/api/life-events",
        "/api/life-events/{event_id}",
        "/api/reply",
        "/api/feedback",
        "/api/insight",
        "/api/health",
    ):
        assert path in paths
    assert "/login" not in paths


def test_oversized_body_and_cross_site_post_are_refused(client: TestClient) -> None:
    big = client.post(
        "/api/feedback", content=b"x" * 70_000, headers={"content-type": "application/json"}
    )
    assert big.status_code == 413
    cross = client.post(
        "/api/feedback", json={"query": "x"}, headers={"Origin": "https://evil.example"}
    )
    assert cross.status_code == 403


def test_security_headers(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": BIRTH})
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
