"""Server-rendered pages: search, journey, cards, browse, insight, language toggle, errors."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from navigator.insight.store import InsightStore


def journey_titles(html: str) -> list[str]:
    block = html.split('id="journey-list"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'data-id="[^"]+">([^<]+)</a>', block)


def test_start_page_offers_search_and_life_events(client: TestClient) -> None:
    html = client.get("/").text
    assert '<html lang="id">' in html
    assert '<label for="q">' in html and 'id="q"' in html
    assert 'href="/events/birth"' in html
    assert 'class="skip" href="#main"' in html


def test_search_shows_the_birth_journey_and_cards(client: TestClient) -> None:
    html = client.get("/", params={"q": "anak saya baru lahir"}).text
    assert 'id="detected-event">Kelahiran</span>' in html
    assert journey_titles(html)[0] == "Akta Kelahiran"
    assert journey_titles(html) == [
        "Akta Kelahiran",
        "Penambahan Anggota Keluarga di Kartu Keluarga",
        "Imunisasi Dasar Lengkap Anak",
    ]
    first_card = html.index('id="svc-')
    assert html[first_card:].startswith('id="svc-akta-kelahiran"')
    for text in ("Mengapa cocok", "Syarat", "Langkah", "Biaya", "Dasar hukum", "Terakhir dicek"):
        assert text in html
    assert 'class="reply-text"' in html and "Salin balasan" in html
    assert "Tidak membantu" in html


def test_english_toggle_is_remembered(client: TestClient) -> None:
    response = client.get("/", params={"q": "anak saya baru lahir", "ui": "en"})
    assert '<html lang="en">' in response.text
    assert "Journey: Birth" in response.text and "Copy reply" in response.text
    assert "console_ui=en" in response.headers["set-cookie"]
    assert '<html lang="en">' in client.get("/events").text
    toggle = re.search(r'href="([^"]+)" hreflang="id"', response.text)
    assert toggle and "ui=id" in toggle.group(1) and toggle.group(1).startswith("/?")


def test_browse_life_events_and_a_service(client: TestClient) -> None:
    events = client.get("/events").text
    assert events.count('class="event"') == 8
    birth = client.get("/events/birth").text
    order = [
        birth.index(f'id="svc-{s}"')
        for s in ("akta-kelahiran", "kk-tambah-anggota", "imunisasi-dasar")
    ]
    assert order == sorted(order)
    service = client.get("/services/akta-kelahiran").text
    assert (
        '<details class="card" id="svc-akta-kelahiran" data-service="akta-kelahiran" open>'
        in service
    )
    # the fields citizens ask about, each with its source
    assert "<dt>Batas waktu</dt>" in service
    assert "Laporkan paling lambat 60 hari sejak kelahiran." in service
    assert "Jika terlewat: Tetap bisa dicatat sesudahnya." in service
    assert "<dt>Secara online</dt>" in service
    assert 'class="fact-source" href="https://example.go.id/layanan/akta-kelahiran"' in service


def test_unknown_pages_and_bad_input_get_4xx_pages(client: TestClient) -> None:
    assert client.get("/events/holiday").status_code == 404
    missing = client.get("/services/nope")
    assert missing.status_code == 404 and "Tidak ditemukan" in missing.text
    long = client.get("/", params={"q": "anak " * 2048})
    assert long.status_code == 422 and "terlalu panjang" in long.text
    assert client.get("/", params={"q": "   "}).status_code == 200
    assert client.get("/insight", params={"days": "many"}).status_code == 422


def test_not_helpful_form_without_javascript(client: TestClient, store: InsightStore) -> None:
    response = client.post(
        "/feedback",
        data={
            "query": "anak saya baru lahir",
            "service_id": "akta-kelahiran",
            "shown": "akta-kelahiran,spmb",
            "life_event": "birth",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "noted=akta-kelahiran" in response.headers["location"]
    [record] = store.recent()
    assert record.reason == "not_helpful" and record.life_event == "birth"
    assert client.post("/feedback", data={"query": ""}).status_code == 422
    page = client.get(response.headers["location"]).text
    assert "Terima kasih, dicatat untuk editor." in page


def test_insight_and_api_docs_pages(client: TestClient, store: InsightStore) -> None:
    store.record(channel="telegram", reason="fallback", query="pasang wifi rumah", results=[])
    html = client.get("/insight").text
    assert "Pertanyaan yang belum terjawab" in html and "pasang wifi rumah" in html
    assert "Cakupan per peristiwa hidup" in html
    docs = client.get("/api-docs").text
    assert "GET /api/search" in docs and "POST /api/reply" in docs


def test_static_assets_and_no_inline_script(client: TestClient) -> None:
    assert client.get("/static/console.js").status_code == 200
    assert client.get("/static/console.css").status_code == 200
    html = client.get("/", params={"q": "akte"}).text
    assert "<script>" not in html and "style=" not in html


def test_the_callers_region_brings_its_own_places(client: TestClient) -> None:
    page = client.get("/", params={"q": "akta kelahiran anak", "region": "sleman"}).text
    assert 'id="caller-region">Kabupaten Sleman<' in page
    assert "Di Kabupaten Sleman" in page and "Mal Pelayanan Publik Kabupaten Sleman" in page
    assert "google.com/maps/search" in page
    named = client.get("/", params={"q": "bikin akta anak, sy tinggal di jaksel"}).text
    assert "Kota Administrasi Jakarta Selatan" in named
    nowhere = client.get("/", params={"q": "akta kelahiran anak", "region": "asdfgh"}).text
    assert 'id="caller-region"' not in nowhere


def test_the_editors_view_shows_regional_coverage(client: TestClient) -> None:
    page = client.get("/insight").text
    assert 'id="region-coverage"' in page and "/ 514 kabupaten/kota" in page
