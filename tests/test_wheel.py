"""``pip install .`` (not editable) gives a working Sightline: the wheel carries every package and its data.

The Cypher statements, rules files, report templates and the Neo4j launcher's sources are package data read
through importlib.resources; a file still found through the source tree would pass an editable install
and fail here. The wheel is installed without its dependencies into a fresh virtual environment that borrows
them from the test environment's site-packages (a path, so that environment's editable install of this
project is not loaded), and run from a folder outside the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "cli", "cypher", "evaluation", "graph", "intake", "multiparty", "nlp", "reports", "screening",
            "sharing", "state", "web")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    # built from a copy holding what the Dockerfile copies: a build/ folder left in the checkout by an earlier
    # build could otherwise slip modules that no longer exist into the wheel
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "dist"), str(source)],
                   check=True, cwd=work)
    [wheel] = (work / "dist").glob("sightline-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _run(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=venv.parent, capture_output=True, text=True, timeout=300,
                          env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(venv.parent)})


def test_the_wheel_holds_the_data_files(installed: Path) -> None:
    [wheel] = (installed.parent / "dist").glob("sightline-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"cypher/schema.cypher", "graph/neo4j_local/pom.xml", "graph/neo4j_local/Launcher.java",
            "nlp/data/roles.json", "graph/data/nicknames.json"} <= names
    assert any(n.startswith("reports/templates/") for n in names)
    assert any(n.startswith("evaluation/data/") and n.endswith(".json") for n in names)
    assert {"web/templates/base.html", "web/templates/pages/explore.html", "web/static/js/ui.js",
            "web/static/js/pages/explore.js", "web/static/css/workspace.css", "web/static/favicon.svg",
            "web/static/vendor/leaflet/leaflet.js", "web/static/vendor/leaflet/images/marker-icon.png",
            "web/static/vendor/cytoscape/cytoscape.min.js", "web/static/vendor/world-atlas/countries-110m.json",
            "reports/data/countries-110m.json", "sharing/data/htcds-fields-2.0.csv", "sharing/data/README.md"} <= names


def test_the_installed_package_serves_the_workspace(installed: Path) -> None:
    """Pages, scripts and the vendored libraries come from the installed package, not from a checkout."""
    code = ("import os, tempfile; os.environ['SIGHTLINE_HOME'] = tempfile.mkdtemp(); "
            "from fastapi.testclient import TestClient; from api.app import create_app; import web; "
            "client = TestClient(create_app(start_worker=False)); print(web.__file__); "
            "print([client.get(p).status_code for p in ('/sign-in', '/static/js/pages/map.js', "
            "'/static/vendor/leaflet/leaflet.js', '/static/vendor/world-atlas/countries-110m.json')])")
    result = _run(installed, str(installed / "bin" / "python"), "-c", code)
    assert result.returncode == 0, result.stderr
    web_file, statuses = result.stdout.strip().splitlines()[-2:]
    assert Path(web_file).is_relative_to(installed)
    assert statuses == "[200, 200, 200, 200]"


def test_the_installed_command_runs(installed: Path) -> None:
    result = _run(installed, str(installed / "bin" / "sightline"), "--help")
    assert result.returncode == 0, result.stderr
    assert "ingest" in result.stdout and "serve" in result.stdout


def test_cypher_loads_from_the_installed_package(installed: Path) -> None:
    code = ("import graph, cypher; from graph.stores.cypher_files import schema_statements, statement; "
            "print(graph.__file__); print(cypher.__file__); print(len(schema_statements())); "
            "print(statement('nodes_get'))")
    result = _run(installed, str(installed / "bin" / "python"), "-c", code)
    assert result.returncode == 0, result.stderr
    graph_file, cypher_file, schema_count, nodes_get = result.stdout.split("\n", 3)
    assert Path(graph_file).is_relative_to(installed) and Path(cypher_file).is_relative_to(installed)
    assert int(schema_count) > 0
    assert "MATCH" in nodes_get and "//" not in nodes_get
