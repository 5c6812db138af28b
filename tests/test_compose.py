"""docker-compose.yml and the Dockerfile, checked against the settings module (there is no Docker engine here).

Why: a compose file drifts silently. A misspelt SIGHTLINE_* variable is ignored by pydantic-settings and
the API would quietly run on the embedded store; these tests fail instead.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from state.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PREFIX = str(Settings.model_config["env_prefix"])
SETTING_VARIABLES = {PREFIX + name.upper() for name in Settings.model_fields}
VARIABLE = re.compile(rf"\b{PREFIX}[A-Z0-9_]+\b")
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    pairs = []
    for line in logical.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def _container_port(mapping: str | int) -> int:
    return int(str(mapping).rsplit(":", 1)[-1].split("/")[0])


def _resolved(value: str) -> str:
    """A compose value with ${VAR...} interpolations replaced by a placeholder, for validation."""
    return INTERPOLATION.sub("interpolated-value", value)


def test_every_sightline_variable_is_a_setting() -> None:
    for name in ("docker-compose.yml", "Dockerfile"):
        used = set(VARIABLE.findall((ROOT / name).read_text(encoding="utf-8")))
        assert used, name
        assert used <= SETTING_VARIABLES, f"{name}: not settings: {sorted(used - SETTING_VARIABLES)}"


APIS = ("api-1", "api-2")
WORKERS = ("worker-1", "worker-2")
SHARED_SECRETS = ("SIGHTLINE_API_AUDIT_KEY", "SIGHTLINE_PSEUDONYM_KEY", "SIGHTLINE_PARTNER_SECRETS_KEY",
                  "SIGHTLINE_EXPORT_KEY")


def test_services_and_ports(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"neo4j", "postgres", *APIS, *WORKERS, "lb"}
    assert {_container_port(p) for p in services["neo4j"]["ports"]} >= {7687}
    assert [_container_port(p) for p in services["lb"]["ports"]] == [8000]
    for name in (*APIS, *WORKERS, "postgres"):
        assert "ports" not in services[name], f"{name} is reached through the compose network only"


def test_neo4j_service(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26"
    env = neo4j["environment"]
    assert "apoc" in json.loads(env["NEO4J_PLUGINS"])
    assert re.fullmatch(r"neo4j/\$\{SIGHTLINE_NEO4J_PASSWORD(:?\?[^}]*)?\}", env["NEO4J_AUTH"]), "password from the environment"
    assert any(volume.split(":")[1] == "/data" for volume in neo4j["volumes"])
    assert compose["volumes"] and all(volume.split(":")[0] in compose["volumes"] for volume in neo4j["volumes"])
    health = neo4j["healthcheck"]
    assert health["test"][0] in {"CMD", "CMD-SHELL"} and re.search(r"cypher-shell|wget|curl", " ".join(health["test"]))
    for key in ("interval", "timeout", "retries"):
        assert health[key]


def _settings(service: dict[str, Any]) -> Settings:
    """The settings a service's environment gives, validated as the API validates them at start-up."""
    env = {key: _resolved(str(value)) for key, value in service["environment"].items() if key.startswith(PREFIX)}
    return Settings.model_validate({key[len(PREFIX):].lower(): value for key, value in env.items()})


