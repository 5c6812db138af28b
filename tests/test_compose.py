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


def test_services_and_ports(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"neo4j", "api"}
    assert {_container_port(p) for p in services["neo4j"]["ports"]} >= {7687}
    assert [_container_port(p) for p in services["api"]["ports"]] == [8000]


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


def test_api_service_environment_is_valid_settings(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["build"] == "."
    env = {key: _resolved(str(value)) for key, value in api["environment"].items()}
    fields = {key[len(PREFIX):].lower(): value for key, value in env.items()}
    settings = Settings.model_validate(fields)  # the same validation the API applies at start-up
    assert settings.store == "neo4j"
    assert str(settings.home) == "/data"
    assert settings.neo4j_uri == "bolt://neo4j:7687"  # the service name and Neo4j's Bolt port
    assert settings.neo4j_user == "neo4j"  # NEO4J_AUTH creates this user
    assert api["environment"]["SIGHTLINE_NEO4J_PASSWORD"].startswith("${SIGHTLINE_NEO4J_PASSWORD")
    assert any(volume.split(":")[1] == str(settings.home) for volume in api["volumes"])


def test_dockerfile_agrees_with_compose_and_the_project(compose: dict[str, Any]) -> None:
    steps = _dockerfile()
    instructions = [instruction for instruction, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    exposed = [int(port) for instruction, ports in steps if instruction == "EXPOSE" for port in ports.split()]
    assert exposed == [_container_port(p) for p in compose["services"]["api"]["ports"]]
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
