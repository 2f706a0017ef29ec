"""Accounts: hashes, roles on every route, sessions naming the account, disabling at once,
the login rate limit, the audit log, the server secret and ``navigator agents``."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from navigator import cli, migrations
from navigator.accounts import AccountError, AccountStore
from navigator.accounts.schema import accounts as accounts_table
from navigator.accounts.schema import metadata as accounts_metadata
from navigator.console.auth import SECRET_FILE, LoginLimiter, load_secret
from navigator.console.settings import ConsoleSettings
from navigator.insight.database import create_engine, sqlite_url
from tests.console.support import PASSWORD

SEARCH = ("/api/search", {"q": "anak saya baru lahir"})
REPLY = {"service_id": "akta-kelahiran", "have": [0]}

# What each route needs; everything not listed here is for agents.
PUBLIC = {"/login", "/logout", "/api/health", "/favicon.ico"}
EDITOR = {"/insight", "/api/insight"}
ADMIN = {"/admin", "/api/accounts", "/api/audit"}


def login(client: TestClient, name: str, password: str = PASSWORD) -> int:
    response = client.post(
        "/login", data={"name": name, "password": password, "next": "/"}, follow_redirects=False
    )
    return response.status_code


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def all_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, also those of included routers (FastAPI includes them lazily)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += all_routes(route.original_router.routes)
    return found


# -- the store


def test_passwords_are_argon2_and_only_a_tokens_hash_is_kept(accounts: AccountStore) -> None:
    token = accounts.add("  Siti ", "agent", PASSWORD)
    assert token.startswith("nav_") and len(token) >= 4 + 43  # 32 random bytes
    with accounts.engine.connect() as connection:
        row = connection.execute(sa.select(accounts_table)).one()._mapping
    assert row["name"] == "siti" and row["role"] == "agent" and not row["disabled"]
    assert str(row["password_hash"]).startswith("$argon2id$")
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert PASSWORD not in str(dict(row)) and token not in str(dict(row))
    assert accounts.verify("SITI", PASSWORD) is not None
    assert accounts.verify("siti", PASSWORD + "x") is None
    assert accounts.verify("nobody", PASSWORD) is None
    found = accounts.by_token(token)
    assert found is not None and found.name == "siti"
    assert accounts.by_token(token + "x") is None and accounts.by_token("nope") is None
    with pytest.raises(AccountError, match="exists"):
        accounts.add("siti", "admin", PASSWORD)
    with pytest.raises(AccountError, match="role"):
        accounts.add("budi", "root", PASSWORD)
    with pytest.raises(AccountError, match="names"):
        accounts.add("budi siti", "agent", PASSWORD)
    with pytest.raises(AccountError, match="passwords"):
        accounts.add("budi", "agent", "short")
    with pytest.raises(AccountError, match="no account"):
        accounts.set_disabled("budi", True)
    new = accounts.reset_token("siti")
    assert accounts.by_token(token) is None and accounts.by_token(new) is not None


def test_migration_0002_creates_the_accounts_tables(tmp_path: Path) -> None:
    engine = create_engine(sqlite_url(tmp_path / "insight.db"))
    assert migrations.upgrade(engine)
    with engine.connect() as connection:
        assert migrations.current(connection) == migrations.heads() == {"0004"}
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": lambda obj, name, type_, reflected, other: (
                    type_ != "table" or name in accounts_metadata.tables
                )
            },
        )
        assert compare_metadata(context, accounts_metadata) == []
    engine.dispose()


def test_the_audit_log_masks_personal_data(accounts: AccountStore) -> None:
    accounts.audit("siti", "view", "NIK 3201234567890123", "hp 081234567890")
    (entry,) = accounts.audit_log()
    assert (entry.account, entry.action) == ("siti", "view")
    assert "3201234567890123" not in entry.target and "081234567890" not in entry.detail
    assert accounts.audit_log(since=time.time() + 60) == []


def test_the_limiter_counts_names_and_addresses_apart() -> None:
    limiter = LoginLimiter(attempts=5, window=900)
    for i in range(5):
        limiter.fail("name:siti", f"addr:10.0.0.{i}", now=1000.0 + i)
    assert limiter.wait("name:siti", "addr:10.0.0.9", now=1005) == pytest.approx(895)
    assert limiter.wait("name:budi", "addr:10.0.0.9", now=1005) == 0
    assert limiter.wait("name:siti", now=1900.5) == 0  # the first failure left the window
    limiter.clear("name:siti")
    assert limiter.wait("name:siti", now=1005) == 0


def test_the_secret_file_is_private_and_shared(tmp_path: Path) -> None:
    first = load_secret(ConsoleSettings(), tmp_path)
    assert load_secret(ConsoleSettings(), tmp_path) == first and len(first) >= 32
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [tmp_path / SECRET_FILE]  # no temporary left behind
    given = "x" * 40
    assert load_secret(ConsoleSettings(secret=given), tmp_path) == given.encode()


# -- the console


def test_every_route_needs_its_role(accounts_client: TestClient) -> None:
    seen = set()
    for route in all_routes(accounts_client.app.routes):  # type: ignore[attr-defined]
        seen.add(route.path)
        names = {d.call.__name__ for d in route.dependant.dependencies if d.call is not None}
        roles = {n.rsplit("_", 1)[1] for n in names if n.startswith(("api_role_", "page_role_"))}
        if route.path in PUBLIC:
            assert roles == set(), route.path
            continue
        expected = {"agent"}
        if route.path in EDITOR:
            expected = {"agent", "editor"}
        elif route.path in ADMIN:
            expected = {"agent", "admin"}
        assert roles == expected, (route.path, roles)
    assert {"/", "/events", "/api/reply", "/openapi.json", "/docs"} | EDITOR | ADMIN <= seen


def test_roles_agent_editor_admin(accounts_client: TestClient, accounts: AccountStore) -> None:
    tokens = {
        role: accounts.add(f"{role}-1", role, PASSWORD) for role in ("agent", "editor", "admin")
    }
    expected = {
        "agent": {"search": 200, "reply": 200, "insight": 403, "audit": 403, "accounts": 403},
        "editor": {"search": 200, "reply": 200, "insight": 200, "audit": 403, "accounts": 403},
        "admin": {"search": 200, "reply": 200, "insight": 200, "audit": 200, "accounts": 200},
    }
    for role, token in tokens.items():
        auth = bearer(token)
        got = {
            "search": accounts_client.get(SEARCH[0], params=SEARCH[1], headers=auth).status_code,
            "reply": accounts_client.post("/api/reply", json=REPLY, headers=auth).status_code,
            "insight": accounts_client.get("/api/insight", headers=auth).status_code,
            "audit": accounts_client.get("/api/audit", headers=auth).status_code,
            "accounts": accounts_client.get("/api/accounts", headers=auth).status_code,
        }
        assert got == expected[role], role
    forbidden = accounts_client.get("/api/audit", headers=bearer(tokens["agent"]))
    assert forbidden.json() == {"detail": "the admin role is needed here"}
    listed = accounts_client.get("/api/accounts", headers=bearer(tokens["admin"])).json()
    assert [a["name"] for a in listed] == ["admin-1", "agent-1", "editor-1"]
    assert all(set(a) == {"name", "role", "disabled", "created", "last_login"} for a in listed)

    # Pages: the agent's session gets 403 on the editors' and the admin page.
    assert login(accounts_client, "agent-1") == 303
    assert accounts_client.get("/").status_code == 200
    page = accounts_client.get("/insight")
    assert page.status_code == 403 and "Akses ditolak" in page.text
    assert accounts_client.get("/admin").status_code == 403
    assert 'href="/insight"' not in accounts_client.get("/events").text  # not offered either
    accounts_client.post("/logout")
    assert login(accounts_client, "editor-1") == 303
    assert accounts_client.get("/insight").status_code == 200
    assert accounts_client.get("/admin").status_code == 403
    accounts_client.post("/logout")
    assert login(accounts_client, "admin-1") == 303
    admin = accounts_client.get("/admin")
    assert admin.status_code == 200 and "agent-1" in admin.text and "forbidden" in admin.text
    forbidden_entries = [e for e in accounts.audit_log() if e.action == "forbidden"]
    assert {(e.account, e.target) for e in forbidden_entries} >= {
        ("agent-1", "/api/insight"),
        ("agent-1", "/admin"),
        ("editor-1", "/admin"),
    }


def test_the_schema_and_docs_need_an_account(
    accounts_client: TestClient, accounts: AccountStore
) -> None:
    token = accounts.add("siti", "agent", PASSWORD)
    assert accounts_client.get("/openapi.json").status_code == 401
    schema = accounts_client.get("/openapi.json", headers=bearer(token))
    assert schema.status_code == 200 and "/api/audit" in schema.json()["paths"]
    assert accounts_client.get("/docs", follow_redirects=False).status_code == 303


def test_a_disabled_account_is_refused_at_once(
    accounts_client: TestClient, accounts: AccountStore
) -> None:
    token = accounts.add("siti", "agent", PASSWORD)
    assert login(accounts_client, "siti") == 303
    assert accounts_client.get("/events").status_code == 200
    accounts.set_disabled("siti", True)
    assert accounts_client.get("/events", follow_redirects=False).status_code == 303
    assert (
        accounts_client.get(SEARCH[0], params=SEARCH[1], headers=bearer(token)).status_code == 401
    )
    assert login(accounts_client, "siti") == 401  # the right password, disabled
    accounts.set_disabled("siti", False)
    assert accounts_client.get("/events").status_code == 200  # the session is good again
    accounts.reset_password("siti", PASSWORD + "-new")  # a new password ends the session
    assert accounts_client.get("/events", follow_redirects=False).status_code == 303


def test_open_without_accounts_closed_once_one_exists(
    client: TestClient, accounts: AccountStore
) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/admin").status_code == 200  # as today: localhost, everything open
    accounts.add("siti", "admin", PASSWORD)
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get(SEARCH[0], params=SEARCH[1]).status_code == 401
    assert client.get("/login").status_code == 200


def test_logins_are_audited_without_passwords(
    accounts_client: TestClient, accounts: AccountStore
) -> None:
    accounts.add("siti", "agent", PASSWORD)
    assert login(accounts_client, "siti", "wrong-password-1") == 401
    assert login(accounts_client, "my-secret-passw0rd", PASSWORD) == 401  # a password as name
    assert login(accounts_client, "siti") == 303
    accounts_client.post("/logout")
    entries = [(e.account, e.action, e.detail) for e in accounts.audit_log()]
    assert entries == [
        ("siti", "login_failed", "wrong password"),
        ("", "login_failed", "unknown account"),
        ("siti", "login", ""),
        ("siti", "logout", ""),
    ]
    text = json.dumps([e.to_dict() for e in accounts.audit_log()])
    assert PASSWORD not in text and "wrong-password-1" not in text
    assert "my-secret-passw0rd" not in text
    (account,) = accounts.all_accounts()
    assert account.last_login is not None


def test_failed_logins_are_rate_limited(
    accounts_client: TestClient, accounts: AccountStore
) -> None:
    accounts.add("siti", "agent", PASSWORD)
    for _ in range(5):
        assert login(accounts_client, "siti", "wrong-password-1") == 401
    limited = accounts_client.post("/login", data={"name": "siti", "password": PASSWORD})
    assert limited.status_code == 429
    assert "Terlalu banyak percobaan" in limited.text and "15 menit" in limited.text
    assert 800 < int(limited.headers["retry-after"]) <= 900
    english = accounts_client.post("/login?ui=en", data={"name": "siti", "password": PASSWORD})
    assert english.status_code == 429 and "Try again in 15 minutes" in english.text
    assert accounts.audit_log()[-1].action == "login_blocked"


def test_failed_logins_from_one_address_are_rate_limited(
    accounts_client: TestClient, accounts: AccountStore
) -> None:
    accounts.add("siti", "agent", PASSWORD)
    for i in range(5):
        assert login(accounts_client, f"guess-{i}", "wrong-password-1") == 401
    assert login(accounts_client, "siti") == 429  # another name, the same address


# -- navigator agents


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_agents_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", str(tmp_path / "insight.db")]
    code, out, _ = run(["agents", "add", "Ana", "--role", "editor", "--json", *db], capsys)
    assert code == 0
    made = json.loads(out)
    assert (made["name"], made["role"]) == ("ana", "editor") and made["token"].startswith("nav_")
    assert len(made["password"]) >= 20  # generated, shown once

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, out, err = run(
        ["agents", "add", "budi", "--role", "agent", "--password-stdin", *db], capsys
    )
    assert code == 0 and "account budi (agent) created" in out and "API token: nav_" in out
    assert PASSWORD not in out + err and "password:" not in out
    code, _, err = run(["agents", "add", "budi", "--role", "admin", *db], capsys)
    assert code == 1 and "exists already" in err

    store = AccountStore(path=tmp_path / "insight.db")
    assert store.verify("budi", PASSWORD) is not None
    assert store.verify("ana", made["password"]) is not None
    assert store.by_token(made["token"]) is not None

    assert run(["agents", "disable", "budi", *db], capsys)[0] == 0
    code, out, _ = run(["agents", "list", *db], capsys)
    assert code == 0 and "budi" in out and "disabled" in out and "editor" in out
    assert run(["agents", "enable", "budi", *db], capsys)[0] == 0
    code, out, _ = run(["agents", "reset", "budi", "--token", "--json", *db], capsys)
    reset = json.loads(out)
    assert code == 0 and set(reset) == {"name", "password", "token"}
    assert store.verify("budi", reset["password"]) is not None
    assert store.verify("budi", PASSWORD) is None
    assert run(["agents", "disable", "nobody", *db], capsys)[0] == 1

    code, out, _ = run(["agents", "audit", "--json", "--since", "1", *db], capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(e["action"], e["target"]) for e in lines] == [
        ("account_add", "ana"),
        ("account_add", "budi"),
        ("account_disable", "budi"),
        ("account_enable", "budi"),
        ("account_reset", "budi"),
    ]
    assert all(e["account"].startswith("cli") for e in lines)
    code, out, _ = run(["agents", "audit", *db], capsys)
    assert code == 0 and "account_reset" in out and reset["password"] not in out
    store.close()
