"""Case codes: the code, expiry after 30 days, nothing that identifies the citizen, and
the console's API and printable page (a TestClient over the real console app)."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from navigator.accounts import AccountStore
from navigator.cases import store as case_store
from navigator.cases.schema import cases as cases_table
from navigator.cases.store import CaseStore, new_code, normalise
from navigator.console import cases as case_routes
from navigator.console.app import create_app
from navigator.console.settings import ConsoleSettings
from navigator.insight.store import InsightStore

NOW = datetime(2027, 1, 4, 3, 0, tzinfo=UTC)
SERVICES = [
    {"id": "akta-kelahiran", "title": "Akta Kelahiran", "done": True},
    {"id": "kk-tambah-anggota", "title": "Penambahan Anggota KK", "done": False},
]
DOCUMENTS = ["Surat keterangan lahir", "Kartu Keluarga", "KTP elektronik orang tua"]
QUESTION = "KK saya 3201234567890123, hp 0812-3456-7890, email budi@example.com, bisa?"
SECRET = "test-console-secret-0123456789-abcdefghijklmnop"
CODE_PATTERN = re.compile(r"^NAV-[0-9A-HJKMNP-TV-Z]{5}$")


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return CaseStore(path=tmp_path / "insight.db")


def make(store: CaseStore, now: datetime = NOW) -> case_store.Case:
    return store.create("birth", SERVICES, DOCUMENTS, QUESTION, now)


def test_codes_are_short_random_and_read_forgivingly() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) > 1990 and all(CODE_PATTERN.match(c) for c in codes)
    assert not any(set(c[4:]) & set("ILOU") for c in codes)
    assert normalise("nav-7k3qx") == normalise(" NAV 7K3QX ") == normalise("7k3qx") == "NAV-7K3QX"
    assert normalise("NAV-7K3QO") == "NAV-7K3Q0" and normalise("nav-i1l00") == "NAV-11100"
    assert normalise("NAV12") == "NAV-NAV12"  # five characters are the code itself
    assert normalise("NAV-7K3Q") is None and normalise("NAV-7K3QX9") is None
    assert normalise("../../etc") is None and normalise("NAV-7K3Q!") is None


def test_a_case_keeps_the_checklist_and_masks_the_question(store: CaseStore) -> None:
    case = make(store)
    assert CODE_PATTERN.match(case.code)
    found = store.get(case.code.lower(), NOW)
    assert found == case
    data = found.to_dict()
    assert set(data) == {
        "code",
        "life_event",
        "services",
        "documents",
        "last_question",
        "created",
        "expires",
    }
    assert data["services"] == SERVICES and data["documents"] == DOCUMENTS
    assert data["last_question"] == "KK saya [NIK], hp [TELEPON], email [EMAIL], bisa?"
    assert data["created"] == "2027-01-04T03:00:00+00:00"
    assert data["expires"] == "2027-02-03T03:00:00+00:00"


def test_nothing_that_identifies_the_citizen_is_stored(store: CaseStore) -> None:
    make(store)
    with store.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("cases")}
        rows = [dict(r._mapping) for r in connection.execute(sa.select(cases_table))]
    assert columns == {
        "code",
        "life_event",
        "services",
        "documents",
        "last_question",
        "created",
        "expires",
    }
    stored = repr(rows)
    for personal in ("3201234567890123", "0812", "3456", "budi@", "telegram", "whatsapp"):
        assert personal not in stored
    with pytest.raises(TypeError):
        store.create("birth", SERVICES, DOCUMENTS, QUESTION, NOW, sender="telegram:1")  # type: ignore[call-arg]


def test_codes_expire_after_30_days_and_purge_deletes_them(store: CaseStore) -> None:
    old = make(store)
    new = make(store, NOW + timedelta(days=10))
    assert store.get(old.code, NOW + timedelta(days=30, seconds=-1)) is not None
    assert store.get(old.code, NOW + timedelta(days=30)) is None
    assert store.get(new.code, NOW + timedelta(days=30)) is not None
    assert store.purge(NOW + timedelta(days=30)) == 1
    with store.engine.connect() as connection:
        left = [r.code for r in connection.execute(sa.select(cases_table.c.code))]
    assert left == [new.code]


def test_a_code_already_taken_is_drawn_again(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make(store)
    draws = iter([first.code, first.code, "NAV-22222"])
    monkeypatch.setattr(case_store, "new_code", lambda: next(draws))
    assert make(store).code == "NAV-22222"
    with pytest.raises(ValueError):
        store.create("birth", [{"title": "no id"}], [], "", NOW)


# -- the console


def console(tmp_path: Path, cases: CaseStore) -> tuple[FastAPI, AccountStore]:
    """The console app (no engine: these routes need none) with the case router."""
    insight = InsightStore(tmp_path / "console.db")
    accounts = AccountStore(insight.engine)
    app = create_app(ConsoleSettings(secret=SECRET), store=insight, accounts=accounts)
    if not any(getattr(r, "path", "") == "/api/cases/{code}" for r in app.routes):
        app.include_router(case_routes.router)  # until create_app includes it
    app.state.cases = cases
    return app, accounts


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[tuple[TestClient, AccountStore, CaseStore]]:
    cases = CaseStore(path=tmp_path / "console.db")
    app, accounts = console(tmp_path, cases)
    yield TestClient(app, base_url="https://testserver"), accounts, cases
    cases.close()


def test_the_api_answers_agents_with_the_case(
    shared: tuple[TestClient, AccountStore, CaseStore],
) -> None:
    client, accounts, cases = shared
    token = accounts.add("siti", "agent", "correct horse battery staple")
    case = cases.create("birth", SERVICES, DOCUMENTS, QUESTION)
    assert client.get(f"/api/cases/{case.code}").status_code == 401  # accounts exist
    auth = {"Authorization": f"Bearer {token}"}
    answer = client.get(f"/api/cases/{case.code.lower()}", headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.json() == case.to_dict()
    assert answer.headers["cache-control"] == "no-store"
    assert client.get("/api/cases/NAV-ZZZZZ", headers=auth).status_code == 404
    assert client.get("/api/cases/not-a-code", headers=auth).status_code == 404
    expired = cases.create("birth", SERVICES, [], "", time.time() - 31 * 86400)
    assert client.get(f"/api/cases/{expired.code}", headers=auth).status_code == 404
    opened = [
        (e.account, e.action, e.target, e.detail)
        for e in accounts.audit_log()
        if e.action == "open_case"
    ]
    assert opened[0] == ("siti", "open_case", case.code, "api") and len(opened) == 4


def test_the_printable_page_has_the_checklist_and_a_qr_code(
    shared: tuple[TestClient, AccountStore, CaseStore],
) -> None:
    client, _, cases = shared  # no accounts: the console is open on localhost
    case = cases.create("birth", SERVICES, DOCUMENTS, QUESTION)
    page = client.get(f"/cases/{case.code}")
    assert page.status_code == 200, page.text
    html = page.text
    assert case.code in html and "Akta Kelahiran" in html and "Kartu Keluarga" in html
    assert "sudah selesai" in html and "belum" in html
    assert "[NIK]" in html and "3201234567890123" not in html
    found = re.search(r'<img class="case-qr" src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert found is not None
    svg = base64.b64decode(found.group(1)).decode()
    assert "<svg" in svg and "<script" not in svg
    assert "img-src 'self' data:" in page.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert ' style="' not in html  # no inline style either (style-src 'self')
    assert '<link rel="stylesheet" href="/static/case.css">' in html
    css = client.get("/static/case.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@media print" in css.text
    english = client.get(f"/cases/{case.code}?ui=en")
    assert "Documents to bring" in english.text and "done" in english.text


def test_the_page_for_an_unknown_code_and_the_lookup_form(
    shared: tuple[TestClient, AccountStore, CaseStore],
) -> None:
    client, _, cases = shared
    case = cases.create(None, [], [], "")
    assert client.get("/cases/NAV-ZZZZZ").status_code == 404
    assert "kedaluwarsa" in client.get("/cases/NAV-ZZZZZ").text
    form = client.get("/cases")
    assert form.status_code == 200 and 'name="code"' in form.text
    jump = client.get("/cases", params={"code": case.code.lower()}, follow_redirects=False)
    assert jump.status_code == 303 and jump.headers["location"] == f"/cases/{case.code}"
    assert client.get("/cases", params={"code": "??"}).status_code == 404


def test_pages_need_a_login_when_accounts_exist(
    shared: tuple[TestClient, AccountStore, CaseStore],
) -> None:
    client, accounts, cases = shared
    accounts.add("siti", "agent", "correct horse battery staple")
    case = cases.create("birth", SERVICES, DOCUMENTS, QUESTION)
    page = client.get(f"/cases/{case.code}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?")
