"""Access: bearer token for the API, login form and secure cookie for pages, safe start-up."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from navigator import cli
from navigator.accounts import AccountStore
from navigator.console.auth import COOKIE_NAME, safe_next, session_valid, session_value
from navigator.console.settings import ConsoleConfigError, ConsoleSettings
from tests.console.support import AGENT, PASSWORD, SECRET, TOKEN

SEARCH = ("/api/search", {"q": "anak saya baru lahir"})


def test_api_needs_the_bearer_token(auth_client: TestClient) -> None:
    missing = auth_client.get(*SEARCH[:1], params=SEARCH[1])
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = auth_client.get(SEARCH[0], params=SEARCH[1], headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    basic = auth_client.get(
        SEARCH[0], params=SEARCH[1], headers={"Authorization": f"Basic {TOKEN}"}
    )
    assert basic.status_code == 401
    right = auth_client.get(
        SEARCH[0], params=SEARCH[1], headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert right.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/services/akta-kelahiran"),
        ("GET", "/api/life-events"),
        ("GET", "/api/life-events/birth"),
        ("POST", "/api/reply"),
        ("POST", "/api/feedback"),
        ("GET", "/api/insight"),
    ],
)
def test_every_api_endpoint_is_protected(auth_client: TestClient, method: str, path: str) -> None:
    assert auth_client.request(method, path, json={}).status_code == 401


def test_health_stays_open(auth_client: TestClient) -> None:
    assert auth_client.get("/api/health").status_code == 200


def test_pages_redirect_to_login(auth_client: TestClient) -> None:
    response = auth_client.get("/?q=akte", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2F%3Fq%3Dakte"
    for path in ("/events", "/insight", "/services/akta-kelahiran", "/api-docs"):
        assert auth_client.get(path, follow_redirects=False).status_code == 303


def test_login_sets_a_secure_session_cookie(
    auth_client: TestClient, accounts: AccountStore
) -> None:
    accounts.add(AGENT, "agent", PASSWORD)
    form = auth_client.get("/login?next=/events")
    assert 'type="password"' in form.text and 'for="password"' in form.text
    assert 'for="name"' in form.text and 'autocomplete="username"' in form.text
    wrong = auth_client.post("/login", data={"name": AGENT, "password": "guess", "next": "/events"})
    assert wrong.status_code == 401 and "kata sandi salah" in wrong.text
    # The legacy token is no password: pages need an account.
    legacy = auth_client.post("/login", data={"name": AGENT, "password": TOKEN})
    assert legacy.status_code == 401
    response = auth_client.post(
        "/login",
        data={"name": AGENT, "password": PASSWORD, "next": "/events"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/events"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    assert PASSWORD.lower() not in cookie and TOKEN.lower() not in cookie
    assert auth_client.get("/events").status_code == 200
    # The page's own script calls the API with the same cookie.
    assert auth_client.get(*SEARCH[:1], params=SEARCH[1]).status_code == 200
    auth_client.post("/logout")
    assert auth_client.get("/events", follow_redirects=False).status_code == 303


def test_tampered_or_expired_cookie_is_refused(
    auth_client: TestClient, accounts: AccountStore
) -> None:
    accounts.add(AGENT, "agent", PASSWORD)
    account = accounts.get(AGENT, fresh=True)
    assert account is not None
    key = SECRET.encode()
    good = session_value(key, account, 12)
    assert session_valid(key, good, account)
    name, expires, signature = good.split(".")
    assert not session_valid(key, f"{name}.{int(expires) + 999}.{signature}", account)
    assert not session_valid(key, session_value(key, account, 12, now=time.time() - 86400), account)
    assert not session_valid(b"another-secret-" * 3, good, account)
    assert not session_valid(key, "garbage", account)
    assert not session_valid(key, good, None)
    auth_client.cookies.set(COOKIE_NAME, f"{name}.{expires}.{'0' * 64}")
    assert auth_client.get("/events", follow_redirects=False).status_code == 303
    auth_client.cookies.set(COOKIE_NAME, good)
    assert auth_client.get("/events", follow_redirects=False).status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/events", "/events"),
        ("/?q=akte", "/?q=akte"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_login_never_redirects_off_site(target: str, expected: str) -> None:
    assert safe_next(target) == expected


def test_without_token_login_is_not_needed(client: TestClient) -> None:
    assert client.get("/login", follow_redirects=False).headers["location"] == "/"
    assert client.get("/").status_code == 200


def test_settings_refuse_an_open_public_console(monkeypatch: pytest.MonkeyPatch) -> None:
    ConsoleSettings(host="127.0.0.1").check()
    ConsoleSettings(host="localhost").check()
    with pytest.raises(ConsoleConfigError, match="CONSOLE_TOKEN"):
        ConsoleSettings(host="0.0.0.0").check()
    with pytest.raises(ConsoleConfigError, match="too short"):
        ConsoleSettings(host="0.0.0.0", token="short").check()
    ConsoleSettings(host="0.0.0.0", token=TOKEN).check()
    ConsoleSettings(host="0.0.0.0").check(accounts=True)
    with pytest.raises(ConsoleConfigError, match="CONSOLE_SECRET"):
        ConsoleSettings(host="0.0.0.0", token=TOKEN, secret="short").check()
    monkeypatch.setenv("CONSOLE_PORT", "eighty")
    with pytest.raises(ConsoleConfigError):
        ConsoleSettings.from_env()
    monkeypatch.setenv("CONSOLE_PORT", "70000")
    with pytest.raises(ConsoleConfigError):
        ConsoleSettings.from_env()
    monkeypatch.setenv("CONSOLE_PORT", "8123")
    monkeypatch.setenv("CONSOLE_TOKEN", "  ")
    settings = ConsoleSettings.from_env()
    assert settings.port == 8123 and settings.token is None and settings.host == "127.0.0.1"


def test_console_command_refuses_to_start_open_on_all_interfaces(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("CONSOLE_TOKEN", raising=False)
    monkeypatch.delenv("NAVIGATOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("NAVIGATOR_INSIGHT_DB", str(tmp_path / "insight.db"))  # no accounts
    assert cli.main(["console", "--host", "0.0.0.0"]) == 2
    assert "CONSOLE_TOKEN is not set" in capsys.readouterr().err