def test_postgres_service(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    env = postgres["environment"]
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", env["POSTGRES_PASSWORD"]), "the password from the environment"
    assert any(volume.split(":")[1] == "/var/lib/postgresql/data" for volume in postgres["volumes"])
    assert all(volume.split(":")[0] in compose["volumes"] for volume in postgres["volumes"])
    health = postgres["healthcheck"]
    assert health["test"][0] == "CMD-SHELL" and "pg_isready" in health["test"][1]
    assert f"-U {env['POSTGRES_USER']}" in health["test"][1] and f"-d {env['POSTGRES_DB']}" in health["test"][1]


def test_every_api_and_worker_has_the_database_and_the_same_secrets(compose: dict[str, Any]) -> None:
    services = compose["services"]
    postgres = services["postgres"]["environment"]
    environments = [services[name]["environment"] for name in (*APIS, *WORKERS)]
    for name in (*APIS, *WORKERS):
        service = services[name]
        env = service["environment"]
        assert service["build"] == "." and service["image"] == "sightline-api"
        for needed in ("neo4j", "postgres"):
            assert service["depends_on"][needed]["condition"] == "service_healthy", name
        settings = _settings(service)
        assert settings.store == "neo4j" and settings.neo4j_uri == "bolt://neo4j:7687" and settings.neo4j_user == "neo4j"
        assert str(settings.home) == "/data"
        assert any(volume.split(":")[1] == str(settings.home) for volume in service["volumes"])
        url = env["SIGHTLINE_DATABASE_URL"]
        assert url == (f"postgresql://{postgres['POSTGRES_USER']}:${{POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}}"
                       f"@postgres:5432/{postgres['POSTGRES_DB']}"), name
        assert settings.database_url is not None
        for secret in (*SHARED_SECRETS, "SIGHTLINE_NEO4J_PASSWORD"):
            assert re.fullmatch(rf"\$\{{{secret}:\?[^}}]*\}}", env[secret]), f"{name}: {secret} set explicitly, required"
    for secret in (*SHARED_SECRETS, "SIGHTLINE_DATABASE_URL"):
        assert len({env[secret] for env in environments}) == 1, f"{secret} differs between containers"


def test_apis_leave_jobs_to_the_workers(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in APIS:
        assert _settings(services[name]).api_worker is False, name
        assert "command" not in services[name]  # the image's CMD: sightline serve
        assert services[name]["environment"]["FORWARDED_ALLOW_IPS"] == "*"  # behind nginx only (no ports)
    for name in WORKERS:
        assert services[name]["command"] == ["sightline", "worker"]


def test_the_load_balancer_sends_to_both_apis(compose: dict[str, Any]) -> None:
    lb = compose["services"]["lb"]
    assert lb["image"].startswith("nginx:")
    source, target, *_ = lb["volumes"][0].split(":")
    assert target == "/etc/nginx/nginx.conf"
    config = (ROOT / source).read_text(encoding="utf-8")
    upstreams = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", config, re.MULTILINE)
    exposed = [int(port) for instruction, ports in _dockerfile() if instruction == "EXPOSE" for port in ports.split()]
    assert sorted(upstreams) == sorted((name, str(exposed[0])) for name in APIS)
    assert re.search(rf"listen\s+{_container_port(lb['ports'][0])};", config)
    assert set(lb["depends_on"]) == set(APIS)


def test_dockerfile_agrees_with_compose_and_the_project(compose: dict[str, Any]) -> None:
    steps = _dockerfile()
    instructions = [instruction for instruction, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    exposed = [int(port) for instruction, ports in steps if instruction == "EXPOSE" for port in ports.split()]
    assert exposed == [8000]  # where deploy/nginx.conf sends requests (test_the_load_balancer_sends_to_both_apis)
    command = json.loads(next(arguments for instruction, arguments in steps if instruction == "CMD"))
    assert command[:2] == ["sightline", "serve"]
    assert command[command.index("--port") + 1] == str(exposed[0])
    assert command[command.index("--host") + 1] == "0.0.0.0"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "sightline" in scripts
    runs = " ".join(arguments for instruction, arguments in steps if instruction == "RUN")
    assert re.search(r"pip install [^;&]*\.\[[^\]]*model", runs), "installs the project with the spaCy model"
    assert "libpango-1.0-0" in runs, "Pango for WeasyPrint"
    for instruction, arguments in steps:
        if instruction == "COPY":
            *sources, _ = shlex.split(arguments)
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such path"
    assert instructions.index("USER") < instructions.index("CMD"), "the API does not run as root"


def test_the_image_copies_every_package_and_installs_it_as_a_wheel_would() -> None:
    pairs = _dockerfile()
    copied = {args.split()[0] for instruction, args in pairs if instruction == "COPY"}
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name not in ("tests", "bench")}
    assert packages <= copied, sorted(packages - copied)
    installs = [args for instruction, args in pairs if instruction == "RUN" and "pip install" in args]
    assert installs and all(" -e " not in f" {args} " for args in installs)
